"""The house style: embedded DejaVu fonts for every style (never Helvetica), one stylesheet of named styles."""

from __future__ import annotations

from functools import cache
from html import escape as _html_escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm

from qualite_app import paths

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_BOLD_ITALIC = "DejaVuSans-BoldOblique"
FONT_CONDENSED = "DejaVuSansCondensed"
FONT_CONDENSED_BOLD = "DejaVuSansCondensed-Bold"

# Colours: a sober hospital navy, a teal accent, and the state colours used by every report.
NAVY = colors.HexColor("#1F3A5F")
TEAL = colors.HexColor("#2A7F8E")
LIGHT = colors.HexColor("#EEF3F8")
GRID = colors.HexColor("#C5D1DE")
GREY = colors.HexColor("#5B6573")
OK = colors.HexColor("#2E7D32")
WARN = colors.HexColor("#E46C0A")
BAD = colors.HexColor("#C62828")

PAGE_MARGIN = 18 * mm


@cache
def register_fonts() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    d = paths.fonts_dir()
    for name in (FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC, FONT_CONDENSED, FONT_CONDENSED_BOLD):
        pdfmetrics.registerFont(TTFont(name, str(d / f"{name}.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC)
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT_ITALIC)
    addMapping(FONT, 1, 1, FONT_BOLD_ITALIC)
    # Table cells default to Helvetica (never embedded): make the house font the default of every table.
    from reportlab.platypus import tables

    tables.CellStyle.fontname = FONT


@cache
def stylesheet() -> StyleSheet1:
    """Every style uses an embedded font; tables of contents use ``TOC0``/``TOC1``."""
    register_fonts()
    ss = StyleSheet1()
    base = ParagraphStyle("Corps", fontName=FONT, bulletFontName=FONT, fontSize=9.5, leading=13, textColor=colors.black, alignment=TA_LEFT)
    ss.add(base)
    ss.add(ParagraphStyle("Petit", parent=base, fontSize=8, leading=10, textColor=GREY))
    ss.add(ParagraphStyle("Cellule", parent=base, fontName=FONT_CONDENSED, fontSize=8, leading=10))
    ss.add(ParagraphStyle("CelluleGras", parent=base, fontName=FONT_CONDENSED_BOLD, fontSize=8, leading=10))
    ss.add(ParagraphStyle("EnTeteTableau", parent=base, fontName=FONT_BOLD, fontSize=8, leading=10, textColor=colors.white))
    ss.add(ParagraphStyle("Titre", parent=base, fontName=FONT_BOLD, fontSize=22, leading=27, textColor=NAVY, spaceAfter=6))
    ss.add(ParagraphStyle("SousTitre", parent=base, fontSize=12, leading=16, textColor=TEAL, spaceAfter=12))
    ss.add(ParagraphStyle("H1", parent=base, fontName=FONT_BOLD, fontSize=14, leading=18, textColor=NAVY, spaceBefore=10, spaceAfter=6))
    ss.add(ParagraphStyle("H2", parent=base, fontName=FONT_BOLD, fontSize=11.5, leading=15, textColor=TEAL, spaceBefore=8, spaceAfter=4))
    ss.add(ParagraphStyle("H3", parent=base, fontName=FONT_BOLD, fontSize=10, leading=13, spaceBefore=6, spaceAfter=2))
    ss.add(ParagraphStyle("Etiquette", parent=base, fontName=FONT_BOLD, fontSize=8.5, leading=11, textColor=GREY))
    ss.add(ParagraphStyle("Centre", parent=base, alignment=TA_CENTER))
    ss.add(ParagraphStyle("Droite", parent=base, alignment=TA_RIGHT))
    ss.add(ParagraphStyle("Chiffre", parent=base, fontName=FONT_BOLD, fontSize=20, leading=24, textColor=NAVY, alignment=TA_CENTER))
    ss.add(ParagraphStyle("ChiffreLegende", parent=base, fontSize=8, leading=10, textColor=GREY, alignment=TA_CENTER))
    ss.add(ParagraphStyle("Etablissement", parent=base, fontName=FONT_BOLD, fontSize=12, leading=15, textColor=NAVY))
    ss.add(ParagraphStyle("Restreint", parent=base, fontName=FONT_BOLD, textColor=BAD))
    ss.add(ParagraphStyle("Puce", parent=base, leftIndent=10, bulletIndent=0, spaceAfter=2))
    ss.add(ParagraphStyle("TOC0", parent=base, fontName=FONT_BOLD, fontSize=10.5, leading=15, leftIndent=0))
    ss.add(ParagraphStyle("TOC1", parent=base, fontName=FONT, fontSize=9.5, leading=13, leftIndent=12))
    ss.add(ParagraphStyle("TOC2", parent=base, fontName=FONT, fontSize=9, leading=12, leftIndent=24))
    return ss


def esc(text: object) -> str:
    """User text → safe Paragraph markup (``&``, ``<``, line breaks). Emoji pass through as text."""
    if text is None:
        return ""
    return _html_escape(str(text), quote=False).replace("\n", "<br/>")


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with « … » so that it fits ``width`` points in ``font`` at ``size`` (one-line table cells)."""
    from reportlab.pdfbase.pdfmetrics import getFont

    face = getFont(font)
    if face.stringWidth(text, size) <= width:
        return text
    widths = getattr(getattr(face, "face", None), "charWidths", None)
    room = width - face.stringWidth("…", size)
    if widths is None:  # not a TrueType font: measure prefixes
        k = len(text)
        while k > 0 and face.stringWidth(text[:k].rstrip(), size) > room:
            k -= 1
        return text[:k].rstrip() + "…"
    # TrueType (DejaVu): add up the advance of each character, as ReportLab measures a string
    default = face.face.defaultWidth
    limit = room * 1000 / size
    total = 0.0
    k = 0
    for ch in text:
        total += widths.get(ord(ch), default)
        if total > limit:
            break
        k += 1
    return text[:k].rstrip() + "…"


def fr_number(value: float | int | None, decimals: int = 1, unit: str = "") -> str:
    """Decimal comma, thin space for thousands: 1 234,5 %."""
    if value is None:
        return "—"
    s = f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")
    return f"{s}\u00a0{unit}" if unit else s


def fr_date(d: object) -> str:
    from datetime import date, datetime

    if isinstance(d, datetime):
        return d.strftime("%d/%m/%Y %H:%M")
    if isinstance(d, date):
        return d.strftime("%d/%m/%Y")
    return "" if d is None else str(d)
