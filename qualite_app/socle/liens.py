"""Generic links between any two items; both directions are read back."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from qualite_app.storage.database import Database
from qualite_app.storage.tables import Lien


@dataclass(frozen=True)
class LinkRow:
    id: int
    other_type: str
    other_id: int
    nature: str


def existing(session: Session, a_type: str, a_id: int, b_type: str, b_id: int) -> Lien | None:
    """The link between two items, whichever its direction."""
    return session.scalar(
        select(Lien)
        .where(
            or_(
                and_(
                    Lien.source_type == a_type,
                    Lien.source_id == a_id,
                    Lien.cible_type == b_type,
                    Lien.cible_id == b_id,
                ),
                and_(
                    Lien.source_type == b_type,
                    Lien.source_id == b_id,
                    Lien.cible_type == a_type,
                    Lien.cible_id == a_id,
                ),
            )
        )
        .limit(1)
    )


def link(session: Session, a_type: str, a_id: int, b_type: str, b_id: int, nature: str = "lié à") -> Lien:
    """The link between two items, created if there is none yet (either direction counts)."""
    existing_ = existing(session, a_type, a_id, b_type, b_id)
    if existing_ is not None:
        return existing_
    lien = Lien(source_type=a_type, source_id=a_id, cible_type=b_type, cible_id=b_id, nature=nature)
    session.add(lien)
    session.flush()
    return lien


def links_of(db: Database, item_type: str, item_id: int) -> list[LinkRow]:
    with db.session() as s:
        rows = s.scalars(
            select(Lien).where(
                or_(
                    and_(Lien.source_type == item_type, Lien.source_id == item_id),
                    and_(Lien.cible_type == item_type, Lien.cible_id == item_id),
                )
            )
        ).all()
        out = []
        for r in rows:
            if r.source_type == item_type and r.source_id == item_id:
                out.append(LinkRow(r.id, r.cible_type, r.cible_id, r.nature))
            else:
                out.append(LinkRow(r.id, r.source_type, r.source_id, r.nature))
        return out


def unlink(db: Database, link_id: int) -> None:
    with db.unit_of_work() as s:
        lien = s.get(Lien, link_id)
        if lien is not None:
            s.delete(lien)
