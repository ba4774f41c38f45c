"""Import a PAQSS workbook: sheet, column mapping (guessed), preview of every row created or refused, then all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qualite_app.errors import UserError
from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import Progress, run_background, show_error
from qualite_app.paqss import echanges as ex
from qualite_app.paqss import xlsx as xl


class ImportDialog(QDialog):
    def __init__(self, ctx: AppContext, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path = Path(path)
        self.preview: ex.ImportPreview | None = None
        self.import_result: ex.ImportResult | None = None
        self.setWindowTitle(self.tr("Importer un PAQSS — %1").replace("%1", self.path.name))
        self.resize(980, 640)
        lay = QVBoxLayout(self)
        self.stack = QStackedWidget()
        lay.addWidget(self.stack, 1)

        # step 1: sheet and mapping
        p1 = QWidget()
        l1 = QVBoxLayout(p1)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Feuille :")))
        self.sheet = QComboBox()
        row.addWidget(self.sheet, 1)
        l1.addLayout(row)
        l1.addWidget(
            QLabel(
                self.tr("Correspondance des colonnes (devinée d'après les en-têtes ; corrigez si besoin) :")
            )
        )
        self.mapping = QTableWidget(0, 3)
        self.mapping.setHorizontalHeaderLabels(
            [self.tr("Colonne du fichier"), self.tr("Exemple"), self.tr("Champ du PAQSS")]
        )
        self.mapping.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.mapping.verticalHeader().hide()
        l1.addWidget(self.mapping, 1)
        self.preview_button = QPushButton(self.tr("Aperçu →"))
        self.preview_button.clicked.connect(self.make_preview)
        l1.addWidget(self.preview_button, 0, Qt.AlignmentFlag.AlignRight)
        self.stack.addWidget(p1)

        # step 2: preview
        p2 = QWidget()
        l2 = QVBoxLayout(p2)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        l2.addWidget(self.summary)
        self.rows = QTableWidget(0, 6)
        self.rows.setHorizontalHeaderLabels(
            [
                self.tr("Ligne"),
                self.tr("Opération"),
                self.tr("Référence"),
                self.tr("Action"),
                self.tr("Pilote(s)"),
                self.tr("Échéance"),
            ]
        )
        self.rows.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.rows.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rows.verticalHeader().hide()
        for i, w in enumerate((55, 95, 135, 300, 230, 90)):
            self.rows.setColumnWidth(i, w)
        l2.addWidget(self.rows, 2)
        self.refused_label = QLabel()
        l2.addWidget(self.refused_label)
        self.refused = QTableWidget(0, 4)
        self.refused.setHorizontalHeaderLabels(
            [self.tr("Ligne"), self.tr("Colonne"), self.tr("Valeur"), self.tr("Motif")]
        )
        self.refused.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.refused.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.refused.verticalHeader().hide()
        for i, w in enumerate((55, 160, 140)):
            self.refused.setColumnWidth(i, w)
        l2.addWidget(self.refused, 1)
        self.create_people = QCheckBox()
        l2.addWidget(self.create_people)
        # all or nothing by default: importing only the valid rows is an explicit choice
        self.ignore_errors = QCheckBox()
        self.ignore_errors.toggled.connect(self._update_commit)
        l2.addWidget(self.ignore_errors)
        buttons = QHBoxLayout()
        back = QPushButton(self.tr("← Correspondance"))
        back.clicked.connect(lambda: self.stack.setCurrentIndex(0))
        self.commit_button = QPushButton(self.tr("Importer"))
        self.commit_button.setDefault(True)
        self.commit_button.clicked.connect(self.commit)
        cancel = QPushButton(self.tr("Annuler"))
        cancel.clicked.connect(self.reject)
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.commit_button)
        l2.addLayout(buttons)
        self.stack.addWidget(p2)

        self.table = ex.read_headers(self.path)
        self.sheet.addItems(self.table.sheets)
        self.sheet.setCurrentText(self.table.sheet)
        self.sheet.currentTextChanged.connect(self._sheet_changed)
        self._fill_mapping()

    def _sheet_changed(self, name: str) -> None:
        try:
            self.table = ex.read_headers(self.path, name)
        except UserError as exc:
            show_error(self, exc)
            return
        self._fill_mapping()

    def _fill_mapping(self) -> None:
        guess = xl.guess_mapping(self.table.headers)
        self.mapping.setRowCount(0)
        for i, h in enumerate(self.table.headers):
            r = self.mapping.rowCount()
            self.mapping.insertRow(r)
            self.mapping.setItem(r, 0, QTableWidgetItem(h or self.tr("(sans titre)")))
            sample = next(
                (c[i] for _, c in self.table.rows[:20] if i < len(c) and c[i] not in (None, "")), ""
            )
            self.mapping.setItem(r, 1, QTableWidgetItem(str(sample)[:80]))
            combo = QComboBox()
            combo.addItem(self.tr("— ignorer —"), None)
            for key, (label, _syn) in xl.FIELDS.items():
                combo.addItem(label, key)
            combo.setCurrentIndex(max(0, combo.findData(guess.get(i))))
            self.mapping.setCellWidget(r, 2, combo)

    def chosen_mapping(self) -> dict[int, str]:
        out: dict[int, str] = {}
        for r in range(self.mapping.rowCount()):
            combo: Any = self.mapping.cellWidget(r, 2)
            if combo.currentData():
                out[r] = combo.currentData()
        return out

    def make_preview(self) -> None:
        try:
            self.preview = ex.preview_import(
                self.ctx.db, self.path, self.sheet.currentText(), self.chosen_mapping()
            )
        except UserError as exc:
            show_error(self, exc)
            return
        pv = self.preview
        refused_lines = len({r.ligne for r in pv.refus})
        self.summary.setText(
            self.tr(
                "<b>%1</b> ligne(s) valide(s) (%2 création(s), %3 mise(s) à jour) ; <b>%4</b> refusée(s)."
            )
            .replace("%1", str(len(pv.lignes)))
            .replace("%2", str(pv.creations))
            .replace("%3", str(pv.mises_a_jour))
            .replace("%4", str(refused_lines))
            + ("<br/>" + "<br/>".join(pv.avertissements[:5]) if pv.avertissements else "")
            + (
                "<br/>" + self.tr("Services inconnus, ignorés : ") + ", ".join(pv.services_inconnus)
                if pv.services_inconnus
                else ""
            )
        )
        self.rows.setRowCount(len(pv.lignes))
        for i, r in enumerate(pv.lignes):
            for j, v in enumerate(
                (
                    str(r.ligne),
                    r.operation,
                    r.reference,
                    r.titre,
                    r.pilote,
                    r.echeance.strftime("%d/%m/%Y") if r.echeance else "",
                )
            ):
                self.rows.setItem(i, j, QTableWidgetItem(v))
        self.refused.setRowCount(len(pv.refus))
        for i, f in enumerate(pv.refus):
            for j, v in enumerate((str(f.ligne), f.colonne, f.valeur, f.motif)):
                it = QTableWidgetItem(v)
                it.setForeground(QColor("#B71C1C"))
                self.refused.setItem(i, j, it)
        self.refused_label.setText(
            self.tr(
                "Lignes refusées : tant qu'il y en a, rien n'est importé (sauf si vous cochez la case ci-dessous) :"
            )
            if pv.refus
            else self.tr("Aucune ligne refusée.")
        )
        self.refused.setVisible(bool(pv.refus))
        if pv.personnes_inconnues:
            self.create_people.setText(
                self.tr("Créer dans l'annuaire les %1 personne(s) absente(s) : %2")
                .replace("%1", str(len(pv.personnes_inconnues)))
                .replace("%2", ", ".join(pv.personnes_inconnues))
            )
            self.create_people.setChecked(True)
            self.create_people.show()
        else:
            self.create_people.hide()
        self.ignore_errors.setText(
            self.tr(
                "Importer seulement les %1 ligne(s) valide(s) : les %2 ligne(s) refusée(s) ne seront pas importées"
            )
            .replace("%1", str(len(pv.lignes)))
            .replace("%2", str(refused_lines))
        )
        self.ignore_errors.setChecked(False)
        self.ignore_errors.setVisible(bool(pv.refus) and bool(pv.lignes))
        self._update_commit()
        self.stack.setCurrentIndex(1)

    def _update_commit(self) -> None:
        pv = self.preview
        ok = pv is not None and bool(pv.lignes) and (not pv.refus or self.ignore_errors.isChecked())
        self.commit_button.setEnabled(ok)
        if pv is not None and pv.refus:
            self.commit_button.setToolTip(
                self.tr(
                    "Des lignes sont refusées : corrigez le fichier, ou cochez « Importer seulement les lignes valides »."
                )
                if not ok
                else ""
            )

    def commit(self) -> None:
        pv = self.preview
        if pv is None:
            return
        create = self.create_people.isChecked()
        ignore = self.ignore_errors.isChecked()

        def work(progress: Progress) -> ex.ImportResult:
            return ex.commit_import(
                self.ctx.db,
                pv,
                ignorer_erreurs=ignore,
                creer_personnes=create,
                progress=lambda d, t: progress.step(d, t, "Import des actions…"),
            )

        def done(res: ex.ImportResult) -> None:
            self.import_result = res
            self.accept()

        self.commit_button.setEnabled(False)
        self.job = run_background(
            self.ctx,
            self,
            self.tr("Import du PAQSS"),
            work,
            done,
            on_failed=lambda _e: self._update_commit(),
        )
