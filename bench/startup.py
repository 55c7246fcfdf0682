"""CLI start-up: wall and CPU of the commands that open no browser.

Each command runs in a fresh interpreter (the installed `runbook` entry
point's own Python), N times; the table gives the median and the range.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

from bench._measure import load, spread, timed

COMMANDS = {
    "runbook --help": ["--help"],
    "runbook list": ["list"],
    "runbook show gravitee-cloud-token": ["show", "gravitee-cloud-token"],
    "runbook run gravitee-cloud-token --dry-run": [
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--secret-to",
        "file:token.txt",
        "--dry-run",
    ],
}


def rows(runs: int) -> list[tuple[str, str, str]]:
    """(command, wall, cpu) rows, medians of `runs` runs each."""
    out = []
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUNBOOK_")}
    with tempfile.TemporaryDirectory() as cwd:
        for name, args in COMMANDS.items():
            argv = [sys.executable, "-m", "runbooks", *args]
            costs = [timed(argv, env=env, cwd=cwd) for _ in range(runs)]
            out.append((name, spread([c.wall for c in costs]), spread([c.cpu for c in costs])))
    return out


def main(argv: list[str] | None = None) -> None:
    """Print the start-up table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"CLI start-up (median [min-max] of {args.runs}; load {load()}); goal: CPU <= 0.150 s")
    print(f"{'command':<46} {'wall s':>22} {'CPU s':>22}")
    for name, wall, cpu in rows(args.runs):
        print(f"{name:<46} {wall:>22} {cpu:>22}")


if __name__ == "__main__":
    main()
