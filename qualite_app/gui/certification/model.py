"""The answer grid: a table model fed by ``campagnes.grille`` (one row per element d'évaluation)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from qualite_app.certification import campagnes, rules
from qualite_app.gui.pages import lu
from qualite_app.socle.base import Database

COLUMNS = [
    "Élément",
    "Intitulé",
    "Niveau",
    "Méthode",
    "Cible",
    "Réponse",
    "Commentaire",
    "Évaluateur",
    "Date",
    "Preuves",
]
REPONSE_BG = {
    rules.CONFORME: QColor("#E3F1E4"),
    rules.PARTIEL: QColor("#FFF3D6"),
    rules.NON_CONFORME: QColor("#FBE0E0"),
    rules.NA: QColor("#ECEFF3"),
}
IMPERATIF_FG = QColor("#B71C1C")


class GrilleModel(QAbstractTableModel):
    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(parent)
        self.db = db
        self.campagne_id: int | None = None
        self.filtre = campagnes.GrilleFiltre()
        self.rows: list[campagnes.GrilleRow] = []

    def refresh(self) -> None:
        self.beginResetModel()
        # the grid as ``CertificationPage.prechauffer`` read it in idle time, if nothing changed since
        self.rows = lu(self.db, campagnes.grille, self.campagne_id, self.filtre) if self.campagne_id else []
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return [
                r.ref + (" (retiré)" if r.retire else ""),
                r.titre,
                rules.NIVEAUX.get(r.niveau or "", ""),
                ", ".join(rules.METHODES.get(m, m) for m in r.methodes),
                ", ".join(rules.CIBLES.get(c, c) for c in r.cibles),
                rules.REPONSES.get(r.valeur or "", "—") + (f" ({r.motif_na})" if r.motif_na else ""),
                r.commentaire or "",
                r.evaluateur,
                r.date.strftime("%d/%m/%Y") if r.date else "",
                str(r.preuves) if r.preuves else "",
            ][col]
        if role == Qt.ItemDataRole.BackgroundRole and col == 5 and r.valeur:
            return QBrush(REPONSE_BG[r.valeur])
        if role == Qt.ItemDataRole.ForegroundRole and col == 2 and r.niveau == rules.IMPERATIF:
            return QBrush(IMPERATIF_FG)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{r.critere_ref} — {r.critere_titre}\nTouches : C conforme, P partiel, N non conforme, A non applicable, Suppr efface"
        return None
