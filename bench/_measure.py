"""Wall and CPU time of a subprocess tree, and a table of them."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Cost:
    """One run's cost: wall seconds and CPU seconds (user + system) of the process tree."""

    wall: float
    cpu: float


def timed(
    argv: Sequence[str], env: Mapping[str, str] | None = None, cwd: str | None = None
) -> Cost:
    """Run `argv` to its end; its wall time and the CPU time of it and every child it reaped.

    ``RUSAGE_CHILDREN`` counts the descendants that were waited for: the Playwright
    driver and the browser's processes are included, on both sides alike.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(
        list(argv), env=dict(env) if env is not None else None, cwd=cwd, capture_output=True
    )
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(argv[:4])}... exited {done.returncode}: "
            + done.stderr.decode(errors="replace")[-1500:]
        )
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Cost(wall, cpu)


def spread(values: Sequence[float]) -> str:
    """Median, with min-max: the figures a paired benchmark on a shared machine can give."""
    return f"{statistics.median(values):.3f} [{min(values):.3f}-{max(values):.3f}]"


def load() -> str:
    """The 1-minute load average now (the machine may be shared)."""
    return f"{os.getloadavg()[0]:.1f}"
