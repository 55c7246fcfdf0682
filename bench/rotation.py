"""A rotation by `runbook run` against the same rotation as a bare Playwright script.

Both drive the same sandbox replicas (started here, with API latency) in
turns: bare, tool, bare, tool ... so that a change in the machine's load
falls on both sides of a pair. Each side is its own process; its CPU is that
process plus everything it reaped (Playwright's driver and the browser), read
from ``RUSAGE_CHILDREN`` deltas. The replicas run in this process and are
counted on neither side. The tool runs through `bench._tool`, which reports
its own Python process's peak RSS (not the driver's, not the browser's).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bench._measure import Cost, load, spread, timed

#: `runbook run --record`'s choices; the CLI's default is retain-on-failure.
RECORD_MODES = ("retain-on-failure", "on", "off")

if TYPE_CHECKING:
    from sandbox import CloudekaSandbox, GraviteeSandbox


@dataclass(frozen=True)
class Rotation:
    """How to run one runbook on both sides: its portal and each side's arguments.

    `tool` and `bare` take the bench's temporary folder and the run's number, and
    return the tool's runbook arguments (after `run NAME`, before `--secret-to`) and
    the bare twin's arguments after its OUT_FILE. Whatever must be unique in the
    portal (a token's name) or is written (a keystore) is per side and per run:
    both sides create tokens in one sandbox, turn about.
    """

    portal: str
    tool: Callable[[Path, int], list[str]]
    bare: Callable[[Path, int], list[str]] = lambda work, i: []


def _expires() -> str:
    """An Expired date 30 days ahead, as a nightly rotation would give it."""
    return (date.today() + timedelta(days=30)).isoformat()


RUNBOOKS: dict[str, Rotation] = {
    "gravitee-cloud-token": Rotation("gravitee", lambda work, i: ["--gateway", "eu-prod-gw"]),
    "gravitee-cert-renewal": Rotation(
        "gravitee",
        # A new keystore file each run: no previous one, so no backup on either side.
        lambda work, i: ["--keystore", str(work / f"tool-{i}.p12")],
        lambda work, i: [str(work / f"bare-{i}.p12"), f"renewcert-bare-{i}"],
    ),
    "cloudeka-token": Rotation(
        "cloudeka",
        # Token names are unique per account (409 otherwise): one name per side and run.
        lambda work, i: ["--name", f"bench-tool-{i}", "--expires", _expires()],
        lambda work, i: [f"bench-bare-{i}", _expires()],
    ),
}


@dataclass
class Pairs:
    """The paired runs of one runbook under one recording setting."""

    bare: list[Cost] = field(default_factory=list)
    tool: list[Cost] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)

    def ratios(self, what: str) -> list[float]:
        """Tool over bare, pair by pair, of `what` ("wall" or "cpu")."""
        return [
            getattr(t, what) / getattr(b, what) for b, t in zip(self.bare, self.tool, strict=True)
        ]


def _sandbox(portal: str, data: Path, latency: float) -> GraviteeSandbox | CloudekaSandbox:
    from sandbox import CloudekaSandbox, GraviteeSandbox

    # The plain skin, whatever RUNBOOK_SANDBOX_SKIN says: the bare twins know its markup only.
    if portal == "gravitee":
        return GraviteeSandbox(data, latency=latency, skin="plain").start()
    return CloudekaSandbox(data, latency=latency, skin="plain").start()


def measure(name: str, record: str, runs: int, latency: float) -> Pairs:
    """`runs` interleaved pairs of the bare script and `runbook run name --record record`."""
    rotation = RUNBOOKS[name]
    portal = rotation.portal
    pairs = Pairs()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sb = _sandbox(portal, work / "sandbox", latency)
        try:
            env = {k: v for k, v in os.environ.items() if not k.startswith("RUNBOOK_")}
            prefix = f"RUNBOOK_{portal.upper()}_"
            env |= {prefix + "URL": sb.url, prefix + "EMAIL": sb.EMAIL}
            env |= {prefix + "PASSWORD": sb.PASSWORD}
            # The tool's own state (audit log, locks, saved sign-ins) in the bench's folder.
            env |= {"RUNBOOK_DATA_DIR": str(work / "data")}
            bare = [sys.executable, "-m", "bench.bare", name, sb.url, sb.EMAIL, sb.PASSWORD]
            for i in range(runs):
                out = str(work / f"bare-{i}.txt")
                pairs.bare.append(timed([*bare, out, *rotation.bare(work, i)], cwd=os.getcwd()))
                rss = work / f"rss-{i}"
                extra = rotation.tool(work, i)
                tool = [sys.executable, "-m", "bench._tool", str(rss), "run", name, *extra]
                tool += ["--secret-to", f"file:{work / f'tool-{i}.txt'}", "--record", record]
                tool += ["--recordings", str(work / "recordings")]
                pairs.tool.append(timed(tool, env=env, cwd=os.getcwd()))
                pairs.rss_kb.append(int(rss.read_text()))
        finally:
            sb.stop()
    return pairs


def main(argv: list[str] | None = None) -> None:
    """Print the rotation table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--latency", type=float, default=0.3, help="seconds per API call")
    parser.add_argument("--runbook", action="append", choices=sorted(RUNBOOKS))
    parser.add_argument(
        "--record",
        action="append",
        choices=RECORD_MODES,
        help="default: retain-on-failure (the CLI's default) and off",
    )
    args = parser.parse_args(argv)
    names = args.runbook or list(RUNBOOKS)
    records = args.record or ["retain-on-failure", "off"]
    print(
        f"Rotations ({args.runs} interleaved pairs, {args.latency * 1000:.0f} ms API latency, "
        f"load {load()}); CPU includes driver + browser on both sides"
    )
    print("goals: wall ratio <= 1.10 (recording), CPU ratio <= 1.30, tool RSS < 100 MB")
    head = ("runbook", "record", "bare wall s", "tool wall s", "wall x", "bare CPU s", "tool CPU s")
    print(
        f"{head[0]:<22} {head[1]:<17} "
        + " ".join(f"{h:>20}" for h in head[2:])
        + " CPU x  RSS MB  load"
    )
    for name in names:
        for record in records:
            p = measure(name, record, args.runs, args.latency)
            cells = [
                spread([c.wall for c in p.bare]),
                spread([c.wall for c in p.tool]),
                spread(p.ratios("wall")),
                spread([c.cpu for c in p.bare]),
                spread([c.cpu for c in p.tool]),
            ]
            cpu_x = statistics.median(p.ratios("cpu"))
            rss = max(p.rss_kb) / 1024
            print(
                f"{name:<22} {record:<17} "
                + " ".join(f"{c:>20}" for c in cells)
                + f" {cpu_x:5.2f} {rss:6.1f} {load():>5}",
                flush=True,
            )


if __name__ == "__main__":
    main()
