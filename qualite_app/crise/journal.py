"""*Main courante* of an activation as a PDF for the ARS report: the activation, every entry in order (a
corrected entry struck through and kept), the points de situation, the ticked tasks. Pure: data → PDF bytes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from qualite_app.crise import donnees as v
from qualite_app.crise import rules
from qualite_app.reports import styles as st
from qualite_app.reports.base import Letterhead, ReportHeader, ReportKind
from qualite_app.reports.templates import house_meta, render, signature_slot, title_block


def _para(text: str, style: str = "Cellule") -> Paragraph:
    return Paragraph(text, st.stylesheet()[style])


def _fmt(d: datetime | None) -> str:
    return f"{d:%d/%m/%Y %H:%M:%S}" if d else "—"


def _title(data: v.JournalData) -> str:
    a = data.activation
    return f"Main courante — {a.plan} — activation du {a.declenchee_le:%d/%m/%Y %H:%M}"


def build(data: v.JournalData, header: ReportHeader | None = None) -> bytes:
    a = data.activation
    header = header or ReportHeader(Letterhead(data.etablissement), issued_at=a.levee_le or a.declenchee_le)
    meta = house_meta(header, _title(data), subtitle=("Exercice" if a.exercice else "Activation réelle") + f" · {a.niveau or 'niveau non précisé'}",
                      restricted=True, keywords="main courante, crise, ARS")  # fmt: skip
    ss = st.stylesheet()
    story: list[Flowable] = [*title_block(meta)]
    facts = [("Plan", f"{a.plan} (version {a.version})"), ("Niveau", a.niveau or "—"), ("Scénario", a.scenario or "—"),
             ("Événement déclencheur", a.declencheur), ("Déclenchement", f"{_fmt(a.declenchee_le)}, décidé par {a.decidee_par}"),
             ("Levée", f"{_fmt(a.levee_le)}, décidée par {a.levee_par}" + (f" — {a.motif_levee}" if a.motif_levee else "") if a.levee_le else "en cours")]  # fmt: skip
    t = Table(
        [[_para(st.esc(k), "CelluleGras"), _para(st.esc(x))] for k, x in facts], colWidths=[42 * mm, 132 * mm]
    )
    t.setStyle(
        TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.3, st.GRID), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    story += [t, Spacer(1, 5 * mm), Paragraph(f"Journal ({len(data.entrees)} entrées)", ss["H1"])]
    rows: list[list[Any]] = [["N°", "Heure", "Catégorie", "Auteur", "Texte"]]
    grey: list[tuple[Any, ...]] = []
    for i, e in enumerate(data.entrees, start=1):
        body = st.esc(e.texte)
        if e.barree_par:
            body = f"<strike>{body}</strike> <i>(corrigée par l'entrée n° {e.barree_par})</i>"
            grey.append(("TEXTCOLOR", (0, i), (-1, i), st.GREY))
        if e.corrige_numero:
            body = f"<b>Corrige l'entrée n° {e.corrige_numero} :</b> {body}"
        if e.role_code:
            body = f"[{st.esc(e.role_code)}] {body}"
        rows.append([str(e.numero), f"{e.horodatage:%d/%m %H:%M:%S}", rules.libelle(rules.CATEGORIES_ENTREE, e.categorie),
                     _para(st.esc(e.auteur)), _para(body)])  # fmt: skip
    log = Table(rows, colWidths=[10 * mm, 24 * mm, 24 * mm, 28 * mm, 88 * mm], repeatRows=1)
    log.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), st.NAVY), ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("FONTNAME", (0, 0), (-1, -1), st.FONT_CONDENSED), ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.3, st.GRID),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, st.LIGHT]), *grey,
    ]))  # fmt: skip
    story.append(log)
    points = [e for e in data.entrees if e.categorie == "point"]
    if points:
        story.append(Paragraph("Points de situation", ss["H1"]))
        for e in points:
            story.append(Paragraph(f"Point n° {e.numero} — {e.horodatage:%d/%m/%Y %H:%M}", ss["H3"]))
            for k, x in (
                ("Situation", e.conditions),
                ("Actions en cours", e.actions),
                ("Besoins", e.besoins),
            ):
                story.append(_para(f"<b>{k} :</b> {st.esc(x or '—')}", "Corps"))
    if data.coches:
        story.append(Paragraph(f"Tâches des fiches réflexes cochées ({len(data.coches)})", ss["H1"]))
        rows = [["Rôle", "Tâche", "Cochée le", "Par"]] + [
            [_para(st.esc(r)), _para(st.esc(t)), f"{w:%d/%m %H:%M}", _para(st.esc(b))]
            for r, t, w, b in data.coches
        ]
        ct = Table(rows, colWidths=[40 * mm, 86 * mm, 22 * mm, 26 * mm], repeatRows=1)
        ct.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), st.NAVY), ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                                ("FONTSIZE", (0, 0), (-1, -1), 8), ("GRID", (0, 0), (-1, -1), 0.3, st.GRID), ("VALIGN", (0, 0), (-1, -1), "TOP")]))  # fmt: skip
        story.append(ct)
    story.append(
        signature_slot(
            "Main courante close et certifiée conforme au journal enregistré.", title="Certification"
        )
    )
    return render(meta, story)


MAIN_COURANTE: ReportKind[v.JournalData] = ReportKind(
    "main_courante", "Main courante de crise", "MC",
    title_of=_title,
    build_with=build,
    snapshot_of=v.snapshot,
    params_of=lambda d: {"activation_id": d.activation.id, "plan": d.activation.plan, "entrees": len(d.entrees)},
)  # fmt: skip
