"""Sinks: where a new secret is delivered (`--secret-to`).

Forms:
    env:PATH:KEY   set KEY in the dotenv file PATH, its other lines kept, mode 0600
    file:PATH      the secret alone in PATH, mode 0600, written atomically
    stdout         printed on standard output: the only way it reaches the terminal
    cmd:COMMAND    COMMAND run with the secret on its standard input

A sink is parsed and checked before the browser starts (`check`, then
`preflight`, which proves a file sink's folder takes a new file), so a run
never creates a secret it has nowhere to put. Delivery is proven too: a file
or dotenv sink is read back, and a command must exit 0 having read the whole
secret from its standard input (`cmd:true` reads nothing: that is a failure).
Paths that are symbolic links are written through, to the file they name.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shlex
import shutil
import subprocess
import sys
import termios
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from runbooks._config import read_text
from runbooks._errors import DeliveryError, SinkError, UsageError
from runbooks._files import check_regular, prove_writable, real_path, write_private
from runbooks._locations import Location, parse_location, set_dotenv_key
from runbooks._secrets import Secret

__all__ = [
    "CommandSink",
    "EnvFileSink",
    "FileSink",
    "Location",
    "Sink",
    "StdoutSink",
    "parse_location",
    "parse_sink",
]

SINK_FORMS = "env:PATH:KEY, file:PATH, stdout or cmd:COMMAND"
#: How long a command sink may take to take the secret.
COMMAND_TIMEOUT_S = 120
#: Linux pipes hold 64 KiB: a secret (far smaller) is written whole before the command starts.
_PIPE_BUFFER = 60_000


class Sink(ABC):
    """A destination for one secret."""

    @abstractmethod
    def check(self) -> None:
        """Raise `SinkError` if delivery is bound to fail (parsing time; changes nothing)."""

    def preflight(self) -> None:
        """Prove, before the browser starts, that delivery can succeed.

        The default is `check`; file sinks also create and remove a file
        beside their target. Raises `SinkError`.
        """
        self.check()

    @abstractmethod
    def deliver(self, secret: Secret) -> None:
        """Deliver the secret and prove it arrived; raise `DeliveryError` if not."""

    @abstractmethod
    def describe(self) -> str:
        """Where the secret goes, for the summary (never the secret)."""


def _check_writable_file(path: Path) -> None:
    try:
        check_regular(path, "sink")
    except UsageError as exc:
        raise SinkError(str(exc)) from None
    target = real_path(path)
    folder = target.parent
    if not folder.is_dir():
        raise SinkError(f"sink folder {folder} does not exist; create it first")
    if target.exists() and not os.access(target, os.W_OK):
        raise SinkError(f"sink file {path} is not writable; fix its permissions")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise SinkError(f"sink folder {folder} is not writable; choose another path")


def _prove_writable(path: Path) -> None:
    try:
        prove_writable(path)
    except OSError as exc:
        raise SinkError(
            f"sink {path}: a test file could not be written beside it ({exc.strerror}); "
            "nothing was changed"
        ) from None


@dataclass(frozen=True)
class EnvFileSink(Sink):
    """Sets one key in a dotenv file, keeping its other lines."""

    path: Path
    key: str

    def check(self) -> None:
        _check_writable_file(self.path)
        if self.path.exists():
            # Refused now, not after the portal made a secret: a file the
            # rewrite could not read back (not UTF-8) would lose it.
            read_text(self.path, "sink", SinkError)

    def preflight(self) -> None:
        self.check()
        _prove_writable(self.path)

    def deliver(self, secret: Secret) -> None:
        from dotenv import dotenv_values

        try:
            current = read_text(self.path, "sink", SinkError) if self.path.exists() else ""
            write_private(self.path, set_dotenv_key(current, self.key, secret.reveal()))
            held = dotenv_values(self.path).get(self.key)
        except (OSError, UsageError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            raise DeliveryError(f"could not write {self.key} to {self.path}: {reason}") from None
        if held != secret.reveal():
            raise DeliveryError(
                f"{self.key} in {self.path} does not hold the new value when read back"
            )

    def describe(self) -> str:
        return f"{self.key} in {self.path}"


@dataclass(frozen=True)
class FileSink(Sink):
    """Writes the secret alone to a file."""

    path: Path

    def check(self) -> None:
        _check_writable_file(self.path)

    def preflight(self) -> None:
        self.check()
        _prove_writable(self.path)

    def deliver(self, secret: Secret) -> None:
        wanted = secret.reveal() + "\n"
        try:
            write_private(self.path, wanted)
            held = self.path.read_bytes()
        except OSError as exc:
            raise DeliveryError(f"could not write {self.path}: {exc.strerror}") from None
        except UsageError as exc:
            raise DeliveryError(f"could not write {self.path}: {exc}") from None
        if held != wanted.encode():
            raise DeliveryError(f"{self.path} does not hold the new value when read back")

    def describe(self) -> str:
        return str(self.path)


@dataclass(frozen=True)
class StdoutSink(Sink):
    """Prints the secret on standard output (the user asked for it)."""

    stream: TextIO | None = None

    def check(self) -> None:
        return None

    def deliver(self, secret: Secret) -> None:
        stream = self.stream or sys.stdout
        stream.write(secret.reveal() + "\n")
        stream.flush()

    def describe(self) -> str:
        return "standard output"


def _unread(fd: int) -> int:
    """How many bytes wait unread in the pipe whose read end is `fd` (Linux FIONREAD)."""
    buffer = bytearray(4)
    fcntl.ioctl(fd, termios.FIONREAD, buffer)
    return int.from_bytes(buffer, sys.byteorder)


@dataclass(frozen=True)
class CommandSink(Sink):
    """Runs a command with the secret on its standard input.

    The command took the secret when it exits 0 having read all of it: the
    secret goes into a pipe whose read end this process keeps open too, so
    that whatever the command left unread is still there to be counted once
    it exits (`cmd:true` and `cmd:head -c 0` read nothing).
    """

    command: str

    def _argv(self) -> list[str]:
        try:
            argv = shlex.split(self.command)
        except ValueError as exc:
            raise SinkError(f"cannot parse sink command {self.command!r}: {exc}") from None
        if not argv:
            raise SinkError("sink command is empty; use cmd:COMMAND")
        return argv

    def check(self) -> None:
        argv = self._argv()
        if shutil.which(argv[0]) is None:
            raise SinkError(f"sink command {argv[0]!r} not found on PATH")

    def deliver(self, secret: Secret) -> None:
        payload = (secret.reveal() + "\n").encode()
        if len(payload) > _PIPE_BUFFER:  # it would block the write below
            raise DeliveryError(f"the {secret.label} is too long for cmd: sinks; use file:PATH")
        read_end, write_end = os.pipe()
        try:
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            try:
                done = subprocess.run(
                    self._argv(),
                    stdin=read_end,
                    capture_output=True,
                    timeout=COMMAND_TIMEOUT_S,
                    check=False,
                )
            except (OSError, subprocess.TimeoutExpired, SinkError) as exc:
                raise DeliveryError(f"sink command {self.command!r} failed: {exc}") from None
            unread = _unread(read_end)
        finally:
            with contextlib.suppress(OSError):
                os.close(read_end)
        if done.returncode != 0:
            raise DeliveryError(f"sink command {self.command!r} exited with {done.returncode}")
        if unread:
            took = "none" if unread == len(payload) else f"only {len(payload) - unread} bytes"
            raise DeliveryError(
                f"sink command {self.command!r} exited 0 but read {took} of the secret "
                "from its standard input, so it does not hold it"
            )

    def describe(self) -> str:
        return f"the standard input of `{self.command}`"


def parse_sink(spec: str) -> Sink:
    """Parse a `--secret-to` value and check that delivery can succeed.

    Raises:
        SinkError: the form is unknown or the destination unusable.
    """
    sink: Sink
    kind, _, rest = spec.partition(":")
    location = parse_location(spec, "sink")
    if spec == "stdout":
        sink = StdoutSink()
    elif location is not None and location.key is not None:
        sink = EnvFileSink(location.path, location.key)
    elif location is not None:
        sink = FileSink(location.path)
    elif kind == "cmd" and rest.strip():
        sink = CommandSink(rest)
    else:
        raise SinkError(f"bad sink {spec!r}: use {SINK_FORMS}")
    sink.check()
    return sink
