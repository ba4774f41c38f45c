"""The timeline (Gantt) of actions grouped by axis: today's line, milestones, overdue bars; month/quarter zoom; PDF."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QMouseEvent,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from qualite_app.paqss import rules
from qualite_app.paqss.services import GanttRow

COLOURS = {
    rules.A_LANCER: QColor("#9AA5B1"),
    rules.EN_COURS: QColor("#2A7F8E"),
    rules.REALISEE: QColor("#2E7D32"),
    rules.REPORTEE: QColor("#E46C0A"),
    rules.ABANDONNEE: QColor("#BFC6CF"),
}
LATE = QColor("#C62828")
MOIS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]


class GanttChart(QWidget):
    """Painted by hand: a label column, one row per action, axis header rows, a time scale."""

    action_activated = Signal(int)

    LABEL_W = 300
    ROW_H = 22
    HEAD_H = 36

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[GanttRow] = []
        self.today = date.today()
        self.zoom = "mois"  # or "trimestre"
        self.start = self.end = self.today
        self._lines: list[tuple[str, GanttRow | None]] = []
        self.setMouseTracking(True)

    @property
    def px_per_day(self) -> float:
        return 4.0 if self.zoom == "mois" else 1.4

    def set_rows(self, rows: list[GanttRow], today: date | None = None) -> None:
        self.rows = rows
        self.today = today or date.today()
        dates = [d for r in rows for d in (r.debut, r.fin, r.echeance_initiale) if d] + [self.today]
        lo, hi = min(dates), max(dates)
        self.start = date(lo.year, lo.month, 1)
        self.end = (date(hi.year, hi.month, 28) + timedelta(days=40)).replace(day=1)
        self._lines = []
        axe = None
        for r in rows:
            if r.axe != axe:
                axe = r.axe
                self._lines.append((axe, None))
            self._lines.append((f"{r.reference}  {r.titre}", r))
        self.updateGeometry()
        self.resize(self.sizeHint())
        self.update()

    def set_zoom(self, zoom: str) -> None:
        self.zoom = zoom
        self.updateGeometry()
        self.resize(self.sizeHint())
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        days = (self.end - self.start).days
        return QSize(
            int(self.LABEL_W + days * self.px_per_day + 20), self.HEAD_H + len(self._lines) * self.ROW_H + 10
        )

    def x_of(self, d: date) -> float:
        return self.LABEL_W + (d - self.start).days * self.px_per_day

    def paintEvent(self, _e: object) -> None:  # noqa: N802
        p = QPainter(self)
        self.paint(p, self.width(), self.visibleRegion().boundingRect().x())
        p.end()

    def paint(self, p: QPainter, width: int, label_x: float = 0) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(QRectF(0, 0, width, self.HEAD_H + len(self._lines) * self.ROW_H + 10), QColor("white"))
        small = QFont(self.font())
        small.setPointSizeF(8)
        bold = QFont(small)
        bold.setBold(True)
        p.setFont(small)
        # time scale
        d = self.start
        while d < self.end:
            nxt = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
            x = self.x_of(d)
            quarter = d.month in (1, 4, 7, 10)
            if self.zoom == "mois" or quarter:
                p.setPen(QPen(QColor("#DDE4EC"), 1))
                p.drawLine(
                    QPointF(x, self.HEAD_H - 14), QPointF(x, self.HEAD_H + len(self._lines) * self.ROW_H)
                )
                p.setPen(QColor("#5B6573"))
                label = (
                    f"{MOIS[d.month - 1]} {d:%y}"
                    if self.zoom == "mois"
                    else f"T{(d.month - 1) // 3 + 1} {d.year}"
                )
                p.drawText(QPointF(x + 3, self.HEAD_H - 18), label)
            d = nxt
        # rows: axis bands and bars
        for i, (_text, r) in enumerate(self._lines):
            y = self.HEAD_H + i * self.ROW_H
            if r is None:
                p.fillRect(QRectF(0, y, width, self.ROW_H), QColor("#EEF3F8"))
                continue
            if r.fin is None:
                continue
            start = r.debut or (r.fin - timedelta(days=30))
            x0, x1 = self.x_of(start), self.x_of(r.fin) + self.px_per_day
            colour = COLOURS.get(r.statut, QColor("#9AA5B1"))
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QBrush(colour))
            p.drawRoundedRect(QRectF(x0, y + 5, max(3.0, x1 - x0), self.ROW_H - 10), 3, 3)
            if r.en_retard:  # the overdue part, from the deadline to today, hatched red
                p.setBrush(QBrush(LATE, Qt.BrushStyle.BDiagPattern))
                p.setPen(QPen(LATE, 1))
                p.drawRect(QRectF(x1, y + 5, self.x_of(self.today) - x1, self.ROW_H - 10))
            if r.echeance_initiale and r.echeance_initiale != r.fin:
                xi = self.x_of(r.echeance_initiale)
                p.setPen(QPen(QColor("#1F3A5F"), 1, Qt.PenStyle.DashLine))
                p.drawLine(QPointF(xi, y + 3), QPointF(xi, y + self.ROW_H - 3))
            for jd, fait, _lib in r.jalons:
                xj, cy = self.x_of(jd), y + self.ROW_H / 2
                poly = QPolygonF(
                    [QPointF(xj, cy - 6), QPointF(xj + 6, cy), QPointF(xj, cy + 6), QPointF(xj - 6, cy)]
                )
                p.setPen(QPen(QColor("#1F3A5F"), 1))
                p.setBrush(QBrush(QColor("#1F3A5F") if fait else QColor("white")))
                p.drawPolygon(poly)
        # today
        xt = self.x_of(self.today)
        p.setPen(QPen(LATE, 1.5))
        p.drawLine(QPointF(xt, self.HEAD_H - 14), QPointF(xt, self.HEAD_H + len(self._lines) * self.ROW_H))
        p.setPen(LATE)
        p.drawText(QPointF(xt + 3, self.HEAD_H - 4), f"aujourd'hui {self.today:%d/%m/%Y}")
        # the label column stays at the left edge of what is visible (label_x) while the bars scroll
        total_h = self.HEAD_H + len(self._lines) * self.ROW_H + 10
        p.fillRect(QRectF(label_x, 0, self.LABEL_W, total_h), QColor("white"))
        p.setPen(QPen(QColor("#C5D1DE"), 1))
        p.drawLine(QPointF(label_x + self.LABEL_W - 1, 0), QPointF(label_x + self.LABEL_W - 1, total_h))
        metrics = p.fontMetrics()
        for i, (text, r) in enumerate(self._lines):
            y = self.HEAD_H + i * self.ROW_H
            if r is None:
                p.fillRect(QRectF(label_x, y, self.LABEL_W, self.ROW_H), QColor("#EEF3F8"))
                p.setFont(bold)
                p.setPen(QColor("#1F3A5F"))
                p.drawText(QRectF(label_x + 6, y, width, self.ROW_H), Qt.AlignmentFlag.AlignVCenter, text)
                p.setFont(small)
                continue
            p.setPen(LATE if r.en_retard else QColor("#202830"))
            p.drawText(QRectF(label_x + 14, y, self.LABEL_W - 20, self.ROW_H), Qt.AlignmentFlag.AlignVCenter,
                       metrics.elidedText(text, Qt.TextElideMode.ElideRight, self.LABEL_W - 20))  # fmt: skip

    def row_at(self, y: float) -> GanttRow | None:
        i = int((y - self.HEAD_H) // self.ROW_H)
        return self._lines[i][1] if 0 <= i < len(self._lines) else None

    def mouseMoveEvent(self, e: QMouseEvent) -> None:  # noqa: N802
        r = self.row_at(e.position().y())
        if r is None:
            self.setToolTip("")
            return
        tip = f"{r.reference} — {r.titre}\n{rules.statut_label(r.statut)}"
        if r.fin:
            tip += f" · échéance {r.fin:%d/%m/%Y}" + (" (en retard)" if r.en_retard else "")
        for jd, fait, lib in r.jalons:
            tip += f"\n◆ {jd:%d/%m/%Y} {lib}{' (fait)' if fait else ''}"
        self.setToolTip(tip)

    def mouseDoubleClickEvent(self, e: QMouseEvent) -> None:  # noqa: N802
        r = self.row_at(e.position().y())
        if r is not None:
            self.action_activated.emit(r.id)

    def save_pdf(self, path: Path, title: str) -> None:
        """The whole timeline on landscape A3 pages, scaled to the page width."""
        w = QPdfWriter(str(path))
        w.setTitle(title)
        w.setCreator("Qualité & Risques")
        w.setResolution(150)
        self.render_pages(w, title)

    def render_pages(self, w: Any, title: str) -> None:
        """Paint on any paged device: a PDF writer or a printer chosen in the print dialog."""
        w.setPageSize(QPageSize(QPageSize.PageSizeId.A3))
        w.setPageOrientation(QPageLayout.Orientation.Landscape)
        size = self.sizeHint()
        p = QPainter(w)
        page = w.pageLayout().paintRectPixels(w.resolution())
        scale = min(1.0, page.width() / size.width()) if size.width() else 1.0
        rows_per_page = max(1, int((page.height() / scale - self.HEAD_H - 40) // self.ROW_H))
        total = len(self._lines)
        first = 0
        lines = self._lines
        while True:
            self._lines = lines[first : first + rows_per_page]
            p.save()
            p.scale(scale, scale)
            p.setFont(self.font())
            p.drawText(QPointF(6, 14), title)
            p.translate(0, 20)
            self.paint(p, size.width())
            p.restore()
            first += rows_per_page
            if first >= total:
                break
            w.newPage()
        self._lines = lines
        p.end()


class TimelineTab(QWidget):
    """The « Chronologie » tab: the chart in a scroll area, its scale, a legend, PDF and print.

    ``refresh`` is called before saving or printing, so that the chart shows the current filters."""

    def __init__(self, refresh: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._refresh = refresh
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.gantt = GanttChart()
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Échelle :")))
        self.zoom = QComboBox()
        self.zoom.addItem(self.tr("Mois"), "mois")
        self.zoom.addItem(self.tr("Trimestre"), "trimestre")
        self.zoom.currentIndexChanged.connect(lambda _i: self.gantt.set_zoom(self.zoom.currentData()))
        row.addWidget(self.zoom)
        legend = QLabel(
            self.tr("◆ jalon (plein : fait) · barre hachurée rouge : retard · pointillé : échéance initiale")
        )
        legend.setStyleSheet("color:#5B6573")
        row.addWidget(legend)
        row.addStretch(1)
        self.btn_pdf = QPushButton(self.tr("Enregistrer en PDF…"))
        self.btn_pdf.clicked.connect(self.save_pdf)
        row.addWidget(self.btn_pdf)
        self.btn_print = QPushButton(self.tr("Imprimer…"))
        self.btn_print.clicked.connect(self.print)
        row.addWidget(self.btn_print)
        lay.addLayout(row)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self.gantt)
        self.scroll_area.horizontalScrollBar().valueChanged.connect(lambda _v: self.gantt.update())
        self.scroll_area.setWidgetResizable(False)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        lay.addWidget(self.scroll_area, 1)

    def show_rows(self, rows: list[GanttRow]) -> None:
        today = date.today()
        self.gantt.set_rows(rows, today)
        # open on the recent past and what comes next, not on the programme's first month
        bar = self.scroll_area.horizontalScrollBar()
        bar.setValue(max(0, int(self.gantt.x_of(today) - self.gantt.LABEL_W - 240)))

    def _title(self) -> str:
        return self.tr("Chronologie du PAQSS — %1").replace("%1", date.today().strftime("%d/%m/%Y"))

    def save_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Chronologie du PAQSS"), "chronologie-paqss.pdf", "PDF (*.pdf)"
        )
        if not path:
            return
        self._refresh()
        self.gantt.save_pdf(Path(path), self._title())

    def print(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.tr("Chronologie du PAQSS"))
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        self._refresh()
        self.gantt.render_pages(printer, self._title())
