"""The note d'information to the chef d'établissement: check, preview, issue (through the register), correct."""

from __future__ import annotations

from datetime import datetime

from qualite_app.errors import UserError
from qualite_app.rapports.note import NOTE, NoteData
from qualite_app.rapports.registre import DEFAULT_REASON, RapportEmisRow, apercu, emettre, get
from qualite_app.storage.database import Database


def valider_note(note: NoteData) -> NoteData:
    from qualite_app.rapports.note import CATEGORIES
    from qualite_app.rules.checker import Checker

    c = Checker()

    def required(value: str, label: str) -> str:
        if not (value or "").strip():
            raise ValueError(f"{label} est obligatoire.")
        return value.strip()

    def category(value: str) -> str:
        if value not in CATEGORIES:
            raise ValueError(f"Catégorie inconnue « {value} » : choisissez parmi {', '.join(CATEGORIES)}.")
        return value

    c.check("sujet", required, note.sujet, "Le sujet")
    c.check("categorie", category, note.categorie)
    c.check("faits", required, note.faits, "L'exposé des faits")
    c.raise_if_any()
    return note


def generer_note(db: Database, note: NoteData, *, reference: str | None = None) -> bytes:
    """The note's PDF as it will be issued (preview; nothing is written)."""
    return apercu(db, NOTE, valider_note(note), reference=reference)


def emettre_note(
    db: Database,
    note: NoteData,
    *,
    identity: str | None = None,
    password: str | None = None,
    replaces: int | None = None,
    reason: str = DEFAULT_REASON,
) -> RapportEmisRow:
    return emettre(db, NOTE, valider_note(note), identity=identity, password=password, replaces=replaces, reason=reason)


def note_depuis_registre(db: Database, rapport_id: int) -> NoteData:
    """The data of an issued note, to prepare its correction (a new note that replaces it)."""
    from qualite_app.rapports.note import KIND

    r = get(db, rapport_id)
    if r.kind != KIND or not r.snapshot:
        raise UserError(f"Le rapport {r.reference} n'est pas une note d'information : il se corrige depuis sa propre zone.")
    d = dict(r.snapshot)
    when = d.get("survenu_le")
    return NoteData(
        sujet=str(d.get("sujet", "")),
        categorie=str(d.get("categorie", "autre")),
        faits=str(d.get("faits", "")),
        survenu_le=datetime.fromisoformat(when) if when else None,
        mesures=str(d.get("mesures", "")),
        decisions=str(d.get("decisions", "")),
        personnes_informees=str(d.get("personnes_informees", "")),
        pieces_jointes=[str(x) for x in d.get("pieces_jointes", [])],
        restreinte=bool(d.get("restreinte", True)),
    )
