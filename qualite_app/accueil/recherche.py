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

from sqlalchemy import Table
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


_COLS = "r.id, r.item_id, r.reference, r.titre"


def _requete(
    dialect: str, src: Source, debut: str, groupes: list[list[str]], limite: int
) -> tuple[str, list[Any]]:
    """One statement per group: the reference equal to the text, the references then the titles that start
    with it, then the full-text matches newest first — each part at most ``limite`` rows, and only items
    that still exist (one removed by the database itself, a cascade, leaves its index row behind)."""
    existe = f"EXISTS (SELECT 1 FROM {src.table} t WHERE t.id = r.item_id)"
    if dialect == "sqlite":  # SQLite compares bytes: a range walks the index, in its order
        ref, ref_p = (
            "r.cle_reference >= ? AND r.cle_reference < ? ORDER BY r.cle_reference DESC",
            [debut, debut + "\uffff"],
        )
        tit, tit_p = "r.cle_titre >= ? AND r.cle_titre < ? ORDER BY r.cle_titre", [debut, debut + "\uffff"]
    else:  # a server's collation may ignore punctuation: « LIKE 'x%' » on a text_pattern_ops index
        motif = debut.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        ref, ref_p = "r.cle_reference LIKE ? ESCAPE '\\' ORDER BY r.cle_reference DESC", [motif]
        tit, tit_p = "r.cle_titre LIKE ? ESCAPE '\\' ORDER BY r.cle_titre", [motif]
    parts = [
        (f"r.source = ? AND r.cle_reference = ? AND {existe}", [src.table, debut]),
        (f"r.source = ? AND {existe} AND {ref}", [src.table, *ref_p]),
        (f"r.source = ? AND {existe} AND {tit}", [src.table, *tit_p]),
    ]
    if groupes:
        cond, p = index.plein_texte(dialect, src.table, groupes, limite * 4)
        parts.append((f"{cond} AND {existe} ORDER BY r.id DESC", p))
    sql = " UNION ALL ".join(
        f"SELECT * FROM (SELECT {k} AS rang, {_COLS} FROM recherche r WHERE {cond} LIMIT ?) AS p{k}"
        for k, (cond, _p) in enumerate(parts)
    )
    return sql, [v for _c, p in parts for v in (*p, limite)]


def _lignes(conn: Connection, src: Source, debut: str, groupes: list[list[str]], limite: int) -> list[Any]:
    """At most ``limite`` index rows of one source, best first (see the module's docstring)."""
    sql, params = _requete(conn.dialect.name, src, debut, groupes, limite)
    if conn.dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    rows: list[Any] = []
    seen: set[int] = set()
    for r in sorted(
        conn.exec_driver_sql(sql, tuple(params)).all(), key=lambda r: r[0]
    ):  # stable: each part's order
        if r[1] not in seen and len(rows) < limite:
            seen.add(r[1])
            rows.append(r[1:])
    return rows


def chercher(db: Database, texte: str, limite: int = 8) -> list[Groupe]:
    """The groups that have results, in ``SOURCES`` order; at most ``limite`` results each (``plus`` says
    there are more). Fewer than two characters: nothing (every item would match)."""
    groupes_mots = index.requete(texte)
    debut = fold(texte)
    if len(debut.replace(" ", "")) < 2 or not index.mots(texte):
        return []
    out = []
    with db.engine.connect() as conn:
        for src in SOURCES:
            if _table(src.table) is None:  # an area not installed in this build
                continue
            rows = _lignes(conn, src, debut, groupes_mots, limite + 1)
            if rows:
                g = Groupe(src.domaine, src.item_type, src.libelle, [
                    Resultat(src.domaine, src.item_type, r[1], r[2] or "", _court(r[3]))
                    for r in rows[:limite]
                ])  # fmt: skip
                g.plus = len(rows) > limite
                out.append(g)
    return out


def reindexer(db: Database) -> int:
    """Rebuild the whole search index from the items' tables, in one transaction, journaled (a repair:
    ``qualite chercher --reindexer``; the index is otherwise kept in step at every write). Returns how many
    rows were read."""
    from qualite_app.storage import audit

    with db.unit_of_work() as s:
        n = index.reconstruire(s.connection())
        audit.touched(s).add(index.TABLE.name)
        audit.record_event(
            s, "maintenance", "Recherche", "Index de la recherche reconstruit", f"{n} éléments relus"
        )
    return n


def tout(groupes: list[Groupe]) -> list[Resultat]:
    return [r for g in groupes for r in g.resultats]


__all__ = ["SOURCES", "Groupe", "Resultat", "Source", "chercher", "reindexer", "tout"]
