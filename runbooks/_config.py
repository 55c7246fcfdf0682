"""Settings: the `RUNBOOK_*` keys, from the environment and a `.env` file.

The environment wins over the file. Nothing here changes `os.environ`
(python-dotenv's `dotenv_values`, never `load_dotenv`).
"""

from __future__ import annotations

import argparse
import io
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from runbooks._errors import ConfigError, UsageError
from runbooks._files import check_folder
from runbooks._secrets import Secret

__all__ = [
    "PortalSettings",
    "Settings",
    "check_recordings",
    "load_settings",
    "port_number",
    "read_dotenv",
    "read_text",
    "seconds",
]

PREFIX = "RUNBOOK_"
# sandbox/_server.py SKINS and their aliases (not imported: a real-portal run needs no sandbox).
SANDBOX_SKINS = ("plain", "framework", "material", "vuetify")


@dataclass(frozen=True)
class PortalSettings:
    """What the configuration says about one portal."""

    url: str | None
    email: str | None
    password: Secret | None = field(repr=False)
    totp_secret: Secret | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Settings:
    """Every `RUNBOOK_*` value, merged from `.env` and the environment."""

    values: Mapping[str, str] = field(repr=False)

    def get(self, key: str) -> str | None:
        """Return `RUNBOOK_<key>`, or None when unset or empty."""
        value = self.values.get(PREFIX + key, "").strip()
        return value or None

    @property
    def browser(self) -> str | None:
        """`RUNBOOK_BROWSER`: a browser executable's path or a channel name."""
        return self.get("BROWSER")

    @property
    def connect(self) -> str | None:
        """`RUNBOOK_CONNECT`: the ws:// URL of a Playwright browser server."""
        return self.get("CONNECT")

    @property
    def data_dir(self) -> Path:
        """Where the tool keeps its own state (the embedded sandbox's data)."""
        configured = self.get("DATA_DIR")
        if configured:
            return Path(configured).expanduser()
        xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        return Path(xdg) / "runbook"

    @property
    def timeout_ms(self) -> int:
        """`RUNBOOK_TIMEOUT`: seconds to wait for a control to appear (default 15)."""
        raw = self.get("TIMEOUT") or "15"
        try:
            seconds = float(raw)
        except ValueError:
            raise ConfigError(f"RUNBOOK_TIMEOUT={raw!r} is not a number of seconds") from None
        if not math.isfinite(seconds):  # nan and inf parse as floats
            raise ConfigError(f"RUNBOOK_TIMEOUT={raw!r} is not a finite number of seconds")
        if seconds <= 0:
            raise ConfigError(f"RUNBOOK_TIMEOUT={raw!r} must be more than 0 seconds")
        return int(seconds * 1000)

    @property
    def sandbox_skin(self) -> str | None:
        """`RUNBOOK_SANDBOX_SKIN`: the sandbox's markup, plain or framework (None: default)."""
        raw = self.get("SANDBOX_SKIN")
        if raw is not None and raw.strip().lower() not in SANDBOX_SKINS:
            raise ConfigError(
                f"RUNBOOK_SANDBOX_SKIN={raw!r} is not a sandbox skin: use "
                f"{', '.join(SANDBOX_SKINS)}"
            )
        return raw.strip().lower() if raw else None

    @property
    def recordings_dir(self) -> Path:
        """`RUNBOOK_RECORDINGS`, else `recordings/` in the current folder.

        Raises:
            ConfigError: it names a file.
        """
        path = Path(self.get("RECORDINGS") or "recordings")
        check_recordings(path, "RUNBOOK_RECORDINGS")
        return path

    def portal(self, name: str) -> PortalSettings:
        """The URL and credentials configured for portal `name` ("gravitee")."""
        key = name.upper()
        url = self.get(f"{key}_URL")
        if url is not None and url != "sandbox":
            try:
                urlsplit(url)
            except ValueError as exc:  # "http://[::1": an unclosed IPv6 address
                raise ConfigError(f"RUNBOOK_{key}_URL {url!r} is not a valid URL ({exc})") from None
        password = self.get(f"{key}_PASSWORD")
        totp = self.get(f"{key}_TOTP_SECRET")
        return PortalSettings(
            url=url,
            email=self.get(f"{key}_EMAIL"),
            password=Secret(password, f"{name} password") if password else None,
            totp_secret=Secret(totp, f"{name} one-time-code secret") if totp else None,
        )


def load_settings(
    env_file: Path | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Merge `RUNBOOK_*` keys from `env_file` (default `.env`) and the environment.

    Raises:
        ConfigError: `env_file` was named explicitly and does not exist.
    """
    if env_file is not None and not env_file.is_file():
        raise ConfigError(f"env file {env_file} not found; check --env-file")
    path = env_file or Path(".env")
    from_file = read_dotenv(path, "env file") if path.is_file() else {}
    merged = {k: v for k, v in from_file.items() if k.startswith(PREFIX) and v is not None}
    source = os.environ if environ is None else environ
    merged.update({k: v for k, v in source.items() if k.startswith(PREFIX)})
    return Settings(merged)


def port_number(text: str) -> int:
    """An argparse type: a TCP port, 0 (any free one) to 65535.

    Raises:
        argparse.ArgumentTypeError: anything else.
    """
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (0 to 65535)")
    return port


def seconds(text: str) -> float:
    """An argparse type: a finite number of seconds, 0 or more.

    Raises:
        argparse.ArgumentTypeError: anything else (nan, inf, negative).
    """
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be a finite number of seconds, 0 or more")
    return value


def check_recordings(path: Path, option: str) -> None:
    """Refuse a recordings folder that names a file (before anything runs).

    Raises:
        ConfigError: it does.
    """
    try:
        check_folder(path, option)
    except UsageError as exc:
        raise ConfigError(str(exc)) from None


def read_text(path: Path, what: str, error: type[UsageError] = ConfigError) -> str:
    """A file's text, which must be UTF-8.

    Raises:
        UsageError: (as `error`) it cannot be read, or is not UTF-8.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise error(f"{what} {path}: cannot read it ({exc.strerror})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(
            f"{what} {path} is not UTF-8 text (byte {data[exc.start]:#04x} on line {line}); "
            "fix or re-save it as UTF-8"
        ) from None


def read_dotenv(path: Path, what: str, error: type[UsageError] = ConfigError) -> dict[str, str]:
    """A dotenv file's keys that have a value (it must be UTF-8).

    Raises:
        UsageError: (as `error`) it cannot be read, or is not UTF-8.
    """
    from dotenv import dotenv_values  # python-dotenv: only when a file is read

    values = dotenv_values(stream=io.StringIO(read_text(path, what, error)))
    return {k: v for k, v in values.items() if v is not None}
