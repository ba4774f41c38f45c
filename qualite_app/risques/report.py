"""*Cartographie des risques a priori*: the two 5×5 heat maps (gross, residual) and the risks by
process. Pure: data → PDF bytes; the matrices are ReportLab tables (no chart library needed)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from qualite_app.reports import styles as st
from qualite_app.reports.base import Letterhead, ReportHeader, ReportKind
from qualite_app.reports.templates import house_meta, render, signature_slot, title_block
from qualite_app.risques import rules
from qualite_app.risques.carte_data import CarteData, snapshot_of


def matrice(grid: list[list[int]], seuils: rules.Seuils, titre: str) -> Table:
    """Rows: severity 5 (top) → 1; columns: frequency 1 → 5; each cell its count on its zone's colour."""
    rows: list[list[Any]] = [[titre, "", "", "", "", ""]]
    style: list[Any] = [
        ("SPAN", (0, 0), (-1, 0)),
        ("FONTNAME", (0, 0), (-1, -1), st.FONT_CONDENSED),
        ("FONTNAME", (0, 0), (-1, 0), st.FONT_BOLD),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for i, g in enumerate(range(5, 0, -1), start=1):
        rows.append([f"G{g}"] + [str(grid[g - 1][f - 1] or "") for f in range(1, 6)])
        for f in range(1, 6):
            colour = colors.HexColor(rules.ZONE_COULEURS[rules.zone_cellule(g, f, seuils)])
            style += [("BACKGROUND", (f, i), (f, i), colour), ("BOX", (f, i), (f, i), 0.8, colors.white)]
            if grid[g - 1][f - 1]:
                style.append(("FONTNAME", (f, i), (f, i), st.FONT_BOLD))
    rows.append([""] + [f"F{f}" for f in range(1, 6)])
    t = Table(rows, colWidths=[10 * mm] + [13 * mm] * 5, rowHeights=[7 * mm] + [11 * mm] * 5 + [6 * mm])
    t.setStyle(TableStyle(style))
    return t


def _title(data: CarteData) -> str:
    return "Cartographie des risques a priori"


def build(data: CarteData, header: ReportHeader | None = None) -> bytes:
    header = header or ReportHeader(
        Letterhead(data.etablissement), issued_at=datetime.combine(data.today, time(12))
    )
    ss = st.stylesheet()
    meta = house_meta(header, _title(data), subtitle=f"Situation au {data.today:%d/%m/%Y} · {len(data.risques)} risques",
                      keywords="cartographie des risques, criticité, gestion des risques a priori")  # fmt: skip
    seuils = rules.Seuils(data.tolerable, data.inacceptable, data.avec_maitrise)
    formule = "G × F × M" if data.avec_maitrise else "G × F"
    story: list[Flowable] = [*title_block(meta)]
    story.append(Paragraph("Matrices de criticité", ss["H1"]))
    story.append(Paragraph(st.esc(
        f"Criticité = {formule}. Zones fixées par l'établissement : acceptable en dessous de {data.tolerable}, "
        f"tolérable sous contrôle de {data.tolerable} à {data.inacceptable - 1}, inacceptable à partir de {data.inacceptable}. "
        "Chaque case donne le nombre de risques de cette gravité (G) et de cette fréquence (F)."), ss["Corps"]))  # fmt: skip
    both = Table([[matrice(data.brute, seuils, "Criticité brute"), matrice(data.residuelle, seuils, "Criticité résiduelle")]],
                 colWidths=[85 * mm, 85 * mm])  # fmt: skip
    story += [Spacer(1, 3 * mm), both, Spacer(1, 3 * mm)]
    counts = {z: sum(1 for r in data.risques if r.zone == z) for z in rules.ZONES}
    story.append(
        Paragraph(st.esc(" · ".join(f"{lab} : {counts[z]}" for z, lab in rules.ZONES.items())), ss["Corps"])
    )
    story += [PageBreak(), Paragraph("Risques par processus", ss["H1"])]
    current = None
    rows: list[list[Any]] = []
    bad: list[int] = []

    def flush() -> None:
        if rows:
            t = Table(
                rows, colWidths=[18 * mm, 62 * mm, 16 * mm, 16 * mm, 16 * mm, 26 * mm, 16 * mm], repeatRows=1
            )
            style = [("BACKGROUND", (0, 0), (-1, 0), st.NAVY), ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                     ("FONTNAME", (0, 0), (-1, -1), st.FONT_CONDENSED), ("FONTSIZE", (0, 0), (-1, -1), 7.5),
                     ("GRID", (0, 0), (-1, -1), 0.3, st.GRID), ("VALIGN", (0, 0), (-1, -1), "TOP")]  # fmt: skip
            style += [("TEXTCOLOR", (3, r), (3, r), st.BAD) for r in bad]
            t.setStyle(TableStyle(style))
            story.append(t)

    for r in data.risques:
        if r.processus != current:
            flush()
            rows, bad, current = (
                [["Réf.", "Danger", "G × F", "Brute", "Résid.", "Propriétaire", "Revue"]],
                [],
                r.processus,
            )
            story.append(Paragraph(st.esc(r.processus), ss["H2"]))
        rows.append([r.reference, Paragraph(st.esc(r.danger), ss["Cellule"]), f"{r.gravite} × {r.frequence}",
                     str(r.criticite or "—"), str(r.criticite_residuelle or "—"),
                     Paragraph(st.esc(r.proprietaire or "—"), ss["Cellule"]), st.fr_date(r.revue_le)])  # fmt: skip
        if r.zone == rules.INACCEPTABLE:
            bad.append(len(rows) - 1)
    flush()
    if not data.risques:
        story.append(Paragraph("Aucun risque dans la cartographie.", ss["Corps"]))
    story.append(Spacer(1, 3 * mm))
    story.append(Paragraph("En rouge : criticité brute en zone inacceptable.", ss["Petit"]))
    story.append(signature_slot("Cartographie validée par la direction.", title="Visa"))
    return render(meta, story)


#: the risk map in the register: kind ``risques``, references RIS-2026-0001 (CAR is the crisis cards')
CARTE: ReportKind[CarteData] = ReportKind(
    "risques", "Cartographie des risques", "RIS",
    title_of=_title,
    build_with=build,
    snapshot_of=snapshot_of,
    params_of=lambda data: {"date": data.today.isoformat()},
)  # fmt: skip
