"""Structure baselines: a documented step's aria snapshot, scrubbed, kept as a file.

A nightly check (issue #11) takes a Playwright aria snapshot
(`locator.aria_snapshot()`) of the region each documented step acts in and
compares it with the one a person reviewed and committed. Aria snapshots
record what inputs hold (``- textbox "Password": hunter2``), so every snapshot
goes through `normalise` before it is written or compared: registered secrets,
every input's value and volatile values (dates, ids, tokens, counts) become
stable placeholders.

Layout, one readable file per runbook and step::

    <root>/<runbook>/step-<n>.aria        the approved baseline (commit it)
    <root>/<runbook>/step-<n>.aria.new    a candidate, written by `update`

Nothing is overwritten silently: `update` only writes candidates, and
`approve` promotes them.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "BaselineStore",
    "Comparison",
    "SecretLeft",
    "normalise",
]

#: Marks a header line, which is ignored when comparing (aria snapshot lines start with "-").
_HEADER = "# "

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


def _body(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith(_HEADER)]


@dataclass(frozen=True)
class Comparison:
    """How a step's snapshot compares with its baseline.

    Attributes:
        status: ``match``, ``changed`` or ``missing`` (no baseline yet).
        baseline: The baseline's path (it may not exist).
        diff: A unified diff, baseline → found (empty unless changed).
        candidate: Where `update` wrote the candidate, if it did.
    """

    status: Literal["match", "changed", "missing"]
    baseline: Path
    diff: str = ""
    candidate: Path | None = None

    def summary(self) -> str:
        """One line: what changed, in words."""
        name = self.baseline.name
        if self.status == "match":
            return f"{name}: unchanged"
        if self.status == "missing":
            return f"{name}: no baseline yet" + (
                f"; candidate {self.candidate.name}" if self.candidate else ""
            )
        lines = self.diff.splitlines()
        added = sum(1 for x in lines if x.startswith("+") and not x.startswith("+++"))
        removed = sum(1 for x in lines if x.startswith("-") and not x.startswith("---"))
        where = f"; candidate {self.candidate.name}" if self.candidate else ""
        return f"{name}: structure changed, {added} line(s) added, {removed} removed{where}"


def _write(path: Path, text: str) -> None:
    """Write `text` atomically (a reader never sees half a baseline)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


class BaselineStore:
    """The folder of reviewed structure baselines (default: ``checks/`` beside `.env`).

    Args:
        root: The folder; created when the first file is written.
        secrets: Every registered secret value; scrubbed from every snapshot.
        scrub: The run's redactor, applied before anything else (see `normalise`).
        collapse_rows: See `normalise`.
    """

    SUFFIX = ".aria"
    CANDIDATE = ".aria.new"
    #: The folder's name beside the user's `.env` when they choose none.
    DEFAULT = "checks"

    def __init__(
        self,
        root: Path,
        secrets: Iterable[str] = (),
        *,
        scrub: Callable[[str], str] | None = None,
        collapse_rows: bool = False,
    ) -> None:
        self.root = root
        self.secrets = [s for s in secrets if s]
        self.scrub = scrub
        self.collapse_rows = collapse_rows

    @classmethod
    def beside(cls, env_file: Path, **options: Any) -> BaselineStore:
        """The default store: ``checks/`` in the folder of the user's `.env`."""
        return cls(env_file.resolve().parent / cls.DEFAULT, **options)

    def _normalise(self, snapshot: str) -> str:
        return normalise(snapshot, self.secrets, scrub=self.scrub, collapse_rows=self.collapse_rows)

    def path(self, runbook: str, step: str) -> Path:
        """The baseline file of `runbook`'s step `step`."""
        return self.root / runbook / f"step-{step}{self.SUFFIX}"

    def _render(self, runbook: str, step: str, text: str, snapshot: str) -> str:
        body = self._normalise(snapshot)
        header = f"{_HEADER}{runbook} step {step}: {' '.join(text.split())}\n" if text else ""
        return header + body

    def compare(self, runbook: str, step: str, snapshot: str) -> Comparison:
        """Compare `snapshot` (raw; it is normalised here) with the step's baseline."""
        path = self.path(runbook, step)
        found = _body(self._normalise(snapshot))
        if not path.exists():
            return Comparison("missing", path)
        expected = _body(path.read_text(encoding="utf-8"))
        if expected == found:
            return Comparison("match", path)
        diff = difflib.unified_diff(
            expected, found, f"{path.name} (baseline)", f"{path.name} (found)", lineterm=""
        )
        return Comparison("changed", path, "\n".join(diff) + "\n")

    def update(self, runbook: str, step: str, snapshot: str, *, text: str = "") -> Comparison:
        """Compare, and write a candidate beside the baseline when it differs or is missing.

        A stale candidate is removed when the snapshot matches again. The baseline
        itself is never touched: `approve` promotes candidates.

        Args:
            runbook: The runbook's name.
            step: The guide's step number.
            snapshot: The raw aria snapshot.
            text: The guide's wording, written as the file's header line.
        """
        result = self.compare(runbook, step, snapshot)
        candidate = result.baseline.with_name(result.baseline.name[: -len(self.SUFFIX)])
        candidate = candidate.with_name(candidate.name + self.CANDIDATE)
        if result.status == "match":
            candidate.unlink(missing_ok=True)
            return result
        _write(candidate, self._render(runbook, step, text, snapshot))
        return Comparison(result.status, result.baseline, result.diff, candidate)

    def candidates(self) -> list[Path]:
        """Every candidate waiting for approval, sorted."""
        if not self.root.exists():
            return []
        return sorted(self.root.glob(f"*/*{self.CANDIDATE}"))

    def approve(self, selectors: Sequence[str] | None = None) -> list[Path]:
        """Promote candidates to baselines; return the baselines written.

        Args:
            selectors: ``runbook`` or ``runbook:step`` items; None approves all.
        """
        approved = []
        for candidate in self.candidates():
            runbook = candidate.parent.name
            step = candidate.name[len("step-") : -len(self.CANDIDATE)]
            if selectors is not None and not {runbook, f"{runbook}:{step}"} & set(selectors):
                continue
            baseline = self.path(runbook, step)
            os.replace(candidate, baseline)
            approved.append(baseline)
        return approved
