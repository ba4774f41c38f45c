"""Page furniture of the crisis documents (binder, log): the document template with the establishment's
header and the footer « plan · version · Page X / Y · Diffusion restreinte » on every page, tab pages,
the odd-page break of recto-verso printing, large styles read under stress. Pure ReportLab."""

from __future__ import annotations

import io
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate, Paragraph

from qualite_app.reports import styles as st
from qualite_app.reports.base import ReportHeader
from qualite_app.reports.templates import ReportMeta, _logo_reader, _NumberedCanvas

MARGIN = 16 * mm
#: table of contents: height of the title, of a section line and of a sub-entry line
TOC_TITLE = 40.0
TOC_LINE = (19.0, 14.5)
TOP, BOTTOM = 22 * mm, 20 * mm
FRAME_HEIGHT = A4[1] - TOP - BOTTOM - 13  # the frame keeps 6 pt of padding top and bottom
#: colours of the tabs, section after section
TAB_COLOURS = ["#1F3A5F", "#2A7F8E", "#C62828", "#E46C0A", "#2E7D32", "#6A4C93", "#5B6573"]


#: set by whoever waits for a long build (the GUI's progress bar): called with each page number laid out;
#: raising from it (a cancellation) stops the build
PROGRESSION: ContextVar[Callable[[int], None] | None] = ContextVar("crise_progression", default=None)


@dataclass(frozen=True)
class PiedDePage:
    plan: str
    version: str
    diffusion: str
    reference: str
    etablissement: str
    address: str = ""


@cache
def styles() -> StyleSheet1:
    """Big legible type: body 12 pt, tasks 12 pt, titles 20–30 pt."""
    st.register_fonts()
    ss = StyleSheet1()
    base = ParagraphStyle("C", fontName=st.FONT, fontSize=12, leading=15.5, bulletFontName=st.FONT)
    ss.add(base)
    ss.add(ParagraphStyle("CPetit", parent=base, fontSize=9.5, leading=12, textColor=st.GREY))
    ss.add(ParagraphStyle("CGras", parent=base, fontName=st.FONT_BOLD))
    ss.add(ParagraphStyle("CCellule", parent=base, fontName=st.FONT_CONDENSED, fontSize=11, leading=13.5))
    ss.add(
        ParagraphStyle(
            "CCelluleGras", parent=base, fontName=st.FONT_CONDENSED_BOLD, fontSize=11, leading=13.5
        )
    )
    ss.add(
        ParagraphStyle("CTel", parent=base, fontName=st.FONT_BOLD, fontSize=16, leading=19, textColor=st.NAVY)
    )
    ss.add(
        ParagraphStyle(
            "CH1",
            parent=base,
            fontName=st.FONT_BOLD,
            fontSize=22,
            leading=27,
            textColor=st.NAVY,
            spaceAfter=8,
        )
    )
    ss.add(
        ParagraphStyle(
            "CSection",
            parent=base,
            fontName=st.FONT_BOLD,
            fontSize=22,
            leading=27,
            textColor=st.NAVY,
            spaceAfter=8,
        )
    )
    ss.add(
        ParagraphStyle(
            "CH2",
            parent=base,
            fontName=st.FONT_BOLD,
            fontSize=18,
            leading=22,
            textColor=st.NAVY,
            spaceAfter=4,
        )
    )
    ss.add(
        ParagraphStyle(
            "CEtab", parent=base, fontName=st.FONT_BOLD, fontSize=18, leading=22, textColor=st.NAVY
        )
    )
    ss.add(
        ParagraphStyle(
            "CH3",
            parent=base,
            fontName=st.FONT_BOLD,
            fontSize=13.5,
            leading=17,
            textColor=st.TEAL,
            spaceBefore=8,
            spaceAfter=3,
        )
    )
    ss.add(
        ParagraphStyle(
            "CTitre", parent=base, fontName=st.FONT_BOLD, fontSize=30, leading=36, textColor=st.NAVY
        )
    )
    ss.add(ParagraphStyle("CSous", parent=base, fontSize=16, leading=21, textColor=st.TEAL))
    ss.add(
        ParagraphStyle(
            "CRestreint", parent=base, fontName=st.FONT_BOLD, fontSize=16, leading=20, textColor=st.BAD
        )
    )
    ss.add(
        ParagraphStyle(
            "CEnTete", parent=base, fontName=st.FONT_BOLD, fontSize=10.5, leading=13, textColor=colors.white
        )
    )
    ss.add(ParagraphStyle("TOC0", parent=base, fontName=st.FONT_BOLD, fontSize=12, leading=17))
    ss.add(ParagraphStyle("TOC1", parent=base, fontSize=10.5, leading=13.5, leftIndent=14))
    return ss  # fmt: skip


def p(text: object, style: str = "C") -> Paragraph:
    return Paragraph(st.esc(text), styles()[style])


class _Canvas(_NumberedCanvas):
    """« Page X / Y »: the house's deferred canvas, with the crisis footer; it also draws the table of
    contents on the pages ``Sommaire`` reserved, once every page number is known (one layout pass)."""

    pied: PiedDePage
    toc_entries: list[tuple[int, str, int, str]]
    toc_pages: dict[int, int]  # chunk index → page number

    def save(self) -> None:
        chunks = toc_chunks([e[0] for e in self.toc_entries])
        by_page = {page: chunks[k] for k, page in self.toc_pages.items() if k < len(chunks)}
        total = len(self._saved)
        for number, state in enumerate(self._saved, start=1):
            self.__dict__.update(state)
            if number in by_page:
                self._draw_toc([self.toc_entries[i] for i in by_page[number]], first=number == min(by_page))
            self._draw_footer(total)
            rl_canvas.Canvas.showPage(self)
        rl_canvas.Canvas.save(self)

    def _draw_toc(self, entries: list[tuple[int, str, int, str]], first: bool) -> None:
        w, h = self._pagesize
        y = h - TOP - 6
        if first:
            self.setFont(st.FONT_BOLD, 22)
            self.setFillColor(st.NAVY)
            self.drawString(MARGIN, y - 22, "Sommaire")
            y -= TOC_TITLE
        right = w - MARGIN
        for level, text, page, key in entries:
            size, height, indent = (12, TOC_LINE[0], 0.0) if level == 0 else (10.5, TOC_LINE[1], 14.0)
            y -= height
            font = st.FONT_BOLD if level == 0 else st.FONT
            self.setFont(font, size)
            self.setFillColor(st.NAVY if level == 0 else colors.black)
            label = text if len(text) <= 80 else text[:79] + "…"
            self.drawString(MARGIN + indent, y, label)
            num = str(page)
            self.drawRightString(right, y, num)
            start = MARGIN + indent + self.stringWidth(label, font, size) + 4
            end = right - self.stringWidth(num, font, size) - 4
            dot = self.stringWidth(". ", st.FONT, 9)
            if end > start + dot:
                self.setFont(st.FONT, 9)
                self.setFillColor(st.GREY)
                self.drawString(start, y, ". " * int((end - start) / dot))
            self.linkRect("", key, (MARGIN, y - 3, right, y + size), relative=0, name=f"sommaire-{key}")

    def _draw_footer(self, total: int) -> None:
        f = self.pied
        w, _h = self._pagesize
        self.saveState()
        self.setStrokeColor(st.GRID)
        self.setLineWidth(0.5)
        self.line(MARGIN, 13 * mm, w - MARGIN, 13 * mm)
        self.setFont(st.FONT, 8.5)
        self.setFillColor(st.GREY)
        left = " · ".join(x for x in (f.plan, f"version {f.version}", f.reference) if x)
        self.drawString(MARGIN, 8.5 * mm, left[:95])
        self.setFillColor(st.BAD)
        self.setFont(st.FONT_BOLD, 8.5)
        self.drawCentredString(w / 2 + 25 * mm, 8.5 * mm, f.diffusion)
        self.setFillColor(st.NAVY)
        self.drawRightString(w - MARGIN, 8.5 * mm, f"Page {self._pageNumber} / {total}")
        self.restoreState()


class CriseDocument(BaseDocTemplate):
    """A4, the establishment's name on top of every page, outline and TOC from ``CH1``/``CH2`` and tab pages."""

    def __init__(
        self, buf: io.BytesIO, pied: PiedDePage, meta: ReportMeta, logo: bytes | None = None
    ) -> None:
        st.register_fonts()
        self.pied = pied
        super().__init__(
            buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=TOP, bottomMargin=BOTTOM,
            title=meta.title, author=meta.author or meta.etablissement, subject=meta.subtitle, creator="Qualité & Risques",
            keywords=meta.keywords, invariant=1, initialFontName=st.FONT,
        )  # fmt: skip
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id="corps",
            leftPadding=0,
            rightPadding=0,
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._header)])
        self._logo = _logo_reader(logo)

    def _header(self, c: Any, _doc: BaseDocTemplate) -> None:
        w, h = A4
        c.saveState()
        x = MARGIN
        if self._logo is not None:
            iw, ih = self._logo.getSize()
            c.drawImage(self._logo, x, h - 16 * mm, width=8 * mm * iw / ih, height=8 * mm, mask="auto")
            x += 8 * mm * iw / ih + 3 * mm
        c.setFont(st.FONT_BOLD, 9)
        c.setFillColor(st.NAVY)
        c.drawString(x, h - 11 * mm, self.pied.etablissement[:70])
        c.setFont(st.FONT, 8)
        c.setFillColor(st.GREY)
        c.drawString(x, h - 15 * mm, self.pied.address[:90])
        c.setFont(st.FONT_BOLD, 9)
        c.setFillColor(st.NAVY)
        c.drawRightString(w - MARGIN, h - 11 * mm, self.pied.plan[:60])
        c.setStrokeColor(st.TEAL)
        c.setLineWidth(1.2)
        c.line(MARGIN, h - 17.5 * mm, w - MARGIN, h - 17.5 * mm)
        c.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802
        entry: tuple[int, str] | None = None
        if isinstance(flowable, Paragraph) and flowable.style.name in ("CH1", "CH2"):
            entry = (0 if flowable.style.name == "CH1" else 1, flowable.getPlainText())
        elif isinstance(flowable, Intercalaire):
            entry = (0, flowable.titre)
        if entry is not None:
            level, text = entry
            key = f"k{id(flowable)}-{self.page}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
            self.canv.toc_entries.append((level, text, self.page, key))  # type: ignore[attr-defined]


class SautImpair(Flowable):
    """Recto-verso: placed right after a page break, it fills an even (back) page with « Page laissée blanche
    intentionnellement », so that what follows starts on the next odd (right-hand) page; nothing on an odd page."""

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N803
        self.blank = self.canv.getPageNumber() % 2 == 0
        self.width = aW
        self.height = aH - 1 if self.blank else 0.0
        return self.width, self.height

    def draw(self) -> None:
        if self.blank:
            self.canv.setFont(st.FONT, 10)
            self.canv.setFillColor(st.GREY)
            self.canv.drawCentredString(
                self.width / 2, self.height / 2, "Page laissée blanche intentionnellement"
            )


def page_impaire() -> list[Flowable]:
    return [PageBreak(), SautImpair()]


class Intercalaire(Flowable):
    """A tab page: the section's number and title, and a coloured tab on the outer edge, lower for each section."""

    def __init__(self, numero: int, titre: str, resume: str = "") -> None:
        super().__init__()
        self.numero, self.titre, self.resume = numero, titre, resume

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = aW, FRAME_HEIGHT  # a page of its own, whatever is left on the current one
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        colour = colors.HexColor(TAB_COLOURS[(self.numero - 1) % len(TAB_COLOURS)])
        tab_h = 30 * mm
        y = self.height - 10 * mm - (self.numero - 1) % 7 * (tab_h + 3 * mm) - tab_h
        c.saveState()
        c.setFillColor(colour)
        c.rect(self.width - 14 * mm, y, 14 * mm + MARGIN, tab_h, stroke=0, fill=1)
        c.setFillColor(colors.white)
        c.setFont(st.FONT_BOLD, 22)
        c.drawCentredString(
            self.width - 14 * mm + (14 * mm + MARGIN) / 2, y + tab_h / 2 - 8, str(self.numero)
        )
        c.setFillColor(colour)
        c.rect(0, self.height / 2 - 2 * mm, self.width - 20 * mm, 1.5 * mm, stroke=0, fill=1)
        c.setFillColor(st.NAVY)
        c.setFont(st.FONT_BOLD, 60)
        c.drawString(0, self.height / 2 + 22 * mm, str(self.numero))
        c.setFont(st.FONT_BOLD, 30)
        c.drawString(0, self.height / 2 + 6 * mm, self.titre)
        c.restoreState()
        if self.resume:
            para = p(self.resume, "C")
            _w, h = para.wrap(self.width - 30 * mm, self.height / 2)
            para.drawOn(c, 0, self.height / 2 - 8 * mm - h)


def toc_chunks(levels: list[int]) -> list[list[int]]:
    """The entries (indices) of each page of the table of contents, the title on the first page."""
    chunks: list[list[int]] = [[]]
    room = FRAME_HEIGHT - 6 - TOC_TITLE
    for i, level in enumerate(levels):
        need = TOC_LINE[0] if level == 0 else TOC_LINE[1]
        if need > room:
            chunks.append([])
            room = FRAME_HEIGHT - 6
        chunks[-1].append(i)
        room -= need
    return chunks


class PageSommaire(Flowable):
    """A page reserved for the table of contents (drawn by the canvas at the end)."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = aW, FRAME_HEIGHT
        return self.width, self.height

    def draw(self) -> None:
        self.canv.toc_pages[self.index] = self.canv.getPageNumber()  # type: ignore[attr-defined]
        if self.index == 0:
            self.canv.bookmarkPage("sommaire")
            self.canv.addOutlineEntry("Sommaire", "sommaire", level=0)


def sommaire(story: list[Flowable]) -> list[Flowable]:
    """As many reserved pages as the titles of ``story`` (« CH1 », « CH2 », tab pages) need."""
    levels: list[int] = []

    def walk(items: list[Flowable]) -> None:
        for f in items:
            if isinstance(f, Intercalaire):
                levels.append(0)
            elif isinstance(f, Paragraph) and f.style.name in ("CH1", "CH2"):
                levels.append(0 if f.style.name == "CH1" else 1)
            elif hasattr(f, "_content"):
                walk(f._content)  # KeepTogether

    walk(story)
    out: list[Flowable] = []
    for k in range(len(toc_chunks(levels))):
        out += [PageBreak(), PageSommaire(k)] if k else [PageSommaire(k)]
    return out  # each reserved page is full: what follows breaks the page itself


def render(story: list[Flowable], pied: PiedDePage, meta: ReportMeta, logo: bytes | None) -> bytes:
    buf = io.BytesIO()
    doc = CriseDocument(buf, pied, meta, logo)

    def make_canvas(*a: Any, **k: Any) -> _Canvas:
        cv = _Canvas(*a, meta=meta, **k)
        cv.pied, cv.toc_entries, cv.toc_pages = pied, [], {}
        return cv

    report = PROGRESSION.get()
    if report is not None:
        doc.setProgressCallBack(lambda kind, value: report(int(value)) if kind == "PAGE" else None)
    doc.build(story, canvasmaker=make_canvas)
    doc.canv.showOutline()
    return buf.getvalue()


def pied_de(header: ReportHeader, plan: str, version: str, diffusion: str) -> PiedDePage:
    lh = header.letterhead
    return PiedDePage(
        plan,
        version,
        diffusion or "Diffusion restreinte",
        header.reference,
        lh.etablissement,
        lh.address_line,
    )
