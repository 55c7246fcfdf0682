"""Read-only views for the CLI: a run's plan (`--dry-run`), the runs list, one run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from runbooks._model import Runbook, Step
from runbooks._runs import is_resumable
from runbooks._sinks import SINK_FORMS

__all__ = ["show_plan", "show_run", "show_runbook", "show_runs"]


def show_plan(
    out: Console,
    runbook: Runbook,
    params: Mapping[str, Any],
    *,
    target: str,
    sink: str | None,
    guided: bool,
    warnings: list[str] | None = None,
) -> None:
    """What a run would do, step by step, without doing any of it."""
    out.print(f"[bold]Plan[/bold] for {runbook.name}: {escape(runbook.title)}")
    out.print(f"Target: {escape(target)}")
    shown = ", ".join(f"{k}={v}" for k, v in params.items() if v not in (None, False))
    out.print(f"Parameters: {escape(shown) or '(none)'}")
    out.print(f"Secret goes to: {escape(sink or '(no secret)')}")
    out.print(f"Mode: {'guided (attended)' if guided else 'unattended'}")
    for warning in warnings or []:
        out.print(f"[yellow]warning:[/yellow] {escape(warning)}")
    out.print()
    _show_steps(out, runbook.plan(params))
    out.print("\n[dim]Dry run: nothing was started.[/dim]")


def _show_steps(out: Console, steps: Sequence[Step]) -> None:
    for step in steps:
        flags = [
            f
            for f, on in (("destructive", step.destructive), ("shows a secret", step.reveals))
            if on
        ]
        extra = f"  [yellow]({', '.join(flags)})[/yellow]" if flags else ""
        out.print(f"  {step.number:>2}. {escape(step.text)}{extra}")


def show_runbook(out: Console, runbook: Runbook) -> None:
    """`runbook show`: what a runbook needs and the guide's steps in the guide's order."""
    out.print(f"[bold]{runbook.name}[/bold]: {escape(runbook.title)}")
    out.print(f"Portal: {runbook.portal}    Guide: {escape(runbook.guide)}\n")
    out.print("Parameters:")
    for param in runbook.params:
        shown = param.option if param.flag else f"{param.option} {param.metavar}"
        optional = "" if param.required or param.flag else " (optional)"
        out.print(f"  {shown}  {escape(param.help)}{optional}")
    if runbook.creates_secret:
        out.print(f"  --secret-to SINK  where the new secret goes: {SINK_FORMS}")
    out.print("\nSteps:")
    _show_steps(out, runbook.steps)


def show_runs(out: Console, runs: list[dict[str, Any]]) -> None:
    """The recent runs, newest first."""
    if not runs:
        out.print("No runs recorded yet.")
        return
    table = Table(box=None, padding=(0, 2, 0, 0))
    for column in ("started (UTC)", "run id", "runbook", "target", "outcome", "resumable"):
        table.add_column(column)
    for run in runs:
        target = run.get("target") or {}
        where = "sandbox" if target.get("sandbox") else str(target.get("url", "?"))
        outcome = str(run.get("outcome"))
        if outcome == "running" and is_resumable(run):
            outcome = "interrupted (process gone)"
        table.add_row(
            str(run.get("started_at", "?")).replace("T", " ").rstrip("Z"),
            str(run["run_id"]),
            str(run.get("runbook")),
            where,
            outcome,
            "yes" if is_resumable(run) else "",
        )
    out.print(table)


def show_run(out: Console, run: dict[str, Any]) -> None:
    """One run's journal: header, steps with their status, outcome."""
    target = run.get("target") or {}
    out.print(f"[bold]{run['run_id']}[/bold]  {run.get('runbook')}")
    out.print(f"Target: {'sandbox ' if target.get('sandbox') else ''}{target.get('url')}")
    params = run.get("parameters") or {}
    out.print("Parameters: " + ", ".join(f"{k}={v}" for k, v in params.items()))
    out.print(f"Started {run.get('started_at')}, finished {run.get('finished_at') or '-'}")
    resumable = (
        " (resumable: `runbook resume " + str(run["run_id"]) + "`)" if is_resumable(run) else ""
    )
    out.print(f"Outcome: {run.get('outcome')}{resumable}")
    if run.get("error"):
        out.print(f"Error: {escape(str(run['error']))}")
    out.print()
    marks = {"done": "✓", "failed": "✗", "skipped": "–", "running": "…", "pending": " "}
    for step in run.get("steps", []):
        duration = f"  {step['duration_s']}s" if step.get("duration_s") is not None else ""
        note = f"  ({step['note']})" if step.get("note") else ""
        out.print(
            f"{marks.get(step['status'], '?')} {step['number']:>2}  {escape(step['text'])}"
            f"  [dim]{step['status']}{duration}{escape(note)}[/dim]"
        )
