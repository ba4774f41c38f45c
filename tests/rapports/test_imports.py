"""The core stays light and Qt-free: importing the reports area loads neither Qt nor pyHanko nor ReportLab."""

from __future__ import annotations

import subprocess
import sys


def test_core_modules_import_no_qt_and_no_heavy_library() -> None:
    code = (
        "import sys\n"
        "import qualite_app.rapports.services, qualite_app.signing.identities, qualite_app.signing.sign, "
        "qualite_app.signing.verify, qualite_app.rapports.note, qualite_app.rapports.cli, qualite_app.rapports.models\n"
        "import qualite_app.cli as c; c.build_parser()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyhanko', 'reportlab', 'cryptography', 'pypdfium2'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"imported at startup: {out}"


def test_gui_page_module_loads_heavy_libraries_lazily() -> None:
    code = (
        "import sys\n"
        "import qualite_app.gui.rapports.page, qualite_app.gui.rapports.dialogs\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('pyhanko', 'reportlab', 'pypdfium2'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"imported with the page: {out}"
