"""The establishment's identity form: validation messages beside each field, logo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qualite_app.errors import UserError, ValidationError
from qualite_app.etablissement import identite as etablissement
from qualite_app.etablissement import vocabulaire
from qualite_app.etablissement.identite import EtablissementData
from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import run_write, show_error
from qualite_app.gui.widgets.common import FieldError, mark_invalid, named

FIELDS = [
    ("raison_sociale", "Raison sociale *"),
    ("finess_ej", "FINESS juridique (EJ)"),
    ("finess_et", "FINESS géographique (ET)"),
    ("code_etablissement", "Code d'établissement"),
    ("adresse", "Adresse"),
    ("code_postal", "Code postal"),
    ("ville", "Ville"),
    ("telephone", "Téléphone"),
    ("chef_etablissement", "Chef d'établissement"),
    ("titre_chef", "Titre du chef d'établissement"),
    ("directeur_qualite", "Directeur·rice qualité"),
]


class IdentiteForm(QWidget):
    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, FieldError] = {}
        self.labels: dict[str, QLabel] = {}
        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        self.intro = named(QLabel(), "hint")
        self.intro.setWordWrap(True)
        left.addWidget(self.intro)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.pays = QComboBox()
        for code, nom in vocabulaire.countries().items():
            self.pays.addItem(nom, code)
        self.pays.currentIndexChanged.connect(self._country_changed)
        form.addRow(self.tr("Pays / référentiel"), self.pays)
        for name, label in FIELDS:
            edit = named(QLineEdit(), f"champ_{name}")
            if name.startswith("finess"):
                edit.setMaxLength(11)
                edit.setPlaceholderText("ex. 019990015")
            err = FieldError()
            box = QWidget()
            bl = QVBoxLayout(box)
            bl.setContentsMargins(0, 0, 0, 0)
            bl.setSpacing(1)
            bl.addWidget(edit)
            bl.addWidget(err)
            lbl = QLabel(self.tr(label))
            form.addRow(lbl, box)
            self.edits[name], self.errors[name], self.labels[name] = edit, err, lbl
        left.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_btn = QPushButton(self.tr("Annuler les modifications"))
        self.cancel_btn.clicked.connect(self.load)
        self.save_btn = named(QPushButton(self.tr("Enregistrer")), "primary")
        self.save_btn.clicked.connect(self.save)
        buttons.addWidget(self.cancel_btn)
        buttons.addWidget(self.save_btn)
        left.addLayout(buttons)
        left.addStretch(1)
        outer.addLayout(left, 3)
        right = QVBoxLayout()
        right.addWidget(named(QLabel(self.tr("Logo (en-tête des rapports)")), "sectionTitle"))
        self.logo = named(QLabel(), "logoPreview")
        self.logo.setFixedSize(200, 120)
        self.logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        right.addWidget(self.logo)
        self.logo_btn = QPushButton(self.tr("Choisir un logo…"))
        self.logo_btn.clicked.connect(self.choose_logo)
        right.addWidget(self.logo_btn)
        right.addStretch(1)
        outer.addLayout(right, 1)
        self.load()

    def _country_changed(self) -> None:
        code = self.pays.currentData()
        fr = code == "FR"
        for name in ("finess_ej", "finess_et"):
            self.edits[name].setVisible(fr)
            self.labels[name].setVisible(fr)
            if not fr:
                self.errors[name].show_message(None)
        self.edits["code_etablissement"].setVisible(not fr)
        self.labels["code_etablissement"].setVisible(not fr)
        term = vocabulaire.term(code, "chef_etablissement")
        self.labels["chef_etablissement"].setText(term[:1].upper() + term[1:])

    def load(self) -> None:
        data = etablissement.get(self.ctx.db)
        if data is None:
            self.intro.setText(self.tr("Aucun établissement n'est encore renseigné : saisissez son identité puis enregistrez."))
            data = EtablissementData()
        else:
            self.intro.setText(self.tr("Identité de l'établissement, reprise en en-tête des rapports."))
        self.pays.setCurrentIndex(max(0, self.pays.findData(data.pays)))
        for name, edit in self.edits.items():
            edit.setText(getattr(data, name) or "")
            mark_invalid(edit, False)
            self.errors[name].show_message(None)
        self._country_changed()
        self._edition = data.edition()  # the version opened (optimistic locking)
        self._logo_id = data.logo_blob_id
        self._show_logo()

    def _show_logo(self) -> None:
        from qualite_app.socle import blobs

        content = blobs.content(self.ctx.db, self._logo_id) if self._logo_id else None
        pix = QPixmap()
        if content and pix.loadFromData(content):
            self.logo.setPixmap(pix.scaled(self.logo.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
        else:
            self.logo.setPixmap(QPixmap())
            self.logo.setText(self.tr("Aucun logo"))

    def current_data(self) -> EtablissementData:
        data = EtablissementData(pays=self.pays.currentData(), logo_blob_id=self._logo_id, **self._edition)
        for name, edit in self.edits.items():
            setattr(data, name, edit.text())
        if data.pays == "FR":
            data.code_etablissement = None
        else:
            data.finess_ej = data.finess_et = None
        return data

    def save(self) -> bool:
        for name, edit in self.edits.items():
            mark_invalid(edit, False)
            self.errors[name].show_message(None)
        if run_write(self.ctx, self, etablissement.save, self.ctx.db, self.current_data(), on_error=self._refused,
                     recharger=self.load) is None:  # fmt: skip
            return False
        self.saved.emit()
        self.load()
        return True

    def _refused(self, exc: UserError) -> None:
        """Each field's message beside it (focus on the first); anything else in a message box."""
        if not isinstance(exc, ValidationError):
            show_error(self, exc)
            return
        for name, msg in exc.errors.items():
            if name in self.errors:
                self.errors[name].show_message(msg)
                mark_invalid(self.edits[name], True)
        first = next(iter(exc.errors))
        if first in self.edits:
            self.edits[first].setFocus()

    def choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choisir un logo"), "", self.tr("Images (*.png *.jpg *.jpeg)"))
        if not path:
            return
        p = Path(path)
        mime = "image/png" if p.suffix.lower() == ".png" else "image/jpeg"
        if QPixmap(str(p)).isNull():
            show_error(self, UserError(f"« {p.name} » n'est pas une image lisible."))
            return
        try:
            content = p.read_bytes()
        except OSError as exc:
            show_error(self, UserError(f"Lecture impossible de « {p.name} » : {exc.strerror or exc}"))
            return
        logo = run_write(self.ctx, self, etablissement.set_logo, self.ctx.db, content, p.name, mime)
        if logo is None:
            return
        self._logo_id = logo
        now = etablissement.get(self.ctx.db)  # my own logo change is not a colleague's: the form goes on from it
        self._edition = now.edition() if now is not None else {}
        self._show_logo()
