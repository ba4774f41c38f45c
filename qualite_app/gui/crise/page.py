"""The « Crise » area: the plan in force and its checks (roles, deputies, review, exercise), its tree, the
fiches réflexes editor, the crisis directory, the main courante and the exercises; printing the binder and
the pocket cards off the UI thread."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qualite_app.crise import donnees as v
from qualite_app.crise import impression as impr
from qualite_app.crise import modeles
from qualite_app.crise import services as crise
from qualite_app.gui.context import AppContext
from qualite_app.gui.crise import impression, proprietes
from qualite_app.gui.crise.annuaire_tab import AnnuaireTab, ExercicesTab
from qualite_app.gui.crise.fiches_tab import FichesTab
from qualite_app.gui.crise.main_courante import MainCouranteTab
from qualite_app.gui.crise.plan_tab import PlanTab
from qualite_app.gui.crise.ressources_tab import RessourcesTab
from qualite_app.gui.operations import run_write
from qualite_app.gui.pages import Page
from qualite_app.gui.widgets.common import empty_state, named, page_title

if TYPE_CHECKING:
    from qualite_app.socle.base import Database

#: what the main courante writes: a commit touching only these redraws the log, not the whole plan
LOG_TABLES = frozenset({"crise", "crise_entree", "crise_coche", "crise_activation", "journal_audit", "socle"})


class CrisePage(Page):
    listens_to = frozenset({"crise", "etablissement", "paqss"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.plan: v.PlanV | None = None
        self._names: set[str] = set()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.addWidget(
            page_title(
                self.tr("Plans de crise"),
                self.tr("PGTHSSE, fiches réflexes, annuaire de crise, main courante, exercices"),
            )
        )
        top = QHBoxLayout()
        self.plan_combo = named(QComboBox(), "plan")
        self.plan_combo.setMinimumWidth(320)
        self.btn_new = named(QPushButton(self.tr("Nouveau plan depuis un modèle…")), "nouveau_plan")
        self.btn_print = named(QPushButton(self.tr("Imprimer le classeur…")), "imprimer_classeur")
        self.btn_pdf = named(QPushButton(self.tr("Enregistrer en PDF…")), "classeur_pdf")
        self.btn_cards = named(QPushButton(self.tr("Cartes réflexes en PDF…")), "cartes_pdf")
        self.btn_emettre = named(QPushButton(self.tr("Émettre et signer…")), "emettre")
        self.recto_verso = named(QComboBox(), "recto_verso")
        self.recto_verso.addItem(self.tr("Recto seul"), False)
        self.recto_verso.addItem(self.tr("Recto-verso"), True)
        self.btn_props = named(QPushButton(self.tr("Propriétés…")), "proprietes")
        self.btn_version = named(QPushButton(self.tr("Nouvelle version…")), "nouvelle_version")
        self.btn_vigueur = named(QPushButton(self.tr("Mettre en vigueur")), "mettre_en_vigueur")
        top.addWidget(QLabel(self.tr("Plan :")))
        top.addWidget(self.plan_combo)
        for w in (self.btn_props, self.btn_version, self.btn_vigueur, self.btn_new):
            top.addWidget(w)
        top.addStretch(1)
        lay.addLayout(top)
        printing = QHBoxLayout()
        printing.addWidget(QLabel(self.tr("Classeur :")))
        for widget in (self.recto_verso, self.btn_print, self.btn_pdf, self.btn_cards, self.btn_emettre):
            printing.addWidget(widget)
        printing.addStretch(1)
        lay.addLayout(printing)
        self.alertes = named(QLabel(), "alertes")
        self.alertes.setWordWrap(True)
        lay.addWidget(self.alertes)
        self.empty = empty_state(
            self.tr(
                "Aucun plan de crise : créez-en un depuis le modèle PGTHSSE ou les codes de couleur du Québec."
            )
        )
        lay.addWidget(self.empty)
        self.tabs = named(QTabWidget(), "onglets")
        #: the tabs are built and filled the first time they are shown or asked for (``plan_tab``…): a
        #: placeholder holds their place until then; a tab built but hidden is refilled when next shown
        self._tabs: dict[str, QWidget] = {}
        self._stale_tabs: set[str] = set()
        for key, label in (
            ("plan", self.tr("Plan et cellule de crise")),
            ("fiches", self.tr("Fiches réflexes")),
            ("annuaire", self.tr("Annuaire de crise")),
            ("ressources", self.tr("Ressources et messages")),
            ("main_courante", self.tr("Main courante")),
            ("exercices", self.tr("Exercices et RETEX")),
        ):
            holder = QWidget()
            holder.setProperty("onglet", key)
            self.tabs.addTab(holder, label)
        self.tabs.currentChanged.connect(self._tab_shown)
        lay.addWidget(self.tabs, 1)
        self.plan_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.btn_new.clicked.connect(self.new_plan)
        self.btn_props.clicked.connect(lambda: self._after(proprietes.editer_plan))
        self.btn_version.clicked.connect(lambda: self._after(proprietes.nouvelle_revision))
        self.btn_vigueur.clicked.connect(self.put_in_force)
        self.btn_print.clicked.connect(self.print_binder)
        self.btn_pdf.clicked.connect(self.save_binder)
        self.btn_cards.clicked.connect(self.save_cards)
        self.btn_emettre.clicked.connect(self.issue)
        self.fill_plans()

    # --- data -----------------------------------------------------------------------------------
    def _on_changed(self, areas: set[str]) -> None:
        self._names = set(areas)
        super()._on_changed(areas)

    @classmethod
    def prechauffer(cls, db: Database) -> None:
        plans = crise.plans(db)
        if plans:
            crise.contenu(db, plans[0].id)
            crise.alertes(db, plans[0].id, today=date.today())

    def fill_plans(self) -> None:
        keep = self.plan_combo.currentData()
        self.plan_combo.blockSignals(True)
        self.plan_combo.clear()
        for p in crise.plans(self.ctx.db):
            self.plan_combo.addItem(
                f"{p.nom} (v{p.version})" + (self.tr(" — en vigueur") if p.en_vigueur else ""), p.id
            )
        i = self.plan_combo.findData(keep)
        self.plan_combo.setCurrentIndex(i if i >= 0 else 0)
        self.plan_combo.blockSignals(False)
        self.reload()

    def open_item(self, item_type: str, item_id: int) -> None:
        """From « Aujourd'hui » or the search: a plan shown (its cell), a fiche réflexe of the plan shown."""
        if item_type == "plan" and (i := self.plan_combo.findData(item_id)) >= 0:
            self.plan_combo.setCurrentIndex(i)
            self.tabs.setCurrentWidget(self.plan_tab)
        elif item_type == "fiche":
            self.tabs.setCurrentWidget(self.fiches_tab)
            liste = self.fiches_tab.liste

            def listed() -> bool:
                return any(
                    liste.item(k).data(Qt.ItemDataRole.UserRole) == item_id for k in range(liste.count())
                )

            for i in range(self.plan_combo.count()):  # the plan that holds it (a handful of plans)
                if listed():
                    break
                self.plan_combo.setCurrentIndex(i)
            if listed():
                self.fiches_tab.load(item_id)

    def plan_id(self) -> int | None:
        return self.plan_combo.currentData()

    # --- the tabs, built on first display -------------------------------------------------------
    _KEYS = ("plan", "fiches", "annuaire", "ressources", "main_courante", "exercices")

    def _build(self, key: str) -> QWidget:
        ctx = self.ctx
        if key == "plan":
            return PlanTab(ctx)
        if key == "fiches":
            return FichesTab(ctx)
        if key == "annuaire":
            return AnnuaireTab(ctx)
        if key == "ressources":
            return RessourcesTab(ctx)
        if key == "main_courante":
            return MainCouranteTab(ctx, self.save_log)
        return ExercicesTab(ctx)

    def _tab(self, key: str) -> QWidget:
        """The tab ``key``, built (in place of its placeholder) and filled with the plan shown if needed."""
        tab = self._tabs.get(key)
        if tab is None:
            tab = self._tabs[key] = self._build(key)
            i = self._KEYS.index(key)
            holder, label, current = self.tabs.widget(i), self.tabs.tabText(i), self.tabs.currentIndex()
            self.tabs.blockSignals(True)
            self.tabs.removeTab(i)
            self.tabs.insertTab(i, tab, label)
            self.tabs.setCurrentIndex(current)
            self.tabs.blockSignals(False)
            if holder is not None:
                holder.deleteLater()
            self._fill_tab(key, tab)
        elif key in self._stale_tabs:
            self._fill_tab(key, tab)
        return tab

    def _fill_tab(self, key: str, tab: QWidget) -> None:
        self._stale_tabs.discard(key)
        if isinstance(tab, ExercicesTab):
            tab.scenarios = [(f"{x.nom} ({x.code})", x.id) for x in self.plan.scenarios] if self.plan else []
            tab.set_plan(self.plan.id if self.plan else None)
        else:
            tab.set_plan(self.plan)  # type: ignore[attr-defined]

    def _fill_stale(self) -> None:
        """One stale tab refilled per turn of the event loop."""
        for key in self._KEYS:
            if key in self._stale_tabs:
                self._tab(key)
                if self._stale_tabs:
                    QTimer.singleShot(0, self, self._fill_stale)
                return

    def _tab_shown(self, index: int) -> None:
        if 0 <= index < len(self._KEYS):
            self._tab(self._KEYS[index])

    @property
    def plan_tab(self) -> PlanTab:
        return self._tab("plan")  # type: ignore[return-value]

    @property
    def fiches_tab(self) -> FichesTab:
        return self._tab("fiches")  # type: ignore[return-value]

    @property
    def annuaire_tab(self) -> AnnuaireTab:
        return self._tab("annuaire")  # type: ignore[return-value]

    @property
    def res_tab(self) -> RessourcesTab:
        return self._tab("ressources")  # type: ignore[return-value]

    @property
    def mc_tab(self) -> MainCouranteTab:
        return self._tab("main_courante")  # type: ignore[return-value]

    @property
    def ex_tab(self) -> ExercicesTab:
        return self._tab("exercices")  # type: ignore[return-value]

    def reload(self) -> None:
        names, self._names = self._names, set()
        if names and names <= LOG_TABLES and self.plan is not None:
            if (mc := self._tabs.get("main_courante")) is not None:
                mc.refresh()  # type: ignore[attr-defined]  # an entry, a tick: only the log moves (fast entry)
            return
        if names and "crise_plan" in names and self.plan_combo.count() != len(crise.plans(self.ctx.db)):
            self.fill_plans()
            return
        pid = self.plan_id()
        self.plan = crise.contenu(self.ctx.db, pid) if pid is not None else None
        has = self.plan is not None
        self.empty.setVisible(not has)
        self.tabs.setVisible(has)
        for b in (
            self.btn_print,
            self.btn_pdf,
            self.btn_cards,
            self.recto_verso,
            self.btn_props,
            self.btn_version,
            self.btn_vigueur,
        ):
            b.setEnabled(has)
        self.btn_vigueur.setEnabled(has and self.plan is not None and not self.plan.en_vigueur)
        # the tab shown is filled now, the other tabs already built on the next turns of the event loop
        # (or when asked for, if sooner), those never shown when they are first shown
        self._stale_tabs = set(self._tabs)
        self._tab_shown(self.tabs.currentIndex())
        if self._stale_tabs:
            QTimer.singleShot(0, self, self._fill_stale)
        self.show_alerts()

    def show_alerts(self) -> None:
        pid = self.plan_id()
        if pid is None:
            self.alertes.setText("")
            return
        alerts = crise.alertes(self.ctx.db, pid, today=date.today())
        if not alerts:
            self.alertes.setText(
                self.tr(
                    "✓ Plan complet : chaque rôle a un titulaire et un suppléant actifs ; révision et exercice à jour."
                )
            )
            self.alertes.setStyleSheet("color:#2E7D32")
            return
        lines = [f"{'✗' if a.gravite == 'erreur' else '!'} {a.sujet} : {a.message}" for a in alerts[:6]]
        more = len(alerts) - 6
        if more > 0:
            lines.append(self.tr("… et %1 autre(s) point(s)").replace("%1", str(more)))
        self.alertes.setText("\n".join(lines))
        self.alertes.setStyleSheet("color:#C62828" if alerts[0].gravite == "erreur" else "color:#E46C0A")

    # --- commands -------------------------------------------------------------------------------
    def issue(self) -> None:
        from qualite_app.gui.crise.emission import EmissionDialog

        pid = self.plan_id()
        if pid is not None:
            self.emission = EmissionDialog(self.ctx, pid, self)
            self.emission.open()

    def put_in_force(self) -> None:
        pid = self.plan_id()
        if (
            pid is not None
            and run_write(self.ctx, self, crise.mettre_en_vigueur, self.ctx.db, pid) is not None
        ):
            self.fill_plans()

    def _after(self, edit) -> None:  # type: ignore[no-untyped-def]
        """Open one of the plan's dialogs; the combo's labels (name, version) follow."""
        pid = self.plan_id()
        if pid is not None and edit(self.ctx, self, pid):
            self.fill_plans()

    def new_plan(self) -> None:
        choices = {m.nom: k for k, m in modeles.modeles().items()}
        label, ok = QInputDialog.getItem(
            self, self.tr("Nouveau plan"), self.tr("Modèle :"), list(choices), 0, False
        )
        if not ok:
            return
        nom, ok = QInputDialog.getText(
            self, self.tr("Nouveau plan"), self.tr("Nom du plan :"), text=label.split(" — ")[0]
        )
        if not ok:
            return
        pid = run_write(self.ctx, self, crise.nouveau_plan_depuis_modele, self.ctx.db, choices[label], nom)
        if pid is not None:
            self.fill_plans()
            self.plan_combo.setCurrentIndex(self.plan_combo.findData(pid))

    def _binder_data(self):  # type: ignore[no-untyped-def]
        pid, rv, db = self.plan_id(), bool(self.recto_verso.currentData()), self.ctx.db
        assert pid is not None
        return lambda: impr.donnees_classeur(db, pid, recto_verso=rv)

    def print_binder(self) -> None:
        if self.plan is not None:
            impression.imprimer(
                self.ctx, self, "classeur", self._binder_data(), f"Classeur de crise — {self.plan.nom}"
            )

    def save_binder(self) -> None:
        if self.plan is not None:
            impression.enregistrer(
                self.ctx, self, "classeur", self._binder_data(), f"classeur-crise-v{self.plan.version}.pdf"
            )

    def save_cards(self) -> None:
        pid, db = self.plan_id(), self.ctx.db
        if pid is not None:
            impression.enregistrer(
                self.ctx, self, "cartes", lambda: impr.donnees_cartes(db, pid), "cartes-reflexes.pdf"
            )

    def save_log(self, activation_id: int) -> None:
        db = self.ctx.db
        impression.enregistrer(
            self.ctx, self, "journal", lambda: impr.donnees_journal(db, activation_id), "main-courante.pdf"
        )

    # --- screenshots (tools/screenshots.py) ---------------------------------------------
    def screenshot_states(self):  # type: ignore[no-untyped-def]
        """Each tab of the page, for tools/screenshots.py."""
        for name, tab in (("fiches-reflexes", self.fiches_tab), ("annuaire", self.annuaire_tab), ("ressources", self.res_tab),
                          ("main-courante", self.mc_tab), ("exercices", self.ex_tab)):  # fmt: skip

            def show(tab: QWidget = tab) -> None:
                self.tabs.setCurrentWidget(tab)

            yield name, show
