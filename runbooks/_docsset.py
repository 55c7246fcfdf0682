"""A set of documentation screenshots: its layout and its manifest (issue #12).

::

    <out>/<runbook>/step-<n>.png               the approved set (commit it)
    <out>/manifest.json                        how the approved set was rendered
    <out>/.candidates/<runbook>/step-<n>.png   what the last `runbook docs` run captured
    <out>/.candidates/manifest.json            how the candidates were rendered
    <out>/.candidates/<runbook>/step-<n>.diff.png, review.html, review.json   (review)

A run writes candidates only; `runbooks._docsreview.approve` moves them into
the approved set, so nothing approved is ever overwritten without it.

The manifest records what makes two renders comparable (the Chromium version,
the fonts the pages were drawn with, scale, viewport, colour scheme) and, per
image, where it came from (``sandbox`` or ``live``) and its SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

__all__ = ["CANDIDATES", "DocsSet", "ImageEntry", "Manifest", "rendering_environment"]

CANDIDATES = ".candidates"
MANIFEST = "manifest.json"
Source = Literal["sandbox", "live"]


@dataclass
class ImageEntry:
    """Where one image came from, and its digest."""

    source: Source
    sha256: str


@dataclass
class Manifest:
    """How a set was rendered, and each image's origin (written beside the images)."""

    chromium: str = ""
    fonts: list[str] = field(default_factory=list)
    scale: float = 1.0
    viewport: dict[str, int] = field(default_factory=dict)
    color_scheme: str = "light"
    images: dict[str, ImageEntry] = field(default_factory=dict)
    schema_version: int = 1

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """Read `path`; an absent file is an empty manifest."""
        if not path.exists():
            return cls()
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        images = {k: ImageEntry(**v) for k, v in data.pop("images", {}).items()}
        return cls(**data, images=images)

    def save(self, path: Path) -> None:
        """Write the manifest atomically, keys sorted (stable diffs in review)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2, sort_keys=True) + "\n", "utf-8")
        os.replace(tmp, path)


def rendering_environment(page: Page, limit: int = 400) -> tuple[str, list[str]]:
    """The browser's version and the platform fonts the page's text is drawn with.

    The fonts come from Chromium's DevTools protocol (what it actually used,
    not what the CSS asks for); where that is not available (another browser),
    the list is empty.
    """
    browser = page.context.browser
    version = browser.version if browser else ""
    try:
        cdp = page.context.new_cdp_session(page)
    except PlaywrightError:
        return version, []
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "body, body *"})
        fonts: set[str] = set()
        for node in nodes["nodeIds"][:limit]:
            used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})
            fonts.update(f["postScriptName"] or f["familyName"] for f in used["fonts"])
    finally:
        cdp.detach()
    return version, sorted(fonts)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class DocsSet:
    """The approved screenshots under `out`, and the candidates beside them."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.candidates = out / CANDIDATES

    @staticmethod
    def key(runbook: str, step: str) -> str:
        """The image's path relative to its set: ``<runbook>/step-<n>.png``."""
        return f"{runbook}/step-{step}.png"

    @staticmethod
    def parse(key: str) -> tuple[str, str]:
        """(runbook, step) from a key."""
        runbook, name = key.split("/", 1)
        return runbook, name[len("step-") : -len(".png")]

    def approved(self, runbook: str, step: str) -> Path:
        return self.out / self.key(runbook, step)

    def candidate(self, runbook: str, step: str) -> Path:
        return self.candidates / self.key(runbook, step)

    def clear_candidates(self, runbook: str, manifest: Manifest) -> None:
        """Forget `runbook`'s candidates from an earlier run (a new run starts clean).

        Only the candidates folder is touched; the approved set never is.
        """
        folder = self.candidates / runbook
        if folder.is_dir():
            for path in folder.glob("step-*.png"):
                path.unlink()
        for key in [k for k in manifest.images if k.startswith(f"{runbook}/")]:
            del manifest.images[key]

    def add_candidate(
        self, runbook: str, step: str, png: bytes, *, source: Source, manifest: Manifest
    ) -> Path:
        """Write a captured image as a candidate and record it in `manifest` (not saved)."""
        path = self.candidate(runbook, step)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png)
        manifest.images[self.key(runbook, step)] = ImageEntry(source, _sha256(path))
        return path

    def approved_keys(self) -> set[str]:
        """Every approved image's key."""
        return {
            p.relative_to(self.out).as_posix()
            for p in self.out.glob("*/step-*.png")
            if not p.name.endswith(".diff.png")
        }

    def candidate_keys(self) -> set[str]:
        """Every candidate image's key (diff images excluded)."""
        return {
            p.relative_to(self.candidates).as_posix()
            for p in self.candidates.glob("*/step-*.png")
            if not p.name.endswith(".diff.png")
        }

    def manifest(self) -> Manifest:
        return Manifest.load(self.out / MANIFEST)

    def candidate_manifest(self) -> Manifest:
        return Manifest.load(self.candidates / MANIFEST)
