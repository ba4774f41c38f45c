"""Around an action: comments, evidence files (deduplicated blobs), links to other items
(another action, an indicator) and the actions an indicator follows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select

from qualite_app.errors import UserError, ValidationError
from qualite_app.paqss.models import PaqssAction, PaqssCommentaire
from qualite_app.paqss.services.liste import action_id_by_reference
from qualite_app.storage.database import Database
from qualite_app.storage.tables import Blob, Lien

ACTION_TYPE = "paqss_action"
NATURE_PREUVE = "preuve"


@dataclass(frozen=True)
class CommentaireRow:
    id: int
    auteur: str
    texte: str
    cree_le: datetime


@dataclass(frozen=True)
class PreuveRow:
    lien_id: int
    blob_id: int
    nom: str
    taille: int
    ajoute_le: datetime


def add_comment(db: Database, action_id: int, texte: str, auteur: str | None = None) -> int:
    if not texte.strip():
        raise ValidationError({"commentaire": "Le commentaire est vide."})
    with db.unit_of_work() as s:
        a = s.get(PaqssAction, action_id)
        if a is None:
            raise UserError("Cette action n'existe plus.")
        c = PaqssCommentaire(action=a, texte=texte.strip(), auteur=auteur or str(db.actor))
        s.add(c)
        s.flush()
        return c.id


def comments(db: Database, action_id: int) -> list[CommentaireRow]:
    with db.session() as s:
        q = select(
            PaqssCommentaire.id, PaqssCommentaire.auteur, PaqssCommentaire.texte, PaqssCommentaire.cree_le
        )
        return [
            CommentaireRow(*r)
            for r in s.execute(q.where(PaqssCommentaire.action_id == action_id).order_by(PaqssCommentaire.id))
        ]


MAX_PREUVE = 200 * 1024 * 1024


def check_preuve(name: str, content: bytes) -> None:
    if not content:
        raise UserError(f"« {name} » est vide : rien n'a été enregistré.")
    if len(content) > MAX_PREUVE:
        raise UserError(
            f"« {name} » dépasse {MAX_PREUVE // (1024 * 1024)} Mo : déposez un fichier plus léger. "
            "Rien n'a été enregistré."
        )


def add_evidence(db: Database, action_id: int, content: bytes, name: str) -> int:
    """Store a file (deduplicated by SHA-256) and link it to the action as evidence."""
    from qualite_app.socle import blobs
    from qualite_app.socle import liens as links

    check_preuve(name, content)
    with db.unit_of_work() as s:
        if s.get(PaqssAction, action_id) is None:
            raise UserError("Cette action n'existe plus.")
        blob = blobs.put(s, content, name)
        return links.link(s, ACTION_TYPE, action_id, "blob", blob.id, NATURE_PREUVE).id


def evidence(db: Database, action_id: int) -> list[PreuveRow]:
    with db.session() as s:
        q = (
            select(Lien.id, Blob.id, Blob.nom, Blob.taille, Lien.cree_le)
            .join(Blob, Blob.id == Lien.cible_id)
            .where(
                Lien.source_type == ACTION_TYPE,
                Lien.source_id == action_id,
                Lien.cible_type == "blob",
                Lien.nature == NATURE_PREUVE,
            )
            .order_by(Lien.id)
        )
        return [PreuveRow(*r) for r in s.execute(q)]


def remove_evidence(db: Database, lien_id: int) -> None:
    from qualite_app.socle import liens as links

    links.unlink(db, lien_id)


def link_item(db: Database, action_id: int, other_type: str, other_id: int, nature: str = "lié à") -> int:
    from qualite_app.socle import liens as links

    with db.unit_of_work() as s:
        if s.get(PaqssAction, action_id) is None:
            raise UserError("Cette action n'existe plus.")
        return links.link(s, ACTION_TYPE, action_id, other_type, other_id, nature).id


@dataclass(frozen=True)
class LienRow:
    lien_id: int
    nature: str
    type: str
    id: int
    libelle: str


def links(db: Database, action_id: int) -> list[LienRow]:
    """The action's links (evidence files apart), each named by the linked item's own label."""
    from qualite_app.socle import liens as links_service
    from qualite_app.storage.base import Base

    kinds = {m.local_table.name: m.class_ for m in Base.registry.mappers}  # type: ignore[attr-defined]
    out = []
    with db.session() as s:
        for lk in links_service.links_of(db, ACTION_TYPE, action_id):
            if lk.other_type == "blob" and lk.nature == NATURE_PREUVE:
                continue
            model = kinds.get(lk.other_type)
            obj = s.get(model, lk.other_id) if model is not None else None
            kind = getattr(model, "__audit_type__", None) or lk.other_type
            label = obj.audit_label() if obj is not None else f"n° {lk.other_id} (introuvable)"
            out.append(LienRow(lk.id, lk.nature, str(kind), lk.other_id, label))
    return out


def link_to_reference(db: Database, action_id: int, reference: str) -> int:
    """Link two actions of the programme (e.g. an action and the one it continues)."""
    other = action_id_by_reference(db, reference)
    if other is None:
        raise UserError(f"Aucune action n'a la référence « {reference.strip()} ».")
    if other == action_id:
        raise UserError("Une action ne peut pas être liée à elle-même.")
    return link_item(db, action_id, ACTION_TYPE, other)


def link_indicator(db: Database, action_id: int, indicateur_id: int) -> int:
    return link_item(db, action_id, "indicateur", indicateur_id, "suivie par l'indicateur")


def actions_for_indicator(db: Database, indicateur_id: int) -> list[tuple[str, str, date | None]]:
    """(reference, titre, date_debut) of the actions linked to an indicator, in either direction."""
    a = PaqssAction
    fwd = select(Lien.source_id).where(
        Lien.source_type == ACTION_TYPE, Lien.cible_type == "indicateur", Lien.cible_id == indicateur_id
    )
    back = select(Lien.cible_id).where(
        Lien.cible_type == ACTION_TYPE, Lien.source_type == "indicateur", Lien.source_id == indicateur_id
    )
    q = (
        select(a.reference, a.titre, a.date_debut)
        .where(or_(a.id.in_(fwd), a.id.in_(back)))
        .order_by(a.date_debut, a.reference)
    )
    with db.session() as s:
        return [(r, t, d) for r, t, d in s.execute(q)]
