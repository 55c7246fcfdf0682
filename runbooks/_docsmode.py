"""The `docs` mode and its capture observer: one image per documented step (issue #12 part 1).

`DocsMode` performs every planned step, never asks anyone, and hands each
step's preview (its control) to `DocsCapture`. The observer captures where a
reader needs it: a step that names a control (its `Preview.element`) is
captured *before* the action, with that control outlined and numbered; a step
without one (signing in, a verification, a result) when it has finished, with
its result on screen. Each image is written as a candidate at
``<out>/.candidates/<runbook>/step-<number>.png`` whatever the run's order.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from runbooks._callout import outlined
from runbooks._capture import stable_capture
from runbooks._context import StepContext
from runbooks._docspage import EXAMPLE_TIME, live_texts, prepared
from runbooks._docsset import DocsSet, Source, rendering_environment
from runbooks._imagediff import Box
from runbooks._model import Preview, Runbook, Step
from runbooks._modes import Decision, Turn
from runbooks._observers import Observer, RunEnd, RunStart, StepEnd, StepStart

__all__ = ["CaptureOptions", "DocsCapture", "DocsMode"]

#: Not magenta: the second layer over a secret the placeholders could not reach.
MASK_COLOUR = "#8c959f"
#: The callout's width and its gap to the outline (`runbooks._callout`).
CALLOUT = 32


@dataclass(frozen=True)
class CaptureOptions:
    """How the images are drawn.

    Args:
        scale: Device pixels per CSS pixel (2 for HiDPI images).
        viewport: Width and height in CSS pixels.
        color_scheme: light or dark (where the portal has both).
        crop: Crop to the step's control with this padding in CSS pixels; None: the viewport.
    """

    scale: float = 1.0
    viewport: tuple[int, int] = (1280, 800)
    color_scheme: Literal["light", "dark"] = "light"
    crop: int | None = None

    def context(self) -> dict[str, Any]:
        """`Browser.new_context` options that make two runs draw alike."""
        width, height = self.viewport
        return {
            "viewport": {"width": width, "height": height},
            "device_scale_factor": self.scale,
            "color_scheme": self.color_scheme,
            "reduced_motion": "reduce",
            "timezone_id": "UTC",
            "locale": "en-US",
        }


@dataclass
class _Pending:
    step: Step
    page: Page
    preview: Preview | None
    notifications: list[str] = field(default_factory=list)


class DocsCapture(Observer):
    """Captures each documented step of one runbook's run as a candidate image.

    Args:
        docs: The screenshots folder.
        runbook: The runbook being documented.
        secrets: Returns every registered secret's value at capture time.
        options: Scale, viewport, colour scheme and crop.
        source: Where the images come from (``sandbox`` or ``live``), for the manifest.
    """

    def __init__(
        self,
        docs: DocsSet,
        runbook: Runbook,
        secrets: Callable[[], Sequence[str]],
        options: CaptureOptions,
        *,
        source: Source = "sandbox",
    ) -> None:
        self.docs = docs
        self.runbook = runbook
        self.secrets = secrets
        self.options = options
        self.source = source
        self.manifest = docs.candidate_manifest()
        self.captures: dict[str, dict[str, Any]] = {}
        self._pending: _Pending | None = None
        self._clock_frozen = False
        self._page: Page | None = None
        self._examples: dict[str, str] = {}

    def prepare(self, step: Step, ctx: StepContext, preview: Preview | None) -> None:
        """Called by the mode before `step` acts: what to outline, what is on screen."""
        page = ctx.page
        if not self._clock_frozen:
            # Before the first navigation: every page of the run sees the same "now".
            page.clock.set_fixed_time(EXAMPLE_TIME)
            self._clock_frozen = True
        self._page = page
        notes: list[str] = []
        with contextlib.suppress(PlaywrightError):
            notes = live_texts(page)
        self._pending = _Pending(step, page, preview, notes)

    def run_started(self, run: RunStart) -> None:
        self.docs.clear_candidates(self.runbook.name, self.manifest)

    def step_started(self, start: StepStart) -> None:
        pending = self._pending
        if pending is None or pending.step is not start.step:
            return
        control = pending.preview.element if pending.preview else None
        if control is None:
            return
        try:
            # As long as the step itself would wait for it (a loaded machine is slow);
            # one that never shows is captured after the step instead.
            control.wait_for(state="visible")
        except PlaywrightError:
            return
        self._capture(pending, control, "before", masks=())
        self._pending = None

    def step_finished(self, end: StepEnd) -> None:
        pending = self._pending
        self._pending = None
        if pending is None or pending.step is not end.step or end.status != "done":
            return
        if end.page is not None:
            self._capture(pending, None, "after", masks=end.masks)

    def run_finished(self, end: RunEnd) -> None:
        if self._page is not None and end.outcome == "succeeded":
            with contextlib.suppress(PlaywrightError):  # the fonts the last screen used
                chromium, fonts = rendering_environment(self._page)
                if chromium:
                    self.manifest.chromium, self.manifest.fonts = chromium, fonts
        self.write_records()

    def write_records(self) -> None:
        """Save the candidates' manifest and this runbook's ``captures.json``."""
        width, height = self.options.viewport
        self.manifest.scale = self.options.scale
        self.manifest.viewport = {"width": width, "height": height}
        self.manifest.color_scheme = self.options.color_scheme
        self.manifest.save(self.docs.candidates / "manifest.json")
        folder = self.docs.candidates / self.runbook.name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "captures.json").write_text(
            json.dumps(self.captures, indent=2, sort_keys=True) + "\n", "utf-8"
        )

    @contextmanager
    def _outline(self, page: Page, control: Locator | None, number: str) -> Iterator[Box | None]:
        if control is None:
            yield None
            return
        with outlined(page, control, number) as box:
            yield box

    def _capture(
        self,
        pending: _Pending,
        control: Locator | None,
        when: str,
        masks: Sequence[Locator],
    ) -> None:
        page, step = pending.page, pending.step
        if not self.manifest.chromium:
            # Read while the page surely lives: at the run's end it may already be gone.
            with contextlib.suppress(PlaywrightError):
                self.manifest.chromium, self.manifest.fonts = rendering_environment(page)
        secrets = list(self.secrets())
        # Before the action every notification is an earlier step's; after it,
        # only those already showing when the step began.
        stale = None if when == "before" else pending.notifications
        with prepared(
            page, secrets, stale_notifications=stale, known=self._examples
        ) as placeholders:
            with self._outline(page, control, step.number) as box:
                control_box = control.bounding_box() if control is not None else None
                unreached = _unreached(masks, placeholders.values())
                clip = self._clip(box)
                extra: dict[str, Any] = {"clip": clip} if clip else {}
                png = stable_capture(
                    page,
                    mask=unreached,
                    secrets=secrets,
                    mask_color=MASK_COLOUR,
                    **extra,
                )
            placeholder_shown = _shown(page, list(placeholders.values()))
        self.docs.add_candidate(
            self.runbook.name, step.number, png, source=self.source, manifest=self.manifest
        )
        self.captures[step.number] = {
            "when": when,
            "outline": [box.left, box.top, box.right, box.bottom] if box else None,
            "control": control_box,
            "clip": clip,
            "scale": self.options.scale,
            "placeholders_shown": placeholder_shown,
            "masked": len(unreached),
            # stable_capture refused the image had any of these been in the page.
            "secrets_checked": len(secrets),
        }

    def _clip(self, box: Box | None) -> dict[str, float] | None:
        if self.options.crop is None or box is None:
            return None
        pad = self.options.crop
        width, height = self.options.viewport
        left, top = max(box.left - pad, 0), max(box.top - pad, 0)
        # The numbered callout sits beside the outline: it is kept in the crop.
        right, bottom = min(box.right + CALLOUT + pad, width), min(box.bottom + pad, height)
        return {"x": left, "y": top, "width": right - left, "height": bottom - top}


def _text_of(locator: Locator) -> str:
    """What the elements show now: "" when gone (a closed dialog's), without waiting for them."""
    try:
        shown = locator.evaluate_all(
            "els => els.map(e => (e.value ?? '') + ' ' + (e.textContent ?? '')).join(' ')"
        )
    except PlaywrightError:
        return ""
    return str(shown)


def _unreached(masks: Sequence[Locator], placeholders: Iterable[str]) -> list[Locator]:
    """The secret-showing elements that show no placeholder (a canvas, an image): masked."""
    values = list(placeholders)
    texts = [(mask, _text_of(mask)) for mask in masks]
    return [mask for mask, text in texts if not any(p in text for p in values)]


def _shown(page: Page, placeholders: Sequence[str]) -> int:
    """How many placeholders the page showed at capture time."""
    if not placeholders:
        return 0
    found = page.evaluate(
        """values => { const text = document.documentElement.innerText + ' ' +
             Array.from(document.querySelectorAll('input, textarea')).map(e => e.value).join(' ');
           return values.filter(v => text.includes(v)).length; }""",
        list(placeholders),
    )
    return int(found)


class DocsMode:
    """Every planned step performed, unattended, each captured by `capture`.

    Args:
        capture: The observer that takes the images (also given to the run).
    """

    attended = False

    def __init__(self, capture: DocsCapture) -> None:
        self.capture = capture

    def plan(self, runbook: Runbook, params: Mapping[str, Any]) -> tuple[Step, ...]:
        return runbook.plan(params)

    def hand_off(self, message: str) -> bool:
        return False

    def decide(self, step: Step, turn: Turn) -> Decision:
        preview = None
        if step.preview is not None:
            # No control to outline is no reason to stop: the step is captured after it.
            with contextlib.suppress(PlaywrightError):
                preview = step.preview(turn.ctx)
        self.capture.prepare(step, turn.ctx, preview)
        if step.destructive:
            return Decision.perform(
                confirmation="docs run on the sandbox", what=preview.text if preview else step.text
            )
        return Decision.perform()
