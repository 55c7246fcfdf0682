"""A pytest plugin: the suite fails if a process the tests started outlives it.

Browser servers, their Chromium, `runbook sandbox` subprocesses: a test that
leaves one running leaves it for ever on a CI runner or a laptop. At the
start of the session this process becomes a child subreaper (Linux
`prctl(PR_SET_CHILD_SUBREAPER)`), so that a grandchild whose parent died
(the node driver of a killed `python -m playwright launch-server`) is
re-parented to the test run instead of to init; at the end, every live
descendant of the test process is reported, and the run fails. Only
descendants are looked at: nothing outside the test run is ever flagged.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import time
from pathlib import Path

import pytest

__all__ = ["descendants", "stop_tree"]

_PR_SET_CHILD_SUBREAPER = 36
#: How long processes that are on their way out (a browser closing) get before they count.
GRACE_S = 10.0


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of `pid` from /proc, or None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces: split after its end.
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[1])


def _command(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "?"
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()[:160] or "?"


def descendants(root: int | None = None) -> dict[int, str]:
    """Every live (not zombie) descendant of `root` (default: this process): pid -> command."""
    root = os.getpid() if root is None else root
    children: dict[int, list[int]] = {}
    states: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        info = _stat(int(entry.name))
        if info is not None:
            states[int(entry.name)] = info[0]
            children.setdefault(info[1], []).append(int(entry.name))
    found: dict[int, str] = {}
    todo = list(children.get(root, []))
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        if states.get(pid) not in ("Z", "X"):
            found[pid] = _command(pid)
    return found


def _alive(pid: int) -> bool:
    # Zombies do not count: dead, only not yet reaped (this process never reaps
    # others' children; the kernel does once the test run exits).
    info = _stat(pid)
    return info is not None and info[0] not in ("Z", "X")


def stop_tree(pid: int, timeout_s: float = 30.0) -> None:
    """Stop process `pid`, its process group and all its descendants; wait until they are gone.

    SIGTERM to the group first (Playwright's node closes its browsers on it;
    the browsers run in groups of their own), SIGKILL to whatever is left
    after `timeout_s`.
    """
    tree = {pid, *descendants(pid)}
    with contextlib.suppress(ProcessLookupError):
        os.killpg(os.getpgid(pid), signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    while True:
        tree |= {child for parent in list(tree) for child in descendants(parent)}
        left = [p for p in tree if _alive(p)]
        if not left:
            return
        if time.monotonic() > deadline:
            for stray in left:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(stray, signal.SIGKILL)
            deadline = time.monotonic() + timeout_s
        time.sleep(0.05)


def pytest_sessionstart(session: pytest.Session) -> None:
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


@pytest.hookimpl(trylast=True)  # after the session's fixtures are torn down
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    grace = float(os.environ.get("LEFTOVERS_GRACE_S", GRACE_S))
    deadline = time.monotonic() + grace
    left = descendants()
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = descendants()
    if not left:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = [f"  {pid}  {command}" for pid, command in sorted(left.items())]
    message = "processes the tests started are still running:\n" + "\n".join(lines)
    if reporter is not None:
        reporter.write_line(message, red=True)
    for pid in left:  # ours: stopped by pid, so they do not outlive the run either
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
