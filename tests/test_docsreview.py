"""Docs screenshots: candidates, manifest, review page, approval, the Markdown guide."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from runbooks._capture import stable_capture
from runbooks._docsguide import write_guide
from runbooks._docsreview import EXIT_CHANGED, EXIT_UNCHANGED, approve, exit_code, review
from runbooks._docsset import DocsSet, Manifest, rendering_environment
from tests.blank_page import blank_context

TOKEN = "gravitee-cloud-token"
SCREEN = """
<style>body {{ margin: 0; font: 16px sans-serif; }} main {{ padding: 24px; }}
button {{ font: 15px sans-serif; padding: 8px 14px; }}</style>
<main><h2>{heading}</h2><p>Step {step} of the guide.</p><button>{label}</button></main>
"""


@pytest.fixture(scope="module")
def shared(browser: Browser) -> Iterator[Page]:
    with blank_context(browser) as context:
        yield context.new_page()


def capture(page: Page, step: str, label: str = "Generate Cloud Token") -> bytes:
    page.set_content(SCREEN.format(heading="Cloud Tokens", step=step, label=label))
    return stable_capture(page)


def run(page: Page, out: Path, steps: dict[str, str], runbook: str = TOKEN) -> Manifest:
    """What a `runbook docs` run does: candidates and their manifest."""
    docs = DocsSet(out)
    manifest = docs.candidate_manifest()
    manifest.viewport, manifest.scale = {"width": 640, "height": 360}, 1.0
    for step, label in steps.items():
        png = capture(page, step, label)
        docs.add_candidate(runbook, step, png, source="sandbox", manifest=manifest)
        # Fonts of every captured screen: each may use others.
        manifest.chromium, fonts = rendering_environment(page)
        manifest.fonts = sorted(set(manifest.fonts) | set(fonts))
    manifest.save(docs.candidates / "manifest.json")
    return manifest


def test_review_and_approve_a_set(shared: Page, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    docs = DocsSet(out)
    label = "Generate Cloud Token"
    run(shared, out, {"3": "Open", "4": "Revoke token", "5": label})
    first = review(out)
    assert [(s.step, s.status) for s in first.steps] == [("3", "new"), ("4", "new"), ("5", "new")]
    assert exit_code(first) == EXIT_CHANGED
    assert approve(out) == [docs.approved(TOKEN, n) for n in ("3", "4", "5")]
    assert docs.candidate_keys() == set()
    manifest = json.loads((out / "manifest.json").read_text())
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", manifest["chromium"])
    assert manifest["fonts"], "the fonts the text was drawn with"
    entry = manifest["images"][f"{TOKEN}/step-5.png"]
    assert entry["source"] == "sandbox"
    assert entry["sha256"] == hashlib.sha256(docs.approved(TOKEN, "5").read_bytes()).hexdigest()

    run(shared, out, {"3": "Open", "4": "Revoke token", "5": label})
    again = review(out)
    assert {s.status for s in again.steps} == {"unchanged"} and exit_code(again) == EXIT_UNCHANGED

    approved_5 = docs.approved(TOKEN, "5").read_bytes()
    (docs.candidates / TOKEN / "step-4.png").unlink()
    run(shared, out, {"5": "Create Cloud Token", "6": "Copy and Close"})
    assert docs.approved(TOKEN, "5").read_bytes() == approved_5, "never overwritten by a run"
    changed = review(out)
    statuses = {s.step: s.status for s in changed.steps}
    assert statuses == {"3": "unchanged", "4": "missing", "5": "changed", "6": "new"}
    (five,) = changed.by_status("changed")
    shared.set_content(SCREEN.format(heading="Cloud Tokens", step="5", label=label))
    button = shared.get_by_role("button").bounding_box()
    assert button is not None
    (box,) = five.boxes
    assert button["x"] - 2 <= box.left and box.right <= button["x"] + button["width"] + 2
    assert button["y"] - 2 <= box.top and box.bottom <= button["y"] + button["height"] + 2
    assert five.diff_image == docs.candidate(TOKEN, "5").with_name("step-5.diff.png")
    saved = json.loads((docs.candidates / "review.json").read_text())
    assert saved[f"{TOKEN}/step-5.png"]["boxes"] == [[box.left, box.top, box.width, box.height]]

    assert changed.page is not None
    page = changed.page.read_text()
    assert not re.search(r'src="(?!data:image/png;base64,)', page), "self-contained"
    # 5: approved, candidate, diff; 6: candidate; 4 (missing): approved.
    assert page.count("<img ") == 5
    assert "1 changed, 1 new, 1 missing, 1 unchanged" in page
    assert 'class="shot"' in page and "<i style=" in page, "the box outlined over the candidate"

    assert approve(out, [f"{TOKEN}:5"]) == [docs.approved(TOKEN, "5")]
    assert docs.candidate_keys() == {f"{TOKEN}/step-3.png", f"{TOKEN}/step-6.png"}
    assert not docs.candidate(TOKEN, "5").with_name("step-5.diff.png").exists()
    assert docs.approved(TOKEN, "4").exists(), "a missing step is reported, not deleted"
    run(shared, out, {"5": "Create Cloud Token"})
    assert {s.step: s.status for s in review(out).steps}["5"] == "unchanged"


def test_review_of_one_runbook_leaves_the_others_alone(shared: Page, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    run(shared, out, {"1": "Sign in"}, runbook="cloudeka-token")
    run(shared, out, {"5": "Generate Cloud Token"})
    approve(out)
    run(shared, out, {"5": "Generate Cloud Token"})
    assert [(s.runbook, s.status) for s in review(out).steps] == [(TOKEN, "unchanged")]


def test_a_new_run_starts_from_no_candidates(shared: Page, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    docs = DocsSet(out)
    run(shared, out, {"1": "Sign in"}, runbook="cloudeka-token")
    run(shared, out, {"4": "Revoke token", "5": "Generate Cloud Token"})
    approve(out, ["cloudeka-token"])
    manifest = docs.candidate_manifest()
    assert set(manifest.images) == {f"{TOKEN}/step-4.png", f"{TOKEN}/step-5.png"}
    docs.clear_candidates(TOKEN, manifest)
    assert docs.candidate_keys() == set() and manifest.images == {}
    assert docs.approved("cloudeka-token", "1").exists()


def test_the_guide_lists_every_step_in_order_with_its_image(shared: Page, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    run(shared, out, {"10": "Done", "2": "Open", "1": "Sign in"})
    approve(out)
    steps = [
        ("1", "Sign in to Gravitee Cloud."),
        ("2", "Select the [Hybrid Gateway] *name*."),
        ("3", "Click the bin icon."),
        ("10", "Store the token."),
    ]
    path = write_guide(
        out, TOKEN, steps, title="Rotate a Cloud Token", guide_url="https://x.test/g"
    )
    text = path.read_text()
    assert path == out / f"{TOKEN}.md"
    assert text.startswith(
        "# Rotate a Cloud Token\n\nFrom the vendor's guide: <https://x.test/g>\n"
    )
    headings = re.findall(r"^## Step (\S+)$", text, re.M)
    assert headings == ["1", "2", "3", "10"]
    images = re.findall(r"^!\[Step (\S+): .*\]\((.+)\)$", text, re.M)
    assert images == [
        ("1", f"{TOKEN}/step-1.png"),
        ("2", f"{TOKEN}/step-2.png"),
        ("10", f"{TOKEN}/step-10.png"),
    ]
    assert all((out / image).exists() for _, image in images)
    assert "Select the \\[Hybrid Gateway\\] \\*name\\*." in text
    assert "## Step 3\n\nClick the bin icon.\n\n_(no screenshot for this step)_" in text
