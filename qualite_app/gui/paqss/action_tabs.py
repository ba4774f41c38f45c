"""The other tabs of the action editor: milestones, comments, evidence, links, journal.

Each tab only shows and collects; the editor (editor.py) decides what is written and when.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qualite_app.gui.paqss.model import fr
from qualite_app.gui.widgets.drop_zone import DropZone
from qualite_app.paqss import services as paqss
from qualite_app.rules.formats import parse_date_saisie as parse_date


def buttons_row(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for b in buttons:
        row.addWidget(b)
    row.addStretch(1)
    return row


class JalonTable(QTableWidget):
    """The milestones: label, planned date (typed dd/mm/yyyy), done."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.setHorizontalHeaderLabels([self.tr("Jalon"), self.tr("Date prévue"), self.tr("Fait")])
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def add(self, j: paqss.JalonData) -> None:
        r = self.rowCount()
        self.insertRow(r)
        item = QTableWidgetItem(j.libelle)
        item.setData(Qt.ItemDataRole.UserRole, j.id)
        self.setItem(r, 0, item)
        self.setItem(r, 1, QTableWidgetItem(fr(j.echeance)))
        done = QTableWidgetItem()
        done.setFlags(
            Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        )
        done.setCheckState(Qt.CheckState.Checked if j.fait else Qt.CheckState.Unchecked)
        done.setData(Qt.ItemDataRole.UserRole, j.fait_le)
        self.setItem(r, 2, done)

    def load(self, jalons: list[paqss.JalonData]) -> None:
        self.setRowCount(0)
        for j in jalons:
            self.add(j)

    def remove_current(self) -> None:
        if self.currentRow() >= 0:
            self.removeRow(self.currentRow())

    def _text(self, r: int, c: int) -> str:
        item = self.item(r, c)
        return item.text() if item is not None else ""

    def date_errors(self) -> dict[str, str]:
        """``{"jalons": message}`` naming the (last) milestone whose date is not a date."""
        bad: dict[str, str] = {}
        for r in range(self.rowCount()):
            try:
                parse_date(self._text(r, 1))
            except ValueError as exc:
                bad["jalons"] = f"Jalon n° {r + 1} : {exc}"
        return bad

    def values(self) -> list[paqss.JalonData]:
        """The milestones as typed (call ``date_errors`` first: a bad date raises ``ValueError``)."""
        out = []
        for r in range(self.rowCount()):
            lib = self.item(r, 0)
            done = self.item(r, 2)
            out.append(
                paqss.JalonData(
                    libelle=self._text(r, 0),
                    echeance=parse_date(self._text(r, 1)),
                    fait=done is not None and done.checkState() == Qt.CheckState.Checked,
                    fait_le=done.data(Qt.ItemDataRole.UserRole) if done else None,
                    id=lib.data(Qt.ItemDataRole.UserRole) if lib else None,
                )
            )
        return out


class JalonsTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        self.table = JalonTable()
        lay.addWidget(self.table)
        self.add_button = QPushButton(self.tr("Ajouter un jalon"))
        self.remove_button = QPushButton(self.tr("Retirer le jalon"))
        self.add_button.clicked.connect(lambda: self.table.add(paqss.JalonData()))
        self.remove_button.clicked.connect(self.table.remove_current)
        lay.addLayout(buttons_row(self.add_button, self.remove_button))


class CommentsTab(QWidget):
    def __init__(self, on_add: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        lay.addWidget(self.list, 1)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(self.tr("Nouveau commentaire…"))
        self.text.setMaximumHeight(70)
        lay.addWidget(self.text)
        b = QPushButton(self.tr("Ajouter le commentaire"))
        b.clicked.connect(on_add)
        lay.addWidget(b, 0, Qt.AlignmentFlag.AlignRight)


class EvidenceTab(QWidget):
    def __init__(
        self, on_choose: Callable[[], None], on_remove: Callable[[], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.addWidget(
            QLabel(
                self.tr("Déposez ici les fichiers de preuve (procédure, compte rendu, résultats d'audit…).")
            )
        )
        self.list = DropZone()
        lay.addWidget(self.list, 1)
        add = QPushButton(self.tr("Ajouter un fichier…"))
        add.clicked.connect(on_choose)
        rem = QPushButton(self.tr("Retirer"))
        rem.clicked.connect(on_remove)
        lay.addLayout(buttons_row(add, rem))


class JournalTable(QTableWidget):
    """Who changed what and when, values shown as the user knows them (``readable``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 5, parent)
        self.setHorizontalHeaderLabels(
            [self.tr("Date"), self.tr("Par"), self.tr("Champ"), self.tr("Avant"), self.tr("Après")]
        )
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().hide()
        self.setWordWrap(False)
        for i, w in enumerate((115, 170, 230, 200)):
            self.setColumnWidth(i, w)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

    def show_rows(self, rows: Sequence[Any], readable: Callable[[str, str], str]) -> None:
        self.setRowCount(0)
        for j in rows:
            r = self.rowCount()
            self.insertRow(r)
            old, new = readable(j.champ, j.ancienne_valeur), readable(j.champ, j.nouvelle_valeur)
            champ = j.champ or j.action
            if j.entite_type != "Action PAQSS":
                champ = f"{j.entite_type} — {champ}"
            for col, val in enumerate((f"{j.horodatage:%d/%m/%Y %H:%M}", j.utilisateur, champ, old, new)):
                self.setItem(r, col, QTableWidgetItem(val))
