"""A mode and an observer are added from outside, without touching the step loop."""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from runbooks import Runbook, Step
from runbooks._config import load_settings
from runbooks._engine import Runner, RunOptions, RunResult
from runbooks._modes import Decision, Turn
from runbooks._observers import Observer, RunEnd, RunStart, StepEnd, StepStart
from runbooks._output import Reporter, make_console
from runbooks._registry import get_runbook
from runbooks._secrets import Redactor
from runbooks._sinks import parse_sink
from sandbox import GraviteeSandbox
from tests.cli import in_thread


class StepCounter(Observer):
    """The toy observer: counts what it is told."""

    def __init__(self) -> None:
        self.runs: list[str] = []
        self.started: list[str] = []
        self.finished: list[tuple[str, str]] = []
        self.outcome: str | None = None

    def run_started(self, run: RunStart) -> None:
        self.runs.append(run.run_id)

    def step_started(self, start: StepStart) -> None:
        self.started.append(start.step.number)

    def step_finished(self, end: StepEnd) -> None:
        self.finished.append((end.step.number, end.status))

    def run_finished(self, end: RunEnd) -> None:
        self.outcome = end.outcome


class SkipEverything:
    """The toy mode: plans the runbook's steps backwards and skips each one."""

    attended = False

    def __init__(self) -> None:
        self.decided: list[tuple[str, str]] = []

    def plan(self, runbook: Runbook, params: Mapping[str, Any]) -> tuple[Step, ...]:
        return tuple(reversed(runbook.plan(params)))

    def decide(self, step: Step, turn: Turn) -> Decision:
        self.decided.append((step.number, turn.position))
        return Decision.skip("the toy mode skips everything")

    def hand_off(self, message: str) -> bool:
        return False


def run(options: RunOptions, tmp_path: Path) -> tuple[RunResult, str]:
    redactor = Redactor()
    err = io.StringIO()
    runner = Runner(load_settings(), Reporter(make_console(redactor, err)), redactor)
    params = {"gateway": "eu-prod-gw", "order": "documented"}
    result = in_thread(lambda: runner.run(get_runbook("gravitee-cloud-token"), params, options))
    return result, err.getvalue()


def test_a_toy_mode_and_a_toy_observer_plug_in(
    gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    before = gravitee_env.state()
    counter, mode = StepCounter(), SkipEverything()
    options = RunOptions(sink=parse_sink(f"file:{tmp_path}/token"), mode=mode, observers=(counter,))
    result, err = run(options, tmp_path)

    numbers = ["V", "7", "6", "5", "4", "3", "2", "1"]
    assert [number for number, _ in mode.decided] == numbers
    assert mode.decided[0][1] == "1 of 8"
    assert counter.runs == [result.run_id] and counter.outcome == "succeeded"
    assert counter.started == []  # nothing was performed
    assert counter.finished == [(number, "skipped") for number in numbers]
    assert gravitee_env.state() == before, "a skipped step changes nothing"
    assert not (tmp_path / "token").exists()
    # The built-in observers kept their records as ever.
    journal = json.loads((result.folder / "run.json").read_text())
    assert [s["number"] for s in journal["steps"]] == numbers
    assert {(s["status"], s["note"]) for s in journal["steps"]} == {
        ("skipped", "the toy mode skips everything")
    }
    assert "the toy mode skips everything" in err


def test_the_counter_sees_a_real_run(gravitee_env: GraviteeSandbox, tmp_path: Path) -> None:
    counter = StepCounter()
    options = RunOptions(sink=parse_sink(f"file:{tmp_path}/token"), observers=(counter,))
    result, _ = run(options, tmp_path)
    numbers = ["1", "2", "3", "4", "5", "6", "7", "V"]
    assert counter.started == numbers
    assert counter.finished == [(number, "done") for number in numbers]
    assert (tmp_path / "token").read_text().strip()
    # Screenshots are named by the step's number, and the run id has 4 random bytes.
    shots = sorted(p.name for p in (result.folder / "screenshots").iterdir())
    assert shots == sorted(f"step-{number}.png" for number in numbers)
    random_part = result.run_id.rsplit("-", 1)[1]
    assert len(random_part) == 8 and int(random_part, 16) >= 0


class RehearseTheRevoke:
    """A toy check mode: looks around, then rehearses the revoke instead of doing it."""

    attended = False

    def plan(self, runbook: Runbook, params: Mapping[str, Any]) -> tuple[Step, ...]:
        return tuple(step for step in runbook.steps if step.number in ("1", "2", "3", "5", "6"))

    def decide(self, step: Step, turn: Turn) -> Decision:
        return Decision.rehearse() if step.changes_portal else Decision.perform()

    def hand_off(self, message: str) -> bool:
        return False


def test_a_mode_rehearses_what_would_change_the_portal(
    gravitee_env: GraviteeSandbox, tmp_path: Path
) -> None:
    before = gravitee_env.state()
    rehearsed: list[str] = []
    runbook = get_runbook("gravitee-cloud-token")
    steps = tuple(
        dataclasses.replace(step, rehearse=lambda ctx: rehearsed.append(ctx.params["gateway"]))
        if step.number == "5"
        # The definition rehearses step 6 (for `runbook check`); here it must have none.
        else dataclasses.replace(step, rehearse=None)
        if step.number == "6"
        else step
        for step in runbook.steps
    )
    runbook = dataclasses.replace(runbook, steps=steps)
    redactor = Redactor()
    runner = Runner(load_settings(), Reporter(make_console(redactor, io.StringIO())), redactor)
    options = RunOptions(sink=parse_sink(f"file:{tmp_path}/token"), mode=RehearseTheRevoke())
    params = {"gateway": "eu-prod-gw", "order": "documented"}
    result = in_thread(lambda: runner.run(runbook, params, options))

    assert rehearsed == ["eu-prod-gw"]
    assert gravitee_env.state() == before, "a rehearsal changes nothing"
    journal = json.loads((result.folder / "run.json").read_text())
    statuses = {s["number"]: (s["status"], s["note"]) for s in journal["steps"]}
    assert statuses["5"][0] == "done"
    # Step 6 has no rehearsal: it is skipped, never performed in its place.
    assert statuses["6"] == ("skipped", "it has no rehearsal")
    audit = (tmp_path / "data" / "audit.jsonl").read_text()
    assert "destructive-step" not in audit
