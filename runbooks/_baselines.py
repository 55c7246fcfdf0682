"""Structure baselines: a documented step's aria snapshot, scrubbed, kept as a file.

A nightly check (issue #11) takes a Playwright aria snapshot
(`locator.aria_snapshot()`) of the region each documented step acts in and
compares it with the one a person reviewed and committed. Every snapshot goes
through `runbooks._aria.normalise` before it is written or compared, so no
secret, typed value or volatile value reaches a file.

Layout, one readable file per runbook and step::

    <root>/<runbook>/step-<n>.aria        the approved baseline (commit it)
    <root>/<runbook>/step-<n>.aria.new    a candidate, written by `update`

A baseline's header lines (``# ``) are not compared: the first names the step, and
``# ways: {...}`` keeps how each control of the step was found and that way's rank
(`pages.Found`), so that a check can warn when a control is found only by a later way
than the reviewed one ("found, but no longer the first way").

Nothing is overwritten silently: `update` only writes candidates, and
`approve` promotes them.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pages import Found
from runbooks._aria import normalise

__all__ = ["BaselineStore", "Comparison"]

#: Marks a header line, which is ignored when comparing (aria snapshot lines start with "-").
_HEADER = "# "
#: The header line that keeps the ways the step's controls were found.
_WAYS = "# ways: "


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
            if self.candidate is not None:
                return (
                    f"{name}: unchanged, but its controls were found other ways; "
                    f"candidate {self.candidate.name}"
                )
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

    def _render(
        self, runbook: str, step: str, text: str, snapshot: str, ways: dict[str, Found]
    ) -> str:
        body = self._normalise(snapshot)
        header = f"{_HEADER}{runbook} step {step}: {' '.join(text.split())}\n" if text else ""
        if ways:
            line = _WAYS + json.dumps({w: [f.rank, f.how] for w, f in sorted(ways.items())})
            header += (self.scrub(line) if self.scrub else line) + "\n"
        return header + body

    def ways(self, runbook: str, step: str) -> dict[str, Found]:
        """How the reviewed baseline's controls were found ({} when it does not say)."""
        path = self.path(runbook, step)
        if not path.exists():
            return {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith(_WAYS):
                try:
                    kept = json.loads(line[len(_WAYS) :])
                    return {str(w): Found(str(how), int(rank)) for w, (rank, how) in kept.items()}
                except (ValueError, TypeError, AttributeError):
                    return {}  # an edited line: as if it said nothing
        return {}

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

    def update(
        self,
        runbook: str,
        step: str,
        snapshot: str,
        *,
        text: str = "",
        ways: dict[str, Found] | None = None,
    ) -> Comparison:
        """Compare, and write a candidate beside the baseline when it differs or is missing.

        A stale candidate is removed when the snapshot matches again. The baseline
        itself is never touched: `approve` promotes candidates.

        Args:
            runbook: The runbook's name.
            step: The guide's step number.
            snapshot: The raw aria snapshot.
            text: The guide's wording, written as the file's header line.
            ways: How the step's controls were found; a difference from the baseline's
                makes a candidate too. None: not known, not compared.
        """
        result = self.compare(runbook, step, snapshot)
        candidate = result.baseline.with_name(result.baseline.name[: -len(self.SUFFIX)])
        candidate = candidate.with_name(candidate.name + self.CANDIDATE)
        same_ways = ways is None or ways == self.ways(runbook, step)
        if result.status == "match" and same_ways:
            candidate.unlink(missing_ok=True)
            return result
        _write(candidate, self._render(runbook, step, text, snapshot, ways or {}))
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
