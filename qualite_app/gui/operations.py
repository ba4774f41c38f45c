"""Writes and long work from the GUI: errors become French messages, changes are announced.

``run_write`` calls a service on the UI thread (short writes). ``run_background`` runs long work
(imports, exports, reports) in a worker thread with a progress dialog that can cancel it; the
function receives a ``Progress`` to report steps and check for cancellation.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from qualite_app.errors import UserError
from qualite_app.gui.context import AppContext

T = TypeVar("T")


def show_error(parent: QWidget | None, exc: BaseException, title: str = "") -> None:
    if isinstance(exc, UserError):
        QMessageBox.warning(parent, title or "Opération impossible", exc.message)
    else:
        QMessageBox.critical(
            parent,
            "Erreur inattendue",
            f"Une erreur inattendue s'est produite ; rien n'a été enregistré.\n\n{type(exc).__name__} : {exc}",
        )


def run_write(
    ctx: AppContext, parent: QWidget | None, fn: Callable[..., T], *args: Any, changes: tuple[str, ...] = (), **kwargs: Any
) -> T | None:
    """Call a service; on a user error show it and return None; on success announce ``changes``."""
    try:
        result = fn(*args, **kwargs)
    except UserError as exc:
        show_error(parent, exc)
        return None
    if changes:
        ctx.bus.announce(*changes)
    return result


class Cancelled(Exception):
    pass


class Progress:
    """Handed to background work: report with ``step(done, total, text)``, stop when ``cancelled``."""

    def __init__(self, emit: Callable[[int, int, str], None]) -> None:
        self._emit = emit
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def step(self, done: int, total: int, text: str = "") -> None:
        if self._cancel.is_set():
            raise Cancelled()
        self._emit(done, total, text)


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.signals = _Signals()
        self.fn = fn
        self.progress = Progress(self.signals.progress.emit)

    def run(self) -> None:
        try:
            result = self.fn(self.progress)
        except BaseException as exc:  # delivered to the UI thread
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


def run_background(
    ctx: AppContext,
    parent: QWidget | None,
    title: str,
    fn: Callable[[Progress], T],
    on_done: Callable[[T], None] | None = None,
    *,
    changes: tuple[str, ...] = (),
) -> _Job:
    dlg = QProgressDialog(title, "Annuler", 0, 0, parent)
    dlg.setWindowTitle(title)
    dlg.setWindowModality(Qt.WindowModality.WindowModal)
    dlg.setMinimumDuration(400)
    job = _Job(fn)

    def progress(done: int, total: int, text: str) -> None:
        dlg.setMaximum(total)
        dlg.setValue(done)
        if text:
            dlg.setLabelText(text)

    def finished(result: Any) -> None:
        dlg.reset()
        dlg.deleteLater()
        if changes:
            ctx.bus.announce(*changes)
        if on_done is not None:
            on_done(result)

    def failed(exc: BaseException) -> None:
        dlg.reset()
        dlg.deleteLater()
        if not isinstance(exc, Cancelled):
            show_error(parent, exc)

    job.signals.progress.connect(progress)
    job.signals.finished.connect(finished)
    job.signals.failed.connect(failed)
    dlg.canceled.connect(job.progress.cancel)
    QThreadPool.globalInstance().start(job)
    return job
