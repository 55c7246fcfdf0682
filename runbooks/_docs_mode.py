"""A documentation mode on main's Mode API: one capture per step, before it acts (#12).

Before each step is carried out, `DocsMode.decide` captures the screen the
step acts on: its control outlined and numbered (from the step's preview),
every shown secret replaced by a placeholder of the same shape and swapped
back afterwards (the run still delivers the real one), and the capture taken
only once two consecutive screenshots agree. The image becomes a candidate
(`runbooks._docsset`); `runbooks._docsreview` compares and approves.

What the step then does is decided by the inner mode (an unattended run by
default; the check mode's rehearsal for a live portal, once it exists).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from playwright.sync_api import Page

from runbooks._callout import outlined
from runbooks._capture import placeholder_for, replace_secrets_in_page, stable_capture
from runbooks._docsset import DocsSet, Manifest, Source, rendering_environment
from runbooks._model import Preview, Runbook, Step
from runbooks._modes import Decision, Mode, Turn, unattended

__all__ = ["DocsMode"]


class DocsMode:
    """Captures each step before it acts, then lets `inner` decide it.

    Args:
        docs: The screenshots folder (candidates are written there).
        manifest: The candidates' manifest; the caller saves it after the run.
        source: Where the images come from: ``sandbox`` or ``live``.
        inner: Decides each step after its capture; default: unattended.
    """

    attended = False

    def __init__(
        self,
        docs: DocsSet,
        manifest: Manifest,
        *,
        source: Source = "sandbox",
        inner: Mode | None = None,
    ) -> None:
        self.docs = docs
        self.manifest = manifest
        self.source: Source = source
        self.inner = inner or unattended()
        self.runbook = ""
        #: Per step: how many occurrences of a shown secret were replaced in its capture.
        self.replaced: dict[str, int] = {}

    def plan(self, runbook: Runbook, params: Mapping[str, Any]) -> tuple[Step, ...]:
        self.runbook = runbook.name
        self.docs.clear_candidates(runbook.name, self.manifest)
        return self.inner.plan(runbook, params)

    def hand_off(self, message: str) -> bool:
        return False

    def decide(self, step: Step, turn: Turn) -> Decision:
        page = turn.ctx.page
        preview = step.preview(turn.ctx) if step.preview is not None else None
        shown = turn.ctx.on_screen()
        values = [shown.reveal()] if shown is not None else []
        png, self.replaced[step.number] = self._capture(page, step, preview, values)
        self.docs.add_candidate(
            self.runbook, step.number, png, source=self.source, manifest=self.manifest
        )
        self.manifest.chromium, fonts = rendering_environment(page)
        self.manifest.fonts = sorted(set(self.manifest.fonts) | set(fonts))
        return self.inner.decide(step, turn)

    @staticmethod
    def _capture(
        page: Page, step: Step, preview: Preview | None, values: list[str]
    ) -> tuple[bytes, int]:
        """The capture, and how many occurrences of a secret were replaced for it."""
        swapped = {value: placeholder_for(value) for value in values}
        replaced = replace_secrets_in_page(page, swapped)
        try:
            control = preview.element if preview is not None else None
            if control is not None and control.is_visible():
                with outlined(page, control, step.number):
                    return stable_capture(page, secrets=values), replaced
            return stable_capture(page, secrets=values), replaced
        finally:
            # The run goes on with the real secret on screen (a step may read it again).
            replace_secrets_in_page(page, {fake: real for real, fake in swapped.items()})
