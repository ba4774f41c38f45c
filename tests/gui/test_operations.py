"""Background jobs (``run_background``): every Qt object of a job is released on the UI thread, and no
job outlives the window that started it nor the interpreter (a crash at exit otherwise)."""

import threading

import shiboken6
from PySide6.QtWidgets import QWidget

from qualite_app.gui import operations
from qualite_app.gui.operations import Cancelled, Progress, run_background


class _Bus:
    def __init__(self) -> None:
        self.announced: list[tuple[str, ...]] = []

    def announce(self, *areas: str) -> None:
        self.announced.append(areas)


class _Ctx:
    def __init__(self) -> None:
        self.bus = _Bus()


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
    job = run_background(ctx, parent, "Travail", work, results.append, changes=("paqss",))  # type: ignore[arg-type]
    signals = job.signals
    destroyed_in: list[threading.Thread] = []
    signals.destroyed.connect(lambda *_: destroyed_in.append(threading.current_thread()))
    qtbot.waitUntil(lambda: results == [42] and not operations._RUNNING, timeout=10000)
    assert ctx.bus.announced == [("paqss",)]
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
