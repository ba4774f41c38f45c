"""« Aujourd'hui » kept from one launch to the next: shown at once (even before the base is open) only when it
is exactly current — same journal tip, same day, same user —, else « Chargement… » until computed; the next
days computed ahead; a damaged file is ignored without a word."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from qualite_app.accueil import memoire, rules
from qualite_app.accueil import services as accueil
from qualite_app.evenements import services as evenements
from qualite_app.gui.accueil.page import AccueilPage
from qualite_app.gui.main_window import MainWindow
from qualite_app.settings import Settings
from qualite_app.storage.database import Database
from tests.helpers.collegue import collegue
from tests.helpers.eigs import eigs_en_retard, puis_la_base, textes


def _eigs_en_retard(db: Database) -> tuple[int, str]:
    return eigs_en_retard(
        db, "Chute déclarée par un collègue pendant la nuit (essai de la mémoire).", heure=4
    )


@pytest.fixture
def ouvrir(qtbot):  # type: ignore[no-untyped-def]
    """A main window on ``db`` with these preferences (« the next launch »), its home page as built."""
    windows: list[MainWindow] = []

    def open_(db: Database | None, settings: Settings) -> MainWindow:
        w = MainWindow(db, settings)
        qtbot.addWidget(w)
        windows.append(w)
        return w

    yield open_
    for w in windows:
        w.close()


def _computed(qtbot, ouvrir, db: Database, settings: Settings) -> list[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    """A first launch: nothing kept, the page computes (and keeps its content); its lines."""
    w = ouvrir(db, settings)
    page = w._pages["accueil"]
    assert not page.loaded and page.count.text() == "Chargement…"
    w.show()
    qtbot.waitUntil(lambda: page.loaded, timeout=15000)
    assert not page.de_memoire
    rows = textes(page)
    w.close()
    return rows


def test_the_kept_page_shows_at_once_only_while_the_base_is_unchanged(qtbot, ouvrir, demo_db) -> None:  # type: ignore[no-untyped-def]
    settings = Settings()
    rows = _computed(qtbot, ouvrir, demo_db, settings)
    assert len(rows) > 5

    # the next launch, unchanged base: the lines are there as the page is built, before any query
    w = ouvrir(demo_db, settings)
    page = w._pages["accueil"]
    assert page.loaded and page.de_memoire
    assert textes(page) == rows and "point(s) à traiter" in page.count.text()
    digest = page.digest.text()
    assert "Depuis votre dernière visite" in digest and "chargement" not in digest
    drawn: list[int] = []
    real = page._fill_tree
    page._fill_tree = lambda: (real(), drawn.append(1))  # type: ignore[method-assign]
    w.show()
    qtbot.waitUntil(lambda: not page.de_memoire, timeout=15000)  # computed again: the same, not redrawn
    assert drawn == [] and textes(page) == rows and page.digest.text() == digest
    w.close()

    # a colleague declares an EIGS meanwhile: the kept page is not this base's any more
    with collegue(demo_db) as other:
        eid, ref = _eigs_en_retard(other)
    w = ouvrir(demo_db, settings)
    page = w._pages["accueil"]
    assert not page.loaded and page.alerte_rows() == [] and page.count.text() == "Chargement…"
    w.show()
    qtbot.waitUntil(lambda: page.loaded, timeout=15000)
    line = next(r for r in page.alerte_rows() if r.text(0) == f"EIGS {ref} — partie 1")
    assert line.data(0, Qt.ItemDataRole.UserRole).item_id == eid


def test_another_day_is_computed_not_taken_from_yesterday(qtbot, ouvrir, demo_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings = Settings()
    monkeypatch.setattr(AccueilPage, "AVANCE_MS", 3_600_000)  # nothing computed ahead in this test
    _computed(qtbot, ouvrir, demo_db, settings)
    later = date.today() + timedelta(days=10)  # beyond what the close keeps (up to the next working day)
    monkeypatch.setattr(rules, "aujourdhui", lambda: later)
    w = ouvrir(demo_db, settings)
    page = w._pages["accueil"]
    assert not page.loaded and page.alerte_rows() == []
    w.show()
    qtbot.waitUntil(lambda: page.loaded, timeout=15000)
    assert page.alertes == accueil.attention(demo_db, later)


def test_a_change_just_before_closing_is_kept_for_the_next_launch(
    qtbot, ouvrir, demo_db, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Saved, then closed at once (before the idle computation): the close keeps today's and the next
    working day's lines under the new key — the next launch shows them, the change included, at once."""
    settings = Settings()
    monkeypatch.setattr(AccueilPage, "AVANCE_MS", 3_600_000)  # no idle computation in this test
    w = ouvrir(demo_db, settings)
    page = w._pages["accueil"]
    w.show()
    qtbot.waitUntil(lambda: page.loaded, timeout=15000)
    eid, ref = _eigs_en_retard(demo_db)  # the director's own declaration, just saved
    cle = page._lire_cle()
    today = date.today()
    assert memoire.retrouver(demo_db.location, cle, today, today) is None  # stale until the close
    w.close()
    kept = memoire.retrouver(demo_db.location, cle, today, today)
    assert kept is not None and kept[0] == accueil.attention(demo_db, today)
    assert today + timedelta(days=1) in memoire.jours_gardes(demo_db.location, cle)

    w = ouvrir(demo_db, settings)
    page = w._pages["accueil"]
    assert page.loaded and page.de_memoire  # at once, before any query
    line = next(r for r in page.alerte_rows() if r.text(0) == f"EIGS {ref} — partie 1")
    assert line.data(0, Qt.ItemDataRole.UserRole).item_id == eid


def test_the_next_days_are_computed_ahead(qtbot, ouvrir, demo_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """After the fill, in idle time: the next four days' lines, exactly what those days will compute."""
    settings = Settings()
    monkeypatch.setattr(AccueilPage, "AVANCE_MS", 0)
    w = ouvrir(demo_db, settings)
    page = w._pages["accueil"]
    w.show()
    today = date.today()
    ahead = {today + timedelta(days=k) for k in range(5)}
    qtbot.waitUntil(lambda: memoire.jours_gardes(demo_db.location, page._lire_cle()) == ahead, timeout=30000)
    today_rows = page.alertes
    w.close()

    in_three_days = today + timedelta(days=3)
    monkeypatch.setattr(rules, "aujourdhui", lambda: in_three_days)
    w = ouvrir(demo_db, settings)
    page = w._pages["accueil"]
    assert page.loaded and page.de_memoire
    expected = accueil.attention(demo_db, in_three_days)
    assert page.alertes == expected and expected != today_rows  # « en retard de N jours » moved on
    assert f"le {in_three_days:%d/%m/%Y}" in page.findChild(QLabel, "pageSubtitle").text()
    w.show()
    qtbot.waitUntil(lambda: not page.de_memoire, timeout=15000)
    assert page.alertes == expected


def test_the_next_days_wait_while_the_user_is_on_another_page(qtbot, ouvrir, demo_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Computed ahead only while the home page is shown (idle reading time): on another page, no step of it
    comes in the way of a click; back on the home page, it resumes."""
    settings = Settings()
    monkeypatch.setattr(AccueilPage, "AVANCE_MS", 300)
    w = ouvrir(demo_db, settings)
    page = w._pages["accueil"]
    w.show()
    qtbot.waitUntil(lambda: page.loaded, timeout=15000)
    w.page("paqss")  # the director goes on at once
    assert not page.isVisible()
    qtbot.wait(1200)
    today = date.today()
    assert memoire.jours_gardes(demo_db.location, page._lire_cle()) == {today}
    w.page("accueil")
    ahead = {today + timedelta(days=k) for k in range(5)}
    qtbot.waitUntil(lambda: memoire.jours_gardes(demo_db.location, page._lire_cle()) == ahead, timeout=30000)


@pytest.mark.sqlite_only
def test_shown_before_the_base_is_opened_then_bound(qtbot, ouvrir, demo_db) -> None:  # type: ignore[no-untyped-def]
    """The launch: the window's skeleton, the kept page read without the core (sqlite3), then the base opens;
    an overdue EIGS line opens the event."""
    settings = Settings()
    eid, ref = _eigs_en_retard(demo_db)
    rows = _computed(qtbot, ouvrir, demo_db, settings)

    w = ouvrir(None, settings)
    w.show()
    assert w.preview(demo_db.location)
    page = w._pages["accueil"]
    assert page.loaded and page.de_memoire and not hasattr(page, "ctx") and textes(page) == rows
    puis_la_base(qtbot, w, demo_db, page, rows, eid, ref)
    w.close()

    with collegue(demo_db) as other:  # changed since: nothing shown before the base is open
        evenements.classer_eigs(other, _eigs_en_retard(other)[0], today=date.today())
    w = ouvrir(None, settings)
    w.show()
    assert not w.preview(demo_db.location)
    assert "accueil" not in w._pages
    assert (
        w._placeholder is not None
        and w._placeholder.findChild(QLabel, "pageSubtitle").text() == "Chargement…"
    )


def test_a_damaged_kept_file_is_ignored_silently(qtbot, ouvrir, demo_db) -> None:  # type: ignore[no-untyped-def]
    settings = Settings()
    rows = _computed(qtbot, ouvrir, demo_db, settings)
    f = memoire.fichier(demo_db.location)
    f.write_bytes(f.read_bytes()[: len(f.read_bytes()) // 2])  # cut in the middle (a full disk, a crash)
    w = ouvrir(None, settings)
    assert not w.preview(demo_db.location)
    w = ouvrir(demo_db, settings)
    page = w._pages["accueil"]
    assert not page.loaded
    w.show()
    qtbot.waitUntil(lambda: page.loaded, timeout=15000)
    assert textes(page) == rows and not page.de_memoire
    assert (
        memoire.retrouver(demo_db.location, page._lire_cle(), date.today(), date.today()) is not None
    )  # kept again


def test_the_page_takes_the_place_of_the_skeletons_title(qtbot, ouvrir, demo_db) -> None:  # type: ignore[no-untyped-def]
    """Skeleton first, then the base: the page fills the whole place (the title's stretch goes with it)."""
    w = ouvrir(None, Settings())
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    w.attach(demo_db)
    page = w._pages["accueil"]
    qtbot.waitUntil(lambda: page.loaded, timeout=15000)
    assert page.y() < 20 and page.height() > w.stack.height() - 40
