"""Indicator detail: the control chart (the report's matplotlib Figure), rebases and notes, results grid."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qualite_app.errors import UserError
from qualite_app.gui.context import AppContext
from qualite_app.gui.indicateurs._boutons import franciser
from qualite_app.gui.operations import run_write, show_error
from qualite_app.indicateurs import services as svc
from qualite_app.rules import periodes, spc

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
        result = run_write(self.ctx, self.view, svc.save_mesures, self.ctx.db, self.indicateur_id, ready, changes=("indicateurs",))
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

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
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
            if run_write(model.ctx, self, svc.delete_mesures, model.ctx.db, ids, changes=("indicateurs",)) is not None:
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


class RebaseDialog(QDialog):
    def __init__(self, serie: svc.Serie, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Recalculer les limites"))
        form = QFormLayout(self)
        info = QLabel(
            self.tr("Les limites de contrôle repartent de la période choisie, par exemple quand une action a "
                    "durablement changé le processus. Ce choix est le vôtre : il est tracé avec son motif.")  # fmt: skip
        )
        info.setWordWrap(True)
        form.addRow(info)
        self.periode = QComboBox(objectName="rebase_periode")
        for p in serie.periodes[1:]:
            self.periode.addItem(p.libelle, p.debut)
        self.periode.setCurrentIndex(self.periode.count() - 1)
        self.motif = QLineEdit(objectName="rebase_motif")
        self.motif.setPlaceholderText(self.tr("ex. programme de prévention des chutes (action PAQSS)"))
        form.addRow(self.tr("À partir de"), self.periode)
        form.addRow(self.tr("Motif"), self.motif)
        self.buttons = franciser(QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def values(self) -> tuple[date, str]:
        return self.periode.currentData(), self.motif.text()


class NoteDialog(QDialog):
    def __init__(self, serie: svc.Serie, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Annoter le graphique"))
        form = QFormLayout(self)
        self.periode = QComboBox(objectName="note_periode")
        for p in serie.periodes:
            self.periode.addItem(p.libelle, p.debut)
        self.periode.setCurrentIndex(self.periode.count() - 1)
        self.texte = QLineEdit(objectName="note_texte")
        form.addRow(self.tr("Période"), self.periode)
        form.addRow(self.tr("Annotation"), self.texte)
        b = franciser(QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel))
        b.accepted.connect(self.accept)
        b.rejected.connect(self.reject)
        form.addRow(b)


class DetailView(QWidget):
    back = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.indicateur_id: int | None = None
        self.service_id: int | None = None
        self.serie: svc.Serie | None = None
        self.figure: Any = None
        self.canvas: Any = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        top = QHBoxLayout()
        self.back_btn = QPushButton(self.tr("← Tableau de bord"), objectName="retour")
        self.title = QLabel(objectName="titre_indicateur")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setStyleSheet("font-size:13pt")
        top.addWidget(self.back_btn)
        top.addWidget(self.title, 1)
        self.rebase_btn = QPushButton(self.tr("Recalculer les limites…"), objectName="recalculer")
        self.undo_rebase_btn = QPushButton(self.tr("Annuler le dernier recalcul"), objectName="annuler_recalcul")
        self.note_btn = QPushButton(self.tr("Annoter…"), objectName="annoter")
        self.png_btn = QPushButton(self.tr("Exporter PNG…"), objectName="export_png")
        self.svg_btn = QPushButton(self.tr("Exporter SVG…"), objectName="export_svg")
        for b in (self.rebase_btn, self.undo_rebase_btn, self.note_btn, self.png_btn, self.svg_btn):
            top.addWidget(b)
        outer.addLayout(top)
        self.reading = QLabel(objectName="lecture")
        self.reading.setWordWrap(True)
        self.reading.setStyleSheet("font-size:10.5pt; color:#1F3A5F; padding:4px 0")
        self.info = QLabel(objectName="info_graphique")
        self.info.setStyleSheet("color:#5B6573")
        outer.addWidget(self.reading)
        outer.addWidget(self.info)
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.chart_holder = QWidget()
        QVBoxLayout(self.chart_holder).setContentsMargins(0, 0, 0, 0)
        self.split.addWidget(self.chart_holder)
        table_box = QWidget()
        tl = QVBoxLayout(table_box)
        tl.setContentsMargins(0, 0, 0, 0)
        hint = QLabel(self.tr("Résultats — saisie au clavier : tapez, Tab, Entrée ; Ctrl+V colle une colonne copiée d'Excel "
                              "(les lignes au-delà de la dernière prennent les périodes suivantes). NR, NV, DI dans « Statut »."))  # fmt: skip
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#5B6573")
        tl.addWidget(hint)
        self.model = MesuresModel(ctx, self)
        self.table = MesuresView(objectName="resultats")
        self.table.setModel(self.model)
        self.model.view = self.table
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed | QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 150)
        tl.addWidget(self.table)
        self.split.addWidget(table_box)
        self.split.setSizes([430, 260])
        outer.addWidget(self.split, 1)
        self.back_btn.clicked.connect(self.back.emit)
        self.rebase_btn.clicked.connect(self.ask_rebase)
        self.undo_rebase_btn.clicked.connect(self.undo_rebase)
        self.note_btn.clicked.connect(self.ask_note)
        self.png_btn.clicked.connect(lambda: self.export("png"))
        self.svg_btn.clicked.connect(lambda: self.export("svg"))
        self.model.saved.connect(self.refresh_chart)

    def show_indicator(self, indicateur_id: int, service_id: int | None = None) -> None:
        self.indicateur_id, self.service_id = indicateur_id, service_id
        self.model.load(indicateur_id, service_id)
        self.refresh_chart()
        self.table.scrollToBottom()

    def refresh_chart(self) -> None:
        if self.indicateur_id is None:
            return
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        from qualite_app.reports import charts

        try:
            self.serie = svc.serie(self.ctx.db, self.indicateur_id, service_id=self.service_id)
        except UserError as exc:
            show_error(self, exc)
            self.back.emit()
            return
        s = self.serie
        from html import escape

        self.title.setText(f"<b>{escape(s.code)}</b> — {escape(s.libelle)}")
        self.reading.setText(s.lecture())
        res = s.spc
        parts = [svc.GRAPHIQUES.get(res.chart, res.chart), self.tr("%1 point(s)").replace("%1", str(len(res.real_points)))]
        if res.segments and res.chart != spc.RUN and res.segments[-1].centre is not None:
            last = next((p for p in reversed(res.points) if p.ucl is not None), None)
            if last is not None:
                parts.append(self.tr("limites actuelles %1 – %2").replace("%1", svc.fr(last.lcl, 2)).replace("%2", svc.fr(last.ucl, 2)))
        rebases = [a for a in s.annotations if a.nature == "rebase"]
        if rebases:
            parts.append(self.tr("limites recalculées au %1").replace("%1", rebases[-1].date.strftime("%d/%m/%Y")))
        if s.points_base:
            parts.append(self.tr("limites figées sur %1 points").replace("%1", str(s.points_base)))
        if res.provisional:
            parts.append(self.tr("limites provisoires (moins de 12 points)"))
        self.info.setText(" · ".join(parts))
        self.undo_rebase_btn.setEnabled(bool(rebases))
        self.rebase_btn.setEnabled(len(s.periodes) > 1)
        self.note_btn.setEnabled(bool(s.periodes))
        self.figure = charts.spc_figure(s)
        canvas = FigureCanvasQTAgg(self.figure)
        canvas.setMinimumHeight(260)
        layout = self.chart_holder.layout()
        assert layout is not None
        if self.canvas is not None:
            layout.removeWidget(self.canvas)
            self.canvas.deleteLater()
        self.canvas = canvas
        layout.addWidget(canvas)

    def limit_lines(self) -> dict[str, list[float]]:
        """The control limits as drawn on the chart: {"lsc": upper values, "lic": lower values}, in axis order."""
        out: dict[str, list[float]] = {"lsc": [], "lic": []}
        if self.figure is None:
            return out
        lines = [ln for ln in self.figure.axes[0].get_lines() if (ln.get_gid() or "")[:4] in ("lsc-", "lic-")]
        for ln in sorted(lines, key=lambda ln: int(ln.get_gid().split("-")[1])):
            out[ln.get_gid()[:3]].extend(float(y) for y in ln.get_ydata())
        return out

    # --- actions ----------------------------------------------------------------------------------
    def ask_rebase(self) -> None:
        if self.serie is None or self.indicateur_id is None:
            return
        dlg = RebaseDialog(self.serie, self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        when, motif = dlg.values()
        if run_write(self.ctx, self, svc.add_rebase, self.ctx.db, self.indicateur_id, when, motif, changes=("indicateurs",)) is not None:
            self.refresh_chart()

    def undo_rebase(self) -> None:
        if self.serie is None:
            return
        rebases = [a for a in self.serie.annotations if a.nature == "rebase" and a.id is not None]
        if not rebases:
            return
        last = rebases[-1]
        answer = QMessageBox.question(
            self, self.tr("Annuler le recalcul"),
            self.tr("Supprimer le recalcul des limites du %1 (« %2 ») ?").replace("%1", last.date.strftime("%d/%m/%Y")).replace("%2", last.texte),
        )  # fmt: skip
        if answer == QMessageBox.StandardButton.Yes and run_write(self.ctx, self, svc.delete_rebase, self.ctx.db, last.id, changes=("indicateurs",)) is not None:
            self.refresh_chart()

    def ask_note(self) -> None:
        if self.serie is None or self.indicateur_id is None:
            return
        dlg = NoteDialog(self.serie, self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        if run_write(self.ctx, self, svc.add_note, self.ctx.db, self.indicateur_id, dlg.periode.currentData(), dlg.texte.text(), changes=("indicateurs",)) is not None:
            self.refresh_chart()

    def export(self, fmt: str) -> None:
        if self.figure is None or self.serie is None:
            return
        from qualite_app.reports import charts

        filt = "Image PNG (*.png)" if fmt == "png" else "Image vectorielle SVG (*.svg)"
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Exporter le graphique"), f"{self.serie.code}.{fmt}", filt)
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() != f".{fmt}":
            path = path.with_suffix(f".{fmt}")
        try:
            path.write_bytes(charts.figure_png(self.figure) if fmt == "png" else charts.figure_svg(self.figure))
        except OSError as exc:
            show_error(self, UserError(f"Impossible d'écrire « {path} » : {exc.strerror}"))
