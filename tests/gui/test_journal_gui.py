"""Issue 8, points 18 and 19 in the window: Aide › Vérifier le journal, the warning at opening, Historique's labels."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from qualite_app.socle import journal
from qualite_app.storage.database import Database
from tests.helpers.base import TEST_ACTOR
from tests.helpers.clavier import type_text


def _sql(path: Path, *statements: str) -> None:
    con = sqlite3.connect(path)
    try:
        for st in statements:
            con.execute(st)
        con.commit()
    finally:
        con.close()


@pytest.mark.sqlite_only  # breaks the chain with the sqlite3 module
def test_aide_verifier_le_journal(qtbot, main_window, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append((title, text)))
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append((title, text)))
    menu = next(a.menu() for a in main_window.menuBar().actions() if a.text() == "&Aide")
    action = next(a for a in menu.actions() if a.text() == "&Vérifier le journal…")
    action.trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert shown[0][0] == "Journal intact" and "Journal intact" in shown[0][1]

    path = main_window.ctx.db.location
    _sql(
        path,
        "DROP TRIGGER journal_audit_sans_modification",
        "UPDATE journal_audit SET champ = 'x' WHERE id = 10",
    )
    shown.clear()
    action.trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert shown[0][0] == "Journal altéré" and "ligne n° 10" in shown[0][1]


def test_window_tells_the_user_when_the_protection_was_rebuilt(
    qtbot, demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    from qualite_app.gui.main_window import MainWindow
    from qualite_app.settings import Settings

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    _sql(demo_file, "DROP TRIGGER journal_audit_sans_modification")
    db = Database.open(demo_file, actor=TEST_ACTOR)
    try:
        w = MainWindow(db, Settings())
        qtbot.addWidget(w)
        w.show()
        qtbot.waitUntil(lambda: bool(warnings), timeout=5000)
        assert "protection du journal" in warnings[0]
    finally:
        db.close()


# --- 19. one reader: labels, and each timestamp with its own date's offset ------------------------
def test_coded_values_are_shown_with_their_labels(demo_db: Database) -> None:
    from qualite_app.paqss import services as paqss

    aid = next(r.id for r in paqss.list_actions(demo_db, paqss.ActionFilter()) if r.statut == "en_cours")
    paqss.bulk_update(
        demo_db, [aid], statut="abandonnee", motif="Remplacée par une autre action", confirme=True
    )
    line = next(
        r
        for r in journal.list_entries(demo_db, entite_table="paqss_action", entite_id=aid)
        if r.champ == "Statut"
    )
    assert (line.ancienne_valeur, line.nouvelle_valeur) == ("En cours", "Abandonnée")
    # the action editor's journal reads through the same reader
    same = next(r for r in paqss.journal(demo_db, aid) if r.champ == "Statut")
    assert same == line
    creation = next(
        r for r in journal.list_entries(demo_db, entite_table="paqss_action") if r.action == "création"
    )
    assert "Statut : " in creation.nouvelle_valeur
    assert not any(
        code in creation.nouvelle_valeur
        for code in ("Statut : a_lancer", "Statut : en_cours", "Statut : realisee")
    )


def test_historique_page_shows_labels(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.paqss import services as paqss

    db = main_window.ctx.db
    aid = next(r.id for r in paqss.list_actions(db, paqss.ActionFilter()) if r.statut == "en_cours")
    paqss.bulk_update(db, [aid], statut="abandonnee", motif="Sans objet", confirme=True)
    page = main_window.page("historique")
    model = page.model
    qtbot.waitUntil(lambda: model.rowCount() > 0)
    cols = [model.headerData(c, _h()) for c in range(model.columnCount())]
    old_c, new_c, champ_c = cols.index("Ancienne valeur"), cols.index("Nouvelle valeur"), cols.index("Champ")
    rows = [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(min(model.rowCount(), 50))
    ]
    statut = next(r for r in rows if r[champ_c] == "Statut")
    assert (statut[old_c], statut[new_c]) == ("En cours", "Abandonnée")
    # the date and time are shown whole, not cut by « … » (the column is as wide as they are)
    quand = rows[0][cols.index("Date et heure")]
    assert len(quand) == len("01/12/2026 17:06:47")
    view = page.view
    assert view.columnWidth(0) >= view.fontMetrics().horizontalAdvance(quand) + 12


def _h():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def test_historique_reads_the_journal_page_by_page(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """Thousands of lines: the first ones are shown at once, the next ones as the list is scrolled, in the
    journal's order (newest first); the count comes from SQL."""
    from qualite_app.gui.historique import page as historique

    db = main_window.ctx.db
    page = main_window.page("historique")
    model, view = page.model, page.view
    everything = journal.list_entries(db, limite=historique.PLAFOND)
    assert len(everything) > 2 * historique.PAGE  # the demo's journal
    qtbot.waitUntil(lambda: model.rowCount() > 0)
    assert model.rowCount() == historique.PAGE
    expected = "5 000" if len(everything) >= historique.PLAFOND else f"{len(everything)} modification(s)"
    assert expected in page.count.text()
    view.scrollToBottom()  # the view asks for more (fetchMore)
    qtbot.waitUntil(lambda: model.rowCount() > historique.PAGE)
    assert [model.row_at(r).id for r in range(model.rowCount())] == [
        r.id for r in everything[: model.rowCount()]
    ]
    found = journal.list_entries(db, texte="Statut", limite=historique.PLAFOND)
    assert 0 < len(found) < historique.PLAFOND
    qtbot.keyClicks(page.search, "Statut")
    qtbot.waitUntil(lambda: page.count.text() == f"{len(found)} modification(s)", timeout=5000)
    # the view may already have asked for the next page (it was scrolled to the bottom): whatever it holds is
    # the start of the filtered journal, in order, at least one page of it
    shown = [model.row_at(r).id for r in range(model.rowCount())]
    assert len(shown) >= min(historique.PAGE, len(found))
    assert shown == [r.id for r in found[: len(shown)]]


def test_historique_filters_read_their_choices_when_reached(qtbot, main_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Who and which element: read when the user reaches the list (not at the page's opening: every author
    of a long journal is a scan), re-read after a change, the choice kept."""
    from PySide6.QtCore import Qt

    from qualite_app.gui.historique import page as historique
    from qualite_app.paqss import services as paqss

    db = main_window.ctx.db
    calls: list[str] = []
    users, types = journal.users, journal.entity_types
    monkeypatch.setattr(journal, "users", lambda d: calls.append("users") or users(d))
    monkeypatch.setattr(journal, "entity_types", lambda d: calls.append("types") or types(d))
    page = main_window.page("historique")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    assert calls == [] and page.qui.count() == 1 and page.qui.currentText() == "Tout le monde"
    qtbot.keyClick(
        page.qui, Qt.Key.Key_Down
    )  # the user goes down the list: its choices read, the first one taken
    assert calls == ["users"]
    authors = [page.qui.itemText(i) for i in range(1, page.qui.count())]
    assert authors and authors == users(db) and page.qui.currentIndex() == 1
    mine = journal.list_entries(db, utilisateur=authors[0], limite=historique.PAGE)
    qtbot.waitUntil(
        lambda: [page.model.row_at(r).id for r in range(page.model.rowCount())] == [e.id for e in mine]
    )
    page.type.setFocus()  # reached with the keyboard: read too
    qtbot.waitUntil(lambda: "types" in calls)
    assert [page.type.itemText(i) for i in range(1, page.type.count())] == types(db)
    # a change: the choices are re-read when the list is next opened, the choice kept
    aid = next(r.id for r in paqss.list_actions(db, paqss.ActionFilter()) if r.statut == "en_cours")
    paqss.bulk_update(db, [aid], statut="abandonnee", motif="Sans objet", confirme=True)
    page.reload()
    assert calls.count("users") == 1
    qtbot.keyClick(page.qui, Qt.Key.Key_Up)  # back to « Tout le monde »
    assert calls.count("users") == 2 and page.qui.currentIndex() == 0 and page.qui.count() == len(authors) + 1


def test_historique_text_filter_finds_a_line_written_today(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """The director types part of a name written a moment ago (accented, in any ASCII case): the journal's
    trigram index (migration 0019) has it, the list shows its lines and only them."""
    from qualite_app.etablissement import annuaire

    db = main_window.ctx.db
    annuaire.save_personne(db, annuaire.PersonneData(nom="QUINTAVALLE", prenom="Zéphyrine", fonction="Cadre"))
    page = main_window.page("historique")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    type_text(qtbot, page.search, "zéphyRINE")  # ASCII letters in any case
    expected = journal.list_entries(db, texte="Zéphyrine", limite=100)
    assert expected
    n = len(expected)
    qtbot.waitUntil(lambda: page.count.text() == f"{n} modification(s)", timeout=5000)
    shown = [page.model.row_at(r) for r in range(page.model.rowCount())]
    assert [r.id for r in shown] == [r.id for r in expected]
    assert all("Zéphyrine" in f"{r.entite_libelle} {r.nouvelle_valeur}" for r in shown)
    page.search.clear()
    qtbot.keyClicks(page.search, "uintavall")
    qtbot.waitUntil(lambda: page.count.text() == f"{n} modification(s)", timeout=5000)
