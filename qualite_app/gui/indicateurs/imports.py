"""Import dialogs: long-format results (mapping → preview → all or nothing) and HAS open data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qualite_app.errors import UserError
from qualite_app.exchange.tableur import Table, read_table
from qualite_app.gui.context import AppContext
from qualite_app.gui.indicateurs._boutons import franciser
from qualite_app.gui.operations import run_background
from qualite_app.gui.widgets.common import named
from qualite_app.indicateurs import imports as imp
from qualite_app.indicateurs import services as svc

NONE = "(aucune)"


def _num(v: float | None) -> str:
    if v is None:
        return ""
    return svc.fr(v, 0 if float(v).is_integer() else 2).replace("\u202f", " ")


class ImportMesuresDialog(QDialog):
    def __init__(self, ctx: AppContext, path: str | Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.apercu: imp.Apercu | None = None
        self.setWindowTitle(self.tr("Importer des résultats — %1").replace("%1", Path(path).name))
        self.resize(900, 640)
        lay = QVBoxLayout(self)
        self.table_data: Table | None = None
        try:
            self.table_data = read_table(path)
        except UserError as exc:
            lay.addWidget(QLabel(exc.message))
        box = QGroupBox(self.tr("1. Colonnes du fichier"))
        form = QFormLayout(box)
        self.combos: dict[str, QComboBox] = {}
        headers = self.table_data.headers if self.table_data else []
        guess = imp.propose_mapping(headers)
        for field, (label, _syn) in imp.CHAMPS.items():
            c = named(QComboBox(), f"colonne_{field}")
            c.addItem(NONE, None)
            for h in headers:
                c.addItem(h, h)
            c.setCurrentIndex(max(0, c.findData(guess.get(field))))
            c.currentIndexChanged.connect(self.preview)
            self.combos[field] = c
            form.addRow(self.tr(label) + (" *" if field in imp.OBLIGATOIRES else ""), c)
        lay.addWidget(box)
        lay.addWidget(QLabel(self.tr("2. Aperçu (rien n'est écrit tant que vous n'avez pas cliqué « Importer »)")))
        self.summary = named(QLabel(), "resume_import")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.errors = named(QPlainTextEdit(), "erreurs_import")
        self.errors.setReadOnly(True)
        self.errors.setMaximumHeight(110)
        lay.addWidget(self.errors)
        self.grid = named(QTableWidget(0, 7), "apercu_import")
        self.grid.setHorizontalHeaderLabels(["Ligne", "Code", "Période", "Service", "Valeur", "Statut", "Action"])
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.grid, 1)
        self.buttons = QDialogButtonBox()
        self.import_btn = self.buttons.addButton(self.tr("Importer"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_btn.setObjectName("importer")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        franciser(self.buttons)
        self.buttons.accepted.connect(self.commit)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.preview()

    def mapping(self) -> dict[str, str | None]:
        return {f: c.currentData() for f, c in self.combos.items()}

    def preview(self) -> None:
        if self.table_data is None:
            self.import_btn.setEnabled(False)
            return
        ap = imp.preview_mesures(self.ctx.db, self.table_data, self.mapping())
        self.apercu = ap
        self.summary.setText(ap.resume())
        self.errors.setPlainText("\n".join(ap.erreurs))
        self.errors.setVisible(bool(ap.erreurs))
        self.grid.setRowCount(0)
        for ligne in ap.lignes[:500]:
            r = self.grid.rowCount()
            self.grid.insertRow(r)
            val = _num(ligne.valeur) if ligne.valeur is not None else ""
            for c, v in enumerate([str(ligne.ligne), ligne.code, ligne.periode, ligne.service, val, ligne.statut or "", ligne.action]):
                self.grid.setItem(r, c, QTableWidgetItem(v))
        self.import_btn.setEnabled(not ap.erreurs and bool(ap.lignes))

    def commit(self) -> None:
        """Import off the UI thread (the preview's own code again, in one transaction), then close."""
        if self.apercu is None:
            return
        db, ap = self.ctx.db, self.apercu
        self.import_btn.setEnabled(False)
        run_background(
            self.ctx, self, self.tr("Import des résultats…"), lambda _p: imp.commit(db, ap),
            on_done=lambda _n: self.accept(), on_failed=lambda _e: self.import_btn.setEnabled(True),
        )  # fmt: skip


class HasImportDialog(QDialog):
    def __init__(self, ctx: AppContext, path: str | Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path = Path(path)
        self.apercu: imp.ApercuHas | None = None
        self.setWindowTitle(self.tr("Open data HAS — %1").replace("%1", self.path.name))
        self.resize(900, 560)
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Campagne (année des résultats) :")))
        self.periode = named(QLineEdit(str(date.today().year - 1)), "campagne")
        self.periode.setMaximumWidth(90)
        row.addWidget(self.periode)
        row.addWidget(QLabel(self.tr("Indicateur du fichier :")))
        self.indicateur = named(QComboBox(), "indicateur_fichier")
        self.indicateur.addItem(self.tr("reconnu d'après les colonnes"), None)
        codes = sorted({e.code for e in svc.catalogue()} | {r.code for r in svc.list_indicateurs(ctx.db)})
        for code in codes:
            self.indicateur.addItem(code, code)
        self.indicateur.setToolTip(self.tr("Les fichiers e-Satis ne portent qu'un indicateur et leurs colonnes ne le nomment pas : choisissez-le."))
        row.addWidget(self.indicateur)
        self.analyse_btn = named(QPushButton(self.tr("Analyser le fichier")), "analyser")
        row.addWidget(self.analyse_btn)
        row.addStretch(1)
        lay.addLayout(row)
        # several sites of our FINESS EJ in the file: the user says which one is ours (FINESS géographique)
        site_row = QHBoxLayout()
        self.site_label = QLabel(self.tr("Notre site :"))
        self.site = named(QComboBox(), "site_finess_geo")
        site_row.addWidget(self.site_label)
        site_row.addWidget(self.site, 1)
        lay.addLayout(site_row)
        self._show_sites([])
        self.info = named(QLabel(), "info_has")
        self.info.setWordWrap(True)
        lay.addWidget(self.info)
        self.grid = named(QTableWidget(0, 7), "propositions_has")
        self.grid.setHorizontalHeaderLabels(["Indicateur", "Libellé", "Valeur", "Classe", "Statut", "Effectif", "Dans la base"])
        self.grid.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.grid, 1)
        self.ignored = named(QLabel(), "colonnes_ignorees")
        self.ignored.setWordWrap(True)
        self.ignored.setStyleSheet("color:#5B6573")
        lay.addWidget(self.ignored)
        self.buttons = QDialogButtonBox()
        self.import_btn = self.buttons.addButton(self.tr("Importer les indicateurs cochés"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_btn.setObjectName("importer")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        franciser(self.buttons)
        self.buttons.accepted.connect(self.commit)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.analyse_btn.clicked.connect(self.analyse)
        self.site.currentIndexChanged.connect(self._site_chosen)
        self.import_btn.setEnabled(False)
        self.analyse()

    def _show_sites(self, sites: list[imp.SiteHas]) -> None:
        self.site.blockSignals(True)
        self.site.clear()
        if sites:
            self.site.addItem(self.tr("— choisissez le site —"), None)
            for x in sites:
                self.site.addItem(x.texte(), x.finess_geo)
        self.site.blockSignals(False)
        self.site.setVisible(bool(sites))
        self.site_label.setVisible(bool(sites))

    def _site_chosen(self) -> None:
        if self.site.currentData():
            self.analyse()

    def analyse(self) -> None:
        self.grid.setRowCount(0)
        self.import_btn.setEnabled(False)
        try:
            self.apercu = imp.preview_has(
                self.ctx.db, read_table(self.path), self.periode.text(), self.indicateur.currentData(), finess_geo=self.site.currentData()
            )
        except imp.PlusieursSites as exc:
            self.apercu = None
            if self.site.isHidden() or self.site.count() != len(exc.sites) + 1:
                self._show_sites(exc.sites)
            self.info.setText(exc.message.replace("--finess-geo NUMERO (ou dans la fenêtre d'import)", "la liste « Notre site »"))
            return
        except UserError as exc:
            self.apercu = None
            self.info.setText(exc.message.replace("relancez avec --indicateur CODE (ou choisissez", "choisissez-le (liste"))
            return
        ap = self.apercu
        self.info.setText(
            self.tr("Notre établissement est à la ligne %1 (%2, FINESS %3). Cochez les indicateurs à importer pour la campagne %4.")
            .replace("%1", str(ap.ligne)).replace("%2", ap.raison_sociale or "—").replace("%3", ap.finess_trouve).replace("%4", ap.periode)
        )  # fmt: skip
        for p in ap.propositions:
            r = self.grid.rowCount()
            self.grid.insertRow(r)
            first = QTableWidgetItem(p.code)
            first.setFlags(first.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            first.setCheckState(Qt.CheckState.Checked if p.choisi else Qt.CheckState.Unchecked)
            cells = [first, QTableWidgetItem(p.libelle), QTableWidgetItem(_num(p.valeur)), QTableWidgetItem(p.classe or ""),
                     QTableWidgetItem(p.statut or ""), QTableWidgetItem(_num(p.denominateur)),
                     QTableWidgetItem(self.tr("oui") if p.existe else self.tr("à créer (catalogue)"))]  # fmt: skip
            for c, item in enumerate(cells):
                self.grid.setItem(r, c, item)
        self.grid.resizeColumnsToContents()
        self.grid.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.ignored.setText(self.tr("Colonnes non reconnues : %1").replace("%1", ", ".join(ap.non_reconnues)) if ap.non_reconnues else "")
        self.import_btn.setEnabled(bool(ap.propositions))

    def commit(self) -> None:
        if self.apercu is None:
            return
        for r, p in enumerate(self.apercu.propositions):
            item = self.grid.item(r, 0)
            p.choisi = item is not None and item.checkState() == Qt.CheckState.Checked
        db, ap = self.ctx.db, self.apercu
        self.import_btn.setEnabled(False)
        run_background(
            self.ctx, self, self.tr("Import des résultats HAS…"), lambda _p: imp.commit_has(db, ap),
            on_done=lambda _n: self.accept(), on_failed=lambda _e: self.import_btn.setEnabled(True),
        )  # fmt: skip
