"""The global search (Ctrl+K): one text, every area's items, by reference, title or text, accents and
case ignored, grouped by area, each result openable (area, item type, id).

A read-only catalogue of what is searched (``SOURCES``): the table, its reference, title and text
columns. Where the area's services maintain a folded search key (``cle_recherche``: actions, events,
risks, people) the search is SQL ``LIKE`` on it, one condition per word, stopped at ``limite``; the other
tables are small (indicators, criteria, evidence, crisis plans and fiches, reports) and are folded in
Python. Nothing here writes; the tables are found by name in the metadata (no area's models module is
imported), so that the search follows the columns each area declares."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, and_, select

from qualite_app.rules.text import fold
from qualite_app.storage.database import Database


@dataclass(frozen=True)
class Source:
    domaine: str  # area key (the page that opens the item)
    item_type: str
    libelle: str  # the group's heading
    table: str
    reference: str  # column
    titre: str  # column
    textes: tuple[str, ...] = ()
    cle: str | None = None  # folded search key maintained by the area's services
    #: extra condition on the table, as (column, value) pairs
    filtre: tuple[tuple[str, Any], ...] = ()
    #: a reference is composed of two columns (a person: first name + last name)
    titre2: str | None = None


SOURCES: tuple[Source, ...] = (
    Source("paqss", "action", "Actions PAQSS", "paqss_action", "reference", "titre", ("description",), cle="cle_recherche"),
    Source("indicateurs", "indicateur", "Indicateurs", "indicateur", "code", "libelle", ("description",)),
    Source("certification", "critere", "Critères", "certif_noeud", "ref", "titre", ("description",), filtre=(("type", "critere"), ("retire", False))),
    Source("certification", "preuve", "Preuves", "certif_preuve", "titre", "titre", ("description",)),
    Source("evenements", "evenement", "Événements", "evenement", "reference", "faits", (), cle="cle_recherche"),
    Source("risques", "risque", "Risques", "risque", "reference", "danger", ("processus",), cle="cle_recherche"),
    Source("crise", "plan", "Plans de crise", "crise_plan", "nom", "nom", ("description",)),
    Source("crise", "fiche", "Fiches réflexes", "crise_fiche", "titre", "titre", ("mission",)),
    Source("etablissement", "personne", "Personnes", "personne", "nom", "prenom", ("fonction",), cle="cle_recherche", titre2="nom"),
    Source("rapports", "rapport", "Rapports", "rapport_emis", "reference", "titre", ()),
)  # fmt: skip


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


def _cols(src: Source, t: Table) -> list[Any]:
    return [t.c.id, t.c[src.reference], t.c[src.titre], *[t.c[c] for c in src.textes]]


def _where(src: Source, t: Table) -> list[Any]:
    return [t.c[c] == v for c, v in src.filtre]


def _resultat(src: Source, row: Any) -> Resultat:
    ident, ref, titre = row[0], row[1] or "", row[2] or ""
    if src.titre2:  # a person: « Prénom NOM »
        return Resultat(src.domaine, src.item_type, ident, f"{titre} {ref}".strip(), "")
    if ref == titre:  # no reference of its own (evidence, plans, fiches): the title alone
        return Resultat(src.domaine, src.item_type, ident, "", _court(titre))
    return Resultat(src.domaine, src.item_type, ident, ref, _court(titre))


def _par_cle(db: Database, src: Source, t: Table, mots: list[str], texte: str, limite: int) -> list[Any]:
    """Two queries that stop early: the references that start with the text, latest first (a range on the reference's
    index: « EI-2026-004 » → EI-2026-00400…), then the folded key containing every word, newest first
    (the primary key walked backwards until ``limite + 1`` rows match)."""
    ref = t.c[src.reference]
    debut = texte.strip().upper()
    # SQLite compares bytes: a range walks the reference's index; elsewhere (a server's collation may
    # ignore U+FFFF) a plain « starts with »
    prefixe = (
        (ref >= debut) & (ref < debut + "\uffff")
        if db.engine.dialect.name == "sqlite"
        else ref.startswith(debut, autoescape=True)
    )
    with db.engine.connect() as conn:
        rows = list(conn.execute(
            select(*_cols(src, t)).where(*_where(src, t), prefixe).order_by(ref.desc()).limit(limite + 1)
        )) if debut and " " not in debut else []  # fmt: skip
        seen = {r[0] for r in rows}
        if len(rows) <= limite:
            cle = t.c[src.cle]  # type: ignore[index]
            q = select(*_cols(src, t)).where(
                *_where(src, t), and_(*[cle.contains(m, autoescape=True) for m in mots])
            )
            for r in conn.execute(q.order_by(t.c.id.desc()).limit(limite + 1 + len(rows))):
                if r[0] not in seen:
                    rows.append(r)
    return rows[: limite + 1]


def _en_python(db: Database, src: Source, t: Table, mots: list[str], limite: int) -> list[Any]:
    out: list[Any] = []
    debut: list[Any] = []
    with db.engine.connect() as conn:
        for row in conn.execute(select(*_cols(src, t)).where(*_where(src, t)).order_by(t.c.id)):
            texte = fold(" ".join(str(x) for x in row[1:] if x))
            if all(m in texte for m in mots):
                (debut if fold(row[1]).startswith(mots[0]) else out).append(row)
    return (debut + out)[: limite + 1]


def chercher(db: Database, texte: str, limite: int = 8) -> list[Groupe]:
    """The groups that have results, in ``SOURCES`` order; at most ``limite`` results each (``plus`` says
    there are more). Fewer than two characters: nothing (every item would match)."""
    mots = fold(texte).split()
    if not mots or len("".join(mots)) < 2:
        return []
    groupes = []
    for src in SOURCES:
        t = _table(src.table)
        if t is None:  # an area not installed in this build
            continue
        rows = _par_cle(db, src, t, mots, texte, limite) if src.cle else _en_python(db, src, t, mots, limite)
        if rows:
            g = Groupe(src.domaine, src.item_type, src.libelle, [_resultat(src, r) for r in rows[:limite]])
            g.plus = len(rows) > limite
            groupes.append(g)
    return groupes


def tout(groupes: list[Groupe]) -> list[Resultat]:
    return [r for g in groupes for r in g.resultats]


__all__ = ["SOURCES", "Groupe", "Resultat", "Source", "chercher", "tout"]
