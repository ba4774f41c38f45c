"""A colleague working on the same base at the same time: a second ``Database`` on the same SQLite file (no
instance lock: the test plays both people) or the same PostgreSQL database, journaling as another person."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from qualite_app.storage.database import Actor, Database

COLLEGUE = Actor("jarsac", "Julien ARSAC")


@contextmanager
def collegue(db: Database) -> Iterator[Database]:
    other = Database.open(db.url, migrate_schema=False, lock=False, actor=COLLEGUE)
    try:
        yield other
    finally:
        other.close()


def repondre_au_conflit(monkeypatch: Any, choix: str) -> list[str]:
    """The user's answer to the conflict dialog (« Réappliquer mes modifications » / « Abandonner mes
    modifications »), clicked when it shows; returns the texts shown, for the test to check."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []

    def answer(box: QMessageBox) -> int:
        shown.append(box.text())
        next(b for b in box.buttons() if b.text() == choix).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    return shown


@contextmanager
def contexte(db: Database) -> Iterator[Any]:
    """The GUI's context on ``db`` (change bus, preferences), detached at the end."""
    from qualite_app.gui.context import AppContext, ChangeBus
    from qualite_app.settings import Settings

    ctx = AppContext(db, ChangeBus(), Settings())
    try:
        yield ctx
    finally:
        ctx.detach()
