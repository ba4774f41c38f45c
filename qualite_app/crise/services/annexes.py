"""Appendices of the binder: site maps, patient flows, floor plans — images (PNG, JPEG) stored once in the
base (content-addressed blobs) and linked to the plan; the binder prints each on a page of its own."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from qualite_app.crise.models import CrisePlan
from qualite_app.errors import UserError
from qualite_app.storage.database import Database
from qualite_app.storage.tables import Blob, Lien

NATURE_ANNEXE = "annexe du classeur"
#: a site map scanned at 300 dpi stays well under this
TAILLE_MAX = 20 * 1024 * 1024


@dataclass(frozen=True)
class AnnexeRow:
    lien_id: int
    blob_id: int
    nom: str
    taille: int


def _format(content: bytes) -> str | None:
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def ajouter_annexe(db: Database, plan_id: int, content: bytes, name: str) -> int:
    """Store the image and link it to the plan; returns the link's id."""
    from qualite_app.crise.services.exercices import PLAN_TYPE
    from qualite_app.socle import blobs, liens

    mime = _format(content)
    if mime is None:
        raise UserError(
            f"« {name} » n'est pas une image PNG ou JPEG : enregistrez le plan du site dans l'un de ces formats."
        )
    if len(content) > TAILLE_MAX:
        raise UserError(
            f"« {name} » dépasse {TAILLE_MAX // (1024 * 1024)} Mo : réduisez l'image avant de l'ajouter au classeur."
        )
    with db.unit_of_work() as s:
        if s.get(CrisePlan, plan_id) is None:
            raise UserError("Ce plan n'existe plus.")
        blob = blobs.put(s, content, name, mime)
        return liens.link(s, PLAN_TYPE, plan_id, "blob", blob.id, NATURE_ANNEXE).id


def _query(plan_id: int):  # type: ignore[no-untyped-def]
    from qualite_app.crise.services.exercices import PLAN_TYPE

    return (
        select(Lien.id, Blob.id, Blob.nom, Blob.taille, Blob.contenu)
        .join(Blob, Blob.id == Lien.cible_id)
        .where(
            Lien.source_type == PLAN_TYPE,
            Lien.source_id == plan_id,
            Lien.cible_type == "blob",
            Lien.nature == NATURE_ANNEXE,
        )
        .order_by(Lien.id)
    )


def annexes(db: Database, plan_id: int) -> list[AnnexeRow]:
    with db.session() as s:
        return [AnnexeRow(lid, bid, nom, taille) for lid, bid, nom, taille, _c in s.execute(_query(plan_id))]


def contenus_annexes(db: Database, plan_id: int) -> list[tuple[str, bytes]]:
    """(file name, image bytes) of each appendix, in the order they were added (for the binder)."""
    with db.session() as s:
        return [(nom, bytes(c)) for _l, _b, nom, _t, c in s.execute(_query(plan_id))]


def retirer_annexe(db: Database, lien_id: int) -> None:
    """Unlink the appendix from the plan (the file stays in the base: a signed binder may print it)."""
    with db.unit_of_work() as s:
        lien = s.get(Lien, lien_id)
        if lien is not None and lien.nature == NATURE_ANNEXE:
            s.delete(lien)
