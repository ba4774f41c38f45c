"""*Bilan trimestriel des événements indésirables pour la CDU*. Pure: data → PDF bytes.

No personal data: counts by type, severity and month, analyses done (reference, method), the actions
they produced and their progress, the EIGS deadlines. The facts are never printed.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from qualite_app.evenements.cdu_data import CduData, snapshot_of
from qualite_app.reports import charts
from qualite_app.reports import styles as st
from qualite_app.reports.base import Letterhead, ReportHeader, ReportKind
from qualite_app.reports.templates import house_meta, render, signature_slot, title_block
from qualite_app.rules.periodes import MOIS_COURT


def table(rows: list[list[Any]], widths: list[float]) -> Table:
    t = Table(rows, colWidths=widths, repeatRows=1)
    t.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), st.NAVY),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("FONTNAME", (0, 0), (-1, -1), st.FONT_CONDENSED),
                ("FONTNAME", (0, 0), (-1, 0), st.FONT_CONDENSED_BOLD),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.3, st.GRID),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, st.LIGHT]),
            ]
        )
    )
    return t


def para(text: object, style: str = "Cellule") -> Paragraph:
    return Paragraph(st.esc(text), st.stylesheet()[style])


def kpis(cells: list[tuple[str, str]]) -> Table:
    ss = st.stylesheet()
    t = Table(
        [[Paragraph(st.esc(v), ss["Chiffre"]) for v, _ in cells], [Paragraph(st.esc(k), ss["ChiffreLegende"]) for _, k in cells]],
        colWidths=[170 * mm / len(cells)] * len(cells),
    )  # fmt: skip
    t.setStyle(
        TableStyle([("BOX", (0, 0), (-1, -1), 0.5, st.GRID), ("BACKGROUND", (0, 0), (-1, -1), st.LIGHT)])
    )
    return t


def _month_label(code: str) -> str:
    y, m = code.split("-")
    return f"{MOIS_COURT[int(m) - 1]} {y[2:]}"


def bar_chart(
    items: list[tuple[str, int]], *, horizontal: bool, colour: str = "#2A7F8E", height_cm: float = 6
) -> Flowable:
    fig = charts.new_figure(17, height_cm)
    ax = fig.add_subplot()
    labels = [lab if len(lab) <= 40 else lab[:39] + "…" for lab, _ in items]
    values = [n for _, n in items]
    if horizontal:
        ax.barh(labels[::-1], values[::-1], color=colour, height=0.6)
        ax.grid(axis="x", color="#dde4ec", linewidth=0.6)
        ax.tick_params(axis="y", labelsize=7)
    else:
        ax.bar(labels, values, color=colour, width=0.6)
        ax.tick_params(axis="x", labelsize=7)
    charts.style_axes(ax)
    if horizontal:
        ax.grid(axis="y", visible=False)
    return charts.figure_flowable(fig, 170)


def _title(data: CduData) -> str:
    return f"Événements indésirables — bilan du {data.libelle} pour la CDU"


def build(data: CduData, header: ReportHeader | None = None) -> bytes:
    header = header or ReportHeader(
        Letterhead(data.etablissement), issued_at=datetime.combine(data.today, time(12))
    )
    ss = st.stylesheet()
    meta = house_meta(
        header, _title(data), subtitle=f"Période du {data.debut:%d/%m/%Y} au {data.fin:%d/%m/%Y} · sans donnée nominative",
        keywords="événements indésirables, EIGS, CDU, analyses, actions",
    )  # fmt: skip
    evo = "—"
    if data.total_precedent is not None:
        diff = data.total - data.total_precedent
        evo = f"{diff:+d}".replace("+", "+\u202f").replace("-", "−\u202f") if diff else "="
    story: list[Flowable] = [*title_block(meta)]
    story += [kpis([(str(data.total), "événements déclarés"), (evo, "par rapport au trimestre précédent"),
                    (str(data.eigs), "EIGS"), (str(len(data.analyses)), "analyses des causes"),
                    (str(len(data.actions)), "actions décidées")]), Spacer(1, 4 * mm)]  # fmt: skip
    story.append(Paragraph("Événements par mois", ss["H1"]))
    if data.total:
        story.append(
            bar_chart([(_month_label(m), n) for m, n in data.par_mois], horizontal=False, height_cm=5)
        )
    else:
        story.append(para("Aucun événement déclaré sur la période.", "Corps"))
    story.append(Paragraph("Événements par type", ss["H1"]))
    rows: list[list[Any]] = [["Type", "Nombre", "Part"]]
    for lab, n in data.par_type:
        rows.append([para(lab), str(n), st.fr_number(100 * n / data.total, 0, "%") if data.total else "—"])
    story.append(table(rows, [110 * mm, 30 * mm, 30 * mm]) if data.par_type else para("—", "Corps"))
    story.append(Paragraph(f"Événements par gravité — {data.echelle}", ss["H1"]))
    rows = [["Gravité", "Nombre"]] + [[para(lab), str(n)] for lab, n in data.par_gravite]
    story.append(table(rows, [130 * mm, 40 * mm]))
    if data.total:
        story.append(
            bar_chart(
                data.par_gravite,
                horizontal=True,
                colour="#C62828",
                height_cm=2 + 0.55 * len(data.par_gravite),
            )
        )
    story.append(Paragraph(f"Analyses des causes ({len(data.analyses)})", ss["H1"]))
    if data.analyses:
        story.append(para(" · ".join(f"{m} : {n}" for m, n in data.analyses_par_methode), "Corps"))
        rows = [["Référence", "Méthode", "Date", "Événements"]] + [
            [r, para(m), d, str(n)] for r, m, d, n in data.analyses
        ]
        story.append(table(rows, [30 * mm, 80 * mm, 30 * mm, 30 * mm]))
    else:
        story.append(para("Aucune analyse des causes réalisée sur la période.", "Corps"))
    story.append(Paragraph(f"Actions issues des analyses ({len(data.actions)})", ss["H1"]))
    if data.actions:
        rows = [["Action", "Intitulé", "Analyse", "Statut", "Avanc.", "Échéance"]]
        rows += [[a.reference, para(a.titre), para(a.origine), a.statut, f"{a.avancement} %", st.fr_date(a.echeance)]
                 for a in data.actions]  # fmt: skip
        story.append(table(rows, [26 * mm, 58 * mm, 30 * mm, 20 * mm, 14 * mm, 22 * mm]))
    else:
        story.append(para("Aucune action décidée sur la période.", "Corps"))
    story.append(Paragraph("Déclarations d'EIGS à transmettre", ss["H1"]))
    if data.eigs_echeances:
        rows = [["Événement", "Partie", "Échéance", "État"]] + [
            [r, str(p), d, e] for r, p, d, e in data.eigs_echeances
        ]
        story.append(table(rows, [50 * mm, 30 * mm, 45 * mm, 45 * mm]))
    else:
        story.append(para("Aucune partie de déclaration d'EIGS en attente.", "Corps"))
    story.append(Spacer(1, 4 * mm))
    story.append(
        para(
            "Ce bilan ne contient aucune donnée permettant d'identifier un patient ou un professionnel.",
            "Petit",
        )
    )
    story.append(
        signature_slot("Bilan présenté à la commission des usagers.", title="Visa")
    )  # the stamp's place is free
    return render(meta, story)


#: the CDU summary in the register: kind ``cdu``, references CDU-2026-0001
CDU: ReportKind[CduData] = ReportKind(
    "cdu", "Bilan trimestriel des EI (CDU)", "CDU",
    title_of=_title,
    build_with=build,
    snapshot_of=snapshot_of,
    params_of=lambda data: {"trimestre": data.trimestre},
)  # fmt: skip
