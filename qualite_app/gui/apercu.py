"""The launch's first half-second: the first page shown with the content kept at an earlier launch
(``accueil/memoire.py``) before the base is opened and the core imported — only when it is exactly current —,
then the base opened once that page has painted (``gui/app.py``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from qualite_app.gui.pages import PAGES

if TYPE_CHECKING:
    from qualite_app.gui.main_window import MainWindow


def montrer(window: MainWindow, target: str | Path | None, calculer: bool = False) -> bool:
    """Put the first page with its kept content in place of the skeleton's title, if the page knows how
    (``apercu``) and its content is exactly current (``calculer``: else computed on the base file, without
    the core); False: the skeleton stays until the base is open."""
    import importlib

    spec = PAGES[0]
    module, _, name = spec.target.partition(":")
    apercu = getattr(getattr(importlib.import_module(module), name), "apercu", None)
    page = apercu(window.settings, target, calculer) if apercu is not None else None
    if page is None:
        return False
    window._drop_placeholder()
    holder = window.stack.widget(0)
    layout = holder.layout() if holder is not None else None
    assert layout is not None
    layout.addWidget(page)
    window._pages[spec.key] = page
    return True


def preparer() -> None:
    """The first page's code imported (while a child computes its content)."""
    import importlib

    importlib.import_module(PAGES[0].target.partition(":")[0])


def retirer(window: MainWindow) -> None:
    """The page shown in advance goes (its base could not be opened, or another one was)."""
    page = window._pages.get(PAGES[0].key)
    if page is not None and not hasattr(page, "ctx"):
        del window._pages[PAGES[0].key]
        page.hide()
        page.deleteLater()


class _Peinte(QObject):
    def __init__(self, widget: QWidget, run: Callable[[], None]) -> None:
        super().__init__(widget)
        self._run = run
        widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self._run)  # once this frame is drawn
        return False


def apres_peinture(widget: QWidget | None, callback: Callable[[], None], fallback_ms: int = 500) -> None:
    """Run ``callback`` once, on the turn of the event loop after ``widget`` has painted, or after
    ``fallback_ms`` whatever happens (a minimised window paints nothing)."""
    done = [False]

    def run() -> None:
        if not done[0]:
            done[0] = True
            callback()

    if widget is not None:
        _Peinte(widget, run)
    QTimer.singleShot(fallback_ms, run)


def attendre(calcul: Any, max_ms: int, callback: Callable[[], None]) -> None:
    """Run ``callback`` once the child process ``calcul`` has ended, polled without blocking the event loop,
    or after ``max_ms`` (the child is then stopped: the page is computed once the base is open)."""
    import time

    fin = time.monotonic() + max_ms / 1000
    timer = QTimer(QCoreApplication.instance())  # alive until it has run
    timer.setInterval(4)

    def poll() -> None:
        if calcul.poll() is None and time.monotonic() < fin:
            return
        timer.stop()
        timer.deleteLater()
        if calcul.poll() is None:
            calcul.kill()
        callback()

    timer.timeout.connect(poll)
    timer.start()
    poll()
