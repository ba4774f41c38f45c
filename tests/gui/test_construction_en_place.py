"""Pages and tabs built where they live (issue 14): a widget moved into the window after it is built restyles
its whole subtree (the application's style sheet), so the pages are built inside their place in the stack
and the heavy tabs inside their tab widget (``tab_parent``)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel, QTabWidget, QVBoxLayout, QWidget

from qualite_app.gui.widgets.common import tab_parent
from qualite_app.rules import periodes


def test_a_tab_built_in_tab_parent_is_not_moved_by_add_tab(qtbot) -> None:  # type: ignore[no-untyped-def]
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    inner = tab_parent(tabs)
    assert inner is not tabs  # the tab widget's own page stack
    page = QWidget(inner)
    QVBoxLayout(page).addWidget(QLabel("x"))
    tabs.addTab(page, "Onglet")
    assert page.parentWidget() is inner and tabs.widget(0) is page and tabs.currentWidget() is page
    # a page built elsewhere is moved there by addTab: tab_parent names the same place
    other = QWidget()
    tabs.addTab(other, "Autre")
    assert other.parentWidget() is inner


def test_area_pages_are_built_inside_their_place_in_the_stack(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    w = main_window
    for key in ("paqss", "indicateurs", "certification"):
        page = w.page(key)
        row = next(i for i in range(w.stack.count()) if w.stack.widget(i) is page.parentWidget())
        assert w.stack.currentIndex() == row and page.isVisible()
    cert = w.page("certification")
    # the self-assessment view lives in the tab widget's page stack, and is its first tab
    assert cert.autoeval.parentWidget() is tab_parent(cert.tabs) and cert.tabs.widget(0) is cert.autoeval
    assert (
        cert.autoeval.bas.widget(0) is cert.autoeval.evidence
        and cert.autoeval.liens.isVisibleTo(cert) is False
    )
    paqss = w.page("paqss")
    paqss.edit(paqss.model.action_id(0))
    editor = paqss.editor
    assert editor.tabs.widget(0) is editor.form and editor.form.parentWidget() is tab_parent(editor.tabs)
    assert editor.form.titre.text()  # the action's title is shown in its form
    editor.close()


def test_indicator_dashboard_warm_up_reads_then_the_page_shows_the_same_cards(main_window, demo_db) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.gui.indicateurs.page import IndicateursPage
    from qualite_app.indicateurs import services as svc

    IndicateursPage.prechauffer(demo_db)  # reads only
    page = main_window.page("indicateurs")
    codes = [c.code for c in svc.cartes(demo_db, svc.Filtres())]
    assert codes and [card.carte.code for card in page.dashboard.cards] == codes


def test_period_codes_are_kept_and_still_refused_when_wrong() -> None:
    assert periodes.from_code("2024-03") is periodes.from_code("2024-03")
    assert periodes.from_code("2024-T2").debut.month == 4
    s = periodes.serie(periodes.from_code("2024-11"), periodes.from_code("2025-02"))
    assert [p.code for p in s] == ["2024-11", "2024-12", "2025-01", "2025-02"]
    s.append(periodes.from_code("2030-01"))  # the caller's list is its own: the kept series is unchanged
    assert len(periodes.serie(periodes.from_code("2024-11"), periodes.from_code("2025-02"))) == 4
    try:
        periodes.from_code("2024-13")
    except ValueError as exc:
        assert "n'est pas une période reconnue" in str(exc)
    else:
        raise AssertionError("une période impossible doit être refusée")


class _Restyles(QObject):
    """Counts the widgets restyled (``StyleChange``) while it listens to the application."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.StyleChange:
            self.count += 1
        return False


def test_first_openings_restyle_each_widget_about_once(main_window) -> None:  # type: ignore[no-untyped-def]
    """Built bottom-up and moved into the window, the pages restyled 1.3 to 4 times more widgets: a third
    of a first opening on the scale base went into styling the same widgets again."""
    app = QApplication.instance()
    assert app is not None
    counter = _Restyles()
    app.installEventFilter(counter)
    try:
        seen = {}
        for key in ("paqss", "indicateurs", "certification"):
            counter.count = 0
            main_window.page(key)
            QApplication.processEvents()
            seen[key] = counter.count
        paqss = main_window.page("paqss")
        counter.count = 0
        paqss.edit(paqss.model.action_id(0))
        QApplication.processEvents()
        seen["editeur"] = counter.count
        paqss.editor.close()
    finally:
        app.removeEventFilter(counter)
    # built in place (demo base, 12/2026): 298, 145, 307, 582 ; bottom-up they were 675, 553, 1301, 768
    limits = {"paqss": 400, "indicateurs": 250, "certification": 450, "editeur": 650}
    assert all(seen[k] <= limits[k] for k in limits), seen
