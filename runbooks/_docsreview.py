"""Review documentation screenshots like code: compare, show, approve (issue #12 part 5).

`review` compares each candidate with its approved image (`runbooks._imagediff`,
anti-aliasing aware), writes the diff images and boxes beside the candidates
and ONE self-contained HTML page (``<out>/.candidates/review.html``): changed,
new, missing and unchanged steps, approved and candidate side by side with the
diff and the changed regions outlined. `approve` moves candidates into the
approved set, all or per ``runbook`` / ``runbook:step``.

Exit codes for CI (`exit_code`): 0 unchanged, 1 changed (anything changed, new
or missing), 2 error (`EXIT_ERROR`, for the CLI to return when review raises).
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Literal

from PIL import Image

from runbooks._docsset import MANIFEST, DocsSet, Manifest
from runbooks._imagediff import Box, compare_images

__all__ = [
    "EXIT_CHANGED",
    "EXIT_ERROR",
    "EXIT_UNCHANGED",
    "ReviewResult",
    "StepReview",
    "approve",
    "exit_code",
    "review",
]

EXIT_UNCHANGED = 0
EXIT_CHANGED = 1
EXIT_ERROR = 2
Status = Literal["changed", "new", "missing", "unchanged"]


@dataclass(frozen=True)
class StepReview:
    """One step's image in review."""

    runbook: str
    step: str
    status: Status
    differing: int = 0
    boxes: tuple[Box, ...] = ()
    diff_image: Path | None = None


@dataclass
class ReviewResult:
    """Every step's status, and the review page."""

    steps: list[StepReview] = field(default_factory=list)
    page: Path | None = None

    def by_status(self, status: Status) -> list[StepReview]:
        return [s for s in self.steps if s.status == status]

    @property
    def changed(self) -> bool:
        """Whether anything differs from the approved set."""
        return any(s.status != "unchanged" for s in self.steps)


def exit_code(result: ReviewResult) -> int:
    """0 unchanged, 1 changed."""
    return EXIT_CHANGED if result.changed else EXIT_UNCHANGED


def _order(key: str) -> tuple[str, int, str]:
    runbook, step = DocsSet.parse(key)
    digits = re.match(r"\d+", step)
    return runbook, int(digits.group()) if digits else 10**6, step


def review(
    out: Path, *, threshold: float = 0.2, max_diff_pixels: int = 0, merge_gap: int = 8
) -> ReviewResult:
    """Compare the candidates under `out` with the approved set; write the review page.

    Only runbooks that have candidates are reviewed: a run of one runbook does
    not report every other runbook's images as missing.
    """
    docs = DocsSet(out)
    candidates, approved = docs.candidate_keys(), docs.approved_keys()
    runbooks = {DocsSet.parse(k)[0] for k in candidates}
    keys = candidates | {k for k in approved if DocsSet.parse(k)[0] in runbooks}
    result = ReviewResult()
    for key in sorted(keys, key=_order):
        runbook, step = DocsSet.parse(key)
        if key not in approved:
            result.steps.append(StepReview(runbook, step, "new"))
            continue
        if key not in candidates:
            result.steps.append(StepReview(runbook, step, "missing"))
            continue
        candidate = docs.candidate(runbook, step)
        diff_path = candidate.with_name(f"step-{step}.diff.png")
        diff = compare_images(
            docs.approved(runbook, step),
            candidate,
            threshold=threshold,
            max_diff_pixels=max_diff_pixels,
            diff_path=diff_path,
            merge_gap=merge_gap,
        )
        if diff.matches:
            diff_path.unlink(missing_ok=True)
            result.steps.append(StepReview(runbook, step, "unchanged", diff.differing))
        else:
            result.steps.append(
                StepReview(runbook, step, "changed", diff.differing, diff.boxes, diff_path)
            )
    docs.candidates.mkdir(parents=True, exist_ok=True)
    boxes = {
        DocsSet.key(s.runbook, s.step): {
            "status": s.status,
            "differing": s.differing,
            "boxes": [[b.left, b.top, b.width, b.height] for b in s.boxes],
        }
        for s in result.steps
    }
    (docs.candidates / "review.json").write_text(json.dumps(boxes, indent=2) + "\n", "utf-8")
    result.page = docs.candidates / "review.html"
    result.page.write_text(_page(docs, result), encoding="utf-8")
    return result


def _data_url(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _figure(
    title: str, path: Path, boxes: Sequence[Box] = (), size: tuple[int, int] = (1, 1)
) -> str:
    width, height = size
    outlines = "".join(
        f'<i style="left:{100 * b.left / width:.3f}%;top:{100 * b.top / height:.3f}%;'
        f'width:{100 * b.width / width:.3f}%;height:{100 * b.height / height:.3f}%"></i>'
        for b in boxes
    )
    return (
        f'<figure><figcaption>{escape(title)}</figcaption><div class="shot">'
        f'<img src="{_data_url(path)}" alt="{escape(title)}">{outlines}</div></figure>'
    )


_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1f2328}
section{border-top:1px solid #d0d7de;padding:12px 0}.row{display:flex;gap:12px;flex-wrap:wrap}
figure{margin:0;max-width:32%}img{max-width:100%;border:1px solid #d0d7de;display:block}
.shot{position:relative}.shot i{position:absolute;outline:2px solid #fb8500}
.changed{color:#cf222e}.new{color:#0969da}.missing{color:#9a6700}.unchanged{color:#1a7f37}
"""


def _page(docs: DocsSet, result: ReviewResult) -> str:
    counts = ", ".join(
        f"{len(result.by_status(s))} {s}" for s in ("changed", "new", "missing", "unchanged")
    )
    sections = []
    for item in result.steps:
        title = f"{item.runbook} step {item.step}"
        head = f'<h2><span class="{item.status}">{item.status}</span> {escape(title)}</h2>'
        if item.status == "unchanged":
            sections.append(f"<section>{head}</section>")
            continue
        approved = docs.approved(item.runbook, item.step)
        candidate = docs.candidate(item.runbook, item.step)
        figures = []
        if approved.exists():
            figures.append(_figure("approved", approved))
        if candidate.exists():
            with Image.open(candidate) as image:
                size = image.size
            figures.append(_figure("candidate", candidate, item.boxes, size))
        if item.diff_image is not None and item.diff_image.exists():
            figures.append(_figure(f"diff: {item.differing} pixels", item.diff_image))
        sections.append(f'<section>{head}<div class="row">{"".join(figures)}</div></section>')
    return (
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
        f"<title>docs review</title><style>{_STYLE}</style></head><body>"
        f"<h1>Screenshots review: {escape(counts)}</h1>"
        f"<p>Approve with <code>runbook docs approve {escape(str(docs.out))} "
        "[runbook:step …]</code>.</p>" + "".join(sections) + "</body></html>\n"
    )


def approve(out: Path, selectors: Sequence[str] | None = None) -> list[Path]:
    """Move candidates into the approved set; return the approved images written.

    Args:
        out: The screenshots folder.
        selectors: ``runbook`` or ``runbook:step`` items; None approves every candidate.
    """
    docs = DocsSet(out)
    wanted = set(selectors) if selectors is not None else None
    candidates = docs.candidate_manifest()
    manifest = docs.manifest()
    written = []
    for key in sorted(docs.candidate_keys(), key=_order):
        runbook, step = DocsSet.parse(key)
        if wanted is not None and not {runbook, f"{runbook}:{step}"} & wanted:
            continue
        target = docs.approved(runbook, step)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(docs.candidate(runbook, step), target)
        docs.candidate(runbook, step).with_name(f"step-{step}.diff.png").unlink(missing_ok=True)
        if key in candidates.images:
            manifest.images[key] = candidates.images.pop(key)
        written.append(target)
    if written:
        candidates.save(docs.candidates / MANIFEST)
        environment = Manifest(
            chromium=candidates.chromium,
            fonts=candidates.fonts,
            scale=candidates.scale,
            viewport=candidates.viewport,
            color_scheme=candidates.color_scheme,
            images=manifest.images,
        )
        environment.save(out / MANIFEST)
    return written
