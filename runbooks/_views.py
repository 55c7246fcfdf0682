"""Read-only views for the CLI: a run's plan (`--dry-run`), the runs list, one run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from runbooks._model import Param, Runbook, Step
from runbooks._output import print_block
from runbooks._runs import is_resumable, outcome_of
from runbooks._sinks import SINK_FORMS

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["show_list", "show_plan", "show_run", "show_runbook", "show_runs"]

# Every text shown here comes from a definition, a journal or the user: it is
# printed as `Text`, never parsed as rich markup (a `[s]` would vanish).


def _grid(gap: int = 2) -> Table:
    """Two or more aligned columns, no borders, wrapping (never cutting) the last."""
    return Table(show_header=False, box=None, padding=(0, gap, 0, 0), pad_edge=False)


def show_list(out: Console, runbooks: Sequence[Runbook]) -> None:
    """`runbook list`: names and titles, in two aligned columns."""
    table = _grid()
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for runbook in runbooks:
        table.add_row(runbook.name, Text(runbook.title))
    print_block(out, table)


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
    out.print(Text.assemble(("Plan", "bold"), f" for {runbook.name}: {runbook.title}"))
    out.print(Text(f"Target: {target}"))
    shown = ", ".join(f"{k}={v}" for k, v in params.items() if v not in (None, False))
    out.print(Text(f"Parameters: {shown or '(none)'}"))
    out.print(Text(f"Secret goes to: {sink or '(no secret)'}"))
    out.print(Text(f"Mode: {'guided (attended)' if guided else 'unattended'}"))
    for warning in warnings or []:
        out.print(Text.assemble(("warning:", "yellow"), f" {warning}"))
    out.print()
    _show_steps(out, runbook.plan(params))
    out.print()
    out.print(Text("Dry run: nothing was started.", style="dim"))


def _show_steps(out: Console, steps: Sequence[Step]) -> None:
    table = _grid(gap=1)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(overflow="fold")
    for step in steps:
        flags = [
            f
            for f, on in (("destructive", step.destructive), ("shows a secret", step.reveals))
            if on
        ]
        line = Text(step.text)
        if flags:
            line.append(f"  ({', '.join(flags)})", style="yellow")
        table.add_row(f"   {step.number}.", line)
    print_block(out, table)


def _param_need(param: Param) -> str:
    """Whether a parameter must be given, in words for `runbook show`."""
    if param.required and not param.flag:
        return "required"
    if param.instead_of:
        return f"or {param.instead_of}" if param.flag else f"required unless {param.instead_of}"
    return "optional"


def show_runbook(out: Console, runbook: Runbook) -> None:
    """`runbook show`: what a runbook needs and the guide's steps in the guide's order."""
    out.print(Text.assemble((runbook.name, "bold"), f": {runbook.title}"))
    out.print(Text(f"Portal: {runbook.portal}    Guide: {runbook.guide}"))
    out.print()
    out.print("Parameters:")
    table = _grid()
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, style="dim")
    table.add_column(overflow="fold")
    for param in runbook.params:
        shown = param.option if param.flag else f"{param.option} {param.metavar}"
        need = _param_need(param)
        help_ = param.help
        if param.choices:
            help_ += f" (one of: {', '.join(param.choices)})"
        if param.default is not None:
            help_ += f" (default: {param.default})"
        table.add_row(f"  {shown}", need, Text(help_))
    if runbook.creates_secret:
        table.add_row(
            "  --secret-to SINK", "required", Text(f"where the new secret goes: {SINK_FORMS}")
        )
    print_block(out, table)
    out.print()
    out.print("Steps:")
    _show_steps(out, runbook.steps)


def _where(run: Mapping[str, Any]) -> str:
    target = run.get("target") or {}
    return "sandbox" if target.get("sandbox") else str(target.get("url", "?"))


def _subject(run: Mapping[str, Any]) -> str:
    """What the run changed within its portal: the gateway, the token name or the keystore."""
    params = run.get("parameters") or {}
    for key in ("gateway", "name", "keystore"):
        if params.get(key):
            return str(params[key])
    return ""


def _time(value: Any) -> str:
    """A journal time (ISO, UTC) as `2026-12-01 22:54:29 UTC`."""
    if not value:
        return "-"
    text = str(value).replace("T", " ")
    return text[:-1] + " UTC" if text.endswith("Z") else text


def show_runs(out: Console, runs: list[dict[str, Any]]) -> None:
    """The recent runs, newest first.

    The run id, which `runbook resume` needs, is never cut or folded: it has a
    line of its own under the row that describes the run. The columns are laid
    out here rather than by a rich table, whose widths the id would stretch.
    """
    if not runs:
        out.print("No runs recorded yet.")
        return
    header = ("started", "runbook", "gateway / name", "target", "outcome", "resumable")
    rows = [
        (
            _time(run.get("started_at")),
            str(run.get("runbook")),
            _subject(run),
            _where(run),
            outcome_of(run),
            "yes" if is_resumable(run) else "",
        )
        for run in runs
    ]
    widths = [max(cell_len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell + " " * (width - cell_len(cell)) for cell, width in zip(cells, widths, strict=True)
        ]
        return "  ".join(padded).rstrip()

    out.print(Text(line(header), style="bold"))
    for run, row in zip(runs, rows, strict=True):
        out.print(Text(line(row)))
        out.print(Text(f"  run id {run['run_id']}", style="dim"))


def show_run(out: Console, run: dict[str, Any]) -> None:
    """One run's journal: header, steps with their status, outcome."""
    target = run.get("target") or {}
    out.print(Text.assemble((str(run["run_id"]), "bold"), f"  {run.get('runbook')}"))
    out.print(Text(f"Target: {'sandbox ' if target.get('sandbox') else ''}{target.get('url')}"))
    params = run.get("parameters") or {}
    out.print(Text("Parameters: " + ", ".join(f"{k}={v}" for k, v in params.items())))
    if run.get("sink"):
        out.print(Text(f"Secret goes to: {run['sink']}"))
    out.print(
        Text(f"Started {_time(run.get('started_at'))}, finished {_time(run.get('finished_at'))}")
    )
    for when in run.get("resumed_at") or []:
        out.print(Text(f"Resumed {_time(when.replace('+00:00', 'Z'))}"))
    resumable = (
        " (resumable: `runbook resume " + str(run["run_id"]) + "`)" if is_resumable(run) else ""
    )
    out.print(Text(f"Outcome: {outcome_of(run)}{resumable}"))
    if run.get("error"):
        out.print(Text(f"Error: {run['error']}"))
    out.print()
    marks = {"done": "✓", "failed": "✗", "skipped": "–", "running": "…", "pending": " "}
    table = _grid()
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(overflow="fold")
    table.add_column(style="dim", overflow="fold")
    for step in run.get("steps", []):
        duration = f"  {step['duration_s']}s" if step.get("duration_s") is not None else ""
        note = f"  ({step['note']})" if step.get("note") else ""
        table.add_row(
            marks.get(step["status"], "?"),
            str(step["number"]),
            Text(step["text"]),
            Text(f"{step['status']}{duration}{note}"),
        )
    print_block(out, table)
