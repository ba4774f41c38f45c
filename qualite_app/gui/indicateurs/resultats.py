"""The results grid of an indicator: the table model (one row per period, plus a row to type a new one)
and its view (keyboard entry, paste from a spreadsheet, delete)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMessageBox, QTableView, QWidget

from qualite_app.errors import UserError
from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import run_write, show_error
from qualite_app.indicateurs import services as svc
from qualite_app.rules import periodes

Index = QModelIndex | QPersistentModelIndex

COLUMNS = [
    ("periode", "Période"),
    ("numerateur", "Numérateur"),
    ("denominateur", "Dénominateur"),
    ("valeur", "Valeur"),
    ("classe", "Classe"),
    ("statut", "Statut"),
    ("commentaire", "Commentaire"),
]
NUMERIC = {"numerateur", "denominateur", "valeur"}


def _fmt(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return svc.fr(v, 2).rstrip("0").rstrip(",") if not v.is_integer() else svc.fr(v, 0)
    return str(v)


class MesuresModel(QAbstractTableModel):
    """The results of one indicator (establishment level) plus an empty row to type a new one.

    Each edit is saved at once through the service (one transaction); a paste is one transaction.
    """

    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.indicateur_id: int | None = None
        self.service_id: int | None = None
        self.rows: list[dict[str, Any]] = []
        self.pending: dict[str, Any] = {}
        self.view: QWidget | None = None

    def _query(self) -> list[dict[str, Any]]:
        assert self.indicateur_id is not None
        return [
            {"periode": m.periode, "numerateur": m.numerateur, "denominateur": m.denominateur, "valeur": m.valeur,
             "classe": m.classe, "statut": m.statut, "commentaire": m.commentaire, "source": m.source, "id": m.id}
            for m in svc.list_mesures(self.ctx.db, self.indicateur_id, service_id=self.service_id)
        ]  # fmt: skip

    def load(self, indicateur_id: int, service_id: int | None = None) -> None:
        self.beginResetModel()
        self.indicateur_id, self.service_id = indicateur_id, service_id
        self.rows = self._query()
        self.pending = {}
        self.endResetModel()

    def refresh_rows(self) -> None:
        """Re-read after a save without a reset (a reset would orphan an open editor): new periods at the
        end are inserted, the rest updated in place."""
        new = self._query()
        old_keys = [r["periode"] for r in self.rows]
        if [r["periode"] for r in new[: len(old_keys)]] != old_keys:
            assert self.indicateur_id is not None
            self.load(self.indicateur_id, self.service_id)
            return
        self.rows[:] = new[: len(old_keys)]
        self.pending = {}
        if len(new) > len(old_keys):
            self.beginInsertRows(QModelIndex(), len(old_keys), len(new) - 1)
            self.rows.extend(new[len(old_keys) :])
            self.endInsertRows()
        self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, len(COLUMNS) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                return COLUMNS[section][1]
            return "*" if section == len(self.rows) else str(section + 1)
        return None

    def _row(self, r: int) -> dict[str, Any]:
        return self.rows[r] if r < len(self.rows) else self.pending

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        key = COLUMNS[index.column()][0]
        row = self._row(index.row())
        v = row.get(key)
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "periode" and v:
                return periodes.from_code(v).libelle if index.row() < len(self.rows) else v
            return _fmt(v)
        if role == Qt.ItemDataRole.EditRole:
            return _fmt(v) if key != "periode" else (v or "")
        if role == Qt.ItemDataRole.TextAlignmentRole and key in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and key == "statut" and v:
            return svc.STATUTS.get(v, v)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if COLUMNS[index.column()][0] == "periode" and index.row() < len(self.rows):
            return f  # the period of an existing result is its identity
        return f | Qt.ItemFlag.ItemIsEditable

    def _parse(self, key: str, text: Any) -> Any:
        text = "" if text is None else str(text).strip()
        if key in NUMERIC:
            if text.upper() in svc.STATUTS:
                return text.upper()
            return svc.parse_nombre(text, dict(COLUMNS)[key])
        return text or None

    def _data_for(self, row: dict[str, Any]) -> svc.MesureData:
        return svc.MesureData(
            periode=row["periode"], valeur=row.get("valeur"), numerateur=row.get("numerateur"), denominateur=row.get("denominateur"),
            classe=row.get("classe"), statut=row.get("statut"), commentaire=row.get("commentaire"),
            source=row.get("source") or "Saisie", service_id=self.service_id,
        )  # fmt: skip

    def _apply(self, row: dict[str, Any], key: str, value: Any) -> None:
        if key in NUMERIC and isinstance(value, str):  # « DI » typed in the value column
            row["statut"], row[key] = value, None
        else:
            row[key] = value
            if key in ("numerateur", "denominateur"):
                row["valeur"] = None  # recomputed from the new counts
            if key in NUMERIC and value is not None and row.get("statut") in ("NR", "DI"):
                row["statut"] = None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.indicateur_id is None:
            return False
        return self.set_cells([(index.row(), index.column(), value)])

    def set_cells(self, cells: list[tuple[int, int, Any]]) -> bool:
        """Write several cells at once (typing or pasting): new rows get the next periods; one transaction."""
        assert self.indicateur_id is not None
        work: dict[int, dict[str, Any]] = {}
        try:
            for r, c, value in cells:
                key = COLUMNS[c][0]
                if r not in work:
                    work[r] = dict(self._row(r)) if r <= len(self.rows) else {}
                row = work[r]
                if key == "periode":
                    row["periode"] = periodes.parse(value).code if str(value or "").strip() else None
                else:
                    self._apply(row, key, self._parse(key, value))
        except ValueError as exc:
            show_error(self.view, UserError(str(exc)))
            return False
        # rows beyond the end continue the period sequence
        last = self.rows[-1]["periode"] if self.rows else None
        for r in sorted(work):
            row = work[r]
            if r >= len(self.rows) and not row.get("periode"):
                if r == len(self.rows) and self.pending.get("periode"):
                    row["periode"] = self.pending["periode"]
                elif last:
                    row["periode"] = periodes.from_code(last).suivante().code
            if row.get("periode"):
                last = row["periode"]
        def complete(row: dict[str, Any]) -> bool:
            if any(row.get(k) is not None for k in ("valeur", "classe", "statut")):
                return True
            return row.get("numerateur") is not None and row.get("denominateur") is not None

        ready = [self._data_for(row) for _r, row in sorted(work.items()) if row.get("periode") and complete(row)]
        incomplete = [r for r, row in work.items() if r >= len(self.rows) and not complete(row)]
        if not ready:
            if incomplete:  # a period typed on the new row: keep it until a value comes
                self.pending = work[incomplete[0]]
                top = self.index(len(self.rows), 0)
                self.dataChanged.emit(top, self.index(len(self.rows), len(COLUMNS) - 1))
                return True
            return False
        result = run_write(self.ctx, self.view, svc.save_mesures, self.ctx.db, self.indicateur_id, ready)
        if result is None:
            return False
        # reload once the editor has closed (a reset inside commitData would orphan it)
        QTimer.singleShot(0, self._reload_after_save)
        return True

    def _reload_after_save(self) -> None:
        if self.indicateur_id is not None:
            self.refresh_rows()
            self.saved.emit()


class MesuresView(QTableView):
    """Type, Tab, Enter (next row, same column), Ctrl+V pastes a block copied from Excel; Suppr clears cells,
    or deletes the results whose period is selected."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        model = self.model()
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste(QApplication.clipboard().text())
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.state() != QAbstractItemView.State.EditingState:
            self.delete_selection()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != QAbstractItemView.State.EditingState:
            cur = self.currentIndex()
            if cur.isValid() and cur.row() + 1 < model.rowCount():
                self.setCurrentIndex(model.index(cur.row() + 1, cur.column()))
            return
        super().keyPressEvent(event)

    def delete_selection(self) -> None:
        """Suppr on a period deletes that result (after confirmation); on other cells it clears them."""
        model = self.model()
        assert isinstance(model, MesuresModel)
        cells = [i for i in self.selectedIndexes() if i.row() < len(model.rows)] or (
            [self.currentIndex()] if self.currentIndex().isValid() and self.currentIndex().row() < len(model.rows) else []
        )
        if not cells:
            return
        whole = sorted({i.row() for i in cells if i.column() == 0})
        if whole:
            labels = ", ".join(periodes.from_code(model.rows[r]["periode"]).libelle for r in whole[:6])
            answer = QMessageBox.question(
                self, self.tr("Supprimer des résultats"),
                self.tr("Supprimer %1 résultat(s) (%2) ?").replace("%1", str(len(whole))).replace("%2", labels),
            )  # fmt: skip
            if answer != QMessageBox.StandardButton.Yes:
                return
            ids = [model.rows[r]["id"] for r in whole]
            if run_write(model.ctx, self, svc.delete_mesures, model.ctx.db, ids) is not None:
                assert model.indicateur_id is not None
                model.load(model.indicateur_id, model.service_id)
                model.saved.emit()
            return
        model.set_cells([(i.row(), i.column(), "") for i in cells if model.flags(i) & Qt.ItemFlag.ItemIsEditable])

    def paste(self, text: str) -> None:
        model = self.model()
        assert isinstance(model, MesuresModel)
        cur = self.currentIndex()
        if not cur.isValid() or not text.strip():
            return
        lines = [ln for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
        while lines and not lines[-1].strip():
            lines.pop()
        cells = []
        for i, line in enumerate(lines):
            r = cur.row() + i
            for j, value in enumerate(line.split("\t")):
                c = cur.column() + j
                if c >= len(COLUMNS) or (c == 0 and r < len(model.rows)):
                    continue  # beyond the grid, or the period of an existing result
                cells.append((r, c, value))
        if cells:
            model.set_cells(cells)
