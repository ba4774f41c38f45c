"""Importing an export from the interface: preview with every refusal, all or nothing, then only the valid lines."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from qualite_app.evenements import services as evenements


def _xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["N° fiche", "Date de l'événement", "Catégorie", "Description des faits", "Gravité"])
    ws.append(["OUT-1", "14/10/2026 09:30", "Chute", "Retrouvé au sol", "2"])
    ws.append(["OUT-2", "15/10/2026 22:00", "Inconnue", "Texte", "3"])
    ws.append(["OUT-3", "16/10/2026", "Médicament", "Oubli d'une dose", "9"])
    wb.save(path)
    return path


def test_import_from_the_page(page, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.gui.evenements.import_dialog import ImportDialog

    before = evenements.count_evenements(page.ctx.db)
    dlg = ImportDialog(page.ctx, page)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.load(_xlsx(tmp_path / "export.xlsx"))
    qtbot.waitUntil(lambda: dlg.preview is not None, timeout=10000)
    assert dlg.refus.rowCount() == 2
    assert {dlg.refus.item(r, 1).text() for r in range(2)} == {"Catégorie", "Gravité"}
    assert not dlg.btn_import.isEnabled()  # all or nothing: refused lines block the import
    qtbot.mouseClick(dlg.only_valid, Qt.MouseButton.LeftButton)
    assert dlg.btn_import.isEnabled()
    qtbot.mouseClick(dlg.btn_import, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.result is not None, timeout=10000)
    assert "1 création(s)" in dlg.summary.text()
    assert evenements.count_evenements(page.ctx.db) == before + 1
    assert evenements.id_par_reference(page.ctx.db, "OUT-1") is not None
