"""`runbook docs --rehearse --target URL`: a live portal's images without changing it (#12 part 6).

Looking steps are performed and captured on the live portal; from the first
step that would change it (the check mode's brink), a step with a rehearsal is
rehearsed (its control captured, its dialog opened and cancelled), and a step
whose screen only a completed action shows (the new token's dialog, the
verification) is taken from a sandbox run instead. The manifest's ``source``
says which image came from where.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError

from runbooks._check.mode import CheckMode, NoSink
from runbooks._config import Settings
from runbooks._docsmode import CaptureOptions, DocsCapture, DocsMode
from runbooks._docsset import DocsSet
from runbooks._engine import Runner, RunOptions
from runbooks._model import Runbook, Step
from runbooks._modes import Decision, Turn
from runbooks._session import BrowserProvider

__all__ = ["RehearsedDocsMode", "docs_browsers", "rehearse_live"]


def docs_browsers(settings: Settings, options: CaptureOptions) -> BrowserProvider:
    """The configured browsers, with contexts that make two runs draw alike."""
    return replace(
        BrowserProvider.configured(
            browser=settings.browser, connect=settings.connect, timeout_ms=settings.timeout_ms
        ),
        context=options.context(),
    )


class RehearsedDocsMode(DocsMode):
    """The check mode's decisions, each performed or rehearsed step captured."""

    def __init__(self, capture: DocsCapture) -> None:
        super().__init__(capture)
        self.check = CheckMode()

    def plan(self, runbook: Runbook, params: Mapping[str, Any]) -> tuple[Step, ...]:
        return self.check.plan(runbook, params)

    def decide(self, step: Step, turn: Turn) -> Decision:
        decision = self.check.decide(step, turn)
        if decision.kind == "skip":
            return decision  # taken from the sandbox run instead
        preview = None
        if step.preview is not None:
            with contextlib.suppress(PlaywrightError):  # no control: captured after the step
                preview = step.preview(turn.ctx)
        self.capture.prepare(step, turn.ctx, preview)
        return decision


def rehearse_live(
    runbook: Runbook,
    params: Mapping[str, Any],
    live: DocsCapture,
    runner: Runner,
    run: RunOptions,
    sandbox: Callable[[Path], DocsCapture],
) -> DocsCapture:
    """Capture `runbook` on the live portal by rehearsal; fill the rest from a sandbox run.

    Args:
        runbook: The runbook to document.
        params: Its parameters.
        live: The observer writing the live images (``source="live"``).
        runner: Runs the live rehearsal.
        run: The live run's options (target, browsers); its mode, sink and observers are set here.
        sandbox: Captures the runbook on a fresh sandbox into the given folder.
    """
    with tempfile.TemporaryDirectory(prefix="runbook-docs-live-") as scratch:
        options = replace(
            run,
            sink=NoSink(),
            mode=RehearsedDocsMode(live),
            observers=(live,),
            record="off",
            recordings=Path(scratch) / "recordings",
        )
        runner.run(runbook, params, options)
    missing = [s.number for s in runbook.steps if s.number not in live.captures]
    if not missing:
        return live
    with tempfile.TemporaryDirectory(prefix="runbook-docs-sandbox-") as scratch:
        other = sandbox(Path(scratch))
        docs: DocsSet = live.docs
        for number in missing:
            if number not in other.captures:
                continue
            png = other.docs.candidate(runbook.name, number).read_bytes()
            docs.add_candidate(runbook.name, number, png, source="sandbox", manifest=live.manifest)
            live.captures[number] = {**other.captures[number], "source": "sandbox"}
    for shot in live.captures.values():
        shot.setdefault("source", "live")
    live.write_records()
    return live
