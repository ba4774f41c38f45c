"""The printable part 1 or part 2 of an EIGS declaration, laid out in the order of the national form's
headings (arrêté of 19 December 2017) so each block can be pasted into the portal. Pure: data → PDF bytes."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from qualite_app.reports import styles as st
from qualite_app.reports.base import Letterhead, ReportHeader, ReportKind
from qualite_app.reports.templates import house_meta, render, signature_slot, title_block


@dataclass
class FicheEigsData:
    etablissement: str
    reference: str
    partie: int
    today: date
    survenu_le: datetime
    connaissance_le: date
    echeance: date
    envoyee_le: date | None
    service: str
    type_evenement: str
    gravite: str
    informe: str
    rubriques: list[tuple[str, str]]  # (heading, text) in the form's order


def _title(data: FicheEigsData) -> str:
    return f"Déclaration d'EIGS — partie {data.partie} — {data.reference}"


def build(data: FicheEigsData, header: ReportHeader | None = None) -> bytes:
    header = header or ReportHeader(
        Letterhead(data.etablissement), issued_at=datetime.combine(data.today, time(12))
    )
    ss = st.stylesheet()
    delai = "sans délai" if data.partie == 1 else "dans les trois mois suivant la partie 1"
    meta = house_meta(header, _title(data), subtitle=f"Partie à transmettre {delai} · échéance le {data.echeance:%d/%m/%Y}",
                      restricted=True, keywords="EIGS, déclaration, signalement")  # fmt: skip
    facts = [
        ("Événement", data.reference), ("Survenu le", st.fr_date(data.survenu_le)),
        ("Connu de l'établissement le", st.fr_date(data.connaissance_le)), ("Lieu (service)", data.service or "—"),
        ("Type", data.type_evenement), ("Gravité", data.gravite or "—"), ("Patient / proches informés", data.informe),
        ("Partie envoyée le", st.fr_date(data.envoyee_le) or "pas encore envoyée"),
    ]  # fmt: skip
    t = Table([[Paragraph(st.esc(k), ss["CelluleGras"]), Paragraph(st.esc(v), ss["Cellule"])] for k, v in facts],
              colWidths=[55 * mm, 115 * mm])  # fmt: skip
    t.setStyle(
        TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.3, st.GRID), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    story: list[Flowable] = [*title_block(meta), t, Spacer(1, 5 * mm)]
    story.append(Paragraph(f"Contenu de la partie {data.partie}", ss["H1"]))
    for heading, text in data.rubriques:
        story.append(Paragraph(st.esc(heading), ss["H2"]))
        story.append(Paragraph(st.esc(text) if text else "<i>À compléter.</i>", ss["Corps"]))
    story.append(Spacer(1, 5 * mm))
    story.append(Paragraph(st.esc("Rappel : la déclaration est anonyme pour le patient ; n'y reportez ni nom, ni date de "
                                  "naissance, ni numéro de dossier."), ss["Petit"]))  # fmt: skip
    story.append(signature_slot("Déclaration préparée par la direction qualité.", title="Visa"))
    return render(meta, story)


def snapshot_of(data: FicheEigsData) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date | datetime) else v) for k, v in asdict(data).items()}


FICHE_EIGS: ReportKind[FicheEigsData] = ReportKind(
    "eigs", "Déclaration d'EIGS (partie 1 ou 2)", "EIGS",
    title_of=_title,
    build_with=build,
    snapshot_of=snapshot_of,
    params_of=lambda data: {"evenement": data.reference, "partie": data.partie},
)  # fmt: skip
