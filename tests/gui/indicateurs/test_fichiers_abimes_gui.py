"""The import windows given a damaged workbook: the French message, the import button disabled."""

from __future__ import annotations

from pathlib import Path

from qualite_app.storage.database import Database
from tests.helpers.classeurs import corrupt_xml, encrypted


def test_gui_import_dialog_damaged_workbook_shows_the_message(
    qtbot, demo_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.gui.context import AppContext, ChangeBus
    from qualite_app.gui.indicateurs.imports import HasImportDialog, ImportMesuresDialog
    from qualite_app.settings import Settings

    ctx = AppContext(demo_db, ChangeBus(), Settings())
    f = encrypted(tmp_path / "chiffre.xlsx")
    dlg = ImportMesuresDialog(ctx, f)
    qtbot.addWidget(dlg)
    from PySide6.QtWidgets import QLabel

    texts = [w.text() for w in dlg.findChildren(QLabel)]
    assert any("protégé par mot de passe" in t for t in texts) and not dlg.import_btn.isEnabled()
    has = HasImportDialog(ctx, corrupt_xml(tmp_path / "abime.xlsx"))
    qtbot.addWidget(has)
    assert "endommagé" in has.info.text() and not has.import_btn.isEnabled()
