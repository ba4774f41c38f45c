"""The PAQSS list longer than a page (the demo grown by 600 actions): it is read page by page as the user
scrolls, and sorting, filtering by text, the count, the selection, the keyboard and the double-click work
on the whole list, not only on the rows read so far."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from qualite_app.gui.paqss.model import PAGE
from qualite_app.paqss import services as paqss

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]  # offscreen platform noise


def _refs(page) -> list[str]:  # type: ignore[no-untyped-def]
    col = [c[0] for c in paqss_columns()].index("reference")
    return [page.model.index(r, col).data() for r in range(page.model.rowCount())]


def paqss_columns():  # type: ignore[no-untyped-def]
    from qualite_app.gui.paqss.model import COLUMNS

    return COLUMNS


def _scroll_to_the_end(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    """As the user does: the scroll bar dragged to its end until no more rows come."""
    bar = page.view.verticalScrollBar()
    for _ in range(20):
        before = page.model.rowCount()
        bar.setValue(bar.maximum())
        qtbot.wait(10)
        if page.model.rowCount() == before:
            return


def test_the_long_list_is_read_by_pages_as_it_scrolls(qtbot, long_page) -> None:  # type: ignore[no-untyped-def]
    page = long_page
    every = [r.reference for r in paqss.list_actions(page.ctx.db)]
    assert len(every) > 3 * PAGE
    # the first page only, yet the count says the whole list
    assert page.model.rowCount() == PAGE
    assert page.count_label.text() == f"{len(every)} action(s)"
    assert _refs(page) == every[:PAGE]
    _scroll_to_the_end(qtbot, page)
    assert page.model.rowCount() == len(every)
    assert _refs(page) == every
    # the keyboard: Ctrl+Home then End goes to the last action of the whole list
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert page.view.currentIndex().row() == 0
    qtbot.keyClick(page.view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert page.view.currentIndex().row() == len(every) - 1
    qtbot.keyClick(page.view, Qt.Key.Key_Up)  # a plain arrow selects the row it moves to
    assert page.selected_ids() == [page.model.action_id(len(every) - 2)]
    # a double-click on a row of a later page opens that action
    row = PAGE + 57
    page.view.scrollTo(page.model.index(row, 0))
    rect = page.view.visualRect(page.model.index(row, 1))
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.editor is not None and page.editor.isVisible()
    assert page.editor.form.reference.text() == every[row]
    page.editor.reject()


def test_sorting_the_long_list_sorts_it_all_and_keeps_the_selection(qtbot, long_page) -> None:  # type: ignore[no-untyped-def]
    page = long_page
    page.select_ids([page.model.action_id(3)])
    chosen = page.selected_ids()
    first_page = _refs(page)
    hh = page.view.horizontalHeader()
    col = hh.logicalIndex(0)
    assert paqss_columns()[col][0] == "reference"
    qtbot.mouseClick(
        hh.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(hh.sectionViewportPosition(col) + 10, 5)
    )
    descending = [r.reference for r in paqss.list_actions(page.ctx.db, tri="reference", decroissant=True)]
    if _refs(page)[0] != descending[0]:  # the header was ascending already: a second click descends
        qtbot.mouseClick(
            hh.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(hh.sectionViewportPosition(col) + 10, 5)
        )
    assert hh.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    # the last reference of the whole list comes first, though it was on the last page
    assert _refs(page)[:PAGE] == descending[:PAGE]
    assert descending[0] not in first_page and "PAGE-0600" in _refs(page)
    assert page.count_label.text() == f"{len(descending)} action(s)"
    # the selected action stays selected, at its new place further down, read and shown
    assert page.selected_ids() == chosen
    row = page.view.selectionModel().selectedRows()[0].row()
    assert row > PAGE and page.view.currentIndex().row() == row
    qtbot.waitUntil(
        lambda: page.view.viewport().rect().intersects(page.view.visualRect(page.model.index(row, 0)))
    )
    _scroll_to_the_end(qtbot, page)
    assert _refs(page) == descending
    # nothing selected: sorting again reads the first page only
    page.view.clearSelection()
    qtbot.mouseClick(
        hh.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(hh.sectionViewportPosition(col) + 10, 5)
    )
    assert hh.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert page.model.rowCount() == PAGE and _refs(page) == first_page


def test_select_all_selects_the_whole_list_not_only_the_pages_read(qtbot, long_page) -> None:  # type: ignore[no-untyped-def]
    page = long_page
    total = len(paqss.list_actions(page.ctx.db))
    assert page.model.rowCount() < total
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert page.model.rowCount() == total
    assert sorted(page.selected_ids()) == sorted(r.id for r in paqss.list_actions(page.ctx.db))


def test_filtering_the_long_list_by_text(qtbot, long_page) -> None:  # type: ignore[no-untyped-def]
    page = long_page
    total = len(paqss.list_actions(page.ctx.db))
    qtbot.keyClicks(page.filters.search, "douleur")
    expected = [r.reference for r in paqss.list_actions(page.ctx.db, paqss.ActionFilter(texte="douleur"))]
    assert PAGE / 2 < len(expected) < PAGE
    qtbot.waitUntil(lambda: page.count_label.text() == f"{len(expected)} action(s)")
    assert _refs(page) == expected and not page.model.canFetchMore()
    # a word that every long-list action holds: more than a page again, read as it scrolls
    page.filters.search.clear()
    qtbot.keyClicks(page.filters.search, "unite")
    expected = [r.reference for r in paqss.list_actions(page.ctx.db, paqss.ActionFilter(texte="unite"))]
    assert len(expected) >= 600
    qtbot.waitUntil(lambda: page.count_label.text() == f"{len(expected)} action(s)")
    # (the view may already have asked for the next page: its scroll bar was at the end of the short list)
    assert PAGE <= page.model.rowCount() < len(expected)
    assert _refs(page) == expected[: page.model.rowCount()]
    _scroll_to_the_end(qtbot, page)
    assert _refs(page) == expected
    page.filters.search.clear()
    qtbot.waitUntil(lambda: page.count_label.text() == f"{total} action(s)")
    assert PAGE <= page.model.rowCount() < total


def test_the_settings_file_is_written_only_when_the_filters_change(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    saved: list[dict] = []
    monkeypatch.setattr(
        page.ctx.settings, "save", lambda: saved.append(dict(page.ctx.settings.ui_state["paqss"]))
    )
    page.reload()  # the same filters, the same columns: nothing rewritten
    page.apply_filters()
    assert saved == []
    page.filters.statut.setCurrentIndex(page.filters.statut.findData("en_cours"))
    assert len(saved) == 1 and saved[0]["filtres"]["statut"] == page.filters.statut.currentIndex()
    page.view.setColumnWidth(1, 300)  # a column resized: kept
    assert len(saved) == 2 and saved[1]["colonnes"] != saved[0]["colonnes"]
