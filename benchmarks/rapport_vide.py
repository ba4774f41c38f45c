"""The same-run baseline of the report benchmarks: a house-style PDF with the same number of pages and
nothing heavy on them (a line of text per page, a dozen of them headings; the table of contents when the measured
report has one). What the template, the fonts and ReportLab cost per page whatever the content: the
figure a report is compared with (``benchmarks/dashboard.py``, ``benchmarks/paqss.py``)."""

from __future__ import annotations

import time
from datetime import datetime

from reportlab.platypus import PageBreak, Paragraph

from qualite_app.reports import styles as st
from qualite_app.reports.base import Letterhead, ReportHeader
from qualite_app.reports.templates import house_meta, render, table_of_contents, title_block


def rapport_vide(pages: int, *, toc: bool = False) -> bytes:
    ss = st.stylesheet()
    header = ReportHeader(
        Letterhead("Établissement du banc d'essai"), "VIDE-0001", datetime(2026, 1, 15, 10, 30)
    )
    meta = house_meta(header, "Rapport vide de référence")
    story = title_block(meta) + (table_of_contents() if toc else [])
    for k in range(1, pages):
        # a dozen headings (as many as the bilan's contents lists), then plain pages
        heading = ss["H1"] if k <= 12 else ss["Corps"]
        story += [
            PageBreak(),
            Paragraph(f"Page {k + 1}", heading),
            Paragraph("Une ligne de texte.", ss["Corps"]),
        ]
    return render(meta, story)


def temps_rapport_vide(pages: int, *, toc: bool = False, repeat: int = 3) -> float:
    """Best of ``repeat`` builds of ``rapport_vide`` (seconds)."""
    rapport_vide(1)  # fonts registered, stylesheet built: not part of the measure
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        rapport_vide(pages, toc=toc)
        times.append(time.perf_counter() - t)
    return min(times)
