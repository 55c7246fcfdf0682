"""Calling the real CLI (and other Playwright-driving code) in-process."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from runbooks._cli import main

T = TypeVar("T")


def in_thread(fn: Callable[[], T]) -> T:
    """Call `fn` on a thread of its own; return its result or raise its error.

    pytest-playwright's session-wide Playwright keeps an event loop on the main
    thread, and Playwright's sync API refuses to start a second one beside it;
    code under test that starts its own Playwright (the CLI, the session
    module) runs here instead. In-process, not a subprocess, so that the
    no-egress guard sees its browser too.
    """
    results: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            results.append(fn())
        except BaseException as exc:  # re-raised on the caller's thread
            errors.append(exc)

    worker = threading.Thread(target=target)
    worker.start()
    worker.join()
    if errors:
        raise errors[0]
    return results[0]


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def run_cli(*args: str) -> Result:
    """`runbook ARGS...`: the exit code and what went to stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = in_thread(lambda: main(list(args), stdout=out, stderr=err))
    return Result(code, out.getvalue(), err.getvalue())
