"""Charts drawn straight into the PDF with ReportLab canvas primitives: vector, text selectable, DejaVu embedded.

``Chart`` is their base (a fixed-size flowable with line, text, dot and legend helpers); here are the
generic ones (``StackedBars``, ``CumulativeSteps``); the control chart is ``reports.spc_vector.SpcChart``.

The matplotlib figures of ``reports.charts`` stay for the screen and the PNG/SVG exports; a report that prints
dozens of charts draws them here instead (40 control charts in a fraction of a second, instead of seconds of
rasterising). Each chart is a ``Flowable`` whose ``draw`` only issues path and text operators: no image, no
matplotlib import.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from qualite_app.reports import styles as st

AXIS = colors.HexColor("#3c4450")
GRIDLINE = colors.HexColor("#dde4ec")
SPC_GREY = colors.HexColor("#7f7f7f")
CENTRE = colors.HexColor("#1F3A5F")
LIMITS = colors.HexColor("#8a94a3")
TARGET = colors.HexColor("#C62828")
ALERT = colors.HexColor("#E6A100")
PROVISIONAL = colors.HexColor("#E46C0A")
ANNOTATION_COLOURS = {"rebase": "#1F3A5F", "note": "#5B6573", "action": "#2A7F8E"}
DOTTED: list[float] = [1, 1.6]
DASHED: list[float] = [3.5, 2]
TARGET_DASH: list[float] = [6, 3]


def nice_ticks(
    lo: float, hi: float, count: int = 5, *, cover: bool = False, integer: bool = False
) -> tuple[list[float], int]:
    """About ``count`` round tick values within [lo, hi] (with ``cover``: from one at or below ``lo`` to one
    at or above ``hi``; with ``integer``: whole steps, for counts), and the decimals their labels need."""
    span = hi - lo
    if not span > 0:
        span = abs(hi) or 1.0
        lo, hi = lo - span / 2, hi + span / 2
        span = hi - lo
    raw = span / max(count, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in ((1, 2, 5, 10) if integer else (1, 2, 2.5, 5, 10)) if m * mag >= raw * 0.999)
    if integer:
        step = max(1, round(step))
    first = math.floor(lo / step + 1e-9) if cover else math.ceil(lo / step - 1e-9)
    last = math.ceil(hi / step - 1e-9) if cover else math.floor(hi / step + 1e-9)
    ticks = []
    k = first
    while k <= last:
        ticks.append(round(k * step, 10))
        k += 1
    decimals = next(d for d in range(8) if abs(step * 10**d - round(step * 10**d)) < 1e-6 * 10**d)
    return ticks, decimals


def finite(v: float | None) -> bool:
    return v is not None and v == v and v not in (math.inf, -math.inf)


_KAPPA = 0.5523  # the control-point distance of a quarter circle drawn as one Bézier curve


def dots(canv: Any, centres: list[tuple[float, float]], r: float) -> None:
    """Filled and stroked circles in the current colours, as path operators (``canvas.circle`` recomputes
    its arcs for each of the thousands of points a report draws)."""
    k = _KAPPA * r
    ops = []
    for x, y in centres:
        ops.append(
            f"{fp_str(x + r, y)} m {fp_str(x + r, y + k, x + k, y + r, x, y + r)} c "
            f"{fp_str(x - k, y + r, x - r, y + k, x - r, y)} c {fp_str(x - r, y - k, x - k, y - r, x, y - r)} c "
            f"{fp_str(x + k, y - r, x + r, y - k, x + r, y)} c b"
        )
    canv.addLiteral("\n".join(ops))


class Chart(Flowable):
    """A fixed-size chart: subclasses implement ``paint`` with the canvas in ``self.canv``."""

    def __init__(self, width: float, height: float) -> None:
        super().__init__()
        self.width, self.height = width, height

    def wrap(self, *_: Any) -> tuple[float, float]:
        return self.width, self.height

    # small drawing helpers on self.canv ---------------------------------------------------------------
    def _line(
        self, pts: Sequence[tuple[float, float]], colour: Any, width: float, dash: list[float] | None = None
    ) -> None:
        if len(pts) < 2:
            return
        c = self.canv
        c.setStrokeColor(colour)
        c.setLineWidth(width)
        c.setDash(dash or [])
        p = c.beginPath()
        p.moveTo(*pts[0])
        for x, y in pts[1:]:
            p.lineTo(x, y)
        c.drawPath(p, stroke=1, fill=0)

    def _text(
        self,
        x: float,
        y: float,
        text: str,
        size: float = 7,
        colour: Any = AXIS,
        align: str = "left",
        bold: bool = False,
    ) -> None:
        c = self.canv
        c.setFillColor(colour)
        c.setFont(st.FONT_BOLD if bold else st.FONT, size)
        {"left": c.drawString, "right": c.drawRightString, "centre": c.drawCentredString}[align](x, y, text)

    def _legend(
        self, entries: list[tuple[str, Any, list[float] | None, str]], y: float, size: float = 7
    ) -> None:
        """One centred row of legend entries: (kind « line » / « dot » / « box », colour, dash, label)."""
        sample = {"line": 16.0, "dot": 6.0, "box": 8.0}
        widths = [sample[k] + 3 + stringWidth(lab, st.FONT, size) for k, _c, _d, lab in entries]
        gap = 10.0
        x = (self.width - sum(widths) - gap * (len(entries) - 1)) / 2
        c = self.canv
        for (kind, colour, dash, label), w in zip(entries, widths, strict=True):
            mid = y + size * 0.35
            if kind == "line":
                self._line([(x, mid), (x + 16, mid)], colour, 1.1, dash)
            elif kind == "dot":
                c.setFillColor(colour)
                c.setStrokeColor(colors.white)
                c.setLineWidth(0.4)
                c.circle(x + 3, mid, 2.6, stroke=1, fill=1)
            else:
                c.setFillColor(colour)
                c.rect(x, mid - 3, 8, 6, stroke=0, fill=1)
            self._text(x + sample[kind] + 3, y, label, size, AXIS)
            x += w + gap

    @staticmethod
    def _legend_width(entries: list[tuple[str, Any, list[float] | None, str]], size: float = 7) -> float:
        sample = {"line": 16.0, "dot": 6.0, "box": 8.0}
        return sum(sample[k] + 3 + stringWidth(lab, st.FONT, size) for k, _c, _d, lab in entries) + 10.0 * (
            len(entries) - 1
        )

    def draw(self) -> None:
        c = self.canv
        if getattr(c, "dry", False):  # a layout pass nobody sees (``templates.render``)
            return
        c.saveState()
        self.paint()
        c.restoreState()

    def paint(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class StackedBars(Chart):
    """Horizontal stacked bars, one per category, a legend above and the total at the end of each bar."""

    def __init__(self, categories: list[str], series: list[tuple[str, Any, list[int]]], width: float, *,
                 xlabel: str = "", bar: float = 13.0) -> None:  # fmt: skip
        super().__init__(width, 50 + 1.55 * bar * max(1, len(categories)))
        self.categories, self.series, self.xlabel, self.bar = categories, series, xlabel, bar

    def paint(self) -> None:
        size = 7.0
        totals = [sum(vals[k] for _l, _c, vals in self.series) for k in range(len(self.categories))]
        ticks, _d = nice_ticks(0, max(totals, default=0) or 1, cover=True, integer=True)
        top = max(ticks[-1], max(totals, default=0)) or 1
        label_w = min(
            self.width * 0.38, max((stringWidth(c, st.FONT, size) for c in self.categories), default=0)
        )
        x0 = label_w + 8
        x1 = self.width - 24
        y_axis = 24.0
        y_top = self.height - 18
        band = (y_top - y_axis) / max(1, len(self.categories))

        def px(v: float) -> float:
            return x0 + v / top * (x1 - x0)

        for t in ticks:
            self._line([(px(t), y_axis), (px(t), y_top)], GRIDLINE, 0.5)
            self._line([(px(t), y_axis), (px(t), y_axis - 3)], AXIS, 0.6)
            self._text(px(t), y_axis - 11, st.fr_number(t, 0), size, AXIS, "centre")
        if self.xlabel:
            self._text((x0 + x1) / 2, 2, self.xlabel, size + 0.5, AXIS, "centre")
        c = self.canv
        for k, cat in enumerate(self.categories):
            yc = y_top - band * (k + 0.5)
            self._text(
                x0 - 5, yc - size * 0.35, st.fit_text(cat, st.FONT, size, label_w), size, AXIS, "right"
            )
            left = 0.0
            for _label, colour, vals in self.series:
                v = vals[k]
                if v:
                    c.setFillColor(colour)
                    c.rect(px(left), yc - band * 0.3, px(left + v) - px(left), band * 0.6, stroke=0, fill=1)
                left += v
            self._text(px(left) + 3, yc - size * 0.35, st.fr_number(left, 0), size, AXIS, "left")
        self._line([(x0, y_top), (x0, y_axis), (x1, y_axis)], AXIS, 0.8)
        self._legend(
            [("box", colour, None, label) for label, colour, _v in self.series], self.height - 10, size
        )


class CumulativeSteps(Chart):
    """A cumulative count by month (steps that rise at the start of each month), filled, with « today »."""

    def __init__(self, points: list[tuple[str, int]], today: date, width: float, height: float, *, ylabel: str = "",
                 colour: Any = st.OK, fill: Any = colors.HexColor("#E3EFE4")) -> None:  # fmt: skip
        super().__init__(width, height)
        self.points, self.today, self.ylabel, self.colour, self.fill = points, today, ylabel, colour, fill

    def paint(self) -> None:
        size = 7.0

        def month(code: str) -> float:
            y, m = code.split("-")[:2]
            return int(y) * 12 + int(m) - 1

        xs = [month(m) for m, _n in self.points]
        t = self.today.year * 12 + self.today.month - 1 + (self.today.day - 1) / 31
        end = t if not xs or t >= xs[-1] else xs[-1] + 1  # the count holds until today
        first, last = min(xs + [t]) - 0.5, end + 0.3
        ticks, decimals = nice_ticks(
            0, max((n for _m, n in self.points), default=1) or 1, cover=True, integer=True
        )
        top = ticks[-1]
        labels = [st.fr_number(v, decimals) for v in ticks]
        x0 = 4 + (size + 4 if self.ylabel else 0) + max(stringWidth(x, st.FONT, size) for x in labels) + 5
        x1 = self.width - 6
        y0, y1 = 16.0, self.height - 6

        def px(m: float) -> float:
            return x0 + (m - first) / (last - first) * (x1 - x0)

        def py(v: float) -> float:
            return y0 + v / top * (y1 - y0)

        for v, lab in zip(ticks, labels, strict=True):
            self._line([(x0, py(v)), (x1, py(v))], GRIDLINE, 0.5)
            self._text(x0 - 5, py(v) - size * 0.35, lab, size, AXIS, "right")
        span = last - first
        every = next(k for k in (1, 2, 3, 6, 12, 24, 60) if span / k <= 8)
        m = math.ceil(first)
        while m <= last:
            if m % every == 0 or every == 1:
                self._line([(px(m), y0), (px(m), y0 - 3)], AXIS, 0.6)
                self._text(px(m), y0 - 11, f"{m % 12 + 1:02d}/{m // 12}", size, AXIS, "centre")
            m += 1
        if self.ylabel:
            c = self.canv
            c.saveState()
            c.translate(4 + size, (y0 + y1) / 2)
            c.rotate(90)
            self._text(0, 0, self.ylabel, size + 0.5, AXIS, "centre")
            c.restoreState()
        if self.points:
            pts: list[tuple[float, float]] = [(px(xs[0]), py(0))]
            for k, (x, (_m, n)) in enumerate(zip(xs, self.points, strict=True)):
                nxt = xs[k + 1] if k + 1 < len(xs) else end
                pts += [(px(x), py(n)), (px(nxt), py(n))]
            c = self.canv
            c.setFillColor(self.fill)
            p = c.beginPath()
            p.moveTo(*pts[0])
            for x, y in pts[1:]:
                p.lineTo(x, y)
            p.lineTo(pts[-1][0], py(0))
            p.close()
            c.drawPath(p, stroke=0, fill=1)
            self._line(pts[1:], self.colour, 1.6)
            self._text(
                pts[-1][0] - 2,
                pts[-1][1] + 3,
                st.fr_number(self.points[-1][1], 0),
                size,
                self.colour,
                "right",
                bold=True,
            )
        self._line([(px(t), y0), (px(t), y1)], TARGET, 0.8, DASHED)
        self._text(px(t) - 2, y0 + 3, f"{self.today:%d/%m/%Y}", size - 0.5, TARGET, "right")
        self._line([(x0, y1), (x0, y0), (x1, y0)], AXIS, 0.8)
