"""The report kinds' labels that the areas declare (shown by the register without importing ReportLab)
are those of their Renderers, one for one."""

from __future__ import annotations

import subprocess
import sys

from qualite_app.areas import AREAS, resolve


def test_every_report_of_an_area_declares_its_kind_and_label() -> None:
    for area in AREAS:
        renderers = [resolve(t) for t in area.reports]
        assert [(r.kind, r.label) for r in renderers] == list(area.report_labels), area.key


def test_the_register_labels_its_kinds_without_importing_the_report_modules() -> None:
    code = (
        "import sys\n"
        "from qualite_app.rapports import registre\n"
        "print(registre.kind_label('paqss'), registre.kind_label('classeur_crise'), 'reportlab' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["Bilan", "du", "PAQSS", "Classeur", "de", "crise", "False"]
