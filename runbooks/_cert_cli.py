"""`runbook cert status`: how long until a keystore's certificate must be renewed.

A nightly job runs it and acts on the exit code (`STATUS_EXIT_CODES`): 0 more
than `--warn-days` days are left, 1 that many or fewer (renewal is due), 2 it
cannot be checked (bad options, a password source that is missing or empty, a
file that is not a keystore or does not open), 3 the certificate has expired.
`--json` prints one JSON object for machines. The keystore's password is never
printed.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from runbooks._config import read_dotenv, read_text
from runbooks._errors import ConfigError, KeystoreError, UsageError
from runbooks._keystore import CertificateInfo, open_keystore
from runbooks._locations import parse_location
from runbooks._output import print_block
from runbooks._secrets import Redactor

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["STATUS_EXIT_CODES", "add_commands", "cert_status"]

Verdict = Literal["ok", "due", "expired"]
EXAMPLE = (
    "runbook cert status certs/cloud-client.p12 "
    "--password-from env:.env.gateway:CLOUD_KEYSTORE_PASSWORD --warn-days 30"
)
_EXIT: Mapping[Verdict, int] = {"ok": 0, "due": 1, "expired": 3}
#: `runbook cert status`'s exit codes, with their meaning (its --help and the README list them).
STATUS_EXIT_CODES: tuple[tuple[int, str], ...] = (
    (0, "more than --warn-days days left"),
    (1, "--warn-days days or fewer left: renewal is due"),
    (2, "cannot be checked: bad options, password source or keystore file"),
    (3, "the certificate has expired"),
)


def add_commands(
    commands: Any, common: Callable[[argparse.ArgumentParser], None]
) -> argparse.ArgumentParser:
    """Add `cert status` to the command line's subcommands; return the `cert` parser."""
    cert: argparse.ArgumentParser = commands.add_parser(
        "cert", help="check a keystore's certificate"
    )
    common(cert)
    actions = cert.add_subparsers(dest="cert_command", metavar="COMMAND", parser_class=type(cert))
    actions.required = True
    status = actions.add_parser(
        "status",
        help="when the certificate expires; exit 0 ok, 1 renewal due, 2 unreadable, 3 expired",
        description=__doc__,
        epilog=f"example:\n  {EXAMPLE}\n\nexit codes:\n"
        + "\n".join(f"  {code:<4} {meaning}" for code, meaning in STATUS_EXIT_CODES),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    status.add_argument("path", type=Path, metavar="PATH", help="a PKCS#12 keystore or a PEM file")
    source = status.add_mutually_exclusive_group()
    source.add_argument(
        "--password-from",
        metavar="SOURCE",
        help="the keystore password: env:PATH:KEY (a dotenv file) or file:PATH (PEM needs none)",
    )
    source.add_argument(
        "--password-env", metavar="VAR", help="the environment variable holding the password"
    )
    status.add_argument(
        "--warn-days",
        type=int,
        default=30,
        metavar="N",
        help="renewal is due with N days or fewer left (default: 30)",
    )
    status.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    common(status)
    return cert


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
