"""The one owner of a secret the portal shows, until it is delivered and off screen.

From `ctx.secret(...)` on, this object masks the element that shows it in
every capture, keeps tracing paused while a step that reveals it runs and
until the step that conceals it ends, refuses to let that step end with the
secret undelivered, and delivers it anyway when a step fails after the portal
showed it (salvage). Nothing else keeps a list of pending secrets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from runbooks._errors import DeliveryError, RunbookError
from runbooks._model import Step
from runbooks._observers import Observer
from runbooks._secrets import Redactor, Secret
from runbooks._sinks import Sink

if TYPE_CHECKING:
    from playwright.sync_api import Locator

__all__ = ["ShownSecrets", "Tracing"]


class Tracing(Protocol):
    """What can be paused while a secret is on screen (the recorder)."""

    def pause(self) -> None: ...

    def resume(self) -> None: ...


@dataclass
class _Shown:
    secret: Secret
    elements: tuple[Locator, ...]
    deliver: bool
    step: str | None
    delivered: bool = False


class ShownSecrets:
    """Every secret of one run that the portal showed.

    Args:
        redactor: Masks each secret's value in all text from the moment it is known.
        sink: Where secrets go (None: a run that creates none).
        tracing: Paused while a secret is on screen.
        observers: Told when a secret is shown and when it is delivered.
    """

    def __init__(
        self,
        redactor: Redactor,
        sink: Sink | None,
        tracing: Tracing,
        observers: Observer,
    ) -> None:
        self._redactor = redactor
        self._sink = sink
        self._tracing = tracing
        self._observers = observers
        #: Says something to the person (a secret delivered after its step failed).
        self.warn: Callable[[str], None] = lambda text: None
        self._shown: list[_Shown] = []
        self._step: Step | None = None

    @property
    def destination(self) -> str | None:
        """The sink, in words."""
        return self._sink.describe() if self._sink else None

    @property
    def masks(self) -> list[Locator]:
        """What to paint over in a capture: every element showing a secret now."""
        return [element for shown in self._shown for element in shown.elements]

    def show(self, value: str, label: str, elements: Sequence[Locator], *, deliver: bool) -> Secret:
        """Take charge of a secret the portal showed (or the run was given)."""
        secret = Secret(value, label)
        self._redactor.register(secret)
        if not deliver and not elements:
            return secret  # used by the run itself and never on screen: only masked in text
        step = self._step.number if self._step else None
        self._shown.append(_Shown(secret, tuple(elements), deliver, step))
        if deliver:
            self._observers.secret_shown(step, label)
        return secret

    def on_screen(self) -> Secret | None:
        """The latest secret shown."""
        return self._shown[-1].secret if self._shown else None

    def deliver(self, secret: Secret) -> None:
        """Deliver `secret` to the sink."""
        if self._sink is None:
            raise DeliveryError(f"no sink for the {secret.label}; use --secret-to")
        self._sink.deliver(secret)
        where = self._sink.describe()
        shown = next((s for s in self._shown if s.secret is secret), None)
        if shown is not None:
            shown.delivered = True
        self._observers.secret_delivered(shown.step if shown else None, secret.label, where)

    def _undelivered(self) -> list[_Shown]:
        return [s for s in self._shown if s.deliver and not s.delivered]

    def step_started(self, step: Step) -> None:
        """Pause tracing from the start of a step that reveals a secret."""
        self._step = step
        if step.reveals:
            self._tracing.pause()

    def check_done(self, step: Step) -> None:
        """A step that takes a secret off screen must have delivered it.

        Raises:
            DeliveryError: it did not (a runbook bug: the secret would be lost).
        """
        if step.conceals and self._undelivered():
            raise DeliveryError(f"step {step.number} closed a secret before delivering it")

    def step_ended(self, step: Step) -> None:
        """After a step that concealed the secret: off screen, tracing again."""
        if step.conceals:
            self._shown.clear()
            self._tracing.resume()

    def salvage(self, step: Step, error: RunbookError) -> None:
        """Deliver what the failed step left shown, so that nothing is lost.

        Unless delivery itself is what failed (the runbook may have rolled back
        what the secret opens).

        Raises:
            DeliveryError: the salvage failed too; the secret is lost.
        """
        if isinstance(error, DeliveryError):
            return
        for shown in self._undelivered():
            secret = shown.secret
            try:
                self.deliver(secret)
            except RunbookError as exc:
                raise DeliveryError(
                    f"{error}; and the new {secret.label} could not be delivered ({exc}): "
                    "it is lost, and the resumed run will replace it"
                ) from None
            self.warn(
                f"step {step.number} failed after the new {secret.label} was shown; "
                f"it was delivered to {self.destination} all the same"
            )
