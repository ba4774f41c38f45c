"""Reading the audit journal (it is written by the session, never edited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_, select

from qualite_app.models import JournalAudit
from qualite_app.storage.database import Database


@dataclass(frozen=True)
class JournalRow:
    id: int
    horodatage: datetime
    utilisateur: str
    action: str
    entite_type: str
    entite_libelle: str
    champ: str
    ancienne_valeur: str
    nouvelle_valeur: str


def _utc_bounds(du: date | None, au: date | None) -> tuple[datetime | None, datetime | None]:
    """Local calendar days → UTC datetimes (the journal stores UTC)."""
    offset = datetime.now().astimezone().utcoffset() or timedelta(0)
    lo = datetime.combine(du, time.min) - offset if du else None
    hi = datetime.combine(au + timedelta(days=1), time.min) - offset if au else None
    return lo, hi


def list_entries(
    db: Database,
    *,
    du: date | None = None,
    au: date | None = None,
    entite_type: str | None = None,
    utilisateur: str | None = None,
    texte: str = "",
    entite_table: str | None = None,
    entite_id: int | None = None,
    limite: int = 5000,
) -> list[JournalRow]:
    j = JournalAudit
    q = select(
        j.id,
        j.horodatage,
        j.utilisateur_os,
        j.utilisateur_nom,
        j.action,
        j.entite_type,
        j.entite_libelle,
        j.champ,
        func.coalesce(j.ancienne_valeur, ""),
        func.coalesce(j.nouvelle_valeur, ""),
    )
    lo, hi = _utc_bounds(du, au)
    if lo is not None:
        q = q.where(j.horodatage >= lo)
    if hi is not None:
        q = q.where(j.horodatage < hi)
    if entite_type:
        q = q.where(j.entite_type == entite_type)
    if entite_table:
        q = q.where(j.entite_table == entite_table)
    if entite_id is not None:
        q = q.where(j.entite_id == entite_id)
    if utilisateur:
        q = q.where(or_(j.utilisateur_os == utilisateur, j.utilisateur_nom == utilisateur))
    if texte:
        like = f"%{texte}%"
        q = q.where(or_(j.entite_libelle.ilike(like), j.champ.ilike(like), j.ancienne_valeur.ilike(like), j.nouvelle_valeur.ilike(like)))
    q = q.order_by(j.id.desc()).limit(limite)
    offset = datetime.now().astimezone().utcoffset() or timedelta(0)
    with db.session() as s:
        return [
            JournalRow(
                id=r[0],
                horodatage=r[1] + offset,
                utilisateur=f"{r[3]} ({r[2]})" if r[3] else r[2],
                action=r[4],
                entite_type=r[5],
                entite_libelle=r[6],
                champ=r[7],
                ancienne_valeur=r[8],
                nouvelle_valeur=r[9],
            )
            for r in s.execute(q)
        ]


def entity_types(db: Database) -> list[str]:
    with db.session() as s:
        return [t for t in s.scalars(select(JournalAudit.entite_type).distinct().order_by(JournalAudit.entite_type))]


def users(db: Database) -> list[str]:
    with db.session() as s:
        return [u for u in s.scalars(select(JournalAudit.utilisateur_os).distinct().order_by(JournalAudit.utilisateur_os))]
