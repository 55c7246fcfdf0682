"""A vendor plugs in from outside: the README's example, run end to end, no engine edit."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from runbooks._registry import PORTALS, RUNBOOKS
from tests.acme_replica import AcmeReplica
from tests.cli import run_cli

ROOT = Path(__file__).resolve().parent.parent


def readme_example() -> str:
    """The first Python block of the README's "Adding a runbook or a vendor" section."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Adding a runbook or a vendor", 1)[1].split("\n## ", 1)[0]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found, "the README section has no Python example"
    return found.group(1)


@pytest.fixture
def acme_vendor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The README's vendor as an installed package, in a folder put on sys.path."""
    site = tmp_path / "site"
    package = site / "acme_keys"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(readme_example())
    (package / "_replica.py").write_text("from tests.acme_replica import AcmeReplica\n")
    info = site / "acme_keys-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-keys\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[runbook.vendors]\nacme = acme_keys\n")
    assert "acme" not in PORTALS and "acme-key" not in RUNBOOKS
    monkeypatch.syspath_prepend(str(site))
    yield site
    monkeypatch.undo()
    assert "acme-key" not in RUNBOOKS, "gone again with its folder off sys.path"


def test_a_throwaway_vendor_runs_end_to_end(acme_vendor: Path, tmp_path: Path) -> None:
    assert PORTALS["acme"].title == "Acme Cloud" and "acme-key" in RUNBOOKS

    listed = run_cli("list")
    assert "acme-key" in listed.out and "Acme Cloud: create an API key" in listed.out

    result = run_cli("run", "acme-key", "--secret-to", f"file:{tmp_path}/acme.key")
    assert result.code == 0, result.text
    (key,) = AcmeReplica.started[-1].keys
    assert (tmp_path / "acme.key").read_text().strip() == key
    assert key not in result.text and "SANDBOX" in result.err
    for number in ("1", "2", "3"):
        assert f"✓ {number:>2}  " in result.err, result.err
    (run_dir,) = Path("recordings").iterdir()
    journal = (run_dir / "run.json").read_text()
    assert key not in journal
    data = json.loads(journal)
    assert data["outcome"] == "succeeded" and data["portal"] == "acme"
    assert data["steps"][1]["delivered"] is True
    shots = sorted(p.name for p in (run_dir / "screenshots").iterdir())
    assert shots == ["step-1.png", "step-2.png", "step-3.png"]


def test_the_env_example_keys_come_from_the_portal(acme_vendor: Path) -> None:
    assert PORTALS["acme"].env_keys == (
        "RUNBOOK_ACME_URL",
        "RUNBOOK_ACME_EMAIL",
        "RUNBOOK_ACME_PASSWORD",
    )
