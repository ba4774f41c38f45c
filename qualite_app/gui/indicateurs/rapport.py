"""« Rapport PDF… » from the dashboard: the dashboard report of the chosen saved dashboard, built off the UI thread."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from qualite_app.errors import UserError
from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import Progress, run_background, show_error
from qualite_app.indicateurs import services as svc

if TYPE_CHECKING:
    from qualite_app.gui.indicateurs.dashboard import DashboardView


def ask_dashboard_report(ctx: AppContext, parent: QWidget, dashboard: DashboardView) -> None:
    """Ask which saved dashboard (the current one first) and where to write the PDF, then build it."""
    noms = [t.nom for t in svc.list_tableaux(ctx.db)]
    if not noms:
        show_error(parent, UserError("Enregistrez d'abord un tableau de bord (bouton « Enregistrer le tableau… »)."))
        return
    current = dashboard.tableau.currentText() if dashboard.tableau.currentData() is not None else noms[0]
    nom, ok = QInputDialog.getItem(parent, parent.tr("Rapport du tableau de bord"), parent.tr("Tableau de bord :"), noms, noms.index(current) if current in noms else 0, False)
    if not ok:
        return
    periode = dashboard.periode.text().strip() or None
    name, _ = QFileDialog.getSaveFileName(parent, parent.tr("Enregistrer le rapport"), f"Tableau de bord {nom}.pdf", "PDF (*.pdf)")
    if not name:
        return
    target = Path(name) if name.lower().endswith(".pdf") else Path(name + ".pdf")
    identity: str | None = None
    password: str | None = None
    from qualite_app.rapports import services as rapports

    answer = QMessageBox.question(parent, parent.tr("Signer le rapport"), parent.tr("Signer le rapport et l'enregistrer au registre des rapports émis ?"))
    if answer == QMessageBox.StandardButton.Yes:
        names = [i.nom for i in rapports.lister_identites(ctx.db)]
        if not names:
            QMessageBox.information(
                parent, parent.tr("Signer le rapport"), parent.tr("Aucune identité de signature : créez-en une dans Rapports › Identités de signature.")
            )
            return
        identity, ok = QInputDialog.getItem(parent, parent.tr("Signer le rapport"), parent.tr("Identité de signature :"), names, 0, False)
        if not ok or not identity:
            return
        password, ok = QInputDialog.getText(parent, parent.tr("Signer le rapport"), parent.tr("Mot de passe ou code PIN :"), QLineEdit.EchoMode.Password)
        if not ok:
            return

    def work(progress: Progress) -> int:
        from qualite_app.indicateurs import rapport as rap

        progress.step(0, 0, "Calcul des cartes de contrôle et mise en page…")
        out = rap.emettre_tableau(ctx.db, nom, periode=periode, identity=identity, password=password)  # the pool serves this thread
        target.write_bytes(out.pdf)
        return out.pages

    def done(pages: int) -> None:
        QMessageBox.information(parent, parent.tr("Rapport écrit"), parent.tr("%1 (%2 pages)").replace("%1", str(target)).replace("%2", str(pages)))

    run_background(ctx, parent, parent.tr("Rapport du tableau de bord"), work, done)
