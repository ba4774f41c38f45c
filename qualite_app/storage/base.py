"""One declarative base: typed columns, shared id and timestamps, naming convention for Alembic."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)

    #: French name of the item kind shown in the journal; None = not journaled.
    __audit_type__: ClassVar[str | None] = None
    #: column name -> French field label shown in the journal.
    __audit_fields__: ClassVar[dict[str, str]] = {}
    #: the foreign key naming the item this one belongs to (a milestone's ``action_id``): its journal
    #: lines carry that parent, so the parent's history lists them (never found by matching a label).
    __audit_parent__: ClassVar[str | None] = None
    #: column name -> {stored code: label}: how the journal reader shows a coded value (« Réalisée », not « realisee »).
    __audit_values__: ClassVar[dict[str, dict[Any, str]]] = {}
    #: columns never journaled (contents, technical timestamps).
    __audit_skip__: ClassVar[frozenset[str]] = frozenset({"id", "cree_le", "modifie_le"})

    def audit_label(self) -> str:
        """Human label of this item in the journal."""
        return str(getattr(self, "id", ""))


class Timestamped:
    id: Mapped[int] = mapped_column(primary_key=True)
    cree_le: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    modifie_le: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
