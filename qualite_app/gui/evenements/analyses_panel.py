"""The « Analyses et CREX » tab: every cause analysis (method, date, events, factors, actions) and the
calendar of CREX sessions with the events triaged and the one analysed."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qualite_app.errors import UserError
from qualite_app.evenements import rules
from qualite_app.evenements import services as evenements
from qualite_app.gui.context import AppContext
from qualite_app.gui.widgets.common import FieldError, named


def _table(headers: list[str], name: str) -> QTableWidget:
    t = named(QTableWidget(0, len(headers)), name)
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def _fill(t: QTableWidget, rows: list[tuple[int, list[str]]]) -> None:
    t.clearContents()
    t.setRowCount(len(rows))
    for i, (ident, cells) in enumerate(rows):
        for j, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, ident)
            t.setItem(i, j, item)
    t.resizeColumnsToContents()


class AnalysesPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: QWidget | None = None
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("<b>Analyses des causes</b> (double-clic pour ouvrir)")))
        self.analyses = _table(
            ["Référence", "Méthode", "Date", "Événements", "Facteurs", "Actions PAQSS"], "analyses"
        )
        self.analyses.doubleClicked.connect(lambda *_: self.open_analysis())
        lay.addWidget(self.analyses, 2)
        head = QHBoxLayout()
        head.addWidget(QLabel(self.tr("<b>Séances de CREX</b>")))
        head.addStretch(1)
        self.btn_seance = named(QPushButton(self.tr("Nouvelle séance de CREX…")), "btnSeance")
        self.btn_seance.clicked.connect(self.new_session)
        head.addWidget(self.btn_seance)
        lay.addLayout(head)
        self.seances = _table(
            ["Date", "Séance", "Événements triés", "Retenu pour analyse", "Analyse"], "seances"
        )
        lay.addWidget(self.seances, 1)

    def refresh(self) -> None:
        rows = []
        for a in evenements.list_analyses(self.ctx.db):
            n = len(evenements.actions_de_l_analyse(self.ctx.db, a.id))
            rows.append((a.id, [a.reference, rules.methode_label(a.methode), f"{a.le:%d/%m/%Y}", ", ".join(a.evenements),
                                str(a.nb_facteurs), str(n)]))  # fmt: skip
        _fill(self.analyses, rows)
        _fill(self.seances, [(x.id, [f"{x.le:%d/%m/%Y}", x.intitule, ", ".join(x.tries), ", ".join(x.retenus), x.analyse or "—"])
                             for x in evenements.seances(self.ctx.db)])  # fmt: skip

    def open_analysis(self) -> None:
        from qualite_app.gui.evenements.analyse_dialog import AnalyseDialog

        item = self.analyses.item(self.analyses.currentRow(), 0)
        if item is None:
            return
        self.dialog = AnalyseDialog(self.ctx, [], self, item.data(Qt.ItemDataRole.UserRole))
        self.dialog.finished.connect(lambda *_: self.refresh())
        self.dialog.open()

    def new_session(self) -> None:
        self.dialog = SeanceDialog(self.ctx, self)
        self.dialog.accepted.connect(self.refresh)
        self.dialog.open()


class SeanceDialog(QDialog):
    """A CREX session: its date, the events triaged (by reference) and the one kept for analysis."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Séance de CREX"))
        lay = QFormLayout(self)
        self.le = named(QDateEdit(QDate.currentDate()), "le")
        self.le.setDisplayFormat("dd/MM/yyyy")
        self.intitule = named(QLineEdit(), "intitule")
        self.tries = named(QLineEdit(), "tries")
        self.tries.setPlaceholderText(
            self.tr("références séparées par des virgules : EI-2026-00012, EI-2026-00015")
        )
        self.retenu = named(QLineEdit(), "retenu")
        self.retenu.setPlaceholderText(self.tr("référence de l'événement analysé (facultatif)"))
        lay.addRow(self.tr("Date"), self.le)
        lay.addRow(self.tr("Intitulé"), self.intitule)
        lay.addRow(self.tr("Événements triés"), self.tries)
        lay.addRow(self.tr("Retenu pour analyse"), self.retenu)
        self.error = FieldError()
        lay.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addRow(buttons)
        self.resize(560, 220)

    def _id(self, ref: str) -> int:
        i = evenements.id_par_reference(self.ctx.db, ref)
        if i is None:
            raise UserError(f"Événement « {ref} » introuvable.")
        return i

    def save(self) -> None:
        d = self.le.date()
        try:
            ids = [self._id(r.strip()) for r in self.tries.text().split(",") if r.strip()]
            if not ids:
                raise UserError("Indiquez au moins un événement trié.")
            kept = self._id(self.retenu.text().strip()) if self.retenu.text().strip() else None
            evenements.enregistrer_seance(
                self.ctx.db, date(d.year(), d.month(), d.day()), self.intitule.text(), ids, kept
            )
        except UserError as exc:
            self.error.show_message(exc.message)
            return
        self.accept()
