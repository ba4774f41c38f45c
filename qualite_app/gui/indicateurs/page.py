"""The Indicateurs area: the dashboard (cards → detail) and the list of indicators, in two tabs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from qualite_app.gui.context import AppContext
from qualite_app.gui.indicateurs.dashboard import DashboardView
from qualite_app.gui.indicateurs.detail import DetailView
from qualite_app.gui.indicateurs.liste import ListeView
from qualite_app.gui.indicateurs.rapport import ask_dashboard_report
from qualite_app.gui.pages import Page
from qualite_app.gui.widgets.common import named

if TYPE_CHECKING:
    from qualite_app.socle.base import Database


class IndicateursPage(Page):
    listens_to = frozenset({"indicateurs", "paqss", "etablissement", "annuaire"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._reload_pending = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # containers put in place before they are filled (built top-down, each widget is styled once)
        self.tabs = named(QTabWidget(), "onglets_indicateurs")
        layout.addWidget(self.tabs)
        self.stack = QStackedWidget()
        self.tabs.addTab(self.stack, self.tr("Tableau de bord"))
        self.dashboard = DashboardView(ctx, self.stack)
        self.stack.addWidget(self.dashboard)
        self._detail: DetailView | None = None  # built when an indicator is first opened (or asked for)
        # the list of indicators is built the first time its tab is shown (or asked for)
        self._liste: ListeView | None = None
        self._liste_holder = QWidget()
        QVBoxLayout(self._liste_holder).setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self._liste_holder, self.tr("Indicateurs"))
        self.tabs.currentChanged.connect(lambda i: self.liste if i == 1 else None)
        self.dashboard.open_indicator.connect(self.open_indicator)
        self.dashboard.report_btn.clicked.connect(self.make_report)

    @classmethod
    def prechauffer(cls, db: Database) -> None:
        """The dashboard's first reads (its filters' choices, the saved dashboards, every card with the
        default filters: the series' periods are then known to ``periodes``)."""
        from qualite_app.indicateurs import services as svc

        svc.filter_choices(db)
        svc.services(db)
        svc.list_tableaux(db)
        svc.cartes(db, svc.Filtres())

    @property
    def liste(self) -> ListeView:
        if self._liste is None:
            self._liste = ListeView(self.ctx)
            self._liste.open_indicator.connect(self.open_indicator)
            layout = self._liste_holder.layout()
            assert layout is not None
            layout.addWidget(self._liste)
        return self._liste

    @property
    def detail(self) -> DetailView:
        if self._detail is None:
            self._detail = DetailView(self.ctx)
            self.stack.addWidget(self._detail)
            self._detail.back.connect(self.show_dashboard)
        return self._detail

    def open_indicator(self, indicateur_id: int) -> None:
        self.tabs.setCurrentIndex(0)
        self.detail.show_indicator(indicateur_id, self.dashboard.filtres().service_id)
        self.stack.setCurrentWidget(self.detail)

    def open_item(self, item_type: str, item_id: int) -> None:
        """From « Aujourd'hui » or the search: an indicator opens on its detail (its chart)."""
        if item_type == "indicateur":
            self.open_indicator(item_id)

    def show_dashboard(self) -> None:
        self.stack.setCurrentWidget(self.dashboard)

    def reload(self) -> None:
        """Deferred to the next event-loop turn: a change announced from inside an edit (the results grid)
        must not reset models while their editor is still committing."""
        if not self._reload_pending:
            self._reload_pending = True
            QTimer.singleShot(0, self._do_reload)

    def _do_reload(self) -> None:
        self._reload_pending = False
        self.dashboard.reload()
        detail = self._detail
        if detail is not None and self.stack.currentWidget() is detail and detail.indicateur_id is not None:
            detail.model.refresh_rows()
            detail.refresh_chart()
        if self._liste is not None:
            self._liste.reload()

    def make_report(self) -> None:
        ask_dashboard_report(self.ctx, self, self.dashboard)
