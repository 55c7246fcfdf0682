"""What the tool keeps is private: folders 0700, files 0600, the replica's database too."""

from __future__ import annotations

import stat
from pathlib import Path

from runbooks._files import make_private_dir, write_private
from sandbox import GraviteeSandbox
from tests.cli import run_cli


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_make_private_dir_makes_every_missing_folder_0700(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir(mode=0o755)
    made = make_private_dir(tmp_path / "mine" / "recordings" / "run-1")
    assert mode(made) == 0o700 and mode(made.parent) == 0o700
    assert mode(tmp_path / "mine") == 0o755, "a folder that was there keeps its mode"


def test_write_private_is_0600(tmp_path: Path) -> None:
    write_private(tmp_path / "f", "x")
    assert mode(tmp_path / "f") == 0o600


def test_a_run_leaves_its_folders_0700_and_the_replica_database_0600(
    tmp_path: Path,
) -> None:
    result = run_cli(
        "run",
        "gravitee-cloud-token",
        "--gateway",
        "eu-prod-gw",
        "--secret-to",
        f"file:{tmp_path}/t",
        "--record",
        "on",
    )
    assert result.code == 0, result.text
    data = tmp_path / "data"
    for folder in (Path("recordings"), data, data / "locks"):
        assert mode(folder) == 0o700, folder
    databases = list((data / "sandbox").rglob("*.db")) + list((data / "sandbox").rglob("*.sqlite*"))
    assert databases, list((data / "sandbox").rglob("*"))
    assert all(mode(db) == 0o600 for db in databases), {db: oct(mode(db)) for db in databases}


def test_the_replica_database_is_0600(tmp_path: Path) -> None:
    with GraviteeSandbox(tmp_path / "replica"):
        files = [p for p in (tmp_path / "replica").rglob("*") if p.is_file()]
    assert files and all(mode(p) == 0o600 for p in files), {p: oct(mode(p)) for p in files}
