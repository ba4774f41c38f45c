"""Idle warm-up of the main window: once the first page is filled, the other areas' code is imported one
module per tick, then each page's first reads are run without widgets (``Page.prechauffer``), then
matplotlib is prepared in a thread — so that no area's first opening waits for its imports and first
queries (a tick is short: a click meanwhile waits that much), and what it imported is frozen out of the
collector's sight (``gc.freeze``)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from qualite_app.gui.pages import PAGES

if TYPE_CHECKING:
    import threading
    from collections.abc import Callable

    from qualite_app.socle.base import Database

log = logging.getLogger(__name__)

#: modules that opening an item imports (beyond its area's page): warmed in idle time too
ITEM_MODULES = ("qualite_app.gui.widgets.liens", "qualite_app.gui.paqss.editor")


def _prepare_charts() -> None:
    """matplotlib imported and its fonts registered (``charts.new_figure`` then costs nothing more): an
    indicator's chart appears ≈ 1 s sooner. Run in a thread once the window has settled — a module import
    of a second or so, which the event loop could not split: the window stays responsive meanwhile."""
    try:
        from qualite_app.reports import charts

        charts._setup_fonts()
        import matplotlib.backends.backend_agg  # noqa: F401
        import matplotlib.figure  # noqa: F401
    except Exception:  # a chart drawn later imports it again, and says what is wrong
        log.warning("Préparation des graphiques impossible", exc_info=True)


class Prechauffage(QObject):
    """``start()`` once the base is attached; each tick waits while ``first_page_busy()`` (the first page
    is still filling: it comes first) and skips the pages already built (``built()``)."""

    def __init__(self, parent: QObject, first_page_busy: Callable[[], bool], built: Callable[[], set[str]],
                 db: Callable[[], Database | None]) -> None:  # fmt: skip
        super().__init__(parent)
        self._busy, self._built, self._db = first_page_busy, built, db
        self._to_warm = [spec.target.partition(":")[0] for spec in PAGES[1:]] + list(ITEM_MODULES)
        self._to_read = list(PAGES[1:])
        self._charts: threading.Thread | None = None
        self._gele = False  # what the charts' thread imported is frozen too
        self.timer = QTimer(self)
        self.timer.setInterval(30)
        self.timer.timeout.connect(self._next)

    def start(self) -> None:
        self.timer.start()

    @property
    def done(self) -> bool:
        """Every area's page code is imported, its first reads run, and matplotlib ready."""
        return (
            not self._to_warm
            and not self._to_read
            and self._charts is not None
            and not self._charts.is_alive()
            and self._gele
        )

    def _next(self) -> None:
        if self._busy():
            return
        if not self._to_warm and not self._to_read:
            if self._charts is None or not self._charts.is_alive():
                if self._charts is not None and not self._gele:
                    # matplotlib, imported by the thread after the first freeze, is frozen in turn: else
                    # the next full pass of the collector walks it — ≈ 40 ms paid by the first page opened
                    # (PAQSS on the scale base). Frozen without a collection first (that pass is the same
                    # 50 ms, in one tick): an import leaves next to no cyclic garbage
                    import gc

                    gc.freeze()
                    self._gele = True
                self.timer.stop()
            return
        if self._to_warm:
            self._import_next()
            if not self._to_warm:
                # every area's models are imported: their mappers configured now, not by the first query
                # of the first page opened (≈ 15-35 ms on the scale base)
                from qualite_app.areas import configure_models

                configure_models()
            return
        # then, one area per turn, the reads its page's first display runs (``Page.prechauffer``)
        spec = self._to_read.pop(0)
        db = self._db()
        if spec.key not in self._built() and db is not None:
            try:
                spec.page_class().prechauffer(db)
            except Exception:  # idle time: the page reads again, and says what is wrong, when opened
                log.warning("Préchauffage de la page %s impossible", spec.key, exc_info=True)
        if not self._to_read:
            # the window, the home page and every area's code now live as long as the window: collected
            # once, then kept out of the collector's sight (gc.freeze), so that its full passes stop
            # re-walking them — on the scale base they cost a page's first opening up to ~100 ms
            import gc
            import threading

            gc.collect()
            gc.freeze()
            self._charts = threading.Thread(target=_prepare_charts, name="graphiques", daemon=True)
            self._charts.start()

    def _import_next(self) -> None:
        import importlib
        import sys

        importlib.import_module(self._to_warm.pop(0))
        # the areas' services packages import their concerns on first use (PEP 562, ``_OU``: what the home
        # page does not ask stays unread until then); their submodules are warmed too, one per turn, so
        # that an area's first opening does not pay for them
        for name, module in list(sys.modules.items()):
            ou = getattr(module, "_OU", None) if name.endswith(".services") else None
            if isinstance(ou, dict):
                todo = sorted({m for m, _a in ou.values()} - sys.modules.keys() - set(self._to_warm))
                self._to_warm[:0] = todo
