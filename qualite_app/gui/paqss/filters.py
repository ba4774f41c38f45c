"""The filters bar of the PAQSS page: a search line and one drop-down per criterion."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QWidget

from qualite_app.paqss import rules
from qualite_app.paqss import services as paqss


def _combo(first: str, items: list[tuple[Any, str]]) -> QComboBox:
    c = QComboBox()
    c.addItem(first, None)
    for v, t in items:
        c.addItem(t, v)
    c.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    c.setMinimumContentsLength(10)
    return c


class FilterBar(QWidget):
    """Emits ``changed`` when a criterion changes (the search text after a short pause while typing)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Rechercher (référence, intitulé, pilote…)"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(200)
        self.statut = _combo(
            self.tr("Tous statuts"), list(rules.STATUTS.items()) + [("ouvertes", self.tr("Non clôturées"))]
        )
        self.pilote = _combo(self.tr("Tous pilotes"), [])
        self.service = _combo(self.tr("Tous services"), [])
        self.source = _combo(self.tr("Toutes sources"), list(rules.SOURCES.items()))
        self.priorite = _combo(self.tr("Toutes priorités"), list(rules.PRIORITES.items()))
        self.echeance = _combo(self.tr("Toutes échéances"), list(rules.ECHEANCE_FILTRES.items()))
        self.btn_clear = QPushButton(self.tr("Effacer les filtres"))
        lay.addWidget(self.search, 3)
        for c in self.combos().values():
            lay.addWidget(c, 1)
            c.currentIndexChanged.connect(lambda _i: self.changed.emit())
        lay.addWidget(self.btn_clear)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(150)
        self.debounce.timeout.connect(lambda: self.changed.emit())
        self.search.textChanged.connect(lambda _t: self.debounce.start())

    def combos(self) -> dict[str, QComboBox]:
        """The drop-downs by the key their position is saved under."""
        return {"statut": self.statut, "pilote": self.pilote, "service": self.service, "source": self.source,
                "priorite": self.priorite, "echeance": self.echeance}  # fmt: skip

    def fill_choices(self, people: list[tuple[int, str]], services: list[tuple[int, str]]) -> None:
        """Offer the people and services of the directory, keeping the current choice."""
        for combo, items in ((self.pilote, people), (self.service, services)):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for v, t in items:
                combo.addItem(t.split(" — ")[0], v)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    def apply_to(self, f: paqss.ActionFilter) -> paqss.ActionFilter:
        """``f`` narrowed by the criteria chosen here."""
        f.texte = self.search.text()
        st = self.statut.currentData()
        if st == "ouvertes":
            f.statuts = frozenset(set(rules.STATUTS) - rules.CLOTURES)
        elif st:
            f.statuts = frozenset({st})
        f.pilote_id = self.pilote.currentData()
        f.service_id = self.service.currentData()
        f.source = self.source.currentData()
        f.priorite = self.priorite.currentData()
        f.echeance = self.echeance.currentData()
        return f

    def state(self) -> dict[str, Any]:
        return {"texte": self.search.text(), **{k: c.currentIndex() for k, c in self.combos().items()}}

    def restore(self, state: dict[str, Any]) -> None:
        self.search.setText(str(state.get("texte", "")))
        for k, c in self.combos().items():
            i = state.get(k)
            if isinstance(i, int) and 0 <= i < c.count():
                c.setCurrentIndex(i)

    def clear(self) -> None:
        self.search.clear()
        for c in self.combos().values():
            c.setCurrentIndex(0)
