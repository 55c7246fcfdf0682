"""Aria snapshots made safe to write and stable to compare (issue #11 part 3).

Playwright's aria snapshots (`locator.aria_snapshot()`) record what inputs
hold (``- textbox "Password": hunter2``), so every snapshot goes through
`normalise` before it is written or compared: registered secrets, every
input's value and volatile values (dates, times, ids, tokens, counts) become
stable placeholders (`<secret>`, `<value>`, `<date>`, `<uuid>`, `<jwt>` …).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable

__all__ = ["SecretLeft", "normalise"]

# An input's line: what it holds follows the colon (``- textbox "Email": a@b.c``), or,
# when it has a placeholder, comes as a ``- text:`` child line below it.
_INPUT = re.compile(
    r"^(?P<indent>\s*)- (?:textbox|searchbox|combobox|spinbutton|slider)"
    r'(?: "(?:[^"\\]|\\.)*")?(?: \[[^\]]*\])*:(?P<value> .*)?$'
)
_CHILD_TEXT = re.compile(r"^(?P<head>\s*- text:) .*$")
_URL_QUERY = re.compile(r"^(?P<head>\s*- /url: [^?#\s]*)[?#].*$", re.MULTILINE)

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|Jun(?:e)?|Jul(?:y)?|"
    r"Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+)?"
_TIME = (
    r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[AaPp]\.?[Mm]\.?)?(?:\s?(?:UTC|GMT|Z|[A-Z]{3,4})\b)?"
)

# Order matters: the most specific shapes first, so that a JWT is not taken for base64.
_VOLATILE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*"), "<jwt>"),
    (re.compile(r"\bcldk_[\w-]+"), "<cldk-token>"),
    (re.compile(r"\b[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\b"), "<uuid>"),
    (
        re.compile(
            r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
        ),
        "<datetime>",
    ),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "<date>"),
    (re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"), "<date>"),
    (re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"), "<date>"),
    (re.compile(rf"\b{_WEEKDAY}\d{{1,2}}\s+{_MONTH}\s+\d{{4}}\b"), "<date>"),
    (re.compile(rf"\b{_TIME}"), "<time>"),
    (re.compile(r"(?<![\w-])[0-9a-fA-F]{16,}(?![\w-])"), "<hex>"),
    (re.compile(r"(?<![\w+-])(?=[\w+-]*\d)(?=[\w+-]*[A-Za-z])[\w+-]{32,}={0,2}"), "<base64>"),
    (re.compile(r"\b\d+\s+(?:second|minute|hour|day|week|month|year)s?\s+ago\b"), "<ago>"),
    (re.compile(r"(?<![\w.:/<-])\d[\d,]*(?=\s+[A-Za-z])"), "<n>"),
    (re.compile(r"\bof\s+\d[\d,]*\b"), "of <n>"),
    (re.compile(r"\(\d[\d,]*\)"), "(<n>)"),
]


class SecretLeft(RuntimeError):
    """A registered secret survived normalisation; nothing was written."""


def _escaped_forms(value: str) -> set[str]:
    """`value` as it may appear in a snapshot: raw, and YAML/JSON double-quote escaped."""
    quoted = json.dumps(value)[1:-1]
    return {value, quoted, quoted.replace("\\/", "/")}


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _replace_input_values(text: str) -> str:
    """Put `<value>` where an aria snapshot shows what an input holds."""
    lines = text.splitlines()
    parent: int | None = None  # the indent of an input whose child lines are being read
    for i, line in enumerate(lines):
        if parent is not None and line.strip() and _indent(line) <= parent:
            parent = None
        if parent is not None:
            lines[i] = _CHILD_TEXT.sub(r"\g<head> <value>", line)
            continue
        found = _INPUT.match(line)
        if found is None:
            continue
        if found["value"]:
            lines[i] = line[: found.start("value")] + " <value>"
        else:
            parent = len(found["indent"])
    return "\n".join(lines)


_ROW = re.compile(r"^(?P<indent>\s*)- row\b")


def _collapse_rows(text: str) -> str:
    """Keep the first row of each run of sibling rows: their number is data, not structure."""
    kept: list[str] = []
    skipping: int | None = None  # the indent of a dropped row whose children are dropped too
    previous_row: int | None = None  # the indent of the last kept or dropped sibling row
    for line in text.splitlines():
        indent = _indent(line)
        if skipping is not None and indent > skipping:
            continue
        skipping = None
        row = _ROW.match(line)
        if row and previous_row == indent:
            skipping = indent
            continue
        if row:
            previous_row = indent
        elif previous_row is not None and indent <= previous_row:
            previous_row = None
        kept.append(line)
    return "\n".join(kept)


def normalise(
    snapshot: str,
    secrets: Iterable[str] = (),
    *,
    scrub: Callable[[str], str] | None = None,
    collapse_rows: bool = False,
) -> str:
    """Replace secrets, input values and volatile values in an aria snapshot.

    Args:
        snapshot: What `locator.aria_snapshot()` returned.
        secrets: Every registered secret value of the run (passwords, tokens).
        scrub: The run's redactor (`Redactor.scrub`), applied first, for the
            secrets the caller holds only there.
        collapse_rows: Keep only the first of each run of sibling table rows
            (for tables whose rows are the user's data, which grow and shrink).

    Returns:
        The snapshot with `<secret>`, `<value>`, `<jwt>`, `<uuid>`, `<date>` …
        in place of what must never be written or would change from run to run.

    Raises:
        SecretLeft: a secret is still in the result (it was split or re-encoded).
    """
    values = sorted({s for s in secrets if s}, key=len, reverse=True)
    text = scrub(snapshot) if scrub is not None else snapshot
    for value in values:
        for form in sorted(_escaped_forms(value), key=len, reverse=True):
            text = text.replace(form, "<secret>")
    text = _replace_input_values(text)
    if collapse_rows:
        text = _collapse_rows(text)
    # Query strings carry sign-in state, nonces and loopback ports.
    text = _URL_QUERY.sub(r"\g<head>?<query>", text)
    for pattern, placeholder in _VOLATILE:
        text = pattern.sub(placeholder, text)
    if any(value in text for value in values):
        raise SecretLeft("a registered secret is still in the aria snapshot; not writing it")
    return text.rstrip("\n") + "\n"
