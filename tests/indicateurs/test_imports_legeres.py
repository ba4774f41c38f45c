"""House rules: the indicators core never imports Qt, and nothing the main window loads imports the heavy libraries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def loaded(modules: str) -> set[str]:
    code = (
        f"import sys\nimport {modules}\n"
        "print(' '.join(m for m in ('PySide6', 'matplotlib', 'reportlab', 'openpyxl', 'pyhanko') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return set(out.stdout.split())


def test_core_has_no_qt_nor_heavy_imports() -> None:
    mods = "qualite_app.rules.spc, qualite_app.indicateurs.services, qualite_app.indicateurs.imports, qualite_app.indicateurs.rapport, qualite_app.indicateurs.cli"
    assert loaded(mods) == set()


def test_page_loads_without_matplotlib_or_reportlab() -> None:
    assert loaded("qualite_app.gui.indicateurs.page") == {"PySide6"}
