"""``python -m qualite_app`` and the ``qualite`` entry point: the composition root, the only module that
knows both faces (the command line, and the GUI when no subcommand is given)."""

from __future__ import annotations

import sys


def launch_gui(db: str | None) -> int:
    # Paint first, then load: Qt and the window's skeleton only; the core (SQLAlchemy, models) is
    # imported once the first frame is drawn (``gui.app.run_gui``). Before Qt is even imported, the home
    # page is computed in a child process if nothing current is kept for it (``accueil/enfant.py``).
    from qualite_app.accueil import enfant
    from qualite_app.settings import Settings

    settings = Settings.load()
    calcul = enfant.lancer(db, settings)
    from qualite_app.gui.app import run_gui

    return run_gui(db=db, calcul=calcul, settings=settings)


def _gui_only(argv: list[str]) -> tuple[bool, str | None]:
    """``qualite`` or ``qualite --db X``: the GUI, without building the command line's parser (it
    imports every area's commands, hence the core, before the window could paint)."""
    if not argv:
        return True, None
    if len(argv) == 2 and argv[0] == "--db" and not argv[1].startswith("-"):
        return True, argv[1]
    if len(argv) == 1 and argv[0].startswith("--db=") and len(argv[0]) > 5:
        return True, argv[0][5:]
    return False, None


def main() -> int:
    if sys.argv[1:2] == ["--accueil-rapide"]:  # the home page's child process (``accueil/enfant.py``)
        from qualite_app.accueil import enfant

        return enfant.principal(sys.argv[2:])
    gui, db = _gui_only(sys.argv[1:])
    if gui:
        return launch_gui(db)
    from qualite_app.cli import main as cli_main

    return cli_main(sys.argv[1:], launch_gui=launch_gui)


if __name__ == "__main__":
    sys.exit(main())
