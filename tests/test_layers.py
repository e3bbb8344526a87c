"""The import rule of docs/architecture.md: arrows point down, siblings stay apart.

Every ``import koers...`` in every module counts, including imports inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).parents[1] / "src" / "koers"

# Lower numbers are deeper. A package may import its own modules and any package of a lower
# layer; never a package of its own layer (siblings) or of a higher one.
LAYERS = {
    "errors": 0,
    "i18n": 0,
    "model": 1,
    "methods": 2,
    "io": 3,
    "store": 3,
    "connectors": 3,
    "report": 3,
    "services": 4,
    "web": 5,
    "cli": 6,
}
DATA_PACKAGES = {"templates"}


def _package(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "koers":
        return None
    return parts[1] if len(parts) > 1 else ""


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


MODULES = sorted(SOURCE.rglob("*.py"))


def test_every_package_has_a_layer() -> None:
    packages = {p.name for p in SOURCE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    modules = {p.stem for p in SOURCE.glob("*.py")} - {"__init__"}
    assert packages | modules <= set(LAYERS) | DATA_PACKAGES


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SOURCE)))
def test_imports_point_down(path: Path) -> None:
    relative = path.relative_to(SOURCE)
    own = relative.parts[0].removesuffix(".py")
    if own == "__init__" or own in DATA_PACKAGES:
        return
    wrong = []
    for line, module in _imports(path):
        target = _package(module)
        if target in (None, "", own):
            continue
        if target not in LAYERS or LAYERS[target] >= LAYERS[own]:
            wrong.append(f"{relative}:{line}: {own} must not import {module}")
    assert not wrong, "\n".join(wrong)


def test_the_rule_catches_a_wrong_arrow(tmp_path: Path) -> None:
    # The check itself can fail: a model module importing io is reported.
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from koers.io import study_yaml\n", encoding="utf-8")
    assert _imports(bad) == [(2, "koers.io")]
    assert LAYERS[_package("koers.io") or ""] >= LAYERS["model"]
