"""Finding a control by the guide's words first, then by fallbacks, and saying which way won.

The guide's words are the only contract with a portal we cannot see (design.md, "the locator
policy"): a :class:`Control` is one thing a person looks for, named in those words, with the
ways it may be found in order of preference. :meth:`Control.find` waits for any of them, takes
the first way that matches, records it for the engine (:func:`take_strategies`) and fails in
words: :class:`ControlNotFound` lists every way tried, :class:`ControlAmbiguous` says how many
controls matched and which.
"""

from __future__ import annotations

import contextlib
import functools
import re
import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple, TypeAlias

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

__all__ = [
    "Control",
    "ControlAmbiguous",
    "ControlNotFound",
    "Found",
    "PageError",
    "Strategy",
    "UnreadableValue",
    "by_label",
    "by_placeholder",
    "by_role",
    "by_text",
    "SAYS_SOMETHING",
    "data_rows",
    "expect_gone",
    "message_rows",
    "note_strategy",
    "read_value",
    "section",
    "take_found",
    "take_strategies",
]

Strategy: TypeAlias = "tuple[str, Locator]"
"""One way of finding a control: how, in words (`button "Revoke Token"`), and the locator."""

# A matched control in words: its role and visible name (never a field's value: a secret).
_DESCRIBE = """el => {
  const name = el.getAttribute('aria-label') || (el.innerText || '').trim();
  const role = el.getAttribute('role') || el.tagName.toLowerCase();
  return role + (name ? ' "' + name.replace(/\\s+/g, ' ').slice(0, 40) + '"' : '');
}"""


class PageError(AssertionError):
    """Base of what page objects raise: a screen is not as the guide describes it.

    An AssertionError, so that code catching Playwright's failed expectations catches these
    too; the engine turns any of them into a failed step with this message.
    """


class ControlNotFound(PageError):
    """No way of finding a control matched in time.

    Args:
        what: The control in the guide's words ("the bin icon").
        tried: Every way it was looked for, in order.
    """

    def __init__(self, what: str, tried: str | Sequence[str]) -> None:
        self.what = what
        # One string: a single way (what the former ControlNotFound(what, locator) took).
        self.tried = [tried] if isinstance(tried, str) else list(tried)
        super().__init__(f"{what} did not appear (tried: {'; '.join(self.tried)})")

    @property
    def locator(self) -> str:
        """Every way tried, as one line (what `ControlNotFound.locator` said before)."""
        return "; ".join(self.tried)


class ControlAmbiguous(PageError):
    """More than one control matched the way that found one: never guess which.

    Args:
        what: The control in the guide's words.
        count: How many matched.
        matches: A short description of each (role and visible name).
        how: The way that matched them.
    """

    def __init__(self, what: str, count: int, matches: Sequence[str], how: str) -> None:
        self.what, self.count, self.matches, self.how = what, count, list(matches), how
        shown = ", ".join(self.matches[:5]) + (", ..." if count > 5 else "")
        super().__init__(f"{count} controls match {what} (found by {how}): {shown}")


class UnreadableValue(PageError, ValueError):
    """A control was found but what it shows could not be read (a date in no known format).

    A ValueError too: callers that parse may still catch it as one.
    """

    def __init__(self, what: str, shown: str, expected: str) -> None:
        self.what = what
        super().__init__(f"could not read {what}: {shown!r} is not {expected}")


class Found(NamedTuple):
    """How a control was found: the way, in words, and its rank among the control's ways.

    Rank 0 is the first way (the guide's words where it names the control); a higher rank is
    a fallback. A nightly check compares ranks with the reviewed baseline's: a control found
    by a later way than before is the early warning of drift.
    """

    how: str
    rank: int = 0


# The way that found each control, per browser page, until the engine takes them.
_FOUND: weakref.WeakKeyDictionary[Page, dict[str, Found]] = weakref.WeakKeyDictionary()


SAYS_SOMETHING = re.compile(r"\S")
"""For `has_text`: an element whose text is more than blanks (an empty alert says nothing)."""


def note_strategy(page: Page, what: str, how: str, rank: int = 0) -> None:
    """Record how `what` was found, for what is not a :class:`Control` (a column, a date).

    Args:
        page: The page it is on.
        what: The thing in the guide's words.
        how: The way that found it, in words.
        rank: 0 for the preferred way, higher for a fallback (see :class:`Found`).
    """
    _record(page, what, how, rank)


def _record(page: Page, what: str, how: str, rank: int) -> None:
    with contextlib.suppress(TypeError):  # not weak-referenceable: nothing to record
        _FOUND.setdefault(page, {})[what] = Found(how, rank)


def take_strategies(page: Page) -> dict[str, str]:
    """The way each control was found since the last call ({control: strategy}), cleared.

    The engine calls this after every step and keeps it in the journal, so that a later
    check can say "found, but no longer the first way" before a portal change breaks a run.
    """
    return {what: found.how for what, found in take_found(page).items()}


def take_found(page: Page) -> dict[str, Found]:
    """Like :func:`take_strategies`, with each way's rank: {control: Found}, cleared."""
    return _FOUND.pop(page, {})


def _union(locators: Sequence[Locator]) -> Locator:
    return functools.reduce(lambda a, b: a.or_(b), locators).filter(visible=True)


class Control:
    """One control a person looks for, in the guide's words, and the ways to find it.

    Args:
        what: Its name in the guide's words, used in every wait and error ("the bin icon").
        strategies: Ways of finding it, preferred first: the guide's words (role and name,
            then label, then visible text), then fallbacks for what the guide leaves open.
    """

    def __init__(self, what: str, *strategies: Strategy) -> None:
        if not strategies:
            raise ValueError("a control needs at least one way to find it")
        self.what = what
        self.strategies = strategies

    @property
    def page(self) -> Page:
        """The browser page the control is on."""
        return self.strategies[0][1].page

    @property
    def tried(self) -> list[str]:
        """Every way, in words, in order."""
        return [how for how, _ in self.strategies]

    @property
    def any(self) -> Locator:
        """The first visible element any way finds: for `or_`, `expect` and `is_visible`."""
        return _union([loc for _, loc in self.strategies]).first

    def find(self, timeout: float | None = None) -> Locator:
        """Wait until a way finds the control; return it, recording the way that won.

        Raises:
            ControlNotFound: no way found it in time.
            ControlAmbiguous: the first way that finds anything finds several.
        """
        from playwright.sync_api import expect

        try:
            expect(self.any).to_be_visible(timeout=timeout)
        except AssertionError:
            raise ControlNotFound(self.what, self.tried) from None
        found = self.now()
        if found is None:  # it went again between the wait and the look: wait once more
            return self.find(timeout)
        return found

    def now(self) -> Locator | None:
        """The control if a way finds it right now (no waiting), else None.

        Raises:
            ControlAmbiguous: the first way that finds anything finds several.
        """
        for rank, (how, locator) in enumerate(self.strategies):
            visible = locator.filter(visible=True)
            count = visible.count()
            if count == 0:
                continue
            if count > 1:
                matches = [m.evaluate(_DESCRIBE) for m in visible.all()[:5]]
                raise ControlAmbiguous(self.what, count, matches, how)
            _record(self.page, self.what, how, rank)
            return visible.first
        return None

    def is_shown(self) -> bool:
        """Whether a way finds it right now."""
        return self.now() is not None


def _name(name: str | re.Pattern[str]) -> str:
    return f'"{name}"' if isinstance(name, str) else f"/{name.pattern}/"


def by_role(
    scope: Page | Locator,
    role: str,
    name: str | re.Pattern[str] | None = None,
    *,
    exact: bool = True,
    level: int | None = None,
) -> Strategy:
    """The accessible role and name (the first choice for anything the guide names)."""
    how = role + (f" {_name(name)}" if name is not None else "")
    if level is not None:
        locator = scope.get_by_role(role, name=name, exact=exact, level=level)  # type: ignore[arg-type]
        return (f"{how} (level {level})", locator)
    return (how, scope.get_by_role(role, name=name, exact=exact))  # type: ignore[arg-type]


def by_label(
    scope: Page | Locator, label: str | re.Pattern[str], *, exact: bool = True
) -> Strategy:
    """A form field by its label."""
    return (f"field labelled {_name(label)}", scope.get_by_label(label, exact=exact))


def by_placeholder(
    scope: Page | Locator, text: str | re.Pattern[str], *, exact: bool = True
) -> Strategy:
    """A form field by its placeholder."""
    return (f"field with placeholder {_name(text)}", scope.get_by_placeholder(text, exact=exact))


def by_text(scope: Page | Locator, text: str | re.Pattern[str], *, exact: bool = True) -> Strategy:
    """The element showing this text."""
    return (f"text {_name(text)}", scope.get_by_text(text, exact=exact))


# The nearest element around a title that holds what the section is for.
_AROUND = "xpath=ancestor::*[{}][1]"


def section(
    scope: Page | Locator, title: str, holds: str = ".//table or .//*[@role='table']"
) -> tuple[Strategy, ...]:
    """Ways to find a section the guide names by its title.

    A landmark region named by the title; else the nearest element around a heading with the
    title that `holds` (an XPath condition: a table, by default); else the same around any
    element showing exactly the title (a card title is often no heading).
    """
    around = _AROUND.format(holds)
    heading = scope.get_by_role("heading", name=title, exact=True)
    text = scope.get_by_text(title, exact=True)
    return (
        (f'region "{title}"', scope.get_by_role("region", name=title, exact=True)),
        (f'the part around the heading "{title}"', heading.locator(around)),
        (f'the part around the title "{title}"', text.locator(around)),
    )


def expect_gone(locator: Locator, what: str) -> None:
    """Wait until `locator` is hidden; a PageError naming `what` otherwise."""
    from playwright.sync_api import expect

    try:
        expect(locator).to_be_hidden()
    except AssertionError:
        raise PageError(f"{what} did not close") from None


# A table's rows that hold data: not header rows, and with more than one cell (a row whose one
# cell spans the table is a message: "No data available", "Loading items...").
_SECOND_CELL = "xpath=./*[2]"
_ONE_CELL = "xpath=self::*[count(./*) = 1]"
_LOADING = re.compile(r"loading", re.IGNORECASE)


def data_rows(table: Locator) -> Locator:
    """The rows of `table` that show data (works for <table>, ARIA tables and grids)."""
    page = table.page
    return (
        table.get_by_role("row")
        .filter(has_not=page.get_by_role("columnheader"))
        .filter(has=page.locator(_SECOND_CELL))
    )


def message_rows(table: Locator) -> Locator:
    """Rows that say the table is empty: one cell with text, and not a loading message."""
    page = table.page
    return (
        table.get_by_role("row")
        .filter(has_not=page.get_by_role("columnheader"))
        .filter(has=page.locator("xpath=./*"))
        .filter(has_not=page.locator(_SECOND_CELL))
        .filter(has_text=SAYS_SOMETHING)
        .filter(has_not_text=_LOADING)
        .filter(has_not=page.get_by_role("progressbar"))
    )


def read_value(locator: Locator) -> str:
    """What a shown-once value's element shows: a field's value, else its text.

    Text content, not inner text: a style's text-transform or line wrapping must not change
    a secret.
    """
    tag = str(locator.evaluate("el => el.tagName")).lower()
    if tag in ("input", "textarea"):
        return locator.input_value().strip()
    return "".join((locator.text_content() or "").split())
