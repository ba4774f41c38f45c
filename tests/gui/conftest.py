"""GUI tests: a message box left open would block a test forever; fail fast instead (a test that expects
one replaces the static function it calls)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_blocking_message_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        from PySide6.QtWidgets import QMessageBox
    except ImportError:  # pragma: no cover
        return

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"Boîte de dialogue inattendue : {args[1:3]}")

    for name in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(fail))
