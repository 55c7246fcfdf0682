"""`runbook docs` on the sandbox: an image per documented step, deterministic, reviewed (#12)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import BrowserContext

from runbooks import _session
from runbooks._imagediff import compare_images
from runbooks._registry import RUNBOOKS
from tests.cli import run_cli

OUTLINE = (0xD9, 0x48, 0x0F)
#: A UI change no runbook step relies on: a button of the gateway screen renamed.
RENAME = """
addEventListener('DOMContentLoaded', () => {
  for (const b of document.querySelectorAll('button')) {
    if (b.textContent.trim() !== 'Delete Hybrid Gateway') continue;
    b.textContent = 'Remove this Hybrid Gateway';
    requestAnimationFrame(() => window.reportBox(b.getBoundingClientRect().toJSON()));
  }
});
"""


def documented(name: str) -> list[str]:
    return [step.number for step in RUNBOOKS[name].steps]


def captures(out: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (out / ".candidates" / name / "captures.json").read_text("utf-8")
    )
    return data


def rgb(path: Path, x: int, y: int) -> tuple[int, ...]:
    with Image.open(path) as image:
        pixel = image.convert("RGB").getpixel((x, y))
    assert isinstance(pixel, tuple)
    return pixel


def near(a: tuple[int, ...], b: tuple[int, ...], by: int = 40) -> bool:
    return all(abs(x - y) <= by for x, y in zip(a, b, strict=True))


@dataclass
class UiChange:
    """A UI change no runbook step relies on: a button of the gateway screen renamed."""

    armed: bool = False
    boxes: list[dict[str, float]] = field(default_factory=list)


@pytest.fixture
def ui_change(monkeypatch: pytest.MonkeyPatch) -> UiChange:
    """Once armed, every browser context renames the button and reports where it is."""
    change = UiChange()

    def hook(context: BrowserContext) -> None:
        if change.armed:
            context.expose_binding("reportBox", lambda _source, box: change.boxes.append(box))
            context.add_init_script(RENAME)

    monkeypatch.setattr(_session, "context_hooks", [*_session.context_hooks, hook])
    return change


def test_docs_all_then_review_and_approve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, skin: str
) -> None:
    monkeypatch.setenv("RUNBOOK_SANDBOX_SKIN", skin)  # docs starts its own sandboxes
    out = tmp_path / "shots"
    first = run_cli("docs", "--all", "--out", str(out))
    assert first.code == 0, first.text
    assert "gravitee-cert-renewal: needs --keystore" in first.err  # no example keystore
    for name in ("gravitee-cloud-token", "cloudeka-token"):
        shots = captures(out, name)
        assert sorted(shots) == sorted(documented(name)), "one image per documented step"
        for number, shot in shots.items():
            image = out / ".candidates" / name / f"step-{number}.png"
            assert image.exists()
            assert shot["secrets_checked"] >= 1, "the sandbox password at least"
            if shot["control"] is None:
                assert shot["when"] == "after" and shot["outline"] is None
                continue
            # Captured before the action, the control outlined: the outline's box
            # surrounds the control's, and the image shows the outline's colour there.
            assert shot["when"] == "before"
            left, top, right, bottom = shot["outline"]
            box = shot["control"]
            assert left <= box["x"] and top <= box["y"]
            assert right >= box["x"] + box["width"] and bottom >= box["y"] + box["height"]
            assert right - left <= box["width"] + 12 and bottom - top <= box["height"] + 12
            middle = (top + bottom) // 2
            assert near(rgb(image, left + 1, middle), OUTLINE), (name, number)
            assert near(rgb(image, right - 2, middle), OUTLINE), (name, number)
    gravitee = captures(out, "gravitee-cloud-token")
    outlined = [n for n, s in gravitee.items() if s["control"]]
    assert outlined == ["2", "4", "5", "6", "7"], gravitee
    # The new token's dialog shows a placeholder, not a magenta box.
    assert gravitee["7"]["placeholders_shown"] >= 1 and gravitee["7"]["masked"] == 0
    cloudeka = captures(out, "cloudeka-token")
    outlined = [n for n, s in cloudeka.items() if s["control"]]
    assert outlined == ["2", "3", "4", "6", "7"], cloudeka
    assert cloudeka["5"]["placeholders_shown"] >= 1 and cloudeka["6"]["placeholders_shown"] >= 1
    manifest = json.loads((out / ".candidates" / "manifest.json").read_text("utf-8"))
    assert manifest["chromium"] and manifest["fonts"]
    assert {v["source"] for v in manifest["images"].values()} == {"sandbox"}

    approved = run_cli("docs", "approve", str(out))
    assert approved.code == 0, approved.text
    guide = (out / "gravitee-cloud-token.md").read_text("utf-8")
    positions = [guide.index(f"## Step {n}\n") for n in documented("gravitee-cloud-token")]
    assert positions == sorted(positions), "the guide's order"
    for number in documented("gravitee-cloud-token"):
        assert f"](gravitee-cloud-token/step-{number}.png)" in guide

    second = run_cli("docs", "--all", "--out", str(out))
    assert second.code == 0, second.text
    for name in ("gravitee-cloud-token", "cloudeka-token"):
        for number in documented(name):
            a = out / name / f"step-{number}.png"
            b = out / ".candidates" / name / f"step-{number}.png"
            # As Playwright's screenshot assertion holds it: no pixel differs beyond
            # the perceptual threshold (a one-level anti-aliasing wobble is not a change).
            diff = compare_images(a, b, max_diff_pixels=0)
            assert diff.matches, f"{name} step {number}: {diff.differing} pixels differ"
    unchanged = run_cli("docs", "review", str(out))
    assert unchanged.code == 0, unchanged.text
    assert "changed" not in unchanged.out.replace("unchanged", "")


def test_a_renamed_button_shows_as_changed_until_approved(
    tmp_path: Path, ui_change: UiChange
) -> None:
    out = tmp_path / "shots"
    name = "gravitee-cloud-token"
    assert run_cli("docs", name, "--out", str(out)).code == 0
    assert run_cli("docs", "approve", str(out)).code == 0
    ui_change.armed = True
    assert run_cli("docs", name, "--out", str(out)).code == 0
    changed = run_cli("docs", "review", str(out))
    assert changed.code == 1, changed.text
    assert f"changed    {name}:4" in changed.out
    assert f"unchanged  {name}:2" in changed.out  # the dashboard has no such button
    report = json.loads((out / ".candidates" / "review.json").read_text("utf-8"))
    button = ui_change.boxes[0]
    boxes = report[f"{name}/step-4.png"]["boxes"]
    assert any(
        left < button["x"] + button["width"]
        and button["x"] < left + width
        and top < button["y"] + button["height"]
        and button["y"] < top + height
        for left, top, width, height in boxes
    ), (boxes, button)
    page = (out / ".candidates" / "review.html").read_text("utf-8")
    assert "changed" in page and "data:image/png;base64," in page
    # Nothing approved was overwritten by the changed run.
    assert (out / name / "step-4.png").exists()
    assert run_cli("docs", "approve", str(out), f"{name}").code == 0
    assert run_cli("docs", name, "--out", str(out)).code == 0
    again = run_cli("docs", "review", str(out))
    assert again.code == 0, again.text


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["gravitee-cloud-token", "--out", "x", "--rehearse"], "give it --target URL"),
        (["gravitee-cloud-token", "--out", "x", "--target", "https://x.test"], "--rehearse"),
        (["gravitee-cloud-token"], "needs --out"),
        (["--all", "gravitee-cloud-token", "--out", "x"], "or --all"),
        (["gravitee-cloud-token", "--out", "x", "--viewport", "big"], "WIDTHxHEIGHT"),
        (["gravitee-cloud-token", "--out", "x", "--param", "gateway"], "NAME=VALUE"),
        (["review", "missing-folder"], "is not a folder"),
    ],
)
def test_bad_docs_usage_is_one_line_and_exit_2(args: list[str], needle: str) -> None:
    result = run_cli("docs", *args)
    assert result.code == 2, result.text
    assert needle in result.err and "Traceback" not in result.text


def test_review_and_approve_of_an_empty_folder_are_refused(tmp_path: Path) -> None:
    for verb in ("review", "approve"):
        result = run_cli("docs", verb, str(tmp_path))
        assert result.code == 2 and "Traceback" not in result.text, result.text
