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
from qualite_app.reports.base import ReportHeader


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
    recipient: str = ""  # « Destinataire » in the title block
    author_function: str = ""
    address: str = ""  # establishment's address line under its name in the title block


def house_meta(
    header: ReportHeader, title: str, *, subtitle: str = "", restricted: bool = False, keywords: str = ""
) -> ReportMeta:
    """The ``ReportMeta`` of a report: its letterhead (logo, establishment, address, FINESS), reference,
    date, recipient and author from ``header``. Every builder starts here, so every report carries the letterhead."""
    lh = header.letterhead
    return ReportMeta(
        title=title,
        subtitle=subtitle,
        etablissement=lh.etablissement,
        address=lh.address_line,
        logo=lh.logo,
        reference=header.reference,
        issued_at=header.issued_at,
        recipient=header.recipient,
        author=header.author,
        author_function=header.author_function,
        restricted=restricted,
        keywords=keywords,
    )


class _NumberedCanvas(rl_canvas.Canvas):
    """Defers page drawing so the footer can say « Page X / Y »."""

    def __init__(self, *args: Any, meta: ReportMeta, dry: bool = False, **kwargs: Any) -> None:
        kwargs["initialFontName"] = kwargs.get("initialFontName") or st.FONT  # never an unembedded Helvetica
        super().__init__(*args, **kwargs)
        self._saved: list[dict[str, Any]] = []
        self._meta = meta
        #: a layout pass whose pages nobody sees (``render``): heavy flowables may skip their drawing
        self.dry = dry

    def bookmarkPage(self, *args: Any, **kwargs: Any) -> None:  # noqa: N802 (ReportLab API)
        """A destination on the page being drawn. ReportLab names it after the document's page counter,
        which only moves when ``save`` emits the deferred pages: without this every bookmark, hence the
        outline and the contents' links, would point at page 1. Page n is emitted as « Page<n> »."""
        doc = self._doc
        counter = doc.pageCounter
        doc.pageCounter = self._pageNumber
        try:
            super().bookmarkPage(*args, **kwargs)
        finally:
            doc.pageCounter = counter

    def showPage(self) -> None:  # noqa: N802 (ReportLab API)
        if not self.dry:
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
        self._logo = _logo_reader(meta.logo)

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
    """Story → PDF bytes. With a table of contents, ReportLab builds in several passes (``_multi_build``)."""
    buf = io.BytesIO()
    doc = HouseDocument(buf, meta)

    def make_canvas(*a: Any, **k: Any) -> _NumberedCanvas:
        return _NumberedCanvas(*a, meta=meta, **k)

    if any(isinstance(f, TableOfContents) for f in story):
        _multi_build(doc, story, make_canvas)
        doc.canv.showOutline()
    else:
        doc.build(story, canvasmaker=make_canvas)
    return buf.getvalue()


def _multi_build(doc: HouseDocument, story: list[Flowable], make_canvas: Any, max_passes: int = 10) -> None:
    """``BaseDocTemplate.multiBuild``, whose first pass is *dry*: that pass only lays the story out to learn
    the page of each heading (its canvas is thrown away), so flowables that check ``canv.dry`` (long tables,
    vector charts) skip their drawing there. The passes after it are real, until the table of contents is
    stable, as in ReportLab: a 300-page bilan is laid out twice but drawn once."""
    doc._indexingFlowables = [f for f in story if f.isIndexing()]
    doc._doSave = 0
    edits: list[Any] = []
    doc._multiBuildEdits = edits.append
    passes = 0
    while True:
        passes += 1
        dry = passes == 1
        for fl in doc._indexingFlowables:
            fl.beforeBuild()
        doc.build(story[:], canvasmaker=(lambda *a, **k: make_canvas(*a, dry=True, **k)) if dry else make_canvas)
        for fl in doc._indexingFlowables:
            fl.afterBuild()
        if not dry and doc._allSatisfied():
            doc._doSave = 0
            doc.canv.save()
            break
        if passes > max_passes:
            raise IndexError(f"Sommaire instable après {max_passes} passes")
        while edits:
            e = edits.pop(0)
            e[0](*e[1:])
    del doc._multiBuildEdits


def _logo_reader(logo: bytes | None) -> ImageReader | None:
    """The establishment's logo, or None when it is missing or not an image ReportLab can read."""
    if not logo:
        return None
    try:
        reader = ImageReader(io.BytesIO(logo))
        reader.getSize()
    except Exception:  # noqa: BLE001 - a broken logo must never stop a report
        return None
    return reader


def title_block(meta: ReportMeta) -> list[Flowable]:
    """The first-page title block: logo and establishment, title, subtitle, then a cartouche
    (reference, date, recipient, author) and the « Diffusion restreinte » marking."""
    from reportlab.platypus import Image, Spacer, Table, TableStyle

    ss = st.stylesheet()
    out: list[Flowable] = []
    ident: list[Flowable] = []
    if meta.etablissement:
        ident.append(Paragraph(st.esc(meta.etablissement), ss["Etablissement"]))
    if meta.address:
        ident.append(Paragraph(st.esc(meta.address), ss["Petit"]))
    logo = _logo_reader(meta.logo)
    if logo is not None or ident:
        cells: list[Any] = []
        widths: list[float] = []
        if logo is not None and meta.logo:
            iw, ih = logo.getSize()
            h = 18 * mm
            w = min(45 * mm, h * iw / ih)
            cells.append(Image(io.BytesIO(meta.logo), width=w, height=w * ih / iw))
            widths.append(w + 5 * mm)
        cells.append(ident or "")
        widths.append(A4[0] - 2 * st.PAGE_MARGIN - sum(widths))
        t = Table([cells], colWidths=widths)
        t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        out += [t, Spacer(1, 7 * mm)]
    out.append(Paragraph(st.esc(meta.title), ss["Titre"]))
    if meta.subtitle:
        out.append(Paragraph(st.esc(meta.subtitle), ss["SousTitre"]))
    rows = [
        ("Référence", meta.reference),
        ("Date d'émission", f"{meta.issued_at:%d/%m/%Y}"),
        ("Destinataire", meta.recipient),
        ("Émetteur", ", ".join(x for x in (meta.author, meta.author_function) if x)),
    ]
    data = [[Paragraph(st.esc(k), ss["Etiquette"]), Paragraph(st.esc(v), ss["Corps"])] for k, v in rows if v]
    if meta.restricted:
        data.append([Paragraph("Diffusion", ss["Etiquette"]), Paragraph("DIFFUSION RESTREINTE", ss["Restreint"])])
    if data:
        t = Table(data, colWidths=[34 * mm, A4[0] - 2 * st.PAGE_MARGIN - 34 * mm], hAlign="LEFT")
        t.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), st.LIGHT),
                    ("LINEBEFORE", (0, 0), (0, -1), 2.5, st.TEAL),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        out.append(t)
    out.append(Spacer(1, 6 * mm))
    return out


class SignatureSlot(Flowable):
    """Keeps the bottom of the last page free for the visible signature block (``signing.sign.BOX_MM``).

    It takes the rest of the frame when at least ``height`` is left there, otherwise the whole next page:
    either way the bottom ``height`` of the page it lands on is empty. It draws a discreet caption on the left.
    """

    def __init__(self, caption: str = "", height: float = 27 * mm, title: str = "") -> None:
        super().__init__()
        self.caption = caption
        self.title = title
        self.min_height = height

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N803 (ReportLab API)
        self.width = aW
        self.height = aH if aH >= self.min_height else self.min_height
        return self.width, self.height

    def draw(self) -> None:
        """Title and caption at the top of the reserved band, left of the signature block."""
        ss = st.stylesheet()
        top = self.min_height - 1 * mm
        for text, style in ((self.title, ss["H3"]), (self.caption, ss["Petit"])):
            if not text:
                continue
            p = Paragraph(st.esc(text), style)
            _w, h = p.wrap(80 * mm, self.min_height)
            top -= h
            p.drawOn(self.canv, 0, top)
            top -= 1.5 * mm


def signature_slot(caption: str = "", title: str = "") -> Flowable:
    return SignatureSlot(caption, title=title)
