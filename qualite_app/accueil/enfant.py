"""« Aujourd'hui » computed in a child process while the window is being built: started at the very top of
the launch (``__main__.launch_gui``, before PySide6 is imported) when nothing current is kept for today, it
runs the cold path (``rapide.garder``: a raw read-only connection, the precompiled statements) and keeps
the page (``memoire``); the window, once painted, waits for it without blocking (``gui/app.py``), then
shows the kept page as usual.

The child never writes the base, never shows anything, ends with its parent (its stdin is the parent's
pipe: end of file, it exits) and within ``DUREE_MAX_S`` whatever happens; its failure is the normal path.
It is started as ``<python> -m qualite_app --accueil-rapide …`` — or ``<bundle> --accueil-rapide …`` in
the frozen application: ``__main__`` dispatches it before the command line's parser is built."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

#: the argument that makes ``qualite_app.__main__`` run ``principal``
ARGUMENT = "--accueil-rapide"
#: the child gives up after this long (the parent stops waiting well before)
DUREE_MAX_S = 20.0


def base_au_lancement(db: str | None, last_database: str | None) -> str | None:
    """The base the window opens: the one given, else the last one (if it still exists and ``QUALITE_DB``
    does not say otherwise); None: ``Database.open``'s own default."""
    if db is None and last_database and Path(last_database).exists() and not os.environ.get("QUALITE_DB"):
        return last_database
    return db


def a_calculer(cible: str | Path | None, settings: Any) -> tuple[str, date, date, str, str] | None:
    """(the SQLite file, today, the previous visit, the account, the display name) when nothing current is
    kept for that base's page today (no page object built, nothing of the core imported); else None."""
    from qualite_app.accueil import memoire
    from qualite_app.settings import os_user

    lieu = memoire.emplacement(cible)
    if lieu is None or not Path(lieu).is_file():
        return None
    today = date.today()
    depuis = memoire.visite_precedente(settings.ui_state, lieu, today)
    compte, nom = os_user(), settings.display_name
    if memoire.garde(lieu, memoire.cle_fichier(lieu, compte, nom), today, depuis):
        return None
    return lieu, today, depuis, compte, nom


def demande() -> bool:
    """Whether the page is computed by a child process: on a machine with two cores or more it runs beside
    the window's own start (measured on the scale base, two quiet cores: filled 413–431 ms after launch
    against 497–601 ms computed in the window's process after its first paint); on a single core it would
    only compete with it. ``QUALITE_ACCUEIL_ENFANT=1`` or ``0`` forces one way (a machine busy with other
    work gains nothing from the second core: the window's own process was faster there)."""
    force = os.environ.get("QUALITE_ACCUEIL_ENFANT")
    if force in ("0", "1"):
        return force == "1"
    return (os.cpu_count() or 1) >= 2


def lancer(db: str | None, settings: Any) -> Any:
    """The child process that computes today's page of the base the window is about to open, when nothing
    current is kept for it; None when there is nothing to compute in advance, when a child is not wanted
    (``demande``) or could not be started — the window then computes the page itself after its first paint."""
    if not demande():
        return None
    try:
        args = a_calculer(base_au_lancement(db, settings.last_database), settings)
        if args is None:
            return None
        import subprocess

        lieu, today, depuis, compte, nom = args
        frozen = getattr(sys, "frozen", False)
        cmd = [sys.executable] + ([] if frozen else ["-m", "qualite_app"])
        cmd += [ARGUMENT, lieu, today.isoformat(), depuis.isoformat(), compte, nom]
        from qualite_app import paths

        env = dict(os.environ, QUALITE_DATA_DIR=str(paths.user_data_dir()))  # where to keep it, found already
        return subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
        )
    except (OSError, ValueError):
        return None


def _fin_avec_le_parent() -> None:
    """Exit as soon as the parent is gone (its end of the pipe closed), or after ``DUREE_MAX_S``."""
    import threading

    def guetter() -> None:
        try:
            while sys.stdin.buffer.read(1024):
                pass
        finally:
            os._exit(3)

    threading.Thread(target=guetter, daemon=True).start()
    threading.Timer(DUREE_MAX_S, lambda: os._exit(4)).start()


def principal(argv: list[str]) -> int:
    """``--accueil-rapide <base> <today> <since> <account> <display name>`` (what ``lancer`` found not kept):
    exit 0 once the page is kept, 1 when the normal path will have to compute it."""
    _fin_avec_le_parent()
    try:
        from qualite_app.accueil import rapide

        lieu, jour, depuis, compte, nom = argv
        fait = rapide.garder(lieu, compte, nom, date.fromisoformat(jour), date.fromisoformat(depuis))
    except Exception:  # noqa: BLE001
        fait = None
    os._exit(0 if fait is not None else 1)
