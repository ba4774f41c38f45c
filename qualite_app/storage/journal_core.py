"""Journal lines of rows written with Core rather than through the session (large imports, ``storage.directe``):
the same lines the session writes for the same changes (``audit``), waiting with the transaction's other lines
for its commit."""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from qualite_app.storage.audit import (
    _columns,
    _defer,
    _event_row,
    _fk_label_of,
    _label,
    _row_tuple,
    creation_summary,
    format_value,
    parent_of,
    touched,
)
from qualite_app.storage.base import Base, utcnow


def _label_of_values(model: type[Base], values: dict[str, Any]) -> str:
    """A row's label from its columns' values: the model's ``audit_label`` read on the values themselves (no ORM
    object to build: a third of a millisecond per save), on a transient object when it needs more than them."""
    try:
        return str(model.audit_label(SimpleNamespace(**values)))[:300]  # type: ignore[arg-type]
    except Exception:
        cols = model.__table__.c  # type: ignore[attr-defined]
        return _label(model(**{k: v for k, v in values.items() if k in cols}))


def journal_bulk_insert(
    session: Session,
    model: type[Base],
    rows: list[dict[str, Any]],
    ids: list[int],
    label: Any = None,
    *,
    indexer: bool = True,
) -> None:
    """Journal rows that a service inserted in bulk with Core (large imports): the same lines the
    session writes for new objects (one « création » line listing the filled fields). A searchable
    model's rows are indexed for the global search in the same stroke (``index.indexer_lignes``), unless
    ``indexer`` is False (the caller indexes them: ``storage.directe``)."""
    from qualite_app.storage import index

    if indexer:
        index.indexer_lignes(session.connection(), model, rows, ids)
    if not model.__audit_type__ or not rows:
        return
    actor = session.info.get("actor", ("inconnu", ""))
    op = session.info.setdefault("operation", str(uuid.uuid4()))
    now = utcnow()
    skip = model.__audit_skip__
    labels = model.__audit_fields__
    cols = [(a.key, labels.get(a.key, a.key)) for a in inspect(model).column_attrs if a.key not in skip]
    fks = {c.key for c in model.__table__.c if c.foreign_keys}  # type: ignore[attr-defined]
    fk_cache: dict[tuple[str, Any], Any] = {}
    head = (now, op, actor[0], actor[1], "création", model.__audit_type__, model.__tablename__)
    out: list[tuple[Any, ...]] = []
    for values, ident in zip(rows, ids, strict=True):
        try:  # ``label(values)`` when given, else the model's own label on a transient object
            text = (label(values) if label is not None else _label_of_values(model, values))[:300]
        except Exception:
            text = ""
        fields: list[tuple[str, Any]] = []
        for key, lab in cols:
            val = values.get(key)
            if val not in (None, ""):
                if key in fks:  # like the session's lines: what the key points to, not its number
                    if (key, val) not in fk_cache:
                        fk_cache[(key, val)] = _fk_label_of(session, model, key, val)
                    val = fk_cache[(key, val)]
                fields.append((lab, val))
        out.append((*head, ident, text, "", None, creation_summary(fields)))
    touched(session).add(model.__tablename__)
    _defer(session, [(*r, *parent_of(model, values)) for r, values in zip(out, rows, strict=True)])


def journal_modification(
    session: Session, model: type[Base], ident: int, avant: dict[str, Any], apres: dict[str, Any]
) -> None:
    """The lines of a row changed by a Core UPDATE (``storage.directe``), as the session writes them for a
    changed object: one per journaled field whose shown value changed, in the model's column order, foreign
    keys shown as what they point to; labelled as the row now is, under its parent as it was."""
    text = _label_of_values(model, avant | apres)
    parent_table, parent_id = parent_of(model, avant)
    out: list[tuple[Any, ...]] = []
    for key, lab in _columns(model):
        if key not in apres:
            continue
        old, new = avant.get(key), apres[key]
        if old == new or format_value(old) == format_value(new):
            continue
        old, new = _fk_label_of(session, model, key, old), _fk_label_of(session, model, key, new)
        row = _event_row(session.info, action="modification", entite_type=model.__audit_type__,
                         entite_table=model.__tablename__, entite_id=ident, entite_libelle=text, champ=lab,
                         ancienne_valeur=format_value(old), nouvelle_valeur=format_value(new),
                         parent_table=parent_table, parent_id=parent_id)  # fmt: skip
        out.append(_row_tuple(row))
    touched(session).add(model.__tablename__)
    if out and model.__audit_type__:
        _defer(session, out)
