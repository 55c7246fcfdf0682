"""Sinks: where a new secret is delivered (`--secret-to`).

Forms:
    env:PATH:KEY   set KEY in the dotenv file PATH (python-dotenv `set_key`), mode 0600
    file:PATH      the secret alone in PATH, mode 0600, written atomically
    stdout         printed on standard output: the only way it reaches the terminal
    cmd:COMMAND    COMMAND run with the secret on its standard input

A sink is parsed and checked before the browser starts, so a run never creates
a secret it has nowhere to put.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from dotenv import set_key

from runbooks._errors import DeliveryError, SinkError
from runbooks._files import PRIVATE_MODE, write_private
from runbooks._secrets import Secret

__all__ = ["CommandSink", "EnvFileSink", "FileSink", "Sink", "StdoutSink", "parse_sink"]

_ENV_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
SINK_FORMS = "env:PATH:KEY, file:PATH, stdout or cmd:COMMAND"


class Sink(ABC):
    """A destination for one secret."""

    @abstractmethod
    def check(self) -> None:
        """Raise `SinkError` if delivery is bound to fail (before anything runs)."""

    @abstractmethod
    def deliver(self, secret: Secret) -> None:
        """Deliver the secret; raise `DeliveryError` if that fails."""

    @abstractmethod
    def describe(self) -> str:
        """Where the secret goes, for the summary (never the secret)."""


def _check_writable_file(path: Path) -> None:
    if path.is_dir():
        raise SinkError(f"sink path {path} is a folder; name a file")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise SinkError(f"sink folder {folder} does not exist; create it first")
    if path.exists() and not os.access(path, os.W_OK):
        raise SinkError(f"sink file {path} is not writable; fix its permissions")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise SinkError(f"sink folder {folder} is not writable; choose another path")


@dataclass(frozen=True)
class EnvFileSink(Sink):
    """Sets one key in a dotenv file, keeping its other lines."""

    path: Path
    key: str

    def check(self) -> None:
        _check_writable_file(self.path)

    def deliver(self, secret: Secret) -> None:
        try:
            if self.path.exists():
                # set_key rewrites the file atomically and keeps the old file's
                # mode; tightening it first means the secret never sits in a
                # file others can read.
                os.chmod(self.path, PRIVATE_MODE)
            # A new file comes from set_key's NamedTemporaryFile: 0600 already.
            set_key(self.path, self.key, secret.reveal(), quote_mode="always")
            os.chmod(self.path, PRIVATE_MODE)
        except OSError as exc:
            raise DeliveryError(
                f"could not write {self.key} to {self.path}: {exc.strerror}"
            ) from None

    def describe(self) -> str:
        return f"{self.key} in {self.path}"


@dataclass(frozen=True)
class FileSink(Sink):
    """Writes the secret alone to a file."""

    path: Path

    def check(self) -> None:
        _check_writable_file(self.path)

    def deliver(self, secret: Secret) -> None:
        try:
            write_private(self.path, secret.reveal() + "\n")
        except OSError as exc:
            raise DeliveryError(f"could not write {self.path}: {exc.strerror}") from None

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


@dataclass(frozen=True)
class CommandSink(Sink):
    """Runs a command with the secret on its standard input."""

    command: str

    def check(self) -> None:
        try:
            argv = shlex.split(self.command)
        except ValueError as exc:
            raise SinkError(f"cannot parse sink command {self.command!r}: {exc}") from None
        if not argv:
            raise SinkError("sink command is empty; use cmd:COMMAND")
        if shutil.which(argv[0]) is None:
            raise SinkError(f"sink command {argv[0]!r} not found on PATH")

    def deliver(self, secret: Secret) -> None:
        try:
            done = subprocess.run(
                shlex.split(self.command),
                input=secret.reveal() + "\n",
                text=True,
                capture_output=True,
                timeout=120,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise DeliveryError(f"sink command {self.command!r} failed: {exc}") from None
        if done.returncode != 0:
            raise DeliveryError(f"sink command {self.command!r} exited with {done.returncode}")

    def describe(self) -> str:
        return f"the standard input of `{self.command}`"


def parse_sink(spec: str) -> Sink:
    """Parse a `--secret-to` value and check that delivery can succeed.

    Raises:
        SinkError: the form is unknown or the destination unusable.
    """
    kind, _, rest = spec.partition(":")
    sink: Sink
    if spec == "stdout":
        sink = StdoutSink()
    elif kind == "env":
        path, sep, key = rest.rpartition(":")
        if not sep or not path or not key:
            raise SinkError(
                f"bad sink {spec!r}: use env:PATH:KEY, e.g. env:.env.gateway:CLOUD_TOKEN"
            )
        if not _ENV_KEY.match(key):
            raise SinkError(f"bad sink {spec!r}: {key!r} is not a valid variable name")
        sink = EnvFileSink(Path(path).expanduser(), key)
    elif kind == "file" and rest:
        sink = FileSink(Path(rest).expanduser())
    elif kind == "cmd" and rest.strip():
        sink = CommandSink(rest)
    else:
        raise SinkError(f"bad sink {spec!r}: use {SINK_FORMS}")
    sink.check()
    return sink
