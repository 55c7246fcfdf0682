"""`runbook docs`: documentation screenshots, reviewed like code (issue #12).

Capture (`runbook docs RUNBOOK|--all --out DIR`), review and approve: its `--help`, in
`runbooks._cli_tools` (the parser is built without importing this module). Nothing approved
is overwritten without an approval.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from rich.markup import escape

from runbooks._config import PREFIX, Settings
from runbooks._docsguide import write_guide
from runbooks._docsmode import CaptureOptions, DocsCapture, DocsMode
from runbooks._docsrehearse import docs_browsers, rehearse_live
from runbooks._docsreview import EXIT_ERROR, approve, exit_code, review
from runbooks._docsset import DocsSet
from runbooks._engine import Runner, RunOptions
from runbooks._errors import UsageError
from runbooks._model import Runbook
from runbooks._output import Reporter
from runbooks._registry import RUNBOOKS, get_runbook
from runbooks._secrets import Redactor, Secret
from runbooks._sinks import Sink

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["EXAMPLES", "docs_command"]

#: Parameters that make each runbook's sandbox run a good example (`--param` overrides).
EXAMPLES: Mapping[str, Mapping[str, str]] = {
    "gravitee-cloud-token": {"gateway": "eu-prod-gw"},
    "cloudeka-token": {"name": "docs-example", "expires": "2027-06-30"},
}
_VIEWPORT = re.compile(r"(\d{2,5})x(\d{2,5})")


class _Discard(Sink):
    """Where a sandbox run's secrets go: nowhere (they open nothing)."""

    def check(self) -> None:
        return None

    def deliver(self, secret: Secret) -> None:
        return None

    def describe(self) -> str:
        return "nowhere (a docs run on the sandbox)"


def _options(args: argparse.Namespace) -> CaptureOptions:
    match = _VIEWPORT.fullmatch(args.viewport)
    if not match:
        raise UsageError(f"--viewport {args.viewport!r} is not WIDTHxHEIGHT, e.g. 1280x800")
    if not 0.5 <= args.scale <= 4:
        raise UsageError(f"--scale {args.scale} is out of range (0.5 to 4)")
    if args.crop is not None and args.crop < 0:
        raise UsageError("--crop takes a padding of 0 or more pixels")
    scheme = cast(Literal["light", "dark"], args.color_scheme)
    viewport = (int(match.group(1)), int(match.group(2)))
    return CaptureOptions(args.scale, viewport, scheme, args.crop)


def _params(runbook: Runbook, given: Mapping[str, str]) -> dict[str, Any] | None:
    """The run's parameters; None when a required one has no value."""
    values: dict[str, Any] = {}
    for param in runbook.params:
        raw = given.get(param.name, EXAMPLES.get(runbook.name, {}).get(param.name))
        if param.flag:
            values[param.name] = str(raw).lower() in ("1", "true", "yes") if raw else False
        elif raw is not None:
            values[param.name] = raw
        elif param.required:
            return None
        else:
            values[param.name] = param.default
    return values


def _given(items: Sequence[str]) -> dict[str, str]:
    given = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"--param {item!r} is not NAME=VALUE")
        given[name.strip().lstrip("-").replace("-", "_")] = value
    return given


def _guide(out: Path, runbook: Runbook) -> Path:
    url = runbook.guide.rsplit(" ", 1)[-1]
    return write_guide(
        out,
        runbook.name,
        [(s.number, s.text) for s in runbook.steps],
        title=runbook.title,
        guide_url=url if url.startswith("http") else None,
    )


def _sandbox(
    runbook: Runbook,
    params: Mapping[str, Any],
    options: CaptureOptions,
    settings: Settings,
    err: Console,
    redactor: Redactor,
    out: Path,
) -> DocsCapture:
    return capture_runbook(runbook, params, out, options, settings, err, redactor)


def capture_runbook(
    runbook: Runbook,
    params: Mapping[str, Any],
    out: Path,
    options: CaptureOptions,
    settings: Settings,
    err: Console,
    redactor: Redactor,
) -> DocsCapture:
    """Run `runbook` on a fresh sandbox under the docs mode; its images become candidates."""
    docs = DocsSet(out)
    capture = DocsCapture(docs, runbook, redactor.values, options)
    with tempfile.TemporaryDirectory(prefix="runbook-docs-") as scratch:
        # A fresh sandbox each time: the same state, so the same screens, run after run.
        fresh = Settings({**settings.values, f"{PREFIX}DATA_DIR": str(Path(scratch) / "data")})
        run = RunOptions(
            target="sandbox",
            sink=_Discard(),
            record="off",
            recordings=Path(scratch) / "recordings",
            mode=DocsMode(capture),
            observers=(capture,),
            browsers=docs_browsers(fresh, options),
        )
        Runner(fresh, Reporter(err), redactor).run(runbook, params, run)
    _guide(out, runbook)
    return capture


def _capture(args: argparse.Namespace, settings: Settings, redactor: Redactor, err: Console) -> int:
    live = args.target not in (None, "sandbox")
    if args.rehearse and not live:
        raise UsageError("--rehearse captures a live portal: give it --target URL")
    if live and not args.rehearse:
        raise UsageError(
            "runbook docs performs every step, which changes the portal: on a live portal "
            "it needs --rehearse"
        )
    if args.out is None:
        raise UsageError("runbook docs needs --out DIR (the screenshots folder)")
    if bool(args.all) == bool(args.words):
        raise UsageError("name one runbook, or --all (see `runbook docs --help`)")
    if len(args.words) > 1:
        raise UsageError(f"one runbook at a time, or --all: got {' '.join(args.words)}")
    options = _options(args)
    given = _given(args.param)
    runbooks = list(RUNBOOKS.values()) if args.all else [get_runbook(args.words[0])]
    for runbook in runbooks:
        params = _params(runbook, given)
        if params is None:
            missing = [p.option for p in runbook.params if p.required and p.name not in given]
            if not args.all:
                raise UsageError(f"{runbook.name} needs --param for {', '.join(missing)}")
            err.print(f"[yellow]skipped[/yellow] {runbook.name}: needs {', '.join(missing)}")
            continue
        if live:
            capture = rehearse_live(
                runbook,
                params,
                DocsCapture(DocsSet(args.out), runbook, redactor.values, options, source="live"),
                Runner(settings, Reporter(err), redactor),
                RunOptions(
                    target=args.target, sink=_Discard(), browsers=docs_browsers(settings, options)
                ),
                partial(_sandbox, runbook, params, options, settings, err, redactor),
            )
            _guide(args.out, runbook)
        else:
            capture = capture_runbook(runbook, params, args.out, options, settings, err, redactor)
        where = DocsSet(args.out).candidates / runbook.name
        err.print(f"{runbook.name}: {len(capture.captures)} image(s) in {escape(str(where))}")
    err.print(f"Next: runbook docs review {escape(str(args.out))}")
    return 0


def _review(folder: Path, out: Console, err: Console) -> int:
    docs = DocsSet(folder)
    if not docs.candidate_keys():
        raise UsageError(f"no candidates in {folder}: run `runbook docs ... --out {folder}` first")
    try:
        result = review(folder)
    except (OSError, ValueError) as exc:
        err.print(f"[red]review failed[/red]: {escape(str(exc))}")
        return EXIT_ERROR
    for status in ("changed", "new", "missing", "unchanged"):
        for item in result.by_status(status):
            out.print(f"{status:9}  {item.runbook}:{item.step}")
    err.print(f"Review page: {escape(str(result.page))}")
    return exit_code(result)


def _approve(folder: Path, selectors: Sequence[str], err: Console) -> int:
    for selector in selectors:
        get_runbook(selector.split(":", 1)[0])  # an unknown runbook is a usage error
    written = approve(folder, list(selectors) or None)
    if not written:
        raise UsageError(
            f"nothing to approve in {folder} for {' '.join(selectors) or 'any runbook'}"
        )
    for name in sorted({p.parent.name for p in written}):
        _guide(folder, get_runbook(name))
    err.print(f"Approved {len(written)} image(s) in {escape(str(folder))}")
    return 0


def docs_command(
    args: argparse.Namespace, settings: Settings, redactor: Redactor, err: Console, out: Console
) -> int:
    """`runbook docs ...`; returns the exit code.

    Raises:
        RunbookError: bad usage, or a run failed.
    """
    words: list[str] = list(args.words)
    if words and words[0] in ("review", "approve"):
        if len(words) < 2:
            raise UsageError(f"runbook docs {words[0]} needs the screenshots folder")
        folder = Path(words[1])
        if not folder.is_dir():
            raise UsageError(f"{folder} is not a folder")
        if words[0] == "review":
            if len(words) > 2:
                raise UsageError("runbook docs review takes one folder")
            return _review(folder, out, err)
        return _approve(folder, words[2:], err)
    return _capture(args, settings, redactor, err)
