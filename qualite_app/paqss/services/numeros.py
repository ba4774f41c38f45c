"""A new action's number: its objective and the year it numbers in, the next PAQSS-YYYY-NNN of that year, and on
PostgreSQL (several users creating at once) the lock of that number until the commit."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from qualite_app.paqss import rules
from qualite_app.paqss.models import PaqssAction, PaqssAxe, PaqssObjectif, PaqssProgramme

#: an objective with its programme's start (the year of the references it numbers): one query, not two
_OBJECTIF_ET_DEBUT = (
    select(PaqssObjectif, PaqssProgramme.debut)
    .outerjoin(PaqssAxe, PaqssAxe.id == PaqssObjectif.axe_id)
    .outerjoin(PaqssProgramme, PaqssProgramme.id == PaqssAxe.programme_id)
    .where(PaqssObjectif.id == bindparam("oid"))
)


def _objectif_et_annee(s: Session, objectif_id: int, today: date) -> tuple[PaqssObjectif | None, int]:
    """The objective (None when it no longer exists) and the year of the references created under it."""
    row = s.execute(_OBJECTIF_ET_DEBUT, {"oid": objectif_id}).first()
    debut = row[1] if row is not None else None
    return (row[0] if row is not None else None), (max(debut.year, today.year) if debut else today.year)


_OBJECTIF_COLONNES = tuple(c.name for c in PaqssObjectif.__table__.c)  # type: ignore[attr-defined]
#: how many of the year's highest references a creation reads (longest, then greatest, from the index's end): the
#: highest well-formed one is among them unless as many longer ones were typed by hand (« PAQSS-2026-0007 »); only
#: such ones read: all of the year's are read. Each one read costs the server a visit of the table when the row is
#: recent (not yet all-visible): 50 of them were a third of its work for a creation, among a team creating at once
PLUS_HAUTES = 10
#: PostgreSQL, a creation's first trip to the server, one statement: its objective with its programme's start,
#: the highest references of this year (the year of nearly every creation: a programme starting next year reads
#: again) and, when asked, the new action's id taken from its column's sequence (a number taken is never given
#: again, used or not)
_CREATION_PG = (
    f"SELECT {', '.join('o.' + c for c in _OBJECTIF_COLONNES)}, p.debut, "
    "ARRAY(SELECT reference FROM paqss_action WHERE reference LIKE %(motif)s "
    f"ORDER BY length(reference) DESC, reference DESC LIMIT {PLUS_HAUTES}), "
    "CASE WHEN %(reserver)s::boolean THEN nextval(pg_get_serial_sequence('paqss_action', 'id')) END "
    "FROM paqss_objectif o LEFT JOIN paqss_axe a ON a.id = o.axe_id "
    "LEFT JOIN paqss_programme p ON p.id = a.programme_id WHERE o.id = %(oid)s"
)


def debut_de_creation(
    s: Session, objectif_id: int, today: date, *, reserver_id: bool = False
) -> tuple[PaqssObjectif | None, int, list[str] | None, int | None]:
    """A creation's objective (None when it no longer exists), the year it numbers in, when already read the
    highest references of that year (else None) and, with ``reserver_id`` on PostgreSQL, the id the new action
    will have (taken from its sequence: the INSERT can then wait for the commit's trip, ``storage.directe``;
    else None). On PostgreSQL they come back in one statement, in one trip to the server with the transaction's
    BEGIN (a pipeline), without the ORM's query machinery, and the objective is put in the session as it was read
    (``make_transient_to_detached``: no second query): the journal names it from there. Elsewhere:
    ``_objectif_et_annee``."""
    if s.get_bind().dialect.name != "postgresql":
        return (*_objectif_et_annee(s, objectif_id, today), None, None)
    raw: Any = s.connection().connection.driver_connection
    with raw.pipeline(), raw.cursor() as cur:
        cur.execute(
            _CREATION_PG, {"oid": objectif_id, "motif": f"PAQSS-{today.year}-%", "reserver": reserver_id}
        )
        row = cur.fetchone()
    if row is None:
        return None, today.year, None, None
    n = len(_OBJECTIF_COLONNES)
    debut, top, ident = row[n], list(row[n + 1]), row[n + 2]
    annee = max(debut.year, today.year) if debut else today.year
    objectif = s.identity_map.get(identity_key(PaqssObjectif, objectif_id))
    if objectif is None:
        objectif = PaqssObjectif(**dict(zip(_OBJECTIF_COLONNES, row[:n], strict=True)))
        make_transient_to_detached(objectif)
        s.add(objectif)
    return objectif, annee, (top if annee == today.year else None), ident  # type: ignore[return-value]


#: the highest references of a year first (longest, then greatest): a few rows read, not the whole programme
_PLUS_HAUTES = (
    select(PaqssAction.reference)
    .where(PaqssAction.reference.like(bindparam("motif")))
    .order_by(func.length(PaqssAction.reference).desc(), PaqssAction.reference.desc())
    .limit(PLUS_HAUTES)
)
#: PostgreSQL, in one trip to the server: the lock of the first free number among the next ones (several
#: users create at once: the numbers just above the highest are being taken by them), then (a later statement,
#: so a later snapshot, taken once the lock is held) which of these references a committed action already has
#: the numbers from ``d`` to ``f`` in their order, the lock of each keyed ``a × 100,000 + number`` (int4; two numbers
#: sharing a key: one is skipped); the references to check as one text (commas between): no array to encode
_VERROU_NUMERO = (
    "SELECT n FROM generate_series(%(d)s::int, %(f)s::int) AS n "
    "WHERE pg_try_advisory_xact_lock(%(c)s::int, %(a)s::int * 100000 + n %% 100000) LIMIT 1"
)
#: (each reference looked up in the unique index, one by one: ``reference = ANY(…)`` let the planner scan the
#: whole table once it held a few hundred actions — 0.8 ms of the server's time per creation; a plain EXISTS
#: became a hash join over the table too: LATERAL … LIMIT 1 keeps it a nested loop on the index)
_NUMEROS_PRIS = (
    "SELECT r FROM unnest(string_to_array(%(r)s::text, ',')) AS r, "
    "LATERAL (SELECT FROM paqss_action a WHERE a.reference = r LIMIT 1) AS x"
)
#: how many numbers one trip to the server tries
_ESSAIS = 16
#: PostgreSQL advisory lock class of the reference numbers being created (one lock per number, not one for all)
REFERENCE_LOCK = 7160521


def _ecrite(ref: str, year: int) -> bool:
    """Whether ``ref`` is one this module writes (PAQSS-YYYY-NNN, no leading zero beyond three digits): the first
    such one in the order read (longest, then greatest) is the highest of them."""
    tail = ref.rsplit("-", 1)[-1]
    return ref == f"PAQSS-{year}-{tail}" and tail.isascii() and tail.isdigit() and f"{int(tail):03d}" == tail


def next_reference(
    s: Session, objectif_id: int, today: date, annee: int | None = None, top: list[str] | None = None
) -> str:
    """The next PAQSS-YYYY-NNN after the highest of the year.

    On PostgreSQL several users create actions at once: each takes, until its commit, the lock of the number
    it chooses (``pg_try_advisory_xact_lock(REFERENCE_LOCK, number)``) and, once it holds it, checks that no
    committed action has it; a number held by a creation in progress is skipped. No two transactions can
    hold the same number, so no collision, and nobody waits for another's whole save. A creation that is
    cancelled (an error, a refused save) after a later number was taken by someone else leaves that number
    unused: references are unique and increasing, not always consecutive. On SQLite (one writer) they are.
    The lock of the first free number among the next 16 and the check of those references go to the server
    in one trip (a pipeline), so that a writer arriving among seven others creating at once does not pay one
    trip per number taken. ``annee``: the year of the references, when the caller already read it with the
    objective; ``top``: the highest references of that year, when it read them too.
    """
    year = annee if annee is not None else _objectif_et_annee(s, objectif_id, today)[1]
    if top is None:
        top = list(s.scalars(_PLUS_HAUTES, {"motif": f"PAQSS-{year}-%"}))
    ref = rules.prochaine_reference(year, top)
    if top and (
        ref == f"PAQSS-{year}-001" or (len(top) >= PLUS_HAUTES and not any(_ecrite(r, year) for r in top))
    ):
        # only odd references at the top (typed by hand): the highest one written here may be further, read them all
        like = PaqssAction.reference.like(f"PAQSS-{year}-%")
        ref = rules.prochaine_reference(year, s.scalars(select(PaqssAction.reference).where(like)))
    if s.get_bind().dialect.name != "postgresql":
        return ref
    number = int(ref.rsplit("-", 1)[1])
    raw: Any = s.connection().connection.driver_connection
    while True:
        refs = ",".join(f"PAQSS-{year}-{n:03d}" for n in range(number, number + _ESSAIS))
        with raw.pipeline(), raw.cursor() as verrou, raw.cursor() as pris:
            verrou.execute(
                _VERROU_NUMERO,
                {"d": number, "f": number + _ESSAIS - 1, "a": year % 20000, "c": REFERENCE_LOCK},
            )
            pris.execute(_NUMEROS_PRIS, {"r": refs})
            row, taken = verrou.fetchone(), {r for (r,) in pris.fetchall()}
        if row is not None:
            # a committed action that took this number before letting it go is seen: the lock is kept (until
            # the commit) but the number skipped
            ref = f"PAQSS-{year}-{row[0]:03d}"
            if ref not in taken:
                return ref
            number = row[0] + 1
        else:  # every one of them is being taken by someone else
            number += _ESSAIS
