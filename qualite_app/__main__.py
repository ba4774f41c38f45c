"""``python -m qualite_app`` and the ``qualite`` entry point: the composition root, the only module that
knows both faces (the command line, and the GUI when no subcommand is given)."""

from __future__ import annotations

import sys


def launch_gui(db: str | None) -> int:
    # The core before Qt: once PySide6 is imported, its import hook slows every later import.
    import sqlalchemy.dialects.sqlite  # noqa: F401

    import qualite_app.etablissement.identite  # noqa: F401
    import qualite_app.storage.backup  # noqa: F401
    import qualite_app.storage.database  # noqa: F401
    from qualite_app.gui.app import run_gui

    return run_gui(db=db)


def main() -> int:
    from qualite_app.cli import main as cli_main

    return cli_main(sys.argv[1:], launch_gui=launch_gui)


if __name__ == "__main__":
    sys.exit(main())
