"""Where a secret sits in a file: `env:PATH:KEY` or `file:PATH`, and the dotenv rewrite.

One parser for the forms that `--secret-to` and `runbook cert status
--password-from` share, and the rewrite of a dotenv file that sets one key
and keeps every other line as it was.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from runbooks._errors import SinkError, UsageError
from runbooks._files import expand_path

__all__ = ["Location", "parse_location", "set_dotenv_key"]

_ENV_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class Location:
    """A secret's place in a file: `env:PATH:KEY` (a dotenv key) or `file:PATH` (alone)."""

    kind: Literal["env", "file"]
    path: Path
    key: str | None = None


def parse_location(spec: str, option: str, error: type[UsageError] = SinkError) -> Location | None:
    """Parse `env:PATH:KEY` or `file:PATH`, the forms `--secret-to` and `--password-from` share.

    Args:
        spec: The text given.
        option: How messages name the option ("sink", "--password-from").
        error: The error to raise (each command has its own).

    Returns:
        The location, or None when `spec` is neither form.

    Raises:
        UsageError: an `env:` form without a path or a valid key, or a
            `~user` that names nobody (as `error`).
    """
    kind, _, rest = spec.partition(":")
    if kind == "env":
        path, sep, key = rest.rpartition(":")
        if not sep or not path or not key:
            raise error(
                f"bad {option} {spec!r}: use env:PATH:KEY, e.g. env:.env.gateway:CLOUD_TOKEN"
            )
        if not _ENV_KEY.match(key):
            raise error(f"bad {option} {spec!r}: {key!r} is not a valid variable name")
        return Location("env", _expand(path, option, error), key)
    if kind == "file" and rest:
        return Location("file", _expand(rest, option, error))
    return None


def _expand(text: str, option: str, error: type[UsageError]) -> Path:
    try:
        return expand_path(text, option)
    except UsageError as exc:
        raise error(str(exc)) from None


def _quoted(value: str) -> str:
    """A single-quoted dotenv value that python-dotenv reads back unchanged."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def set_dotenv_key(text: str, key: str, value: str) -> str:
    """`text` (a dotenv file) with `key` set to `value`, every other line as it was.

    The first line that sets `key` is rewritten in place, keeping its
    `export ` prefix; later lines that set it again are dropped, so no stale
    value is left behind for a reader that takes the last one.
    """
    from dotenv.parser import parse_stream

    out: list[str] = []
    done = False
    for binding in parse_stream(io.StringIO(text)):
        line = binding.original.string
        if binding.key != key:
            out.append(line)
            continue
        if not done:
            export = "export " if line.lstrip().startswith("export ") else ""
            out.append(f"{export}{key}={_quoted(value)}\n")
            done = True
    if not done:
        if out and not out[-1].endswith("\n"):
            out.append("\n")
        out.append(f"{key}={_quoted(value)}\n")
    return "".join(out)
