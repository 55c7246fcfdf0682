"""The runbooks the tool knows, by name."""

from __future__ import annotations

from runbooks._errors import UsageError
from runbooks._model import Runbook
from runbooks.cloudeka import new_token
from runbooks.gravitee import cert_renewal, cloud_token

__all__ = ["RUNBOOKS", "get_runbook"]

RUNBOOKS: dict[str, Runbook] = {
    rb.name: rb for rb in (cloud_token.RUNBOOK, cert_renewal.RUNBOOK, new_token.RUNBOOK)
}


def get_runbook(name: str) -> Runbook:
    """The runbook called `name`.

    Raises:
        UsageError: there is none; the message lists the ones there are.
    """
    try:
        return RUNBOOKS[name]
    except KeyError:
        known = ", ".join(sorted(RUNBOOKS))
        raise UsageError(f"no runbook called {name!r}; runbooks: {known}") from None
