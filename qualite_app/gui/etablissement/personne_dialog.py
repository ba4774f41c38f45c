"""Editing one person of the directory: validation beside each field, roles, the person's history."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qualite_app.errors import UserError, ValidationError
from qualite_app.etablissement import annuaire, vocabulaire
from qualite_app.etablissement import identite as etablissement
from qualite_app.etablissement.annuaire import PersonneData
from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import run_write, show_error
from qualite_app.gui.widgets.common import FieldError, mark_invalid, named
from qualite_app.socle import journal, versions

TEXT_FIELDS = [
    ("civilite", "Civilité"),
    ("prenom", "Prénom"),
    ("nom", "Nom *"),
    ("fonction", "Fonction"),
    ("tel_fixe", "Téléphone fixe"),
    ("tel_mobile", "Téléphone mobile"),
    ("dect", "DECT / bip"),
    ("email", "Courriel"),
]


class PersonneDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None, personne_id: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.personne_id = personne_id
        self.saved_id: int | None = None
        self._edition: dict[str, Any] = {}  # the version opened (optimistic locking)
        self.setWindowTitle(self.tr("Nouvelle personne") if personne_id is None else self.tr("Fiche de la personne"))
        self.resize(640, 560)
        outer = QVBoxLayout(self)
        tabs = QTabWidget()
        outer.addWidget(tabs)

        fiche = QWidget()
        form = QFormLayout(fiche)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, FieldError] = {}
        for name, label in TEXT_FIELDS:
            edit = named(QLineEdit(), f"champ_{name}")
            err = FieldError()
            box = QWidget()
            bl = QVBoxLayout(box)
            bl.setContentsMargins(0, 0, 0, 0)
            bl.setSpacing(1)
            bl.addWidget(edit)
            bl.addWidget(err)
            form.addRow(self.tr(label), box)
            self.edits[name], self.errors[name] = edit, err
        self.service = named(QComboBox(), "champ_service")
        self.service.addItem(self.tr("(aucun service)"), None)
        for s in etablissement.list_services(ctx.db):
            self.service.addItem(s.nom, s.id)
        form.addRow(self.tr("Service"), self.service)
        self.actif = QCheckBox(self.tr("Personne active (apparaît dans les listes de choix)"))
        self.actif.setChecked(True)
        form.addRow("", self.actif)
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(70)
        form.addRow(self.tr("Notes"), self.notes)
        tabs.addTab(fiche, self.tr("Fiche"))

        roles_tab = QWidget()
        rl = QVBoxLayout(roles_tab)
        rl.addWidget(QLabel(self.tr("Rôles institutionnels de la personne :")))
        self.roles = named(QListWidget(), "roles")
        rl.addWidget(self.roles)
        add = QHBoxLayout()
        self.role_choice = QComboBox()
        self.role_choice.setEditable(True)
        e = etablissement.get(ctx.db)
        self.role_choice.addItems(vocabulaire.role_suggestions(e.pays if e else "FR"))
        self.role_choice.setCurrentText("")
        add_btn = QPushButton(self.tr("Ajouter"))
        del_btn = QPushButton(self.tr("Retirer"))
        add.addWidget(self.role_choice, 1)
        add.addWidget(add_btn)
        add.addWidget(del_btn)
        rl.addLayout(add)
        add_btn.clicked.connect(self._add_role)
        del_btn.clicked.connect(self._remove_roles)
        tabs.addTab(roles_tab, self.tr("Rôles"))

        if personne_id is not None:
            from qualite_app.gui.historique.page import journal_model

            hist = QTableView()
            model = journal_model(hist)
            model.set_rows(journal.list_entries(ctx.db, entite_table="personne", entite_id=personne_id, limite=500))
            hist.setModel(model)
            hist.verticalHeader().hide()
            hist.horizontalHeader().setStretchLastSection(True)
            tabs.addTab(hist, self.tr("Historique"))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Enregistrer"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuler"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        if personne_id is not None:
            self._load(annuaire.get_personne(ctx.db, personne_id))

    def _remove_roles(self) -> None:
        for item in self.roles.selectedItems():
            self.roles.takeItem(self.roles.row(item))

    def _add_role(self) -> None:
        text = self.role_choice.currentText().strip()
        existing = {self.roles.item(i).text() for i in range(self.roles.count())}
        if text and text not in existing:
            self.roles.addItem(text)
        self.role_choice.setCurrentText("")

    def _load(self, p: PersonneData) -> None:
        self._edition = p.edition()
        self._ouverte = p
        for name, edit in self.edits.items():
            edit.setText(getattr(p, name) or "")
        self.service.setCurrentIndex(max(0, self.service.findData(p.service_id)))
        self.actif.setChecked(p.actif)
        self.notes.setPlainText(p.notes or "")
        self.roles.clear()
        self.roles.addItems(p.roles)

    def data(self) -> PersonneData:
        d = PersonneData(id=self.personne_id, **self._edition)
        for name, edit in self.edits.items():
            setattr(d, name, edit.text())
        d.service_id = self.service.currentData()
        d.actif = self.actif.isChecked()
        d.notes = self.notes.toPlainText()
        d.roles = [self.roles.item(i).text() for i in range(self.roles.count())]
        return d

    def save(self) -> None:
        for name, edit in self.edits.items():
            self.errors[name].show_message(None)
            mark_invalid(edit, False)
        saved = run_write(self.ctx, self, annuaire.save_personne, self.ctx.db, self.data(), on_error=self._refused,
                          recharger=self._reload, reappliquer=self._reapply)  # fmt: skip
        if saved is None:
            return
        self.saved_id = saved
        self.accept()

    def _reload(self) -> None:
        """Discard the user's changes: the form shows the person as the base holds it now."""
        if self.personne_id is not None:
            self._load(annuaire.get_personne(self.ctx.db, self.personne_id))

    def _reapply(self) -> None:
        """My changes over the person as the base holds it now (a colleague's other changes kept), saved."""
        if self.personne_id is None:
            return
        try:
            now = annuaire.get_personne(self.ctx.db, self.personne_id)
        except UserError as exc:
            show_error(self, exc)
            return
        self._load(versions.reappliquer(self._ouverte, self.data(), now))
        self._ouverte = now  # what the base held when my changes were put over it
        self.save()

    def _refused(self, exc: UserError) -> None:
        """Each field's message beside it (focus on the first); anything else in a message box."""
        if not isinstance(exc, ValidationError):
            show_error(self, exc)
            return
        for name, msg in exc.errors.items():
            if name in self.errors:
                self.errors[name].show_message(msg)
                mark_invalid(self.edits[name], True)
        first = next((n for n in exc.errors if n in self.edits), None)
        if first:
            self.edits[first].setFocus()
