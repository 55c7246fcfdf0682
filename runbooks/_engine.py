"""The engine: runs a runbook's steps, recording, reporting and delivering.

A runbook definition only says what each documented step does through page
objects. Everything else is here, once: the browser session, the journal
after every step, screenshots with secrets masked, tracing paused while a
secret is on screen, delivery of the secret to its sink (even when a later
part of the step fails), the person's say-so in guided runs, the lock that
keeps two runs off one target, the audit log, resuming an interrupted run
without repeating what it changed, and turning Playwright's failures into
one-line `RunbookError`s that name the step.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from playwright.sync_api import APIRequestContext, Locator, Page
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from pages._waits import ControlNotFound
from runbooks._audit import AuditLog
from runbooks._config import Settings
from runbooks._errors import (
    ConfigError,
    ConfirmationRefused,
    DeliveryError,
    PortalError,
    RunbookError,
    RunStopped,
    StepFailed,
    TargetError,
    UsageError,
)
from runbooks._files import make_private_dir
from runbooks._guided import Attendant, Decision, Unattended
from runbooks._journal import Journal, utcnow
from runbooks._lock import hold_lock
from runbooks._model import Preview, Runbook, Step
from runbooks._output import Reporter
from runbooks._recording import Recorder, RecordMode, slugify
from runbooks._secrets import Redactor, Secret
from runbooks._session import open_session
from runbooks._sinks import Sink
from runbooks._targets import PORTALS, Target, open_target, resolve_url

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
    #: HTTP calls outside the browser: no cookies, not in the trace.
    api: APIRequestContext
    journal: Journal
    redactor: Redactor
    sink: Sink | None
    recorder: Recorder
    attendant: Attendant = field(default_factory=Unattended)
    ask: Callable[[str], str] | None = None
    resuming: bool = False
    audit: AuditLog | None = None
    step: Step | None = None
    notes: list[str] = field(default_factory=list)
    masks: list[Locator] = field(default_factory=list)
    pending: list[Secret] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _origin: dict[int, str] = field(default_factory=dict)

    @property
    def facts(self) -> dict[str, Any]:
        """Non-secret facts learned so far (saved in the journal, kept on resume)."""
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
                engine refuses to close it otherwise, and delivers it even if
                the step fails). False for a secret the run only uses itself,
                such as a temporary account token.
        """
        wrapped = Secret(value, label)
        self.redactor.register(wrapped)
        if deliver:
            self.pending.append(wrapped)
            if self.step is not None:
                self._origin[id(wrapped)] = self.step.number
                self.journal.step(self.step.number)["undelivered"] = True
                self.journal.save()
        return wrapped

    def ask_secret(self, question: str, label: str, *, hint: str) -> Secret:
        """Ask the person at the terminal for a secret (a one-time code).

        Raises:
            ConfigError: nobody is at a terminal; `hint` says what to set instead.
        """
        if self.ask is None:
            raise ConfigError(hint)
        return self.secret(self.ask(question), label, deliver=False)

    def hand_off(self, message: str, *, otherwise: str) -> None:
        """Let the person act in the browser (guided runs); else fail with `otherwise`."""
        if not self.attendant.guided:
            raise PortalError(otherwise)
        self.attendant.hand_off(message)

    @contextmanager
    def off_the_record(self) -> Iterator[None]:
        """Pause tracing while something secret is typed or fetched."""
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
        origin = self._origin.pop(id(secret), None)
        if origin is not None:
            self.journal.step(origin).update(undelivered=False, delivered=True)
        self.remember("delivered_to", self.sink.describe())

    def note(self, text: str) -> None:
        """A remark about the current step, shown beside it and kept in the journal."""
        self.notes.append(text)

    def warn(self, text: str) -> None:
        """A warning for the person running it (printed, and kept in the journal)."""
        self.warnings.append(text)
        self.journal.data.setdefault("warnings", []).append(text)


@dataclass(frozen=True)
class RunOptions:
    """How to run: where, with what browser, recording what, watched by whom."""

    target: str | None = None
    sink: Sink | None = None
    #: The `--secret-to` text, kept in the journal so that a resumed run delivers alike.
    sink_spec: str | None = None
    record: RecordMode = "retain-on-failure"
    headed: bool = False
    connect: str | None = None
    recordings: Path | None = None
    #: Asks the person at the terminal (hidden input); None when nobody is there.
    ask: Callable[[str], str] | None = None
    attendant: Attendant = field(default_factory=Unattended)


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
    if "strict mode violation" in message:
        # Not missing: more than one control matched. Say so, with Playwright's words.
        first = message.strip().splitlines()[0]
        return StepFailed(first, step=step.number, text=step.text)
    if isinstance(exc, PlaywrightTimeout | AssertionError):
        looked_for = _what_was_looked_for(message)
        return StepFailed(f"{looked_for} did not appear", step=step.number, text=step.text)
    first = message.strip().splitlines()[0] if message.strip() else type(exc).__name__
    return StepFailed(first, step=step.number, text=step.text)


def done_before(step: Step, steps: tuple[Step, ...], journal: Journal) -> bool:
    """Whether a resumed run skips `step`: it changed the portal and finished before.

    Steps that only look or navigate are done again (the new browser has to
    get back to where the run was). A step that showed a secret counts as done
    only once that secret was delivered; the step that closed its dialog
    counts as done as soon as the secret was delivered.
    """
    if not step.changes_portal:
        return False
    entry = journal.step(step.number)
    if step.conceals:
        index = steps.index(step)
        shown = [s for s in steps[:index] if s.reveals]
        return entry["status"] == "done" or (
            bool(shown) and bool(journal.step(shown[-1].number).get("delivered"))
        )
    if step.reveals:
        if entry.get("delivered"):
            return True  # the portal made it and its holder has it, even if the step then failed
        # A secret the run only used itself (an account token) is gone with the
        # old browser: unless its window closed, the step must show a new one.
        index = steps.index(step)
        closing = [s for s in steps[index:] if s.conceals]
        window_closed = not closing or journal.step(closing[0].number)["status"] == "done"
        return bool(entry["status"] == "done" and not entry.get("undelivered") and window_closed)
    return bool(entry["status"] == "done")


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

    @property
    def audit_path(self) -> Path:
        """`RUNBOOK_AUDIT_LOG`, else `audit.jsonl` in the data folder."""
        configured = self.settings.get("AUDIT_LOG")
        return (
            Path(configured).expanduser() if configured else self.settings.data_dir / "audit.jsonl"
        )

    def check(self, runbook: Runbook, params: Mapping[str, Any], options: RunOptions) -> None:
        """Everything that can be refused before a browser starts."""
        runbook.check_params(params)
        self.settings.timeout_ms  # noqa: B018 - a malformed RUNBOOK_TIMEOUT fails here
        resolve_url(PORTALS[runbook.portal], self.settings, options.target)
        if runbook.creates_secret and options.sink is None:
            raise UsageError(
                f"{runbook.name} creates a secret: say where it goes with --secret-to "
                "(env:PATH:KEY, file:PATH, stdout or cmd:COMMAND)"
            )
        if options.sink is not None:
            options.sink.preflight()  # proven before the browser starts, not after a revoke

    def run(
        self,
        runbook: Runbook,
        params: Mapping[str, Any],
        options: RunOptions,
        *,
        resume: Journal | None = None,
    ) -> RunResult:
        """Run every step of `runbook`, or the rest of an interrupted run.

        Args:
            runbook: What to run.
            params: Its parameters.
            options: How to run it.
            resume: The journal of the interrupted run to continue, if any.

        Raises:
            RunbookError: a step failed, or the run was refused.
        """
        self.check(runbook, params, options)
        portal = PORTALS[runbook.portal]
        if resume is None:
            run_id = f"{utcnow():%Y%m%dT%H%M%SZ}-{runbook.name}-{secrets.token_hex(2)}"
            folder = (options.recordings or self.settings.recordings_dir) / run_id
        else:
            run_id, folder = resume.data["run_id"], resume.path.parent
        where = resolve_url(portal, self.settings, options.target) or "sandbox"
        key = " ".join(filter(None, (f"{portal.name}:{where}", runbook.lock_key(params))))
        audit = AuditLog(
            self.audit_path,
            self.redactor,
            run_id=run_id,
            runbook=runbook.name,
            target=f"{portal.name}:{where}",
            parameters=dict(params),
        )
        try:
            with (
                hold_lock(self.settings.data_dir / "locks", key, run_id) as note,
                open_target(portal, self.settings, options.target) as target,
            ):
                for secret in (target.password, target.totp_secret):
                    if secret is not None:
                        self.redactor.register(secret)
                make_private_dir(folder)
                journal = resume or self._new_journal(
                    runbook, params, options, target, folder, run_id
                )
                journal.data.update(outcome="running", pid=os.getpid(), error=None)
                if resume is not None:
                    journal.data.setdefault("resumed_at", []).append(utcnow().isoformat())
                journal.save()
                self.reporter.run_started(runbook, target.label, target.sandbox, str(folder))
                if note:
                    self.reporter.warn(note)
                for warning in runbook.warnings(params):  # known before any step runs
                    self.reporter.warn(warning)
                result = self._run_steps(
                    runbook, params, options, target, journal, audit, resuming=resume is not None
                )
        except RunbookError as exc:
            audit.record("run", outcome=exc.outcome, error=self.redactor.scrub(str(exc)))
            raise
        except KeyboardInterrupt:
            audit.record("run", outcome="interrupted")
            raise
        audit.record("run", outcome="succeeded")
        return result

    def _new_journal(
        self,
        runbook: Runbook,
        params: Mapping[str, Any],
        options: RunOptions,
        target: Target,
        folder: Path,
        run_id: str,
    ) -> Journal:
        journal = Journal(
            folder / "run.json",
            self.redactor,
            run_id=run_id,
            runbook=runbook.name,
            portal=runbook.portal,
            target={"url": target.url, "sandbox": target.sandbox},
            parameters=dict(params),
            sink=options.sink.describe() if options.sink else None,
            sink_spec=options.sink_spec,
            guided=options.attendant.guided,
        )
        for step in runbook.plan(params):
            journal.add_step(
                step.number, step.text, destructive=step.destructive, reveals=step.reveals
            )
        return journal

    def _run_steps(
        self,
        runbook: Runbook,
        params: Mapping[str, Any],
        options: RunOptions,
        target: Target,
        journal: Journal,
        audit: AuditLog,
        *,
        resuming: bool,
    ) -> RunResult:
        recorder = Recorder(journal.path.parent, options.record, self.redactor)
        steps = runbook.plan(params)
        failed = True
        try:
            with open_session(
                base_url=target.url,
                browser=self.settings.browser,
                connect=options.connect or self.settings.connect,
                headed=options.headed,
                timeout_ms=self.settings.timeout_ms,
                storage_state=target.saved.storage_state() if target.saved else None,
            ) as session:
                recorder.start(session.context)
                ctx = RunContext(
                    page=session.page,
                    api=session.api,
                    target=target,
                    params=params,
                    started_at=utcnow(),
                    journal=journal,
                    redactor=self.redactor,
                    sink=options.sink,
                    recorder=recorder,
                    attendant=options.attendant,
                    ask=options.ask and self.reporter.asker(options.ask),
                    resuming=resuming,
                    audit=audit,
                )
                try:
                    for index, step in enumerate(steps, start=1):
                        if resuming and done_before(step, steps, journal):
                            self.reporter.step_finished(
                                step, "done", 0.0, "done before; not repeated"
                            )
                            continue
                        self._run_step(ctx, step, index, len(steps), audit)
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
            journal.finish(exc.outcome, self.redactor.scrub(str(exc)))
            exc.recordings = str(recorder.folder)
            exc.resume_id = journal.data["run_id"]
            raise
        for warning in ctx.warnings:
            self.reporter.warn(warning)
        rows += [("Recordings", str(recorder.folder))]
        journal.finish("succeeded")
        return RunResult(journal.data["run_id"], recorder.folder, rows)

    def _ask_person(self, ctx: RunContext, step: Step, position: str, audit: AuditLog) -> bool:
        """The guided say-so; False when the person skips the step."""
        preview = None
        if step.preview is not None and (ctx.attendant.guided or step.destructive):
            # Needed to show the person, or to say in the audit log what was destroyed.
            try:
                preview = step.preview(ctx)
            except (PlaywrightError, AssertionError) as exc:
                raise _as_runbook_error(exc, step, ctx.target) from None
        if ctx.attendant.guided and preview is not None and preview.element is not None:
            with contextlib.suppress(PlaywrightError):
                preview.element.highlight()
        decision = ctx.attendant.before_step(step, position, preview)
        run_id = ctx.journal.data["run_id"]
        if decision is Decision.STOP:
            raise RunStopped(
                f"stopped before step {step.number}; `runbook resume {run_id}` goes on"
            )
        if decision is Decision.SKIP:
            return False
        preview = preview or Preview(step.text, word=step.number)
        if step.destructive and preview.word is not None:
            typed = ctx.attendant.confirm(step, preview)
            ctx.journal.step(step.number)["confirmation"] = typed
            if ctx.attendant.guided and typed != (preview.word or "yes"):
                audit.record(
                    "destructive-step",
                    step=step.number,
                    what=preview.text,
                    confirmation=typed,
                    outcome="aborted",
                )
                raise ConfirmationRefused(
                    f"step {step.number} not confirmed (typed {typed!r}, needed "
                    f"{preview.word!r}): nothing was changed; `runbook resume {run_id}` goes on"
                )
            ctx.journal.step(step.number)["what"] = preview.text
        return True

    def _run_step(
        self, ctx: RunContext, step: Step, index: int, total: int, audit: AuditLog
    ) -> None:
        journal = ctx.journal
        ctx.step = step
        ctx.notes.clear()
        if not self._ask_person(ctx, step, f"{index} of {total}", audit):
            journal.mark(step.number, "skipped", note="skipped by the person")
            self.reporter.step_finished(step, "skipped", 0.0, "skipped by the person")
            return
        journal.mark(step.number, "running")
        self.reporter.step_started(step)
        if step.reveals:
            ctx.recorder.pause()
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
            self._fail_step(ctx, step, shot, time.monotonic() - began, audit, error)
            raise error from None
        seconds = time.monotonic() - began
        ctx.recorder.screenshot(ctx.page, shot, ctx.masks)
        if step.conceals:
            if ctx.pending:  # a runbook bug: the secret would be lost with its dialog
                raise DeliveryError(f"step {step.number} closed a secret before delivering it")
            ctx.masks.clear()
            ctx.recorder.resume()
        note = "; ".join(ctx.notes) or None
        journal.mark(step.number, "done", duration_s=round(seconds, 2), note=note)
        if step.destructive:
            audit.record(
                "destructive-step",
                step=step.number,
                what=journal.step(step.number).get("what"),
                confirmation=journal.step(step.number).get("confirmation"),
                outcome="done",
            )
        self.reporter.step_finished(step, "done", seconds, note)

    def _fail_step(
        self,
        ctx: RunContext,
        step: Step,
        shot: str,
        seconds: float,
        audit: AuditLog,
        error: RunbookError,
    ) -> None:
        """Record a failed step; deliver any secret it left on screen first."""
        ctx.recorder.screenshot(ctx.page, shot + "-failed", ctx.masks)
        ctx.journal.mark(step.number, "failed", duration_s=round(seconds, 2))
        self.reporter.step_finished(step, "failed", seconds)
        if step.destructive:
            audit.record(
                "destructive-step",
                step=step.number,
                confirmation=ctx.journal.step(step.number).get("confirmation"),
                outcome="failed",
                error=self.redactor.scrub(str(error)),
            )
        # Nothing lost: a secret the portal showed once goes to its sink even
        # though the step failed after reading it; unless delivery itself is
        # what failed (the runbook may have rolled back what the secret opens).
        if isinstance(error, DeliveryError):
            return
        for secret in list(ctx.pending):
            try:
                ctx.deliver(secret)
            except RunbookError as exc:
                raise DeliveryError(
                    f"{error}; and the new {secret.label} could not be delivered ({exc}): "
                    "it is lost, and the resumed run will replace it"
                ) from None
            ctx.warn(
                f"step {step.number} failed after the new {secret.label} was shown; "
                f"it was delivered to {ctx.facts['delivered_to']} all the same"
            )
        ctx.journal.save()
