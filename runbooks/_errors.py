"""The one exception tree of runbook.

Everything the tool reports to a person derives from `RunbookError`; the CLI
catches it once, prints one line in words and exits with the error's code
(`EXIT_CODES` lists them; `runbook --help` and the README show that list)::

    RunbookError
    ├── UsageError          bad input, found before anything ran (exit 2)
    │   ├── ConfigError     a setting is missing or malformed
    │   ├── SinkError       a secret destination cannot be used
    │   └── KeystoreError   a keystore or certificate file cannot be read
    ├── BrowserError        no browser, or the remote one cannot be reached
    ├── TargetError         the portal cannot be reached
    ├── PortalError         the portal said no (wrong credentials, unknown gateway)
    ├── StepFailed          a documented step could not be carried out
    ├── DeliveryError       a secret could not be delivered to its sink
    ├── RunStopped          the person stopped a guided run (resumable, exit 3)
    ├── ConfirmationRefused a destructive step was not confirmed (resumable, exit 4)
    ├── LockHeld            another run is rotating the same target (exit 5)
    └── Interrupted         Ctrl-C (resumable, exit 130)
"""

from __future__ import annotations

__all__ = [
    "EXIT_CODES",
    "BrowserError",
    "ConfigError",
    "ConfirmationRefused",
    "DeliveryError",
    "Interrupted",
    "KeystoreError",
    "LockHeld",
    "PortalError",
    "RunStopped",
    "RunbookError",
    "SinkError",
    "StepFailed",
    "TargetError",
    "UsageError",
]


#: Every exit code of `runbook`, with its meaning: what a cron job or a script
#: reads. 0, 1, 2 and 130 keep the meaning they have always had.
EXIT_CODES: tuple[tuple[int, str], ...] = (
    (0, "done"),
    (1, "the run failed (one line says why, and where its recordings are)"),
    (2, "bad usage or configuration, found before anything ran"),
    (3, "stopped by the person at a guided run's prompt (resumable)"),
    (4, "a destructive step's confirmation was refused; nothing was changed (resumable)"),
    (5, "another run holds the lock on the same portal and gateway"),
    (130, "interrupted (Ctrl-C); the journal is kept and the run is resumable"),
)


class RunbookError(Exception):
    """Base class of every error runbook reports to a person.

    Args:
        message: What went wrong, in one line of words.
        resumable: Whether `runbook resume` can help (None: the class's default);
            False for a refusal a resume would meet again (an unknown gateway,
            a name the portal already has).
    """

    exit_code = 1
    #: What the journal records as the run's outcome when this error ends it.
    outcome = "failed"
    #: Whether resuming the run can get past this error (the class's default).
    resumable = True
    #: The run's recordings folder, when the error ended a run.
    recordings: str | None = None
    #: The run's id, when the error ended a run that `runbook resume` can continue.
    resume_id: str | None = None

    def __init__(self, *args: object, resumable: bool | None = None) -> None:
        super().__init__(*args)
        if resumable is not None:
            self.resumable = resumable


class UsageError(RunbookError):
    """Bad input, detected before anything ran."""

    exit_code = 2
    resumable = False


class ConfigError(UsageError):
    """A setting is missing or malformed."""


class SinkError(UsageError):
    """A secret destination (`--secret-to`) is malformed or not writable."""


class KeystoreError(UsageError):
    """A keystore or certificate cannot be read: not one, truncated, wrong password.

    `runbook cert status` exits 2 with it; a run reports a bad keystore from the
    portal as a `PortalError` instead.
    """


class BrowserError(RunbookError):
    """No usable browser, or a remote browser server cannot be reached."""


class TargetError(RunbookError):
    """The portal cannot be reached."""


class PortalError(RunbookError):
    """The portal refused something: wrong credentials, an unknown name."""


class DeliveryError(RunbookError):
    """A secret was created but could not be delivered to its sink."""


class StepFailed(RunbookError):
    """A documented step could not be carried out.

    Args:
        message: What went wrong, in one line.
        step: The step's number in the guide ("4", or "V" for verification).
        text: The step's wording in the guide.
    """

    def __init__(self, message: str, *, step: str, text: str) -> None:
        super().__init__(message)
        self.step = step
        self.text = text

    def __str__(self) -> str:
        return f"step {self.step} ({self.text}): {self.args[0]}"


class RunStopped(RunbookError):
    """The person stopped a guided run; it can be resumed."""

    exit_code = 3
    outcome = "stopped"


class ConfirmationRefused(RunbookError):
    """A destructive step was not confirmed; nothing was changed."""

    exit_code = 4
    outcome = "aborted"


class LockHeld(RunbookError):
    """Another run is rotating the same target."""

    exit_code = 5
    outcome = "refused"
    resumable = False


class Interrupted(RunbookError):
    """Ctrl-C: the run stopped where it was; its journal is kept for a resume."""

    exit_code = 130
    outcome = "interrupted"
