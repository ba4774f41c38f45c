"""« Aujourd'hui » at launch when nothing current is kept (the first launch, or the base changed since): the
page computed without the core — in the window's process, or in the child started before Qt — is shown before
the base is open, exactly as computed once it is, and its lines open their items."""

from __future__ import annotations

from datetime import date

import pytest

from qualite_app.accueil import enfant, memoire
from qualite_app.accueil import services as accueil
from qualite_app.gui.main_window import MainWindow
from qualite_app.settings import Settings
from qualite_app.storage.database import Database
from tests.helpers.eigs import eigs_en_retard, puis_la_base, textes

pytestmark = pytest.mark.sqlite_only  # the cold path reads a SQLite file (on the server: the normal path)


def _skeleton(qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(None, Settings())
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _then_the_base(qtbot, w: MainWindow, db: Database, eid: int, ref: str) -> None:  # type: ignore[no-untyped-def]
    """Shown before the base is open; the base attached, computed again: the same lines, not redrawn; the
    overdue EIGS line opens the event."""
    page = w._pages["accueil"]
    assert page.loaded and page.de_memoire and not hasattr(page, "ctx")
    shown = textes(page)
    line = next(r for r in page.alerte_rows() if r.text(0) == f"EIGS {ref} — partie 1")
    assert line.text(1) == "Événements" and line.text(2).startswith("Transmission en retard de 13 jours")
    assert line.parent().text(0).startswith("En retard")
    assert [a.titre for a in page.alertes] == [a.titre for a in accueil.attention(db, date.today())]
    puis_la_base(qtbot, w, db, page, shown, eid, ref)


def test_nothing_kept_the_page_is_computed_in_process_before_the_base_opens(qtbot, demo_db) -> None:  # type: ignore[no-untyped-def]
    eid, ref = eigs_en_retard(demo_db, "Chute de nuit, premier lancement sans page gardée.")
    memoire.fichier(demo_db.location).unlink(missing_ok=True)
    w = _skeleton(qtbot)
    assert not w.preview(demo_db.location)  # nothing kept: the kept page alone shows nothing
    assert w.preview(demo_db.location, calculer=True)
    assert w._pages["accueil"].a_froid  # computed at this launch, not kept from an earlier one
    assert memoire.fichier(demo_db.location).is_file()  # kept for the next launch as well
    _then_the_base(qtbot, w, demo_db, eid, ref)


def test_nothing_kept_the_child_computes_the_page_and_the_window_waits_for_it(
    qtbot, demo_db, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.gui.apercu import attendre

    monkeypatch.setenv("QUALITE_ACCUEIL_ENFANT", "0")
    assert enfant.lancer(demo_db.location, Settings()) is None  # not wanted: the window computes it itself
    monkeypatch.setenv("QUALITE_ACCUEIL_ENFANT", "1")
    eid, ref = eigs_en_retard(demo_db, "Chute de nuit, la page calculée par le processus enfant.")
    memoire.fichier(demo_db.location).unlink(missing_ok=True)
    calcul = enfant.lancer(demo_db.location, Settings())
    assert calcul is not None
    w = _skeleton(qtbot)
    done: list[bool] = []
    attendre(calcul, 30000, lambda: done.append(w.preview(demo_db.location)))  # the kept page only
    qtbot.waitUntil(lambda: bool(done), timeout=35000)
    assert calcul.returncode == 0 and done == [True]
    _then_the_base(qtbot, w, demo_db, eid, ref)
    assert calcul.stdin is not None
    calcul.stdin.close()
