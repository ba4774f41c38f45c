"""The global search: Ctrl+K opens the popup, typing shows results from several areas (after the
debounce), ↓ and Entrée open the chosen one in its page; typing in the header's field does the same."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

#: offscreen platform noise: a popup cannot grab the keyboard there (it does on a desktop)
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support grabbing the keyboard")]


def _popup(qtbot, main_window):  # type: ignore[no-untyped-def]
    qtbot.keyClick(main_window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: main_window.search_popup is not None and main_window.search_popup.isVisible(), timeout=3000
    )
    return main_window.search_popup


def test_type_see_three_areas_enter_opens(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    popup = _popup(qtbot, main_window)
    qtbot.keyClicks(popup.field, "DOULEUR")
    qtbot.waitUntil(lambda: len(popup.result_items()) > 0, timeout=3000)
    headings = [popup.results.topLevelItem(i).text(0) for i in range(popup.results.topLevelItemCount())]
    assert {"Actions PAQSS", "Indicateurs", "Critères"} <= {h.split(" (")[0] for h in headings}
    assert "résultat(s) dans" in popup.status.text()
    # the first result is selected; ↓ until the first indicator, Entrée opens it
    items = popup.result_items()
    target = next(
        i for i, it in enumerate(items) if it.data(0, Qt.ItemDataRole.UserRole).domaine == "indicateurs"
    )
    for _ in range(target):
        qtbot.keyClick(popup.field, Qt.Key.Key_Down)
    chosen = popup.results.currentItem().data(0, Qt.ItemDataRole.UserRole)
    assert chosen.domaine == "indicateurs"
    qtbot.keyClick(popup.field, Qt.Key.Key_Return)
    assert not popup.isVisible()
    page = main_window._pages["indicateurs"]
    assert main_window.nav.currentItem().text() == "Indicateurs"
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.detail, timeout=3000)
    assert page.detail.indicateur_id == chosen.item_id


def test_header_field_and_an_event(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(main_window.search_field, "E")
    popup = main_window.search_popup
    assert popup is not None and popup.isVisible() and popup.field.text() == "E"
    assert "deux caractères" in popup.status.text()
    qtbot.keyClicks(popup.field, "I-2026")  # « EI-2026… »: events by reference, the latest first
    qtbot.keyClick(popup.field, Qt.Key.Key_Return)  # before the debounce: searched at once
    chosen = popup.results.currentItem().data(0, Qt.ItemDataRole.UserRole)
    assert chosen.item_type == "evenement" and chosen.reference.startswith("EI-2026-")
    ev = main_window._pages["evenements"]
    assert main_window.nav.currentItem().text() == "Événements"
    assert ev.current_id() == chosen.item_id and chosen.reference in ev.detail.text()


def test_no_result_says_so(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    popup = _popup(qtbot, main_window)
    qtbot.keyClicks(popup.field, "zzqxw")
    qtbot.waitUntil(lambda: "Aucun résultat" in popup.status.text(), timeout=3000)
    assert popup.result_items() == []
    qtbot.keyClick(popup.field, Qt.Key.Key_Return)  # nothing to open: nothing happens
    assert popup.isVisible()


def test_accentless_prefix_three_areas_and_a_person_added_meanwhile(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """« hygie » (no accent, lower case, half a word) finds « hygiène » in several areas; a person saved
    through the directory's service while the window is open is found at once, then under her new name."""
    from qualite_app.etablissement import annuaire

    popup = _popup(qtbot, main_window)
    qtbot.keyClicks(popup.field, "hygie")
    qtbot.waitUntil(lambda: len(popup.result_items()) > 0, timeout=3000)
    headings = {
        popup.results.topLevelItem(i).text(0).split(" (")[0] for i in range(popup.results.topLevelItemCount())
    }
    assert {"Actions PAQSS", "Indicateurs", "Critères"} <= headings
    indicateurs = [
        it for it in popup.result_items() if it.data(0, Qt.ItemDataRole.UserRole).domaine == "indicateurs"
    ]
    assert indicateurs and "hygiène" in indicateurs[0].text(1).lower()
    popup.close()
    db = main_window.ctx.db
    pid = annuaire.save_personne(db, annuaire.PersonneData(nom="VALMORÉ", prenom="Agathe", fonction="IDE"))
    popup = _popup(qtbot, main_window)
    popup.field.clear()
    qtbot.keyClicks(popup.field, "valmor")
    qtbot.waitUntil(lambda: len(popup.result_items()) == 1, timeout=3000)
    assert popup.result_items()[0].text(0) == "Agathe VALMORÉ"
    popup.close()
    data = annuaire.get_personne(db, pid)
    data.nom = "DESBORDES"
    annuaire.save_personne(db, data)
    popup = _popup(qtbot, main_window)
    popup.field.clear()
    qtbot.keyClicks(popup.field, "valmor")
    qtbot.waitUntil(lambda: "Aucun résultat" in popup.status.text(), timeout=3000)
    popup.field.clear()
    qtbot.keyClicks(popup.field, "agathe desb")
    qtbot.waitUntil(lambda: len(popup.result_items()) == 1, timeout=3000)
    qtbot.keyClick(popup.field, Qt.Key.Key_Return)
    page = main_window._pages["etablissement"]
    qtbot.waitUntil(lambda: page.person_dialog.isVisible(), timeout=3000)
    assert page.person_dialog.personne_id == pid
    page.person_dialog.reject()
