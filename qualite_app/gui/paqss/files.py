"""The PAQSS page's files: import a workbook, export the list (xlsx, csv, ics), the signed bilan."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from qualite_app.errors import UserError
from qualite_app.gui.operations import show_error
from qualite_app.paqss import services as paqss

if TYPE_CHECKING:
    from qualite_app.gui.paqss.page import PaqssPage

EXPORT_FILTERS = {"xlsx": "Classeur Excel (*.xlsx)", "csv": "CSV (*.csv)", "ics": "Agenda iCalendar (*.ics)"}


def import_file(page: PaqssPage) -> None:
    from qualite_app.gui.paqss.import_dialog import ImportDialog

    path, _ = QFileDialog.getOpenFileName(
        page, page.tr("Importer un PAQSS"), "", page.tr("Classeurs (*.xlsx *.ods *.csv)")
    )
    if not path:
        return
    try:
        page.import_dialog = ImportDialog(page.ctx, Path(path), page)
    except UserError as exc:
        show_error(page, exc)
        return
    page.import_dialog.accepted.connect(lambda: imported(page))
    page.import_dialog.setWindowModality(Qt.WindowModality.WindowModal)
    page.import_dialog.open()


def imported(page: PaqssPage) -> None:
    res = page.import_dialog.import_result if page.import_dialog else None
    page.reload()
    if res is not None:
        QMessageBox.information(
            page,
            page.tr("Import terminé"),
            page.tr("%1 action(s) créée(s), %2 mise(s) à jour, %3 personne(s) ajoutée(s) à l'annuaire.")
            .replace("%1", str(res.creees))
            .replace("%2", str(res.mises_a_jour))
            .replace("%3", str(res.personnes_creees)),
        )


def export(page: PaqssPage, fmt: str, *, par_axe: bool = False, tout: bool = False) -> None:
    """The filtered list (``tout``: the whole current programme) in ``fmt``, to a file the user chooses."""
    from qualite_app.paqss import echanges as ex

    path, _ = QFileDialog.getSaveFileName(page, page.tr("Exporter"), f"paqss.{fmt}", EXPORT_FILTERS[fmt])
    if not path:
        return
    f = (
        paqss.ActionFilter(programme_id=paqss.programme_courant(page.ctx.db))
        if tout
        else page.current_filter()
    )
    try:
        n = ex.export(page.ctx.db, fmt, Path(path), f, par_axe=par_axe)
    except UserError as exc:
        show_error(page, exc)
        return
    page.count_label.setText(
        page.tr("%1 élément(s) exporté(s) dans %2").replace("%1", str(n)).replace("%2", path)
    )


def report(page: PaqssPage) -> None:
    """The signed bilan of the programme shown (or the current one)."""
    from qualite_app.gui.paqss.bilan_dialog import BilanDialog

    pid = page.current_filter().programme_id or paqss.programme_courant(page.ctx.db)
    if pid is None:
        QMessageBox.information(page, page.tr("PAQSS"), page.tr("Aucun programme PAQSS."))
        return
    page.bilan_dialog = BilanDialog(page.ctx, pid, page)
    page.bilan_dialog.setWindowModality(Qt.WindowModality.WindowModal)
    page.bilan_dialog.open()
