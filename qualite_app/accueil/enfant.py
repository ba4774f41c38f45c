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
from typing import Any

#: the argument that makes ``qualite_app.__main__`` run ``principal``
ARGUMENT = "--accueil-rapide"
#: the child gives up after this long (the parent stops waiting well before)
DUREE_MAX_S = 20.0


def lancer(cible: str | None) -> Any:
    """The child computing today's page of the base the window is about to open (``cible``, else the last
    one), or None when there is nothing to do: not a SQLite file, or its page is already kept for today."""
    from pathlib import Path

    from qualite_app.accueil import memoire, rules
    from qualite_app.settings import Settings, os_user

    try:
        settings = Settings.load()
        if cible is None and not os.environ.get("QUALITE_DB") and settings.last_database:
            cible = settings.last_database if Path(settings.last_database).exists() else None
        lieu = memoire.emplacement(cible)
        if lieu is None or not Path(lieu).is_file():
            return None
        today = rules.aujourdhui()
        depuis = rules.visite_precedente(settings.ui_state, lieu, today)
        compte, nom = os_user(), settings.display_name
        if memoire.retrouver(lieu, memoire.cle_fichier(lieu, compte, nom), today, depuis) is not None:
            return None
        import subprocess

        frozen = getattr(sys, "frozen", False)
        cmd = [sys.executable] + ([] if frozen else ["-m", "qualite_app"])
        cmd += [ARGUMENT, lieu, today.isoformat(), depuis.isoformat(), compte, nom]
        return subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except Exception:  # noqa: BLE001 — never an error before the window: the page is computed in process
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
    """``--accueil-rapide <base> <today> <since> <account> <display name>``: 0 when the page is kept."""
    _fin_avec_le_parent()
    try:
        from qualite_app.accueil import rapide

        lieu, jour, depuis, compte, nom = argv
        fait = rapide.garder(lieu, compte, nom, date.fromisoformat(jour), date.fromisoformat(depuis))
    except Exception:  # noqa: BLE001
        fait = None
    os._exit(0 if fait is not None else 1)
