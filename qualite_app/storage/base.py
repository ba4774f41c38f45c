"""One declarative base: typed columns, shared id and timestamps, naming convention for Alembic."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, Integer, MetaData, inspect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

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


class _Verrou:
    """Optimistic locking of a row a user edits through a form: the counter is incremented by every UPDATE and
    the UPDATE says ``WHERE <counter> = <the one read>`` (SQLAlchemy's ``version_id_col``), so two transactions
    saving the same row at once cannot both win. The services compare it with the version the form loaded
    (``socle.versions.verifier_version``). Never journaled (a technical counter). Put it first in the bases:
    ``class Risque(Versionne, Timestamped, Base)``. No Python default: the ORM writes 1 on INSERT itself, and
    the bulk inserts of the imports (Core, compiled once for thousands of rows) leave it to the server default."""

    _verrou_: ClassVar[str]

    def __init_subclass__(cls, **kw: Any) -> None:
        if hasattr(cls, "__audit_skip__"):  # a model (not the mixins themselves)
            cls.__audit_skip__ = cls.__audit_skip__ | {cls._verrou_}  # type: ignore[attr-defined]
        super().__init_subclass__(**kw)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c[cls._verrou_]}  # type: ignore[attr-defined]


class Versionne(_Verrou):
    """The row's version in ``version``."""

    _verrou_ = "version"
    version: Mapped[int] = mapped_column(Integer, server_default="1")


class VersionneLigne(_Verrou):
    """The row's version in ``version_ligne``, for a model whose ``version`` is a business field (the crisis
    plan's « version 3 », an evidence file's version)."""

    _verrou_ = "version_ligne"
    version_ligne: Mapped[int] = mapped_column(Integer, server_default="1")


def version_key(model: type[Any]) -> str | None:
    """The attribute holding a model's row version (optimistic locking), or None when it has none."""
    mapper = inspect(model)
    col = mapper.version_id_col
    return None if col is None else mapper.get_property_by_column(col).key
