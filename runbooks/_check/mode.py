"""The check mode: perform what only looks, rehearse from the first change on.

Up to the first step that would change the portal (the brink), every step is
performed: they sign in, navigate and read. From the brink on, a step with a
rehearsal is rehearsed (its dialog opened, its confirmation gate proven, its
labels checked, cancelled) and every other step is left out: it would need
what a check never makes (a revoked token, a new secret on screen).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from runbooks._errors import DeliveryError
from runbooks._model import Runbook, Step
from runbooks._modes import Decision, Turn
from runbooks._secrets import Secret
from runbooks._sinks import Sink

__all__ = ["AFTER_BRINK", "CheckMode", "NoSink"]

AFTER_BRINK = "not performed by a check: it follows a change a check never makes"


class NoSink(Sink):
    """The only sink a check has: it refuses every secret (none may be made)."""

    def check(self) -> None:
        return None

    def deliver(self, secret: Secret) -> None:
        raise DeliveryError(f"a check delivers nothing, and the portal showed a {secret.label}")

    def describe(self) -> str:
        return "nowhere (a check delivers nothing)"


class CheckMode:
    """Decides each step of a nightly check.

    Args:
        before_step: Called with each step about to be performed or rehearsed
            and its context, before it acts (the structure baseline's snapshot).
    """

    attended = False

    def __init__(self, before_step: Callable[[Step, Turn], None] | None = None) -> None:
        self.before_step = before_step
        self.brink: str | None = None

    def plan(self, runbook: Runbook, params: Mapping[str, Any]) -> tuple[Step, ...]:
        # The guide's order: a check follows the documentation as written.
        return runbook.steps

    def hand_off(self, message: str) -> bool:
        return False  # nobody watches a nightly check

    def decide(self, step: Step, turn: Turn) -> Decision:
        if self.brink is None and step.changes_portal:
            self.brink = step.number
        if self.brink is not None:
            if step.rehearse is None:
                return Decision.skip(AFTER_BRINK)
            decision = Decision.rehearse()
        else:
            decision = Decision.perform()
        if self.before_step is not None:
            self.before_step(step, turn)
        return decision
