"""The Certification page: a campaign, its self-assessment (tree + grid + evidence), its readiness, and the
dossier export (background, progress bar, Cancel leaves nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qualite_app.certification import campagnes, referentiels, rules, scores
from qualite_app.gui.certification.autoeval import AutoevalView
from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import run_background, run_write
from qualite_app.gui.pages import Page, au_repos, lu
from qualite_app.gui.widgets.common import empty_state, named, page_title, tab_parent
from qualite_app.gui.widgets.signature import choisir_signature
from qualite_app.socle import versions

if TYPE_CHECKING:
    from qualite_app.gui.certification.preparation import PreparationView
    from qualite_app.gui.certification.preuves_tab import PreuvesView
    from qualite_app.socle.base import Database


class CertificationPage(Page):
    listens_to = frozenset({"certification", "paqss", "etablissement", "annuaire", "socle"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        lay = QVBoxLayout(self)
        lay.addWidget(
            page_title(
                self.tr("Certification"),
                self.tr("Autoévaluation, preuves, préparation de la visite et dossier de certification"),
            )
        )
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Campagne :")))
        self.campagne = named(QComboBox(), "campagne")
        self.campagne.setMinimumWidth(260)
        self.campagne.currentIndexChanged.connect(self.reload)
        top.addWidget(self.campagne, 1)
        bar = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, label, slot in (
            ("nouvelle", self.tr("Nouvelle campagne…"), self.new_campaign),
            ("modifier", self.tr("Dates et périmètre…"), self.edit_campaign),
            ("importer", self.tr("Importer un référentiel…"), self.import_referentiel),
            ("seuils", self.tr("Seuils de décision…"), self.edit_thresholds),
            ("comparer", self.tr("Comparer…"), self.compare),
            ("rapport", self.tr("Rapport de préparation…"), self.readiness_report),
            ("exporter", self.tr("Exporter le dossier…"), self.export_dossier),
            ("verifier", self.tr("Vérifier un dossier…"), self.verify_dossier),
        ):
            b = named(QPushButton(label), f"btn_{key}")
            b.clicked.connect(slot)
            (top if key in ("nouvelle", "modifier") else bar).addWidget(b)
            self.buttons[key] = b
        bar.addStretch(1)
        lay.addLayout(top)
        lay.addLayout(bar)
        # containers put in place before they are filled (built top-down, each widget is styled once)
        self.stack = QStackedWidget()
        lay.addWidget(self.stack, 1)
        self.empty = QWidget()
        self.stack.addWidget(self.empty)
        el = QVBoxLayout(self.empty)
        el.addWidget(empty_state(self.tr("Aucune campagne d'autoévaluation. Chargez le référentiel HAS 2025 livré avec "
                                         "l'application et ouvrez une première campagne.")))  # fmt: skip
        start = named(
            QPushButton(self.tr("Charger le référentiel HAS 2025 et ouvrir une campagne")), "btn_demarrer"
        )
        start.clicked.connect(self.start)
        el.addWidget(start)
        el.addStretch(1)
        self.tabs = named(QTabWidget(), "onglets_certification")
        self.stack.addWidget(self.tabs)
        self.autoeval = AutoevalView(ctx, tab_parent(self.tabs))
        self.tabs.addTab(self.autoeval, self.tr("Autoévaluation"))
        # the preparation and evidence tabs are built the first time they are shown (or asked for:
        # ``preparation``, ``preuves``)
        self._preparation: PreparationView | None = None
        self._syn: scores.Synthese | None = None
        self.tabs.addTab(QWidget(), self.tr("Préparation de la visite"))
        self._preuves: PreuvesView | None = None
        self.tabs.addTab(QWidget(), self.tr("Preuves"))
        self._rows: list[campagnes.CampagneRow] = []
        self.tabs.currentChanged.connect(self._tab_changed)
        self.reload()

    @classmethod
    def prechauffer(cls, db: Database) -> None:
        rows = au_repos(db, campagnes.campagnes)
        if rows:  # kept for the first display (``lu``): the first campaign, its grid without filters
            au_repos(db, campagnes.sessions, rows[0].id)
            au_repos(db, scores.synthese, rows[0].id)
            au_repos(db, campagnes.grille, rows[0].id, campagnes.GrilleFiltre())

    @property
    def preparation(self) -> PreparationView:
        if self._preparation is None:
            from qualite_app.gui.certification.preparation import PreparationView

            self._preparation = PreparationView()
            self._put_tab(1, self._preparation)
            self._preparation.show_synthese(self._syn)
        return self._preparation

    @property
    def preuves(self) -> PreuvesView:
        if self._preuves is None:
            from qualite_app.gui.certification.preuves_tab import PreuvesView

            self._preuves = PreuvesView(self.ctx)
            self._put_tab(2, self._preuves)
        return self._preuves

    def _put_tab(self, index: int, widget: QWidget) -> None:
        """The tab ``index`` (an empty holder until then) replaced by ``widget``, built on first use."""
        holder, label, current = self.tabs.widget(index), self.tabs.tabText(index), self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, widget, label)
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        if holder is not None:
            holder.deleteLater()

    # --- loading ------------------------------------------------------------------------------------
    def open_item(self, item_type: str, item_id: int) -> None:
        """From the search or a *Liens* panel: a criterion selected in the self-assessment tree (the campaign
        switched to one of its référentiel if needed), a piece of evidence selected in the evidence list."""
        if item_type == "critere":
            self.tabs.setCurrentWidget(self.autoeval)
            self.autoeval.bas.setCurrentWidget(
                self.autoeval.liens
            )  # the chain shown (evidence: the next tab)
            if self.autoeval.select_node(item_id):
                return
            for i in range(self.campagne.count()):  # a handful of campaigns
                self.campagne.setCurrentIndex(i)
                if self.autoeval.select_node(item_id):
                    return
        elif item_type == "preuve":
            self.tabs.setCurrentWidget(self.preuves)
            self.preuves.select(item_id)

    def campagne_id(self) -> int | None:
        data = self.campagne.currentData()
        return int(data) if data is not None else None

    def reload(self, *_: object) -> None:
        current = self.campagne_id()
        self._rows = lu(self.ctx.db, campagnes.campagnes)
        self.campagne.blockSignals(True)
        self.campagne.clear()
        for c in self._rows:
            self.campagne.addItem(f"{c.nom} — {c.referentiel}", c.id)
        idx = next((i for i, c in enumerate(self._rows) if c.id == current), 0)
        self.campagne.setCurrentIndex(idx)
        self.campagne.blockSignals(False)
        cid = self.campagne_id()
        for k in ("modifier", "seuils", "comparer", "rapport", "exporter"):
            self.buttons[k].setEnabled(cid is not None)
        if cid is None:
            self.stack.setCurrentWidget(self.empty)
            self.autoeval.load(None, None, None)
            return
        self.stack.setCurrentWidget(self.tabs)
        row = next(c for c in self._rows if c.id == cid)
        syn = lu(self.ctx.db, scores.synthese, cid)
        self.autoeval.load(cid, row.referentiel_id, syn)
        self._syn = syn
        if self._preparation is not None:  # else built, with this synthesis, when first shown
            self._preparation.show_synthese(syn)
        if self.tabs.currentIndex() == 2:  # else read when its tab is shown
            self.preuves.load(row.date_visite)

    def _tab_changed(self, _index: int) -> None:
        """The preparation is built, the evidence list read, when its tab is shown (the page opens fast)."""
        if self.tabs.currentIndex() == 1:
            self.preparation  # noqa: B018 — built now, with the campaign's synthesis
        if self.tabs.currentIndex() == 2:
            cid = self.campagne_id()
            row = next((c for c in self._rows if c.id == cid), None)
            self.preuves.load(row.date_visite if row else None)

    # --- actions --------------------------------------------------------------------------------------
    def start(self) -> None:
        if not referentiels.lister(self.ctx.db):
            run_write(self.ctx, self, referentiels.installer_livres, self.ctx.db)
        self.new_campaign()

    def new_campaign(self) -> None:
        from qualite_app.gui.certification.campagne import CampagneDialog

        refs = referentiels.lister(self.ctx.db)
        if not refs:
            self.start()
            return
        refs.sort(
            key=lambda r: (r.nom.startswith("EXEMPLE"), -r.criteres)
        )  # the real référentiel first, examples last
        dlg = CampagneDialog(refs, None, self)
        self.last_dialog = dlg
        if dlg.exec() != CampagneDialog.DialogCode.Accepted:
            return
        v = dlg.values()
        cid = run_write(
            self.ctx,
            self,
            campagnes.creer_campagne,
            self.ctx.db,
            v.pop("nom"),
            dlg.referentiel.currentData(),
            **v,
        )
        if cid is not None:
            self.reload()
            self.campagne.setCurrentIndex(self.campagne.findData(cid))

    def edit_campaign(self) -> None:
        from qualite_app.gui.certification.campagne import CampagneDialog

        cid = self.campagne_id()
        if cid is None:
            return
        dlg = CampagneDialog(referentiels.lister(self.ctx.db), campagnes.campagne(self.ctx.db, cid), self)
        opened = versions.edition(self.ctx.db, "certif_campagne", cid)  # the version opened (optimistic locking)
        self.last_dialog = dlg
        if dlg.exec() == CampagneDialog.DialogCode.Accepted:
            # someone saved the campaign meanwhile: reapply, or discard (the dialog is closed, the page redraws)
            run_write(self.ctx, self, campagnes.modifier_campagne, self.ctx.db, cid, **dlg.values(), **opened,
                      recharger=lambda: None)  # fmt: skip

    def import_referentiel(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Importer un référentiel"), "", self.tr("Référentiels (*.yaml *.yml)")
        )
        if path:
            res = run_write(self.ctx, self, referentiels.importer_fichier, self.ctx.db, Path(path))
            if res is not None:
                QMessageBox.information(self, self.tr("Référentiel"), res.message())

    def edit_thresholds(self) -> None:
        cid = self.campagne_id()
        if cid is None:
            return
        cur = campagnes.seuils(self.ctx.db, cid).as_dict()
        dlg = QDialog(self)
        dlg.setWindowTitle(self.tr("Seuils de décision (notre lecture, réglable)"))
        form = QFormLayout(dlg)
        spins: dict[str, QDoubleSpinBox] = {}
        for k, lab in rules.SEUILS_LIBELLES.items():
            sp = named(QDoubleSpinBox(), f"seuil_{k}")
            sp.setRange(0, 1 if k == "poids_partiel" else 100)
            sp.setDecimals(2 if k == "poids_partiel" else 0 if k == "max_imperatifs_sous_conditions" else 1)
            sp.setValue(float(cur[k]))
            form.addRow(self.tr(lab), sp)
            spins[k] = sp
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(dlg.accept)
        box.rejected.connect(dlg.reject)
        form.addRow(box)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            vals: dict[str, Any] = {
                k: (int(s.value()) if k == "max_imperatifs_sous_conditions" else s.value())
                for k, s in spins.items()
            }
            run_write(self.ctx, self, campagnes.regler_seuils, self.ctx.db, cid, rules.Seuils(**vals))

    def compare(self) -> None:
        cid = self.campagne_id()
        others = [
            c
            for c in self._rows
            if c.id != cid and c.referentiel_id == next(r.referentiel_id for r in self._rows if r.id == cid)
        ]
        if cid is None or not others:
            QMessageBox.information(
                self, self.tr("Comparer"), self.tr("Aucune autre campagne sur ce référentiel à comparer.")
            )
            return
        choice, ok = QInputDialog.getItem(
            self, self.tr("Comparer"), self.tr("Campagne précédente :"), [c.nom for c in others], 0, False
        )
        if not ok:
            return
        before = next(c for c in others if c.nom == choice)
        ecarts = scores.comparer(self.ctx.db, before.id, cid)
        dlg = QDialog(self)
        dlg.setWindowTitle(
            self.tr("Comparaison : %1 → %2")
            .replace("%1", before.nom)
            .replace("%2", self.campagne.currentText())
        )
        dlg.resize(760, 520)
        v = QVBoxLayout(dlg)
        t = named(QTableWidget(len(ecarts), 5), "comparaison")
        t.setHorizontalHeaderLabels(
            [
                self.tr("Critère"),
                self.tr("Intitulé"),
                self.tr("Avant"),
                self.tr("Après"),
                self.tr("Évolution"),
            ]
        )
        fmt = lambda x: "—" if x is None else f"{x:.0f} %"  # noqa: E731
        for i, e in enumerate(ecarts):
            for j, val in enumerate((e.ref, e.titre, fmt(e.avant), fmt(e.apres), e.sens)):
                t.setItem(i, j, QTableWidgetItem(val))
        t.resizeColumnsToContents()
        v.addWidget(t)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(dlg.reject)
        v.addWidget(box)
        dlg.exec()

    def _identity(self) -> tuple[str | None, str | None] | None:
        """The signing identity chosen (or none); None when the user cancelled."""
        return choisir_signature(self, self.ctx.db, self.tr("l'index"))

    def export_dossier(self) -> None:
        cid = self.campagne_id()
        if cid is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Exporter le dossier de certification"), "dossier-certification.zip",
                                              self.tr("Archive ZIP (*.zip)"))  # fmt: skip
        if not path:
            return
        sign = self._identity()
        if sign is None:
            return
        from qualite_app.certification import dossier

        db, out = self.ctx.db, Path(path)

        def work(progress):  # type: ignore[no-untyped-def]
            return dossier.exporter(db, cid, out, identity=sign[0], password=sign[1], progress=progress)

        def done(res: dossier.ExportResult) -> None:
            QMessageBox.information(self, self.tr("Dossier exporté"),
                                    self.tr("Dossier écrit : %1\n%2 preuve(s), index %3.").replace("%1", str(res.chemin))
                                    .replace("%2", str(res.fichiers)).replace("%3", res.reference))  # fmt: skip

        run_background(self.ctx, self, self.tr("Export du dossier de certification"), work, done)

    def verify_dossier(self) -> None:
        """A dossier received back (ZIP or unpacked folder): signature, hashes, every file named."""
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Vérifier un dossier de certification"), "",
                                              self.tr("Archive ZIP (*.zip)"))  # fmt: skip
        if not path:
            return
        from qualite_app.certification import verification

        db = self.ctx.db

        def work(_progress):  # type: ignore[no-untyped-def]
            return verification.verifier(Path(path), db)

        def done(res: verification.VerifResult) -> None:
            box = QMessageBox.information if res.ok else QMessageBox.warning
            box(self, self.tr("Vérification du dossier"), "\n".join(res.lignes()[:40]))

        run_background(self.ctx, self, self.tr("Vérification du dossier"), work, done)

    def readiness_report(self) -> None:
        cid = self.campagne_id()
        if cid is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Rapport de préparation"), "preparation-certification.pdf", "PDF (*.pdf)"
        )
        if not path:
            return
        sign = self._identity()
        if sign is None:
            return
        from qualite_app.certification import preparation

        db = self.ctx.db

        def work(_progress):  # type: ignore[no-untyped-def]
            row = preparation.emettre_preparation(db, cid, identity=sign[0], password=sign[1])
            Path(path).write_bytes(row.pdf)
            return row

        def done(row) -> None:  # type: ignore[no-untyped-def]
            QMessageBox.information(self, self.tr("Rapport émis"), f"{row.reference} → {path}")

        run_background(self.ctx, self, self.tr("Rapport de préparation"), work, done)
