"""`runbook cert status`: how long until a keystore's certificate must be renewed.

What it tells, its exit codes (`STATUS_EXIT_CODES`) and its options: its `--help`, in
`runbooks._cli_tools` (the parser is built without importing this module). The keystore's
password is never printed.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from runbooks._cli_tools import STATUS_EXIT_CODES
from runbooks._config import read_dotenv, read_text
from runbooks._errors import ConfigError, KeystoreError, UsageError
from runbooks._keystore import CertificateInfo, open_keystore
from runbooks._locations import parse_location
from runbooks._output import print_block
from runbooks._secrets import Redactor

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["STATUS_EXIT_CODES", "cert_status"]

Verdict = Literal["ok", "due", "expired"]
_EXIT: Mapping[Verdict, int] = {"ok": 0, "due": 1, "expired": 3}


def read_password(
    spec: str | None, env_var: str | None, environ: Mapping[str, str] = os.environ
) -> str | None:
    """The password from `--password-from` or `--password-env`; None when neither is given.

    Raises:
        ConfigError: the source is malformed, missing, or holds no password.
    """
    if env_var is not None:
        value = environ.get(env_var)
        if not value:
            raise ConfigError(f"--password-env {env_var}: the variable is not set")
        return value
    if spec is None:
        return None
    location = parse_location(spec, "--password-from", ConfigError)
    if location is None:
        raise ConfigError(f"bad --password-from {spec!r}: use env:PATH:KEY or file:PATH")
    path = location.path
    if location.key is not None:
        if not path.is_file():
            raise ConfigError(f"--password-from: {path} does not exist")
        value = read_dotenv(path, "--password-from:").get(location.key)
        if not value:
            raise ConfigError(f"--password-from: {location.key} is not set in {path}")
        return value
    value = read_text(path, "--password-from:").rstrip("\r\n")
    if not value:
        raise ConfigError(f"--password-from: {path} is empty")
    return value


def verdict(info: CertificateInfo, warn_days: int, now: datetime) -> Verdict:
    """ok, due (`warn_days` days or fewer left) or expired."""
    if info.expired(now):
        return "expired"
    return "ok" if info.days_left(now) > warn_days else "due"


def _as_json(path: Path, info: CertificateInfo, warn_days: int, now: datetime) -> str:
    def iso(moment: datetime) -> str:
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    return json.dumps(
        {
            "path": str(path),
            "format": info.kind,
            "alias": info.alias,
            "subject": info.subject,
            "issuer": info.issuer,
            "serial": info.serial,
            "notBefore": iso(info.not_before),
            "notAfter": iso(info.not_after),
            "daysLeft": info.days_left(now),
            "warnDays": warn_days,
            "status": verdict(info, warn_days, now),
            "hasKey": info.has_key,
            "sha256": info.sha256,
        }
    )


def _as_table(
    out: Console, path: Path, info: CertificateInfo, warn_days: int, now: datetime
) -> None:
    days = info.days_left(now)
    status = {
        "ok": f"[green]OK[/green]: more than {warn_days} days left",
        "due": f"[yellow]RENEW[/yellow]: {days} days left, {warn_days} or fewer",
        "expired": f"[red]EXPIRED[/red] on {info.not_after:%Y-%m-%d}",
    }[verdict(info, warn_days, now)]
    alias = f", alias {info.alias}" if info.alias else ""
    out.print(f"[bold]{escape(str(path))}[/bold]  {info.kind}{escape(alias)}")
    table = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
    table.add_column(style="bold")
    table.add_column()
    for label, value in (
        ("Subject", info.subject),
        ("Issuer", info.issuer),
        ("Serial", info.serial),
        ("Not before", f"{info.not_before:%Y-%m-%d %H:%M:%S} UTC"),
        ("Not after", f"{info.not_after:%Y-%m-%d %H:%M:%S} UTC"),
        ("Days left", str(days)),
    ):
        table.add_row(label, Text(value))
    table.add_row("Status", Text.from_markup(status))
    print_block(out, table)


def cert_status(
    args: argparse.Namespace,
    out: Console,
    redactor: Redactor,
    *,
    now: datetime | None = None,
    environ: Mapping[str, str] = os.environ,
) -> int:
    """Run `runbook cert status`; return its exit code.

    Raises:
        UsageError: bad options or password source (exit 2).
        KeystoreError: the file cannot be read as a keystore (exit 2; 3 is expired).
    """
    if args.warn_days < 0:
        raise UsageError("--warn-days must be 0 or more")
    password = read_password(args.password_from, args.password_env, environ)
    if password is not None:
        redactor.register(password)
    path: Path = args.path
    moment = now or datetime.now(UTC)
    try:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise KeystoreError(f"{path}: cannot read it ({exc.strerror})") from None
        try:
            info = open_keystore(data, password)
        except KeystoreError as exc:
            needs_one = password is None and "password" in str(exc)
            hint = "; give --password-from or --password-env" if needs_one else ""
            raise KeystoreError(f"{path} {exc}{hint}") from None
    except KeystoreError as exc:
        if args.json:
            record = {"path": str(path), "status": "unreadable", "error": str(exc)}
            out.file.write(json.dumps(record) + "\n")
        raise
    if args.json:
        out.file.write(_as_json(path, info, args.warn_days, moment) + "\n")
    else:
        _as_table(out, path, info, args.warn_days, moment)
    return _EXIT[verdict(info, args.warn_days, moment)]
