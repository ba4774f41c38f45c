"""One declarative base: typed columns, shared id and timestamps, naming convention for Alembic."""

from __future__ import annotations

from collections.abc import Callable
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
    #: the global search (storage/index.py): (reference column, title column, other text columns) of the
    #: item; None = not searched. The index row is written at flush, in the same transaction.
    __recherche__: ClassVar[tuple[str | None, str, tuple[str, ...]] | None] = None

    def audit_label(self) -> str:
        """Human label of this item in the journal."""
        return str(getattr(self, "id", ""))

    def recherche_entree(self) -> tuple[str, str, str] | None:
        """(reference, title, other text) under which the global search finds this item, from the columns
        named by ``__recherche__``; None: not found (a model overrides it to leave some rows out)."""
        return entree_declaree(type(self).__recherche__, lambda c: getattr(self, c, None))


def entree_declaree(
    decl: tuple[str | None, str, tuple[str, ...]] | None, valeur: Callable[[str], Any]
) -> tuple[str, str, str] | None:
    """(reference, title, other text) from a ``__recherche__`` declaration and a column reader (an object's
    attribute, a bulk-inserted row's value)."""
    if decl is None:
        return None
    ref, titre, textes = decl
    return (
        str(valeur(ref) or "") if ref else "",
        str(valeur(titre) or ""),
        " ".join(str(v) for c in textes if (v := valeur(c))),
    )


class Timestamped:
    id: Mapped[int] = mapped_column(primary_key=True)
    cree_le: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    modifie_le: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
