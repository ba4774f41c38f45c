"""Two people edit the same action: the second save shows what changed meanwhile, never overwrites silently."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from qualite_app.paqss import services as paqss
from qualite_app.storage.database import Actor, Database


def _someone_else_changes(db: Database, action_id: int) -> None:
    """A colleague's save on the same action (another actor, another transaction)."""
    mine = db.actor
    db.actor = Actor("jarsac", "Julien ARSAC")
    try:
        d = paqss.get_action(db, action_id)
        d.echeance_revisee = date(2027, 6, 30)
        d.avancement = 40
        paqss.save_action(db, d)
    finally:
        db.actor = mine


@pytest.mark.parametrize("choice", ["Réappliquer mes modifications", "Abandonner mes modifications"])
def test_second_save_shows_the_conflict_then_reapplies_or_discards(qtbot, page, monkeypatch, choice: str) -> None:  # type: ignore[no-untyped-def]
    db = page.ctx.db
    action = next(a for a in paqss.list_actions(db) if a.statut == "en_cours")
    page.edit(action.id)
    ed = page.editor
    ed.form.titre.selectAll()
    qtbot.keyClicks(ed.form.titre, "Titre retravaille en COPIL")
    _someone_else_changes(db, action.id)
    shown: list[str] = []

    def answer(box: QMessageBox) -> int:
        shown.append(box.text())
        next(b for b in box.buttons() if b.text() == choice).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)
    assert shown and f"L'action {action.reference} a été modifiée par quelqu'un d'autre" in shown[0]
    assert "Julien ARSAC" in shown[0] and "30/06/2027" in shown[0]  # who, and what they changed
    now = paqss.get_action(db, action.id)
    assert (now.avancement, now.echeance_revisee) == (40, date(2027, 6, 30))  # the colleague's save is kept either way
    if choice.startswith("Réappliquer"):  # and my change is applied over it
        assert now.titre == "Titre retravaille en COPIL"
    else:
        assert now.titre == action.titre and ed.form.titre.text() == action.titre  # the editor shows the base


def test_the_editor_saves_the_action_as_it_read_it_without_the_unit_of_work(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The editor hands the save what it read (``ActionData.lu``, milestones and team included): an action whose
    row alone changed is written straight over that (``paqss/services/directe.py``), never re-read nor flushed."""
    from qualite_app.paqss.services import actions

    db = page.ctx.db
    action = next(a for a in paqss.list_actions(db) if paqss.get_action(db, a.id).jalons)
    avant = paqss.get_action(db, action.id)
    page.edit(action.id)
    ed = page.editor

    def refuse(*_a, **_k):  # type: ignore[no-untyped-def]
        raise AssertionError("le chemin de l'unité de travail a été pris")

    monkeypatch.setattr(actions, "_apply", refuse)
    ed.form.titre.selectAll()
    qtbot.keyClicks(ed.form.titre, "Titre revu en COPIL")
    qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)
    now = paqss.get_action(db, action.id)
    assert now.titre == "Titre revu en COPIL" and now.version == avant.version + 1
    assert [(j.id, j.libelle, j.fait, j.fait_le) for j in now.jalons] == [(j.id, j.libelle, j.fait, j.fait_le) for j in avant.jalons]
    assert now.autres_copilotes == avant.autres_copilotes and now.avancement == avant.avancement
