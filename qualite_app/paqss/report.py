"""*Bilan du PAQSS* for the COPIL qualité, the CME, the CDU and the chef d'établissement. Pure: data → PDF bytes."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from qualite_app.paqss import rules
from qualite_app.paqss.bilan_data import BilanData, snapshot_of
from qualite_app.reports import styles as st
from qualite_app.reports import vector
from qualite_app.reports.base import ReportHeader, ReportKind
from qualite_app.reports.longtable import LongTable
from qualite_app.reports.templates import house_meta, render, table_of_contents, title_block

STATUS_COLOURS = {
    rules.A_LANCER: "#9AA5B1",
    rules.EN_COURS: "#2A7F8E",
    rules.REALISEE: "#2E7D32",
    rules.REPORTEE: "#E46C0A",
    rules.ABANDONNEE: "#5B6573",
}
#: beyond this many actions, the action table uses plain cells (fast) instead of wrapped paragraphs
FAST_TABLE = 1500


def _table(rows: list[list[Any]], widths: list[float], *, bad_rows: list[int] | None = None) -> Table:
    t = Table(rows, colWidths=widths, repeatRows=1)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), st.NAVY),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("FONTNAME", (0, 0), (-1, -1), st.FONT_CONDENSED),
        ("FONTNAME", (0, 0), (-1, 0), st.FONT_CONDENSED_BOLD),
        ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.3, st.GRID),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, st.LIGHT]),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for r in bad_rows or []:
        style.append(("TEXTCOLOR", (0, r), (-1, r), st.BAD))
    t.setStyle(TableStyle(style))
    return t


def _kpis(data: BilanData) -> Table:
    ss = st.stylesheet()
    s = data.summary
    cells = [
        (str(s.total), "actions au programme"),
        (str(s.par_statut.get(rules.REALISEE, 0)), "réalisées"),
        (str(s.par_statut.get(rules.EN_COURS, 0)), "en cours"),
        (str(s.en_retard), "en retard"),
        (
            st.fr_number(s.taux_annee, 0, "%") if s.taux_annee is not None else "—",
            f"réalisées parmi les échéances {s.annee}",
        ),
    ]
    row1 = [Paragraph(st.esc(v), ss["Chiffre"]) for v, _ in cells]
    row2 = [Paragraph(st.esc(lab), ss["ChiffreLegende"]) for _, lab in cells]
    t = Table([row1, row2], colWidths=[34 * mm] * 5)
    t.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.5, st.GRID),
                ("INNERGRID", (0, 0), (-1, -1), 0.5, colors.white),
                ("BACKGROUND", (0, 0), (-1, -1), st.LIGHT),
                ("TEXTCOLOR", (3, 0), (3, 0), st.BAD),
            ]
        )
    )
    return t


def _status_chart(data: BilanData) -> Flowable:
    """Stacked bars of the statuses by axis, drawn as vectors in the PDF."""
    series = [
        (lab, colors.HexColor(STATUS_COLOURS[code]), [a.par_statut.get(code, 0) for a in data.axes])
        for code, lab in rules.STATUTS.items()
    ]
    return vector.StackedBars([a.titre for a in data.axes], series, 170 * mm, xlabel="Nombre d'actions")


def _progress_chart(data: BilanData) -> Flowable | None:
    """The cumulative count of completed actions by month, with today's date."""
    if not data.realisees_par_mois:
        return None
    return vector.CumulativeSteps(
        data.realisees_par_mois, data.today, 170 * mm, 55 * mm, ylabel="Actions réalisées (cumul)", colour=st.OK
    )


def _para(text: str, style: str = "Cellule") -> Paragraph:
    return Paragraph(st.esc(text), st.stylesheet()[style])


def _title(data: BilanData) -> str:
    return f"Bilan du PAQSS — {data.programme}"


def build(data: BilanData, header: ReportHeader | None = None) -> bytes:
    """Data → PDF bytes. Without ``header``: the establishment's name only, issued at noon on ``data.today``."""
    from qualite_app.reports.base import Letterhead

    header = header or ReportHeader(Letterhead(data.etablissement), issued_at=datetime.combine(data.today, time(12)))
    ss = st.stylesheet()
    meta = house_meta(
        header,
        _title(data),
        subtitle=f"Situation au {data.today:%d/%m/%Y}" + (f" · période {data.periode}" if data.periode else ""),
        keywords="PAQSS, bilan, qualité, sécurité des soins",
    )
    story: list[Flowable] = [*title_block(meta)]
    facts = [
        ("Programme", data.programme),
        ("Période", data.periode or "—"),
        ("Adopté le", st.fr_date(data.adopte_le) or "—"),
        ("Avis de la CME", st.fr_date(data.avis_cme_le) or "—"),
        ("CDU informée le", st.fr_date(data.cdu_informee_le) or "—"),
        ("Destinataires", "COPIL qualité, CME, CDU, chef d'établissement"),
    ]
    ft = Table([[_para(k, "CelluleGras"), _para(v)] for k, v in facts], colWidths=[40 * mm, 130 * mm])
    ft.setStyle(
        TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.3, st.GRID), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    story += [ft, Spacer(1, 6 * mm), _kpis(data), Spacer(1, 6 * mm), *table_of_contents(), PageBreak()]

    story.append(Paragraph("Synthèse", ss["H1"]))
    story.append(Paragraph("Avancement par axe", ss["H2"]))
    story.append(_status_chart(data) if data.axes else _para("Aucun axe dans ce programme.", "Corps"))
    rows: list[list[Any]] = [["Axe", *rules.STATUTS.values(), "Total"]]
    for a in data.axes:
        rows.append(
            [
                _para(a.titre),
                *[str(a.par_statut.get(c, 0)) for c in rules.STATUTS],
                str(sum(a.par_statut.values())),
            ]
        )
    rows.append(
        [
            _para("Ensemble", "CelluleGras"),
            *[str(data.summary.par_statut.get(c, 0)) for c in rules.STATUTS],
            str(data.summary.total),
        ]
    )
    story += [Spacer(1, 3 * mm), _table(rows, [49 * mm] + [21 * mm] * 5 + [16 * mm])]
    chart = _progress_chart(data)
    if chart is not None:
        story += [Paragraph("Progression dans le temps", ss["H2"]), chart]

    story.append(Paragraph(f"Actions en retard ({len(data.retards)})", ss["H1"]))
    if data.retards:
        head = ["Référence", "Action", "Axe", "Pilote(s)", "Échéance", "Retard"]
        widths = [24 * mm, 54 * mm, 34 * mm, 32 * mm, 16 * mm, 12 * mm]
        if len(data.retards) > FAST_TABLE // 3:  # thousands of rows: one line each, shortened to its column
            lines = [
                [late.reference, late.titre, axe, late.pilotes or "non désigné", st.fr_date(late.echeance), f"{late.retard} j"]
                for late, axe in data.retards
            ]
            story.append(LongTable(head, lines, widths, right=(5,)))
        else:
            rows = [head]
            for late, axe in data.retards:
                cells = [_para(c) for c in (late.titre, axe, late.pilotes or "non désigné")]
                rows.append([late.reference, *cells, st.fr_date(late.echeance), f"{late.retard} j"])
            story.append(_table(rows, widths))
    else:
        story.append(_para("Aucune action en retard à cette date.", "Corps"))

    story.append(Paragraph("Évolutions depuis le bilan précédent", ss["H1"]))
    if data.precedent_le is None:
        story.append(_para("Premier bilan émis pour ce programme : pas de comparaison possible.", "Corps"))
    else:
        story.append(_para(f"Bilan précédent émis le {data.precedent_le:%d/%m/%Y}.", "Corps"))
        if data.changements:
            rows = [["Référence", "Action", "Changement", "Avant", "Après"]]
            for c in data.changements:
                rows.append([c.reference, _para(c.titre), c.quoi, c.avant, c.apres])
            story.append(_table(rows, [24 * mm, 70 * mm, 22 * mm, 27 * mm, 27 * mm]))
        else:
            story.append(_para("Aucun changement de statut, d'avancement ni d'échéance.", "Corps"))
        if data.nouvelles:
            story.append(Paragraph(f"Actions nouvelles ({len(data.nouvelles)})", ss["H3"]))
            story += [_para("• " + n, "Corps") for n in data.nouvelles[:200]]
            if len(data.nouvelles) > 200:
                story.append(_para(f"… et {len(data.nouvelles) - 200} autres.", "Petit"))

    story += [PageBreak(), Paragraph("Actions par axe", ss["H1"])]
    fast = sum(len(a.actions) for a in data.axes) > FAST_TABLE
    for a in data.axes:
        story.append(Paragraph(st.esc(a.titre), ss["H2"]))
        if not a.actions:
            story.append(_para("Aucune action.", "Petit"))
            continue
        head = ["Référence", "Action", "Pilote(s)", "Échéance", "Statut", "Avanc."]
        widths = [24 * mm, 63 * mm, 38 * mm, 16 * mm, 19 * mm, 12 * mm]
        if fast:  # thousands of rows: one line each, shortened to its column
            lines = [
                [x.reference, x.titre, x.pilotes, st.fr_date(x.echeance), rules.statut_label(x.statut), f"{x.avancement} %"]
                for x in a.actions
            ]
            story.append(LongTable(head, lines, widths, red=[bool(x.retard) for x in a.actions], right=(5,)))
            continue
        rows = [head]
        bad = []
        for i, x in enumerate(a.actions, start=1):
            rows.append([x.reference, _para(x.titre), _para(x.pilotes), st.fr_date(x.echeance),
                         rules.statut_label(x.statut), f"{x.avancement} %"])  # fmt: skip
            if x.retard:
                bad.append(i)
        story.append(_table(rows, widths, bad_rows=bad))
    story.append(Spacer(1, 4 * mm))
    story.append(
        KeepTogether(
            [
                _para(
                    "Les actions en retard figurent en rouge. Retard : échéance (révisée le cas échéant) dépassée, action ni réalisée ni abandonnée.",
                    "Petit",
                )
            ]
        )
    )
    return render(meta, story)


#: the bilan in the register: kind ``paqss``, references BIL-2026-0001; its snapshot feeds the next bilan's comparison
BILAN: ReportKind[BilanData] = ReportKind(
    "paqss", "Bilan du PAQSS", "BIL",
    title_of=_title,
    build_with=build,
    snapshot_of=snapshot_of,
    params_of=lambda data: {"programme_id": data.programme_id, "date": data.today.isoformat()},
)  # fmt: skip
