"""Writes the audit journal from the session itself, so no service can forget it.

After each flush, every new, changed or deleted object whose class declares
``__audit_type__`` yields journal lines (one per changed field). They wait in the session
(``session.info``) and are chained and inserted once, at the very end of the transaction
(``before_commit``): the journal's lock (on PostgreSQL) is held only for « read the tip, insert,
commit », so that writers of a team work side by side instead of one after the other, and the
chain stays one line with no fork. A rolled-back transaction (or savepoint) drops its lines.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect, select, text
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.attributes import NO_VALUE

from qualite_app.storage import chain
from qualite_app.storage.base import Base, utcnow
from qualite_app.storage.tables import JournalAudit


def format_value(value: Any) -> str | None:
    """Journal text of a value, French conventions (dd/mm/yyyy, decimal comma, Oui/Non)."""
    if value is None or value is NO_VALUE:
        return None
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float | Decimal):
        return f"{value:g}".replace(".", ",")
    if isinstance(value, bytes):
        return f"<{len(value)} octets>"
    return str(value)


_columns_of: dict[type, list[tuple[str, str]]] = {}


def _columns(obj: Base | type[Base]) -> list[tuple[str, str]]:
    """(attribute key, label) of the journaled columns of obj, or of a model (worked out once per model)."""
    model = obj if isinstance(obj, type) else type(obj)
    out = _columns_of.get(model)
    if out is None:
        skip, labels = model.__audit_skip__, model.__audit_fields__
        out = [(a.key, labels.get(a.key, a.key)) for a in inspect(model).column_attrs if a.key not in skip]
        _columns_of[model] = out
    return out


CREATION_SEPARATOR = " · "


def creation_summary(fields: list[tuple[str, Any]]) -> str | None:
    """A creation is ONE journal line whose new value lists the filled fields:
    « Nom : BRÉVANNE · Prénom : Hélène · Service : Médecine interne »."""
    parts = [f"{label} : {text}" for label, v in fields if v not in (None, "") and (text := format_value(v)) not in (None, "")]
    return CREATION_SEPARATOR.join(parts) or None


def _fk_label(session: Session, obj: Base, key: str, value: Any) -> Any:
    """A foreign key is journaled as the label of what it points to (« Médecine interne », not « 5 »)."""
    return _fk_label_of(session, type(obj), key, value)


#: (model, column key) → the model its foreign key points to (None: not a foreign key, or to no model)
_fk_targets: dict[tuple[type, str], type[Base] | None] = {}


def _fk_label_of(session: Session, model: type[Base], key: str, value: Any) -> Any:
    if value is None or value is NO_VALUE:
        return value
    try:
        target = _fk_targets[(model, key)]
    except KeyError:
        col = model.__table__.c.get(key)  # type: ignore[attr-defined]
        fks = col.foreign_keys if col is not None else None
        target = _fk_targets[(model, key)] = _model_of(next(iter(fks)).column.table) if fks else None
    if target is not None:
        with session.no_autoflush:
            obj = session.get(target, value)
        if obj is not None and hasattr(obj, "audit_label"):
            return _label(obj)
    return value


_models: dict[str, type[Base] | None] = {}


def _model_of(table: Any) -> type[Base] | None:
    """The mapped class of a table (cached: the registry is scanned once per table, not per value)."""
    if table.name not in _models:
        _models[table.name] = next((m.class_ for m in Base.registry.mappers if m.local_table is table), None)
    return _models[table.name]


def _label(obj: Base) -> str:
    try:
        return obj.audit_label()[:300]
    except Exception:  # a label must never break a save
        return ""


def parent_of(model: type[Base], values: Any) -> tuple[str | None, int | None]:
    """(parent table, parent id) of a journaled row; ``values`` is the object or a dict of its columns."""
    key = model.__audit_parent__
    if not key:
        return None, None
    col = model.__table__.c[key]  # type: ignore[attr-defined]
    target = next(iter(col.foreign_keys)).column.table.name
    if isinstance(values, dict):
        ident = values.get(key)
    else:  # a deleted or moved row: the parent it had; a new row: the one it has
        ident = inspect(values).committed_state.get(key, NO_VALUE)
        if ident is NO_VALUE or ident is None:
            ident = getattr(values, key, None)
    return target, ident if ident is not None and ident is not NO_VALUE else None


def _rows_for(session: Session) -> list[dict[str, Any]]:
    actor = session.info.get("actor", ("inconnu", ""))
    op = session.info.setdefault("operation", str(uuid.uuid4()))
    now = utcnow()
    base = {"horodatage": now, "operation": op, "utilisateur_os": actor[0], "utilisateur_nom": actor[1]}
    rows: list[dict[str, Any]] = []

    def add(obj: Base, action: str, champ: str = "", old: Any = None, new: Any = None) -> None:
        parent_table, parent_id = parent_of(type(obj), obj)
        rows.append(
            base
            | {
                "parent_table": parent_table,
                "parent_id": parent_id,
                "action": action,
                "entite_type": type(obj).__audit_type__,
                "entite_table": type(obj).__tablename__,
                "entite_id": getattr(obj, "id", None),
                "entite_libelle": _label(obj),
                "champ": champ,
                "ancienne_valeur": format_value(old),
                "nouvelle_valeur": format_value(new),
            }
        )

    for obj in session.new:
        if isinstance(obj, Base) and type(obj).__audit_type__:
            fields = [(label, _fk_label(session, obj, key, getattr(obj, key, None))) for key, label in _columns(obj)]
            add(obj, "création", "", None, creation_summary(fields))
    for obj in session.dirty:
        if not (isinstance(obj, Base) and type(obj).__audit_type__):
            continue
        state = inspect(obj)
        changed = state.committed_state  # the attributes set since loaded (their value then): the others did not change
        if not changed:
            continue
        for key, label in _columns(obj):
            if key not in changed:
                continue
            hist = state.attrs[key].history
            if not hist.has_changes():
                continue
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if format_value(old) == format_value(new):
                continue
            add(obj, "modification", label, _fk_label(session, obj, key, old), _fk_label(session, obj, key, new))
    # deletions are journaled by _after_delete: it also sees orphans removed from a collection
    return rows


#: PostgreSQL advisory lock held from reading the journal's tip to the commit (one chain, no fork)
JOURNAL_LOCK = 7160520
#: the journal's columns of a waiting line (session.info[PENDING]), in this order
_KEYS: tuple[str, ...] = (*chain.FIELDS, "parent_table", "parent_id")
_INSERT_KEYS: tuple[str, ...] = (*_KEYS, "empreinte_precedente", "empreinte")
PENDING = "journal_en_attente"
_LAST = "instructions_finales"
_MARKS = "journal_reperes"


def journal_tip(connection: Any) -> str:
    """The last line's hash, read inside the writing transaction (on PostgreSQL, after taking the
    journal's transaction lock so that two writers cannot fork the chain)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"SELECT pg_advisory_xact_lock({JOURNAL_LOCK})"))
    j = JournalAudit  # a line slipped in without a hash (by hand) does not become the chain's tip
    tip = connection.execute(select(j.empreinte).where(j.empreinte.is_not(None)).order_by(j.id.desc()).limit(1)).scalar()
    return tip or chain.GENESIS


def _chained(connection: Any, rows: list[dict[str, Any]], session: Session | None = None) -> list[dict[str, Any]]:
    if session is not None:
        touched(session).add(JournalAudit.__tablename__)
    links = chain.chain(journal_tip(connection), ([r[k] for k in chain.FIELDS] for r in rows))
    for r, (prev, h) in zip(rows, links, strict=True):
        r["empreinte_precedente"], r["empreinte"] = prev, h
    return rows


def touched(session: Session) -> set[str]:
    """Tables written by the session's current transaction (for the ChangeSet)."""
    return session.info.setdefault("tables", set())  # type: ignore[no-any-return]


def _defer(session: Session, rows: list[tuple[Any, ...]]) -> None:
    """Lines (in the order of ``_KEYS``) to chain and insert when the transaction commits."""
    touched(session).add(JournalAudit.__tablename__)
    session.info.setdefault(PENDING, []).extend(rows)


def _row_tuple(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row.get(k) for k in _KEYS)


def _after_flush(session: Session, _ctx: Any) -> None:
    tables = touched(session)
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(type(obj), "__tablename__", None)
        if table:
            tables.add(table)
    rows = _rows_for(session)
    if rows:
        _defer(session, [_row_tuple(r) for r in rows])


#: PostgreSQL: the lock, the tip, the chain and the insert in one trip to the server, pipelined with the
#: COMMIT: the journal's lock is held for the server's own work only, never while a client computes or
#: waits its turn for a processor. ``contenu`` is ``chain.payload`` of each line (computed beforehand); the
#: server hashes ``previous || "\n" || contenu`` exactly as ``chain.link_hash`` does. The tip is read by a
#: statement that starts once the lock is held, so it sees the last writer's committed lines (READ COMMITTED).
#: The lines go as ONE parameter, a JSON array of arrays (``_KEYS`` then ``contenu``; the time in ISO form, read
#: back to the microsecond): fifteen array parameters cost the client more to encode than the server to read.
_PG_LOCK_SQL = f"SELECT pg_advisory_xact_lock({JOURNAL_LOCK})"
#: the change notification (``ecoute.notify``, through ``execute_last``); with journal lines it goes in the
#: statement that takes the journal's lock (NOTIFY is delivered at the commit whatever the statement: one fewer)
NOTIFY_SQL = "SELECT pg_notify(%(c)s, %(p)s)"
_PG_LOCK_NOTIFY_SQL = f"SELECT pg_advisory_xact_lock({JOURNAL_LOCK}), pg_notify(%(c)s, %(p)s)"
_PG_CHAIN_SQL = """
WITH RECURSIVE v AS (
  SELECT (e->>0)::timestamp AS horodatage, e->>1 AS operation, e->>2 AS utilisateur_os, e->>3 AS utilisateur_nom,
    e->>4 AS action, e->>5 AS entite_type, e->>6 AS entite_table, (e->>7)::bigint AS entite_id,
    e->>8 AS entite_libelle, e->>9 AS champ, e->>10 AS ancienne_valeur, e->>11 AS nouvelle_valeur,
    e->>12 AS parent_table, (e->>13)::bigint AS parent_id, e->>14 AS contenu, n
  FROM json_array_elements(%(lignes)s::json) WITH ORDINALITY AS t(e, n)
), c(n, prev, h) AS (
  SELECT 0::bigint, tip, tip FROM (SELECT coalesce((SELECT empreinte::text FROM journal_audit
    WHERE empreinte IS NOT NULL ORDER BY id DESC LIMIT 1), '') AS tip) AS t
  UNION ALL
  SELECT v.n, c.h, encode(sha256(convert_to(c.h || chr(10) || v.contenu, 'UTF8')), 'hex')
  FROM c JOIN v ON v.n = c.n + 1
)
INSERT INTO journal_audit (horodatage, operation, utilisateur_os, utilisateur_nom, action, entite_type,
  entite_table, entite_id, entite_libelle, champ, ancienne_valeur, nouvelle_valeur, parent_table, parent_id,
  empreinte_precedente, empreinte)
SELECT v.horodatage, v.operation, v.utilisateur_os, v.utilisateur_nom, v.action, v.entite_type,
  v.entite_table, v.entite_id, v.entite_libelle, v.champ, v.ancienne_valeur, v.nouvelle_valeur,
  v.parent_table, v.parent_id, c.prev, c.h
FROM v JOIN c ON c.n = v.n ORDER BY v.n
"""
#: beyond this many lines (large imports) the chain is computed here, after reading the tip under the lock
_PG_CHAIN_MAX = 500


def write_pending(session: Session, *, commit: bool = False) -> int:
    """Chain and insert the transaction's waiting lines now (the last thing before COMMIT): on PostgreSQL
    the journal's lock is taken here and held until the commit. Every line of the transaction bears the
    same time, the commit's: the journal's order of time follows the chain's. With ``commit`` (the
    session's own commit, from ``before_commit``) the PostgreSQL transaction is committed in the same trip
    to the server. Returns the lines written."""
    rows = session.info.pop(PENDING, None) or []
    last = session.info.pop(_LAST, None) or []
    if not rows and not last:
        return 0
    conn = session.connection()
    now = utcnow()
    n = len(chain.FIELDS)
    stamped = [(now, *r[1:]) for r in rows]
    raw: Any = conn.connection.driver_connection
    if conn.dialect.name == "postgresql" and len(stamped) <= _PG_CHAIN_MAX and hasattr(raw, "pipeline"):
        lignes = [[now.isoformat(), *r[1:], chain.payload(r[:n])] for r in stamped]
        params = {"lignes": json.dumps(lignes, ensure_ascii=False, separators=(",", ":"), default=str)}
        notify = next((values for sql, values in last if sql == NOTIFY_SQL), None) if stamped else None
        with raw.pipeline(), raw.cursor() as cur:
            for sql, values in last:
                if values is not notify:
                    cur.execute(sql, values)
            if stamped:
                cur.execute(*((_PG_LOCK_NOTIFY_SQL, notify) if notify is not None else (_PG_LOCK_SQL,)))
                cur.execute(_PG_CHAIN_SQL, params)
            if commit:  # the session's commit that follows finds nothing left to commit
                raw.commit()
        return len(rows)
    for sql, values in last:
        conn.exec_driver_sql(sql, values)
    if stamped:
        links = chain.chain(journal_tip(conn), (r[:n] for r in stamped))
        _fast_insert(session, _INSERT_KEYS, [(*r, prev, h) for r, (prev, h) in zip(stamped, links, strict=True)])
    return len(rows)


def execute_last(session: Session, sql: str, params: dict[str, Any]) -> None:
    """Run a driver-level statement (the driver's parameter style) at the end of the transaction, just
    before the journal's lines and the commit; on PostgreSQL in the same trip to the server (NOTIFY)."""
    session.info.setdefault(_LAST, []).append((sql, params))


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: its lines wait for the real commit
        return
    if session.new or session.dirty or session.deleted:
        session.flush()
    write_pending(session, commit=True)


def _transaction_created(session: Session, transaction: Any) -> None:
    if transaction.nested:  # a savepoint: what it journals is dropped if it is rolled back
        session.info.setdefault(_MARKS, {})[id(transaction)] = len(session.info.get(PENDING, ()))


def _soft_rollback(session: Session, previous: Any) -> None:
    if previous.nested:
        mark = session.info.get(_MARKS, {}).pop(id(previous), None)
        if mark is not None and PENDING in session.info:
            del session.info[PENDING][mark:]


def _transaction_ended(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # committed (lines written), rolled back or closed: nothing waits
        session.info.pop(PENDING, None)
        session.info.pop(_LAST, None)
        session.info.pop(_MARKS, None)


def _after_end(session: Session, *_: Any) -> None:
    session.info.pop("operation", None)
    session.info.pop("tables", None)


def _orm_execute(state: Any) -> None:
    """``session.execute(insert|update|delete(Model)…)``: the statement's table is touched too."""
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        name = getattr(table, "name", None)
        if name:
            touched(state.session).add(name)


def _event_row(info: dict[str, Any], **values: Any) -> dict[str, Any]:
    actor = info.get("actor", ("inconnu", ""))
    op = info.setdefault("operation", str(uuid.uuid4()))
    row = {"horodatage": utcnow(), "operation": op, "utilisateur_os": actor[0], "utilisateur_nom": actor[1],
           "parent_table": None, "parent_id": None, "entite_id": None, "entite_libelle": "", "champ": "", "ancienne_valeur": None, "nouvelle_valeur": None}  # fmt: skip
    row.update(values)
    return row


def _after_delete(_mapper: Any, connection: Any, target: Any) -> None:
    """Every row the unit of work deletes (explicit, cascade or orphan) gets its « suppression » line."""
    if not (isinstance(target, Base) and type(target).__audit_type__):
        return
    session = object_session(target)
    parent_table, parent_id = parent_of(type(target), target)
    row = _event_row(
        session.info if session is not None else {},
        parent_table=parent_table,
        parent_id=parent_id,
        action="suppression",
        entite_type=type(target).__audit_type__,
        entite_table=type(target).__tablename__,
        entite_id=getattr(target, "id", None),
        entite_libelle=_label(target),
    )
    if session is not None:
        _defer(session, [_row_tuple(row)])
    else:  # pragma: no cover - a unit of work always has its session
        connection.execute(insert(JournalAudit), _chained(connection, [row]))


def record_event(session: Session, action: str, entite_type: str, libelle: str, detail: str | None = None) -> None:
    """A journal line for what is not a row's change: a restore, the journal's protection rebuilt…"""
    row = _event_row(session.info, action=action, entite_type=entite_type, entite_table="",
                     entite_libelle=libelle[:300], nouvelle_valeur=detail)  # fmt: skip
    _defer(session, [_row_tuple(row)])


_mapper_events_installed = False


def install(session_factory: Any) -> None:
    """Attach the journal to every session made by this factory."""
    global _mapper_events_installed
    if not _mapper_events_installed:
        event.listen(Base, "after_delete", _after_delete, propagate=True)
        _mapper_events_installed = True
    event.listen(session_factory, "after_flush", _after_flush)
    event.listen(session_factory, "do_orm_execute", _orm_execute)
    event.listen(session_factory, "before_commit", _before_commit)
    event.listen(session_factory, "after_transaction_create", _transaction_created)
    event.listen(session_factory, "after_soft_rollback", _soft_rollback)
    event.listen(session_factory, "after_transaction_end", _transaction_ended)
    event.listen(session_factory, "after_commit", _after_end)
    event.listen(session_factory, "after_rollback", _after_end)


def _fast_insert(session: Session, keys: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """executemany straight to the driver: SQLAlchemy's per-row parameter handling costs more than
    SQLite itself at 100,000 journal lines. Bind processors (dates…) are still applied, per column."""
    conn = session.connection()
    dialect = conn.dialect
    table: Any = JournalAudit.__table__
    compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
    procs = [table.c[k].type.dialect_impl(dialect).bind_processor(dialect) for k in keys]
    if any(procs):  # convert each distinct value once (the timestamp is the same on every line)
        cache: dict[tuple[int, Any], Any] = {}

        def conv(i: int, v: Any) -> Any:
            if v is None or procs[i] is None:
                return v
            if (i, v) not in cache:
                cache[(i, v)] = procs[i](v)  # type: ignore[misc]
            return cache[(i, v)]

        fixed = [i for i, p in enumerate(procs) if p is not None]
        converted = []
        for r in rows:
            lst = list(r)
            for i in fixed:
                lst[i] = conv(i, lst[i])
            converted.append(tuple(lst))
        rows = converted
    if compiled.positional and list(compiled.positiontup or []) == list(keys):
        params: list[Any] = rows
    elif compiled.positional:
        pos = [keys.index(k) for k in compiled.positiontup or []]
        params = [tuple(r[i] for i in pos) for r in rows]
    else:
        params = [dict(zip(keys, r, strict=True)) for r in rows]
    conn.exec_driver_sql(str(compiled), params)
