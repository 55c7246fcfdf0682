"""The guide, regenerated: ``<out>/<runbook>.md`` from the runbook's own steps (issue #12).

Each documented step's number, wording and screenshot, in the guide's order,
ready to paste into a documentation site. The text comes from the runbook
definition (the caller passes its steps), so the guide and the tool cannot
disagree; a step without an image says so rather than linking nothing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from runbooks._docsset import DocsSet

__all__ = ["write_guide"]


def _inline(text: str) -> str:
    """Text safe in Markdown image alt text and paragraphs (no markup from the portal)."""
    flat = " ".join(text.split())
    for char in "\\`*_[]<>":
        flat = flat.replace(char, "\\" + char)
    return flat


def write_guide(
    out: Path,
    runbook: str,
    steps: Sequence[tuple[str, str]],
    *,
    title: str | None = None,
    guide_url: str | None = None,
) -> Path:
    """Write ``<out>/<runbook>.md``: every step with its approved image.

    Args:
        out: The screenshots folder (the approved set).
        runbook: The runbook's name.
        steps: (number, wording) pairs, in the guide's order.
        title: The page's heading; defaults to the runbook's name.
        guide_url: The vendor guide the steps come from, linked under the heading.
    """
    docs = DocsSet(out)
    lines = [f"# {_inline(title or runbook)}", ""]
    if guide_url:
        lines += [f"From the vendor's guide: <{guide_url}>", ""]
    for number, text in steps:
        lines += [f"## Step {_inline(number)}", "", _inline(text), ""]
        if docs.approved(runbook, number).exists():
            lines += [
                f"![Step {_inline(number)}: {_inline(text)}]({docs.key(runbook, number)})",
                "",
            ]
        else:
            lines += ["_(no screenshot for this step)_", ""]
    path = out / f"{runbook}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path
