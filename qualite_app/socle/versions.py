"""Optimistic locking of the items a user edits through a form (issue 13: two people editing the same item).

A form loads an item with its row version and the moment it was loaded (``Edition``, carried by the area's
data class). Its save goes through the area's service, which calls ``verifier_version``: when someone else
saved the item meanwhile, nothing is written and ``ConflitEdition`` lists what they changed (from the
journal); the user then reapplies his changes over theirs (the same service again with ``ecraser=True``) or
discards them (the form reloads). Never a silent overwrite. The race between this check and the UPDATE is
closed by the column itself (``storage.base.Versionne``: ``UPDATE … WHERE version = <read>``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from qualite_app.errors import ConflitEdition
from qualite_app.storage.base import utcnow, version_key


@dataclass
class Edition:
    """What a form opened: the row version and when (UTC). Keyword-only fields, so that every area's data
    class can inherit them after its own (``@dataclass class PersonneData(Edition)``). None: not checked
    (a creation, a script, an import)."""

    version_ligne: int | None = field(default=None, kw_only=True)
    charge_le: datetime | None = field(default=None, kw_only=True)

    def edition(self) -> dict[str, Any]:
        """What the form opened, to carry over to the data it saves: ``Data(..., **ouverte.edition())``."""
        return {"version_ligne": self.version_ligne, "charge_le": self.charge_le}


def champs(data_class: type[Any]) -> list[str]:
    """The fields of a data class that are the item's own (not the ``Edition`` ones)."""
    return [f.name for f in fields(data_class) if f.name not in ("version_ligne", "charge_le", "lu")]


def edition_de(obj: Any) -> dict[str, Any]:
    """``version_ligne`` and ``charge_le`` of an item being loaded into a form: ``Data(..., **edition_de(obj))``."""
    key = version_key(type(obj))
    return {"version_ligne": getattr(obj, key) if key else None, "charge_le": utcnow()}


def edition(db: Any, table: str, ident: int | None) -> dict[str, Any]:
    """``version_ligne`` and ``charge_le`` of one row, for a form filled from a list's row rather than from a
    ``get_*`` (a crisis contact picked in the directory table): ``Data(..., **versions.edition(db, "crise_contact",
    id))``. Empty for a new item or a row gone."""
    from qualite_app.storage.base import Base

    if ident is None:
        return {}
    model = next(
        (m.class_ for m in Base.registry.mappers if getattr(m.class_, "__tablename__", None) == table), None
    )
    if model is None:
        raise ValueError(f"table inconnue : {table}")
    with db.session() as s:
        obj = s.get(model, ident)
        return edition_de(obj) if obj is not None else {}


def verifier_version(
    s: Session,
    obj: Any,
    version_attendue: int | None,
    charge_le: datetime | None,
    *,
    ecraser: bool = False,
    libelle: str,
    feminin: bool = False,
) -> None:
    """Refuse (``ConflitEdition``) the save of ``obj`` when its row version is no longer the one the form
    opened (``version_attendue``), unless ``ecraser`` (the user chose to reapply his changes). ``libelle`` is
    the item as the sentence names it (« Le risque R-2026-004 », « La personne Hélène BRÉVANNE »),
    ``feminin`` agrees the participle. Once accepted, the row's version is incremented even if only its parts
    change (a fiche's tasks, an indicator's targets): whoever opened it before will be told."""
    key = version_key(type(obj))
    if key is None or getattr(obj, "id", None) is None:
        return
    actuelle = getattr(obj, key)
    if version_attendue is not None and actuelle != version_attendue and not ecraser:
        raise conflit(s, type(obj).__tablename__, obj.id, charge_le, libelle=libelle, feminin=feminin)
    setattr(obj, key, actuelle + 1)  # UPDATE … SET version = n + 1 WHERE version = n, even for parts only


def conflit(
    s: Session, table: str, ident: int, charge_le: datetime | None, *, libelle: str, feminin: bool
) -> ConflitEdition:
    """The refusal of a save over someone else's (``verifier_version``), listing what they changed since
    ``charge_le`` (from the journal)."""
    from qualite_app.socle.journal import changements_depuis

    changes = changements_depuis(s, table, ident, charge_le)
    e = "e" if feminin else ""
    return ConflitEdition(
        f"{libelle} a été modifié{e} par quelqu'un d'autre pendant que vous l'éditiez"
        + (" :\n" + "\n".join(f"  • {c}" for c in changes[:12]) if changes else ".")
        + (f"\n  … et {len(changes) - 12} autre(s) modification(s)." if len(changes) > 12 else "")
        + "\nRien n'a été enregistré. Réappliquez vos modifications (elles remplaceront celles-ci) "
        "ou abandonnez-les pour repartir de l'état actuel.",
        changes,
    )


def _pareil(a: Any, b: Any) -> bool:
    """Equal as the user sees them: an empty field is the same whether the base says None or ""."""
    return bool(a == b) or (a in (None, "") and b in (None, ""))


def reappliquer(ouverte: Any, mienne: Any, actuelle: Any) -> Any:
    """The user's changes (the fields where what he typed differs from what he opened) over the item as it is
    now: a colleague's changes to the other fields are kept, the user's win where both changed. The result
    carries the current version: saving it is checked again (a third save meanwhile is told too)."""
    changed = {
        n: getattr(mienne, n)
        for n in champs(type(actuelle))
        if n != "id" and not _pareil(getattr(mienne, n), getattr(ouverte, n))
    }
    return replace(actuelle, **changed)


def avant_suppression(s: Session, model: type[Any], ident: int) -> None:
    """Before deleting the row ``ident`` of ``model``: the rows that point to it — their key set to NULL, or
    deleted with it, by the server's ON DELETE — are changed by that, so their row version moves (an action
    whose pilot leaves the directory, an action whose extra co-pilot does, through its team's row). A form opened
    on one of them is then told that it changed (``ConflitEdition``) rather than writing the deleted row's id
    back, or saving over a team it no longer has."""
    from sqlalchemy import or_, select, update

    from qualite_app.areas import load_models
    from qualite_app.storage.audit import _model_of
    from qualite_app.storage.base import Base

    load_models()
    target = model.__table__
    for mapper in Base.registry.mappers:
        m = mapper.class_
        t: Any = mapper.local_table
        fks = [c for c in t.c if any(fk.column.table is target for fk in c.foreign_keys)]
        if not fks or t is target:
            continue
        pointe = or_(*(c == ident for c in fks))
        key = version_key(m)
        if key is not None:
            s.execute(update(t).where(pointe).values({key: t.c[key] + 1}))
        elif getattr(m, "__audit_parent__", None):  # a part of its parent (a team's row): the parent moves
            col = t.c[m.__audit_parent__]
            parent: Any = next(iter(col.foreign_keys)).column.table
            if parent is target:  # a part of the row being deleted itself (a person's roles)
                continue
            owner = _model_of(parent)
            pkey = version_key(owner) if owner is not None else None
            if pkey is not None:
                s.execute(
                    update(parent)
                    .where(parent.c.id.in_(select(col).where(pointe)))
                    .values({pkey: parent.c[pkey] + 1})
                )
