"""Small helpers of the Rapports pages."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject

W = TypeVar("W", bound=QObject)


def named(widget: W, name: str) -> W:
    """``widget`` with its object name set (tests find widgets by name), typed for mypy."""
    widget.setObjectName(name)
    return widget
