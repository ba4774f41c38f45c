"""Writes of one row without the ORM's unit of work, journaled and indexed exactly as the session would do it.

The saves a team makes by the hundred (a new action, an action's progress) changed one row; the flush machinery
(object states, attribute history, mapper events, the objects' identity map) cost the client more processor
time than the server's whole work for that save (issue 13: 8 writers, 200 saves/s on 2 cores). A service that
knows its save touches one row only writes it here, inside its ``unit_of_work``, and takes the session's path for
anything else (children, collections) — in the same transaction, with the same rules.

What stays the same as a flush: the journal lines (``journal_core.journal_bulk_insert`` for a creation,
``journal_core.journal_modification`` for a change: same labels, same foreign-key labels, same values shown), the
search index row (written with the transaction's last trip on PostgreSQL, upserted on SQLite like
``index._after_insert``), the optimistic version (``UPDATE … SET version = n + 1 WHERE id = … AND version = n``:
no row matched is ``StaleDataError``, the error the session raises for it), ``modifie_le``, the tables the
ChangeSet names, the server's row-level security (a pilot's UPDATE of another's action matches no row).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Executable, bindparam, insert, update
from sqlalchemy.orm import Session

from qualite_app.storage import audit, index, journal_core
from qualite_app.storage.base import Base, utcnow, version_key

#: statement → (its SQL for psycopg, the names of its columns once read)
_compiled: dict[int, tuple[str, list[str] | None]] = {}
_inserts: dict[Any, Any] = {}
_conversions: dict[tuple[str, tuple[str, ...]], bool] = {}
_updates: dict[tuple[type, tuple[str, ...]], Any] = {}


def lire(s: Session, stmt: Executable, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of a read that opens a save's transaction. On PostgreSQL the transaction's BEGIN and the query go
    to the server in one trip (a pipeline; psycopg otherwise sends BEGIN alone, one trip more), straight to the
    driver with the statement compiled once; elsewhere through the session's connection."""
    conn = s.connection()
    raw = _driver(conn)
    if raw is None:
        return [dict(m) for m in conn.execute(stmt, params).mappings()]
    sql, names = _sql(conn, stmt)
    with raw.pipeline(), raw.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
        if names is None:  # psycopg builds the description's columns anew at each call: read once
            names = [c.name for c in cur.description or ()]
            _compiled[id(stmt)] = (sql, names)
    return [dict(zip(names, r, strict=True)) for r in rows]


def _driver(conn: Any) -> Any:
    """psycopg's connection on PostgreSQL (straight to the driver), None elsewhere."""
    raw = conn.connection.driver_connection
    return raw if conn.dialect.name == "postgresql" and hasattr(raw, "pipeline") else None


def _sql(conn: Any, stmt: Any) -> tuple[str, list[str] | None]:
    got = _compiled.get(id(stmt))
    if got is None:  # the statements are module constants (or cached here): compiled once per process
        got = _compiled[id(stmt)] = (str(stmt.compile(dialect=conn.dialect)), None)
    return got


def inserer(s: Session, model: type[Base], values: dict[str, Any], ident: int | None = None) -> int:
    """INSERT one row of ``model`` (its columns' values, without id nor timestamps), journaled (« création »,
    the filled fields) and indexed for the global search; returns its id. The row version starts at 1. With
    ``ident`` (its id already taken from the sequence, on PostgreSQL) the INSERT goes with the transaction's last
    trip to the server (before the index row, the journal's lines and the commit: a refusal of the server — the
    objective deleted meanwhile, a pilot's row-level security — cancels them all, as it would have at once)."""
    table: Any = model.__table__  # type: ignore[attr-defined]
    row = dict(values)
    now = utcnow()
    if "cree_le" in table.c:
        row.setdefault("cree_le", now)
        row.setdefault("modifie_le", now)
    key = version_key(model)
    if key is not None:
        row[key] = 1
    conn = s.connection()
    if ident is not None and _driver(conn) is not None and not _a_convertir(conn, table, row):
        row["id"] = ident
        sql = _inserts.get((model, tuple(row)))
        if sql is None:
            sql = _inserts[(model, tuple(row))] = str(
                insert(table).compile(dialect=conn.dialect, column_keys=list(row))
            )
        audit.execute_last(s, sql, row)
    else:
        stmt = _inserts.get(model)
        if stmt is None:
            stmt = _inserts[model] = insert(table).returning(table.c.id)
        ident = int(conn.execute(stmt, row).scalar_one())
        row["id"] = ident  # a label that shows the id (``Base.audit_label``) shows it, as for an object
    audit.touched(s).add(table.name)
    journal_core.journal_bulk_insert(s, model, [row], [ident], indexer=False)
    index.indexer_un(s, model, ident, row)
    return ident


def _a_convertir(conn: Any, table: Any, row: dict[str, Any]) -> bool:
    """Whether a value needs SQLAlchemy's conversion on its way to the driver (a type with a bind processor:
    JSON, enums…): straight to the driver only when none does."""
    cle = (table.name, tuple(row))
    if cle not in _conversions:
        dialect = conn.dialect
        _conversions[cle] = any(
            table.c[k].type.dialect_impl(dialect).bind_processor(dialect) is not None for k in row
        )
    return _conversions[cle]


def modifier(
    s: Session,
    model: type[Base],
    ident: int,
    avant: dict[str, Any],
    apres: dict[str, Any],
    version: int | None,
    *,
    ou_rien: bool = False,
) -> bool:
    """UPDATE the row ``ident`` of ``model`` to ``apres`` (the same columns every time: one statement per model,
    prepared by the server), ``avant`` being what the transaction read. With a row version: ``version`` is the
    one read, the row gets ``version + 1``; no row matched (changed since it was read, or refused by the
    server's row-level security) raises ``StaleDataError``, as a flush does. Journaled (« modification », one
    line per field whose shown value changed) and re-indexed when the columns the search shows changed. With
    ``ou_rien``, no row matched returns False instead (nothing written, nothing journaled: the caller reads the
    row again). On PostgreSQL the UPDATE goes in a pipeline: with the transaction's BEGIN when it opens it."""
    from sqlalchemy.orm.exc import StaleDataError

    table: Any = model.__table__  # type: ignore[attr-defined]
    cols = tuple(apres)
    vkey = version_key(model)
    stmt = _updates.get((model, cols))
    if stmt is None:
        where = [table.c.id == bindparam("k_id")]
        sets: dict[str, Any] = {c: bindparam(f"v_{c}") for c in cols}
        if vkey is not None:
            where.append(table.c[vkey] == bindparam("k_version"))
            sets[vkey] = bindparam("v_version_suivante")
        if "modifie_le" in table.c:
            sets["modifie_le"] = bindparam("v_modifie_le")
        stmt = _updates[(model, cols)] = update(table).where(*where).values(sets)
    params = {f"v_{c}": v for c, v in apres.items()} | {"k_id": ident, "v_modifie_le": utcnow()}
    if vkey is not None:
        params |= {"k_version": version, "v_version_suivante": (version or 0) + 1}
    conn = s.connection()
    raw = _driver(conn)
    if raw is None or _a_convertir(conn, table, apres):
        n = conn.execute(stmt, params).rowcount
    else:
        with raw.pipeline(), raw.cursor() as cur:
            cur.execute(_sql(conn, stmt)[0], params)
        n = cur.rowcount
    if n != 1:
        if ou_rien:
            return False
        raise StaleDataError(f"UPDATE de {table.name} {ident} : aucune ligne (version {version})")
    journal_core.journal_modification(s, model, ident, avant, apres)
    decl = model.__recherche__
    if decl is not None:
        ref, titre, textes = decl
        if any(avant.get(c) != apres.get(c) for c in (ref, titre, *textes) if c):
            index.reindexer_un(s, model, ident, avant | apres)
    return True
