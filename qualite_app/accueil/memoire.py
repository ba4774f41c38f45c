"""« Aujourd'hui » kept from one launch to the next: the page shows its real content in the launch's first
half-second, and never stale content as current.

What is kept, in a small JSON file per base in the user's data folder (``accueil/<hash of the base>.json``):
- the page's lines (``attention``) computed for given dates — they depend on the date (« en retard de
  3 jours », an action entering the 15-day horizon, a month closing an indicator's period): today's, and
  the next days' computed in idle time, so that the next morning's first launch finds its own;
- the digest « depuis votre dernière visite » computed from given start dates (the day of the previous
  visit: the journal's lines from that day's start on, leaving out one's own on the team's server);
- the **key** they were computed under, which makes them exactly right: the journal's tip (its last
  line's id and hash — every change a user makes writes the journal in the same transaction, chained,
  one writer at a time, see ``storage/audit.py``: the same tip is the same content), the schema revision,
  the application's version, and who the user is (system account and display name: « mes actions », and
  whose changes the digest leaves out).

Kept lines are shown only for the date they were computed for, and only when the key read from the base
now is the one stored. The key is read on a raw ``sqlite3`` connection, read-only, before SQLAlchemy or any
model is imported (``cle_fichier``); once the base is open, through its engine (``cle_base``). A missing,
unreadable or damaged file is no content (nothing is said: the page computes, as without it).
"""

from __future__ import annotations

import contextlib
import json
import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualite_app import __version__

if TYPE_CHECKING:  # read before the window paints (``accueil/enfant.py``): the page's types on first use
    from qualite_app.accueil.rules import Alerte, Resume
    from qualite_app.storage.database import Database

#: the file's layout; another one is ignored
FORMAT = 1
#: dates kept ahead of today (Friday → Monday, a long weekend)
JOURS_D_AVANCE = 4
_ALERTE_CHAMPS = ("domaine", "item_type", "item_id", "titre", "detail", "echeance", "gravite", "moi")
_SQL_REVISION = "SELECT version_num FROM alembic_version"
_SQL_POINTE = "SELECT id, empreinte FROM journal_audit ORDER BY id DESC LIMIT 1"

Cle = dict[str, Any]


def emplacement(cible: str | os.PathLike[str] | None) -> str | None:
    """The SQLite file ``Database.open(cible)`` would open (its ``location``), or None for a server."""
    from qualite_app.storage.adresse import SQLITE_PREFIX, resolve_url

    url = resolve_url(cible)
    if not url.startswith(SQLITE_PREFIX) or "?" in url or url.endswith(":memory:"):
        return None
    return url[len(SQLITE_PREFIX) :]


def _cle(revisions: list[Any], pointe: Any, compte: str, nom: str) -> Cle:
    return {
        "format": FORMAT,
        "version": __version__,
        "revision": sorted(str(r[0]) for r in revisions),
        "journal": [int(pointe[0]), pointe[1]] if pointe else None,
        "compte": compte,
        "nom": nom,
    }


def cle_lue(conn: Any, compte: str, nom: str) -> Cle:
    """The key read on a raw DB-API connection (``sqlite3``): in the caller's transaction, if any."""
    return _cle(conn.execute(_SQL_REVISION).fetchall(), conn.execute(_SQL_POINTE).fetchone(), compte, nom)


def cle_fichier(chemin: str, compte: str, nom: str) -> Cle | None:
    """The key of the SQLite base ``chemin`` read on a raw read-only connection (no SQLAlchemy, no model);
    None when it cannot be read (no file, not a base of ours, locked for too long…)."""
    import sqlite3

    if not Path(chemin).is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{chemin}?mode=ro", uri=True, timeout=0.2)
        try:
            return cle_lue(conn, compte, nom)
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def cle_base(db: Database, compte: str, nom: str) -> Cle | None:
    """The same key, read through the open base's engine (SQLite or PostgreSQL)."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with db.engine.connect() as conn:
            return _cle(
                list(conn.execute(text(_SQL_REVISION))), conn.execute(text(_SQL_POINTE)).first(), compte, nom
            )
    except SQLAlchemyError:
        return None


def fichier(lieu: str) -> Path:
    """Where the kept content of the base at ``lieu`` (its ``location``) is: the file's name and a checksum
    of the whole location (a server's address, and its password, is never written). ``zlib``, not
    ``hashlib``: read before the window's content, and two bases that would share a file would only
    replace each other's content (each is kept under its own key)."""
    import re
    import zlib

    from qualite_app import paths

    nom = "serveur" if "://" in lieu else re.sub(r"[^\w.-]", "_", Path(lieu).stem)[:40]
    return paths.user_data_dir() / "accueil" / f"{nom}-{zlib.crc32(lieu.encode('utf-8')):08x}.json"


def _lire(lieu: str) -> dict[str, Any] | None:
    try:
        data = json.loads(fichier(lieu).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _alerte(d: dict[str, Any]) -> Alerte:
    from qualite_app.accueil.rules import Alerte

    if set(d) != set(_ALERTE_CHAMPS):
        raise ValueError(d)
    echeance = date.fromisoformat(d["echeance"]) if d["echeance"] else None
    a = Alerte(**{**d, "echeance": echeance})
    if not all(
        isinstance(getattr(a, k), str) for k in ("domaine", "item_type", "titre", "detail", "gravite")
    ):
        raise ValueError(d)
    if not (a.item_id is None or isinstance(a.item_id, int)) or not isinstance(a.moi, bool):
        raise ValueError(d)
    return a


def _resume(depuis: date, d: dict[str, Any]) -> Resume:
    from qualite_app.accueil.rules import Resume

    paires = lambda v: [(str(t), int(n)) for t, n in v]  # noqa: E731
    return Resume(depuis, int(d["total"]), bool(d["complet"]), paires(d["par_type"]), paires(d["par_auteur"]))


def retrouver(lieu: str, cle: Cle | None, jour: date, depuis: date) -> tuple[list[Alerte], Resume] | None:
    """The lines computed for ``jour`` and the digest from ``depuis``, kept under exactly ``cle``; else None."""
    if cle is None:
        return None
    data = _lire(lieu)
    if data is None or data.get("cle") != cle:
        return None
    try:
        lignes = data["jours"].get(jour.isoformat())
        resume = data["resumes"].get(depuis.isoformat())
        if not isinstance(lignes, list) or not isinstance(resume, dict):
            return None
        return [_alerte(d) for d in lignes], _resume(depuis, resume)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def garde(lieu: str, cle: Cle | None, jour: date, depuis: date) -> bool:
    """Whether the lines for ``jour`` and the digest from ``depuis`` are kept under exactly ``cle`` (read
    before the window paints: nothing is built)."""
    data = _lire(lieu) if cle is not None else None
    if data is None or data.get("cle") != cle:
        return False
    jours, resumes = data.get("jours"), data.get("resumes")
    return (
        isinstance(jours, dict)
        and isinstance(resumes, dict)
        and jour.isoformat() in jours
        and depuis.isoformat() in resumes
    )


#: preferences key (``Settings.ui_state``): the date of the last visit, per base
VISITE_KEY = "accueil.derniere_visite"


def visite_precedente(ui_state: dict[str, Any], label: str, today: date) -> date:
    """The date of the previous visit to the base ``label`` (a week ago the first time), read only."""
    from datetime import timedelta

    visits = ui_state.get(VISITE_KEY)
    try:
        previous = date.fromisoformat(str(visits.get(label))) if isinstance(visits, dict) else None
    except ValueError:
        previous = None
    return min(previous or today - timedelta(days=7), today)


def jours_gardes(lieu: str, cle: Cle | None) -> set[date]:
    """The dates whose lines are kept under ``cle``."""
    data = _lire(lieu) if cle is not None else None
    if data is None or data.get("cle") != cle or not isinstance(data.get("jours"), dict):
        return set()
    with contextlib.suppress(ValueError):
        return {date.fromisoformat(k) for k in data["jours"]}
    return set()


def garder(
    lieu: str,
    cle: Cle | None,
    jours: dict[date, list[Alerte]],
    resumes: dict[date, Resume],
    aujourd_hui: date,
) -> None:
    """Keep these lines and digests under ``cle``, with those already kept under the same key (the past
    dates dropped); a failure to write is silent (the next launch computes)."""
    if cle is None:
        return
    data = _lire(lieu)
    if (
        data is None
        or data.get("cle") != cle
        or not isinstance(data.get("jours"), dict)
        or not isinstance(data.get("resumes"), dict)
    ):
        data = {"cle": cle, "jours": {}, "resumes": {}}
    data["jours"] = {k: v for k, v in data["jours"].items() if k >= aujourd_hui.isoformat()}
    for jour, alertes in jours.items():
        data["jours"][jour.isoformat()] = [
            {
                k: (v.isoformat() if isinstance(v, date) else v)
                for k in _ALERTE_CHAMPS
                for v in [getattr(a, k)]
            }
            for a in alertes
        ]
    for depuis, r in resumes.items():
        data["resumes"][depuis.isoformat()] = {
            "total": r.total,
            "complet": r.complet,
            "par_type": r.par_type,
            "par_auteur": r.par_auteur,
        }
    data["resumes"] = dict(sorted(data["resumes"].items())[-4:])
    with contextlib.suppress(OSError, TypeError, ValueError):
        from qualite_app.storage.files import ensure_private_file, private_dir

        f = fichier(lieu)
        private_dir(f.parent)
        tmp = f.with_name(f.name + ".tmp")
        ensure_private_file(tmp)
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(f)
