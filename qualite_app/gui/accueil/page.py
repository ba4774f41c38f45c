"""Aujourd'hui: the first page — what needs attention today, ranked and grouped by severity, each line
opening its item, and the digest of the journal since the last visit.

The page paints its skeleton at once and fills itself once that first frame is painted (on the next
turn of the event loop), so that the window appears before any area's code is imported.

Its content is kept from one launch to the next (``accueil/memoire.py``): when the key read from the base
now is the one it was computed under, for today, the page shows it at once — even before the base is
opened (``apercu``) —, then computes again in idle time and redraws only what differs. Otherwise it says
« Chargement… » until computed: never stale content presented as current. After each fill, and after the
changes of the session, the next days' lines are computed ahead in idle time (``AVANCE_MS``), so that the
next morning's first launch finds its own."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date, timedelta
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qualite_app.gui.context import AppContext
from qualite_app.gui.pages import Page
from qualite_app.gui.widgets.common import named, page_title, tree_leaves
from qualite_app.settings import Settings

#: settings key: the date of the last visit, per base (``accueil.memoire.VISITE_KEY``)
VISITE_KEY = "accueil.derniere_visite"
#: settings key: the lines shown at the last visit (their keys), per base — what is new since
VUES_KEY = "accueil.vues"
COULEURS = {"retard": "#B71C1C", "proche": "#B26A00", "surveiller": "#455A64"}
DOMAINES = {
    "paqss": "PAQSS",
    "indicateurs": "Indicateurs",
    "certification": "Certification",
    "evenements": "Événements",
    "crise": "Crise",
}
ROLE_ALERTE = Qt.ItemDataRole.UserRole
DIGEST_STYLE = "QLabel { background:#EEF3F8; border-radius:4px; padding:6px 10px; }"



class AccueilPage(Page):
    listens_to = frozenset({"paqss", "indicateurs", "certification", "evenements", "crise", "journal_audit"})
    #: quiet time (ms) after a fill or a change before the next days' lines are computed ahead
    AVANCE_MS = 3000

    def __init__(
        self,
        ctx: AppContext | None,
        parent: QWidget | None = None,
        *,
        apercu: tuple[Settings, str, Any] | None = None,
    ) -> None:
        """``apercu`` (settings, the base's location, the kept content): the page before the base is open."""
        super().__init__(ctx, parent)
        if ctx is not None:
            self._prefs, self._lieu_apercu = ctx.settings, ""
        else:
            assert apercu is not None
            self._prefs, self._lieu_apercu, _garde = apercu
        self.alertes: list[Any] = []
        self.loaded = False
        #: when the page first painted its real content (``time.time()``; the smoke test's « filled »)
        self.rempli_a: float | None = None
        #: the content shown came from the kept one (``accueil/memoire.py``), not yet computed again
        self.de_memoire = False
        #: … computed at this launch before the base was open (``accueil/rapide.py``), not kept from an earlier one
        self.a_froid = False
        self._todo: list[Any] = []
        self._avance: list[tuple[date, Any]] = []
        #: the next days' computation waits while the page is hidden (the user is elsewhere: never a step
        #: of it in the way of a click), resumed when the page is shown again — or done at the close
        self._avance_differe = False
        self._reload_timer = QTimer(self)
        self._step_timer = QTimer(self)
        self._avance_timer = QTimer(self)
        self._avance_step_timer = QTimer(self)
        for timer, slot in (
            (self._reload_timer, self._fill),
            (self._step_timer, self._step),
            (self._avance_timer, self._preparer_avance),
            (self._avance_step_timer, self._avancer),
        ):
            timer.setSingleShot(True)
            timer.setInterval(0)
            timer.timeout.connect(slot)
        self._avance_timer.setInterval(self.AVANCE_MS)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 8, 12, 8)
        head = QHBoxLayout()
        from qualite_app.accueil import rules

        today = rules.aujourdhui()
        head.addWidget(
            page_title(
                self.tr("Aujourd'hui"),
                self.tr(
                    "Ce qui demande votre attention le %1 : échéances dépassées, échéances proches, points à surveiller. Cliquez sur une ligne pour ouvrir l'élément."
                ).replace("%1", f"{today:%d/%m/%Y}"),
            ),
            1,
        )
        self.btn_refresh = named(QPushButton(self.tr("Actualiser")), "actualiserAccueil")
        self.btn_refresh.clicked.connect(self.reload)
        head.addWidget(self.btn_refresh, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(head)
        self.digest = named(QLabel(self.tr("Depuis votre dernière visite : chargement…")), "resumeVisite")
        self.digest.setWordWrap(True)
        self.digest.setTextFormat(Qt.TextFormat.RichText)
        self.digest.setStyleSheet(DIGEST_STYLE)
        lay.addWidget(self.digest)
        self.count = named(QLabel(self.tr("Chargement…")), "compteAccueil")
        lay.addWidget(self.count)
        self.tree = named(QTreeWidget(), "listeAttention")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(
            [self.tr("Élément"), self.tr("Domaine"), self.tr("Détail"), self.tr("Échéance")]
        )
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tree.setColumnWidth(0, 420)
        self.tree.setColumnWidth(1, 110)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemActivated.connect(self._clicked)
        lay.addWidget(self.tree, 1)
        self.depuis = self._derniere_visite(today)
        vues = self._prefs.ui_state.get(VUES_KEY)
        previous = vues.get(self._label) if isinstance(vues, dict) else None
        self.vues: set[str] | None = set(previous) if isinstance(previous, list) else None
        self.nouvelles: set[str] = set()
        self._painted = False
        self._cle: Any = None
        if ctx is not None:  # the kept content, if it is exactly this base's of today
            from qualite_app.accueil import memoire

            _garde = memoire.retrouver(self.lieu, self._lire_cle(), today, self.depuis)
        if _garde is not None:
            self._montrer(today, *_garde)  # the preferences are saved there
        else:
            self._save_prefs()

    @classmethod
    def apercu(
        cls, settings: Settings, cible: str | Path | None, calculer: bool = False
    ) -> AccueilPage | None:
        """Before the base is open (``MainWindow.preview``): the page with the content kept at an earlier
        launch, when the key read from the base file now is the one it was computed under, for today and
        from the previous visit; else computed on the base file without SQLAlchemy (``accueil/rapide.py``,
        then kept as well); else None (the skeleton stays until the base is open and the page computed)."""
        from qualite_app.accueil import memoire, rules
        from qualite_app.settings import os_user

        lieu = memoire.emplacement(cible)
        if lieu is None:
            return None
        today = rules.aujourdhui()
        depuis = _visite_precedente(settings, lieu, today)
        cle = memoire.cle_fichier(lieu, os_user(), settings.display_name)
        garde = memoire.retrouver(lieu, cle, today, depuis)
        a_froid = garde is None and calculer
        if a_froid:  # nothing kept for today under the base's key: computed without the core
            from qualite_app.accueil import rapide

            garde = rapide.garder(lieu, os_user(), settings.display_name, today, depuis)
        if garde is None:
            return None
        page = cls(None, apercu=(settings, lieu, garde))
        page.a_froid = a_froid
        return page

    @property
    def lieu(self) -> str:
        """The base's location (where its kept content is: ``memoire.fichier``)."""
        return self.ctx.db.location if hasattr(self, "ctx") else self._lieu_apercu

    @property
    def _label(self) -> str:
        """The base's name in the preferences (last visit, lines seen); a SQLite file: its location."""
        return self.ctx.db.label if hasattr(self, "ctx") else self._lieu_apercu

    def bind(self, ctx: AppContext) -> None:
        """The base is open (a page shown before): its content is computed again, and redrawn if it differs."""
        super().bind(ctx)
        self._painted = True
        self.reload()

    def _lire_cle(self) -> Any:
        from qualite_app.accueil import memoire
        from qualite_app.settings import os_user

        return memoire.cle_base(self.ctx.db, os_user(), self._prefs.display_name)

    def _montrer(self, today: date, alertes: list[Any], resume: Any) -> None:
        """The kept content, current: shown as computed content would be (« Nouveau » from the last visit)."""
        self._today = today
        self.alertes = alertes
        self._fill_tree()
        self.digest.setText(self._digest_html(resume))
        self._remember_shown()
        self._affichee = True
        self.de_memoire = True
        self.loaded = True

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """Paint first, then load: the first paint of the skeleton asks for the content, on the next turn
        of the event loop (the window's first frame never waits for the areas' code or queries)."""
        super().paintEvent(event)
        if self.loaded and self.rempli_a is None:
            import time

            self.rempli_a = time.time()
        if not self._painted and hasattr(self, "ctx"):
            self._painted = True
            self.reload()

    # --- the last visit ------------------------------------------------------------------
    def _derniere_visite(self, today: date) -> date:
        """The date of the previous visit to this base (a week ago the first time); today is remembered
        (saved by the caller)."""
        previous = _visite_precedente(self._prefs, self._label, today)
        visits = self._prefs.ui_state.get(VISITE_KEY)
        visits = dict(visits) if isinstance(visits, dict) else {}
        visits[self._label] = today.isoformat()
        self._prefs.ui_state[VISITE_KEY] = visits
        return previous

    def _save_prefs(self) -> None:
        with contextlib.suppress(OSError):  # a read-only profile: the digest starts from a week ago next time
            self._prefs.save()

    def _moi(self) -> int | None:
        """The person of the directory whose name is the user's display name (Préférences), if any."""
        from qualite_app.accueil import services as accueil

        return accueil.moi(self.ctx.db, self._prefs.display_name)

    # --- filling -------------------------------------------------------------------------
    def reload(self) -> None:
        self._reload_timer.start()  # several tables of one transaction: one refill

    def _on_changed(self, areas: set[str]) -> None:
        super()._on_changed(areas)
        if areas & self.listens_to or "*" in areas:  # the lines kept ahead no longer hold: again, later
            self._avance = []
            self._avance_timer.start()

    def _fill(self) -> None:
        """One area per turn of the event loop, the most urgent first (EIGS, PAQSS…): the first lines
        show while the other areas are still being asked, and the window stays responsive. The timers
        are the page's children: the window stops them when it closes (the base is closed next)."""
        from qualite_app.accueil import rules

        self._avance = []
        self._todo = self._sources()
        self._found: list[Any] = []
        # the key before reading: a change meanwhile leaves the kept content under an older key (never used)
        self._cle = self._lire_cle()
        self._today, self._moi_id = rules.aujourdhui(), self._moi()
        # the first display shows each area's lines as they come; a refill keeps the lines shown until
        # every area has answered, then redraws once (five redraws of the list cost more than the asking)
        self._progressif = not getattr(self, "_affichee", False)
        self._step()

    @staticmethod
    def _sources() -> list[Any]:
        from qualite_app.accueil import rules
        from qualite_app.accueil import services as accueil

        order = {d: i for i, d in enumerate(rules.PRIORITE_DOMAINES)}
        return [src for _k, src in sorted(accueil.SOURCES.items(), key=lambda kv: order.get(kv[0], 99))]

    def _step(self) -> None:
        from qualite_app.accueil import memoire, rules

        if self._todo:
            new = self._todo.pop(0)(self.ctx.db, self._today, self._moi_id)
            premier = not self._found
            self._found += new
            # the list is redrawn when an area adds lines (on a refill: once, when every area has answered,
            # and only if they differ from the lines shown: the kept content confirmed is not redrawn)
            if (new or premier) if self._progressif else not self._todo:
                alertes = rules.classer(self._found)
                if self._progressif or alertes != self.alertes:
                    self.alertes = alertes
                    self._fill_tree()
            if self._progressif:
                loading = " " + self.tr("Suite en cours de chargement…")
                text = self.count.text().removesuffix(loading)
                self.count.setText(text + loading if self._todo else text)
            self._step_timer.start()
            return
        resume = self._resume(self.depuis)
        self.digest.setText(self._digest_html(resume))
        self._remember_shown()
        # kept for the next launch: today's lines, and the digest from today (the next launch's « last
        # visit » is today) as well as from this one's
        resumes = {self.depuis: resume}
        if self._today != self.depuis:
            resumes[self._today] = self._resume(self._today)
        memoire.garder(self.lieu, self._cle, {self._today: self.alertes}, resumes, self._today)
        self._affichee = True
        self.de_memoire = False
        self.loaded = True
        self._avance_timer.start()

    def _resume(self, depuis: date) -> Any:
        """The digest from ``depuis``; on the team's server, what the colleagues did (one's own changes are known)."""
        from qualite_app.accueil import services as accueil
        from qualite_app.settings import os_user

        equipe = self.ctx.db.path is None
        return accueil.depuis_derniere_visite(self.ctx.db, depuis, sauf_auteur=os_user() if equipe else None)

    # --- the next days, computed ahead ----------------------------------------------------
    def _preparer_avance(self) -> None:
        """After a quiet while: the lines of the next days (and today's, if a change made them stale) not
        yet kept under the base's current key, one area per turn of the event loop."""
        from qualite_app.accueil import memoire, rules

        if not hasattr(self, "ctx") or self._reload_timer.isActive() or self._todo:
            return
        if not self.isVisible():
            self._avance_differe = True
            return
        today = rules.aujourdhui()
        self._avance_cle = self._lire_cle()
        gardes = memoire.jours_gardes(self.lieu, self._avance_cle)
        jours = [
            d for k in range(memoire.JOURS_D_AVANCE + 1) if (d := today + timedelta(days=k)) not in gardes
        ]
        self._avance = [(d, src) for d in jours for src in self._sources()]
        self._avance_found: dict[date, list[Any]] = {d: [] for d in jours}
        self._avance_moi = self._moi()
        self._avance_step_timer.start()

    def _avancer(self) -> None:
        from qualite_app.accueil import memoire, rules

        if not self._avance:
            return
        if not self.isVisible():
            self._avance_differe = True
            return
        day, source = self._avance.pop(0)
        self._avance_found[day] += source(self.ctx.db, day, self._avance_moi)
        if self._avance:
            self._avance_step_timer.start()
            return
        today = rules.aujourdhui()
        if self._lire_cle() != self._avance_cle or min(self._avance_found, default=today) < today:
            return  # written meanwhile, or past midnight: computed again after the next change or fill
        jours = {d: rules.classer(found) for d, found in self._avance_found.items()}
        memoire.garder(self.lieu, self._avance_cle, jours, {today: self._resume(today)}, today)

    def garder_avant_fermeture(self) -> None:
        """The window closes: the lines kept for the next launch if a change made them stale (``fermeture``)."""
        from qualite_app.gui.accueil.fermeture import garder_avant_fermeture

        garder_avant_fermeture(self)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._avance_differe:
            self._avance_differe = False
            (self._avance_step_timer if self._avance else self._avance_timer).start()

    def _remember_shown(self) -> None:
        """The lines shown now: next visit, those not among them are marked « Nouveau »."""
        from qualite_app.accueil import rules

        vues = self._prefs.ui_state.get(VUES_KEY)
        vues = dict(vues) if isinstance(vues, dict) else {}
        vues[self._label] = sorted(rules.cle(a) for a in self.alertes)
        self._prefs.ui_state[VUES_KEY] = vues
        self._save_prefs()

    def _fill_tree(self) -> None:
        from qualite_app.accueil import rules

        self.tree.clear()
        self.nouvelles = rules.nouvelles(self.alertes, self.vues)
        bold = QFont(self.tree.font())
        bold.setBold(True)
        groups: dict[str, QTreeWidgetItem] = {}
        for a in self.alertes:
            g = a.gravite
            if g not in groups:
                head = QTreeWidgetItem([rules.GRAVITES.get(g, g)])
                head.setFont(0, bold)
                head.setForeground(0, QBrush(QColor(COULEURS.get(g, "#333333"))))
                head.setFlags(Qt.ItemFlag.ItemIsEnabled)
                head.setFirstColumnSpanned(True)
                self.tree.addTopLevelItem(head)
                head.setFirstColumnSpanned(True)
                head.setExpanded(True)
                groups[g] = head
            item = QTreeWidgetItem(
                [
                    a.titre,
                    DOMAINES.get(a.domaine, a.domaine),
                    a.detail,
                    f"{a.echeance:%d/%m/%Y}" if a.echeance else "—",
                ]
            )
            item.setData(0, ROLE_ALERTE, a)
            item.setToolTip(0, a.titre)
            item.setToolTip(2, a.detail)
            if a.moi:
                item.setFont(0, bold)
            if rules.cle(a) in self.nouvelles:
                item.setText(2, self.tr("Nouveau") + " · " + item.text(2))
                item.setForeground(2, QBrush(QColor("#1F3A5F")))
                item.setFont(2, bold)
            item.setForeground(3, QBrush(QColor(COULEURS.get(g, "#333333"))))
            groups[g].addChild(item)
        self.tree.setRootIsDecorated(False)
        self.tree.expandAll()
        for g, head in groups.items():
            head.setText(0, f"{rules.GRAVITES.get(g, g)} ({head.childCount()})")
        n = len(self.alertes)
        if n == 0:
            self.count.setText(self.tr("Rien ne demande votre attention aujourd'hui."))
        else:
            late = sum(1 for a in self.alertes if a.gravite == rules.RETARD)
            text = (
                self.tr("%1 point(s) à traiter, dont %2 en retard.")
                .replace("%1", str(n))
                .replace("%2", str(late))
            )
            if self.nouvelles:
                text += " " + self.tr("%1 nouveau(x) depuis votre dernière visite.").replace(
                    "%1", str(len(self.nouvelles))
                )
            self.count.setText(text)

    def _digest_html(self, r: Any) -> str:
        depuis = self.depuis
        total = r.total
        if not total:
            return escape(
                self.tr("Depuis votre dernière visite (le %1) : aucune modification.").replace(
                    "%1", f"{depuis:%d/%m/%Y}"
                )
            )
        types = ", ".join(f"{escape(t)} ({n})" for t, n in r.par_type[:5])
        qui = ", ".join(f"{escape(u)} ({n})" for u, n in r.par_auteur[:4])
        return (
            f"<b>{escape(self.tr('Depuis votre dernière visite'))}</b> ({depuis:%d/%m/%Y}) : "
            f"{'' if r.complet else escape(self.tr('au moins')) + ' '}{total} {escape(self.tr('modification(s)'))} — {types}<br>"
            f"<span style='color:#5B6573'>{escape(self.tr('Par'))} {qui}</span>"
        )

    # --- opening -------------------------------------------------------------------------
    def alerte_rows(self) -> list[QTreeWidgetItem]:
        """The lines shown (not the severity headings), top to bottom."""
        return tree_leaves(self.tree)

    def _clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        a = item.data(0, ROLE_ALERTE)
        if a is None:
            return
        window = self.window()
        if hasattr(window, "open_item"):
            window.open_item(a.domaine, a.item_type, a.item_id)

    # --- screenshots (tools/screenshots.py) ---------------------------------------------
    def screenshot_states(self) -> list[tuple[str, Callable[[], QWidget | None]]]:
        """The page once every area has answered, and the search popup over it, for tools/screenshots.py."""

        def search() -> QWidget | None:
            window = self.window()
            return window.open_search("douleur") if hasattr(window, "open_search") else None

        def complete() -> QWidget | None:
            from PySide6.QtWidgets import QApplication

            while not self.loaded:  # every area asked, the digest written
                QApplication.processEvents()
            return None

        return [("complet", complete), ("recherche", search)]


def _visite_precedente(settings: Settings, label: str, today: date) -> date:
    from qualite_app.accueil import memoire

    return memoire.visite_precedente(settings.ui_state, label, today)
