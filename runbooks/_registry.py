"""The vendors, portals and runbooks the tool knows, found rather than listed.

A vendor is a package that declares `PORTAL` (a `Portal`) and `RUNBOOKS` (its
`Runbook`s): every `runbooks/<vendor>/` package, and any installed package
named under the `runbook.vendors` entry point group. Adding one edits
nothing here.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Iterator, MutableMapping
from importlib.metadata import entry_points
from types import ModuleType
from typing import TypeVar

from runbooks._errors import UsageError
from runbooks._model import Runbook
from runbooks._portal import Portal

__all__ = ["PORTALS", "RUNBOOKS", "ENTRY_POINTS", "get_portal", "get_runbook", "vendors"]

#: The entry point group an installed vendor package is named under.
ENTRY_POINTS = "runbook.vendors"
_BUILT_IN = "runbooks"

V = TypeVar("V")


def _built_in() -> Iterator[str]:
    package = importlib.import_module(_BUILT_IN)
    for info in pkgutil.iter_modules(package.__path__):
        if info.ispkg and not info.name.startswith("_"):
            yield f"{_BUILT_IN}.{info.name}"


def vendors() -> list[ModuleType]:
    """Every vendor package: the built-in ones, then the installed ones."""
    names = [*_built_in(), *(ep.value for ep in entry_points(group=ENTRY_POINTS))]
    found = [importlib.import_module(name) for name in dict.fromkeys(names)]
    declared = [module for module in found if isinstance(getattr(module, "PORTAL", None), Portal)]
    return sorted(declared, key=lambda module: (module.PORTAL.rank, module.PORTAL.name))


class _Found(MutableMapping[str, V]):
    """A name -> item mapping filled from the vendors on first use.

    Found again when `sys.path` changes (a vendor installed since); items set
    by hand (tests) win over the found ones.
    """

    def __init__(self) -> None:
        self._found: dict[str, V] = {}
        self._path: tuple[str, ...] | None = None
        self._set: dict[str, V] = {}

    def _items(self) -> dict[str, V]:
        path = tuple(sys.path)
        if path != self._path:
            self._found = self._collect()
            self._path = path
        return {**self._found, **self._set}

    def _collect(self) -> dict[str, V]:
        raise NotImplementedError

    def __getitem__(self, name: str) -> V:
        return self._items()[name]

    def __setitem__(self, name: str, value: V) -> None:
        self._set[name] = value

    def __delitem__(self, name: str) -> None:
        del self._set[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())


class _Portals(_Found[Portal]):
    def _collect(self) -> dict[str, Portal]:
        portals = [module.PORTAL for module in vendors()]
        return {portal.name: portal for portal in portals}


class _Runbooks(_Found[Runbook]):
    def _collect(self) -> dict[str, Runbook]:
        return {rb.name: rb for module in vendors() for rb in getattr(module, "RUNBOOKS", ())}


PORTALS: MutableMapping[str, Portal] = _Portals()
RUNBOOKS: MutableMapping[str, Runbook] = _Runbooks()


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


def get_portal(name: str) -> Portal:
    """The portal called `name` (a runbook's `portal`).

    Raises:
        UsageError: no vendor declares it.
    """
    try:
        return PORTALS[name]
    except KeyError:
        known = ", ".join(sorted(PORTALS))
        raise UsageError(f"no portal called {name!r}; portals: {known}") from None
