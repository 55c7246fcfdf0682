"""Settings: the `RUNBOOK_*` keys, from the environment and a `.env` file.

The environment wins over the file. Nothing here changes `os.environ`
(python-dotenv's `dotenv_values`, never `load_dotenv`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

from runbooks._errors import ConfigError
from runbooks._secrets import Secret

__all__ = ["PortalSettings", "Settings", "load_settings"]

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
        """`RUNBOOK_RECORDINGS`, else `recordings/` in the current folder."""
        return Path(self.get("RECORDINGS") or "recordings")

    def portal(self, name: str) -> PortalSettings:
        """The URL and credentials configured for portal `name` ("gravitee")."""
        key = name.upper()
        password = self.get(f"{key}_PASSWORD")
        totp = self.get(f"{key}_TOTP_SECRET")
        return PortalSettings(
            url=self.get(f"{key}_URL"),
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
    from_file = dotenv_values(path) if path.is_file() else {}
    merged = {k: v for k, v in from_file.items() if k.startswith(PREFIX) and v is not None}
    source = os.environ if environ is None else environ
    merged.update({k: v for k, v in source.items() if k.startswith(PREFIX)})
    return Settings(merged)
