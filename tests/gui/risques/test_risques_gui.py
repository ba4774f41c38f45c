"""The risk map page: the two heat maps show the counts; a click on a cell lists its risks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from qualite_app.risques import rules
from qualite_app.risques import services as risques
from qualite_app.storage.database import Database


@pytest.fixture
def page(qtbot, demo_db: Database):  # type: ignore[no-untyped-def]
    from qualite_app.gui.context import AppContext, ChangeBus
    from qualite_app.gui.risques.page import RisquesPage
    from qualite_app.settings import Settings

    p = RisquesPage(AppContext(demo_db, ChangeBus(), Settings()))
    qtbot.addWidget(p)
    p.resize(1400, 820)
    p.show()
    qtbot.waitExposed(p)
    return p


def test_heat_maps_show_the_counts(page) -> None:  # type: ignore[no-untyped-def]
    c = risques.carte(page.ctx.db)
    assert page.brute.grid == c.brute and page.residuelle.grid == c.residuelle
    assert "60 risques" in page.zones.text()
    assert page.table.rowCount() == 60


def test_click_a_cell_lists_its_risks(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    c = risques.carte(page.ctx.db)
    g, f = next((g, f) for g in range(5, 0, -1) for f in range(5, 0, -1) if c.brute[g - 1][f - 1])
    qtbot.mouseClick(page.brute, Qt.MouseButton.LeftButton, pos=page.brute.cell_rect(g, f).center())
    n = c.brute[g - 1][f - 1]
    assert page.table.rowCount() == n
    assert f"Case G{g} × F{f} (criticité brute) : {n} risque(s)" == page.cell_label.text()
    assert all(page.table.item(r, 3).text() == f"{g} × {f}" for r in range(n))
    gr, fr = next((g, f) for g in range(1, 6) for f in range(1, 6) if c.residuelle[g - 1][f - 1])
    qtbot.mouseClick(
        page.residuelle, Qt.MouseButton.LeftButton, pos=page.residuelle.cell_rect(gr, fr).center()
    )
    assert page.table.rowCount() == c.residuelle[gr - 1][fr - 1]
    assert "criticité résiduelle" in page.cell_label.text()


def test_process_filter_redraws_the_maps(page) -> None:  # type: ignore[no-untyped-def]
    page.processus.setCurrentIndex(page.processus.findData("Bloc opératoire"))
    c = risques.carte(page.ctx.db, "Bloc opératoire")
    assert page.brute.grid == c.brute and sum(map(sum, page.brute.grid)) == c.total == 7


def test_new_risk_by_dialog_lands_in_its_cell(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    before = risques.carte(page.ctx.db)
    qtbot.mouseClick(page.btn_new, Qt.MouseButton.LeftButton)
    dlg = page.dialog
    dlg.processus.setCurrentText("Bloc opératoire")
    qtbot.keyClicks(dlg.danger, "Brulure par bistouri")
    dlg.g.setCurrentIndex(dlg.g.findData(5))
    dlg.f.setCurrentIndex(dlg.f.findData(4))
    assert "Criticité brute : 20 (Inacceptable)" in dlg.criticite.text()
    dlg.gr.setCurrentIndex(dlg.gr.findData(5))
    dlg.save()
    assert dlg.isVisible() and "gravité ET la fréquence résiduelles" in dlg.error.text()
    dlg.fr.setCurrentIndex(dlg.fr.findData(1))
    dlg.save()
    assert not dlg.isVisible()
    assert page.brute.grid[4][3] == before.brute[4][3] + 1
    qtbot.mouseClick(page.brute, Qt.MouseButton.LeftButton, pos=page.brute.cell_rect(5, 4).center())
    dangers = [page.table.item(r, 2).text() for r in range(page.table.rowCount())]
    assert "Brulure par bistouri" in dangers


def test_local_cut_offs_recolour_the_map(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    page.edit_seuils()
    dlg = page.seuils_dialog
    dlg.tolerable.setValue(8)
    dlg.inacceptable.setValue(16)
    dlg.save()
    assert risques.seuils(page.ctx.db) == rules.Seuils(8, 16, False)
    assert "tolérable à partir de 8, inacceptable à partir de 16" in page.zones.text()
    assert page.brute.seuils.inacceptable == 16


def test_planned_action_goes_to_paqss(page, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QInputDialog

    page.table.setCurrentCell(0, 0)
    rid = page.current_id()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Former les équipes du bloc", True))
    qtbot.mouseClick(page.btn_action, Qt.MouseButton.LeftButton)
    assert "Former les équipes du bloc" in [a.titre for a in risques.actions_du_risque(page.ctx.db, rid)]


def test_import_a_risk_map_from_the_page(page, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    from qualite_app.gui.evenements.import_dialog import ImportDialog

    wb = Workbook()
    ws = wb.active
    ws.append(["Réf", "Processus", "Risque", "G", "F"])
    ws.append(["IMP-1", "Stérilisation", "Défaut de traçabilité des boîtes", 4, 3])
    wb.save(tmp_path / "carte.xlsx")
    dlg = ImportDialog(page.ctx, page, "qualite_app.risques.imports", "Importer une cartographie")
    qtbot.addWidget(dlg)
    dlg.load(tmp_path / "carte.xlsx")
    qtbot.waitUntil(lambda: dlg.preview is not None, timeout=10000)
    assert dlg.btn_import.isEnabled() and dlg.refus.rowCount() == 0
    qtbot.mouseClick(dlg.btn_import, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.result is not None, timeout=10000)
    assert "1 risque(s) créé(s)" in dlg.summary.text()
    assert risques.carte(page.ctx.db, "Stérilisation").brute[3][2] == 1


def test_risk_map_report_is_issued_into_the_register(page, qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """*Cartographie (PDF)…*: issued through the register (a reference, the letterhead), here without signature."""
    import io

    from pypdf import PdfReader
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    from qualite_app.rapports import services as rapports

    out = tmp_path / "carte.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF (*.pdf)"))
    monkeypatch.setattr(QInputDialog, "getItem", lambda _p, _t, _l, items, *a, **k: (items[-1], True))  # « (sans signature) »
    qtbot.mouseClick(page.btn_report, Qt.MouseButton.LeftButton)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    issued = rapports.lister(page.ctx.db, kind="risques")
    assert issued and issued[0].reference.startswith("RIS-") and issued[0].reference in text
    assert "Criticité brute" in text or "criticité" in text.lower()
