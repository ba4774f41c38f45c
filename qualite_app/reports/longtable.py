"""Long tables of one-line rows (thousands of actions): laid out by arithmetic, drawn in one text object.

ReportLab's ``Table`` measures every cell of every row, again at every page split, and draws each cell
with its own text object: fine for a page, seconds for 10,000 rows. A ``LongTable`` has rows of one line
and a fixed height, so it splits by a division, repeats its header on every page, shortens each cell with
« … » to its column (never overlapping the next one) and draws a page of text in a single text object.
It looks like the house tables (navy header, stripes, thin grid, condensed DejaVu; a row may be red).

While a document lays itself out to number its table of contents (``templates.render``'s first pass),
the canvas says ``dry``: the table then skips its drawing, which nobody will see.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.platypus import Flowable

from qualite_app.reports import styles as st

PAD = 3.0


class LongTable(Flowable):
    def __init__(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        red: Sequence[bool] | None = None,
        right: Sequence[int] = (),
        bold: Sequence[int] = (),
        size: float = 7.5,
        row_height: float = 12.5,
        _cache: dict[tuple[int, str, str], tuple[str, float]] | None = None,
    ) -> None:
        super().__init__()
        self.header, self.rows, self.widths = list(header), rows, list(widths)
        self.red = red if red is not None else [False] * len(rows)
        self.right = set(right)
        self.bold = set(bold)
        self.size, self.row_height = size, row_height
        self.width = sum(self.widths)
        self.height = row_height * (len(rows) + 1)
        #: fitted text and its width, by (column, text, font): shared by the parts of a split table
        self._cache: dict[tuple[int, str, str], tuple[str, float]] = {} if _cache is None else _cache

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N803 (ReportLab API)
        return self.width, self.height

    def _part(self, start: int, end: int) -> LongTable:
        return LongTable(
            self.header, self.rows[start:end], self.widths, red=self.red[start:end], right=tuple(self.right),
            bold=tuple(self.bold), size=self.size, row_height=self.row_height, _cache=self._cache,
        )  # fmt: skip

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803 (ReportLab API)
        fit = int(aH // self.row_height) - 1  # rows under the repeated header
        if fit < 2 or fit >= len(self.rows):  # no room for two rows here: the whole table moves on
            return []
        return [self._part(0, fit), self._part(fit, len(self.rows))]

    def _fitted(self, col: int, text: str, font: str) -> tuple[str, float]:
        key = (col, text, font)
        got = self._cache.get(key)
        if got is None:
            room = self.widths[col] - 2 * PAD
            shown = st.fit_text(text, font, self.size, room)
            got = self._cache[key] = (shown, stringWidth(shown, font, self.size))
        return got

    def draw(self) -> None:
        c = self.canv
        if getattr(c, "dry", False):
            return
        n, rh, w = len(self.rows), self.row_height, self.width
        top = self.height
        c.saveState()
        # backgrounds: the header, then every other row
        c.setFillColor(st.NAVY)
        c.rect(0, top - rh, w, rh, stroke=0, fill=1)
        stripes = c.beginPath()
        for r in range(1, n, 2):
            stripes.rect(0, top - rh * (r + 2), w, rh)
        c.setFillColor(st.LIGHT)
        c.drawPath(stripes, stroke=0, fill=1)
        # the grid in one path
        grid = c.beginPath()
        for r in range(n + 2):
            grid.moveTo(0, top - rh * r)
            grid.lineTo(w, top - rh * r)
        x = 0.0
        for cw in [0.0, *self.widths]:
            x += cw
            grid.moveTo(x, top)
            grid.lineTo(x, 0)
        c.setStrokeColor(st.GRID)
        c.setLineWidth(0.3)
        c.drawPath(grid, stroke=1, fill=0)
        # all the text of this part in one text object, written as PDF operators (``_TextRun``)
        lefts = [sum(self.widths[:k]) for k in range(len(self.widths))]
        base = (rh - self.size) / 2 + self.size * 0.22  # baseline above the bottom of a row
        run = _TextRun(c, self.size)
        run.colour(colors.white)
        y = top - rh + base
        for k, text in enumerate(self.header):
            shown, tw = self._fitted(k, text, st.FONT_CONDENSED_BOLD)
            run.show(
                st.FONT_CONDENSED_BOLD,
                lefts[k] + self.widths[k] - PAD - tw if k in self.right else lefts[k] + PAD,
                y,
                shown,
            )
        for r, row in enumerate(self.rows):
            run.colour(st.BAD if self.red[r] else colors.black)
            y = top - rh * (r + 2) + base
            for k, text in enumerate(row):
                if not text:
                    continue
                font = st.FONT_CONDENSED_BOLD if k in self.bold else st.FONT_CONDENSED
                shown, tw = self._fitted(k, text, font)
                run.show(
                    font,
                    lefts[k] + self.widths[k] - PAD - tw if k in self.right else lefts[k] + PAD,
                    y,
                    shown,
                )
        run.end()
        c.restoreState()


class _TextRun:
    """One ``BT … ET`` block of positioned strings, added with ``canvas.addLiteral``.

    ReportLab's text object re-encodes every string for the embedded TrueType subset and measures it to
    advance its cursor; thousands of table cells repeat the same few strings (statuses, dates, pilots), so
    the encoding (``TTFont.splitString``: a glyph subset and its bytes, fixed for the document once a
    character is assigned) is kept per document on the canvas, and no cursor is tracked.
    """

    def __init__(self, canv: Any, size: float) -> None:
        self.canv, self.size = canv, size
        self.doc = canv._doc
        cache = getattr(canv, "_qualite_chunks", None)
        if cache is None:
            cache = canv._qualite_chunks = {}
        #: (font, text) → [(subset font name, its « (…) Tj » operator)]
        self.chunks: dict[tuple[str, str], list[tuple[str, str]]] = cache
        self.names: dict[tuple[str, int], str] = {}
        self.ops: list[str] = ["BT"]
        self.font: str | None = None
        self.fill: Any = None

    def colour(self, colour: Any) -> None:
        if colour is not self.fill:
            self.ops.append(f"{fp_str(colour.red, colour.green, colour.blue)} rg")
            self.fill = colour

    def show(self, font: str, x: float, y: float, text: str) -> None:
        key = (font, text)
        chunks = self.chunks.get(key)
        if chunks is None:
            face = getFont(font)
            chunks = self.chunks[key] = [
                (self._name(face, subset), f"({escapePDF(part)}) Tj")
                for subset, part in face.splitString(text, self.doc)
            ]
        ops = self.ops
        ops.append(f"1 0 0 1 {fp_str(x, y)} Tm")
        for name, shown in chunks:
            if name != self.font:
                ops.append(f"{name} {fp_str(self.size)} Tf")
                self.font = name
            ops.append(shown)

    def _name(self, face: Any, subset: int) -> str:
        key = (face.fontName, subset)
        name = self.names.get(key)
        if name is None:
            name = self.names[key] = face.getSubsetInternalName(subset, self.doc)
        return name

    def end(self) -> None:
        self.ops.append("ET")
        self.canv.addLiteral("\n".join(self.ops))
