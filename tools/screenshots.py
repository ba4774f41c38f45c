"""Render every page of the main window on the demo database to PNG files (offscreen).

Usage: `.venv/bin/python tools/screenshots.py [--out screenshots]` — then look at the files.
Each page may expose ``screenshot_states()`` yielding (name, callable) to show its tabs/dialogs too.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default="screenshots")
    ap.add_argument("--size", default="1440x900")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="qualite-captures-"))
    os.environ["QUALITE_DATA_DIR"] = str(tmp / "donnees")

    from qualite_app.demo import load_demo
    from qualite_app.gui.app import make_application
    from qualite_app.gui.main_window import MainWindow
    from qualite_app.gui.pages import PAGES
    from qualite_app.settings import Settings
    from qualite_app.storage.database import Database

    app = make_application()
    db = Database.open(tmp / "demo.sqlite")
    load_demo(db)
    w = MainWindow(db, Settings())
    width, height = (int(x) for x in args.size.split("x"))
    w.resize(width, height)
    w.show()
    app.processEvents()

    def shot(name: str, widget=None) -> None:  # type: ignore[no-untyped-def]
        for _ in range(3):
            app.processEvents()
        (widget or w).grab().save(str(out / f"{name}.png"))
        print(out / f"{name}.png")

    for i, spec in enumerate(PAGES, start=1):
        page = w.page(spec.key)
        shot(f"{i:02d}-{spec.key}")
        states = getattr(page, "screenshot_states", None)
        if states is not None:
            for j, (name, show) in enumerate(states(), start=1):
                widget = show()
                shot(f"{i:02d}-{spec.key}-{j}-{name}", widget)
                if widget is not None and widget is not w:
                    widget.close()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
