"""Collect every field error at once, so the form can show each message beside its field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from qualite_app.errors import ValidationError

T = TypeVar("T")


class Checker:
    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def check(self, field: str, fn: Callable[..., T], *args: Any) -> T | None:
        try:
            return fn(*args)
        except ValueError as exc:
            self.errors[field] = str(exc)
            return None

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)
