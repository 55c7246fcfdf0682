"""Sinks: parsing, the up-front checks, and delivery with the right file modes."""

from __future__ import annotations

import io
import os
import stat
import sys
from pathlib import Path

import pytest
from dotenv import dotenv_values

from runbooks._errors import DeliveryError, SinkError
from runbooks._secrets import Secret
from runbooks._sinks import CommandSink, EnvFileSink, FileSink, StdoutSink, parse_sink

SECRET = Secret("eyJhbGciOi.secret-value.sig", "Cloud token")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "bad sink"),
        ("vault:x", "bad sink"),
        ("env:.env", "use env:PATH:KEY"),
        ("env:.env:", "use env:PATH:KEY"),
        ("env:.env:1BAD", "not a valid variable name"),
        ("file:", "bad sink"),
        ("cmd:", "bad sink"),
        ("cmd:no-such-command-here --x", "not found on PATH"),
        ("file:missing-dir/token.txt", "does not exist"),
        ("env:missing-dir/.env:KEY", "does not exist"),
    ],
)
def test_parse_sink_rejects_bad_specs(spec: str, message: str) -> None:
    with pytest.raises(SinkError, match=message):
        parse_sink(spec)


def test_parse_sink_rejects_a_folder(tmp_path: Path) -> None:
    with pytest.raises(SinkError, match="is a folder"):
        parse_sink(f"file:{tmp_path}")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_parse_sink_rejects_an_unwritable_folder(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(SinkError, match="not writable"):
        parse_sink(f"file:{locked}/token.txt")


def test_parse_sink_forms(tmp_path: Path) -> None:
    assert parse_sink(f"env:{tmp_path}/.env:CLOUD_TOKEN") == EnvFileSink(
        tmp_path / ".env", "CLOUD_TOKEN"
    )
    assert parse_sink(f"file:{tmp_path}/t.txt") == FileSink(tmp_path / "t.txt")
    assert isinstance(parse_sink("stdout"), StdoutSink)
    assert parse_sink("cmd:cat -") == CommandSink("cat -")


def test_env_sink_creates_a_private_file(tmp_path: Path) -> None:
    target = tmp_path / ".env.gateway"
    EnvFileSink(target, "CLOUD_TOKEN").deliver(SECRET)
    assert dotenv_values(target) == {"CLOUD_TOKEN": SECRET.reveal()}
    assert mode(target) == 0o600


def test_env_sink_keeps_other_keys_and_tightens_the_mode(tmp_path: Path) -> None:
    tmp_path = tmp_path / "sink"
    tmp_path.mkdir()
    target = tmp_path / ".env"
    target.write_text("OTHER=1\nCLOUD_TOKEN=old\n")
    target.chmod(0o644)
    EnvFileSink(target, "CLOUD_TOKEN").deliver(SECRET)
    assert dotenv_values(target) == {"OTHER": "1", "CLOUD_TOKEN": SECRET.reveal()}
    assert mode(target) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name != ".env"], "no temporary file left"


def test_file_sink_replaces_atomically_with_mode_0600(tmp_path: Path) -> None:
    tmp_path = tmp_path / "sink"
    tmp_path.mkdir()
    target = tmp_path / "token.txt"
    target.write_text("old\n")
    target.chmod(0o644)
    FileSink(target).deliver(SECRET)
    assert target.read_text() == SECRET.reveal() + "\n"
    assert mode(target) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["token.txt"]


def test_stdout_sink_prints_the_value() -> None:
    out = io.StringIO()
    StdoutSink(out).deliver(SECRET)
    assert out.getvalue() == SECRET.reveal() + "\n"


def test_command_sink_gets_the_secret_on_stdin(tmp_path: Path) -> None:
    target = tmp_path / "got"
    sink = parse_sink(
        f'cmd:{sys.executable} -c \'import sys; open("{target}", "w").write(sys.stdin.read())\''
    )
    sink.deliver(SECRET)
    assert target.read_text() == SECRET.reveal() + "\n"


def test_command_sink_failure_is_a_delivery_error() -> None:
    with pytest.raises(DeliveryError, match="exited with 3"):
        CommandSink(f"{sys.executable} -c 'raise SystemExit(3)'").deliver(SECRET)
