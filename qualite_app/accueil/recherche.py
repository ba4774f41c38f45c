"""The global search (Ctrl+K): one text, every area's items, by reference, title or text, accents and
case ignored, grouped by area, each result openable (area, item type, id).

The items are found in the search index (``storage/index.py``: one row per item, written by the session
at every flush, in the same transaction as the item; full text by SQLite FTS5 or PostgreSQL's GIN index).
``SOURCES`` is the catalogue of what is shown: which table, under which heading, opened by which page.
In each group, the items whose reference is the text typed come first, then those whose reference starts
with it, then those whose title starts with it, then the others that hold every word typed (the last part
of each word as a prefix: « brev » finds « BRÉVANNE »), newest first. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, case, select
from sqlalchemy.engine import Connection

from qualite_app.rules.text import fold
from qualite_app.storage import index
from qualite_app.storage.database import Database


@dataclass(frozen=True)
class Source:
    domaine: str  # area key (the page that opens the item)
    item_type: str
    libelle: str  # the group's heading
    table: str  # the items' table: its model declares what is searched (``__recherche__``)


SOURCES: tuple[Source, ...] = (
    Source("paqss", "action", "Actions PAQSS", "paqss_action"),
    Source("indicateurs", "indicateur", "Indicateurs", "indicateur"),
    Source("certification", "critere", "Critères", "certif_noeud"),
    Source("certification", "preuve", "Preuves", "certif_preuve"),
    Source("evenements", "evenement", "Événements", "evenement"),
    Source("risques", "risque", "Risques", "risque"),
    Source("crise", "plan", "Plans de crise", "crise_plan"),
    Source("crise", "fiche", "Fiches réflexes", "crise_fiche"),
    Source("etablissement", "personne", "Personnes", "personne"),
    Source("rapports", "rapport", "Rapports", "rapport_emis"),
)


@dataclass(frozen=True)
class Resultat:
    domaine: str
    item_type: str
    item_id: int
    reference: str
    titre: str


@dataclass
class Groupe:
    domaine: str
    item_type: str
    libelle: str
    resultats: list[Resultat] = field(default_factory=list)
    #: more results than shown
    plus: bool = False


def _table(name: str) -> Table | None:
    from qualite_app.areas import load_models
    from qualite_app.storage.base import Base

    if name not in Base.metadata.tables:
        load_models()
    return Base.metadata.tables.get(name)


def _court(text: str | None, n: int = 90) -> str:
    t = " ".join((text or "").split())
    return t if len(t) <= n else t[: n - 1] + "…"


_I = index.TABLE
_COLS = (_I.c.id, _I.c.item_id, _I.c.reference, _I.c.titre)


def _commence(conn: Connection, col: Any, debut: str) -> Any:
    """« starts with », on the column's index: SQLite compares bytes, a range walks it; PostgreSQL's
    collation may ignore punctuation, a ``LIKE 'x%'`` walks its ``text_pattern_ops`` index."""
    if conn.dialect.name == "sqlite":
        return (col >= debut) & (col < debut + "\uffff")
    return col.startswith(debut, autoescape=True)


def _lignes(conn: Connection, src: Source, debut: str, groupes: list[list[str]], limite: int) -> list[Any]:
    """At most ``limite`` index rows of one source, best first (see the module's docstring)."""
    rows: list[Any] = []
    seen: set[int] = set()

    def add(found: Any) -> None:
        for r in found:
            if r[0] not in seen and len(rows) < limite:
                seen.add(r[0])
                rows.append(r)

    ref, titre = _I.c.cle_reference, _I.c.cle_titre
    add(conn.execute(
        select(*_COLS).where(_I.c.source == src.table, _commence(conn, ref, debut))
        .order_by(case((ref == debut, 0), else_=1), ref.desc()).limit(limite)
    ))  # fmt: skip
    if len(rows) < limite:
        add(conn.execute(
            select(*_COLS).where(_I.c.source == src.table, _commence(conn, titre, debut)).order_by(titre).limit(limite)
        ))  # fmt: skip
    if len(rows) < limite:
        ids = index.plein_texte(conn, src.table, groupes, limite + len(rows))
        if ids:
            found = {r[0]: r for r in conn.execute(select(*_COLS).where(_I.c.id.in_(ids)))}
            add(found[i] for i in ids if i in found)
    return rows


def _existants(conn: Connection, src: Source, rows: list[Any]) -> list[Any]:
    """The rows whose item still exists (an item removed by the database itself — a cascade — leaves its
    index row behind: it is not shown)."""
    t = _table(src.table)
    if t is None or not rows:
        return []
    ok = set(conn.execute(select(t.c.id).where(t.c.id.in_([r[1] for r in rows]))).scalars())
    return [r for r in rows if r[1] in ok]


def chercher(db: Database, texte: str, limite: int = 8) -> list[Groupe]:
    """The groups that have results, in ``SOURCES`` order; at most ``limite`` results each (``plus`` says
    there are more). Fewer than two characters: nothing (every item would match)."""
    groupes_mots = index.requete(texte)
    if len("".join(p for g in groupes_mots for p in g)) < 2:
        return []
    debut = fold(texte)
    out = []
    with db.engine.connect() as conn:
        for src in SOURCES:
            rows = _existants(conn, src, _lignes(conn, src, debut, groupes_mots, limite + 1))
            if rows:
                g = Groupe(src.domaine, src.item_type, src.libelle, [
                    Resultat(src.domaine, src.item_type, r[1], r[2] or "", _court(r[3]))
                    for r in rows[:limite]
                ])  # fmt: skip
                g.plus = len(rows) > limite
                out.append(g)
    return out


def tout(groupes: list[Groupe]) -> list[Resultat]:
    return [r for g in groupes for r in g.resultats]


__all__ = ["SOURCES", "Groupe", "Resultat", "Source", "chercher", "tout"]
