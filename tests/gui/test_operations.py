"""Background jobs (``run_background``): every Qt object of a job is released on the UI thread, and no
job outlives the window that started it nor the interpreter (a crash at exit otherwise). Short writes
(``run_write``): a refusal is shown or handed to the form, a needed confirmation is asked."""

import threading

import pytest
import shiboken6
from PySide6.QtWidgets import QWidget

from qualite_app.gui import operations
from qualite_app.gui.operations import Cancelled, Progress, run_background


class _Ctx:
    """``run_background`` announces nothing: the pages redraw from the ChangeSets of the work's writes."""


def test_job_result_delivered_then_released_on_the_ui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    ctx = _Ctx()
    worker: list[threading.Thread] = []

    def work(progress: Progress) -> int:
        worker.append(threading.current_thread())
        progress.step(1, 2, "moitié")
        return 42

    results: list[int] = []
    job = run_background(ctx, parent, "Travail", work, results.append)  # type: ignore[arg-type]
    signals = job.signals
    destroyed_in: list[threading.Thread] = []
    signals.destroyed.connect(lambda *_: destroyed_in.append(threading.current_thread()))
    qtbot.waitUntil(lambda: results == [42] and not operations._RUNNING, timeout=10000)
    assert worker and worker[0] is not threading.main_thread()
    # the job and its signals were deleted here, on the UI thread, not by the pool in its worker
    assert not shiboken6.isValid(signals) and not shiboken6.isValid(job)
    assert destroyed_in == [threading.main_thread()]


def test_window_closed_while_the_job_runs(qtbot) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    started, go = threading.Event(), threading.Event()
    steps: list[int] = []

    def work(progress: Progress) -> int:
        started.set()
        go.wait(10)
        for i in range(100):  # cancelled at its next step once the window is gone
            progress.step(i, 100)
            steps.append(i)
        return 1

    done: list[int] = []
    run_background(_Ctx(), parent, "Travail", work, done.append)  # type: ignore[arg-type]
    assert started.wait(10)
    shiboken6.delete(parent)  # the window (and its progress dialog) goes away while the work runs
    go.set()
    qtbot.waitUntil(lambda: not operations._RUNNING, timeout=10000)
    assert steps == [] and done == []  # cancelled, nothing shown on a deleted window


def test_wait_for_jobs_cancels_and_joins(qtbot) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    outcome: list[str] = []

    def work(progress: Progress) -> None:
        try:
            while True:
                progress.step(0, 0)
                threading.Event().wait(0.01)
        except Cancelled:
            outcome.append("annulé")
            raise

    run_background(_Ctx(), parent, "Travail", work)  # type: ignore[arg-type]
    assert operations.wait_for_jobs(timeout_s=10)  # what runs at exit, before PySide's clean-up
    assert outcome == ["annulé"]
    qtbot.waitUntil(lambda: not operations._RUNNING, timeout=10000)


def test_failure_shown_then_on_failed(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.errors import UserError

    parent = QWidget()
    qtbot.addWidget(parent)
    shown: list[str] = []
    monkeypatch.setattr(operations, "show_error", lambda _p, exc, title="": shown.append(str(exc.message)))
    failures: list[BaseException] = []

    def work(progress: Progress) -> None:
        raise UserError("Fichier illisible.")

    run_background(_Ctx(), parent, "Travail", work, on_failed=failures.append)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: bool(failures) and not operations._RUNNING, timeout=10000)
    assert shown == ["Fichier illisible."] and isinstance(failures[0], UserError)


def test_run_write_asks_the_confirmation_a_service_needs_then_calls_it_again(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    from qualite_app.errors import ConfirmationRequise
    from qualite_app.gui.operations import run_write

    calls: list[bool] = []

    def service(n: int, *, confirme: bool = False) -> int:
        calls.append(confirme)
        if not confirme:
            raise ConfirmationRequise(f"{n} jalon(s) non fait(s) : passer quand même à « Réalisée » ?")
        return n

    asked: list[str] = []
    answer = QMessageBox.StandardButton.No
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: asked.append(a[2]) or answer))
    assert run_write(_Ctx(), None, service, 2) is None  # type: ignore[arg-type]
    assert calls == [False] and asked == ["2 jalon(s) non fait(s) : passer quand même à « Réalisée » ?"]
    answer = QMessageBox.StandardButton.Yes
    assert run_write(_Ctx(), None, service, 2) == 2  # type: ignore[arg-type]
    assert calls == [False, False, True]


def test_run_write_hands_a_refusal_to_the_form_instead_of_a_message_box(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    from qualite_app.errors import UserError, ValidationError
    from qualite_app.gui.operations import run_write

    boxes: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: boxes.append(a[2])))

    def service() -> int:
        raise ValidationError({"titre": "L'intitulé est obligatoire."})

    refused: list[UserError] = []
    assert run_write(_Ctx(), None, service, on_error=refused.append) is None  # type: ignore[arg-type]
    assert [e.errors for e in refused if isinstance(e, ValidationError)] == [
        {"titre": "L'intitulé est obligatoire."}
    ]
    assert boxes == []
    assert run_write(_Ctx(), None, service) is None  # type: ignore[arg-type]
    assert boxes == ["L'intitulé est obligatoire."]

    def bug() -> int:
        raise KeyError("colonne")

    with pytest.raises(KeyError):  # a bug reaches Qt's excepthook, not the form
        run_write(_Ctx(), None, bug, on_error=refused.append)  # type: ignore[arg-type]
