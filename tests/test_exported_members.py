"""The public surfaces list exactly their public names, sorted."""

from __future__ import annotations
import __future__

import types

import pytest

import pages.cloudeka
import pages.gravitee
import runbooks
import sandbox


@pytest.mark.parametrize("module", [runbooks, pages.gravitee, pages.cloudeka, sandbox])
def test_all_is_sorted_and_complete(module: types.ModuleType) -> None:
    public = sorted(
        (
            n
            for n, v in vars(module).items()
            if not n.startswith("_") and not isinstance(v, types.ModuleType | __future__._Feature)
        ),
        key=str.casefold,
    )
    assert module.__all__ == public
