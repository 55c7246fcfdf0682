"""The read-only commands start without the heavy packages (issue 13).

`runbook --help`, `list`, `show` and a `--dry-run` start no browser and open no keystore: they
must not import Playwright (nor its greenlet), cryptography, Pillow, pixelmatch or the sandbox.
Each runs in a fresh interpreter, which then says which top-level packages it loaded. Nothing is
timed here (`bench/` measures); a heavy import that comes back fails this test, wherever it is.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = {"playwright", "greenlet", "cryptography", "PIL", "pixelmatch", "sandbox"}
DRY_RUN = [
    *("run", "gravitee-cloud-token", "--gateway", "eu-prod-gw"),
    *("--secret-to", "file:token", "--target", "sandbox", "--dry-run"),
]

# Runs the command as the `runbook` script does (sys.argv, then main()), or only imports a
# module; then writes the exit code and the loaded top-level packages to the report file.
PROBE = """
import importlib, json, sys

report, module, *argv = sys.argv[1:]
code = 0
if module:
    importlib.import_module(module)
else:
    sys.argv = ["runbook", *argv]
    from runbooks._cli import main

    try:
        code = main()
    except SystemExit as exc:
        code = exc.code
import runbooks

with open(report, "w") as out:
    loaded = sorted({name.partition(".")[0] for name in sys.modules})
    json.dump({"code": code, "runbooks": runbooks.__file__, "loaded": loaded}, out)
"""


def probe(tmp_path: Path, *argv: str, module: str = "") -> dict[str, Any]:
    """Run the probe in a fresh interpreter, in the test's folder and environment."""
    report = tmp_path / "report.json"
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(report), module, *argv],
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result: dict[str, Any] = json.loads(report.read_text())
    # This checkout's code, not another copy installed in the environment.
    assert Path(result["runbooks"]).is_relative_to(ROOT / "runbooks"), result["runbooks"]
    result["out"] = done.stdout
    return result


@pytest.mark.parametrize(
    ("argv", "shown"),
    [
        (["--help"], "exit codes:"),
        (["list"], "gravitee-cloud-token"),
        (["show", "gravitee-cloud-token"], "--gateway"),
        (DRY_RUN, "Dry run: nothing was started."),
    ],
    ids=["help", "list", "show", "dry-run"],
)
def test_read_only_commands_import_nothing_heavy(
    argv: list[str], shown: str, tmp_path: Path
) -> None:
    result = probe(tmp_path, *argv)
    assert result["code"] == 0, result["out"]
    assert shown in result["out"]
    assert HEAVY.isdisjoint(result["loaded"]), sorted(HEAVY.intersection(result["loaded"]))


def test_the_probe_sees_a_heavy_import(tmp_path: Path) -> None:
    # The check above is only worth something if the probe would see one: the browser
    # session module imports Playwright, as any run that opens a browser does.
    result = probe(tmp_path, module="runbooks._session")
    assert {"playwright", "greenlet"} <= set(result["loaded"])
