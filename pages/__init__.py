"""Page objects: one class per documented screen or dialog, by vendor.

Controls are found by the vendors' documented words first and by fallbacks for everything
the guides leave open (`pages._find`); methods are what a person does on the screen. Page
objects never print, read the environment or decide whether a run succeeded.

The engine calls :func:`take_strategies` after each step to keep, in the run's journal, the
way each control was found; everything page objects raise is a :class:`PageError`.

Importing them does not import Playwright (the CLI's `list`, `show` and `--dry-run` never start
a browser): its types are imported under `TYPE_CHECKING`, and `expect` inside the methods that
wait.
"""

from pages._find import (
    ControlAmbiguous,
    ControlNotFound,
    Found,
    PageError,
    UnreadableValue,
    take_found,
    take_strategies,
)
from pages._waits import expect_state

__all__ = [
    "ControlAmbiguous",
    "ControlNotFound",
    "Found",
    "PageError",
    "UnreadableValue",
    "expect_state",
    "take_found",
    "take_strategies",
]
