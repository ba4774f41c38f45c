"""The journal proves itself: each line stores the hash of its content chained to the previous line's.

``empreinte = SHA-256(empreinte_precedente + canonical content)``. A line edited in place no longer
matches its own hash; a line removed breaks the next line's link; a line slipped in (back-dated or
not) must forge every later hash and, when back-dated, breaks the order of time. The database
triggers refuse UPDATE and DELETE; the chain shows it when someone went around them with sqlite3.

Version 1 of the canonical form; migration 0006 holds a frozen copy of it to chain older lines.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

#: the journal's columns that the hash covers, in this order.
FIELDS: tuple[str, ...] = (
    "horodatage", "operation", "utilisateur_os", "utilisateur_nom", "action", "entite_type",
    "entite_table", "entite_id", "entite_libelle", "champ", "ancienne_valeur", "nouvelle_valeur",
)  # fmt: skip
GENESIS = ""
#: UTC timestamps may step back a little between two machines of a team, never by more.
CLOCK_TOLERANCE = timedelta(minutes=10)


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.%f")
    if isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and value[10:11] in (" ", "T") and value[13:14] == ":":
        try:  # a timestamp read back as text (raw SQL on SQLite)
            return datetime.fromisoformat(value).strftime("%Y-%m-%dT%H:%M:%S.%f")
        except ValueError:
            return value
    return value


def payload(values: Sequence[Any]) -> str:
    """The canonical text of one line's content (``values`` in the order of ``FIELDS``): what is hashed
    after the previous line's hash. It does not depend on the previous line, so it can be prepared before
    the journal's lock is taken."""
    return json.dumps([_canonical(v) for v in values], ensure_ascii=False, separators=(",", ":"))


def link_hash(previous: str, text: str) -> str:
    """``SHA-256(previous + "\\n" + payload)`` in hex; on PostgreSQL the same is computed by the server as
    ``encode(sha256(convert_to(previous || chr(10) || payload, 'UTF8')), 'hex')`` (see audit.py)."""
    return hashlib.sha256((previous + "\n" + text).encode("utf-8")).hexdigest()


def line_hash(previous: str, values: Sequence[Any]) -> str:
    """Hash of one line: ``values`` in the order of ``FIELDS``."""
    return link_hash(previous, payload(values))


def chain(previous: str, rows: Iterable[Sequence[Any]]) -> Iterator[tuple[str, str]]:
    """(empreinte_precedente, empreinte) for each row in turn, starting after ``previous``."""
    for values in rows:
        h = line_hash(previous, values)
        yield previous, h
        previous = h


@dataclass
class Anomalie:
    ligne: int  # journal line id
    nature: str  # "modifiée", "manquante", "antidatée", "non chaînée"
    message: str


@dataclass
class VerificationJournal:
    lignes: int = 0
    anomalies: list[Anomalie] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.anomalies

    @property
    def premiere(self) -> Anomalie | None:
        return self.anomalies[0] if self.anomalies else None

    def resume(self) -> str:
        if self.intact:
            return f"Journal intact : {self.lignes} ligne(s), chaîne d'empreintes complète et ordre du temps respecté."
        first = self.anomalies[0]
        more = f" ({len(self.anomalies) - 1} autre(s) anomalie(s) ensuite)" if len(self.anomalies) > 1 else ""
        return f"JOURNAL ALTÉRÉ : {first.message}{more}."


def verify(rows: Iterable[Sequence[Any]], *, limit: int = 50) -> VerificationJournal:
    """``rows``: (id, *FIELDS, empreinte_precedente, empreinte) in id order. Lists the anomalies found,
    the first broken link first."""
    report = VerificationJournal()
    previous = GENESIS
    last_time: datetime | None = None
    for row in rows:
        report.lignes += 1
        ident, values, prev_stored, stored = row[0], row[1 : 1 + len(FIELDS)], row[-2], row[-1]
        if len(report.anomalies) >= limit:
            continue
        if stored is None:
            report.anomalies.append(Anomalie(ident, "non chaînée", f"la ligne n° {ident} n'a pas d'empreinte (ajoutée hors de l'application)"))
        elif prev_stored != previous:
            report.anomalies.append(
                Anomalie(ident, "manquante", f"la ligne n° {ident} ne suit pas la ligne qui la précède : une ou plusieurs lignes ont été supprimées ou insérées juste avant elle")
            )
        elif line_hash(prev_stored, values) != stored:
            report.anomalies.append(Anomalie(ident, "modifiée", f"le contenu de la ligne n° {ident} ne correspond plus à son empreinte : elle a été modifiée ou forgée"))
        when = values[0]
        if isinstance(when, str):
            try:
                when = datetime.fromisoformat(when)
            except ValueError:
                when = None
        if isinstance(when, datetime):
            if last_time is not None and when < last_time - CLOCK_TOLERANCE:
                report.anomalies.append(
                    Anomalie(ident, "antidatée", f"la ligne n° {ident} est datée du {when:%d/%m/%Y %H:%M} UTC, avant la ligne qui la précède : elle a été antidatée ou insérée après coup")
                )
            last_time = when if last_time is None else max(last_time, when)
        previous = stored if stored is not None else previous
    return report
