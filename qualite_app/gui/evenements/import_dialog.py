"""Import a declaration tool's export from the interface: choose the file, read the preview (the import's
own code, rolled back: counts and every refused line with its column and reason), then import — all or
nothing, or only the valid lines when the user says so. Long work runs off the UI thread."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import Progress, run_background
from qualite_app.gui.widgets.common import named


class ImportDialog(QDialog):
    """``module``: the area's import module (``apercu(db, path)``, ``importer(db, path, ignorer_erreurs=…)``,
    an ``Apercu`` with ``lignes``, ``refus`` and ``resume()``) — the events' by default, the risk map's too."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, module: str = "qualite_app.evenements.imports",
                 title: str = "") -> None:  # fmt: skip
        super().__init__(parent)
        self.ctx = ctx
        self.module = module
        self.path: Path | None = None
        self.preview: Any = None
        self.result: Any = None
        self.job: Any = None
        self.setWindowTitle(title or self.tr("Importer des événements (.xlsx, .csv)"))
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        self.file_label = named(QLabel(self.tr("Aucun fichier choisi.")), "fichier")
        self.btn_file = named(QPushButton(self.tr("Choisir le fichier…")), "btnFichier")
        self.btn_file.clicked.connect(self.choose)
        row.addWidget(self.file_label, 1)
        row.addWidget(self.btn_file)
        lay.addLayout(row)
        self.summary = named(QLabel(), "resume")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.refus = named(QTableWidget(0, 4), "refus")
        self.refus.setHorizontalHeaderLabels(
            [self.tr("Ligne"), self.tr("Colonne"), self.tr("Valeur"), self.tr("Motif")]
        )
        self.refus.horizontalHeader().setStretchLastSection(True)
        self.refus.verticalHeader().hide()
        self.refus.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        lay.addWidget(self.refus, 1)
        self.only_valid = named(
            QCheckBox(self.tr("N'importer que les lignes valides (les lignes refusées sont écartées)")),
            "seulementValides",
        )
        lay.addWidget(self.only_valid)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.btn_import = named(QPushButton(self.tr("Importer")), "btnImporter")
        self.btn_import.setEnabled(False)
        self.btn_import.clicked.connect(self.do_import)
        close = QPushButton(self.tr("Fermer"))
        close.clicked.connect(self.reject)
        buttons.addWidget(self.btn_import)
        buttons.addWidget(close)
        lay.addLayout(buttons)
        self.only_valid.toggled.connect(self._enable)
        self.resize(820, 520)

    def choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Fichier à importer"), "",
                                              self.tr("Classeurs et CSV (*.xlsx *.xlsm *.csv *.txt)"))  # fmt: skip
        if path:
            self.load(Path(path))

    def load(self, path: Path) -> None:
        """Preview ``path`` in the background; the table lists every refused line."""
        imports = importlib.import_module(self.module)
        self.path, self.preview, self.result = path, None, None
        self.file_label.setText(path.name)
        self.summary.setText(self.tr("Lecture du fichier…"))
        self.btn_import.setEnabled(False)

        def work(_p: Progress) -> Any:
            return imports.apercu(self.ctx.db, path)

        self.job = run_background(self.ctx, self, self.tr("Aperçu de l'import"), work, self._show_preview,
                                  on_failed=lambda exc: self.summary.setText(self.tr("Fichier refusé : rien n'a été importé.")))  # fmt: skip

    def _show_preview(self, ap: Any) -> None:
        self.preview = ap
        self.summary.setText(self.tr("Aperçu : ") + ap.resume()
                             + ("" if not ap.refus else self.tr(" Rien ne sera importé tant que des lignes sont refusées, "
                                                               "sauf si vous choisissez de n'importer que les lignes valides.")))  # fmt: skip
        self.refus.setRowCount(len(ap.refus))
        for i, r in enumerate(ap.refus):
            for j, text in enumerate((str(r.ligne), r.colonne, r.valeur, r.motif)):
                self.refus.setItem(i, j, QTableWidgetItem(text))
        self.refus.resizeColumnsToContents()
        self._enable()

    def _enable(self, *_: object) -> None:
        ap = self.preview
        self.btn_import.setEnabled(
            ap is not None and bool(ap.lignes) and (not ap.refus or self.only_valid.isChecked())
        )

    def do_import(self) -> None:
        imports = importlib.import_module(self.module)
        path, only_valid = self.path, self.only_valid.isChecked()
        assert path is not None
        self.btn_import.setEnabled(False)

        def work(_p: Progress) -> Any:
            return imports.importer(self.ctx.db, path, ignorer_erreurs=only_valid)

        self.job = run_background(self.ctx, self, self.tr("Import des événements"), work, self._done)

    def _done(self, ap: Any) -> None:
        self.result = ap
        self.summary.setText(self.tr("Import terminé : ") + ap.resume())
