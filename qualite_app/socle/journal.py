"""Reading the audit journal (it is written by the session, never edited): the ONE reader.

Every screen that shows journal lines goes through ``list_entries``: coded values shown with their
labels (« Réalisée », not « realisee »), each UTC timestamp converted with the offset of its own
date (a line written in July shows summer time, even when read in December).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Integer, and_, column, func, literal_column, or_, select, text
from sqlalchemy import table as sql_table

from qualite_app.rules.formats import debut_utc, to_utc  # noqa: F401 (to_utc: a public name here)
from qualite_app.socle.comptes import sommes
from qualite_app.storage import chain
from qualite_app.storage.audit import CREATION_SEPARATOR
from qualite_app.storage.database import Database
from qualite_app.storage.index import JOURNAL_FTS
from qualite_app.storage.tables import JournalAudit

#: what ``verify`` returns (named here for the callers that must not reach into storage: the GUI)
VerificationJournal = chain.VerificationJournal


@dataclass(frozen=True)
class JournalRow:
    id: int
    horodatage: datetime
    utilisateur: str
    action: str
    entite_type: str
    entite_libelle: str
    champ: str
    ancienne_valeur: str
    nouvelle_valeur: str


def to_local(utc: datetime) -> datetime:
    """A naive UTC timestamp → naive local time, with the offset in force on that date."""
    return utc.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


def _utc_bounds(du: date | None, au: date | None) -> tuple[datetime | None, datetime | None]:
    """Local calendar days → UTC datetimes (the journal stores UTC)."""
    lo = debut_utc(du) if du else None
    hi = debut_utc(au + timedelta(days=1)) if au else None
    return lo, hi


@cache
def _vocabularies() -> dict[tuple[str, str], dict[str, str]]:
    """(table, field label as journaled) → {code as journaled: label}, from the models' ``__audit_values__``."""
    from qualite_app.storage.audit import format_value
    from qualite_app.storage.base import Base

    out: dict[tuple[str, str], dict[str, str]] = {}
    from qualite_app.areas import load_models

    load_models()
    for mapper in Base.registry.mappers:
        model = mapper.class_
        for key, labels in getattr(model, "__audit_values__", {}).items():
            champ = model.__audit_fields__.get(key, key)
            out[(model.__tablename__, champ)] = {str(format_value(code)): label for code, label in labels.items()}
    return out


def readable(table: str, champ: str, value: str) -> str:
    """A journaled value as the user knows it. Creation lines list « Champ : valeur » pairs."""
    if not value:
        return value
    voc = _vocabularies()
    if champ:
        labels = voc.get((table, champ))
        return labels.get(value, value) if labels else value
    if " : " not in value:
        return value
    parts = []
    for part in value.split(CREATION_SEPARATOR):
        label, sep, v = part.partition(" : ")
        labels = voc.get((table, label)) if sep else None
        parts.append(f"{label} : {labels.get(v, v)}" if labels else part)
    return CREATION_SEPARATOR.join(parts)


def list_entries(
    db: Database,
    *,
    du: date | None = None,
    au: date | None = None,
    entite_type: str | None = None,
    utilisateur: str | None = None,
    texte: str = "",
    entite_table: str | None = None,
    entite_id: int | None = None,
    item: tuple[str, int] | None = None,
    limite: int = 5000,
    offset: int = 0,
) -> list[JournalRow]:
    """Newest first. ``item=(table, id)``: the lines of that item and of the items that belong to it
    (an action's milestones, comments and team; an indicator's targets and results). ``offset``: the
    next page of a list read page by page."""
    q = _filtered(
        _columns(),
        du=du, au=au, entite_type=entite_type, utilisateur=utilisateur, texte=texte,
        entite_table=entite_table, entite_id=entite_id, item=item, sqlite=_sqlite(db, texte),
    )  # fmt: skip
    q = q.limit(limite).offset(offset)
    with db.session() as s:
        return [_row(r) for r in s.execute(q)]


def _columns() -> Any:
    j = JournalAudit
    return select(
        j.id,
        j.horodatage,
        j.utilisateur_os,
        j.utilisateur_nom,
        j.action,
        j.entite_type,
        j.entite_libelle,
        j.champ,
        func.coalesce(j.ancienne_valeur, ""),
        func.coalesce(j.nouvelle_valeur, ""),
        j.entite_table,
    )


def _sqlite(db: Database, texte: str = "") -> str | None:
    """None on another engine; on SQLite, ``"trigrammes"`` when a text is searched and the journal's trigram
    index (migration 0019) is there, else ``"balayage"`` (no text, or an old SQLite library without the
    trigram tokenizer: every line is read)."""
    if db.engine.dialect.name != "sqlite":
        return None
    if not texte:
        return "balayage"
    with db.engine.connect() as conn:
        present = conn.execute(text(f"SELECT 1 FROM sqlite_master WHERE name = '{JOURNAL_FTS}'")).first()
    return "trigrammes" if present else "balayage"


#: trigrams asked of the index at most (a sieve: fewer trigrams, a few more lines for the LIKE to check)
_TRIGRAMMES_MAX = 16


def _trigrammes(texte: str) -> str | None:
    """The FTS5 query of the trigrams every matching line holds: each run of three characters of the text
    typed (between the LIKE wildcards ``%`` and ``_``, which the filter keeps as they are), all of them
    required; None when the text has no run of three characters (the lines are read one by one)."""
    morceaux = [m for m in texte.replace("_", "%").split("%") if len(m) >= 3]
    vus = list(dict.fromkeys(m[i : i + 3] for m in morceaux for i in range(len(m) - 2)))
    if not vus:
        return None
    if len(vus) > _TRIGRAMMES_MAX:  # spread over the whole text: its beginning, middle and end all sieve
        pas = len(vus) / _TRIGRAMMES_MAX
        vus = [vus[int(i * pas)] for i in range(_TRIGRAMMES_MAX)]
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in vus)


def matching_ids(
    db: Database,
    *,
    du: date | None = None,
    au: date | None = None,
    entite_type: str | None = None,
    utilisateur: str | None = None,
    texte: str = "",
    plafond: int = 5000,
) -> list[int]:
    """The ids of the lines ``list_entries`` gives with these filters, newest first, up to ``plafond``:
    ONE pass over the journal says how many lines there are and where each page of them is
    (``entries_by_ids``) — a text searched is read once, not once to list and again to count."""
    q = _filtered(select(JournalAudit.id), du=du, au=au, entite_type=entite_type, utilisateur=utilisateur,
                  texte=texte, sqlite=_sqlite(db, texte))  # fmt: skip
    with db.session() as s:
        return list(s.scalars(q.limit(plafond)))


def entries_by_ids(db: Database, ids: Sequence[int]) -> list[JournalRow]:
    """The lines ``ids`` (a page of ``matching_ids``), newest first."""
    if not ids:
        return []
    q = _columns().where(JournalAudit.id.in_(list(ids))).order_by(JournalAudit.id.desc())
    with db.session() as s:
        return [_row(r) for r in s.execute(q)]


def _filtered(
    q: Any,
    *,
    du: date | None,
    au: date | None,
    entite_type: str | None,
    utilisateur: str | None,
    texte: str,
    entite_table: str | None = None,
    entite_id: int | None = None,
    item: tuple[str, int] | None = None,
    sqlite: str | None = None,
) -> Any:
    """``q`` filtered, newest first."""
    j = JournalAudit
    recent_first = j.id.desc()
    lo, hi = _utc_bounds(du, au)
    if lo is not None:
        q = q.where(j.horodatage >= lo)
    if hi is not None:
        q = q.where(j.horodatage < hi)
    if entite_type:
        q = q.where(j.entite_type == entite_type)
    if entite_table:
        q = q.where(j.entite_table == entite_table)
    if entite_id is not None:
        q = q.where(j.entite_id == entite_id)
    if item is not None:
        table, ident = item
        q = q.where(or_(and_(j.entite_table == table, j.entite_id == ident), and_(j.parent_table == table, j.parent_id == ident)))
    if utilisateur:
        q = q.where(or_(j.utilisateur_os == utilisateur, j.utilisateur_nom == utilisateur))
    if texte:
        like = f"%{texte}%"
        # SQLite's LIKE ignores the case already (of ASCII letters, as its lower() does): ILIKE there would
        # lower every value of four columns of every line first, twice as slow for the same lines
        cols = (j.entite_libelle, j.champ, j.ancienne_valeur, j.nouvelle_valeur)
        q = q.where(or_(*(c.like(like) if sqlite else c.ilike(like) for c in cols)))
        # SQLite: the trigram index gives the lines that may hold the text, the LIKE above decides (case and
        # accents as before); read newest first from the index, it stops at the cap even when the text is
        # in every line (« service »: 13 ms, against 45 ms for « id IN (its lines) » and 25 ms read line by
        # line on 124,000 lines; « action », in 545 of them: 25 ms, against 150 to 300 ms line by line).
        # PostgreSQL: ILIKE uses the pg_trgm index by itself (migration 0019).
        motif = _trigrammes(texte) if sqlite == "trigrammes" else None
        if motif is not None:
            fts = sql_table(JOURNAL_FTS, column("rowid", Integer))
            q = q.join(fts, fts.c.rowid == j.id).where(literal_column(JOURNAL_FTS).op("MATCH")(motif))
            recent_first = fts.c.rowid.desc()
    return q.order_by(recent_first)


def _row(r: Any) -> JournalRow:
    table = r[10] or ""
    return JournalRow(
        id=r[0],
        horodatage=to_local(r[1]),
        utilisateur=f"{r[3]} ({r[2]})" if r[3] else r[2],
        action=r[4],
        entite_type=r[5],
        entite_libelle=r[6],
        champ=r[7],
        ancienne_valeur=readable(table, r[7], r[8]),
        nouvelle_valeur=readable(table, r[7], r[9]),
    )


def pointe(db: Database) -> tuple[int, str | None] | None:
    """The journal's tip (its last line's id and hash; None when empty): every change a user makes writes
    the journal in the same transaction, chained, one writer at a time — the same tip, the same content
    (``accueil/memoire.py`` keys the home page on it). One lookup on the primary key."""
    with db.session() as s:
        q = select(JournalAudit.id, JournalAudit.empreinte).order_by(JournalAudit.id.desc()).limit(1)
        row = s.execute(q).first()
    return (int(row[0]), row[1]) if row else None


def entity_types(db: Database) -> list[str]:
    with db.session() as s:
        return [t for t in s.scalars(select(JournalAudit.entite_type).distinct().order_by(JournalAudit.entite_type))]


def users(db: Database) -> list[str]:
    with db.session() as s:
        return [u for u in s.scalars(select(JournalAudit.utilisateur_os).distinct().order_by(JournalAudit.utilisateur_os))]


def verify(db: Database, progress: Callable[[int], None] | None = None) -> chain.VerificationJournal:
    """Re-read the whole journal in order and check each line's hash and link (``qualite journal verify``,
    Aide › Vérifier le journal)."""
    j = JournalAudit
    cols = [j.id, *(getattr(j, f) for f in chain.FIELDS), j.empreinte_precedente, j.empreinte]
    with db.session() as s:
        rows = s.execute(select(*cols).order_by(j.id).execution_options(yield_per=5000))

        def counted() -> Any:
            for n, row in enumerate(rows, 1):
                if progress is not None and n % 5000 == 0:
                    progress(n)
                yield row

        return chain.verify(counted())


def compter_queries(lo: datetime, sauf: tuple[str, ...] = (), limite: int = 5000) -> tuple[Any, Any, Any]:
    """The statements behind ``compter_depuis`` (lines since ``lo``, UTC): how many, up to ``limite + 1`` —
    on the timestamp's index: a quiet day among a million lines reads nothing more (a newest-first walk
    would read them all to learn that there are none) —, and the (type, author, count) of all of them, or of
    the latest ``limite`` only."""
    j = JournalAudit
    where: list[Any] = [j.horodatage >= lo]
    if sauf:
        where += [j.utilisateur_os.not_in(sauf), func.coalesce(j.utilisateur_nom, "").not_in(sauf)]
    auteur = func.coalesce(func.nullif(j.utilisateur_nom, ""), j.utilisateur_os).label("auteur")
    combien = select(func.count()).select_from(select(j.id).where(*where).limit(limite + 1).subquery())
    q = select(j.entite_type, auteur).where(*where)

    def paires(recent: Any) -> Any:  # one pass, counted by (type, author), summed both ways by ``comptes.sommes``
        return select(recent.c.entite_type, recent.c.auteur, func.count()).group_by(recent.c.entite_type, recent.c.auteur)

    return combien, paires(q.subquery()), paires(q.order_by(j.id.desc()).limit(limite).subquery())


def compter_depuis(
    db: Database, du: date, *, sauf: tuple[str, ...] = (), limite: int = 5000
) -> tuple[list[tuple[str, int]], list[tuple[str, int]], bool]:
    """The latest ``limite`` lines written since ``du`` (local date, inclusive), counted in SQL: (by item
    type, by author, most frequent first; complete — False when more lines were written than counted);
    ``sauf``: logins or display names left out (one's own changes, in team mode)."""
    combien_q, tout_q, recent_q = compter_queries(debut_utc(du), sauf, limite)
    with db.session() as s:
        combien = s.execute(combien_q).scalar_one()
        if not combien:
            return [], [], True
        complet = combien <= limite
        pairs = s.execute(tout_q if complet else recent_q).all()
    return (*sommes([tuple(p) for p in pairs]), complet)


def changements_depuis(s: Any, table: str, ident: int, depuis: datetime | None, *, limite: int = 200) -> list[str]:
    """What the journal holds about one item (its own lines and those of its parts: a fiche's tasks, an
    action's milestones) written after ``depuis`` (UTC), oldest first, in the session ``s``:
    « Julien ARSAC, 01/12/2026 14:05 — Échéance : 31/03/2027 → 30/04/2027 »."""
    j = JournalAudit
    q = select(j).where(
        or_(and_(j.entite_table == table, j.entite_id == ident), and_(j.parent_table == table, j.parent_id == ident))
    )
    if depuis is not None:
        q = q.where(j.horodatage > depuis)
    out = []
    for r in s.scalars(q.order_by(j.id).limit(limite)):
        who = r.utilisateur_nom or r.utilisateur_os
        when = to_local(r.horodatage).strftime("%d/%m/%Y %H:%M")
        if r.champ:
            old = readable(r.entite_table, r.champ, r.ancienne_valeur or "") or "—"
            new = readable(r.entite_table, r.champ, r.nouvelle_valeur or "") or "—"
            if old != new:  # « — → — »: an empty text became None, nothing the user would see
                out.append(f"{who}, {when} — {r.champ} : {old} → {new}")
        else:
            out.append(f"{who}, {when} — {r.action} {r.entite_type.lower()} « {r.entite_libelle} »")
    return out
