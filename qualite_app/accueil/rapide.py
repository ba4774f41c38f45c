"""« Aujourd'hui » computed before SQLAlchemy is imported — the first launch of the day, or after the base
changed (every morning in team mode): the plans of ``formes`` run on a raw read-only ``sqlite3`` connection
with the statements precompiled for SQLite (``precompiler.py``, ``requetes_sqlite.json``), in one read
transaction with the key (``memoire``) they are then kept under.

Nothing here may show an error: whatever fails (a base at another schema revision, a missing resource file,
a locked base, anything unexpected) gives None and the page is computed the normal way once the base is
open. Nothing is written to the base (``mode=ro``)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from qualite_app.accueil import formes, memoire, rules
from qualite_app.accueil.rules import Alerte, Resume

#: the resource files' layout (``precompiler.py`` writes it); another one is not read
FORMAT = 1
#: the format SQLAlchemy stores a datetime in on SQLite
_INSTANT_SQLITE = "%Y-%m-%d %H:%M:%S.%f"


def fichier(dialecte: str) -> Path:
    """The statements precompiled for ``dialecte``, shipped with the application."""
    return Path(__file__).with_name(f"requetes_{dialecte}.json")


@cache
def requetes(dialecte: str) -> dict[str, Any] | None:
    """The precompiled statements for ``dialecte`` (None: no such file, or another format)."""
    try:
        data = json.loads(fichier(dialecte).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


def _lier(spec: dict[str, Any], valeurs: dict[str, Any], dialecte: str) -> Any:
    """A statement's bound parameter for these values, as SQLAlchemy would bind it on ``dialecte``."""
    if "v" in spec:
        return spec["v"]
    v = valeurs[spec["p"]]
    if "i" in spec:
        v = v[spec["i"]]
    if isinstance(v, datetime):
        return v.strftime(_INSTANT_SQLITE) if dialecte == "sqlite" else v
    if isinstance(v, date):
        v = v + timedelta(days=spec.get("jours", 0))
        return v.isoformat() if dialecte == "sqlite" else v
    return v


def _lecture(genre: str) -> Any:
    """How a raw driver's value (never None) of a result column of this kind becomes what SQLAlchemy's
    result would give."""
    if genre == "date":
        return lambda v: v if isinstance(v, date) else date.fromisoformat(v)
    if genre == "datetime":
        return lambda v: v if isinstance(v, datetime) else datetime.fromisoformat(v)
    if genre == "bool":
        return bool
    if genre == "json":
        return lambda v: json.loads(v) if isinstance(v, str) else v
    if genre == "decimal":
        from decimal import Decimal

        return lambda v: v if isinstance(v, Decimal) else Decimal(str(v))
    raise ValueError(genre)


def _lignes(rows: list[Any], genres: list[str | None]) -> list[tuple[Any, ...]]:
    """The rows as tuples, the columns that need it read back (``_lecture``)."""
    lectures = [(i, _lecture(g)) for i, g in enumerate(genres) if g is not None]
    if not lectures:
        return [tuple(r) for r in rows]
    out = []
    for r in rows:
        row = list(r)
        for i, lire in lectures:
            if row[i] is not None:
                row[i] = lire(row[i])
        out.append(tuple(row))
    return out


def lecteur(cursor_execute: Any, dialecte: str) -> Any:
    """``lire(name, parameters)`` for ``formes.conduire``, on a raw DB-API ``execute(sql, params)``
    returning the rows."""
    data = requetes(dialecte)
    if data is None:
        raise LookupError(dialecte)
    stmts = data["requetes"]

    def lire(nom: str, valeurs: dict[str, Any]) -> formes.Lignes:
        st = stmts[nom]
        rows = cursor_execute(st["sql"], tuple(_lier(p, valeurs, dialecte) for p in st["params"]))
        return _lignes(rows, st["colonnes"])

    return lire


def tout(
    lire: Any, today: date, depuis: date, nom_affiche: str, sauf: tuple[str, ...] = ()
) -> tuple[list[Alerte], Resume]:
    """The page's lines for ``today`` and the digest from ``depuis``, every plan run through ``lire``."""
    moi = formes.conduire(formes.moi(nom_affiche), lire) if nom_affiche.strip() else None
    out: list[Alerte] = []
    for plan in formes.PLANS.values():
        out += formes.conduire(plan(today, moi), lire)
    par_type, par_auteur, complet = formes.conduire(formes.journal(depuis, sauf), lire)
    return rules.classer(out), Resume(depuis, sum(n for _t, n in par_type), complet, par_type, par_auteur)


def calculer(
    chemin: str, compte: str, nom: str, today: date, depuis: date
) -> tuple[memoire.Cle, list[Alerte], Resume] | None:
    """The SQLite base at ``chemin``: its key, today's lines and the digest from ``depuis``, read in one
    transaction on a read-only connection; None whenever that cannot be done exactly."""
    import sqlite3

    data = requetes("sqlite")
    if data is None or not Path(chemin).is_file():
        return None
    try:  # read-only (a path with « ? » or « # » escaped by ``as_uri``)
        uri = Path(chemin).resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=0.2, isolation_level=None)
    except (sqlite3.Error, ValueError):
        return None
    try:
        conn.execute("BEGIN")  # one snapshot: the key and every read
        cle = memoire.cle_lue(conn, compte, nom)
        if cle["revision"] != data["revision"]:
            return None
        alertes, resume = tout(
            lecteur(lambda sql, p: conn.execute(sql, p).fetchall(), "sqlite"), today, depuis, nom
        )
        return cle, alertes, resume
    except Exception:  # noqa: BLE001 — never an error before the window: the normal path computes
        return None
    finally:
        conn.close()


def garder(
    chemin: str, compte: str, nom: str, today: date, depuis: date
) -> tuple[list[Alerte], Resume] | None:
    """``calculer``, and the result kept (``memoire.garder``) under the key read with it: the page shown in
    advance then finds it exactly as if it had been kept at the previous launch."""
    fait = calculer(chemin, compte, nom, today, depuis)
    if fait is None:
        return None
    cle, alertes, resume = fait
    memoire.garder(chemin, cle, {today: alertes}, {depuis: resume}, today)
    return alertes, resume
