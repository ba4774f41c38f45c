"""Errors the user can act on (French message, nothing written) versus bugs."""

from __future__ import annotations


class UserError(Exception):
    """A problem caused by the user's input or environment.

    The message is French, meant to be shown as is; raising it guarantees that
    nothing was written (the transaction is rolled back).
    """

    def __init__(self, message: str, *, field: str | None = None, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.row = row

    def __str__(self) -> str:
        return self.message


class ValidationError(UserError):
    """One or more fields are invalid; ``errors`` maps field name to French message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        msg = "\n".join(f"{v}" for v in errors.values())
        super().__init__(msg, field=next(iter(errors), None))


class DatabaseLockedError(UserError):
    """The database file is already open in another instance of the application."""


class NewerDatabaseError(UserError):
    """The database was written by a newer version of the application."""
