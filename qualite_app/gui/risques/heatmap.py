"""A 5×5 criticality matrix: severity G up (5 on top), frequency F across; each cell shows its count on
its zone's colour; a click on a cell emits (G, F)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from qualite_app.risques import rules

MARGIN_LEFT = 34
MARGIN_TOP = 26
MARGIN_BOTTOM = 22
CELL = 56


class HeatMap(QWidget):
    cellClicked = Signal(int, int)  # noqa: N815 (Qt naming)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.grid = [[0] * 5 for _ in range(5)]
        self.seuils = rules.Seuils()
        self.selected: tuple[int, int] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(MARGIN_LEFT + 5 * CELL + 4, MARGIN_TOP + 5 * CELL + MARGIN_BOTTOM)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    def set_data(self, grid: list[list[int]], seuils: rules.Seuils) -> None:
        self.grid, self.seuils = grid, seuils
        self.update()

    def cell_rect(self, g: int, f: int) -> QRect:
        return QRect(MARGIN_LEFT + (f - 1) * CELL, MARGIN_TOP + (5 - g) * CELL, CELL, CELL)

    def cell_at(self, pos: QPoint) -> tuple[int, int] | None:
        for g in range(1, 6):
            for f in range(1, 6):
                if self.cell_rect(g, f).contains(pos):
                    return g, f
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        cell = self.cell_at(event.position().toPoint())
        if cell is not None:
            self.selected = cell
            self.update()
            self.cellClicked.emit(*cell)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        cell = self.cell_at(event.position().toPoint())
        if cell is None:
            self.setToolTip("")
            return
        g, f = cell
        n = self.grid[g - 1][f - 1]
        zone = rules.ZONES[rules.zone_cellule(g, f, self.seuils)]
        self.setToolTip(f"Gravité {g} ({rules.GRAVITES[g]}) × fréquence {f} ({rules.FREQUENCES[f]}) = {g * f}\n"
                        f"{zone} — {n} risque{'s' if n > 1 else ''}")  # fmt: skip

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        bold = QFont(self.font())
        bold.setBold(True)
        p.setFont(bold)
        p.drawText(
            QRect(MARGIN_LEFT, 0, 5 * CELL, MARGIN_TOP - 4), int(Qt.AlignmentFlag.AlignCenter), self.title
        )
        p.setFont(self.font())
        for g in range(1, 6):
            p.drawText(QRect(0, MARGIN_TOP + (5 - g) * CELL, MARGIN_LEFT - 4, CELL),
                       int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), f"G{g}")  # fmt: skip
            for f in range(1, 6):
                r = self.cell_rect(g, f)
                colour = QColor(rules.ZONE_COULEURS[rules.zone_cellule(g, f, self.seuils)])
                n = self.grid[g - 1][f - 1]
                if not n:
                    colour = colour.lighter(150)
                p.fillRect(r.adjusted(1, 1, -1, -1), colour)
                if self.selected == (g, f):
                    p.setPen(QPen(QColor("#1F3A5F"), 3))
                    p.drawRect(r.adjusted(2, 2, -2, -2))
                p.setPen(QColor("#1b1b1b"))
                if n:
                    p.setFont(bold)
                    p.drawText(r, int(Qt.AlignmentFlag.AlignCenter), str(n))
                    p.setFont(self.font())
        for f in range(1, 6):
            p.drawText(QRect(MARGIN_LEFT + (f - 1) * CELL, MARGIN_TOP + 5 * CELL, CELL, MARGIN_BOTTOM),
                       int(Qt.AlignmentFlag.AlignCenter), f"F{f}")  # fmt: skip
        p.end()
