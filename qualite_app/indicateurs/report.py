"""The dashboard report: the cards of a saved dashboard, then one page per indicator (control chart,
automatic reading, latest results). Pure: data → PDF bytes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from qualite_app.reports import styles as st
from qualite_app.reports.base import Letterhead, ReportHeader, ReportKind
from qualite_app.reports.longtable import LongTable
from qualite_app.reports.spc_vector import SpcChart
from qualite_app.reports.templates import house_meta, render, title_block
from qualite_app.rules import spc

ETATS = {
    "atteinte": ("Cible atteinte", st.OK),
    "alerte": ("Alerte", colors.HexColor("#E6A100")),
    "hors_cible": ("Hors cible", st.BAD),
    "sans_donnee": ("Pas de donnée", colors.HexColor("#8A94A3")),
    "sans_cible": ("Sans cible", st.GREY),
}
VARIATION = {
    spc.COMMON: "Cause commune",
    spc.IMPROVEMENT: "Amélioration",
    spc.CONCERN: "Dégradation",
    spc.NEUTRAL: "Cause spéciale",
}
ASSURANCE = {spc.PASS: "Cible assurée", spc.FAIL: "Cible hors d'atteinte", spc.HIT_MISS: "Cible aléatoire"}


@dataclass
class DashboardReportData:
    etablissement: str
    tableau: str
    periode: str  # « jusqu'à décembre 2025 » or « dernières données »
    cartes: list[Any]  # services.indicateurs.Carte with ``serie``
    issued_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))
    reference: str = ""
    logo: bytes | None = None
    lignes_resultats: int = 12
    params: dict[str, Any] = field(default_factory=dict)  # shown with the register row


def _fr(v: float | None, d: int = 1) -> str:
    if v is None:
        return "—"
    return st.fr_number(v, 0 if float(v).is_integer() else d)


def _drawing(width: float, height: float) -> Drawing:
    """A Drawing whose initial font is the house font (ReportLab's default would add an unembedded Helvetica)."""
    d = Drawing(width, height)
    d.initialFontName = st.FONT  # type: ignore[attr-defined]
    return d


def sparkline(values: tuple[float | None, ...], target: float | None, width: float = 38 * mm, height: float = 11 * mm) -> Drawing:
    d = _drawing(width, height)
    real = [v for v in values if v is not None]
    if len(real) < 2:
        return d
    lo = min(real + ([target] if target is not None else []))
    hi = max(real + ([target] if target is not None else []))
    span = (hi - lo) or 1.0
    n = len(values)

    def xy(i: int, v: float) -> tuple[float, float]:
        return 2 + (width - 6) * i / max(n - 1, 1), 2 + (height - 4) * (v - lo) / span

    if target is not None:
        _x, y = xy(0, target)
        d.add(Line(2, y, width - 4, y, strokeColor=st.BAD, strokeWidth=0.5, strokeDashArray=[2, 1.5]))
    pts: list[float] = []
    last = None
    for i, v in enumerate(values):
        if v is None:
            continue  # a missing period: the line joins its neighbours
        last = xy(i, v)
        pts += list(last)
    if len(pts) >= 4:
        d.add(PolyLine(pts, strokeColor=st.GREY, strokeWidth=0.8))
    if last is not None:
        d.add(Circle(last[0], last[1], 1.4, fillColor=st.NAVY, strokeColor=None))
    return d


def _icon(variation: str, side: str | None) -> Drawing:
    d = _drawing(5 * mm, 5 * mm)
    colour = colors.HexColor(spc.COLOURS.get(variation, spc.COLOURS[spc.COMMON]))
    d.add(Circle(2.5 * mm, 2.5 * mm, 2.3 * mm, fillColor=colour, strokeColor=None))
    arrow = "~" if variation == spc.COMMON else ("↑" if side == "haut" else "↓")
    d.add(String(2.5 * mm, 1.2 * mm, arrow, fontName=st.FONT_BOLD, fontSize=8, fillColor=colors.white, textAnchor="middle"))
    return d


def _card(c: Any, width: float) -> Table:
    ss = st.stylesheet()
    label, colour = ETATS[c.etat]
    number, _sp, unit = c.valeur_texte.partition("\u00a0")
    value = Paragraph(
        f"<font size=14 color='#1F3A5F'><b>{st.esc(number)}</b></font>" + (f"<font size=8 color='#5B6573'> {st.esc(unit)}</font>" if unit else ""),
        ss["Corps"],
    )
    meta = Paragraph(
        st.esc(c.periode or "Aucun résultat") + "<br/>" + st.esc(f"Cible {_fr(c.cible)}" if c.cible is not None else "Pas de cible"),
        ss["Petit"],
    )
    state = Paragraph(
        f"<font color='{colour.hexval().replace('0x', '#')}'><b>{st.esc(label)}</b></font>"
        + (" · provisoire" if c.provisoire else ""),
        ss["Petit"],
    )
    spc_txt = VARIATION[c.variation] + (f" · {ASSURANCE[c.assurance]}" if c.assurance else "")
    rows = [
        [Paragraph(f"<b>{st.esc(c.code)}</b>", ss["CelluleGras"]), _icon(c.variation, c.variation_cote)],
        [Paragraph(st.esc(c.libelle), ss["Cellule"]), ""],
        [value, sparkline(c.sparkline, c.cible, width=width * 0.45 - 3 * mm, height=10 * mm)],
        [meta, Paragraph(st.esc(spc_txt), ss["Petit"])],
        [state, ""],
    ]
    t = Table(rows, colWidths=[width * 0.55, width * 0.45])
    t.setStyle(
        TableStyle(
            [
                ("SPAN", (0, 1), (1, 1)),
                ("SPAN", (0, 4), (1, 4)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("BOX", (0, 0), (-1, -1), 0.6, st.GRID),
                ("LINEBEFORE", (0, 0), (0, -1), 3, colour),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return t


def _summary(cartes: list[Any]) -> str:
    counts: dict[str, int] = {}
    for c in cartes:
        counts[c.etat] = counts.get(c.etat, 0) + 1
    parts = [f"{n} {ETATS[k][0].lower()}" for k, n in sorted(counts.items(), key=lambda kv: list(ETATS).index(kv[0]))]
    better = [c.code for c in cartes if c.variation == spc.IMPROVEMENT]
    worse = [c.code for c in cartes if c.variation == spc.CONCERN]
    text = f"{len(cartes)} indicateur(s) : " + ", ".join(parts) + "."
    if better:
        text += f" Amélioration significative : {', '.join(better)}."
    if worse:
        text += f" Dégradation significative : {', '.join(worse)}."
    if not better and not worse:
        text += " Aucun signal de cause spéciale sur le dernier résultat."
    return text


def _results_table(serie: Any, n: int, width: float) -> LongTable:
    """The latest results, one line each (``LongTable``: no Paragraph to parse per cell), the value in bold."""
    head = ["Période", "Num.", "Dén.", "Valeur", "Statut / classe", "Cible", "Signal"]
    widths = [width * w for w in (0.17, 0.13, 0.14, 0.12, 0.14, 0.1, 0.2)]
    idx = [i for i in range(len(serie.periodes)) if serie.valeurs[i] is not None or serie.statuts[i] or serie.classes[i]][-n:]
    rows = []
    for i in idx:
        p = serie.spc.points[i]
        rows.append(
            [
                serie.periodes[i].libelle,
                _fr(serie.numerateurs[i], 0) if serie.numerateurs[i] is not None else "",
                _fr(serie.denominateurs[i], 0) if serie.denominateurs[i] is not None else "",
                _fr(serie.valeurs[i], 2) if serie.valeurs[i] is not None else "—",
                " ".join(x for x in (serie.statuts[i], serie.classes[i]) if x),
                _fr(serie.cibles[i]) if serie.cibles[i] is not None else "",
                VARIATION[p.variation] if p.rules else "",
            ]
        )
    return LongTable(head, rows, widths, bold=(3,), size=8, row_height=14)


def snapshot_of(cartes: list[Any]) -> dict[str, Any]:
    """What the report shows, as plain data: hashed into the register so a later check can prove it."""
    out = []
    for c in cartes:
        s = c.serie
        out.append(
            {
                "code": c.code,
                "valeur": c.valeur,
                "periode": c.periode,
                "statut": c.statut,
                "cible": c.cible,
                "etat": c.etat,
                "variation": c.variation,
                "assurance": c.assurance,
                "serie": None
                if s is None
                else {
                    "periodes": [p.code for p in s.periodes],
                    "valeurs": s.valeurs,
                    "centre": [p.centre for p in s.spc.points],
                    "lic": [p.lcl for p in s.spc.points],
                    "lsc": [p.ucl for p in s.spc.points],
                },
            }
        )
    return {"indicateurs": out}


def _title(data: DashboardReportData) -> str:
    return f"Tableau de bord des indicateurs — {data.tableau}"


def build(data: DashboardReportData, header: ReportHeader | None = None) -> bytes:
    """Data → PDF bytes (deterministic for a given input and header). Without ``header``: from the data's fields."""
    header = header or ReportHeader(Letterhead(data.etablissement, logo=data.logo), data.reference, data.issued_at)
    ss = st.stylesheet()
    meta = house_meta(
        header, _title(data), subtitle=f"Résultats {data.periode}",
        keywords="indicateurs, tableau de bord, maîtrise statistique des processus",
    )  # fmt: skip
    width = 210 * mm - 2 * st.PAGE_MARGIN
    story: list[Any] = title_block(meta)
    story.append(Paragraph("Synthèse", ss["H1"]))
    story.append(Paragraph(st.esc(_summary(data.cartes)), ss["Corps"]))
    story.append(Spacer(1, 2 * mm))
    story.append(
        Paragraph(
            "Lecture : la couleur à gauche de chaque carte donne l'état par rapport à la cible ; la pastille indique la "
            "variation du dernier résultat (grise : cause commune ; bleue : amélioration ; orange : dégradation), selon "
            "les règles de maîtrise statistique des processus (point hors des limites, 7 points du même côté de la "
            "moyenne, 7 points en hausse ou en baisse, 2 points sur 3 proches d'une limite).",
            ss["Petit"],
        )
    )
    story.append(Spacer(1, 4 * mm))
    if not data.cartes:
        story.append(Paragraph("Aucun indicateur dans ce tableau de bord.", ss["Corps"]))
    col_w = (width - 4 * mm) / 3
    cells = [_card(c, col_w - 2 * mm) for c in data.cartes]
    grid_rows = [cells[k : k + 3] + [""] * (3 - len(cells[k : k + 3])) for k in range(0, len(cells), 3)]
    if grid_rows:
        grid = Table(grid_rows, colWidths=[col_w + 1.3 * mm] * 3)
        grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 1), ("RIGHTPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
        story.append(grid)
    for c in data.cartes:
        s = c.serie
        if s is None:
            continue
        story.append(PageBreak())
        story.append(Paragraph(st.esc(f"{c.code} — {c.libelle}"), ss["H2"]))
        facts = [f"Dernier résultat : {c.valeur_texte}" + (f" ({c.periode})" if c.periode else "")]
        facts.append(f"cible {_fr(c.cible)}" if c.cible is not None else "sans cible")
        facts.append(ETATS[c.etat][0].lower())
        story.append(Paragraph(st.esc(" · ".join(facts)), ss["Petit"]))
        story.append(Spacer(1, 2 * mm))
        story.append(Paragraph(f"<b>Lecture automatique.</b> {st.esc(s.lecture())}", ss["Corps"]))
        story.append(Spacer(1, 2 * mm))
        story.append(SpcChart(s, width, width * 8.2 / 17.4, point_labels=VARIATION))
        story.append(Spacer(1, 1.5 * mm))
        notes = [a for a in s.annotations]
        if notes:
            kinds = {"rebase": "Nouvelles limites", "note": "Annotation", "action": "Action PAQSS"}
            lines = "<br/>".join(
                st.esc(f"{a.date:%d/%m/%Y} — {kinds.get(a.nature, a.nature)} : {a.texte}") for a in notes
            )
            story.append(Paragraph(lines, ss["Petit"]))
        story.append(Spacer(1, 3 * mm))
        story.append(KeepTogether([Paragraph("Derniers résultats", ss["H3"]), _results_table(s, data.lignes_resultats, width)]))
    return render(meta, story)


#: the dashboard report in the register: kind ``tableau_de_bord``, references TDB-2026-0001
TABLEAU_DE_BORD: ReportKind[DashboardReportData] = ReportKind(
    "tableau_de_bord", "Tableau de bord des indicateurs", "TDB",
    title_of=_title,
    build_with=build,
    snapshot_of=lambda data: snapshot_of(data.cartes),
    params_of=lambda data: dict(data.params),
)  # fmt: skip
