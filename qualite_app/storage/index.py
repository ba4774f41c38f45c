"""The global search's index, written from the session itself so that no service can forget it.

Every model that declares ``__recherche__`` (storage/base.py) has one row in ``recherche`` per item: the
mapper events below insert, update or delete it as the unit of work writes the item — in the same
transaction, like the journal (storage/audit.py). Rows a service inserts in bulk with Core are journaled by
``journal_core.journal_bulk_insert``, which indexes them too (``indexer_lignes``).

Full text: on SQLite the FTS5 table ``recherche_fts`` (external content = ``recherche``, tokenizer
``unicode61 remove_diacritics 2``, prefix indexes) is kept in step by triggers on ``recherche``; on
PostgreSQL a GIN index on ``to_tsvector('simple', texte)`` answers prefix queries (``mot:*``). The text is
folded here, in Python (``rules.text.fold``), so neither engine needs an extension (``unaccent``)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, delete, event, insert, inspect, text, update
from sqlalchemy.engine import Connection

from qualite_app.rules.text import fold
from qualite_app.storage.base import Base, entree_declaree
from qualite_app.storage.tables import EntreeRecherche

TABLE: Table = EntreeRecherche.__table__  # type: ignore[assignment]
#: the FTS5 table and its shadow tables (SQLite): made by migration 0016, not by the models
FTS = "recherche_fts"
#: the journal's trigram index (SQLite: FTS5 over ``journal_audit``, the Historique's text filter): migration 0019
JOURNAL_FTS = "journal_fts"

_MOTS = re.compile(r"[a-z0-9]+")


def mots(texte: str | None) -> list[str]:
    """The words the index holds for a text: folded, split on anything that is not a letter or a digit
    (« EI-2026-004 » → ei, 2026, 004)."""
    return _MOTS.findall(fold(texte))


def hors_modele(nom: str) -> bool:
    """A table of the database that no model declares: the FTS5 tables and their shadow tables."""
    return any(nom == t or nom.startswith(t + "_") for t in (FTS, JOURNAL_FTS))


def _court(texte: str, n: int) -> str:
    t = " ".join(texte.split())
    return t if len(t) <= n else t[: n - 1] + "…"


def ligne(source: str, item_id: int, entree: tuple[str, str, str]) -> dict[str, Any]:
    """The index row of an item, from its (reference, title, other text)."""
    ref, titre, autres = entree
    return {
        "source": source,
        "item_id": item_id,
        "reference": _court(ref, 300),
        "titre": _court(titre, 300),
        "cle_reference": fold(ref)[:120],
        "cle_titre": fold(titre)[:120],
        "texte": " ".join(mots(f"{ref} {titre} {autres}")),
    }


def _entree(obj: Any) -> tuple[str, str, str] | None:
    try:
        return obj.recherche_entree()  # type: ignore[no-any-return]
    except Exception:  # pragma: no cover - an index row must never break a save
        return None


def _cible(source: str, item_id: int) -> ColumnElement[bool]:
    return and_(TABLE.c.source == source, TABLE.c.item_id == item_id)


def ecrire(conn: Connection, source: str, item_id: int, entree: tuple[str, str, str] | None) -> None:
    """Upsert (or delete, when ``entree`` is None) the index row of one item."""
    if entree is None:
        conn.execute(delete(TABLE).where(_cible(source, item_id)))
        return
    values = ligne(source, item_id, entree)
    done = conn.execute(update(TABLE).where(_cible(source, item_id)).values(values))
    if not done.rowcount:
        conn.execute(insert(TABLE).values(values))


def _after_insert(_mapper: Any, connection: Connection, target: Any) -> None:
    """On PostgreSQL a new item's id was never used (sequences): one INSERT, not an UPDATE that finds nothing
    first. SQLite may reuse the id of a deleted row, whose index row a cascade may have left: upsert there."""
    if type(target).__recherche__ is None or getattr(target, "id", None) is None:
        return
    entree = _entree(target)
    if connection.dialect.name != "postgresql":
        ecrire(connection, type(target).__tablename__, target.id, entree)
    elif entree is not None:  # straight to the driver (prepared by psycopg after a few): a save's hot path
        with connection.connection.driver_connection.cursor() as cur:  # type: ignore[union-attr]
            cur.execute(_INSERT_PG, ligne(type(target).__tablename__, target.id, entree))


def _after_write(_mapper: Any, connection: Connection, target: Any) -> None:
    model = type(target)
    if model.__recherche__ is None or getattr(target, "id", None) is None:
        return
    if model.recherche_entree is Base.recherche_entree and not _declared_changed(target, model.__recherche__):
        return  # its reference, title and texts are as they were: its row is right (an action's progress changed)
    ecrire(connection, model.__tablename__, target.id, _entree(target))


def _declared_changed(target: Any, decl: tuple[str | None, str, tuple[str, ...]]) -> bool:
    """Whether one of the columns an item's index row is made of (``__recherche__``) changed in this flush."""
    attrs = inspect(target).attrs
    ref, titre, textes = decl
    return any(attrs[c].history.has_changes() for c in (ref, titre, *textes) if c)


def _after_delete(_mapper: Any, connection: Connection, target: Any) -> None:
    if type(target).__recherche__ is None or getattr(target, "id", None) is None:
        return
    connection.execute(delete(TABLE).where(_cible(type(target).__tablename__, target.id)))


_COLONNES = ("source", "item_id", "reference", "titre", "cle_reference", "cle_titre", "texte")
_INSERT_PG = f"INSERT INTO recherche ({', '.join(_COLONNES)}) VALUES ({', '.join(f'%({c})s' for c in _COLONNES)})"
_installed = False


def install() -> None:
    """Attach the index to every mapped class that declares ``__recherche__`` (once per process)."""
    global _installed
    if _installed:
        return
    event.listen(Base, "after_insert", _after_insert, propagate=True)
    event.listen(Base, "after_update", _after_write, propagate=True)
    event.listen(Base, "after_delete", _after_delete, propagate=True)
    _installed = True


def _entree_de(model: type[Base], values: dict[str, Any]) -> tuple[str, str, str] | None:
    """An item's (reference, title, other text) from its columns' values (a row written with Core)."""
    if model.recherche_entree is Base.recherche_entree:  # the declared columns alone: no object to build
        return entree_declaree(model.__recherche__, values.get)
    cols = model.__table__.c  # type: ignore[attr-defined]
    return _entree(model(**{k: v for k, v in values.items() if k in cols}))


def indexer_un(session: Any, model: type[Base], ident: int, values: dict[str, Any]) -> None:
    """Index one row inserted with Core in a unit of work (``storage.directe``), as ``_after_insert`` indexes a
    new object: upserted on SQLite (an id may be reused); on PostgreSQL its INSERT goes with the transaction's
    last trip to the server (the journal's lines and the commit: ``audit.execute_last``)."""
    from qualite_app.storage import audit

    if model.__recherche__ is None:
        return
    entree = _entree_de(model, values)
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        ecrire(conn, model.__tablename__, ident, entree)
    elif entree is not None:
        audit.execute_last(session, _INSERT_PG, ligne(model.__tablename__, ident, entree))


def reindexer_un(session: Any, model: type[Base], ident: int, values: dict[str, Any]) -> None:
    """The index row of a row changed with Core (``storage.directe``), as ``_after_write`` rewrites it."""
    if model.__recherche__ is not None:
        ecrire(session.connection(), model.__tablename__, ident, _entree_de(model, values))


def indexer_lignes(
    conn: Connection, model: type[Base], rows: Sequence[dict[str, Any]], ids: Sequence[int]
) -> None:
    """Index rows inserted in bulk with Core (``rows`` are their column values, ``ids`` their ids)."""
    if model.__recherche__ is None or not rows:
        return
    out = []
    for values, ident in zip(rows, ids, strict=True):
        if (entree := _entree_de(model, values)) is not None:
            out.append(ligne(model.__tablename__, ident, entree))
    _inserer(conn, out)


def _inserer(conn: Connection, out: list[dict[str, Any]]) -> None:
    """Insert index rows. SQLite: multi-row statements straight to the driver, not executemany — the FTS5
    table flushes a segment at the end of every statement of its trigger, one per row made 20,000 events
    cost 8.9 s instead of 1.5 s."""
    if conn.dialect.name != "sqlite":
        if out:
            conn.execute(insert(TABLE), out)
        return
    one = "(" + ", ".join("?" * len(_COLONNES)) + ")"
    for i in range(0, len(out), 500):
        chunk = out[i : i + 500]
        sql = f"INSERT INTO recherche ({', '.join(_COLONNES)}) VALUES " + ", ".join([one] * len(chunk))
        conn.exec_driver_sql(sql, tuple(r[c] for r in chunk for c in _COLONNES))


def modeles() -> list[type[Base]]:
    """The searchable models (all areas' models loaded)."""
    from qualite_app.areas import load_models

    load_models()
    return [m.class_ for m in Base.registry.mappers if m.class_.__recherche__ is not None]


def reconstruire(conn: Connection, models: Iterable[type[Base]] | None = None) -> int:
    """Rebuild the whole index from the items' tables (a repair: ``qualite recherche --reindexer``);
    returns the number of rows. Runs in the caller's transaction."""
    from sqlalchemy import select

    conn.execute(delete(TABLE))
    n = 0
    for model in models if models is not None else modeles():
        t = model.__table__  # type: ignore[attr-defined]
        result = conn.execution_options(yield_per=5000).execute(select(t))
        for part in result.mappings().partitions(5000):
            rows = [dict(r) for r in part]
            indexer_lignes(conn, model, rows, [r["id"] for r in rows])
            n += len(rows)
    if conn.dialect.name == "sqlite":
        conn.execute(text(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')"))
    return n


# --- querying -----------------------------------------------------------------------------------------
def requete(texte: str) -> list[list[str]]:
    """The words typed, each as its folded parts: « EI-2026-004 brév » → [[ei, 2026, 004], [brev]].
    The last part of one character being typed is left out (« plan b », « EI-2 »): the reference and title
    prefixes still see it, and the next keystroke makes it precise."""
    groupes = [p for w in texte.split() if (p := mots(w))]
    if groupes and len(groupes[-1][-1]) == 1:
        groupes[-1] = groupes[-1][:-1]
        if not groupes[-1]:
            groupes.pop()
    return groupes


def plein_texte(dialect: str, source: str, groupes: list[list[str]], limite: int) -> tuple[str, list[Any]]:
    """A condition on ``recherche r`` (SQL with ``?`` markers, and its values): the rows of ``source`` that
    hold every word typed, the last part of each as a prefix (when it has two characters or more: one letter
    as a prefix would read most of the index), the parts of one word in a row (« EI-2026-004 » → the phrase
    « ei 2026 004* »). The caller adds ``ORDER BY r.id DESC LIMIT limite``: newest first."""
    if dialect == "sqlite":  # the FTS5 table stops early: it reads its lists from the newest row
        phrases = " AND ".join('"' + " ".join(g) + '"' + ("*" if len(g[-1]) > 1 else "") for g in groupes)
        match = f'source : "{source}" AND texte : ({phrases})'
        return f"r.id IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH ? ORDER BY rowid DESC LIMIT ?)", [
            match,
            limite,
        ]
    if dialect == "postgresql":
        tsq = " & ".join(
            " <-> ".join(f"{p}:*" if i == len(g) - 1 and len(p) > 1 else p for i, p in enumerate(g))
            for g in groupes
        )
        return "r.source = ? AND to_tsvector('simple', r.texte) @@ to_tsquery('simple', ?)", [source, tsq]
    # another engine: no full-text index, every word as a substring
    return "r.source = ?" + " AND r.texte LIKE ?" * len(groupes), [
        source,
        *(f"%{' '.join(g)}%" for g in groupes),
    ]


__all__ = ["FTS", "JOURNAL_FTS", "TABLE", "ecrire", "hors_modele", "indexer_lignes", "install", "ligne", "mots",
           "plein_texte", "reconstruire", "requete"]  # fmt: skip
