"""The layer contracts, checked on every import of every module (function-level imports included).

- the core never imports Qt; the GUI never imports SQLAlchemy, storage or models (it calls services);
- rules import neither SQLAlchemy nor Qt nor services;
- report builders never import services;
- an area imports another area only through its public modules (never its models — except the
  directory of people and services, ``etablissement.models``, that every area joins to — its report
  builders, its demo or its private modules);
- ``AREAS`` is the only registry; no module is over the size a newcomer can read.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import qualite_app
from qualite_app.areas import AREAS

PKG = Path(qualite_app.__file__).parent
QT = ("PySide6", "PyQt5", "PyQt6", "shiboken6")
AREA_PACKAGES = {a.models.rsplit(".", 2)[1] for a in AREAS if a.models.startswith("qualite_app.") and a.key != "socle"} | {"socle"}
MAX_LINES = 520


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(PKG.parent).with_suffix("").parts).removesuffix(".__init__")


def imports_of(path: Path) -> set[str]:
    """Every module named by an import statement, ``from a import b`` giving ``a`` and ``a.b``."""
    names: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def files() -> list[Path]:
    return [p for p in PKG.rglob("*.py") if "_data" not in p.parts]


def core_files() -> list[Path]:
    return [p for p in files() if "gui" not in p.relative_to(PKG).parts and p.name != "__main__.py"]


def _violations(select, forbidden) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    bad = {}
    for p in files():
        mod = module_name(p)
        if not select(mod):
            continue
        hits = sorted(n for n in imports_of(p) if forbidden(mod, n))
        if hits:
            bad[mod] = hits
    return bad


def _starts(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_core_modules_never_import_qt() -> None:
    core = lambda m: not _starts(m, "qualite_app.gui") and m != "qualite_app.__main__"  # noqa: E731  (the composition root)
    assert _violations(core, lambda m, n: _starts(n, *QT, "qualite_app.gui")) == {}


def test_gui_uses_services_not_models_storage_or_sqlalchemy() -> None:
    def forbidden(mod: str, name: str) -> bool:
        if _starts(name, "sqlalchemy", "qualite_app.storage", "qualite_app.models"):
            return True
        parts = name.split(".")
        return len(parts) >= 3 and parts[0] == "qualite_app" and parts[1] in AREA_PACKAGES and parts[2] == "models"

    assert _violations(lambda m: _starts(m, "qualite_app.gui"), forbidden) == {}


def test_rules_are_pure() -> None:
    def forbidden(mod: str, name: str) -> bool:
        if _starts(name, "sqlalchemy", *QT, "qualite_app.storage", "qualite_app.gui", "qualite_app.socle"):
            return True
        return ".services" in name or name.endswith(".models")

    assert _violations(lambda m: _starts(m, "qualite_app.rules") or m.endswith(".rules"), forbidden) == {}


def test_report_builders_never_import_services() -> None:
    def is_builder(mod: str) -> bool:
        return _starts(mod, "qualite_app.reports") or mod.endswith((".report", ".note"))

    def forbidden(mod: str, name: str) -> bool:
        return ".services" in name or _starts(name, "qualite_app.socle", "qualite_app.storage.database")

    assert _violations(is_builder, forbidden) == {}


def test_areas_meet_only_through_public_modules() -> None:
    def area_of(name: str) -> str | None:
        parts = name.split(".")
        return parts[1] if len(parts) >= 2 and parts[0] == "qualite_app" and parts[1] in AREA_PACKAGES else None

    def forbidden(mod: str, name: str) -> bool:
        own, other = area_of(mod), area_of(name)
        if other is None or other == own:
            return False
        leaf = name.split(".")[2] if len(name.split(".")) > 2 else ""
        if name.startswith("qualite_app.etablissement.models"):
            return False  # the directory every area joins to
        if leaf == "demo":
            return not mod.endswith(".demo")  # a demo step may use another area's demo calendar
        return leaf in ("models", "report") or leaf.startswith("_")

    assert _violations(lambda m: area_of(m) is not None, forbidden) == {}


def test_no_other_registry_and_no_cli_modules_at_the_top() -> None:
    top = sorted(p.name for p in PKG.glob("cli_*.py"))
    assert top == []
    for p in files():
        text = p.read_text(encoding="utf-8")
        for registry in ("EXTENSIONS: list", "DEMO_STEPS", "PageSpec(\""):
            assert registry not in text, f"{module_name(p)} keeps its own registry ({registry})"


def test_no_module_is_too_long_to_read() -> None:
    long = {module_name(p): n for p in files() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_importing_every_core_module_loads_no_qt() -> None:
    modules = sorted(module_name(p) for p in core_files())
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n    importlib.import_module(m)\n"
        f"print(sorted(k for k in sys.modules if k.startswith({QT!r})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
