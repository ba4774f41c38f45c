"""The core never imports Qt; the GUI never touches models or sessions directly."""

import ast
import subprocess
import sys
from pathlib import Path

import qualite_app

PKG = Path(qualite_app.__file__).parent
QT = ("PySide6", "PyQt5", "PyQt6", "shiboken6")


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def core_files() -> list[Path]:
    return [p for p in PKG.rglob("*.py") if "gui" not in p.relative_to(PKG).parts and "_data" not in p.parts]


def test_core_modules_never_import_qt():
    offenders = {str(p.relative_to(PKG)): sorted(n for n in imports_of(p) if n.startswith(QT)) for p in core_files()}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_gui_uses_services_not_models_or_sessions():
    forbidden = ("qualite_app.models", "sqlalchemy")
    bad = {}
    for p in (PKG / "gui").rglob("*.py"):
        hits = sorted(n for n in imports_of(p) if n.startswith(forbidden))
        if hits:
            bad[str(p.relative_to(PKG))] = hits
    assert bad == {}


def test_importing_every_core_module_loads_no_qt():
    modules = sorted(
        ".".join(p.relative_to(PKG.parent).with_suffix("").parts).removesuffix(".__init__") for p in core_files()
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n    importlib.import_module(m)\n"
        f"print(sorted(k for k in sys.modules if k.startswith({QT!r})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
