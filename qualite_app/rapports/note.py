"""*Note d'information au chef d'établissement*: data → PDF bytes (pure, deterministic for a given input)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from qualite_app.reports.base import ReportHeader, ReportKind

#: category key → label shown in the form and the PDF
CATEGORIES: dict[str, str] = {
    "eig": "Événement indésirable grave",
    "continuite": "Risque pour la continuité des soins",
    "sanitaire": "Risque sanitaire",
    "inspection": "Inspection / contrôle",
    "crise": "Crise",
    "autre": "Autre",
}

KIND = "note_information"
TITLE = "Note d'information au chef d'établissement"


@dataclass
class NoteData:
    sujet: str
    categorie: str  # key of CATEGORIES
    faits: str
    survenu_le: datetime | None = None
    mesures: str = ""
    decisions: str = ""
    personnes_informees: str = ""
    pieces_jointes: list[str] = field(default_factory=list)
    restreinte: bool = True

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["survenu_le"] = self.survenu_le.isoformat(timespec="minutes") if self.survenu_le else None
        return d


def categorie_label(key: str) -> str:
    return CATEGORIES.get(key, key)




def build_note(note: NoteData, header: ReportHeader) -> bytes:
    from reportlab.lib.units import mm
    from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

    from qualite_app.reports import styles as st
    from qualite_app.reports import templates as tpl

    ss = st.stylesheet()
    meta = tpl.house_meta(
        header, TITLE, subtitle=note.sujet, restricted=note.restreinte, keywords=f"note d'information; {categorie_label(note.categorie)}"
    )
    story: list[Flowable] = list(tpl.title_block(meta))

    # the facts at a glance
    quand = st.fr_date(note.survenu_le) if note.survenu_le else "—"
    glance = Table(
        [
            [Paragraph("Catégorie", ss["EnTeteTableau"]), Paragraph("Date et heure des faits", ss["EnTeteTableau"])],
            [Paragraph(st.esc(categorie_label(note.categorie)), ss["CelluleGras"]), Paragraph(st.esc(quand), ss["Cellule"])],
        ],
        colWidths=[100 * mm, 74 * mm],
        hAlign="LEFT",
    )
    glance.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), st.NAVY),
                ("GRID", (0, 0), (-1, -1), 0.5, st.GRID),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    story += [glance, Spacer(1, 4 * mm)]

    sections = [
        ("Faits", note.faits),
        ("Mesures immédiates prises", note.mesures),
        ("Décisions demandées au chef d'établissement", note.decisions),
        ("Personnes et autorités informées", note.personnes_informees),
    ]
    n = 0
    for title, text in sections:
        n += 1
        story.append(Paragraph(f"{n}. {st.esc(title)}", ss["H1"]))
        body = text.strip() if text else ""
        if not body:
            story.append(Paragraph("Néant.", ss["Petit"]))
            continue
        for para in _paragraphs(body):
            story.append(Paragraph(st.esc(para), ss["Corps"]))
            story.append(Spacer(1, 1.5 * mm))
    n += 1
    story.append(Paragraph(f"{n}. Pièces jointes", ss["H1"]))
    if note.pieces_jointes:
        for pj in note.pieces_jointes:
            story.append(Paragraph(st.esc(pj), ss["Puce"], bulletText="•"))
    else:
        story.append(Paragraph("Aucune.", ss["Petit"]))

    story.append(Spacer(1, 4 * mm))
    visa = ", ".join(x for x in (header.author, header.author_function) if x)
    # the « Visa » band keeps the bottom of the last page free for the visible signature block
    story.append(tpl.signature_slot(f"Note établie par {visa}." if visa else "Note établie par la direction qualité.", title="Visa"))
    return tpl.render(meta, story)


def _paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; single line breaks are kept inside a paragraph."""
    return [p.strip("\n") for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


#: the note in the register: kind ``note_information``, references NI-2026-0001
NOTE: ReportKind[NoteData] = ReportKind(
    KIND, "Note d'information", "NI",
    title_of=lambda note: f"{TITLE} — {note.sujet.strip()}",
    build_with=build_note,
    snapshot_of=NoteData.as_dict,
    params_of=lambda note: {"categorie": categorie_label(note.categorie), "restreinte": note.restreinte},
)  # fmt: skip
