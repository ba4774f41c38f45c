"""Charts drawn straight into the PDF with ReportLab canvas primitives: vector, text selectable, DejaVu embedded.

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


def _finite(v: float | None) -> bool:
    return v is not None and v == v and v not in (math.inf, -math.inf)


_KAPPA = 0.5523  # the control-point distance of a quarter circle drawn as one Bézier curve


def _dots(canv: Any, centres: list[tuple[float, float]], r: float) -> None:
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


class _Chart(Flowable):
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


class SpcChart(_Chart):
    """The control chart of ``serie`` (``indicateurs.services.Serie``), as ``charts.spc_figure`` draws it on
    screen: values coloured by variation, centre line and limits per segment (steps for p and u charts),
    target and alert threshold, NR/DI markers, rebases, notes and PAQSS actions; plus, at the right edge, the
    values of the last limits, centre line and target, and a legend of the point colours."""

    def __init__(self, serie: Any, width: float, height: float, *, annotations: bool = True,
                 point_labels: dict[str, str] | None = None) -> None:  # fmt: skip
        super().__init__(width, height)
        self.serie = serie
        self.annotations = annotations
        #: legend of the point colours, by variation (``rules.spc`` constants): the report's own words
        self.point_labels = point_labels or {}

    def paint(self) -> None:
        from qualite_app.rules import spc as rules

        s = self.serie
        res = s.spc
        n = len(s.periodes)
        ys: list[float | None] = [p.value if _finite(p.value) else None for p in res.points]
        targets = [v if _finite(v) else None for v in s.cibles]
        alerts = [v if _finite(v) else None for v in (s.alertes or [None] * n)]
        limits = res.chart != rules.RUN
        centre_name = "Médiane" if res.chart == rules.RUN else "Moyenne"
        step_limits = res.chart in (rules.P, rules.U)

        # legend first: it decides how much room the plot has
        lines: list[tuple[str, Any, list[float] | None, str]] = []
        dots: list[tuple[str, Any, list[float] | None, str]] = []
        if res.segments:
            lines.append(("line", CENTRE, None, centre_name))
            if limits:
                lines.append(("line", LIMITS, DASHED, "Limites de contrôle"))
        if any(t is not None for t in targets):
            lines.append(("line", TARGET, TARGET_DASH, "Cible"))
        if any(a is not None for a in alerts):
            lines.append(("line", ALERT, DOTTED, "Seuil d'alerte"))
        present = {p.variation for p, y in zip(res.points, ys, strict=True) if y is not None}
        for variation in (rules.COMMON, rules.IMPROVEMENT, rules.CONCERN, rules.NEUTRAL):
            if variation in present and variation in self.point_labels:
                dots.append(
                    ("dot", colors.HexColor(rules.COLOURS[variation]), None, self.point_labels[variation])
                )
        rows = [lines + dots] if self._legend_width(lines + dots) <= self.width else [lines, dots]
        rows = [r for r in rows if r]
        legend_h = 11.0 * len(rows)

        # y range from everything drawn
        values = (
            [v for v in ys if v is not None]
            + [v for v in targets if v is not None]
            + [v for v in alerts if v is not None]
        )
        for p in res.points:
            values += [v for v in (p.centre, p.lcl, p.ucl) if _finite(v)]
        if values:
            lo, hi = min(values), max(values)
            span = (hi - lo) or max(abs(hi) * 0.1, 1.0)
            lo, hi = lo - 0.06 * span, hi + 0.06 * span
        else:
            lo, hi = 0.0, 1.0
        ticks, decimals = nice_ticks(lo, hi, 8)
        lo, hi = min(lo, ticks[0]) if values else lo, max(hi, ticks[-1]) if values else hi
        tick_labels = [st.fr_number(t, decimals) for t in ticks]

        # right-hand labels: the last values of the limits, centre line, target and threshold
        right: list[tuple[float, str, Any]] = []
        if n and res.segments:
            last = res.points[res.segments[-1].end]
            lab = st.fr_number
            d = decimals + 1
            if limits and _finite(last.ucl):
                right.append((last.ucl, f"LSC {lab(last.ucl, d)}", LIMITS))
            if _finite(last.centre):
                right.append(
                    (last.centre, f"{'Méd.' if not limits else 'Moy.'} {lab(last.centre, d)}", CENTRE)
                )
            if limits and _finite(last.lcl):
                right.append((last.lcl, f"LIC {lab(last.lcl, d)}", LIMITS))
        if n and targets[-1] is not None:
            right.append(
                (
                    targets[-1],
                    f"Cible {st.fr_number(targets[-1], decimals + 1 if not float(targets[-1]).is_integer() else 0)}",
                    TARGET,
                )
            )
        if n and alerts[-1] is not None:
            right.append(
                (
                    alerts[-1],
                    f"Alerte {st.fr_number(alerts[-1], decimals + 1 if not float(alerts[-1]).is_integer() else 0)}",
                    ALERT,
                )
            )
        size = 7.0
        unit = s.unite if s.unite not in ("", "ratio") else ""
        x0 = 4 + (size + 4 if unit else 0) + max(stringWidth(t, st.FONT, size) for t in tick_labels) + 4
        x1 = self.width - (
            max((stringWidth(t, st.FONT, 6.5) for _v, t, _c in right), default=0) + 8 if right else 4
        )
        y0 = legend_h + 4 + 13
        y1 = self.height - 11
        c = self.canv

        def px(i: float) -> float:
            return x0 + (i + 0.6) / max(n, 1) * (x1 - x0)

        def py(v: float) -> float:
            return y0 + (v - lo) / (hi - lo) * (y1 - y0)

        # grid, axes, ticks
        for t, label in zip(ticks, tick_labels, strict=True):
            if lo <= t <= hi:
                self._line([(x0, py(t)), (x1, py(t))], GRIDLINE, 0.5)
                self._line([(x0 - 3, py(t)), (x0, py(t))], AXIS, 0.6)
                self._text(x0 - 5, py(t) - size * 0.35, label, size, AXIS, "right")
        self._line([(x0, y1), (x0, y0), (x1, y0)], AXIS, 0.8)
        if unit:
            c.saveState()
            c.translate(4 + size, (y0 + y1) / 2)
            c.rotate(90)
            self._text(0, 0, unit, size + 0.5, AXIS, "centre")
            c.restoreState()
        if n == 0:
            self._text((x0 + x1) / 2, (y0 + y1) / 2, "Aucun résultat saisi", 8, SPC_GREY, "centre")
            return
        every = max(1, round(n / 12))
        for i in range(0, n, every):
            self._line([(px(i), y0), (px(i), y0 - 3)], AXIS, 0.6)
            self._text(px(i), y0 - 11, s.periodes[i].court, size, AXIS, "centre")

        # everything inside the plot is clipped to it
        c.saveState()
        clip = c.beginPath()
        clip.rect(x0, y0, x1 - x0, y1 - y0)
        c.clipPath(clip, stroke=0, fill=0)
        notes = s.annotations if self.annotations else []
        for a in notes:
            x = px(a.index - (0.5 if a.nature == "rebase" else 0))
            colour = colors.HexColor(ANNOTATION_COLOURS.get(a.nature, "#7f7f7f"))
            self._line([(x, y0), (x, y1)], colour, 0.9, None if a.nature == "rebase" else DOTTED)

        def steps(idx: list[int], vals: list[float | None]) -> list[list[tuple[float, float]]]:
            """matplotlib's ``step(where="mid")``: flat over each point, broken where a value is missing."""
            runs: list[list[tuple[float, float]]] = []
            cur: list[tuple[float, float]] = []
            prev: tuple[int, float] | None = None
            for i, v in zip(idx, vals, strict=True):
                if v is None:
                    if cur:
                        cur.append((px(prev[0]), py(prev[1])))  # type: ignore[index]
                        runs.append(cur)
                    cur, prev = [], None
                    continue
                if prev is None:
                    cur = [(px(i), py(v))]
                else:
                    cur += [(px(i - 0.5), py(prev[1])), (px(i - 0.5), py(v))]
                prev = (i, v)
            if cur and prev is not None:
                cur.append((px(prev[0]), py(prev[1])))
                runs.append(cur)
            return runs

        def straight(idx: list[int], vals: list[float | None]) -> list[list[tuple[float, float]]]:
            runs: list[list[tuple[float, float]]] = [[]]
            for i, v in zip(idx, vals, strict=True):
                if v is None:
                    runs.append([])
                else:
                    runs[-1].append((px(i), py(v)))
            return [r for r in runs if len(r) > 1]

        for seg in res.segments:
            idx = list(range(seg.start, seg.end + 1))
            pts = [res.points[i] for i in idx]
            for run in straight(idx, [p.centre if _finite(p.centre) else None for p in pts]):
                self._line(run, CENTRE, 1.1)
            if limits:
                draw = steps if step_limits else straight
                for attr in ("ucl", "lcl"):
                    vals = [getattr(p, attr) if _finite(getattr(p, attr)) else None for p in pts]
                    for run in draw(idx, vals):
                        self._line(run, LIMITS, 0.9, DASHED)
        for run in steps(list(range(n)), alerts):
            self._line(run, ALERT, 1.0, DOTTED)
        for run in steps(list(range(n)), targets):
            self._line(run, TARGET, 1.0, TARGET_DASH)
        # the series: solid between neighbours, dotted across a missing period
        real = [i for i in range(n) if ys[i] is not None]
        for run in straight(list(range(n)), ys):
            self._line(run, SPC_GREY, 1.2)
        for a, b in zip(real, real[1:], strict=False):
            if b - a > 1:
                self._line([(px(a), py(ys[a])), (px(b), py(ys[b]))], SPC_GREY, 0.8, DOTTED)  # type: ignore[arg-type]
        c.setStrokeColor(colors.white)
        c.setLineWidth(0.5)
        c.setDash([])
        by_colour: dict[str, list[tuple[float, float]]] = {}
        for i in real:
            by_colour.setdefault(rules.COLOURS[res.points[i].variation], []).append((px(i), py(ys[i])))  # type: ignore[arg-type]
        for colour, centres in by_colour.items():
            c.setFillColor(colors.HexColor(colour))
            _dots(c, centres, 2.4)
        c.restoreState()

        # texts over the plot
        for i, status in enumerate(s.statuts):
            if status in ("NR", "DI") or (status and ys[i] is None):
                self._text(px(i), y0 + 2, status, size, TARGET, "centre")
        for k, a in enumerate(notes):
            colour = colors.HexColor(ANNOTATION_COLOURS.get(a.nature, "#7f7f7f"))
            prefix = {"rebase": "Nouvelles limites : ", "action": "Action PAQSS ", "note": ""}.get(
                a.nature, ""
            )
            text = prefix + a.texte
            if len(text) > 42:
                text = text[:41] + "…"
            x = px(a.index)
            y = y1 - 4 - 9 * (k % 3) - 6.5 * 0.75
            tw = stringWidth(text, st.FONT, 6.5)
            left = x - 3 - tw if x + 3 + tw > x1 else x + 3
            c.setFillColor(colors.white)  # the label stays legible over the limit lines
            c.rect(left - 1, y - 1.8, tw + 2, 7.6, stroke=0, fill=1)
            self._text(left, y, text, 6.5, colour, "left")
        if res.provisional:
            self._text(x1, y1 + 3, "Limites provisoires (moins de 12 points)", size, PROVISIONAL, "right")
        # right-hand values, pushed apart so that they never overlap
        placed: list[float] = []
        for v, text, colour in sorted(right, key=lambda r: -r[0]):
            y = min(py(v), y1 + 2) - 2.3
            if placed and placed[-1] - y < 7.5:
                y = placed[-1] - 7.5
            placed.append(y)
            self._text(x1 + 4, y, text, 6.5, colour, "left")
        for r, row in enumerate(rows):
            self._legend(row, legend_h - 11.0 * (r + 1) + 2.5, size)


class StackedBars(_Chart):
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


class CumulativeSteps(_Chart):
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
