"""The engine's structure holds: no import circle, small modules, definitions on the public API."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "runbooks"
# Vendor packages hold definitions; a private subpackage (`_check`) is part of the engine.
DEFINITIONS = sorted(
    path
    for vendor in PACKAGE.iterdir()
    if vendor.is_dir() and not vendor.name.startswith(("_", "."))
    for path in vendor.glob("*.py")
)
ENGINE = sorted([*PACKAGE.glob("*.py"), *PACKAGE.glob("_*/*.py")])


def dotted(path: Path) -> str:
    """`runbooks/_check/mode.py` -> `runbooks._check.mode`."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Every module `path` imports, by its dotted name (TYPE_CHECKING imports included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            # `from runbooks import _session` imports the module `runbooks._session`.
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def engine_graph() -> dict[str, set[str]]:
    modules = {dotted(p): p for p in ENGINE}
    return {name: imported(path) & set(modules) - {name} for name, path in modules.items()}


def test_the_engine_modules_import_no_circle() -> None:
    graph = engine_graph()
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        if name in trail:
            cycle = " -> ".join((*trail[trail.index(name) :], name))
            pytest.fail(f"import circle: {cycle}")
        if name in done:
            return
        for other in sorted(graph[name]):
            visit(other, (*trail, name))
        done.add(name)

    for name in sorted(graph):
        visit(name, ())
    assert "runbooks._engine" in graph and graph["runbooks._engine"]  # the graph was built


def test_the_graph_sees_a_circle_when_there_is_one() -> None:
    # The check above is only worth something if it reads imports as Python does.
    assert "runbooks._model" in imported(PACKAGE / "_loop.py")
    assert "runbooks._session" in imported(ROOT / "tests" / "conftest.py")


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_definitions_import_only_the_public_api(path: Path) -> None:
    private = sorted(name for name in imported(path) if name.startswith("runbooks._"))
    assert private == [], f"{path.name} imports private engine modules"


def test_there_are_definitions_to_check() -> None:
    assert {p.parent.name for p in DEFINITIONS} >= {"gravitee", "cloudeka"}


@pytest.mark.parametrize(
    "path",
    [p for p in ENGINE if p.relative_to(PACKAGE).parts[0].startswith("_")],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_no_engine_module_is_over_300_lines(path: Path) -> None:
    assert len(path.read_text().splitlines()) <= 300


def test_the_step_loop_is_under_150_lines() -> None:
    assert len((PACKAGE / "_loop.py").read_text().splitlines()) < 150


def test_the_step_loop_names_no_mode_and_no_record_keeper() -> None:
    source = (PACKAGE / "_loop.py").read_text().lower()
    for word in ("guided", "resum", "attend", "unattended", "journal", "recorder", "audit"):
        assert word not in source, f"the loop mentions {word!r}"
    assert "reporter" not in source and "console" not in source
