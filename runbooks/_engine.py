"""The engine: a run from request to result, around the mode-neutral step loop.

It refuses what can be refused before a browser starts, holds the lock that keeps two runs off
one target, resolves the target (the sandbox included), opens the journal and the browser (only
then is Playwright imported), wires the observers (journal, recorder, audit log, console, and
any the caller adds) and the shown-secret owner to the loop, and runs the steps under the mode.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from runbooks._audit import AuditLog
from runbooks._config import Settings
from runbooks._console import ConsoleKeeper
from runbooks._errors import Interrupted, RunbookError, UsageError
from runbooks._guided import Attendant, Unattended
from runbooks._journal import Journal, utcnow
from runbooks._lock import hold_lock
from runbooks._loop import StepLoop
from runbooks._model import Runbook, Step
from runbooks._modes import Mode, PersonMode, ResumeMode
from runbooks._observers import Observer, Observers, RunEnd, RunStart
from runbooks._output import Reporter
from runbooks._recording import Recorder, RecordMode, new_run_folder
from runbooks._records import AuditKeeper, JournalKeeper, RecorderKeeper
from runbooks._registry import get_portal
from runbooks._run_context import RunContext
from runbooks._secrets import Redactor
from runbooks._shown import ShownSecrets
from runbooks._sinks import Sink
from runbooks._targets import Target, open_target, resolve_url

if TYPE_CHECKING:
    from runbooks._session import BrowserProvider

__all__ = ["RunOptions", "RunResult", "Runner", "new_run_id"]


@dataclass(frozen=True)
class RunOptions:
    """How to run: where, with what browser, recording what, decided by whom."""

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
    #: Decides each step; default: the attendant's say-so (`PersonMode`).
    mode: Mode | None = None
    #: More record keepers, told of the run besides the built-in ones.
    observers: tuple[Observer, ...] = ()
    #: Where the browser comes from; default: from the settings.
    browsers: BrowserProvider | None = None


@dataclass(frozen=True)
class RunResult:
    """The outcome of a run that succeeded."""

    run_id: str
    folder: Path
    summary: list[tuple[str, str]]


def _attempt(options: RunOptions, target: Target) -> dict[str, Any]:
    """What one attempt at a run uses: where, the sink, attended or not (run.json)."""
    return {
        "target": {"url": target.url, "sandbox": target.sandbox},
        "sink": options.sink.describe() if options.sink else None,
        "sink_spec": options.sink_spec,
        "guided": (options.mode or PersonMode(options.attendant)).attended,
    }


def new_run_id(runbook: str) -> str:
    """`20261123T141233Z-gravitee-cloud-token-1a2b3c4d`: time, runbook, 4 random bytes."""
    return f"{utcnow():%Y%m%dT%H%M%SZ}-{runbook}-{secrets.token_hex(4)}"


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
        self.settings.recordings_dir  # noqa: B018 - and RUNBOOK_RECORDINGS naming a file
        resolve_url(get_portal(runbook.portal), self.settings, options.target)
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

        Raises:
            RunbookError: a step failed, or the run was refused.
        """
        self.check(runbook, params, options)
        portal = get_portal(runbook.portal)
        run_id = new_run_id(runbook.name) if resume is None else resume.data["run_id"]
        where = resolve_url(portal, self.settings, options.target) or "sandbox"
        key = " ".join(filter(None, (f"{portal.name}:{where}", runbook.lock_key(params))))
        audit = AuditKeeper(
            AuditLog(
                self.audit_path,
                self.redactor,
                run_id=run_id,
                runbook=runbook.name,
                target=f"{portal.name}:{where}",
                parameters=dict(params),
            ),
            self.redactor,
        )
        try:
            with (
                hold_lock(self.settings.data_dir / "locks", key, run_id) as note,
                open_target(portal, self.settings, options.target) as target,
            ):
                for secret in (target.password, target.totp_secret):
                    if secret is not None:
                        self.redactor.register(secret)
                mode: Mode = options.mode or PersonMode(options.attendant)
                if resume is None:
                    parent = options.recordings or self.settings.recordings_dir
                    folder = new_run_folder(parent, run_id)
                    journal = self._new_journal(runbook, params, options, target, folder, run_id)
                    plan = mode.plan(runbook, params)
                    for step in plan:
                        journal.add_step(
                            step.number,
                            step.text,
                            destructive=step.destructive,
                            reveals=step.reveals,
                        )
                else:
                    journal = resume
                    # What this attempt uses, not what the first one did.
                    journal.restart(resumed=True, **_attempt(options, target))
                    mode = ResumeMode(mode, resume.data)
                    plan = mode.plan(runbook, params)
                journal.restart(pid=os.getpid())
                journal.save()
                start = RunStart(
                    run_id,
                    runbook,
                    params,
                    target,
                    journal.path.parent,
                    resumed=resume is not None,
                    warnings=[*filter(None, [note]), *runbook.warnings(params)],
                )
                return self._run_steps(runbook, plan, mode, options, start, journal, audit)
        except RunbookError as exc:
            audit.run_finished(RunEnd(exc.outcome, str(exc)))
            raise
        except KeyboardInterrupt:
            audit.run_finished(RunEnd("interrupted"))
            raise

    def _new_journal(
        self,
        runbook: Runbook,
        params: Mapping[str, Any],
        options: RunOptions,
        target: Target,
        folder: Path,
        run_id: str,
    ) -> Journal:
        return Journal(
            folder / "run.json",
            self.redactor,
            run_id=run_id,
            runbook=runbook.name,
            portal=runbook.portal,
            parameters=dict(params),
            **_attempt(options, target),
        )

    def _browsers(self, options: RunOptions) -> BrowserProvider:
        from runbooks._session import BrowserProvider

        return options.browsers or BrowserProvider.configured(
            browser=self.settings.browser,
            connect=options.connect or self.settings.connect,
            headed=options.headed,
            timeout_ms=self.settings.timeout_ms,
        )

    def _run_steps(
        self,
        runbook: Runbook,
        plan: tuple[Step, ...],
        mode: Mode,
        options: RunOptions,
        start: RunStart,
        journal: Journal,
        audit: AuditKeeper,
    ) -> RunResult:
        recorder = Recorder(start.folder, options.record, self.redactor)
        observers = Observers(
            [
                RecorderKeeper(recorder),  # first: the journal then notes the kept trace
                JournalKeeper(journal),
                audit,
                ConsoleKeeper(self.reporter),
                *options.observers,
            ]
        )
        target = start.target
        storage = target.saved.storage_state() if target.saved else None
        ctx: RunContext | None = None
        try:
            with self._browsers(options).open(target.url, storage) as session:
                recorder.start(session.context)
                observers.run_started(start)
                shown = ShownSecrets(self.redactor, options.sink, recorder, observers)
                ctx = RunContext(
                    page=session.page,
                    api=session.api,
                    target=target,
                    params=start.params,
                    journal=journal,
                    shown=shown,
                    recorder=recorder,
                    observers=observers,
                    hand_off=mode.hand_off,
                    ask=options.ask and self.reporter.asker(options.ask),
                )
                shown.warn = ctx.warn
                try:
                    try:
                        StepLoop(mode, ctx, shown, observers, start.run_id).run(plan)
                        rows = runbook.summary(ctx)
                    except KeyboardInterrupt:  # Ctrl-C: an error like any other (exit 130)
                        raise Interrupted(journal.where_interrupted()) from None
                except RunbookError as exc:
                    ctx.end()  # sign out: a failed run's kept trace must open nothing
                    observers.run_finished(RunEnd(exc.outcome, self.redactor.scrub(str(exc))))
                    journal.settle(resumable=exc.resumable)  # `runs` offers only what can help
                    exc.recordings = str(recorder.folder)
                    exc.resume_id = start.run_id
                    raise
                ctx.end()
                # Inside the session: the trace is saved while the browser still runs.
                observers.run_finished(RunEnd("succeeded", warnings=tuple(ctx.warnings)))
        except KeyboardInterrupt:
            if ctx is None:
                journal.finish("interrupted", "interrupted by the user")
            raise
        except RunbookError as exc:
            if ctx is None:  # the browser never started: the journal still says so
                journal.finish(exc.outcome, self.redactor.scrub(str(exc)))
                exc.recordings = str(recorder.folder)
                exc.resume_id = start.run_id
            raise
        rows += [("Recordings", str(recorder.folder))]
        return RunResult(start.run_id, recorder.folder, rows)
