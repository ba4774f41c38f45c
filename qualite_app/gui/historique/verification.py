"""Aide › Vérifier le journal : the chain re-read in the background, the verdict in plain words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

if TYPE_CHECKING:
    from qualite_app.gui.context import AppContext
    from qualite_app.socle.journal import VerificationJournal


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def verifier_journal(window: QWidget) -> None:
    """Re-read the chain in the background; the verdict in a message box (and kept as
    ``window.last_journal_report``)."""
    from qualite_app.gui.operations import Progress, run_background
    from qualite_app.socle import journal

    ctx: AppContext = window.ctx  # type: ignore[attr-defined]
    db = ctx.db

    def work(progress: Progress) -> VerificationJournal:
        return journal.verify(
            db, progress=lambda n: progress.step(n, 0, _tr("%1 lignes vérifiées…").replace("%1", str(n)))
        )

    def done(report: VerificationJournal) -> None:
        window.last_journal_report = report  # type: ignore[attr-defined]
        details = "\n".join(f"• {a.message}" for a in report.anomalies[:10])
        if report.intact:
            QMessageBox.information(window, _tr("Journal intact"), report.resume())
        else:
            QMessageBox.critical(
                window,
                _tr("Journal altéré"),
                report.resume()
                + "\n\n"
                + details
                + "\n\n"
                + _tr(
                    "Conservez ce fichier tel quel et comparez-le avec vos sauvegardes : une ligne modifiée, supprimée "
                    "ou ajoutée hors de l'application ne peut pas être corrigée ici."
                ),
            )

    run_background(ctx, window, _tr("Vérification du journal"), work, done)
