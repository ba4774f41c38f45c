"""Indicator detail: the control chart (the report's matplotlib Figure), rebases and notes, results grid."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qualite_app.errors import UserError
from qualite_app.gui.context import AppContext
from qualite_app.gui.indicateurs.annotations import NoteDialog, RebaseDialog
from qualite_app.gui.indicateurs.resultats import MesuresModel, MesuresView
from qualite_app.gui.operations import run_write, show_error
from qualite_app.gui.widgets.common import named
from qualite_app.indicateurs import services as svc
from qualite_app.rules import spc


class _ChartHolder(QWidget):
    """Where the chart goes: tells when it has been painted (the chart is drawn after the first paint)."""

    painted = Signal()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        self.painted.emit()


class DetailView(QWidget):
    """The indicator's figures (reading, limits, results) are shown at once, from the pure SPC rules; its
    chart (matplotlib, heavy on first use) is drawn once the detail has been painted, or on demand
    (``figure``, ``limit_lines()``, the exports)."""

    back = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.indicateur_id: int | None = None
        self.service_id: int | None = None
        self.serie: svc.Serie | None = None
        self._figure: Any = None
        self._chart_pending = False
        self.canvas: Any = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        top = QHBoxLayout()
        self.back_btn = named(QPushButton(self.tr("← Tableau de bord")), "retour")
        self.title = named(QLabel(), "titre_indicateur")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setStyleSheet("font-size:13pt")
        top.addWidget(self.back_btn)
        top.addWidget(self.title, 1)
        self.rebase_btn = named(QPushButton(self.tr("Recalculer les limites…")), "recalculer")
        self.undo_rebase_btn = named(QPushButton(self.tr("Annuler le dernier recalcul")), "annuler_recalcul")
        self.note_btn = named(QPushButton(self.tr("Annoter…")), "annoter")
        self.png_btn = named(QPushButton(self.tr("Exporter PNG…")), "export_png")
        self.svg_btn = named(QPushButton(self.tr("Exporter SVG…")), "export_svg")
        for b in (self.rebase_btn, self.undo_rebase_btn, self.note_btn, self.png_btn, self.svg_btn):
            top.addWidget(b)
        outer.addLayout(top)
        self.reading = named(QLabel(), "lecture")
        self.reading.setWordWrap(True)
        self.reading.setStyleSheet("font-size:10.5pt; color:#1F3A5F; padding:4px 0")
        self.info = named(QLabel(), "info_graphique")
        self.info.setStyleSheet("color:#5B6573")
        outer.addWidget(self.reading)
        outer.addWidget(self.info)
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.chart_holder = _ChartHolder()
        self.chart_holder.painted.connect(self._schedule_chart)
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
        self.table = named(MesuresView(), "resultats")
        self.table.setModel(self.model)
        self.model.view = self.table
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 150)
        tl.addWidget(self.table)
        from qualite_app.gui.widgets.liens import LiensPanel

        #: the indicator's chain: the actions it follows, the criteria it proves
        self.liens = LiensPanel(ctx, titre=self.tr("Liens de l'indicateur"))
        self.bas = named(QTabWidget(), "indicateur_onglets")
        self.bas.addTab(table_box, self.tr("Résultats"))
        self.bas.addTab(self.liens, self.tr("Liens"))
        self.liens.counted.connect(
            lambda n: self.bas.setTabText(1, self.tr("Liens (%1)").replace("%1", str(n)))
        )
        self.split.addWidget(self.bas)
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
        self.liens.show_for("indicateur", indicateur_id, self.serie.code if self.serie else "")

    def refresh_chart(self) -> None:
        """Re-read the series and show its figures now; its chart follows (``_draw_chart``)."""
        if self.indicateur_id is None:
            return
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
        parts = [
            svc.GRAPHIQUES.get(res.chart, res.chart),
            self.tr("%1 point(s)").replace("%1", str(len(res.real_points))),
        ]
        if res.segments and res.chart != spc.RUN and res.segments[-1].centre is not None:
            last = next((p for p in reversed(res.points) if p.ucl is not None), None)
            if last is not None:
                parts.append(
                    self.tr("limites actuelles %1 – %2")
                    .replace("%1", svc.fr(last.lcl, 2))
                    .replace("%2", svc.fr(last.ucl, 2))
                )
        rebases = [a for a in s.annotations if a.nature == "rebase"]
        if rebases:
            parts.append(
                self.tr("limites recalculées au %1").replace("%1", rebases[-1].date.strftime("%d/%m/%Y"))
            )
        if s.points_base:
            parts.append(self.tr("limites figées sur %1 points").replace("%1", str(s.points_base)))
        if res.provisional:
            parts.append(self.tr("limites provisoires (moins de 12 points)"))
        self.info.setText(" · ".join(parts))
        self.undo_rebase_btn.setEnabled(bool(rebases))
        self.rebase_btn.setEnabled(len(s.periodes) > 1)
        self.note_btn.setEnabled(bool(s.periodes))
        self._chart_pending = True
        self.chart_holder.update()  # painted → the chart is drawn on the next turn of the event loop

    def _schedule_chart(self) -> None:
        if self._chart_pending:
            QTimer.singleShot(0, self, self._draw_chart)

    @property
    def figure(self) -> Any:
        """The chart's matplotlib Figure, drawn now if it is still to come."""
        self._draw_chart()
        return self._figure

    def chart_pending(self) -> bool:
        return self._chart_pending

    def _draw_chart(self) -> None:
        if not self._chart_pending or self.serie is None:
            return
        self._chart_pending = False
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        from qualite_app.reports import charts

        self._figure = charts.spc_figure(self.serie)
        canvas = FigureCanvasQTAgg(self._figure)
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
        if (
            run_write(self.ctx, self, svc.add_rebase, self.ctx.db, self.indicateur_id, when, motif)
            is not None
        ):
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
        if (
            answer == QMessageBox.StandardButton.Yes
            and run_write(self.ctx, self, svc.delete_rebase, self.ctx.db, last.id) is not None
        ):
            self.refresh_chart()

    def ask_note(self) -> None:
        if self.serie is None or self.indicateur_id is None:
            return
        dlg = NoteDialog(self.serie, self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        if (
            run_write(
                self.ctx,
                self,
                svc.add_note,
                self.ctx.db,
                self.indicateur_id,
                dlg.periode.currentData(),
                dlg.texte.text(),
            )
            is not None
        ):
            self.refresh_chart()

    def export(self, fmt: str) -> None:
        if self.figure is None or self.serie is None:
            return
        from qualite_app.reports import charts

        filt = "Image PNG (*.png)" if fmt == "png" else "Image vectorielle SVG (*.svg)"
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Exporter le graphique"), f"{self.serie.code}.{fmt}", filt
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() != f".{fmt}":
            path = path.with_suffix(f".{fmt}")
        try:
            path.write_bytes(
                charts.figure_png(self.figure) if fmt == "png" else charts.figure_svg(self.figure)
            )
        except OSError as exc:
            show_error(self, UserError(f"Impossible d'écrire « {path} » : {exc.strerror}"))
