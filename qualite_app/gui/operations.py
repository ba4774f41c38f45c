"""Writes and long work from the GUI: errors become French messages; nobody announces changes.

``run_write`` calls a service on the UI thread (short writes). ``run_background`` runs long work
(imports, exports, reports) in a worker thread with a progress dialog that can cancel it; the
function receives a ``Progress`` to report steps and check for cancellation.

What changed is never said by the caller: one service call = one unit of work = one transaction,
whose ChangeSet (the tables it wrote, journal included) the database hands to the change bus once
committed (``AppContext`` subscribes the bus to the base); each page redraws if it shows one of them.

Lifetime of background jobs: the thread pool must not delete a job (``autoDelete`` is off) and the
job is kept in ``_RUNNING`` until its result has been delivered on the UI thread; it is then released
there (``_release``).  Before, the pool deleted the job in its worker thread right after ``run()``,
and the last Python references went with it: the ``_Signals`` QObject (a UI-thread object) and the
widgets captured by the work function could be deleted from the worker thread.  And a job still
running when the interpreter exits (a test that failed or timed out, ``-x``) kept emitting from a
``_Signals`` that PySide's exit clean-up had already deleted: use after free, « QObject: shared
QObject was deleted directly », ``malloc_consolidate()``, abort.  ``wait_for_jobs`` cancels and
joins the running jobs; it runs at exit before PySide's clean-up, and before a database is closed.
"""

from __future__ import annotations

import atexit
import itertools
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QMessageBox, QProgressDialog, QSizePolicy, QSpacerItem, QWidget

from qualite_app.errors import ConfirmationRequise, ConflitEdition, UserError, log_crash, translate
from qualite_app.gui.context import AppContext

T = TypeVar("T")


def show_error(parent: QWidget | None, exc: BaseException, title: str = "") -> None:
    """A user's or the environment's problem in French; a bug without its message (it may carry row
    data), its traceback written to ``erreurs.log``."""
    known = translate(exc)
    if known is not None:
        QMessageBox.warning(parent, title or "Opération impossible", known.message)
    else:
        log = log_crash(exc)
        QMessageBox.critical(
            parent,
            "Erreur inattendue",
            f"Une erreur inattendue s'est produite ; rien n'a été enregistré.\n\n({type(exc).__name__}"
            + (f" — détails techniques dans {log}" if log else "")
            + ")",
        )


def ask_conflict(parent: QWidget | None, exc: ConflitEdition, title: str = "") -> bool:
    """Someone else saved the item the user is editing (optimistic locking): show what they changed and ask.
    True: reapply the user's changes over theirs; False: discard them (the form reloads what the base holds)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title or "Modifié entre-temps", exc.message, parent=parent)
    box.setObjectName("conflit")
    grid = box.layout()
    if isinstance(grid, QGridLayout):  # wide enough for « who, when — field : old → new » on one line
        grid.addItem(
            QSpacerItem(560, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding),
            grid.rowCount(),
            0,
            1,
            grid.columnCount(),
        )
    reapply = box.addButton("Réappliquer mes modifications", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Abandonner mes modifications", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is reapply


def run_write(
    ctx: AppContext,
    parent: QWidget | None,
    fn: Callable[..., T],
    *args: Any,
    on_error: Callable[[UserError], None] | None = None,
    recharger: Callable[[], None] | None = None,
    reappliquer: Callable[[], None] | None = None,
    **kwargs: Any,
) -> T | None:
    """Call a service (one transaction) and return its result, or None when nothing was written.

    A user's or the environment's error is shown in French — or handed to ``on_error`` when given (a
    form puts each message of a ``ValidationError`` beside its field). A service that needs the user's
    yes raises ``ConfirmationRequise``: the question is asked here and, if the answer is yes, the
    service is called again with ``confirme=True``. A form's save given ``recharger`` (how the form reloads
    the item) handles a ``ConflitEdition`` here (someone else saved the item since the form opened it): what
    they changed is shown, then the user's changes are saved again with ``ecraser=True`` or discarded (the
    form calls ``recharger``); a form that can merge gives ``reappliquer`` (it puts the user's changes over the
    item as it is now, a colleague's changes to other fields kept, and saves again) instead. ``ctx`` is the context whose change bus receives the transaction's ChangeSet:
    the pages redraw from it, the caller announces nothing."""
    kw = dict(kwargs)
    try:
        while True:
            try:
                return fn(*args, **kw)
            except ConfirmationRequise as exc:
                if kw.get("confirme"):
                    raise
                if QMessageBox.question(parent, "Confirmer", exc.message) != QMessageBox.StandardButton.Yes:
                    return None
                kw["confirme"] = True
            except ConflitEdition as exc:
                if recharger is None or kw.get("ecraser"):
                    raise
                if not ask_conflict(parent, exc):
                    recharger()
                    return None
                if reappliquer is not None:
                    reappliquer()
                    return None
                kw["ecraser"] = True
    except Exception as exc:  # the transaction was rolled back: say why, in French
        known = translate(exc)
        if known is None:
            raise  # a bug: Qt's excepthook (and the tests) must see it
        if on_error is None:
            show_error(parent, exc)
        else:
            on_error(known)
        return None


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
        # Released on the UI thread (see _release), never deleted by the pool from its worker thread.
        self.setAutoDelete(False)
        self.signals = _Signals()
        self.fn = fn
        self.progress = Progress(self.signals.progress.emit)
        self.ended = threading.Event()

    def run(self) -> None:
        try:
            try:
                result = self.fn(self.progress)
            except BaseException as exc:  # delivered to the UI thread
                self.signals.failed.emit(exc)
            else:
                self.signals.finished.emit(result)
        finally:
            self.ended.set()


# Jobs started and not yet released, by key: keeps each job, its _Signals and what its work function
# captured alive while the worker may still use them.  Only touched from the UI thread.
_RUNNING: dict[int, _Job] = {}
_KEYS = itertools.count()


def _release(key: int) -> None:
    """On the UI thread, once the result was delivered: free the job here, not in the worker."""
    job = _RUNNING.pop(key, None)
    if job is None:
        return
    job.ended.wait(10)  # run() has emitted; it returns at once
    if shiboken6.isValid(job.signals):
        shiboken6.delete(job.signals)  # and with it the connections to the slots (and what they captured)
    if shiboken6.isValid(job):
        shiboken6.delete(job)  # the C++ runnable (the pool does not own it) and its reference to the job


def wait_for_jobs(timeout_s: float = 60.0) -> bool:
    """Cancel the running background jobs and wait until their work has returned.

    Called before the Qt objects they emit from may be deleted: at interpreter exit (before
    PySide's clean-up deletes every Python-owned QObject) and when a database is closed.
    Returns False if some job was still running after ``timeout_s``.
    """
    jobs = [j for j in _RUNNING.values() if not j.ended.is_set()]
    for job in jobs:
        job.progress.cancel()
    deadline = time.monotonic() + timeout_s
    # Event.wait releases the GIL: the workers can finish their Python code
    return all(job.ended.wait(max(0.0, deadline - time.monotonic())) for job in jobs)


# atexit runs handlers last-registered-first: this one runs before the clean-up that PySide's QtCore
# registered when it was imported (earlier than this module).
atexit.register(wait_for_jobs)


def run_background(
    ctx: AppContext,
    parent: QWidget | None,
    title: str,
    fn: Callable[[Progress], T],
    on_done: Callable[[T], None] | None = None,
    *,
    on_failed: Callable[[BaseException], None] | None = None,
) -> _Job:
    """Run ``fn`` in the thread pool; ``on_done(result)`` / ``on_failed(exc)`` (after the error is
    shown; also when cancelled) run on the UI thread, and only while ``parent`` still exists."""
    dlg = QProgressDialog(title, "Annuler", 0, 0, parent)
    dlg.setWindowTitle(title)
    dlg.setWindowModality(Qt.WindowModality.WindowModal)
    dlg.setMinimumDuration(400)
    job = _Job(fn)
    key = next(_KEYS)  # the slots below must not reference the job itself (it would never be freed)

    def progress(done: int, total: int, text: str) -> None:
        if not shiboken6.isValid(dlg):  # the window that asked for it is gone (closed while it ran)
            return
        dlg.setMaximum(total)
        dlg.setValue(done)
        if text:
            dlg.setLabelText(text)

    def release_later() -> None:
        # Once this slot has returned (on_done or show_error may run a modal event loop): the
        # job's _Signals is the sender of the slot being run.
        QTimer.singleShot(0, lambda: _release(key))

    def finished(result: Any) -> None:
        try:
            if not shiboken6.isValid(dlg):
                return
            dlg.reset()
            dlg.deleteLater()
            if on_done is not None:
                on_done(result)
        finally:
            release_later()

    def failed(exc: BaseException) -> None:
        try:
            if not shiboken6.isValid(dlg):
                return
            dlg.reset()
            dlg.deleteLater()
            if not isinstance(exc, Cancelled):
                show_error(parent, exc)
            if on_failed is not None:
                on_failed(exc)
        finally:
            release_later()

    job.signals.progress.connect(progress)
    job.signals.finished.connect(finished)
    job.signals.failed.connect(failed)
    dlg.canceled.connect(job.progress.cancel)
    # the window goes away (closed while the work runs): stop the work at its next step
    dlg.destroyed.connect(job.progress.cancel)
    _RUNNING[key] = job
    QThreadPool.globalInstance().start(job)
    return job
