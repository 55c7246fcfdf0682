"""`runbook login` and `runbook sandbox`: the commands about portals (`runbooks._cli` calls them).

Imported only when one of them runs.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from rich.text import Text

from runbooks._cli_runs import check_connect, check_display
from runbooks._errors import UsageError
from runbooks._login import login as sign_in_and_keep
from runbooks._registry import PORTALS
from runbooks._targets import resolve_url

if TYPE_CHECKING:
    import argparse

    from rich.console import Console

    from runbooks._config import Settings
    from runbooks._portal import SandboxServer

__all__ = ["login", "sandbox"]


def login(args: argparse.Namespace, settings: Settings, err: Console) -> int:
    """`runbook login PORTAL`: sign in in a visible browser; keep the signed-in state."""
    portal = PORTALS[args.portal]
    url = resolve_url(portal, settings, args.target)
    if url is None:  # checked before saying "sign in": there is nothing to sign in to
        raise UsageError(
            f"no {portal.title} URL to sign in to: set {portal.env_prefix}_URL (in .env or the "
            "environment) or pass --target URL (the URL `runbook sandbox` prints works too)"
        )
    check_connect(args.connect)
    check_display(not args.headless, args.connect or settings.connect)
    err.print(
        Text(
            f"Sign in to {portal.title} at {url} in the browser window; "
            "this waits until you are in."
        )
    )
    path = sign_in_and_keep(
        portal,
        settings,
        target=args.target,
        headed=not args.headless,
        connect=args.connect,
        wait_s=args.wait,
    )
    err.print(
        Text.assemble(
            ("Signed in.", "green"), f" Saved the sign-in to {path} (mode 600); runs reuse it."
        )
    )
    return 0


def sandbox(args: argparse.Namespace, settings: Settings, err: Console) -> int:
    """`runbook sandbox`: serve every replica portal until Ctrl-C (exit 130)."""
    data = args.data or settings.data_dir / "sandbox"
    servers: list[SandboxServer] = []
    port = args.port
    try:
        for portal in PORTALS.values():
            try:
                chosen = args.skin or settings.sandbox_skin
                skin = {"skin": chosen} if chosen else {}  # a replica may have a single skin
                servers.append(portal.start_sandbox(data, args.host, port, args.latency, **skin))
            except OSError as exc:
                raise UsageError(
                    f"cannot serve {portal.title} on {args.host}:{port}: {exc.strerror}; try --port"
                ) from None
            port = port + portal.ports if port else 0
        err.print(
            Text.assemble(
                (" SANDBOX ", "black on yellow"), " replica portals, for tests and demos\n"
            )
        )
        for portal, server in zip(PORTALS.values(), servers, strict=True):
            shown = getattr(server, "skin", None)
            skin_note = f"  ({shown} skin)" if shown else ""
            err.print(Text.assemble((portal.title, "bold"), f"  {server.url}{skin_note}"))
            rows = []
            auth_url = getattr(server, "auth_url", None)
            if auth_url:
                rows.append(("sign-in page", str(auth_url)))
            rows += [
                ("email", server.EMAIL),
                ("password", server.PASSWORD),
                ("state (read-only)", f"{server.url}/_sandbox/state"),
                (
                    "run against it",
                    f"--target {server.url}  (with {portal.env_prefix}_EMAIL "
                    f"and {portal.env_prefix}_PASSWORD set as above)",
                ),
            ]
            for label, value in rows:
                err.print(Text(f"  {label:<18} {value}"))
            err.print()
        err.print(Text(f"State kept in {data}. Ctrl-C stops."))
        try:
            threading.Event().wait()  # until Ctrl-C
        except KeyboardInterrupt:
            # The way to stop it: said in words, no traceback; still exit 130 (interrupted),
            # the code every command gives Ctrl-C and that scripts wrapping it read.
            err.print(Text("Sandbox stopped."))
            return 130
    finally:
        for server in servers:
            server.stop()
    return 0
