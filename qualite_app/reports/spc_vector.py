"""The control chart of an indicator drawn in the PDF (``reports.vector``): the vector twin of
``reports.charts.spc_figure`` for reports that print dozens of them."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from qualite_app.reports import styles as st
from qualite_app.reports.vector import (
    ALERT,
    ANNOTATION_COLOURS,
    AXIS,
    CENTRE,
    DASHED,
    DOTTED,
    GRIDLINE,
    LIMITS,
    PROVISIONAL,
    SPC_GREY,
    TARGET,
    TARGET_DASH,
    Chart,
    dots,
    finite,
    nice_ticks,
)


class SpcChart(Chart):
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
        ys: list[float | None] = [p.value if finite(p.value) else None for p in res.points]
        targets = [v if finite(v) else None for v in s.cibles]
        alerts = [v if finite(v) else None for v in (s.alertes or [None] * n)]
        limits = res.chart != rules.RUN
        centre_name = "Médiane" if res.chart == rules.RUN else "Moyenne"
        step_limits = res.chart in (rules.P, rules.U)

        # legend first: it decides how much room the plot has
        lines: list[tuple[str, Any, list[float] | None, str]] = []
        markers: list[tuple[str, Any, list[float] | None, str]] = []
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
                markers.append(
                    ("dot", colors.HexColor(rules.COLOURS[variation]), None, self.point_labels[variation])
                )
        rows = [lines + markers] if self._legend_width(lines + markers) <= self.width else [lines, markers]
        rows = [r for r in rows if r]
        legend_h = 11.0 * len(rows)

        # y range from everything drawn
        values = (
            [v for v in ys if v is not None]
            + [v for v in targets if v is not None]
            + [v for v in alerts if v is not None]
        )
        for p in res.points:
            values += [v for v in (p.centre, p.lcl, p.ucl) if finite(v)]
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
            if limits and finite(last.ucl):
                right.append((last.ucl, f"LSC {lab(last.ucl, d)}", LIMITS))
            if finite(last.centre):
                right.append(
                    (last.centre, f"{'Méd.' if not limits else 'Moy.'} {lab(last.centre, d)}", CENTRE)
                )
            if limits and finite(last.lcl):
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
            for run in straight(idx, [p.centre if finite(p.centre) else None for p in pts]):
                self._line(run, CENTRE, 1.1)
            if limits:
                draw = steps if step_limits else straight
                for attr in ("ucl", "lcl"):
                    vals = [getattr(p, attr) if finite(getattr(p, attr)) else None for p in pts]
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
            dots(c, centres, 2.4)
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
