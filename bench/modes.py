"""`runbook check --all` and `runbook docs`: wall, CPU and the tool's peak RSS.

Checks: one Gravitee and one Cloudeka replica, started here with API latency
(300 ms by default) and the plain skin, are the configured portals
(`RUNBOOK_<PORTAL>_URL`, `_EMAIL`, `_PASSWORD`); `runbook check --all` runs
against them with `--workers 1` and `--workers 4` in turns (1, 4, 1, 4 ...), so
that a change in the machine's load falls on both sides of a pair, compared
with the repository's plain-skin baselines (read, never written). A check
changes nothing, so one pair of replicas serves every run. There are three
checks: `--workers 4` runs them three at a time.

Docs: `runbook docs --all --out DIR` starts a fresh embedded sandbox per
runbook itself (no latency: the docs command has no way to add it), and its
CPU includes those sandboxes. `--param keystore=...` is given so that
gravitee-cert-renewal, which has no docs example for its required --keystore,
is captured too. Then `runbook docs approve DIR`, and `runbook docs review DIR`
of an unchanged set: the candidates just approved are put back as candidates,
so the review compares every image with an identical one (a second capture is
not byte-identical: see bench/README.md).

Every command runs through `bench._tool` (its own Python process's peak RSS);
CPU is that process and everything it reaped (drivers, browsers).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench._measure import Cost, load, spread, timed

#: The structure baselines a check compares with (the sandbox's plain skin).
BASELINES = Path(__file__).resolve().parents[1] / "tests" / "baselines" / "plain"
WORKERS = (1, 4)


@dataclass(frozen=True)
class Measured:
    """One command's run: its cost and the tool's peak RSS in kB."""

    cost: Cost
    rss_kb: int


def _tool(argv: Sequence[str], work: Path, env: Mapping[str, str]) -> Measured:
    rss = work / "rss"
    cost = timed([sys.executable, "-m", "bench._tool", str(rss), *argv], env=env, cwd=os.getcwd())
    return Measured(cost, int(rss.read_text()))


def _clean_env(work: Path) -> dict[str, str]:
    """The environment without the caller's runbook settings; the tool's state in `work`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUNBOOK_")}
    return env | {"RUNBOOK_DATA_DIR": str(work / "data")}


@contextmanager
def _portals(work: Path, latency: float) -> Iterator[dict[str, str]]:
    """Both replicas running; the environment that makes them the configured portals."""
    from sandbox import CloudekaSandbox, GraviteeSandbox

    env = _clean_env(work)
    gravitee = GraviteeSandbox(work / "gravitee", latency=latency, skin="plain").start()
    try:
        cloudeka = CloudekaSandbox(work / "cloudeka", latency=latency, skin="plain").start()
        try:
            for prefix, sb in (("GRAVITEE", gravitee), ("CLOUDEKA", cloudeka)):
                env |= {f"RUNBOOK_{prefix}_URL": sb.url, f"RUNBOOK_{prefix}_EMAIL": sb.EMAIL}
                env |= {f"RUNBOOK_{prefix}_PASSWORD": sb.PASSWORD}
            yield env
        finally:
            cloudeka.stop()
    finally:
        gravitee.stop()


def measure_checks(runs: int, latency: float) -> dict[int, list[Measured]]:
    """`runs` turns of `runbook check --all` with each number of workers."""
    found: dict[int, list[Measured]] = {w: [] for w in WORKERS}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with _portals(work, latency) as env:
            for _ in range(runs):
                for workers in WORKERS:
                    argv = ["check", "--all", "--workers", str(workers)]
                    argv += ["--baselines", str(BASELINES), "--recordings", str(work / "rec")]
                    found[workers].append(_tool(argv, work, env))
    return found


def measure_docs(runs: int) -> dict[str, list[Measured]]:
    """`runs` times: docs --all into a new folder, approve, review of the unchanged set."""
    found: dict[str, list[Measured]] = {"docs --all": [], "docs approve": [], "docs review": []}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = _clean_env(work)
        for i in range(runs):
            out = work / f"shots-{i}"
            keystore = f"keystore={work / f'docs-{i}.p12'}"
            argv = ["docs", "--all", "--out", str(out), "--param", keystore]
            found["docs --all"].append(_tool(argv, work, env))
            candidates = out / ".candidates"
            shutil.copytree(candidates, work / "captured")
            found["docs approve"].append(_tool(["docs", "approve", str(out)], work, env))
            # The same images again as candidates: a review with nothing changed (exit 0).
            shutil.rmtree(candidates)
            shutil.move(work / "captured", candidates)
            found["docs review"].append(_tool(["docs", "review", str(out)], work, env))
    return found


def _row(name: str, runs: Sequence[Measured]) -> str:
    wall = spread([m.cost.wall for m in runs])
    cpu = spread([m.cost.cpu for m in runs])
    rss = max(m.rss_kb for m in runs) / 1024
    return f"{name:<30} {wall:>24} {cpu:>24} {rss:7.1f}"


def main(argv: list[str] | None = None) -> None:
    """Print the checks and docs tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--latency", type=float, default=0.3, help="seconds per API call")
    parser.add_argument(
        "--docs-runs", type=int, help="runs of the docs commands (default: --runs; 0: none)"
    )
    args = parser.parse_args(argv)
    docs_runs = args.runs if args.docs_runs is None else args.docs_runs
    head = f"{'command':<30} {'wall s':>24} {'CPU s':>24} {'RSS MB':>7}"
    print(
        f"runbook check --all ({args.runs} turns of 1 and 4 workers, "
        f"{args.latency * 1000:.0f} ms API latency, load {load()}); tool's peak RSS"
    )
    print(head)
    checks = measure_checks(args.runs, args.latency)
    for workers, runs in checks.items():
        print(_row(f"check --all --workers {workers}", runs), flush=True)
    ratios = [
        one.cost.wall / four.cost.wall for one, four in zip(checks[1], checks[4], strict=True)
    ]
    print(f"wall, 1 worker / 4 workers, per turn: {spread(ratios)}; load now {load()}")
    if docs_runs < 1:
        return
    print()
    print(f"runbook docs ({docs_runs} runs, embedded sandboxes without latency, load {load()})")
    print(head)
    for name, runs in measure_docs(docs_runs).items():
        print(_row(name, runs), flush=True)
    print(f"load now {load()}")


if __name__ == "__main__":
    main()
