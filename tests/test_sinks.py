"""Sinks: parsing, the up-front checks, and delivery with the right file modes."""

from __future__ import annotations

import io
import os
import stat
import sys
from pathlib import Path

import pytest
from dotenv import dotenv_values

from runbooks._errors import ConfigError, DeliveryError, SinkError
from runbooks._secrets import Secret
from runbooks._sinks import (
    CommandSink,
    EnvFileSink,
    FileSink,
    Location,
    StdoutSink,
    parse_location,
    parse_sink,
)

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


# --- a command must take the secret: exit 0 having read it -----------------------------------


@pytest.mark.parametrize("command", ["true", "head -c 0", f"{sys.executable} -c 'pass'"])
def test_a_command_that_reads_nothing_did_not_take_the_secret(command: str) -> None:
    with pytest.raises(DeliveryError, match="exited 0 but read none of the secret"):
        parse_sink(f"cmd:{command}").deliver(SECRET)


def test_a_command_that_reads_part_of_the_secret_did_not_take_it() -> None:
    # Reads one byte with an unbuffered read, exits 0: the rest is still in the pipe.
    command = f"{sys.executable} -c 'import os; os.read(0, 1)'"
    with pytest.raises(DeliveryError, match="read only 1 bytes"):
        CommandSink(command).deliver(SECRET)


def test_a_command_that_reads_everything_took_it(tmp_path: Path) -> None:
    target = tmp_path / "got"
    CommandSink(f"sh -c 'cat > {target}'").deliver(SECRET)
    assert target.read_text() == SECRET.reveal() + "\n"


def test_cmd_false_is_a_delivery_error() -> None:
    with pytest.raises(DeliveryError, match="'false' exited with 1"):
        parse_sink("cmd:false").deliver(SECRET)


# --- file and dotenv sinks are read back, and proven before anything runs --------------------


def test_a_file_sink_that_does_not_hold_the_secret_afterwards_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A write that "succeeds" and leaves the old content (a full disk some file systems
    # report late, a file replaced under us): only a read-back finds it.
    target = tmp_path / "token.txt"
    target.write_text("old\n")
    monkeypatch.setattr("runbooks._sinks.write_private", lambda path, data: None)
    with pytest.raises(DeliveryError, match="does not hold the new value when read back"):
        FileSink(target).deliver(SECRET)
    with pytest.raises(DeliveryError, match="does not hold the new value when read back"):
        EnvFileSink(tmp_path / ".env", "KEY").deliver(SECRET)


def test_preflight_writes_a_probe_beside_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The permission bits say yes (as they do for root, or on a full or read-only disk),
    # but /proc takes no file: only the probe finds out.
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: True)
    for sink in (FileSink(Path("/proc/self/token")), EnvFileSink(Path("/proc/self/.env"), "K")):
        with pytest.raises(SinkError, match="a test file could not be written beside it"):
            sink.preflight()
    folder = tmp_path / "sink"
    folder.mkdir()
    FileSink(folder / "token.txt").preflight()
    assert list(folder.iterdir()) == [], "the probe is removed, nothing is created"


def test_a_dotenv_sink_that_is_not_utf8_is_refused_at_parsing(tmp_path: Path) -> None:
    target = tmp_path / ".env"
    target.write_bytes(b"OTHER=caf\xe9\n")
    with pytest.raises(SinkError, match=r"is not UTF-8 text \(byte 0xe9 on line 1\)"):
        parse_sink(f"env:{target}:KEY")
    assert target.read_bytes() == b"OTHER=caf\xe9\n"


# --- the dotenv rewrite keeps what it does not own ------------------------------------------


def test_dotenv_rewrite_keeps_export_and_leaves_no_stale_duplicate(tmp_path: Path) -> None:
    target = tmp_path / ".env"
    target.write_text("# gateway\nexport CLOUD_TOKEN=old\nOTHER='x y'\nCLOUD_TOKEN=older\nLAST=1")
    EnvFileSink(target, "CLOUD_TOKEN").deliver(SECRET)
    lines = target.read_text().splitlines()
    assert lines == [
        "# gateway",
        f"export CLOUD_TOKEN='{SECRET.reveal()}'",
        "OTHER='x y'",
        "LAST=1",
    ]
    assert dotenv_values(target) == {"CLOUD_TOKEN": SECRET.reveal(), "OTHER": "x y", "LAST": "1"}


def test_dotenv_rewrite_round_trips_quotes_and_backslashes(tmp_path: Path) -> None:
    target = tmp_path / ".env"
    tricky = Secret("a'b\\'c\\\\d$e", "password")
    EnvFileSink(target, "K").deliver(tricky)
    assert dotenv_values(target, interpolate=False) == {"K": tricky.reveal()}


# --- symbolic links are written through; FIFOs are refused ----------------------------------


def test_a_file_sink_link_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real" / "token.txt"
    real.parent.mkdir()
    real.write_text("old\n")
    real.chmod(0o644)
    link = tmp_path / "token.txt"
    link.symlink_to(real)
    parse_sink(f"file:{link}").deliver(SECRET)
    assert link.is_symlink() and link.resolve() == real
    assert real.read_text() == SECRET.reveal() + "\n"
    assert mode(real) == 0o600
    assert sorted(p.name for p in real.parent.iterdir()) == ["token.txt"], "temp file beside it"


def test_an_env_sink_link_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "gateway.env"
    real.parent.mkdir()
    real.write_text("OTHER=1\nCLOUD_TOKEN=old\n")
    link = tmp_path / ".env"
    link.symlink_to(real)
    parse_sink(f"env:{link}:CLOUD_TOKEN").deliver(SECRET)
    assert link.is_symlink() and link.resolve() == real
    assert dotenv_values(real) == {"OTHER": "1", "CLOUD_TOKEN": SECRET.reveal()}
    assert mode(real) == 0o600


def test_a_link_to_a_new_file_creates_it_at_the_target(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    link = tmp_path / "token.txt"
    link.symlink_to(real)
    FileSink(link).deliver(SECRET)
    assert link.is_symlink() and real.read_text() == SECRET.reveal() + "\n"


@pytest.mark.parametrize("form", ["file:{}", "env:{}:KEY"])
def test_a_fifo_sink_is_refused(tmp_path: Path, form: str) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(SinkError, match="is not a regular file"):
        parse_sink(form.format(fifo))
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_fifo_appearing_after_the_check_is_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    sink = FileSink(fifo)
    sink.check()
    os.mkfifo(fifo)
    with pytest.raises(DeliveryError, match="is not a regular file"):
        sink.deliver(SECRET)
    assert stat.S_ISFIFO(fifo.stat().st_mode)


# --- one parser for env:PATH:KEY and file:PATH ------------------------------------------------


def test_sinks_and_cert_status_share_one_location_parser(tmp_path: Path) -> None:
    from runbooks import _cert_cli

    (tmp_path / "p.env").write_text("PW=s3cret\n")
    assert parse_location(f"env:{tmp_path}/p.env:PW", "sink") == Location(
        "env", tmp_path / "p.env", "PW"
    )
    assert parse_location("file:~/x", "sink") == Location("file", Path.home() / "x")
    assert parse_location("stdout", "sink") is None
    assert "parse_location(" in Path(_cert_cli.__file__).read_text(), "one parser, not two"
    assert _cert_cli.read_password(f"env:{tmp_path}/p.env:PW", None) == "s3cret"
    with pytest.raises(ConfigError, match="not a valid variable name"):
        _cert_cli.read_password(f"env:{tmp_path}/p.env:1X", None)


@pytest.mark.parametrize("spec", ["file:~nosuchuser-here/x", "env:~nosuchuser-here/.env:K"])
def test_an_unknown_home_is_a_usage_error(spec: str) -> None:
    with pytest.raises(SinkError, match="cannot expand '~nosuchuser-here'"):
        parse_sink(spec)
