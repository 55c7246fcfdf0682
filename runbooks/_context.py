"""`StepContext`: everything a step's action may use, as methods.

A definition never reaches into the journal, the audit log, the recorder or
the sink: what it needs is here. The engine's implementation is
`runbooks._run_context.RunContext`; a mode or a test may supply another.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from playwright.sync_api import APIRequestContext, Locator, Page

    from runbooks._secrets import Secret
    from runbooks._targets import Target  # with the settings: not for `import runbooks`

__all__ = ["StepContext"]


class StepContext(Protocol):
    """What a step's action gets."""

    @property
    def page(self) -> Page:
        """The browser page, signed in or about to be."""
        ...

    @property
    def api(self) -> APIRequestContext:
        """HTTP calls outside the browser: no cookies, not in the trace."""
        ...

    @property
    def target(self) -> Target:
        """The portal: its URL, credentials, saved sign-in."""
        ...

    @property
    def params(self) -> Mapping[str, Any]:
        """The runbook's parameters."""
        ...

    @property
    def started_at(self) -> datetime:
        """When the run started (UTC); the same value when it is resumed."""
        ...

    @property
    def facts(self) -> Mapping[str, Any]:
        """Non-secret facts learned so far (kept in the journal, kept on resume)."""
        ...

    def remember(self, key: str, value: Any) -> None:
        """Record a non-secret fact."""
        ...

    def secret(
        self,
        value: str,
        label: str,
        *,
        element: Locator | Sequence[Locator] | None = None,
        deliver: bool = True,
    ) -> Secret:
        """Wrap a value read from the portal; from now on it is masked everywhere.

        Args:
            value: The value as read.
            label: What it is ("Cloud token").
            element: What shows it on screen: painted over in every capture
                until the step that takes it off screen ends.
            deliver: It must reach the sink before its window closes (the
                engine refuses to close it otherwise, and delivers it even if
                the step fails). False for a secret the run only uses itself.
        """
        ...

    def on_screen(self) -> Secret | None:
        """The secret the portal is showing now (the latest one), if any."""
        ...

    def deliver(self, secret: Secret) -> None:
        """Deliver `secret` to the run's sink (before its window closes)."""
        ...

    @property
    def destination(self) -> str | None:
        """Where a delivered secret goes, in words (None without a sink)."""
        ...

    def delivered_to(self) -> str | None:
        """Where this run (or the run it resumes) delivered its secret; None if not yet."""
        ...

    def off_the_record(self) -> AbstractContextManager[None]:
        """Pause tracing while something secret is typed or fetched."""
        ...

    def ask_secret(self, question: str, label: str, *, hint: str) -> Secret:
        """Ask the person at the terminal for a secret (a one-time code).

        Raises:
            ConfigError: nobody is at a terminal; `hint` says what to set instead.
        """
        ...

    def hand_off(self, message: str, *, otherwise: str) -> None:
        """Let the person act in the browser (attended runs); else fail with `otherwise`."""
        ...

    def note(self, text: str) -> None:
        """A remark about the current step, shown beside it and kept in the journal."""
        ...

    def warn(self, text: str) -> None:
        """A warning for the person running it (printed, and kept in the journal)."""
        ...

    def destroyed(self, what: str) -> None:
        """Say, for the audit log, that the current step destroyed `what` on its own."""
        ...

    def at_end(self, action: Callable[[], None]) -> None:
        """Do `action` in the browser when the run ends, however it ends (sign out)."""
        ...
