"""The register's table model (no widget: testable without a window)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from qualite_app.rapports.note import TITLE
from qualite_app.rapports.services import RapportListeRow, local_time

_Index = QModelIndex | QPersistentModelIndex


class RapportsModel(QAbstractTableModel):
    HEADERS = ("Référence", "Type", "Titre", "Émis le", "Signataire", "Destinataire", "Remplace")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[RapportListeRow] = []

    def set_rows(self, rows: list[RapportListeRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        r = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return r.reference
            if col == 1:
                return r.kind_label
            if col == 2:
                return r.title.removeprefix(f"{TITLE} — ")  # the Type column already says it
            if col == 3:
                t = local_time(r.emis_le)
                return t.strftime("%d/%m/%Y %H:%M") if t else ""
            if col == 4:
                return r.signataire or "— non signé —"
            if col == 5:
                return r.destinataire
            if col == 6:
                return f"n° {r.remplace_id}" if r.remplace_id else ""
        if role == Qt.ItemDataRole.ToolTipRole and col == 2:
            return r.title
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        return None
