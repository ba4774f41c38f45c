"""Issue 14, report speed: the shared pieces the fast reports are made of, read back from the PDF they produce.

- ``reports.vector``: charts drawn with canvas operators (no image), their text selectable, in DejaVu;
- ``reports.longtable.LongTable``: thousands of one-line rows, header repeated on every page, cells
  shortened to their column, red rows;
- ``templates.render``: the first, *dry* pass of a document with a table of contents still numbers it right.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph

from qualite_app.reports import styles as st
from qualite_app.reports import vector
from qualite_app.reports.base import Letterhead, ReportHeader
from qualite_app.reports.longtable import LongTable
from qualite_app.reports.spc_vector import SpcChart
from qualite_app.reports.templates import house_meta, render, table_of_contents, title_block
from tests.helpers import pdf as read

HEADER = ReportHeader(Letterhead("Centre hospitalier d'essai"), "ESSAI-0001", datetime(2026, 1, 15, 10, 30))


def _pdf(story: list, toc: bool = False) -> bytes:  # type: ignore[type-arg]
    meta = house_meta(HEADER, "Rapport d'essai")
    return render(meta, title_block(meta) + (table_of_contents() if toc else []) + story)


def test_nice_ticks_are_round_and_cover_counts() -> None:
    assert vector.nice_ticks(66.2, 93.5, 8) == ([70, 75, 80, 85, 90], 0)
    assert vector.nice_ticks(0.01, 0.07, 8)[1] == 2
    ticks, decimals = vector.nice_ticks(0, 1694, 5, cover=True, integer=True)
    assert ticks == [0, 500, 1000, 1500, 2000] and decimals == 0
    assert vector.nice_ticks(0, 3, 5, cover=True, integer=True)[0] == [0, 1, 2, 3]  # never 2,5 actions
    assert vector.nice_ticks(0, 12, 5)[1] == 1  # steps of 2,5 need their decimal


def test_fit_text_shortens_to_the_width_with_an_ellipsis() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    st.register_fonts()
    long = "Sécuriser l'approvisionnement des services en urgence vitale (site 51)"
    for width in (20.0, 60.0, 150.0):
        shown = st.fit_text(long, st.FONT_CONDENSED, 7.5, width)
        assert shown.endswith("…") and long.startswith(shown[:-1].rstrip())
        assert stringWidth(shown, st.FONT_CONDENSED, 7.5) <= width
        longer = long[: len(shown)] + "…"  # one more character would not fit
        assert stringWidth(longer, st.FONT_CONDENSED, 7.5) > width or shown[:-1] == long[: len(shown) - 1]
    assert st.fit_text("Réalisée", st.FONT_CONDENSED, 7.5, 100) == "Réalisée"


def test_long_table_repeats_its_header_shortens_cells_and_colours_late_rows(tmp_path: Path) -> None:
    n = 400
    title = "Déployer la conciliation médicamenteuse à l'admission dans tous les services de médecine"
    rows = [[f"ACT-{i:04d}", f"{title} ({i})", f"{i % 100} %"] for i in range(n)]
    red = [i % 7 == 0 for i in range(n)]
    pdf = _pdf(
        [LongTable(["Référence", "Action", "Avanc."], rows, [24 * mm, 60 * mm, 14 * mm], red=red, right=(2,))]
    )
    pages = read.pages_text(pdf)
    assert len(pages) >= 7
    for text in pages[1:]:  # the header on every page the table runs on
        assert "Référence Action Avanc." in text
    whole = " ".join(pages)
    assert all(f"ACT-{i:04d}" in whole for i in range(n))  # every row once, none lost at a page break
    assert whole.count("ACT-0") == n
    assert (
        "Déployer la conciliation" in whole and title not in whole and "…" in whole
    )  # shortened, not spilling
    assert "399 %" not in whole and "99 %" in whole
    assert f"{fp_str(st.BAD.red, st.BAD.green, st.BAD.blue)} rg" in read.page_content(
        pdf, 1
    )  # late rows in red
    assert read.image_names(pdf) == set()
    fonts = read.fonts(pdf, tmp_path)
    if fonts is not None:
        assert fonts and all("DejaVuSans" in name and embedded for name, embedded in fonts), fonts


def test_dry_first_pass_numbers_the_table_of_contents_right() -> None:
    """Long tables skip their drawing in the layout pass: the contents must still give the right pages."""
    ss = st.stylesheet()
    story: list = []  # type: ignore[type-arg]
    for k in range(1, 4):
        rows = [[f"C{k}-{i:03d}", "Action"] for i in range(90 * k)]
        story += [
            PageBreak(),
            Paragraph(f"Chapitre {k}", ss["H1"]),
            LongTable(["Référence", "Action"], rows, [30 * mm, 60 * mm]),
        ]
    pdf = _pdf(story, toc=True)
    pages = read.pages_text(pdf)
    outline = read.outline(pdf)
    assert [title for title, _ in outline] == ["Chapitre 1", "Chapitre 2", "Chapitre 3"]
    assert read.toc_numbers(pages[0]) == [page for _, page in outline] == [2, 4, 8]
    for k, (title, page) in enumerate(outline, 1):
        assert title in pages[page - 1] and f"C{k}-000" in pages[page - 1]
    assert _pdf(story, toc=True) == pdf  # deterministic


def test_bar_and_step_charts_are_vectors_with_their_labels_as_text() -> None:
    bars = vector.StackedBars(
        ["A1 – Culture de sécurité", "A2 – Prise en charge médicamenteuse"],
        [("À lancer", colors.HexColor("#9AA5B1"), [3, 1200]), ("Réalisée", st.OK, [2, 340])],
        170 * mm,
        xlabel="Nombre d'actions",
    )
    steps = vector.CumulativeSteps(
        [("2026-01", 3), ("2026-03", 12)],
        date(2026, 5, 14),
        170 * mm,
        55 * mm,
        ylabel="Actions réalisées (cumul)",
    )
    pdf = _pdf([bars, steps])
    text = " ".join(read.pages_text(pdf))
    for label in (
        "À lancer",
        "Réalisée",
        "Nombre d'actions",
        "A1 – Culture de sécurité",
        "1 540",
        "Actions réalisées (cumul)",
        "14/05/2026",
        "03/2026",
    ):
        assert label.replace("\u202f", " ") in text.replace("\u202f", " "), label
    assert read.image_names(pdf) == set()


@pytest.mark.parametrize("n", [0, 1, 30])
def test_spc_chart_draws_any_length_of_series(n: int) -> None:
    from qualite_app.indicateurs.services.series import Serie
    from qualite_app.rules import periodes, spc

    pers = periodes.serie(periodes.mois(2024, 1), periodes.mois(2026, 12))[:n]
    vals: list[float | None] = [50.0 + (i % 5) for i in range(n)]
    if n > 3:
        vals[2] = None
    serie = Serie(
        1, "ESSAI", "Essai", "%", spc.HAUSSE, "moyenne", pers, vals, [None] * n, [None] * n,
        ["NR" if v is None else None for v in vals], [None] * n, [52.0] * n, [48.5] * n, spc.compute(vals, direction=spc.HAUSSE, target=52.0),
    )  # fmt: skip
    pdf = _pdf([SpcChart(serie, 170 * mm, 80 * mm, point_labels={spc.COMMON: "Cause commune"})])
    text = " ".join(read.pages_text(pdf))
    if n == 0:
        assert "Aucun résultat saisi" in text
    else:
        assert "Cible" in text and "Moyenne" in text and "Seuil d'alerte" in text and "Alerte 48,5" in text
    if n == 30:
        assert "Limites de contrôle" in text and "LSC " in text and "LIC " in text and "NR" in text
        assert "Cause commune" in text and pers[0].court in text
    assert read.image_names(pdf) == set()
