"""The indicators area's borders: other areas only through their services, a GUI that only calls services,
and no "is the other area installed?" guard that would hide a real import error."""

from __future__ import annotations

import ast
from pathlib import Path

import qualite_app

PKG = Path(qualite_app.__file__).parent
CORE = sorted((PKG / "indicateurs").rglob("*.py"))
GUI = sorted((PKG / "gui" / "indicateurs").rglob("*.py"))
#: the other areas' public surface (their services); ``etablissement.models`` is the shared directory
#: of people and services every area joins to (documented exception)
PUBLIC = (
    "qualite_app.paqss.services",  # the PAQSS area's services (to move to qualite_app.paqss.services)
    "qualite_app.paqss.services",
    "qualite_app.rapports.services",
    "qualite_app.etablissement.annuaire",  # the directory's service functions
    "qualite_app.etablissement.models",
)
#: command-line helpers shared between areas' CLIs (the signing password options): CLI to CLI only
PUBLIC_TO_CLI = ("qualite_app.rapports.cli",)
OTHER_AREAS = ("qualite_app.paqss", "qualite_app.services", "qualite_app.rapports", "qualite_app.etablissement")


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.update(f"{node.module}.{a.name}" for a in node.names)  # a submodule, or a name of the module
    return names


def public(name: str) -> bool:
    return name in PUBLIC or name.startswith(tuple(f"{m}." for m in PUBLIC))


def rel(p: Path) -> str:
    return str(p.relative_to(PKG))


def test_files_were_found() -> None:
    assert len(CORE) >= 10 and len(GUI) >= 8


def test_other_areas_only_through_their_services() -> None:
    bad = {}
    for p in CORE + GUI:
        hits = sorted(
            n for n in imports_of(p)
            if n.startswith(OTHER_AREAS) and not public(n) and not (p.name == "cli.py" and n.startswith(PUBLIC_TO_CLI))
        )  # fmt: skip
        if hits:
            bad[rel(p)] = hits
    assert bad == {}


def test_the_gui_imports_no_models_no_sqlalchemy_no_storage() -> None:
    bad = {}
    for p in GUI:
        hits = sorted(
            n for n in imports_of(p)
            if n.startswith(("sqlalchemy", "qualite_app.storage"))
            or (not n.startswith("qualite_app.gui.") and (n.endswith(".models") or ".models." in n))
        )  # fmt: skip
        if hits:
            bad[rel(p)] = hits
    assert bad == {}


def test_no_import_guards() -> None:
    """``try: import … except ImportError`` would hide a real error behind a missing feature."""
    bad = []
    for p in CORE + GUI:
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Try):
                for h in node.handlers:
                    names = [h.type] if not isinstance(h.type, ast.Tuple) else list(h.type.elts)
                    if any(isinstance(n, ast.Name) and n.id in ("ImportError", "ModuleNotFoundError") for n in names):
                        bad.append(f"{rel(p)}:{h.lineno}")
    assert bad == []


def test_no_module_over_500_lines() -> None:
    long = {rel(p): n for p in CORE + GUI if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert long == {}
