"""The certification reports, pure (data → PDF bytes): the dossier's index (cover, contents, outline,
chapter → objective → criterion with answers and evidence hashes) and the readiness report (charts,
impératifs, what to do before the visit)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from qualite_app.certification import rules
from qualite_app.certification.dossier_data import CritereIndex, DossierData, snapshot_of
from qualite_app.reports import charts
from qualite_app.reports import styles as st
from qualite_app.reports.base import Letterhead, ReportHeader, ReportKind
from qualite_app.reports.templates import house_meta, render, table_of_contents, title_block

REPONSE_COULEURS = {
    "Conforme": "#2E7D32",
    "Partiellement conforme": "#E4A70A",
    "Non conforme": "#C62828",
    "Non applicable": "#9AA5B1",
    "Non évalué": "#DDE4EC",
}
#: the answers as the index's narrow column shows them
COURT = {"Partiellement conforme": "Partiel", "Non applicable": "N/A"}
THRESHOLDS_NOTE = (
    "Décision projetée : notre lecture des règles de la HAS, pas son texte. Les seuils sont réglables "
    "(page Certification, « Seuils de décision ») et figurent ci-dessous."
)


class _Outline(Flowable):
    """A PDF bookmark at a given level (criteria under their objective) without a visible heading."""

    def __init__(self, text: str, level: int) -> None:
        super().__init__()
        self.text, self.level = text, level
        self.width = self.height = 0

    def draw(self) -> None:
        key = f"o{id(self)}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(self.text, key, level=self.level, closed=True)


def _p(text: object, style: str = "Cellule") -> Paragraph:
    return Paragraph(st.esc(text), st.stylesheet()[style])


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _pct(x: float | None) -> str:
    return st.fr_number(x, 1, "%") if x is not None else "—"


def _table(rows: list[list[Any]], widths: list[float], extra: list[Any] | None = None) -> Table:
    t = Table(rows, colWidths=widths, repeatRows=1)
    t.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), st.NAVY), ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("FONTNAME", (0, 0), (-1, -1), st.FONT_CONDENSED), ("FONTNAME", (0, 0), (-1, 0), st.FONT_CONDENSED_BOLD),
        ("FONTSIZE", (0, 0), (-1, -1), 7.5), ("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.3, st.GRID),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, st.LIGHT]), ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2), *(extra or []),
    ]))  # fmt: skip
    return t


def _facts(data: DossierData) -> Table:
    facts = [
        ("Campagne", data.campagne),
        ("Référentiel", f"{data.referentiel} (version {data.version})"),
        ("Situation au", st.fr_date(data.le)),
        ("Visite prévue le", st.fr_date(data.date_visite) or "—"),
        ("Périmètre", data.perimetre or "—"),
        ("Éléments évalués", f"{data.evalues} sur {data.a_evaluer}"),
        ("Satisfaction globale", _pct(data.global_pct)),
        ("Décision projetée", data.decision),
    ]
    t = Table([[_p(k, "CelluleGras"), _p(v)] for k, v in facts], colWidths=[45 * mm, 125 * mm])
    t.setStyle(
        TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.3, st.GRID), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    return t


def _critere(c: CritereIndex) -> list[Flowable]:
    ss = st.stylesheet()
    head = f"{c.ref} — {c.titre}"
    flag = " · IMPÉRATIF NON ATTEINT" if c.imperatif_non_atteint else ""
    out: list[Flowable] = [_Outline(head[:120], 2), Paragraph(st.esc(head), ss["H3"]),
                           _p(f"Niveau : {c.niveau} · satisfaction : {_pct(c.satisfaction)}{flag}", "Petit")]  # fmt: skip
    if c.elements:
        rows: list[list[Any]] = [["Élément", "Réponse", "Commentaire", "Évaluateur", "Date"]]
        bad = []
        for i, e in enumerate(c.elements, start=1):
            # plain strings where the text is short: a Paragraph per cell is what makes a long index slow
            rows.append([_p(f"{e.ref} {e.titre}"), COURT.get(e.reponse, e.reponse), _p(e.commentaire) if e.commentaire else "",
                         _cut(e.evaluateur, 24), st.fr_date(e.date)])  # fmt: skip
            if e.reponse == "Non conforme":
                bad.append(("BACKGROUND", (1, i), (1, i), colors.HexColor("#F8D7D7")))
        out.append(_table(rows, [58 * mm, 17 * mm, 50 * mm, 32 * mm, 17 * mm], bad))
    if c.preuves:
        rows = [["Preuve", "Date", "Valide jusqu'au", "Fichier et SHA-256"]]
        for p in c.preuves:
            where = p.lien or f"{p.chemin}\n{p.sha256}"
            valid = st.fr_date(p.valide_jusqu_au) + (" (expirée)" if p.expiree else "")
            rows.append([_p(p.titre), st.fr_date(p.date_preuve), valid or "—", _p(where, "Petit")])
        out.append(Spacer(1, 1.5 * mm))
        out.append(_table(rows, [46 * mm, 16 * mm, 28 * mm, 84 * mm]))
    else:
        out.append(_p("Aucune preuve rattachée à ce critère.", "Petit"))
    return out


def _title_index(data: DossierData) -> str:
    return f"Dossier de certification — {data.campagne}"


def build_index(data: DossierData, header: ReportHeader | None = None) -> bytes:
    """The dossier's index.pdf: cover, contents and outline, then every criterion with its evidence."""
    header = header or ReportHeader(
        Letterhead(data.etablissement), issued_at=datetime.combine(data.le, time(12))
    )
    ss = st.stylesheet()
    meta = house_meta(header, _title_index(data), subtitle=f"{data.referentiel} · situation au {data.le:%d/%m/%Y}",
                      keywords="certification, dossier, preuves, HAS")  # fmt: skip
    story: list[Flowable] = [*title_block(meta), _facts(data), Spacer(1, 4 * mm)]
    story.append(_p(f"{len(data.fichiers)} fichier(s) de preuve joint(s) ; chaque empreinte SHA-256 figure ci-après et "
                    "dans manifest.json et SHA256SUMS. « qualite dossier verify » contrôle le dossier.", "Petit"))  # fmt: skip
    story += [Spacer(1, 4 * mm), *table_of_contents(), PageBreak()]
    for ch in data.chapitres:
        story.append(Paragraph(st.esc(f"Chapitre {ch.ref} — {ch.titre} ({_pct(ch.satisfaction)})"), ss["H1"]))
        for ob in ch.objectifs:
            story.append(Paragraph(st.esc(f"{ob.ref} {ob.titre} ({_pct(ob.satisfaction)})"), ss["H2"]))
            for c in ob.criteres:
                story += _critere(c)
    return render(meta, story)


def _bars(data: DossierData) -> Flowable | None:
    if not data.barres:
        return None
    fig = charts.new_figure(17, 2 + 0.8 * len(data.barres))
    ax = fig.add_subplot()
    labels = [lab[:50] for lab, _ in data.barres][::-1]
    left = [0.0] * len(labels)
    for kind, colour in REPONSE_COULEURS.items():
        vals = [float(d.get(kind, 0)) for _, d in data.barres][::-1]
        ax.barh(labels, vals, left=left, color=colour, label=kind, height=0.6)
        left = [a + b for a, b in zip(left, vals, strict=True)]
    charts.style_axes(ax)
    ax.tick_params(axis="y", labelsize=7)
    ax.set_xlabel("Éléments d'évaluation", fontsize=8)
    ax.legend(fontsize=6.5, ncols=5, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    return charts.figure_flowable(fig, 170)


def _heat(data: DossierData) -> Flowable | None:
    if not data.grille:
        return None
    kinds = list(REPONSE_COULEURS)
    fig = charts.new_figure(17, 2.5 + 0.45 * len(data.grille))
    ax = fig.add_subplot()
    m = [[d.get(k, 0) / max(1, sum(d.values())) for k in kinds] for _, d in data.grille]
    ax.imshow(m, aspect="auto", cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(kinds)), [k.replace("Partiellement", "Part.") for k in kinds], fontsize=7)
    ax.set_yticks(range(len(data.grille)), [r for r, _ in data.grille], fontsize=7)
    for i, (_, d) in enumerate(data.grille):
        for j, k in enumerate(kinds):
            if d.get(k):
                ax.text(
                    j,
                    i,
                    str(d[k]),
                    ha="center",
                    va="center",
                    fontsize=6.5,
                    color="black" if m[i][j] < 0.6 else "white",
                )
    return charts.figure_flowable(fig, 170)


def _title_prep(data: DossierData) -> str:
    return f"Préparation de la visite de certification — {data.campagne}"


def build_preparation(data: DossierData, header: ReportHeader | None = None) -> bytes:
    """The readiness report: figures, charts, impératifs, criteria at risk, what to do before the visit."""
    header = header or ReportHeader(
        Letterhead(data.etablissement), issued_at=datetime.combine(data.le, time(12))
    )
    ss = st.stylesheet()
    meta = house_meta(header, _title_prep(data), subtitle=f"{data.referentiel} · situation au {data.le:%d/%m/%Y}",
                      keywords="certification, préparation, autoévaluation")  # fmt: skip
    story: list[Flowable] = [*title_block(meta), _facts(data), Spacer(1, 3 * mm)]
    story += [_p(THRESHOLDS_NOTE, "Petit"), *[_p("• " + m, "Petit") for m in data.motifs]]
    if data.seuils:
        seuils: list[list[Any]] = [["Seuil appliqué", "Valeur"]]
        seuils += [
            [_p(lab), st.fr_number(data.seuils[k], 2 if k == "poids_partiel" else 0)]
            for k, lab in rules.SEUILS_LIBELLES.items()
            if k in data.seuils
        ]
        story += [Spacer(1, 2 * mm), _table(seuils, [140 * mm, 30 * mm])]
    story.append(Paragraph("Réponses par chapitre", ss["H1"]))
    for f in (_bars(data), _heat(data)):
        if f is not None:
            story.append(f)
    rows: list[list[Any]] = [["Chapitre / objectif", "Satisfaction"]]
    for ch in data.chapitres:
        rows.append([_p(f"{ch.ref} {ch.titre}", "CelluleGras"), _pct(ch.satisfaction)])
        rows += [[_p(f"   {o.ref} {o.titre}"), _pct(o.satisfaction)] for o in ch.objectifs]
    story += [Spacer(1, 3 * mm), _table(rows, [140 * mm, 30 * mm])]
    story.append(Paragraph(f"Séances d'évaluation menées ({len(data.seances)})", ss["H1"]))
    if data.seances:
        rows = [["Méthode", "Date", "Service", "Équipe", "Réponses"]]
        rows += [[m, st.fr_date(d), _p(sv), _p(eq), str(n)] for m, d, sv, eq, n in data.seances]
        story.append(_table(rows, [32 * mm, 20 * mm, 40 * mm, 62 * mm, 16 * mm]))
    else:
        story.append(_p("Aucune séance enregistrée pour cette campagne.", "Corps"))
    unmet = [c for ch in data.chapitres for o in ch.objectifs for c in o.criteres if c.imperatif_non_atteint]
    story.append(Paragraph(f"Impératifs non atteints ({len(unmet)})", ss["H1"]))
    story += [_p(f"{c.ref} — {c.titre} ({_pct(c.satisfaction)})", "Corps") for c in unmet] or [
        _p("Aucun.", "Corps")
    ]
    story.append(Paragraph(f"À faire avant la visite ({len(data.a_faire)})", ss["H1"]))
    story += [_p("• " + t, "Corps") for t in data.a_faire[:150]] or [
        _p("Rien : le dossier est prêt.", "Corps")
    ]
    story.append(
        KeepTogether([Spacer(1, 3 * mm), _p(f"Niveaux : {', '.join(rules.NIVEAUX.values())}.", "Petit")])
    )
    return render(meta, story)


def _params(data: DossierData) -> dict[str, Any]:
    return {"campagne_id": data.campagne_id, "campagne": data.campagne, "date": data.le.isoformat()}


#: the dossier's index in the register (DOS-2026-0001); its snapshot holds every evidence hash
INDEX_DOSSIER: ReportKind[DossierData] = ReportKind(
    "dossier_certification", "Dossier de certification (index)", "DOS",
    title_of=_title_index, build_with=build_index, snapshot_of=snapshot_of, params_of=_params,
)  # fmt: skip
#: the readiness report (CER-2026-0001)
PREPARATION: ReportKind[DossierData] = ReportKind(
    "preparation_certification", "Préparation de la certification", "CER",
    title_of=_title_prep, build_with=build_preparation, snapshot_of=snapshot_of, params_of=_params,
)  # fmt: skip
