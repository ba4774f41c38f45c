"""The pages of the main window, one per area of ``AREAS`` that has one (built on first display)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from qualite_app.areas import with_pages
from qualite_app.gui.context import AppContext

if TYPE_CHECKING:  # the window's skeleton imports this module: nothing more before its first frame
    from collections.abc import Callable
    from typing import TypeVar

    from qualite_app.socle.base import Database

    T = TypeVar("T")

#: what the pages' ``prechauffer`` read in idle time (``au_repos``), kept for their first display (``lu``):
#: (function, arguments) → (the base's state then, the value)
_LU_AU_REPOS: dict[tuple[str, str], tuple[object, Any]] = {}


def _etat(db: Database) -> object:
    """The base's content as of now, for what was read in idle time: the journal's tip (every change is
    journaled in its transaction, chained), the base and the day (« en retard » changes at midnight)."""
    from datetime import date

    from qualite_app.socle import journal

    return (db.instance, journal.pointe(db), date.today())


def _cle(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[str, str]:
    return f"{fn.__module__}.{fn.__qualname__}", repr((args, sorted(kwargs.items())))


def au_repos(db: Database, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(db, *args, **kwargs)``, read in idle time (``Page.prechauffer``) and kept for the page's first
    display, which takes it with ``lu`` (the same function and arguments) if the base has not changed since."""
    value = fn(db, *args, **kwargs)
    _LU_AU_REPOS[_cle(fn, args, kwargs)] = (_etat(db), value)
    return value


def lu(db: Database, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(db, *args, **kwargs)``: the value ``au_repos`` read in idle time, once, when the base is as it
    was then (not one change since, the same day); else read now. A page's first display then costs its
    widgets only, its reads done while the user was reading the home page."""
    kept = _LU_AU_REPOS.pop(_cle(fn, args, kwargs), None)
    if kept is not None and kept[0] == _etat(db):
        return kept[1]  # type: ignore[no-any-return]
    return fn(db, *args, **kwargs)


class Page(QWidget):
    """Base of an area page: built lazily on first display, refreshed from the change bus."""

    #: areas (bus names) whose changes make this page reload.
    listens_to: frozenset[str] = frozenset()

    ctx: AppContext

    def __init__(self, ctx: AppContext | None, parent: QWidget | None = None) -> None:
        """``ctx`` None: a page shown before the base is open (the first page's kept content), bound by
        ``bind`` once it is."""
        super().__init__(parent)
        self._stale = False
        if ctx is not None:
            Page.bind(self, ctx)

    def bind(self, ctx: AppContext) -> None:
        """The open base: the page now reads it and listens to its changes."""
        self.ctx = ctx
        ctx.bus.changed.connect(self._on_changed)

    def _on_changed(self, areas: set[str]) -> None:
        if areas & self.listens_to or "*" in areas:
            if self.isVisible():
                self.reload()
            else:
                self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        if self._stale:
            self._stale = False
            self.reload()
        super().showEvent(event)

    def reload(self) -> None:
        """Re-read from the services what the page shows."""

    @classmethod
    def prechauffer(cls, db: Database) -> None:
        """In idle time, before the page is first shown (``gui.prechauffage``): run the reads its
        first display runs, without any widget — their SQL compiled once and cached by SQLAlchemy, the
        base's pages in memory —, so that the first display costs what the later ones do. Reads only. What
        it reads through ``au_repos`` the first display takes as it is (``lu``) if nothing changed since."""


@dataclass(frozen=True)
class PageSpec:
    key: str
    label: str
    target: str  # "module:Class"
    icon: str = ""

    def create(self, ctx: AppContext, parent: QWidget | None = None) -> Page:
        """The page, built inside ``parent`` (its place in the window) when given: its widgets are styled
        once, where they will live, rather than again when the finished page is moved there."""
        return self.page_class()(ctx, parent)

    def page_class(self) -> type[Page]:
        module, _, cls = self.target.partition(":")
        return getattr(importlib.import_module(module), cls)  # type: ignore[no-any-return]


#: the sidebar, in the order of ``AREAS`` (the one registry): every area that has a page.
PAGES: list[PageSpec] = [PageSpec(a.key, a.label, a.page, a.icon) for a in with_pages()]
