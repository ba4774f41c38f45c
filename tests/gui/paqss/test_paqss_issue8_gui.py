"""Issue 8 (trust), PAQSS GUI: the import dialog (mapping, all or nothing) and the editor's one-transaction save."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from qualite_app.paqss import services as paqss
from qualite_app.paqss.services import preuves
from qualite_app.storage.database import Database

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]


def _titles(db: Database, titre: str) -> list[int]:
    return [r.id for r in paqss.list_actions(db) if r.titre == titre]


def test_editor_save_is_one_transaction_and_never_creates_twice(
    qtbot, page, monkeypatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A refused file refuses the whole save (nothing written); clicking again never creates a second action."""
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: warnings.append(a[2])))
    monkeypatch.setattr(preuves, "MAX_PREUVE", 1000)  # a « too big » file without writing 200 MB
    db = page.ctx.db
    qtbot.mouseClick(page.btn_new, Qt.MouseButton.LeftButton)
    ed = page.editor
    titre = "Securiser l identitovigilance au bloc"  # keyClicks: ASCII only offscreen
    qtbot.keyClicks(ed.form.titre, titre)
    ed.form.objectif.setCurrentIndex(ed.form.objectif.findText("A3", Qt.MatchFlag.MatchStartsWith))
    ed.tabs.setCurrentIndex(2)
    qtbot.keyClicks(ed.comment_text, "Demande de la CME")
    ed.add_comment()
    ok = tmp_path / "procedure.pdf"
    ok.write_bytes(b"%PDF-1.4 procedure")
    big = tmp_path / "video-formation.mp4"
    big.write_bytes(b"\x00" * 5000)
    ed.add_files([ok, big])
    assert len(ed.pending_files) == 2

    qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)
    assert warnings and "video-formation.mp4" in warnings[-1]
    assert _titles(db, titre) == []  # the refused file refused the whole save
    assert ed.isVisible() and ed.action_id is None

    qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)  # the user clicks again
    assert _titles(db, titre) == []
    assert len(warnings) == 2

    ed.pending_files = [p for p in ed.pending_files if p != big]  # the user removes the big file
    qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)
    ids = _titles(db, titre)
    assert len(ids) == 1
    assert [c.texte for c in paqss.comments(db, ids[0])] == ["Demande de la CME"]
    assert [e.nom for e in paqss.evidence(db, ids[0])] == ["procedure.pdf"]


def _open_import(qtbot, page, monkeypatch, f: Path):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getOpenFileName", staticmethod(lambda *a, **k: (str(f), ""))
    )
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: None))
    qtbot.mouseClick(page.btn_import, Qt.MouseButton.LeftButton)
    return page.import_dialog


def test_import_refused_rows_need_the_explicit_checkbox(qtbot, page, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers.classeurs import messy_workbook

    db = page.ctx.db
    total = paqss.summary(db).total
    dlg = _open_import(qtbot, page, monkeypatch, messy_workbook(tmp_path / "p.xlsx"))
    qtbot.mouseClick(dlg.preview_button, Qt.MouseButton.LeftButton)
    assert dlg.refused.rowCount() == 1 and dlg.rows.rowCount() == 4
    assert dlg.ignore_errors.isVisible() and not dlg.ignore_errors.isChecked()
    assert not dlg.commit_button.isEnabled()
    qtbot.mouseClick(dlg.commit_button, Qt.MouseButton.LeftButton)
    assert dlg.import_result is None and paqss.summary(db).total == total  # nothing imported
    dlg.ignore_errors.setChecked(True)
    assert dlg.commit_button.isEnabled()
    qtbot.mouseClick(dlg.commit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.import_result is not None, timeout=10000)
    assert paqss.summary(db).total == total + 4


def test_import_mapping_step_maps_unknown_columns_explicitly(
    qtbot, page, monkeypatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers.classeurs import own_words_csv

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: warnings.append(a[2])))
    db = page.ctx.db
    total = paqss.summary(db).total
    dlg = _open_import(qtbot, page, monkeypatch, own_words_csv(tmp_path / "chantiers.csv"))
    headers = [dlg.mapping.item(r, 0).text() for r in range(dlg.mapping.rowCount())]
    assert headers == ["Chantier", "Porteur", "Pour quand", "Thème"]
    qtbot.mouseClick(dlg.preview_button, Qt.MouseButton.LeftButton)  # guessed: no action column
    assert warnings and "ne ressemble pas à un plan d'actions" in warnings[-1]
    assert dlg.stack.currentIndex() == 0
    for row, field in ((0, "titre"), (2, "echeance")):
        combo = dlg.mapping.cellWidget(row, 2)
        combo.setCurrentIndex(combo.findData(field))
    assert dlg.chosen_mapping() == {0: "titre", 1: "pilote", 2: "echeance", 3: "axe"}
    qtbot.mouseClick(dlg.preview_button, Qt.MouseButton.LeftButton)
    assert dlg.stack.currentIndex() == 1 and dlg.rows.rowCount() == 2 and dlg.refused.rowCount() == 0
    assert dlg.commit_button.isEnabled() and not dlg.ignore_errors.isVisible()
    qtbot.mouseClick(dlg.commit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.import_result is not None, timeout=10000)
    assert paqss.summary(db).total == total + 2
    assert "Auditer les chariots" in {r.titre for r in paqss.list_actions(db)}
