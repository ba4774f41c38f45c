"""A long session must not crash: PySide6 6.12.0 dropped one reference to None per call of a Qt method
returning nothing, and Python 3.11 aborts once None's count reaches zero (« none_dealloc »). The pinned
version keeps the counts of None, True and False steady across thousands of calls."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_qt_calls_leave_the_reference_counts_of_none_true_and_false_alone(qtbot) -> None:  # type: ignore[no-untyped-def]
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
    for k in range(3000):
        label.setText(str(k % 7))
        label.isVisible()
        label.isHidden()
    after = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
    drift = [a - b for a, b in zip(after, before, strict=True)]
    assert all(abs(d) < 50 for d in drift), drift  # 6.12.0: None drifted by −3000 (then the interpreter aborts)
