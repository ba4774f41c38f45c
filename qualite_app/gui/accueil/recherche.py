"""The global search popup (Ctrl+K, or typing in the header's field): results grouped by area as you
type (120 ms after the last key), ↑/↓ to choose, Entrée or a click to open the item in its page. The field
and its results (``SearchPanel``) also serve « Lier à… » (gui/widgets/liens.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from qualite_app.gui.context import AppContext
from qualite_app.gui.widgets.common import named

DEBOUNCE_MS = 120
ROLE = Qt.ItemDataRole.UserRole


class SearchPanel(QWidget):
    """The search field and its results grouped by area: typed (120 ms after the last key), ↑/↓ to move,
    Entrée or a click to choose (``chosen`` carries the ``Resultat``). The Ctrl+K popup opens the chosen
    item; « Lier à… » (gui/widgets/liens.py) links it. ``exclure`` hides results (the item itself)."""

    chosen = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, placeholder: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.groupes: list[Any] = []
        self.exclure: Callable[[Any], bool] = lambda _r: False
        #: what Entrée does, ending the status line
        self.enter_hint = self.tr("Entrée ouvre la ligne choisie.")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.field = named(QLineEdit(), "rechercheTexte")
        self.field.setPlaceholderText(
            placeholder
            or self.tr(
                "Rechercher une action, un indicateur, un critère, un événement, un risque, une personne…"
            )
        )
        self.field.setClearButtonEnabled(True)
        lay.addWidget(self.field)
        self.status = named(QLabel(self.tr("Tapez au moins deux caractères.")), "hint")
        lay.addWidget(self.status)
        self.results = named(QTreeWidget(), "rechercheResultats")
        self.results.setHeaderHidden(True)
        self.results.setColumnCount(2)
        self.results.setRootIsDecorated(False)
        self.results.setColumnWidth(0, 220)
        self.results.setUniformRowHeights(True)
        self.results.itemActivated.connect(self._activated)
        self.results.itemClicked.connect(self._activated)
        lay.addWidget(self.results, 1)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.search)
        self.field.textChanged.connect(lambda _t: self.timer.start())
        self.field.installEventFilter(self)

    # --- searching ---------------------------------------------------------------------
    def search(self) -> None:
        from qualite_app.accueil import recherche

        self.timer.stop()
        self.groupes = []
        for g in recherche.chercher(self.ctx.db, self.field.text()):
            kept = [r for r in g.resultats if not self.exclure(r)]
            if kept:
                g.resultats = kept
                self.groupes.append(g)
        self._show()

    def _show(self) -> None:
        self.results.clear()
        bold = QFont(self.results.font())
        bold.setBold(True)
        first: QTreeWidgetItem | None = None
        for g in self.groupes:
            more = " " + self.tr("(les %1 premiers : précisez la recherche)").replace(
                "%1", str(len(g.resultats))
            )
            head = QTreeWidgetItem([g.libelle + (more if g.plus else "")])
            head.setFont(0, bold)
            head.setForeground(0, QBrush(QColor("#1F3A5F")))
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.results.addTopLevelItem(head)
            head.setFirstColumnSpanned(True)
            for r in g.resultats:
                item = QTreeWidgetItem([r.reference, r.titre])
                item.setData(0, ROLE, r)
                item.setToolTip(1, r.titre)
                head.addChild(item)
                first = first or item
        self.results.expandAll()
        if first is not None:
            self.results.setCurrentItem(first)
        n = sum(len(g.resultats) for g in self.groupes)
        if len(self.field.text().strip()) < 2:
            self.status.setText(self.tr("Tapez au moins deux caractères."))
        elif n == 0:
            self.status.setText(
                self.tr("Aucun résultat pour « %1 ».").replace("%1", self.field.text().strip())
            )
        else:
            self.status.setText(
                self.tr("%1 résultat(s) dans %2 domaine(s) — %3")
                .replace("%1", str(n))
                .replace("%3", self.enter_hint)
                .replace("%2", str(len({g.domaine for g in self.groupes})))
            )

    def result_items(self) -> list[QTreeWidgetItem]:
        out = []
        for i in range(self.results.topLevelItemCount()):
            head = self.results.topLevelItem(i)
            assert head is not None
            out += [c for j in range(head.childCount()) if (c := head.child(j)) is not None]
        return out

    def current(self) -> Any:
        """The highlighted result (``Resultat``), or None."""
        item = self.results.currentItem()
        return item.data(0, ROLE) if item is not None else None

    # --- choosing ------------------------------------------------------------------------
    def _move(self, step: int) -> None:
        items = self.result_items()
        if not items:
            return
        current = self.results.currentItem()
        i = items.index(current) if current in items else -1
        self.results.setCurrentItem(items[max(0, min(len(items) - 1, i + step))])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._move(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self.timer.isActive():  # typed faster than the debounce: search now
                    self.search()
                item = self.results.currentItem()
                if item is not None:
                    self._activated(item)
                return True
        return super().eventFilter(watched, event)

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        r = item.data(0, ROLE)
        if r is not None:
            self.results.setCurrentItem(item)
            self.chosen.emit(r)


class SearchPopup(QDialog):
    """A frameless popup under the header; closes on Échap, on a click outside, or once an item opens."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.ctx = ctx
        self.setObjectName("recherchePopup")
        self.resize(720, 460)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        self.panel = SearchPanel(ctx, self)
        self.field, self.status, self.results = self.panel.field, self.panel.status, self.panel.results
        self.panel.chosen.connect(self._open)
        lay.addWidget(self.panel)

    @property
    def groupes(self) -> list[Any]:
        return self.panel.groupes

    def search(self) -> None:
        self.panel.search()

    def result_items(self) -> list[QTreeWidgetItem]:
        return self.panel.result_items()

    def open_with(self, text: str = "") -> None:
        parent = self.parentWidget()
        if parent is not None:
            top = parent.mapToGlobal(parent.rect().topLeft())
            self.move(top.x() + max(0, (parent.width() - self.width()) // 2), top.y() + 56)
        self.field.setText(text)
        self.field.setFocus()
        self.show()
        self.field.setFocus()
        if text:
            self.search()

    def _open(self, r: Any) -> None:
        self.close()
        window = self.parentWidget().window() if self.parentWidget() is not None else None  # type: ignore[union-attr]
        if window is not None and hasattr(window, "open_item"):
            window.open_item(r.domaine, r.item_type, r.item_id)
