"""Dialogs of the Rapports area: verdict, note d'information (Générer, aperçu, Signer et émettre), identities."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from qualite_app.errors import UserError, ValidationError
from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import run_write, show_error


def read_chosen_file(parent: QWidget, path: str) -> bytes | None:
    """The bytes of a file the user picked; an unreadable file is explained, not raised."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        show_error(parent, UserError(f"Impossible de lire « {path} » : {exc.strerror}"))
        return None


# --- verdict --------------------------------------------------------------------------------------------


class VerdictDialog(QDialog):
    """Shows a verification verdict: a coloured headline, then one fact per line."""

    def __init__(self, parent: QWidget | None, title: str, lines: list[str], ok: bool) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(620, 380)
        lay = QVBoxLayout(self)
        head = lines[0].removeprefix("VERDICT : ") if lines else ""
        self.headline = QLabel(head, objectName="verdict")
        self.headline.setWordWrap(True)
        colour = "#2E7D32" if ok else "#C62828"
        self.headline.setStyleSheet(f"font-weight:600; font-size:11pt; color:white; background:{colour}; padding:8px; border-radius:4px")
        lay.addWidget(self.headline)
        self.details = QPlainTextEdit("\n".join(lines[1:]))
        self.details.setReadOnly(True)
        lay.addWidget(self.details, 1)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        lay.addWidget(box)


def show_verdict(parent: QWidget, title: str, verdict: object) -> VerdictDialog:
    dlg = VerdictDialog(parent, title, verdict.lignes(), verdict.ok)  # type: ignore[attr-defined]
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.open()
    return dlg


# --- PDF preview ------------------------------------------------------------------------------------------


def pdf_pages_as_images(pdf: bytes, width_px: int = 560) -> list[QImage]:
    """Render PDF pages with pdfium (imported when first needed)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    images = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            scale = width_px / page.get_width()
            pil = page.render(scale=scale).to_pil().convert("RGBA")
            data = pil.tobytes("raw", "RGBA")
            images.append(QImage(data, pil.width, pil.height, QImage.Format.Format_RGBA8888).copy())
            page.close()
    finally:
        doc.close()
    return images


class PdfPreview(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setMinimumWidth(470)
        self._holder = QWidget()
        self._lay = QVBoxLayout(self._holder)
        self._lay.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setWidget(self._holder)
        self.show_message(self.tr("Cliquez sur « Générer » pour voir la note telle qu'elle sera émise."))
        self.page_count = 0

    def _clear(self) -> None:
        while self._lay.count():
            item = self._lay.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.deleteLater()

    def show_message(self, text: str) -> None:
        self._clear()
        lab = QLabel(text)
        lab.setWordWrap(True)
        lab.setStyleSheet("color:#5B6573; padding:24px")
        lab.setFixedWidth(420)
        self._lay.addWidget(lab)
        self._lay.activate()

    def show_pdf(self, pdf: bytes) -> None:
        self._clear()
        images = pdf_pages_as_images(pdf, width_px=max(400, self.viewport().width() - 40))
        self.page_count = len(images)
        for img in images:
            lab = QLabel()
            pix = QPixmap.fromImage(img)
            lab.setPixmap(pix)
            lab.setFixedSize(pix.size())
            lab.setStyleSheet("border:1px solid #C5D1DE; background:white")
            self._lay.addWidget(lab)
        self._lay.activate()


# --- note d'information -------------------------------------------------------------------------------------


class NoteDialog(QDialog):
    """Fill in the note, *Générer* to preview it, then *Signer et émettre* into the register."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, replaces: tuple[int, str] | None = None) -> None:
        super().__init__(parent)
        from qualite_app.rapports.note import CATEGORIES

        self.ctx = ctx
        self.issued = None  # RapportEmisRow once issued
        self.replaces = replaces  # (id, reference) of the note this one corrects
        self._pdf: bytes | None = None
        self.setWindowTitle(self.tr("Note d'information au chef d'établissement"))
        if replaces is not None:
            self.setWindowTitle(self.tr("Correction de la note %1").replace("%1", replaces[1]))
        self.resize(1180, 760)
        outer = QVBoxLayout(self)
        split = QSplitter()
        form_host = QWidget()
        form = QFormLayout(form_host)
        self.sujet = QLineEdit(objectName="sujet")
        self.sujet.setPlaceholderText(self.tr("Ex. : Chute grave d'un patient en gériatrie"))
        self.quand = QDateTimeEdit(QDateTime.currentDateTime(), objectName="quand")
        self.quand.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.quand.setCalendarPopup(True)
        self.categorie = QComboBox(objectName="categorie")
        for key, label in CATEGORIES.items():
            self.categorie.addItem(label, key)
        self.faits = QPlainTextEdit(objectName="faits")
        self.mesures = QPlainTextEdit(objectName="mesures")
        self.decisions = QPlainTextEdit(objectName="decisions")
        self.informes = QPlainTextEdit(objectName="informes")
        self.pieces = QPlainTextEdit(objectName="pieces")
        self.pieces.setPlaceholderText(self.tr("Une pièce jointe par ligne"))
        for w in (self.faits, self.mesures, self.decisions, self.informes, self.pieces):
            w.setTabChangesFocus(True)
        self.faits.setMinimumHeight(90)
        for w in (self.mesures, self.decisions, self.informes):
            w.setMaximumHeight(80)
        self.pieces.setMaximumHeight(56)
        self.restreinte = QCheckBox(self.tr("Diffusion restreinte"), objectName="restreinte")
        self.restreinte.setChecked(True)
        form.addRow(self.tr("Sujet *"), self.sujet)
        form.addRow(self.tr("Date et heure des faits"), self.quand)
        form.addRow(self.tr("Catégorie"), self.categorie)
        form.addRow(self.tr("Faits *"), self.faits)
        form.addRow(self.tr("Mesures immédiates prises"), self.mesures)
        form.addRow(self.tr("Décisions demandées"), self.decisions)
        form.addRow(self.tr("Personnes informées"), self.informes)
        form.addRow(self.tr("Pièces jointes"), self.pieces)
        form.addRow("", self.restreinte)
        self.identite = QComboBox(objectName="identite")
        self.password = QLineEdit(objectName="password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Mot de passe ou code PIN (jamais conservé)"))
        self.raison = QComboBox(objectName="raison")
        self.raison.setEditable(True)
        self.raison.addItems([self.tr("Approbation"), self.tr("Pour information"), self.tr("Validation"), self.tr("Certifié conforme")])
        form.addRow(self.tr("Signer avec"), self.identite)
        form.addRow(self.tr("Motif de la signature"), self.raison)
        form.addRow(self.tr("Mot de passe"), self.password)
        if replaces is not None:
            banner = QLabel(
                self.tr("Cette note remplacera la note %1, qui reste au registre sans modification.").replace("%1", replaces[1]),
                objectName="remplace",
            )
            banner.setWordWrap(True)
            banner.setStyleSheet("background:#EEF3F8; color:#1F3A5F; padding:6px; border-left:3px solid #2A7F8E")
            form.insertRow(0, banner)
        self.errors = QLabel(objectName="erreurs")
        self.errors.setStyleSheet("color:#C62828")
        self.errors.setWordWrap(True)
        form.addRow(self.errors)
        split.addWidget(form_host)
        self.preview = PdfPreview()
        split.addWidget(self.preview)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        outer.addWidget(split, 1)
        buttons = QHBoxLayout()
        self.btn_generate = QPushButton(self.tr("Générer"), objectName="generer")
        self.btn_issue = QPushButton(self.tr("Signer et émettre"), objectName="emettre")
        self.btn_issue.setDefault(True)
        self.btn_close = QPushButton(self.tr("Fermer"))
        buttons.addWidget(self.btn_generate)
        buttons.addStretch(1)
        buttons.addWidget(self.btn_issue)
        buttons.addWidget(self.btn_close)
        outer.addLayout(buttons)
        self.btn_generate.clicked.connect(self.generate)
        self.btn_issue.clicked.connect(self.sign_and_issue)
        self.btn_close.clicked.connect(self.reject)
        self._load_identities()

    def _load_identities(self) -> None:
        from qualite_app.rapports import services as rapports

        self.identite.clear()
        rows = rapports.lister_identites(self.ctx.db)
        for r in rows:
            self.identite.addItem(f"{r.nom} — {r.signataire} ({r.genre_label})", r.nom)
        has = bool(rows)
        self.identite.setEnabled(has)
        self.password.setEnabled(has)
        self.btn_issue.setEnabled(has)
        if not has:
            self.identite.addItem(self.tr("Aucune identité : créez-en une (Identités de signature…)"))
            self.btn_issue.setToolTip(self.tr("Créez d'abord une identité de signature."))

    def fill(self, note) -> None:  # type: ignore[no-untyped-def]
        """Pre-fill the form (correction of an issued note)."""
        self.sujet.setText(note.sujet)
        if note.survenu_le is not None:
            w = note.survenu_le
            self.quand.setDateTime(QDateTime(w.year, w.month, w.day, w.hour, w.minute))
        i = self.categorie.findData(note.categorie)
        self.categorie.setCurrentIndex(max(i, 0))
        self.faits.setPlainText(note.faits)
        self.mesures.setPlainText(note.mesures)
        self.decisions.setPlainText(note.decisions)
        self.informes.setPlainText(note.personnes_informees)
        self.pieces.setPlainText("\n".join(note.pieces_jointes))
        self.restreinte.setChecked(note.restreinte)

    def note_data(self):  # type: ignore[no-untyped-def]
        from qualite_app.rapports.note import NoteData

        q = self.quand.dateTime()
        when = datetime(q.date().year(), q.date().month(), q.date().day(), q.time().hour(), q.time().minute())
        return NoteData(
            sujet=self.sujet.text(),
            categorie=self.categorie.currentData(),
            faits=self.faits.toPlainText(),
            survenu_le=when,
            mesures=self.mesures.toPlainText(),
            decisions=self.decisions.toPlainText(),
            personnes_informees=self.informes.toPlainText(),
            pieces_jointes=[x.strip() for x in self.pieces.toPlainText().splitlines() if x.strip()],
            restreinte=self.restreinte.isChecked(),
        )

    def _show_errors(self, exc: UserError) -> None:
        labels = {"sujet": self.sujet, "faits": self.faits}
        for w in labels.values():
            w.setStyleSheet("")
        if isinstance(exc, ValidationError):
            for name in exc.errors:
                if name in labels:
                    labels[name].setStyleSheet("border:1px solid #C62828")
        self.errors.setText(exc.message)

    def generate(self) -> bytes | None:
        from qualite_app.rapports import services as rapports

        try:
            pdf = rapports.generer_note(self.ctx.db, self.note_data())
        except ValidationError as exc:
            self._show_errors(exc)
            return None
        except UserError as exc:
            show_error(self, exc)
            return None
        self.errors.setText("")
        self._pdf = pdf
        self.preview.show_pdf(pdf)
        return pdf

    def sign_and_issue(self) -> None:
        from qualite_app.rapports import services as rapports

        if self.identite.currentData() is None:
            return
        try:
            rapports.valider_note(self.note_data())
        except ValidationError as exc:
            self._show_errors(exc)
            return
        row = run_write(
            self.ctx,
            self,
            rapports.emettre_note,
            self.ctx.db,
            self.note_data(),
            identity=self.identite.currentData(),
            password=self.password.text(),
            replaces=self.replaces[0] if self.replaces else None,
            reason=self.raison.currentText().strip() or "Approbation",
            changes=("rapports",),
        )
        self.password.clear()  # never kept, even in the widget
        if row is None:
            return
        self.issued = row
        QMessageBox.information(
            self,
            self.tr("Note émise"),
            self.tr("La note %1 a été signée par %2 et inscrite au registre des rapports émis.")
            .replace("%1", row.reference)
            .replace("%2", row.signataire or ""),
        )
        self.accept()


# --- identities ------------------------------------------------------------------------------------------------


class CreateIdentityDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, signataire: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Créer une identité de signature locale"))
        form = QFormLayout(self)
        intro = QLabel(
            self.tr(
                "Pour les établissements sans infrastructure de certificats : l'application crée une petite "
                "autorité de signature et le certificat du signataire, protégés par un mot de passe. "
                "Exportez ensuite le certificat de l'autorité pour que les destinataires puissent lui faire confiance."
            )
        )
        intro.setWordWrap(True)
        form.addRow(intro)
        self.nom = QLineEdit(self.tr("Directeur qualité"), objectName="nom")
        self.signataire = QLineEdit(signataire, objectName="signataire")
        self.fonction = QLineEdit(objectName="fonction")
        self.pw1 = QLineEdit(objectName="pw1")
        self.pw2 = QLineEdit(objectName="pw2")
        for w in (self.pw1, self.pw2):
            w.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Nom de l'identité"), self.nom)
        form.addRow(self.tr("Signataire"), self.signataire)
        form.addRow(self.tr("Fonction"), self.fonction)
        form.addRow(self.tr("Mot de passe"), self.pw1)
        form.addRow(self.tr("Confirmation"), self.pw2)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        form.addRow(box)


class TokenDialog(QDialog):
    """Where the smart card's key is: PKCS#11 module, card label or slot, key label."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Enregistrer une carte ou un jeton (PKCS#11)"))
        form = QFormLayout(self)
        self.nom = QLineEdit(self.tr("Carte CPS"), objectName="nom")
        self.module = QLineEdit(objectName="module")
        self.module.setPlaceholderText(self.tr("Bibliothèque du lecteur (.so, .dll), ex. /usr/lib/libcps3_pkcs11_lux.so"))
        choose = QPushButton(self.tr("Parcourir…"))
        choose.clicked.connect(self._choose)
        mod_row = QHBoxLayout()
        mod_row.addWidget(self.module, 1)
        mod_row.addWidget(choose)
        self.jeton = QLineEdit(objectName="jeton")
        self.slot = QLineEdit(objectName="slot")
        self.cle = QLineEdit(objectName="cle")
        self.signataire = QLineEdit(objectName="signataire")
        self.fonction = QLineEdit(objectName="fonction")
        self.pin = QLineEdit(objectName="pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(self.tr("Facultatif : pour lire et contrôler le certificat maintenant"))
        form.addRow(self.tr("Nom"), self.nom)
        form.addRow(self.tr("Module PKCS#11"), mod_row)
        form.addRow(self.tr("Étiquette de la carte"), self.jeton)
        form.addRow(self.tr("ou emplacement (slot)"), self.slot)
        form.addRow(self.tr("Étiquette de la clé"), self.cle)
        form.addRow(self.tr("Signataire"), self.signataire)
        form.addRow(self.tr("Fonction"), self.fonction)
        form.addRow(self.tr("Code PIN"), self.pin)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        form.addRow(box)

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Module PKCS#11"), "", self.tr("Bibliothèques (*.so *.dll *.dylib);;Tous les fichiers (*)"))
        if path:
            self.module.setText(path)


class IdentitiesDialog(QDialog):
    """Signing identities: create a local authority, import a PKCS#12, export a CA certificate."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Identités de signature"))
        self.resize(640, 360)
        lay = QVBoxLayout(self)
        self.list = QListWidget(objectName="identites")
        lay.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.btn_create = QPushButton(self.tr("Créer une identité locale…"))
        self.btn_import = QPushButton(self.tr("Importer un fichier PKCS#12…"))
        self.btn_token = QPushButton(self.tr("Enregistrer une carte (PKCS#11)…"))
        self.btn_export = QPushButton(self.tr("Exporter le certificat de l'autorité…"))
        self.btn_trust = QPushButton(self.tr("Faire confiance à un certificat…"))
        for b in (self.btn_create, self.btn_import, self.btn_token):
            row.addWidget(b)
        lay.addLayout(row)
        row2 = QHBoxLayout()
        row2.addWidget(self.btn_export)
        row2.addWidget(self.btn_trust)
        row2.addStretch(1)
        lay.addLayout(row2)
        self.trust = QLabel(objectName="confiance")
        self.trust.setWordWrap(True)
        self.trust.setStyleSheet("color:#5B6573")
        lay.addWidget(self.trust)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        lay.addWidget(box)
        self.btn_create.clicked.connect(self.create_local)
        self.btn_import.clicked.connect(self.import_p12)
        self.btn_export.clicked.connect(self.export_ca)
        self.btn_token.clicked.connect(self.register_token)
        self.btn_trust.clicked.connect(self.add_trust)
        self.reload()

    def reload(self) -> None:
        from qualite_app.rapports import services as rapports

        self.list.clear()
        for r in rapports.lister_identites(self.ctx.db):
            exp = f" — expire le {r.expire_le:%d/%m/%Y}" if r.expire_le else ""
            self.list.addItem(f"{r.nom} — {r.genre_label} — {r.signataire}{exp}")
            self.list.item(self.list.count() - 1).setData(Qt.ItemDataRole.UserRole, r.nom)
        if self.list.count() == 0:
            self.list.addItem(self.tr("Aucune identité de signature pour l'instant."))
        trust = rapports.liste_confiance(self.ctx.db)
        names = "\n".join(f"• {t.nom} — {t.origine}" for t in trust) or self.tr("aucun certificat")
        self.trust.setText(self.tr("Liste de confiance de l'établissement (vérification des rapports) :\n%1").replace("%1", names))

    def create_local(self) -> None:
        from qualite_app.etablissement import identite as etablissement
        from qualite_app.rapports import services as rapports

        e = etablissement.get(self.ctx.db)
        dlg = CreateIdentityDialog(self, (e.directeur_qualite or "") if e else "")
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        if dlg.pw1.text() != dlg.pw2.text():
            QMessageBox.warning(self, self.tr("Identité non créée"), self.tr("Les deux mots de passe ne sont pas identiques."))
            return
        run_write(
            self.ctx, self, rapports.creer_identite_locale, self.ctx.db, nom=dlg.nom.text(), signataire=dlg.signataire.text(),
            fonction=dlg.fonction.text(), password=dlg.pw1.text(), changes=("rapports",),
        )
        self.reload()

    def import_p12(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from qualite_app.rapports import services as rapports

        path, _ = QFileDialog.getOpenFileName(self, self.tr("Importer un fichier PKCS#12"), "", self.tr("Certificats PKCS#12 (*.p12 *.pfx)"))
        if not path:
            return
        data = read_chosen_file(self, path)
        if data is None:
            return
        from qualite_app.signing.identities import pkcs12_needs_password

        pw = ""
        if pkcs12_needs_password(data):  # a file exported without a password is imported without asking one
            pw, ok = QInputDialog.getText(self, self.tr("Mot de passe"), self.tr("Mot de passe du fichier (il ne sera pas conservé) :"), QLineEdit.EchoMode.Password)
            if not ok:
                return
        run_write(self.ctx, self, rapports.importer_pkcs12, self.ctx.db, nom=Path(path).stem, data=data, password=pw, changes=("rapports",))
        self.reload()

    def register_token(self) -> None:
        from qualite_app.rapports import services as rapports

        dlg = TokenDialog(self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        slot = dlg.slot.text().strip()
        if slot and not slot.isdigit():
            QMessageBox.warning(self, self.tr("Carte non enregistrée"), self.tr("L'emplacement (slot) est un nombre."))
            return
        run_write(
            self.ctx, self, rapports.enregistrer_jeton, self.ctx.db, nom=dlg.nom.text(), module=dlg.module.text(), cle=dlg.cle.text(),
            slot=int(slot) if slot else None, jeton=dlg.jeton.text().strip() or None, signataire=dlg.signataire.text(),
            fonction=dlg.fonction.text(), pin=dlg.pin.text() or None, changes=("rapports",),
        )
        self.reload()

    def add_trust(self) -> None:
        from qualite_app.rapports import services as rapports

        path, _ = QFileDialog.getOpenFileName(self, self.tr("Certificat à ajouter à la liste de confiance"), "", self.tr("Certificats (*.pem *.crt *.cer *.der)"))
        if not path:
            return
        data = read_chosen_file(self, path)
        if data is None:
            return
        run_write(self.ctx, self, rapports.ajouter_confiance, self.ctx.db, data, f"Importé de {Path(path).name}", changes=("rapports",))
        self.reload()

    def export_ca(self) -> None:
        from qualite_app.rapports import services as rapports

        item = self.list.currentItem()
        nom = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not nom:
            QMessageBox.information(self, self.tr("Exporter"), self.tr("Choisissez d'abord une identité dans la liste."))
            return
        pem = run_write(self.ctx, self, rapports.exporter_ca, self.ctx.db, nom)
        if pem is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Exporter le certificat de l'autorité"), "autorite-signature.pem", self.tr("Certificat (*.pem)"))
        if path:
            Path(path).write_bytes(pem)
