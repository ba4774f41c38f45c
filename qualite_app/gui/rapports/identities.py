"""Signing identities: create a local authority, import a PKCS#12, register a smart card, trust list, export the CA."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import run_write
from qualite_app.gui.rapports.pdf_view import choose_and_read
from qualite_app.gui.rapports.util import named


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
        self.nom = named(QLineEdit(self.tr("Directeur qualité")), "nom")
        self.signataire = named(QLineEdit(signataire), "signataire")
        self.fonction = named(QLineEdit(), "fonction")
        self.pw1 = named(QLineEdit(), "pw1")
        self.pw2 = named(QLineEdit(), "pw2")
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
        self.nom = named(QLineEdit(self.tr("Carte CPS")), "nom")
        self.module = named(QLineEdit(), "module")
        self.module.setPlaceholderText(self.tr("Bibliothèque du lecteur (.so, .dll), ex. /usr/lib/libcps3_pkcs11_lux.so"))
        choose = QPushButton(self.tr("Parcourir…"))
        choose.clicked.connect(self._choose)
        mod_row = QHBoxLayout()
        mod_row.addWidget(self.module, 1)
        mod_row.addWidget(choose)
        self.jeton = named(QLineEdit(), "jeton")
        self.slot = named(QLineEdit(), "slot")
        self.cle = named(QLineEdit(), "cle")
        self.signataire = named(QLineEdit(), "signataire")
        self.fonction = named(QLineEdit(), "fonction")
        self.pin = named(QLineEdit(), "pin")
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
        self.list = named(QListWidget(), "identites")
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
        self.trust = named(QLabel(), "confiance")
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
            fonction=dlg.fonction.text(), password=dlg.pw1.text(),
        )
        self.reload()

    def import_p12(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from qualite_app.rapports import services as rapports

        chosen = choose_and_read(self, self.tr("Importer un fichier PKCS#12"), self.tr("Certificats PKCS#12 (*.p12 *.pfx)"))
        if chosen is None:
            return
        path, data = chosen
        from qualite_app.signing.identities import pkcs12_needs_password

        pw = ""
        if pkcs12_needs_password(data):  # a file exported without a password is imported without asking one
            pw, ok = QInputDialog.getText(self, self.tr("Mot de passe"), self.tr("Mot de passe du fichier (il ne sera pas conservé) :"), QLineEdit.EchoMode.Password)
            if not ok:
                return
        run_write(self.ctx, self, rapports.importer_pkcs12, self.ctx.db, nom=path.stem, data=data, password=pw)
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
            fonction=dlg.fonction.text(), pin=dlg.pin.text() or None,
        )
        self.reload()

    def add_trust(self) -> None:
        from qualite_app.rapports import services as rapports

        chosen = choose_and_read(self, self.tr("Certificat à ajouter à la liste de confiance"), self.tr("Certificats (*.pem *.crt *.cer *.der)"))
        if chosen is None:
            return
        path, data = chosen
        run_write(self.ctx, self, rapports.ajouter_confiance, self.ctx.db, data, f"Importé de {path.name}")
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
