"""The engine's `StepContext`: what a step's action gets during a run."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from runbooks._errors import ConfigError, PortalError, RunbookError
from runbooks._journal import Journal
from runbooks._observers import Observer
from runbooks._recording import Recorder
from runbooks._replies import ServerErrors
from runbooks._secrets import Secret
from runbooks._shown import ShownSecrets
from runbooks._targets import Target

if TYPE_CHECKING:
    from playwright.sync_api import APIRequestContext, Locator, Page

__all__ = ["RunContext"]


class RunContext:
    """What a step's action gets: the page, the target, the parameters, and services.

    Args:
        page: The browser page.
        api: HTTP calls outside the browser.
        target: The portal.
        params: The runbook's parameters.
        journal: Keeps facts and warnings (and when the run started).
        shown: Owns the secrets the portal shows.
        recorder: Paused by `off_the_record`.
        observers: Told what a step destroyed on its own.
        hand_off: Lets the person act in the browser; False when nobody is there.
        ask: Asks the person at the terminal (hidden input); None when nobody is there.
    """

    def __init__(
        self,
        *,
        page: Page,
        api: APIRequestContext,
        target: Target,
        params: Mapping[str, Any],
        journal: Journal,
        shown: ShownSecrets,
        recorder: Recorder,
        observers: Observer,
        hand_off: Callable[[str], bool],
        ask: Callable[[str], str] | None,
    ) -> None:
        self._page, self._api, self._target = page, api, target
        self._params = MappingProxyType(dict(params))
        self._journal = journal
        self._shown = shown
        self._recorder = recorder
        self._hand_off = hand_off
        self._ask = ask
        self._observers = observers
        self._step: str | None = None
        #: The portal's 5xx replies during the current step (the loop reports them).
        self.server_errors = ServerErrors(target.url)
        self.server_errors.watch(page)
        self._at_end: list[Callable[[], None]] = []
        self.notes: list[str] = []
        self.warnings: list[str] = []

    @property
    def page(self) -> Page:
        return self._page

    @property
    def api(self) -> APIRequestContext:
        return self._api

    @property
    def target(self) -> Target:
        return self._target

    @property
    def params(self) -> Mapping[str, Any]:
        return self._params

    @property
    def started_at(self) -> datetime:
        return self._journal.started_at

    @property
    def facts(self) -> Mapping[str, Any]:
        return MappingProxyType(self._journal.data["facts"])

    def remember(self, key: str, value: Any) -> None:
        self._journal.set_fact(key, value)

    def secret(
        self,
        value: str,
        label: str,
        *,
        element: Locator | Sequence[Locator] | None = None,
        deliver: bool = True,
    ) -> Secret:
        from playwright.sync_api import Locator

        if element is None:
            elements: Sequence[Locator] = ()
        elif isinstance(element, Locator):
            elements = (element,)
        else:
            elements = tuple(element)
        return self._shown.show(value, label, elements, deliver=deliver)

    def on_screen(self) -> Secret | None:
        return self._shown.on_screen()

    def deliver(self, secret: Secret) -> None:
        self._shown.deliver(secret)

    @property
    def destination(self) -> str | None:
        return self._shown.destination

    def delivered_to(self) -> str | None:
        return self._journal.data.get("delivered_to")

    @contextmanager
    def off_the_record(self) -> Iterator[None]:
        with self._recorder.paused():
            yield

    def ask_secret(self, question: str, label: str, *, hint: str) -> Secret:
        if self._ask is None:
            raise ConfigError(hint)
        return self.secret(self._ask(question), label, deliver=False)

    def hand_off(self, message: str, *, otherwise: str) -> None:
        if not self._hand_off(message):
            raise PortalError(otherwise)

    def note(self, text: str) -> None:
        self.notes.append(text)

    def warn(self, text: str) -> None:
        self.warnings.append(text)
        self._journal.data.setdefault("warnings", []).append(text)
        self._journal.save()

    def destroyed(self, what: str) -> None:
        self._observers.destroyed(self._step, what)

    def at_end(self, action: Callable[[], None]) -> None:
        self._at_end.append(action)

    def end(self) -> None:
        """Do what the steps asked for at the end (latest first); a failure there is said."""
        from playwright.sync_api import Error as PlaywrightError

        while self._at_end:
            action = self._at_end.pop()
            try:
                action()
            except (PlaywrightError, AssertionError, RunbookError):
                self.warn("could not sign out at the end of the run; sign out in the portal")

    def begin_step(self, number: str) -> None:
        """A new step: forget the previous one's notes."""
        self._step = number
        self.notes.clear()
        self.server_errors.clear()
