"""*Classeur de crise*: the printed binder of a crisis plan. Pure: plan data → PDF bytes.

Cover, revision table and opinions, table of contents and PDF outline, then one tab page per section
(levels, crisis cell, fiches réflexes, scenarios, directory, resources, appendices); each fiche réflexe on a
new page (an odd one with recto-verso printing), big type, tick boxes, time and initials columns.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from qualite_app.crise import donnees as v
from qualite_app.crise import rules
from qualite_app.crise.mise_en_page import (
    FRAME_HEIGHT,
    Intercalaire,
    p,
    page_impaire,
    pied_de,
    render,
    sommaire,
    styles,
)
from qualite_app.reports import styles as st
from qualite_app.reports.base import Letterhead, ReportHeader, ReportKind
from qualite_app.reports.templates import ReportMeta, signature_slot

WIDTH = 178 * mm  # A4 minus 2 × 16 mm
CASE = "\u2610"  # ☐


def _grid(
    rows: list[list[Any]],
    widths: list[float],
    *,
    header: bool = True,
    extra: list[Any] | None = None,
    row_height: float | None = None,
) -> Table:
    heights = (
        None if row_height is None else [None if header and i == 0 else row_height for i in range(len(rows))]
    )
    t = Table(rows, colWidths=widths, repeatRows=1 if header else 0, rowHeights=heights)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), st.FONT_CONDENSED),
        ("FONTSIZE", (0, 0), (-1, -1), 11),
        ("LEADING", (0, 0), (-1, -1), 13.5),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.5, st.GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), st.NAVY), ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                  ("FONTNAME", (0, 0), (-1, 0), st.FONT_CONDENSED_BOLD)]  # fmt: skip
    t.setStyle(TableStyle(style + (extra or [])))
    return t


def _h(texts: list[str]) -> list[Any]:
    """A header row: plain strings (bold white, set by ``_grid``)."""
    return list(texts)


def _wrap(text: str, width: float, font: str = st.FONT_CONDENSED, size: float = 11) -> str:
    """Text broken into lines for a plain table cell: ten times cheaper than a Paragraph, which a
    200-page binder pays thousands of times."""
    return "\n".join(simpleSplit(text or "", font, size, width - 12)) or ""


def _cover(data: v.ClasseurData, header: ReportHeader) -> list[Flowable]:
    pl = data.plan
    out: list[Flowable] = [Spacer(1, 18 * mm), p(header.letterhead.etablissement, "CEtab"), p(header.letterhead.address_line, "CPetit"),
                           Spacer(1, 30 * mm), p("Classeur de crise", "CSous"), p(pl.nom, "CTitre"), Spacer(1, 4 * mm),
                           p(rules.libelle(rules.TYPES_PLAN, pl.type_plan), "CSous"), Spacer(1, 20 * mm)]  # fmt: skip
    facts = [
        ("Version", pl.version),
        ("Adopté le", st.fr_date(pl.adopte_le) or "—"),
        ("Imprimé le", f"{data.today:%d/%m/%Y}"),
        ("Prochaine révision", st.fr_date(pl.prochaine_revision) or "—"),
        ("Référence", header.reference or "—"),
    ]
    t = Table([[p(k, "CGras"), p(x)] for k, x in facts], colWidths=[50 * mm, 100 * mm], hAlign="LEFT")
    t.setStyle(
        TableStyle([("LINEBEFORE", (0, 0), (0, -1), 3, st.TEAL), ("BACKGROUND", (0, 0), (-1, -1), st.LIGHT)])
    )
    box = Table(
        [[p((pl.diffusion or "Diffusion restreinte").upper(), "CRestreint")]],
        colWidths=[150 * mm],
        hAlign="LEFT",
    )
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 2, st.BAD),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    out += [t, Spacer(1, 12 * mm), box, Spacer(1, 4 * mm),
            p("Document à usage interne : ne pas diffuser hors de la cellule de crise et des personnes désignées.", "CPetit"), PageBreak()]  # fmt: skip
    return out


def _revisions(pl: v.PlanV) -> list[Flowable]:
    out: list[Flowable] = [p("Suivi des révisions", "CH1")]
    rows: list[list[Any]] = [_h(["Version", "Date", "Objet de la révision"])]
    rows += [[r.version, st.fr_date(r.le), p(r.objet, "CCellule")] for r in pl.revisions] or [
        ["—", "—", "Aucune révision enregistrée"]
    ]
    out.append(_grid(rows, [25 * mm, 30 * mm, WIDTH - 55 * mm]))
    out += [Spacer(1, 6 * mm), p("Avis recueillis avant adoption", "CH3")]
    avis = [("Directoire", pl.avis_directoire_le), ("Commission médicale d'établissement", pl.avis_cme_le),
            ("Comité social d'établissement", pl.avis_cse_le), ("Adoption par le directeur", pl.adopte_le)]  # fmt: skip
    out.append(
        _grid(
            [_h(["Instance", "Date"])] + [[k, st.fr_date(d) or "à recueillir"] for k, d in avis],
            [120 * mm, 58 * mm],
        )
    )
    cycle = (f"Cycle de révision : {pl.cycle_revision_mois} mois ; prochaine révision : {st.fr_date(pl.prochaine_revision) or 'non fixée'} ; "
             f"au moins un exercice tous les {pl.cycle_exercice_mois} mois.")  # fmt: skip
    out += [Spacer(1, 3 * mm), p(cycle, "CPetit"), PageBreak()]
    return out


def _niveaux(pl: v.PlanV) -> list[Flowable]:
    out: list[Flowable] = []
    for n in pl.niveaux:
        rows = [
            [p("Déclenchement", "CCelluleGras"), p(n.declenchement)],
            [p("Levée", "CCelluleGras"), p(n.levee)],
        ]
        out += [p(n.nom, "CH2"), _grid(rows, [38 * mm, WIDTH - 38 * mm], header=False), Spacer(1, 6 * mm)]
    return out or [p("Aucun niveau défini.")]


def _personne(x: v.PersonneV | None) -> str:
    if x is None:
        return "NON DÉSIGNÉ"
    tel = " — " + _nb(x.tel) if x.tel else ""
    return f"{x.nom}{tel}{'' if x.actif else ' (inactif)'}"


def _cellule(pl: v.PlanV) -> list[Flowable]:
    rows: list[list[Any]] = [_h(["Rôle", "Titulaire", "Suppléants"])]
    bad = []
    for i, r in enumerate(pl.roles, start=1):
        rows.append([p(f"{r.libelle} ({r.code})", "CCelluleGras"), p(_personne(r.titulaire), "CCellule"),
                     p("\n".join(_personne(d) for d in r.suppleants) or "aucun", "CCellule")])  # fmt: skip
        if r.titulaire is None:
            bad.append(("TEXTCOLOR", (1, i), (1, i), st.BAD))
    out: list[Flowable] = [
        p("Composition de la cellule de crise", "CH2"),
        _grid(rows, [58 * mm, 60 * mm, 60 * mm], extra=bad),
    ]
    out.append(p("Missions", "CH3"))
    out += [
        Paragraph(f"<b>{st.esc(r.libelle)}</b> — {st.esc(r.mission)}", styles()["C"])
        for r in pl.roles
        if r.mission
    ]
    return out


def _fiche(f: v.FicheV, scen: dict[str, str]) -> list[Flowable]:
    out: list[Flowable] = [p(f.titre, "CH2")]
    applies = ", ".join(scen.get(c, c) for c in f.scenarios) or "tous les scénarios"
    facts = [("Rôle", f"{f.role_libelle} ({f.role_code})" if f.role_code else "—"), ("Mission", f.mission or "—"),
             ("Rend compte à", f.rend_compte_a or "—"), ("Où se rendre", f.lieu or "—"), ("Scénarios", applies)]  # fmt: skip
    out.append(_grid([[k, _wrap(x, WIDTH - 38 * mm)] for k, x in facts], [38 * mm, WIDTH - 38 * mm], header=False,
                     extra=[("BACKGROUND", (0, 0), (0, -1), st.LIGHT), ("FONTNAME", (0, 0), (0, -1), st.FONT_CONDENSED_BOLD)]))  # fmt: skip
    out += [Spacer(1, 3 * mm), p("Poste tenu par", "CH3")]
    out.append(_grid([_h(["Nom", "Date", "Début", "Fin", "Init."])] + [[""] * 5 for _ in range(2)],
                     [70 * mm, 30 * mm, 26 * mm, 26 * mm, 26 * mm], row_height=9 * mm))  # fmt: skip
    for code, label in rules.PHASES.items():
        tasks = [t for t in f.taches if t.phase == code]
        if not tasks:
            continue
        rows: list[list[Any]] = [_h(["", label, "Qui", "Heure", "Init."])]
        rows += [[CASE, _wrap(t.texte, 105 * mm, st.FONT, 12), t.qui, "", ""] for t in tasks]
        big = [("FONTNAME", (0, 1), (1, -1), st.FONT), ("FONTSIZE", (0, 1), (0, -1), 17), ("FONTSIZE", (1, 1), (1, -1), 12),
               ("LEADING", (1, 1), (1, -1), 15), ("LEADING", (0, 1), (0, -1), 17)]  # fmt: skip
        out += [Spacer(1, 3 * mm), _grid(rows, [11 * mm, 105 * mm, 22 * mm, 20 * mm, 20 * mm], extra=big)]
    if f.documents:
        out += [p("Documents et outils", "CH3"), p(f.documents)]
    return out


def _scenarios(pl: v.PlanV) -> list[Flowable]:
    out: list[Flowable] = []
    for x in pl.scenarios:
        fiches = [f.titre for f in pl.fiches if not f.scenarios or x.code in f.scenarios]
        specific = [f.titre for f in pl.fiches if x.code in f.scenarios]
        title: Flowable = p(f"{x.nom} ({x.code})", "CH3")
        if x.couleur:  # a colour code (Québec): its colour beside its name, as on the wall posters
            title = Table([["", title]], colWidths=[8 * mm, WIDTH - 8 * mm], hAlign="LEFT")
            title.setStyle(TableStyle([("BACKGROUND", (0, 0), (0, 0), colors.HexColor(x.couleur)), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                       ("BOX", (0, 0), (0, 0), 0.5, st.GRID)]))  # fmt: skip
        block: list[Flowable] = [title, p(rules.libelle(rules.FAMILLES_SCENARIO, x.famille), "CPetit")]
        if x.description:
            block.append(p(x.description))
        block.append(
            p(
                f"Fiches réflexes à ouvrir : {len(fiches)} dont {len(specific)} propres à ce scénario.",
                "CPetit",
            )
        )
        block += [p(f"{CASE} {t}", "CCellule") for t in specific]
        out += [KeepTogether(block), Spacer(1, 3 * mm)]
    return out or [p("Aucun scénario défini.")]


def _annuaire(pl: v.PlanV) -> list[Flowable]:
    out: list[Flowable] = []
    for cat, label in rules.CATEGORIES_CONTACT.items():
        cs = [c for c in pl.contacts if c.categorie == cat]
        if not cs:
            continue
        rows: list[list[Any]] = [_h(["Fonction", "Nom / organisme", "Téléphone 24 h/24", "Secours"])]
        rows += [[p(c.fonction, "CCelluleGras"), p(" — ".join(x for x in (c.nom, c.organisme) if x) or "—", "CCellule"),
                  p(_nb(c.tel) or "à compléter", "CTel"), p(_nb(c.tel_secours), "CCellule")] for c in cs]  # fmt: skip
        out += [CondPageBreak(40 * mm), p(label, "CH3"), _grid(rows, [46 * mm, 44 * mm, 58 * mm, 30 * mm])]
    rappel = [c for c in pl.contacts if c.appele_par]
    if rappel:
        out += [CondPageBreak(50 * mm), p("Plan de rappel (qui appelle qui)", "CH2")]
        rows = [_h(["Appelant", "Appelle", "Numéro"])] + [
            [p(c.appele_par, "CCellule"), p(f"{c.fonction} — {c.nom}", "CCellule"), p(c.tel, "CCelluleGras")]
            for c in rappel
        ]
        out.append(_grid(rows, [68 * mm, 68 * mm, 42 * mm]))
    return out or [p("L'annuaire de crise est vide.")]


def _nb(tel: str) -> str:
    """A phone number never wraps: its spaces are non-breaking."""
    return tel.replace(" ", "\u00a0")


def _ressources(pl: v.PlanV) -> list[Flowable]:
    out: list[Flowable] = []
    for code, label in rules.TYPES_RESSOURCE.items():
        rs = [r for r in pl.ressources if r.type_ressource == code]
        if not rs:
            continue
        rows: list[list[Any]] = [_h(["Ressource", "Service", "Quantité", "Localisation"])]
        rows += [[p(r.libelle, "CCellule"), p(r.service, "CCellule"), f"{r.quantite if r.quantite is not None else '—'} {r.unite}".strip(),
                  p(r.localisation, "CCellule")] for r in rs]  # fmt: skip
        out += [p(label, "CH3"), _grid(rows, [62 * mm, 42 * mm, 28 * mm, 46 * mm])]
    return out or [p("Aucune ressource recensée.")]


def _images(annexes: tuple[tuple[str, bytes], ...]) -> list[Flowable]:
    """Each appendix image on a page of its own, as large as the page allows, its name as title."""
    import io

    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image

    out: list[Flowable] = []
    for name, content in annexes:
        try:
            iw, ih = ImageReader(io.BytesIO(content)).getSize()
        except Exception:  # noqa: BLE001 - an unreadable image must never stop the binder
            out += [
                PageBreak(),
                p(name.rsplit(".", 1)[0], "CH2"),
                p("Image illisible : remplacez-la dans la page Crise.", "CPetit"),
            ]
            continue
        room_w, room_h = WIDTH, FRAME_HEIGHT - 40
        scale = min(room_w / iw, room_h / ih)
        out += [
            PageBreak(),
            p(name.rsplit(".", 1)[0], "CH2"),
            Image(io.BytesIO(content), width=iw * scale, height=ih * scale),
        ]
    return out


def _annexes(pl: v.PlanV) -> list[Flowable]:
    out: list[Flowable] = [p("Modèles de messages", "CH2")]
    for m in pl.messages:
        out.append(
            KeepTogether(
                [
                    p(m.titre, "CH3"),
                    p(f"Destinataire : {m.destinataire} · Canal : {m.canal}", "CPetit"),
                    p(m.texte),
                ]
            )
        )
    out += [PageBreak(), p("Point de situation", "CH2")]
    pts = [_h(["Heure", "Situation", "Actions en cours", "Besoins"])] + [[""] * 4 for _ in range(4)]
    out.append(_grid(pts, [22 * mm, 52 * mm, 52 * mm, 52 * mm], row_height=30 * mm))
    out += [PageBreak(), p("Main courante (secours papier)", "CH2")]
    rows = [_h(["Heure", "Catégorie", "Fait, décision, action, message", "Auteur"])] + [
        [""] * 4 for _ in range(18)
    ]
    out.append(_grid(rows, [22 * mm, 28 * mm, 98 * mm, 30 * mm], row_height=11 * mm))
    out += [PageBreak(), p("Levée du dispositif : liste de contrôle", "CH2")]
    checks = ["Décision de levée prise et horodatée", "Services, SAMU et ARS informés", "Lits supplémentaires fermés",
              "Personnel rappelé libéré et heures recensées", "Stocks de crise reconstitués", "Main courante close et éditée",
              "Débriefing à chaud tenu", "RETEX programmé dans le mois"]  # fmt: skip
    out.append(
        _grid([[p(CASE, "CTel"), p(c), ""] for c in checks], [11 * mm, 130 * mm, 37 * mm], header=False)
    )
    return out


def _title(data: v.ClasseurData) -> str:
    return f"Classeur de crise — {data.plan.nom} (v{data.plan.version})"


def build(data: v.ClasseurData, header: ReportHeader | None = None) -> bytes:
    header = header or ReportHeader(
        Letterhead(data.etablissement), issued_at=datetime.combine(data.today, time(12))
    )
    pl = data.plan
    meta = ReportMeta(title=_title(data), etablissement=header.letterhead.etablissement, reference=header.reference,
                      issued_at=header.issued_at, author=header.author, restricted=True, keywords="plan de crise, classeur, fiches réflexes")  # fmt: skip
    scen = {x.code: x.nom for x in pl.scenarios}
    head: list[Flowable] = [*_cover(data, header), *_revisions(pl)]
    story: list[Flowable] = []
    sections: list[tuple[str, str, list[Flowable]]] = [
        ("Niveaux et déclenchement", "Critères de déclenchement et de levée de chaque niveau.", _niveaux(pl)),
        ("Cellule de crise", "Rôles, titulaires et suppléants, missions.", _cellule(pl)),
        ("Fiches réflexes", f"{len(pl.fiches)} fiches, une par page, par rôle et par scénario.", []),
        ("Scénarios", "Les fiches à ouvrir pour chaque scénario.", _scenarios(pl)),
        ("Annuaire de crise", "Numéros 24 h/24 classés par fonction, plan de rappel.", _annuaire(pl)),
        ("Ressources", "Lits libérables, stocks, locaux, matériel.", _ressources(pl)),
        (
            "Annexes",
            "Modèles de messages, point de situation, main courante papier, levée, plans du site.",
            _annexes(pl) + _images(data.annexes),
        ),  # fmt: skip
    ]

    def saut() -> list[Flowable]:
        return page_impaire() if data.recto_verso else [PageBreak()]

    for i, (titre, resume, body) in enumerate(sections, start=1):
        story += [*saut(), Intercalaire(i, titre, resume)]
        if titre == "Fiches réflexes":
            for f in pl.fiches:
                story += [*saut(), *_fiche(f, scen)]
            continue
        story += [*saut(), p(titre, "CSection"), *body]
    story.append(
        signature_slot("Classeur établi à partir du plan enregistré dans l'application.", title="Visa")
    )
    story = [*head, *sommaire(head + story), *story]
    return render(story, pied_de(header, pl.nom, pl.version, pl.diffusion), meta, header.letterhead.logo)


CLASSEUR: ReportKind[v.ClasseurData] = ReportKind(
    "classeur_crise", "Classeur de crise", "CRI",
    title_of=_title,
    build_with=build,
    snapshot_of=v.snapshot,
    params_of=lambda d: {"plan_id": d.plan.id, "version": d.plan.version, "recto_verso": d.recto_verso},
)  # fmt: skip
