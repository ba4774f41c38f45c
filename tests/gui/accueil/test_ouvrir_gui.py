"""Each search result opens its item in its page: a risk in its form, a person in the directory's form,
a crisis plan and a fiche réflexe in the Crise page, a report selected in the register."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from qualite_app.accueil import recherche

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support grabbing the keyboard")]


def _first(main_window, text: str, item_type: str):  # type: ignore[no-untyped-def]
    return next(
        r
        for r in recherche.tout(recherche.chercher(main_window.ctx.db, text, limite=20))
        if r.item_type == item_type
    )


def _open(qtbot, main_window, text: str, item_type: str):  # type: ignore[no-untyped-def]
    """Type ``text`` in the popup, choose the first result of that type with ↓, open it with Entrée."""
    r = _first(main_window, text, item_type)
    popup = main_window.open_search()
    qtbot.keyClicks(popup.field, text)
    qtbot.waitUntil(lambda: len(popup.result_items()) > 0, timeout=3000)
    items = popup.result_items()
    target = next(i for i, it in enumerate(items) if it.data(0, Qt.ItemDataRole.UserRole) == r)
    for _ in range(target):
        qtbot.keyClick(popup.field, Qt.Key.Key_Down)
    qtbot.keyClick(popup.field, Qt.Key.Key_Return)
    return r


def test_risk_opens_in_its_form(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    r = _open(qtbot, main_window, "chute", "risque")
    page = main_window._pages["risques"]
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible(), timeout=3000)
    assert page.dialog.risque_id == r.item_id and page.dialog.reference == r.reference
    page.dialog.reject()


def test_person_opens_in_the_directory(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    r = _open(qtbot, main_window, "helene", "personne")
    page = main_window._pages["etablissement"]
    qtbot.waitUntil(lambda: page.person_dialog.isVisible(), timeout=3000)
    assert page.person_dialog.personne_id == r.item_id
    page.person_dialog.reject()


def test_plan_and_fiche_open_in_crise(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    r = _open(qtbot, main_window, "PGTHSSE", "plan")
    page = main_window._pages["crise"]
    assert main_window.nav.currentItem().text() == "Crise" and page.plan_id() == r.item_id
    fiche = _first(main_window, "urgences accueil", "fiche")
    main_window.open_item("crise", "fiche", fiche.item_id)
    assert page.tabs.currentWidget() is page.fiches_tab and page.fiches_tab.fiche_id == fiche.item_id
    assert page.fiches_tab.liste.currentItem().data(Qt.ItemDataRole.UserRole) == fiche.item_id


def test_unknown_area_changes_nothing(main_window) -> None:  # type: ignore[no-untyped-def]
    before = main_window.nav.currentRow()
    assert main_window.open_item("inconnu", "x", 1) is None and main_window.nav.currentRow() == before
