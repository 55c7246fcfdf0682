"""Reports of a nightly check for jobs: JUnit XML, a JSON summary, a GitHub job summary.

Every report is a view over the same list of `StepResult`s (issue #11 part 5),
grouped into one check per runbook and portal. The HTML page is in
`runbooks._report_html`; posting the summary to a webhook in `runbooks._webhook`.

Exit codes a scheduler can act on (`exit_code`)::

    0  all green (warnings and flaky passes included)
    1  drift or failure: a documented step no longer works as the guide says
    2  usage error (the CLI's, before anything ran)
    3  could not check: the portal or the browser was not reachable

The JSON summary's schema is `SUMMARY_SCHEMA` (JSON Schema 2020-12, kept in
`runbooks._check_schema` and re-exported here); its
``schema_version`` changes whenever a field changes meaning or goes away.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from runbooks._check_schema import (
    EXIT_DRIFT,
    EXIT_OK,
    EXIT_UNCHECKED,
    EXIT_USAGE,
    SCHEMA_VERSION,
    STATUSES,
    SUMMARY_SCHEMA,
)
from runbooks._drift import Severity, StepResult

__all__ = [
    "EXIT_DRIFT",
    "EXIT_OK",
    "EXIT_UNCHECKED",
    "EXIT_USAGE",
    "SCHEMA_VERSION",
    "SUMMARY_SCHEMA",
    "dumps",
    "exit_code",
    "github_summary",
    "group",
    "json_summary",
    "junit_xml",
    "one_line",
    "overall",
    "write_github_summary",
]

_WORDS = {
    Severity.OK: "passed",
    Severity.WARNING: "warning",
    Severity.UNCHECKED: "unchecked",
    Severity.FAILURE: "failed",
}


def overall(results: Sequence[StepResult]) -> Severity:
    """The worst severity of `results` (OK for none)."""
    return max((r.severity for r in results), default=Severity.OK)


def exit_code(results: Sequence[StepResult]) -> int:
    """0 green, 1 drift or failure, 3 could not check (drift wins over unreachable)."""
    worst = overall(results)
    if worst is Severity.FAILURE:
        return EXIT_DRIFT
    return EXIT_UNCHECKED if worst is Severity.UNCHECKED else EXIT_OK


def one_line(results: Sequence[StepResult], duration: float) -> str:
    """The single line a green nightly run prints (cron mails only failures)."""
    checks = group(results)
    flaky = sum(1 for r in results if r.flaky)
    warnings = sum(1 for r in results if r.status == "warning")
    extra = "".join(
        f", {n} {word}" for n, word in ((flaky, "flaky"), (warnings, "warning(s)")) if n
    )
    verdict = _WORDS[overall(results)]
    return (
        f"runbook check: {verdict}: {len(checks)} check(s), {len(results)} step(s){extra}"
        f" in {duration:.1f} s"
    )


def group(results: Sequence[StepResult]) -> dict[tuple[str, str], list[StepResult]]:
    """Results by (runbook, portal), in the order they first appear."""
    checks: dict[tuple[str, str], list[StepResult]] = {}
    for result in results:
        checks.setdefault((result.runbook, result.portal), []).append(result)
    return checks


def _step(result: StepResult) -> dict[str, Any]:
    return {
        "step": result.step,
        "text": result.text,
        "guide_url": result.guide_url,
        "status": result.status,
        "kind": result.kind.name if result.kind else None,
        "kind_label": result.kind.label if result.kind else "",
        "expected": result.expected,
        "found": result.found,
        "diff": result.diff,
        "screenshot": str(result.screenshot) if result.screenshot else None,
        "trace": str(result.trace) if result.trace else None,
        "duration": round(result.duration, 3),
        "retries": result.retries,
        "notes": list(result.notes),
    }


def json_summary(
    results: Sequence[StepResult], *, started: str | None = None, duration: float | None = None
) -> dict[str, Any]:
    """The summary `--json` writes and `--webhook` posts (see `SUMMARY_SCHEMA`)."""
    counts = {status: 0 for status in STATUSES}
    for result in results:
        counts[result.status] += 1
    summary: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "result": _WORDS[overall(results)],
        "exit_code": exit_code(results),
        "counts": counts,
        "checks": [
            {
                "runbook": runbook,
                "portal": portal,
                "result": _WORDS[overall(steps)],
                "duration": round(sum(s.duration for s in steps), 3),
                "steps": [_step(s) for s in steps],
            }
            for (runbook, portal), steps in group(results).items()
        ],
    }
    if started is not None:
        summary["started"] = started
    if duration is not None:
        summary["duration"] = round(duration, 3)
    return summary


def _classname(runbook: str, portal: str) -> str:
    """``runbook.portal`` with no other dot: CI systems split class names on dots."""
    return ".".join(re.sub(r"[^A-Za-z0-9_-]+", "_", part).strip("_") for part in (runbook, portal))


def junit_xml(results: Sequence[StepResult], *, name: str = "runbook check") -> str:
    """JUnit XML: a test suite per runbook and portal, a test case per step.

    Drift is a ``failure`` (a could-not-check an ``error``, a warning or flaky
    pass a note in ``system-out``); the screenshot's path is an
    ``[[ATTACHMENT|path]]`` line in ``system-out``, which Jenkins and GitLab render.
    """
    suites = ET.Element("testsuites", name=name)
    for (runbook, portal), steps in group(results).items():
        suite = ET.SubElement(suites, "testsuite", name=f"{runbook} @ {portal}")
        failures = errors = 0
        for result in steps:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=_classname(runbook, portal),
                name=f"step {result.step}: {result.text}",
                time=f"{result.duration:.3f}",
            )
            out = []
            if result.kind is not None and result.severity is Severity.FAILURE:
                failures += 1
                failure = ET.SubElement(case, "failure", type=result.kind.name)
                failure.set("message", result.describe())
                failure.text = "\n".join(filter(None, [result.describe(), result.diff]))
            elif result.kind is not None and result.severity is Severity.UNCHECKED:
                errors += 1
                error = ET.SubElement(case, "error", type=result.kind.name)
                error.set("message", result.describe())
            elif result.kind is not None:
                out.append(f"warning: {result.describe()}")
            if result.retries:
                out.append(f"retried {result.retries} time(s)")
            out.extend(result.notes)
            if result.guide_url:
                out.append(f"guide: {result.guide_url}")
            if result.screenshot:
                out.append(f"[[ATTACHMENT|{result.screenshot}]]")
            if result.trace:
                out.append(f"trace: playwright show-trace {result.trace}")
            if out:
                ET.SubElement(case, "system-out").text = "\n".join(out)
        suite.set("tests", str(len(steps)))
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
        suite.set("time", f"{sum(s.duration for s in steps):.3f}")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


_ICONS = {"passed": "✅", "warning": "⚠️", "unchecked": "⛔", "failed": "❌"}


def github_summary(results: Sequence[StepResult]) -> str:
    """Markdown for a GitHub Actions job summary: one row per runbook and portal."""
    worst = _WORDS[overall(results)]
    lines = [
        f"## {_ICONS[worst]} runbook check: {worst}",
        "",
        "| runbook | portal | result | step | drift |",
        "| --- | --- | --- | --- | --- |",
    ]
    for (runbook, portal), steps in group(results).items():
        result = _WORDS[overall(steps)]
        bad = [s for s in steps if s.kind is not None]
        first = max(bad, key=lambda s: s.severity) if bad else None
        step = _cell(f"{first.step}: {first.text}") if first else ""
        drift = _cell(first.describe().split(": ", 1)[1]) if first else ""
        lines.append(f"| {_cell(runbook)} | {_cell(portal)} | {result} | {step} | {drift} |")
    return "\n".join(lines) + "\n"


def write_github_summary(
    results: Sequence[StepResult], environ: Mapping[str, str] | None = None
) -> Path | None:
    """Append `github_summary` to ``$GITHUB_STEP_SUMMARY`` when it is set; return its path."""
    target = (os.environ if environ is None else environ).get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    path = Path(target)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(github_summary(results))
    return path


def dumps(summary: Mapping[str, Any]) -> str:
    """The summary as the file `--json` writes (sorted keys, stable for diffs)."""
    return json.dumps(summary, indent=2, sort_keys=True) + "\n"
