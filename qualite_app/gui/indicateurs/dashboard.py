"""The Tableau de bord: saved dashboards, filters, period, and the grid of indicator cards."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from qualite_app.gui.context import AppContext
from qualite_app.gui.indicateurs.cartes import CARD_W, CarteWidget
from qualite_app.gui.operations import run_write
from qualite_app.gui.widgets.common import named
from qualite_app.indicateurs import services as svc
from qualite_app.rules import periodes

TOUS = "(tous)"


class DashboardView(QWidget):
    open_indicator = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.cards: list[CarteWidget] = []
        self._loading = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        bar = QHBoxLayout()
        self.tableau = named(QComboBox(), "tableau")
        self.tableau.setMinimumWidth(140)
        self.theme = named(QComboBox(), "filtre_theme")
        self.secteur = named(QComboBox(), "filtre_secteur")
        self.service = named(QComboBox(), "filtre_service")
        self.source = named(QComboBox(), "filtre_source")
        self.periode = named(QLineEdit(), "periode")
        self.periode.setPlaceholderText(self.tr("dernières données"))
        self.periode.setMaximumWidth(130)
        self.periode.setToolTip(self.tr("Afficher les résultats jusqu'à cette période (ex. 2025-06 ou T2 2025)"))
        for label, w in (
            (self.tr("Tableau"), self.tableau),
            (self.tr("Thème"), self.theme),
            (self.tr("Secteur"), self.secteur),
            (self.tr("Service"), self.service),
            (self.tr("Source"), self.source),
            (self.tr("Jusqu'à"), self.periode),
        ):
            lab = QLabel(label)
            lab.setBuddy(w)
            bar.addWidget(lab)
            bar.addWidget(w)
        bar.addStretch(1)
        outer.addLayout(bar)
        second = QHBoxLayout()
        self.summary = named(QLabel(), "resume")
        self.summary.setStyleSheet("color:#5B6573")
        second.addWidget(self.summary, 1)
        self.save_btn = named(QPushButton(self.tr("Enregistrer le tableau…")), "enregistrer_tableau")
        self.report_btn = named(QPushButton(self.tr("Rapport PDF…")), "rapport_pdf")
        self.delete_btn = named(QPushButton(self.tr("Supprimer le tableau")), "supprimer_tableau")
        self.delete_btn.setEnabled(False)
        for b in (self.save_btn, self.delete_btn, self.report_btn):
            second.addWidget(b)
        outer.addLayout(second)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.holder = QWidget()
        self.grid = QGridLayout(self.holder)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.grid.setSpacing(10)
        self.scroll_area.setWidget(self.holder)
        outer.addWidget(self.scroll_area, 1)
        self.empty = QLabel(
            self.tr("Aucun indicateur ne correspond à ces filtres. Suivez des indicateurs du catalogue national "
                    "ou créez les vôtres dans l'onglet « Indicateurs ».")  # fmt: skip
        )
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color:#5B6573; padding:40px")
        outer.addWidget(self.empty, 1)
        self.empty.hide()

        for combo in (self.theme, self.secteur, self.service, self.source):
            combo.currentIndexChanged.connect(self._filters_changed)
        self.tableau.currentIndexChanged.connect(self._tableau_changed)
        self.periode.editingFinished.connect(self.refresh)
        self.save_btn.clicked.connect(self.save_dashboard)
        self.delete_btn.clicked.connect(self.delete_dashboard)
        self._columns = 0
        self.reload()

    # --- data -------------------------------------------------------------------------------------
    def reload(self) -> None:
        self._loading = True
        try:
            choices = svc.filter_choices(self.ctx.db)
            for combo, key, labels in (
                (self.theme, "theme", None),
                (self.secteur, "secteur", svc.SECTEURS),
                (self.source, "source", svc.SOURCES),
            ):
                current = combo.currentData()
                combo.clear()
                combo.addItem(TOUS, None)
                for v in choices[key]:
                    combo.addItem(labels.get(v, v) if labels else v, v)
                combo.setCurrentIndex(max(0, combo.findData(current)))
            current = self.service.currentData()
            self.service.clear()
            self.service.addItem(self.tr("Établissement"), None)
            for i, nom in svc.services(self.ctx.db):
                self.service.addItem(nom, i)
            self.service.setCurrentIndex(max(0, self.service.findData(current)))
            current_t = self.tableau.currentText()
            self.tableau.clear()
            self.tableau.addItem(self.tr("(filtres libres)"), None)
            for t in svc.list_tableaux(self.ctx.db):
                self.tableau.addItem(t.nom, t)
            k = self.tableau.findText(current_t)
            self.tableau.setCurrentIndex(max(0, k))
        finally:
            self._loading = False
        self.refresh()

    def filtres(self) -> svc.Filtres:
        t = self.tableau.currentData()
        codes = t.filtres.codes if t is not None else ()
        return svc.Filtres(self.theme.currentData(), self.secteur.currentData(), self.source.currentData(), self.service.currentData(), codes)

    def jusqu_au(self) -> date | None:
        text = self.periode.text().strip()
        if not text:
            return None
        try:
            p = periodes.parse(text)
        except ValueError:
            self.summary.setText(self.tr("Période non reconnue : %1 (exemples : 2025-06, T2 2025, 2025)").replace("%1", text))
            return None
        nxt = p.suivante().debut
        return date.fromordinal(nxt.toordinal() - 1)

    def _tableau_changed(self) -> None:
        self.delete_btn.setEnabled(self.tableau.currentData() is not None)
        if self._loading:
            return
        t = self.tableau.currentData()
        self._loading = True
        try:
            f = t.filtres if t is not None else svc.Filtres()
            for combo, value in ((self.theme, f.theme), (self.secteur, f.secteur), (self.source, f.source), (self.service, f.service_id)):
                combo.setCurrentIndex(max(0, combo.findData(value)))
        finally:
            self._loading = False
        self.refresh()

    def _filters_changed(self) -> None:
        if not self._loading:
            self.refresh()

    def refresh(self) -> None:
        if self._loading:
            return
        cartes = svc.cartes(self.ctx.db, self.filtres(), jusqu_au=self.jusqu_au())
        for w in self.cards:
            self.grid.removeWidget(w)
            w.hide()  # gone now, not at the next turn of the event loop
            w.setParent(None)
            w.deleteLater()
        self.cards = []
        for c in cartes:
            w = CarteWidget(c, self.holder)
            w.clicked.connect(self.open_indicator.emit)
            self.cards.append(w)
        self._columns = 0
        self._layout_cards()
        for w in self.cards:
            w.show()
        counts: dict[str, int] = {}
        for c in cartes:
            counts[c.etat] = counts.get(c.etat, 0) + 1
        parts = [f"{n} {svc.ETATS[k].lower()}" for k, n in sorted(counts.items(), key=lambda kv: list(svc.ETATS).index(kv[0]))]
        specials = sum(1 for c in cartes if c.variation in ("amelioration", "degradation"))
        self.summary.setText(
            self.tr("Aucun indicateur.") if not cartes else
            self.tr("%1 indicateur(s) : ").replace("%1", str(len(cartes))) + ", ".join(parts)
            + (self.tr(" — %1 signal(s) de cause spéciale").replace("%1", str(specials)) if specials else "")
        )  # fmt: skip
        self.empty.setVisible(not cartes)
        self.scroll_area.setVisible(bool(cartes))

    def _layout_cards(self) -> None:
        cols = max(1, (self.scroll_area.viewport().width() - 10) // (CARD_W + 10))
        if cols == self._columns:
            return
        self._columns = cols
        for w in self.cards:
            self.grid.removeWidget(w)
        for k, w in enumerate(self.cards):
            self.grid.addWidget(w, k // cols, k % cols)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._layout_cards()

    def card(self, code: str) -> CarteWidget:
        return next(w for w in self.cards if w.carte.code == code)

    # --- actions ----------------------------------------------------------------------------------
    def save_dashboard(self) -> None:
        current = self.tableau.currentText() if self.tableau.currentData() is not None else ""
        nom, ok = QInputDialog.getText(self, self.tr("Enregistrer le tableau de bord"), self.tr("Nom (ex. CME, CDU, Hygiène) :"), text=current)
        if not ok:
            return
        # the version of the dashboard of that name as the list read it (0: none then): someone else's save meanwhile
        # is shown, then the user replaces it or abandons his (the list reloads)
        listed = [self.tableau.itemData(i) for i in range(1, self.tableau.count())]
        same = next((t for t in listed if t is not None and t.nom.lower() == nom.strip().lower()), None)
        lu = same.edition() if same is not None else {"version_ligne": 0, "charge_le": listed[0].charge_le if listed else None}
        if run_write(self.ctx, self, svc.save_tableau, self.ctx.db, nom, self.filtres(), **lu, recharger=self.reload) is not None:
            self.reload()
            self.tableau.setCurrentIndex(max(0, self.tableau.findText(nom.strip())))

    def delete_dashboard(self) -> None:
        t = self.tableau.currentData()
        if t is None:
            return
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(self, self.tr("Supprimer le tableau de bord"), self.tr("Supprimer le tableau de bord « %1 » ? Les indicateurs et leurs résultats ne sont pas touchés.").replace("%1", t.nom))
        if answer != QMessageBox.StandardButton.Yes:
            return
        run_write(self.ctx, self, svc.delete_tableau, self.ctx.db, t.id)
        self.tableau.setCurrentIndex(0)
        self.reload()
