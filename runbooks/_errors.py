"""The one exception tree of runbook.

Everything the tool reports to a person derives from `RunbookError`; the CLI
catches it once, prints one line and exits 1 (2 for `UsageError`)::

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
    ├── RunStopped          the person stopped a guided run (resumable)
    ├── ConfirmationRefused a destructive step was not confirmed (resumable)
    └── LockHeld            another run is rotating the same target
"""

from __future__ import annotations

__all__ = [
    "BrowserError",
    "ConfigError",
    "ConfirmationRefused",
    "DeliveryError",
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


class RunbookError(Exception):
    """Base class of every error runbook reports to a person."""

    exit_code = 1
    #: What the journal records as the run's outcome when this error ends it.
    outcome = "failed"
    #: The run's recordings folder, when the error ended a run.
    recordings: str | None = None
    #: The run's id, when the error ended a run that `runbook resume` can continue.
    resume_id: str | None = None


class UsageError(RunbookError):
    """Bad input, detected before anything ran."""

    exit_code = 2


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

    outcome = "stopped"


class ConfirmationRefused(RunbookError):
    """A destructive step was not confirmed; nothing was changed."""

    outcome = "aborted"


class LockHeld(RunbookError):
    """Another run is rotating the same target."""

    outcome = "refused"
