"""Make sure a Chromium exists for Playwright to drive; say how if it cannot.

Order: a Playwright-managed Chromium, else a system Chromium or Chrome, else
`python -m playwright install chromium`, else (Debian, as root)
`apt-get install -y chromium`. Exits 1 with a one-line instruction when none
of that works.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from playwright.sync_api import sync_playwright

from runbooks._errors import BrowserError
from runbooks._session import INSTALL_HINT, resolve_browser


def _found() -> str | None:
    with sync_playwright() as pw:
        managed = pw.chromium.executable_path
    try:
        choice = resolve_browser(os.environ.get("RUNBOOK_BROWSER"), managed)
    except BrowserError:
        return None
    return choice.executable_path or choice.channel or managed


def _attempt(argv: list[str], timeout: int) -> bool:
    print("ensure-browser: trying", " ".join(argv), file=sys.stderr)
    try:
        return subprocess.run(argv, timeout=timeout, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def main() -> int:
    """Find or install a browser; 0 when one is usable."""
    found = _found()
    if found:
        print(f"ensure-browser: using {found}")
        return 0
    if _attempt([sys.executable, "-m", "playwright", "install", "chromium"], 600) and _found():
        return main()
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if is_root and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for argv in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
            print("ensure-browser: trying", " ".join(argv), file=sys.stderr)
            subprocess.run(argv, env=env, timeout=900, check=False)
        if _found():
            return main()
    print(f"ensure-browser: {INSTALL_HINT}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
