"""Page templates of the house style: cover/title block, header, footer « Page X / Y », outline, TOC.

A builder makes a list of flowables and calls ``render(meta, story)`` → PDF bytes. Output is
deterministic for a given input (ReportLab invariant mode, creation date taken from ``meta``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph
from reportlab.platypus.tableofcontents import TableOfContents

from qualite_app.reports import styles as st


@dataclass
class ReportMeta:
    """What every page shows: who issues it, what it is, when."""

    title: str
    etablissement: str = ""
    reference: str = ""
    subtitle: str = ""
    author: str = ""
    issued_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))
    restricted: bool = False  # « Diffusion restreinte »
    logo: bytes | None = None
    keywords: str = ""


class _NumberedCanvas(rl_canvas.Canvas):
    """Defers page drawing so the footer can say « Page X / Y »."""

    def __init__(self, *args: Any, meta: ReportMeta, **kwargs: Any) -> None:
        kwargs["initialFontName"] = kwargs.get("initialFontName") or st.FONT  # never an unembedded Helvetica
        super().__init__(*args, **kwargs)
        self._saved: list[dict[str, Any]] = []
        self._meta = meta

    def showPage(self) -> None:  # noqa: N802 (ReportLab API)
        self._saved.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        m = self._meta
        w, _h = A4
        self.saveState()
        self.setStrokeColor(st.GRID)
        self.setLineWidth(0.5)
        self.line(st.PAGE_MARGIN, 14 * mm, w - st.PAGE_MARGIN, 14 * mm)
        self.setFont(st.FONT, 7.5)
        self.setFillColor(st.GREY)
        left = " · ".join(x for x in (m.reference, f"Émis le {m.issued_at:%d/%m/%Y}") if x)
        self.drawString(st.PAGE_MARGIN, 10 * mm, left)
        self.drawRightString(w - st.PAGE_MARGIN, 10 * mm, f"Page {self._pageNumber} / {total}")
        if m.restricted:
            self.setFillColor(st.BAD)
            self.setFont(st.FONT_BOLD, 7.5)
            self.drawCentredString(w / 2, 10 * mm, "DIFFUSION RESTREINTE")
        self.restoreState()


class HouseDocument(BaseDocTemplate):
    def __init__(self, buf: io.BytesIO, meta: ReportMeta, **kw: Any) -> None:
        st.register_fonts()
        self.meta = meta
        super().__init__(
            buf,
            pagesize=A4,
            leftMargin=st.PAGE_MARGIN,
            rightMargin=st.PAGE_MARGIN,
            topMargin=26 * mm,
            bottomMargin=20 * mm,
            title=meta.title,
            author=meta.author or meta.etablissement,
            subject=meta.subtitle,
            creator="Qualité & Risques",
            keywords=meta.keywords,
            invariant=1,
            initialFontName=st.FONT,
            **kw,
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="corps")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._header)])
        self._logo = ImageReader(io.BytesIO(meta.logo)) if meta.logo else None

    def _header(self, c: rl_canvas.Canvas, doc: BaseDocTemplate) -> None:
        m = self.meta
        w, h = A4
        c.saveState()
        x = st.PAGE_MARGIN
        if self._logo is not None:
            iw, ih = self._logo.getSize()
            hh = 10 * mm
            c.drawImage(self._logo, x, h - 18 * mm, width=hh * iw / ih, height=hh, mask="auto")
            x += hh * iw / ih + 3 * mm
        c.setFont(st.FONT_BOLD, 8.5)
        c.setFillColor(st.NAVY)
        c.drawString(x, h - 12 * mm, m.etablissement)
        c.setFont(st.FONT, 8)
        c.setFillColor(st.GREY)
        c.drawString(x, h - 16 * mm, m.title[:110])
        if m.restricted:
            c.setFillColor(st.BAD)
            c.setFont(st.FONT_BOLD, 8)
            c.drawRightString(w - st.PAGE_MARGIN, h - 12 * mm, "DIFFUSION RESTREINTE")
        c.setStrokeColor(st.TEAL)
        c.setLineWidth(1.2)
        c.line(st.PAGE_MARGIN, h - 19.5 * mm, w - st.PAGE_MARGIN, h - 19.5 * mm)
        c.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802
        """H1/H2 paragraphs become bookmarks and table-of-contents entries."""
        if isinstance(flowable, Paragraph) and flowable.style.name in ("H1", "H2"):
            level = 0 if flowable.style.name == "H1" else 1
            text = flowable.getPlainText()
            key = f"h{id(flowable)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
            self.notify("TOCEntry", (level, text, self.page, key))


def table_of_contents(title: str = "Sommaire") -> list[Flowable]:
    ss = st.stylesheet()
    toc = TableOfContents(dotsMinLevel=0)
    toc.levelStyles = [ss["TOC0"], ss["TOC1"], ss["TOC2"]]
    return [Paragraph(st.esc(title), ss["H3"]), toc]


def render(meta: ReportMeta, story: list[Flowable]) -> bytes:
    """Story → PDF bytes. With a table of contents, ReportLab builds in several passes."""
    buf = io.BytesIO()
    doc = HouseDocument(buf, meta)

    def make_canvas(*a: Any, **k: Any) -> _NumberedCanvas:
        return _NumberedCanvas(*a, meta=meta, **k)

    if any(isinstance(f, TableOfContents) for f in story):
        doc.multiBuild(story, canvasmaker=make_canvas)
    else:
        doc.build(story, canvasmaker=make_canvas)
    return buf.getvalue()


def title_block(meta: ReportMeta) -> list[Flowable]:
    """The first-page title block: title, subtitle, issuing establishment and date."""
    ss = st.stylesheet()
    from reportlab.platypus import Spacer

    out: list[Flowable] = [Paragraph(st.esc(meta.title), ss["Titre"])]
    if meta.subtitle:
        out.append(Paragraph(st.esc(meta.subtitle), ss["SousTitre"]))
    info = " · ".join(x for x in (meta.etablissement, meta.reference, f"{meta.issued_at:%d/%m/%Y}") if x)
    out += [Paragraph(st.esc(info), ss["Petit"]), Spacer(1, 6 * mm)]
    return out
