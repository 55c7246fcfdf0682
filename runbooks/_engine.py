"""The engine: runs a runbook's steps, recording, reporting and delivering.

A runbook definition only says what each documented step does through page
objects. Everything else is here, once: the browser session, the journal
after every step, screenshots with secrets masked, tracing paused while a
secret is on screen, delivery of the secret to its sink, and turning
Playwright's failures into one-line `RunbookError`s that name the step.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from pages._waits import ControlNotFound
from runbooks._config import Settings
from runbooks._errors import (
    ConfigError,
    DeliveryError,
    RunbookError,
    StepFailed,
    TargetError,
    UsageError,
)
from runbooks._journal import Journal, utcnow
from runbooks._model import Runbook, Step
from runbooks._output import Reporter
from runbooks._recording import Recorder, RecordMode, slugify
from runbooks._secrets import Redactor, Secret
from runbooks._session import open_session
from runbooks._sinks import Sink
from runbooks._targets import PORTALS, Target, open_target

__all__ = ["RunContext", "RunOptions", "RunResult", "Runner", "SkipStep"]


class SkipStep(Exception):  # noqa: N818 - a signal, not an error
    """Raised by a step's action when the step has nothing to do here."""


@dataclass
class RunContext:
    """What a step's action gets: the page, the target, the parameters.

    Runbook definitions never launch a browser, read the environment, print
    or build paths; what they need arrives here.
    """

    page: Page
    target: Target
    params: Mapping[str, Any]
    started_at: datetime
    journal: Journal
    redactor: Redactor
    sink: Sink | None
    recorder: Recorder
    ask: Callable[[str], str] | None = None
    masks: list[Locator] = field(default_factory=list)
    pending: list[Secret] = field(default_factory=list)
    delivered: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def facts(self) -> dict[str, Any]:
        """Non-secret facts learned so far (saved in the journal)."""
        facts: dict[str, Any] = self.journal.data["facts"]
        return facts

    def remember(self, key: str, value: Any) -> None:
        """Record a non-secret fact in the journal."""
        self.journal.set_fact(key, value)

    def secret(self, value: str, label: str, *, deliver: bool = True) -> Secret:
        """Wrap a value read from the portal; from now on it is masked everywhere.

        Args:
            value: The value as read.
            label: What it is ("Cloud token").
            deliver: It must reach the sink before its dialog closes (the
                engine refuses to close it otherwise). False for a secret the
                run only uses itself, such as a temporary account token.
        """
        wrapped = Secret(value, label)
        self.redactor.register(wrapped)
        if deliver:
            self.pending.append(wrapped)
        return wrapped

    def ask_secret(self, question: str, label: str, *, hint: str) -> Secret:
        """Ask the person at the terminal for a secret (a one-time code).

        Raises:
            ConfigError: nobody is at a terminal; `hint` says what to set instead.
        """
        if self.ask is None:
            raise ConfigError(hint)
        return self.secret(self.ask(question), label, deliver=False)

    @contextmanager
    def off_the_record(self) -> Iterator[None]:
        """Pause tracing while something secret is typed (a password)."""
        with self.recorder.paused():
            yield

    def mask(self, locator: Locator) -> None:
        """Paint `locator` over in screenshots until the secret is off screen."""
        self.masks.append(locator)

    def deliver(self, secret: Secret) -> None:
        """Deliver `secret` to the run's sink (before its dialog closes)."""
        if self.sink is None:
            raise DeliveryError(f"no sink for the {secret.label}; use --secret-to")
        self.sink.deliver(secret)
        self.pending.remove(secret)
        self.delivered.append(self.sink.describe())
        self.remember("delivered_to", self.sink.describe())

    def warn(self, text: str) -> None:
        """A warning for the person running it (printed, and kept in the journal)."""
        self.warnings.append(text)
        self.journal.data.setdefault("warnings", []).append(text)


@dataclass(frozen=True)
class RunOptions:
    """How to run: where, with what browser, recording what."""

    target: str | None = None
    sink: Sink | None = None
    record: RecordMode = "retain-on-failure"
    headed: bool = False
    connect: str | None = None
    recordings: Path | None = None
    #: Asks the person at the terminal (hidden input); None when nobody is there.
    ask: Callable[[str], str] | None = None


@dataclass(frozen=True)
class RunResult:
    """The outcome of a run that succeeded."""

    run_id: str
    folder: Path
    summary: list[tuple[str, str]]


_WAITING_FOR = re.compile(r"waiting for (.+)")
_NET_ERROR = re.compile(r"net::(ERR_[A-Z_]+)")


def _what_was_looked_for(message: str) -> str:
    found = _WAITING_FOR.search(message)
    return found.group(1).strip() if found else message.strip().splitlines()[0]


def _as_runbook_error(exc: Exception, step: Step, target: Target) -> RunbookError:
    """Turn a Playwright failure inside `step` into one clear error."""
    if isinstance(exc, RunbookError):
        return exc
    message = str(exc)
    net = _NET_ERROR.search(message)
    if net:
        return TargetError(f"cannot reach {target.url} ({net.group(1)}); is the portal up?")
    if "has been closed" in message:
        return StepFailed("the browser was closed", step=step.number, text=step.text)
    if isinstance(exc, ControlNotFound):
        return StepFailed(str(exc), step=step.number, text=step.text)
    if isinstance(exc, PlaywrightTimeout | AssertionError):
        looked_for = _what_was_looked_for(message)
        return StepFailed(f"{looked_for} did not appear", step=step.number, text=step.text)
    first = message.strip().splitlines()[0] if message.strip() else type(exc).__name__
    return StepFailed(first, step=step.number, text=step.text)


class Runner:
    """Runs runbooks against a target.

    Args:
        settings: The `RUNBOOK_*` settings.
        reporter: Where progress goes.
        redactor: Masks every secret of the run in what is printed or written.
    """

    def __init__(self, settings: Settings, reporter: Reporter, redactor: Redactor) -> None:
        self.settings = settings
        self.reporter = reporter
        self.redactor = redactor

    def run(self, runbook: Runbook, params: Mapping[str, Any], options: RunOptions) -> RunResult:
        """Run every step of `runbook`; raise a `RunbookError` if one fails."""
        runbook.check_params(params)
        self.settings.timeout_ms  # noqa: B018 - a malformed RUNBOOK_TIMEOUT fails before the browser starts
        if runbook.creates_secret and options.sink is None:
            raise UsageError(
                f"{runbook.name} creates a secret: say where it goes with --secret-to "
                "(env:PATH:KEY, file:PATH, stdout or cmd:COMMAND)"
            )
        run_id = f"{utcnow():%Y%m%dT%H%M%SZ}-{runbook.name}-{secrets.token_hex(2)}"
        folder = (options.recordings or self.settings.recordings_dir) / run_id
        with open_target(PORTALS[runbook.portal], self.settings, options.target) as target:
            self.redactor.register(target.password)
            recorder = Recorder(folder, options.record, self.redactor)
            journal = Journal(
                folder / "run.json",
                self.redactor,
                run_id=run_id,
                runbook=runbook.name,
                target={"url": target.url, "sandbox": target.sandbox},
                parameters=dict(params),
                sink=options.sink.describe() if options.sink else None,
            )
            for step in runbook.steps:
                journal.add_step(
                    step.number, step.text, destructive=step.destructive, reveals=step.reveals
                )
            journal.save()
            self.reporter.run_started(runbook, target.label, target.sandbox, str(folder))
            return self._run_steps(runbook, params, options, target, recorder, journal)

    def _run_steps(
        self,
        runbook: Runbook,
        params: Mapping[str, Any],
        options: RunOptions,
        target: Target,
        recorder: Recorder,
        journal: Journal,
    ) -> RunResult:
        failed = True
        try:
            with open_session(
                base_url=target.url,
                browser=self.settings.browser,
                connect=options.connect or self.settings.connect,
                headed=options.headed,
                timeout_ms=self.settings.timeout_ms,
            ) as session:
                recorder.start(session.context)
                ctx = RunContext(
                    page=session.page,
                    target=target,
                    params=params,
                    started_at=utcnow(),
                    journal=journal,
                    redactor=self.redactor,
                    sink=options.sink,
                    recorder=recorder,
                    ask=options.ask and self.reporter.asker(options.ask),
                )
                try:
                    for index, step in enumerate(runbook.steps, start=1):
                        self._run_step(ctx, step, index, recorder)
                    rows = runbook.summary(ctx)
                    failed = False
                finally:
                    # Inside the session: the trace is saved while the browser still runs.
                    trace = recorder.finish(failed=failed)
                    if trace is not None:
                        journal.data["trace"] = trace.name
        except KeyboardInterrupt:
            journal.finish("interrupted", "interrupted by the user")
            raise
        except RunbookError as exc:
            journal.finish("failed", self.redactor.scrub(str(exc)))
            exc.recordings = str(recorder.folder)
            raise
        for warning in ctx.warnings:
            self.reporter.warn(warning)
        rows += [("Recordings", str(recorder.folder))]
        journal.finish("succeeded")
        return RunResult(journal.data["run_id"], recorder.folder, rows)

    def _run_step(self, ctx: RunContext, step: Step, index: int, recorder: Recorder) -> None:
        journal = ctx.journal
        journal.mark(step.number, "running")
        self.reporter.step_started(step)
        if step.reveals:
            recorder.pause()
        began = time.monotonic()
        shot = f"{index:02d}-step-{step.number}-{slugify(step.text)}"
        try:
            step.action(ctx)
        except SkipStep as skip:
            seconds = time.monotonic() - began
            journal.mark(step.number, "skipped", duration_s=round(seconds, 2), note=str(skip))
            self.reporter.step_finished(step, "skipped", seconds, str(skip))
            return
        except (PlaywrightError, AssertionError, RunbookError) as exc:
            error = _as_runbook_error(exc, step, ctx.target)
            seconds = time.monotonic() - began
            recorder.screenshot(ctx.page, shot + "-failed", ctx.masks)
            journal.mark(step.number, "failed", duration_s=round(seconds, 2))
            self.reporter.step_finished(step, "failed", seconds)
            if ctx.pending:
                labels = ", ".join(s.label for s in ctx.pending)
                raise DeliveryError(
                    f"{error}; the new {labels} was created but not delivered: run again to "
                    "revoke it and create another"
                ) from None
            raise error from None
        seconds = time.monotonic() - began
        recorder.screenshot(ctx.page, shot, ctx.masks)
        if step.conceals:
            if ctx.pending:  # a runbook bug: the secret would be lost with its dialog
                raise DeliveryError(f"step {step.number} closed a secret before delivering it")
            ctx.masks.clear()
            recorder.resume()
        journal.mark(step.number, "done", duration_s=round(seconds, 2))
        self.reporter.step_finished(step, "done", seconds)
