"""The list of indicators: search, the national catalogue, editable definitions and targets, imports."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qualite_app.gui.context import AppContext
from qualite_app.gui.indicateurs._boutons import franciser
from qualite_app.gui.operations import run_write
from qualite_app.gui.widgets.common import named
from qualite_app.indicateurs import services as svc
from qualite_app.rules import periodes
from qualite_app.rules.formats import parse_date_saisie
from qualite_app.socle import versions

Index = QModelIndex | QPersistentModelIndex

LIST_COLUMNS = [
    ("code", "Code"),
    ("libelle", "Libellé"),
    ("theme", "Thème"),
    ("secteur", "Secteur"),
    ("source", "Source"),
    ("periodicite", "Périodicité"),
    ("sens", "Sens"),
    ("nb_resultats", "Résultats"),
    ("derniere_periode", "Dernière période"),
    ("responsable", "Responsable"),
]


class IndicateursModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[svc.IndicateurRow] = []

    def set_rows(self, rows: list[svc.IndicateurRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(LIST_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return LIST_COLUMNS[section][1]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        key = LIST_COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            v = getattr(row, key)
            if key == "secteur":
                return svc.SECTEURS.get(v, v)
            if key == "sens":
                return {"hausse": "↑ hausse", "baisse": "↓ baisse"}.get(v, "—")
            if key == "periodicite":
                return periodes.PERIODICITES.get(v, v)
            if key == "derniere_periode" and v:
                return periodes.from_code(v).libelle
            return v
        if role == Qt.ItemDataRole.ForegroundRole and not row.suivi:
            from PySide6.QtGui import QColor

            return QColor("#8A94A3")
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None


def _combo(items: dict[str, str], current: str | None) -> QComboBox:
    c = QComboBox()
    for k, label in items.items():
        c.addItem(label, k)
    c.setCurrentIndex(max(0, c.findData(current)))
    return c


class IndicateurDialog(QDialog):
    """Definition (all fields), services it applies to, and targets with their validity periods."""

    def __init__(self, ctx: AppContext, data: svc.IndicateurData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.data = data
        self._ouverte = data  # what was opened: the base of a merge when someone saves it meanwhile
        self.saved_id: int | None = None
        self.setWindowTitle(self.tr("Indicateur %1").replace("%1", data.code) if data.id else self.tr("Nouvel indicateur"))
        self.resize(760, 640)
        outer = QVBoxLayout(self)
        tabs = QTabWidget()
        outer.addWidget(tabs)
        general = QWidget()
        form = QFormLayout(general)
        self.code = named(QLineEdit(data.code), "code")
        self.libelle = named(QLineEdit(data.libelle), "libelle")
        self.theme = named(QComboBox(), "theme")
        self.theme.setEditable(True)
        self.theme.addItems(svc.filter_choices(ctx.db)["theme"])
        self.theme.setCurrentText(data.theme or "")
        self.secteur = _combo(svc.SECTEURS, data.secteur)
        self.type = _combo(svc.TYPES, data.type)
        self.unite = named(QLineEdit(data.unite), "unite")
        self.sens = _combo(svc.SENS, data.sens)
        self.source = _combo(svc.SOURCES, data.source)
        self.periodicite = _combo(periodes.PERIODICITES, data.periodicite)
        self.responsable = named(QComboBox(), "responsable")
        self.responsable.addItem(self.tr("(personne)"), None)
        from qualite_app.etablissement import annuaire

        for pid, label in annuaire.choices(ctx.db):
            self.responsable.addItem(label, pid)
        self.responsable.setCurrentIndex(max(0, self.responsable.findData(data.responsable_id)))
        self.graphique = _combo(svc.GRAPHIQUES, data.graphique)
        self.echelle = QDoubleSpinBox()
        self.echelle.setRange(0.001, 1_000_000)
        self.echelle.setDecimals(3)
        self.echelle.setValue(data.echelle)
        self.points_base = QSpinBox()
        self.points_base.setRange(0, 500)
        self.points_base.setSpecialValueText(self.tr("toutes les données"))
        self.points_base.setSuffix(" points")
        self.points_base.setValue(data.points_base or 0)
        self.suivi = QCheckBox(self.tr("Suivi au tableau de bord"))
        self.suivi.setChecked(data.suivi)
        self.description = QPlainTextEdit(data.description or "")
        self.definition = QPlainTextEdit(data.definition or "")
        self.notes = QPlainTextEdit(data.notes_calcul or "")
        for box in (self.description, self.definition, self.notes):
            box.setMaximumHeight(70)
        w: QWidget
        for label, w in (
            ("Code", self.code), ("Libellé", self.libelle), ("Thème", self.theme), ("Secteur", self.secteur), ("Type", self.type),
            ("Unité", self.unite), ("Sens d'amélioration", self.sens), ("Source", self.source), ("Périodicité", self.periodicite),
            ("Responsable", self.responsable), ("Graphique", self.graphique), ("Échelle (num/dén ×)", self.echelle),
            ("Limites figées sur", self.points_base), ("", self.suivi), ("Description", self.description),
            ("Définition", self.definition), ("Notes de calcul", self.notes),
        ):  # fmt: skip
            form.addRow(self.tr(label), w)
        tabs.addTab(general, self.tr("Définition"))
        # targets
        tgt = QWidget()
        tl = QVBoxLayout(tgt)
        tl.addWidget(QLabel(self.tr("Une cible et un seuil d'alerte par période de validité (laisser « Fin » vide : toujours valable).")))
        self.cibles = named(QTableWidget(0, 4), "cibles")
        self.cibles.setHorizontalHeaderLabels([self.tr("Début (jj/mm/aaaa)"), self.tr("Fin"), self.tr("Cible"), self.tr("Seuil d'alerte")])
        self.cibles.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for cb in data.cibles:
            self._add_cible(cb)
        tl.addWidget(self.cibles)
        row = QHBoxLayout()
        self.add_cible_btn = named(QPushButton(self.tr("Ajouter une cible")), "ajouter_cible")
        self.del_cible_btn = named(QPushButton(self.tr("Retirer la cible")), "retirer_cible")
        row.addWidget(self.add_cible_btn)
        row.addWidget(self.del_cible_btn)
        row.addStretch(1)
        tl.addLayout(row)
        self.add_cible_btn.clicked.connect(lambda: self._add_cible(svc.CibleData(date(date.today().year, 1, 1))))
        self.del_cible_btn.clicked.connect(lambda: self.cibles.removeRow(self.cibles.currentRow()))
        tabs.addTab(tgt, self.tr("Cibles"))
        # services
        srv = QWidget()
        sl = QVBoxLayout(srv)
        sl.addWidget(QLabel(self.tr("Services concernés (filtre « Service » du tableau de bord) :")))
        self.services = named(QListWidget(), "services")
        for sid, nom in svc.services(ctx.db):
            item = QListWidgetItem(nom)
            item.setData(Qt.ItemDataRole.UserRole, sid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if sid in data.service_ids else Qt.CheckState.Unchecked)
            self.services.addItem(item)
        sl.addWidget(self.services)
        tabs.addTab(srv, self.tr("Services"))
        self.error = named(QLabel(), "erreurs")
        self.error.setStyleSheet("color:#C62828")
        self.error.setWordWrap(True)
        outer.addWidget(self.error)
        self.buttons = franciser(QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

    def _add_cible(self, cb: svc.CibleData) -> None:
        r = self.cibles.rowCount()
        self.cibles.insertRow(r)
        values = [cb.debut.strftime("%d/%m/%Y"), cb.fin.strftime("%d/%m/%Y") if cb.fin else "", svc.fr(cb.cible, 2) if cb.cible is not None else "", svc.fr(cb.seuil_alerte, 2) if cb.seuil_alerte is not None else ""]
        for c, v in enumerate(values):
            item = QTableWidgetItem(v.replace("\u202f", ""))
            if c == 0:
                item.setData(Qt.ItemDataRole.UserRole, cb.id)
            self.cibles.setItem(r, c, item)

    def collect(self) -> svc.IndicateurData:
        cibles = []
        for r in range(self.cibles.rowCount()):
            items = [self.cibles.item(r, c) for c in range(4)]
            cells = [it.text() if it is not None else "" for it in items]
            debut = parse_date_saisie(cells[0])
            if debut is None:
                raise ValueError(f"Cible ligne {r + 1} : la date de début est obligatoire.")
            cibles.append(
                svc.CibleData(
                    debut, svc.parse_nombre(cells[2], "La cible"), svc.parse_nombre(cells[3], "Le seuil d'alerte"), parse_date_saisie(cells[1]),
                    items[0].data(Qt.ItemDataRole.UserRole) if items[0] is not None else None,
                )  # fmt: skip
            )
        services = [
            self.services.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.services.count())
            if self.services.item(i).checkState() == Qt.CheckState.Checked
        ]
        return svc.IndicateurData(
            **self.data.edition(), id=self.data.id, code=self.code.text(), libelle=self.libelle.text(), description=self.description.toPlainText(),
            theme=self.theme.currentText(), secteur=self.secteur.currentData(), type=self.type.currentData(),
            unite=self.unite.text(), sens=self.sens.currentData(), source=self.source.currentData(),
            periodicite=self.periodicite.currentData(), responsable_id=self.responsable.currentData(),
            definition=self.definition.toPlainText(), notes_calcul=self.notes.toPlainText(), suivi=self.suivi.isChecked(),
            graphique=self.graphique.currentData(), echelle=self.echelle.value(), points_base=self.points_base.value() or None,
            service_ids=services, cibles=cibles, catalogue_code=self.data.catalogue_code,
        )  # fmt: skip

    def save(self) -> None:
        from qualite_app.errors import UserError, ValidationError

        def refused(exc: UserError) -> None:
            self.error.setText("\n".join(exc.errors.values()) if isinstance(exc, ValidationError) else exc.message)

        try:
            data = self.collect()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        except UserError as exc:
            refused(exc)
            return
        saved = run_write(self.ctx, self, svc.save_indicateur, self.ctx.db, data, on_error=refused, recharger=self._reload,
                          reappliquer=self._reapply)  # fmt: skip
        if saved is None:
            return
        self.saved_id = saved
        self.accept()

    def _reload(self) -> None:
        """Discard the user's changes: the form shows the indicator as the base holds it now."""
        if self.data.id is not None:
            self._ouverte = svc.get_indicateur(self.ctx.db, self.data.id)
            self._fill(self._ouverte)

    def _reapply(self) -> None:
        """My changes over the indicator as the base holds it now (a colleague's other changes kept), saved."""
        if self.data.id is None:
            return
        now = svc.get_indicateur(self.ctx.db, self.data.id)
        self._fill(versions.reappliquer(self._ouverte, self.collect(), now))
        self._ouverte = now
        self.save()

    def _fill(self, d: svc.IndicateurData) -> None:
        self.data = d
        for edit, text in ((self.code, d.code), (self.libelle, d.libelle), (self.unite, d.unite)):
            edit.setText(text)
        self.theme.setCurrentText(d.theme or "")
        for combo, value in ((self.secteur, d.secteur), (self.type, d.type), (self.sens, d.sens), (self.source, d.source),
                             (self.periodicite, d.periodicite), (self.responsable, d.responsable_id), (self.graphique, d.graphique)):  # fmt: skip
            combo.setCurrentIndex(max(0, combo.findData(value)))
        self.echelle.setValue(d.echelle)
        self.points_base.setValue(d.points_base or 0)
        self.suivi.setChecked(d.suivi)
        for box, contenu in ((self.description, d.description), (self.definition, d.definition), (self.notes, d.notes_calcul)):
            box.setPlainText(contenu or "")
        self.cibles.setRowCount(0)
        for cb in d.cibles:
            self._add_cible(cb)
        for i in range(self.services.count()):
            item = self.services.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in d.service_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.error.clear()


class CatalogueDialog(QDialog):
    """Pick the national indicators to follow (already followed ones are ticked and greyed)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Catalogue national des indicateurs"))
        self.resize(720, 560)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Cochez les indicateurs nationaux (IQSS, e-Satis) que l'établissement suit. Libellés résumés ; la fiche officielle fait foi.")))
        self.list = named(QListWidget(), "catalogue")
        followed = {r.code for r in svc.list_indicateurs(ctx.db)}
        for e in svc.catalogue():
            item = QListWidgetItem(f"{e.code} — {e.libelle}  [{svc.SECTEURS.get(e.secteur, e.secteur)}, {e.source}, {e.periodicite}]")
            item.setData(Qt.ItemDataRole.UserRole, e.code)
            item.setToolTip(e.definition or e.libelle)
            if e.code in followed:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setCheckState(Qt.CheckState.Checked)
            else:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        lay.addWidget(self.list)
        b = franciser(QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel))
        b.accepted.connect(self.save)
        b.rejected.connect(self.reject)
        lay.addWidget(b)

    def chosen(self) -> list[str]:
        out = []
        for i in range(self.list.count()):
            it = self.list.item(i)
            if it.flags() & Qt.ItemFlag.ItemIsEnabled and it.checkState() == Qt.CheckState.Checked:
                out.append(it.data(Qt.ItemDataRole.UserRole))
        return out

    def save(self) -> None:
        codes = self.chosen()
        if codes and run_write(self.ctx, self, svc.suivre_catalogue, self.ctx.db, codes) is None:
            return
        self.accept()


class ListeView(QWidget):
    open_indicator = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        bar = QHBoxLayout()
        self.search = named(QLineEdit(), "recherche")
        self.search.setPlaceholderText(self.tr("Rechercher (code, libellé, thème)…"))
        self.followed = QCheckBox(self.tr("Suivis seulement"))
        self.new_btn = named(QPushButton(self.tr("Nouvel indicateur…")), "nouvel_indicateur")
        self.edit_btn = named(QPushButton(self.tr("Modifier…")), "modifier_indicateur")
        self.chart_btn = named(QPushButton(self.tr("Graphique")), "ouvrir_graphique")
        self.cat_btn = named(QPushButton(self.tr("Catalogue national…")), "catalogue_national")
        self.imp_btn = named(QPushButton(self.tr("Importer des résultats…")), "importer_resultats")
        self.has_btn = named(QPushButton(self.tr("Open data HAS…")), "import_has")
        bar.addWidget(self.search, 1)
        bar.addWidget(self.followed)
        for b in (self.new_btn, self.edit_btn, self.chart_btn, self.cat_btn, self.imp_btn, self.has_btn):
            bar.addWidget(b)
        lay.addLayout(bar)
        self.model = IndicateursModel(self)
        self.table = named(QTableView(), "liste_indicateurs")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        lay.addWidget(self.table)
        self.search.textChanged.connect(self.reload)
        self.followed.toggled.connect(self.reload)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.new_btn.clicked.connect(self.new)
        self.edit_btn.clicked.connect(self.edit)
        self.chart_btn.clicked.connect(self._open_chart)
        self.cat_btn.clicked.connect(lambda: CatalogueDialog(self.ctx, self).exec())
        self.imp_btn.clicked.connect(self.import_results)
        self.has_btn.clicked.connect(self.import_has)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(svc.list_indicateurs(self.ctx.db, self.search.text(), suivis_seulement=self.followed.isChecked()))

    def current_id(self) -> int | None:
        idx = self.table.currentIndex()
        return self.model.rows[idx.row()].id if idx.isValid() else None

    def select_code(self, code: str) -> None:
        for r, row in enumerate(self.model.rows):
            if row.code == code:
                self.table.selectRow(r)
                self.table.setCurrentIndex(self.model.index(r, 0))
                return

    def new(self) -> None:
        IndicateurDialog(self.ctx, svc.IndicateurData(source="institutionnel"), self).exec()

    def edit(self) -> None:
        iid = self.current_id()
        if iid is None:
            return
        IndicateurDialog(self.ctx, svc.get_indicateur(self.ctx.db, iid), self).exec()

    def _open_chart(self) -> None:
        iid = self.current_id()
        if iid is not None:
            self.open_indicator.emit(iid)

    def import_results(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Importer des résultats"), "", "Classeurs et CSV (*.xlsx *.ods *.csv *.txt)")
        if name:
            from qualite_app.gui.indicateurs.imports import ImportMesuresDialog

            ImportMesuresDialog(self.ctx, name, self).exec()

    def import_has(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Fichier open data de la HAS"), "", "Classeurs et CSV (*.xlsx *.ods *.csv *.txt)")
        if name:
            from qualite_app.gui.indicateurs.imports import HasImportDialog

            HasImportDialog(self.ctx, name, self).exec()
