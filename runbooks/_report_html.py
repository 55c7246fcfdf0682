"""The HTML report of a nightly check: one self-contained page (issue #11 part 5).

A banner coloured by the worst result, a row per runbook and portal, and for
each step that did not check out: the guide's step and wording (linked), what
was looked for and what was found, the structure diff, a thumbnail of the
masked screenshot (inlined, so the page can be mailed or archived alone), the
duration and how to open the trace. Every piece of text is HTML-escaped: a
portal's labels are not ours to trust.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from html import escape
from pathlib import Path

from PIL import Image

from runbooks._drift import Severity, StepResult
from runbooks._reports import group, overall

__all__ = ["html_report", "thumbnail"]

_COLOURS = {
    Severity.OK: ("#1a7f37", "all checks passed"),
    Severity.WARNING: ("#9a6700", "passed, with warnings"),
    Severity.UNCHECKED: ("#57606a", "could not check"),
    Severity.FAILURE: ("#cf222e", "drift or failure"),
}

_CLASS = {
    Severity.OK: "passed",
    Severity.WARNING: "warning",
    Severity.UNCHECKED: "unchecked",
    Severity.FAILURE: "failed",
}

_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1f2328}
header{color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}
main{padding:16px 24px}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #d0d7de;padding:6px 8px;text-align:left;vertical-align:top}
.passed{color:#1a7f37}.flaky,.warning{color:#9a6700}.unchecked{color:#57606a}
.failed{color:#cf222e}pre{background:#f6f8fa;padding:8px;overflow:auto;max-width:60em}
img{max-width:320px;border:1px solid #d0d7de}.step{margin:4px 0 12px 0}
code{background:#f6f8fa;padding:1px 4px}
"""


def thumbnail(path: Path, width: int = 320) -> str | None:
    """A PNG thumbnail of `path` as a data: URL, or None if it cannot be read."""
    try:
        with Image.open(path) as image:
            image.thumbnail((width, width * 4))
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
    except (OSError, ValueError):
        return None
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _step_html(result: StepResult) -> str:
    title = f"step {escape(result.step)}: {escape(result.text)}"
    if result.guide_url.startswith(("https://", "http://")):
        title = f'<a href="{escape(result.guide_url)}">{title}</a>'
    kind = result.kind.label if result.kind else result.status
    parts = [
        f'<div class="step"><strong class="{result.status}">{escape(kind)}</strong> '
        f"at {title} ({result.duration:.1f} s"
        + (f", retried {result.retries}×" if result.retries else "")
        + ")"
    ]
    if result.expected:
        parts.append(f"<div>expected: {escape(result.expected)}</div>")
    if result.found:
        parts.append(f"<div>found: {escape(result.found)}</div>")
    parts.extend(f"<div>{escape(note)}</div>" for note in result.notes)
    if result.diff:
        parts.append(f"<pre>{escape(result.diff)}</pre>")
    if result.screenshot:
        data = thumbnail(result.screenshot)
        alt = escape(f"screenshot of step {result.step}")
        if data:
            parts.append(f'<div><img src="{data}" alt="{alt}"></div>')
        parts.append(f"<div>screenshot: <code>{escape(str(result.screenshot))}</code></div>")
    if result.trace:
        command = f"playwright show-trace {result.trace}"
        parts.append(f"<div>trace: <code>{escape(command)}</code></div>")
    return "".join(parts) + "</div>"


def html_report(results: Sequence[StepResult], *, title: str = "runbook check") -> str:
    """The whole report as one HTML document, with no external resource."""
    colour, verdict = _COLOURS[overall(results)]
    rows = []
    for (runbook, portal), steps in group(results).items():
        worst = overall(steps)
        bad = [s for s in steps if s.kind is not None or s.retries]
        detail = "".join(_step_html(s) for s in bad) or f"{len(steps)} step(s) checked out"
        rows.append(
            f"<tr><td>{escape(runbook)}</td><td>{escape(portal)}</td>"
            f'<td class="{_CLASS[worst]}">{escape(_COLOURS[worst][1])}</td>'
            f"<td>{sum(s.duration for s in steps):.1f} s</td><td>{detail}</td></tr>"
        )
    counts = {s: sum(1 for r in results if r.status == s) for s in ("passed", "flaky")}
    counts_text = ", ".join(f"{n} {s}" for s, n in counts.items())
    return (
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f'<header style="background:{colour}"><h1>{escape(title)}: {escape(verdict)}</h1>'
        f"<div>{len(results)} step(s); {escape(counts_text)}</div></header><main>"
        "<table><thead><tr><th>runbook</th><th>portal</th><th>result</th><th>time</th>"
        "<th>steps</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        "<p>Open a trace with <code>playwright show-trace PATH</code>; "
        "traces hold what was typed: keep them private.</p>"
        "</main></body></html>\n"
    )
