"""« Aujourd'hui » in the main window: the first page; an overdue EIGS is listed, clicking it opens the
event in the Événements page; a PAQSS action opens in its editor."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from qualite_app.evenements import services as evenements
from qualite_app.storage.database import Database
from tests.helpers.eigs import eigs_en_retard


@pytest.fixture
def overdue_eigs(demo_db: Database) -> tuple[int, str]:
    """A fall with serious harm, known 20 days ago and classified EIGS: part 1 is overdue."""
    return eigs_en_retard(demo_db, "Patiente retrouvée au sol dans la salle de bains (essai de l'accueil).")


def _page(qtbot, main_window):  # type: ignore[no-untyped-def]
    page = main_window.page("accueil")
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    return page


def test_window_opens_on_today(qtbot, overdue_eigs, main_window) -> None:  # type: ignore[no-untyped-def]
    eid, ref = overdue_eigs
    assert main_window.nav.currentItem().text() == "Aujourd'hui"
    assert main_window.stack.currentIndex() == 0
    page = _page(qtbot, main_window)
    rows = page.alerte_rows()
    texts = [r.text(0) for r in rows]
    line = next(r for r in rows if r.text(0) == f"EIGS {ref} — partie 1")
    assert line.text(1) == "Événements" and "en retard de" in line.text(2)
    # the overdue section comes first, and the EIGS heads it (regulatory deadlines first)
    assert page.tree.topLevelItem(0).text(0).startswith("En retard (")
    first_other = next(i for i, r in enumerate(rows) if r.text(1) != "Événements")
    assert texts.index(line.text(0)) < first_other and rows[0].text(1) == "Événements"
    assert "point(s) à traiter" in page.count.text()
    assert "Depuis votre dernière visite" in page.digest.text()

    # clicking the line opens the event in the Événements page
    rect = page.tree.visualItemRect(line)
    qtbot.mouseClick(page.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    ev = main_window._pages["evenements"]
    assert main_window.nav.currentItem().text() == "Événements" and ev.isVisible()
    assert ev.current_id() == eid
    assert ref in ev.detail.text()


def test_an_action_opens_in_its_editor(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, main_window)
    line = next(r for r in page.alerte_rows() if r.text(1) == "PAQSS")
    reference = line.text(0).split(" — ")[0]
    page.tree.scrollToItem(line)
    rect = page.tree.visualItemRect(line)
    qtbot.mouseClick(page.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    paqss_page = main_window._pages["paqss"]
    qtbot.waitUntil(lambda: paqss_page.editor is not None and paqss_page.editor.isVisible(), timeout=5000)
    assert paqss_page.editor.form.reference.text() == reference
    paqss_page.editor.reject()


def test_a_change_elsewhere_refills_the_page(qtbot, overdue_eigs, main_window) -> None:  # type: ignore[no-untyped-def]
    eid, ref = overdue_eigs
    page = _page(qtbot, main_window)
    assert any(r.text(0) == f"EIGS {ref} — partie 1" for r in page.alerte_rows())
    data = evenements.get_eigs(main_window.ctx.db, eid)
    assert data is not None
    data.partie1_envoyee_le = date.today()
    evenements.enregistrer_eigs(main_window.ctx.db, data, today=date.today())
    qtbot.waitUntil(
        lambda: not any(r.text(0) == f"EIGS {ref} — partie 1" for r in page.alerte_rows()), timeout=5000
    )


def test_my_actions_first_when_my_name_is_in_the_directory(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, main_window)
    overdue = page.tree.topLevelItem(0)
    assert overdue.text(0).startswith("En retard")
    rows = [overdue.child(i) for i in range(overdue.childCount())]
    late = [r for r in rows if r.text(1) == "PAQSS" and "pilote : " in r.text(2)]
    last = late[-1]  # the most recent deadline of the overdue ones: not first by date
    pilot = last.text(2).split("pilote : ")[1].split(" · ")[0]
    assert late[0].text(2).split("pilote : ")[1].split(" · ")[0] != pilot or len(late) == 1
    main_window.settings.display_name = pilot.title()  # « Yves Rouquayrol »: accents and case ignored
    page.loaded = False
    page.reload()
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    overdue = page.tree.topLevelItem(0)
    paqss_rows = [r for i in range(overdue.childCount()) if (r := overdue.child(i)).text(1) == "PAQSS"]
    first = paqss_rows[0]
    assert f"pilote : {pilot}" in first.text(2) and first.font(0).bold()
    assert not any(r.font(0).bold() for r in paqss_rows if f"pilote : {pilot}" not in r.text(2))


def test_new_since_the_last_visit(qtbot, main_window, demo_db) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.gui.main_window import MainWindow

    page = _page(qtbot, main_window)  # the first visit: nothing is « new »
    assert not any(r.text(2).startswith("Nouveau") for r in page.alerte_rows())
    assert "nouveau(x)" not in page.count.text()
    today = date.today()
    when = datetime.combine(today - timedelta(days=10), datetime.min.time())
    data = evenements.EvenementData(survenu_le=when, declare_le=when.date(), type_code="chute", gravite="5",
                                    faits="Chute dans l'escalier de service (essai de la visite suivante).")  # fmt: skip
    eid = evenements.enregistrer_evenement(demo_db, data, today=today)
    evenements.classer_eigs(demo_db, eid, today=today)
    main_window.close()

    again = MainWindow(demo_db, main_window.settings)  # the next morning, same preferences
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    page = again.page("accueil")
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    new = [r for r in page.alerte_rows() if r.text(2).startswith("Nouveau · ")]
    assert [r.data(0, Qt.ItemDataRole.UserRole).item_id for r in new] == [eid]
    assert "1 nouveau(x) depuis votre dernière visite." in page.count.text()
    again.close()


def test_the_rest_of_the_actions_opens_the_overdue_list(qtbot, main_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.accueil import formes

    monkeypatch.setattr(formes, "PLAFOND_ACTIONS", 3)
    page = _page(qtbot, main_window)
    page.loaded = False
    page.reload()
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    line = next(r for r in page.alerte_rows() if r.text(0).startswith("… et "))
    page.tree.scrollToItem(line)
    qtbot.mouseClick(
        page.tree.viewport(), Qt.MouseButton.LeftButton, pos=page.tree.visualItemRect(line).center()
    )
    paqss_page = main_window._pages["paqss"]
    assert main_window.nav.currentItem().text() == "PAQSS"
    assert paqss_page.filters.echeance.currentData() == "en_retard"
    assert paqss_page.model.rowCount() > 3


def test_a_refill_keeps_the_lines_until_every_area_has_answered(qtbot, overdue_eigs, main_window) -> None:  # type: ignore[no-untyped-def]
    """The first display shows each area's lines as they come; a refill redraws the list once, at the end:
    the director never sees the list shrink to the first area's lines and grow back."""
    eid, ref = overdue_eigs
    page = _page(qtbot, main_window)
    shown = len(page.alerte_rows())
    drawn: list[int] = []
    real = page._fill_tree

    def counting() -> None:
        real()
        drawn.append(len(page.alerte_rows()))

    page._fill_tree = counting  # type: ignore[method-assign]
    page.loaded = False
    page.reload()
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    # nothing changed: the lines shown are kept as they are (no redraw, the selection stays)
    assert drawn == [] and len(page.alerte_rows()) == shown and "Suite en cours" not in page.count.text()
    data = evenements.get_eigs(main_window.ctx.db, eid)
    assert data is not None
    data.partie1_envoyee_le = date.today()
    evenements.enregistrer_eigs(main_window.ctx.db, data, today=date.today())
    page.loaded = False
    page.reload()
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    assert drawn == [shown - 1] and "Suite en cours" not in page.count.text()
