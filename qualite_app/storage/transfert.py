"""Moving a laptop's SQLite base to the team's PostgreSQL server, every row, blob and journal line kept.

``migrer_vers(source, url)``: the target is migrated to the same schema revision, must hold no data, then
every table is copied in foreign-key order inside ONE transaction on the target (all or nothing), ids kept
(the links between items and the journal's parent keys name them), the sequences moved past the copied ids.
The journal lines are copied as they are, hash chain included: the team's journal continues the laptop's.
Afterwards each table is compared on both sides — row count and a SHA-256 over its rows in id order — and
the journal chain is verified on the target; any difference is reported (nothing is left half-copied: a
failure during the copy rolls the target back).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.engine import Connection

from qualite_app.errors import UserError

#: rows copied per INSERT … VALUES batch (large blobs are copied a few at a time)
BATCH = 2000
BLOB_BATCH = 20


@dataclass
class TableCopiee:
    table: str
    lignes: int
    empreinte_source: str
    empreinte_cible: str

    @property
    def identique(self) -> bool:
        return self.empreinte_source == self.empreinte_cible


@dataclass
class Transfert:
    source: str
    cible: str
    tables: list[TableCopiee] = field(default_factory=list)
    journal_intact: bool = False
    journal_message: str = ""

    @property
    def lignes(self) -> int:
        return sum(t.lignes for t in self.tables)

    @property
    def ok(self) -> bool:
        return self.journal_intact and all(t.identique for t in self.tables)


def _tables() -> list[Table]:
    from qualite_app.areas import load_models
    from qualite_app.storage.base import Base

    load_models()
    return list(Base.metadata.sorted_tables)


def _canonical(v: Any) -> Any:
    if isinstance(v, bytes | bytearray | memoryview):
        return hashlib.sha256(bytes(v)).hexdigest()
    if isinstance(v, datetime | date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    return v


def _order(t: Table) -> list[Any]:
    return list(t.primary_key.columns) or list(t.columns)


def _rows(conn: Connection, t: Table, size: int) -> Iterator[list[dict[str, Any]]]:
    result = conn.execution_options(yield_per=size).execute(select(t).order_by(*_order(t)))
    for part in result.mappings().partitions(size):
        yield [dict(r) for r in part]


def table_digest(conn: Connection, t: Table) -> tuple[int, str]:
    """(row count, SHA-256 of the rows in primary-key order, values in a canonical form)."""
    h = hashlib.sha256()
    n = 0
    for part in _rows(conn, t, BATCH):
        for r in part:
            h.update(json.dumps([_canonical(r[c.name]) for c in t.columns], ensure_ascii=False, default=str).encode())
            n += 1
    return n, h.hexdigest()


def migrer_vers(
    source: Any, url: str, *, progress: Callable[[str, int, int], None] | None = None
) -> Transfert:
    """Copy the open ``source`` Database into the (empty) base at ``url``; see the module's docstring."""
    from qualite_app.socle import journal
    from qualite_app.storage.database import Database

    target = Database.open(url, actor=source.actor)
    try:
        if target.revision() != source.revision():  # pragma: no cover - both are migrated to head on opening
            raise UserError("Les deux bases n'ont pas la même version du schéma.")
        tables = [t for t in _tables() if t.name != "alembic_version"]
        with target.engine.connect() as probe:
            full = [t.name for t in tables if probe.execute(select(func.count()).select_from(t)).scalar()]
        if full:
            raise UserError(
                f"La base cible {target.label} contient déjà des données ({', '.join(full[:5])}"
                + ("…" if len(full) > 5 else "") + ") : la migration demande une base vide, rien n'a été copié."
            )
        out = Transfert(source.label, target.label)
        with source.engine.connect() as src, target.engine.begin() as dst:
            for k, t in enumerate(tables, start=1):
                size = BLOB_BATCH if t.name == "blob" else BATCH
                n = 0
                for part in _rows(src, t, size):
                    dst.execute(insert(t), part)
                    n += len(part)
                if progress:
                    progress(t.name, k, len(tables))
                _move_sequence(dst, t)
        with source.engine.connect() as src, target.engine.connect() as dst:
            for t in tables:
                n, a = table_digest(src, t)
                m, b = table_digest(dst, t)
                out.tables.append(TableCopiee(t.name, n if n == m else -1, a, b))
        report = journal.verify(target)
        out.journal_intact, out.journal_message = report.intact, report.resume()
        apres_chargement(target.engine)
        return out
    finally:
        target.close()


def apres_chargement(engine: Any) -> None:
    """PostgreSQL, after a whole base was loaded at once: VACUUM (ANALYZE) — the planner's statistics, the
    visibility map and the pending entries of the GIN indexes (journal, search) — so that the team's first saves
    do not share the server with the autovacuum of the whole copy, nor the first lists plan on empty statistics.
    Its failure (a role that does not own the tables) costs nothing but that: the autovacuum does it later."""
    if engine.dialect.name != "postgresql":
        return
    from sqlalchemy import text

    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM (ANALYZE)"))
    except Exception:  # pragma: no cover - maintenance only
        pass


def _move_sequence(conn: Connection, t: Table) -> None:
    """After rows copied with their ids, the next id the server gives must come after them (PostgreSQL)."""
    if conn.dialect.name != "postgresql":
        return
    pk = list(t.primary_key.columns)
    if len(pk) != 1 or pk[0].foreign_keys:
        return
    seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": t.name, "c": pk[0].name}).scalar()
    if seq:
        conn.execute(
            text(f"SELECT setval(:s, COALESCE((SELECT MAX({pk[0].name}) FROM {t.name}), 0) + 1, false)"), {"s": seq}
        )
