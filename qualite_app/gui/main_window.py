"""The main window: establishment banner, navigation sidebar, pages, Fichier and Aide menus."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from qualite_app import APP_NAME, __version__, paths
from qualite_app.errors import UserError
from qualite_app.gui import apercu
from qualite_app.gui.app import open_database
from qualite_app.gui.context import AppContext, ChangeBus
from qualite_app.gui.pages import PAGES, Page
from qualite_app.gui.prechauffage import Prechauffage
from qualite_app.gui.widgets.common import named, page_title
from qualite_app.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Callable

    from qualite_app.gui.accueil.recherche import SearchPopup
    from qualite_app.socle.base import Database

DB_FILTER = "Bases Qualité & Risques (*.sqlite *.db);;Tous les fichiers (*)"


class MainWindow(QMainWindow):
    """Built in two steps so that the first frame never waits for the core: the skeleton (header, menus,
    sidebar, status bar, the first page's title) with ``db=None``, then ``attach(db)`` — at once when a
    base is given, else once the skeleton has painted (``gui.app.run_gui``)."""

    ctx: AppContext  # from ``attach``
    bus: ChangeBus

    def __init__(self, db: Database | None, settings: Settings | None = None) -> None:
        super().__init__()
        self.settings = settings or Settings.load()
        self._pages: dict[str, Page] = {}
        self._first_paint: list[Callable[[], None]] = []
        # once the first page is filled: the other areas' code, their first reads, matplotlib (idle time)
        self._prechauffage = Prechauffage(
            self,
            lambda: (first := self._pages.get(PAGES[0].key)) is not None and not getattr(first, "loaded", True),
            lambda: set(self._pages),
            lambda: self.ctx.db if getattr(self, "ctx", None) is not None else None,
        )
        self.setWindowTitle(APP_NAME)
        self.resize(1280, 800)
        self.setMinimumSize(QSize(960, 600))

        central = named(QWidget(), "central")
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        # The skeleton touches neither the ``Qt`` namespace nor the dialogs' classes: PySide6 builds
        # them on first use (a tenth of a second for ``Qt``), after the first frame. A QFrame paints its
        # style sheet's background by itself.
        header = named(QFrame(), "header")
        top = QHBoxLayout(header)
        top.setContentsMargins(0, 0, 12, 0)
        self.banner = named(QLabel(), "banner")
        top.addWidget(self.banner, 1)
        self.search_field = named(QLineEdit(), "rechercheGlobale")
        self.search_field.setPlaceholderText(self.tr("Rechercher… (Ctrl+K)"))
        self.search_field.setFixedWidth(260)
        top.addWidget(self.search_field)
        outer.addWidget(header)
        self.search_popup: SearchPopup | None = None
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        self.nav = named(QListWidget(), "navigation")
        self.nav.setFixedWidth(200)
        self.nav.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)
        for spec in PAGES:
            item = QListWidgetItem(spec.label)
            icon = paths.icons_dir() / f"{spec.icon}.svg"
            if spec.icon and icon.exists():
                # light strokes on the navy sidebar, the navy original on the light selected row
                light = icon.with_name(f"{spec.icon}-clair.svg")
                qicon = QIcon(str(light if light.exists() else icon))
                qicon.addFile(str(icon), QSize(), QIcon.Mode.Selected)
                item.setIcon(qicon)
            self.nav.addItem(item)
            holder = QWidget()
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self.stack.addWidget(holder)
        # the first page's title while the base opens (replaced by the page, same place, same title)
        self._placeholder: QWidget | None = page_title(PAGES[0].label, self.tr("Chargement…"))
        placeholder_holder = self.stack.widget(0)
        assert placeholder_holder is not None and placeholder_holder.layout() is not None
        placeholder_holder.setContentsMargins(12, 8, 12, 8)
        placeholder_holder.layout().addWidget(self._placeholder)  # type: ignore[union-attr]
        placeholder_holder.layout().addStretch(1)  # type: ignore[union-attr]
        self.nav.setCurrentRow(0)

        self.db_status = QLabel()
        self.statusBar().addPermanentWidget(self.db_status)
        self._build_menus()
        # the establishment's line once the base is open: same height meanwhile (nothing moves)
        self.banner.setText(f"<span style='font-size:14pt; font-weight:600'>{APP_NAME}</span>")
        if db is not None:
            self.attach(db)

    def attach(self, db: Database) -> None:
        """The base is open: the context, the banner and the first page (the skeleton is already shown)."""
        from PySide6.QtCore import Qt

        self.bus = ChangeBus(self)
        self.ctx = AppContext(db, self.bus, self.settings)
        self._remember(db)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setTextElideMode(Qt.TextElideMode.ElideRight)
        for row, spec in enumerate(PAGES):
            nav_item = self.nav.item(row)
            assert nav_item is not None
            nav_item.setData(Qt.ItemDataRole.UserRole, spec.key)
        self.act_search.setShortcut(QKeySequence("Ctrl+K"))
        self.act_search.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.bus.changed.connect(self._on_changed)
        self._refresh_identity()
        self.search_field.textEdited.connect(self.open_search)
        self.addAction(self.act_search)
        self._drop_placeholder()
        for page in list(self._pages.values()):  # shown before the base was open (``preview``): its base?
            page.bind(self.ctx) if getattr(page, "lieu", None) == db.location else self.drop_preview()
        self.nav.currentRowChanged.connect(self._show_row)
        self._show_row(self.nav.currentRow())
        self._prechauffage.start()
        if db.alerts:  # after the window is shown: the journal's protection was rebuilt at opening…
            QTimer.singleShot(0, self._show_alerts)

    def _drop_placeholder(self) -> None:
        """The first page's title and the stretch below it go: the page takes the whole place."""
        holder = self.stack.widget(0)
        if self._placeholder is not None and holder is not None and (layout := holder.layout()) is not None:
            holder.setContentsMargins(0, 0, 0, 0)
            while layout.count():
                layout.takeAt(0)
            self._placeholder.hide()
            self._placeholder.deleteLater()
            self._placeholder = None

    def preview(self, target: str | Path | None, calculer: bool = False) -> bool:
        """Before the base is open: the first page's kept content, if exactly current (``gui/apercu.py``)."""
        return apercu.montrer(self, target, calculer)

    def drop_preview(self) -> None:
        apercu.retirer(self)

    @property
    def warmed(self) -> bool:
        """Every area's page code is imported, its first reads run, and matplotlib ready (``Prechauffage``)."""
        return self._prechauffage.done

    def after_first_paint(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` on the turn of the event loop that follows the window's first frame."""
        self._first_paint.append(callback)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self._first_paint:
            todo, self._first_paint = self._first_paint, []
            for callback in todo:
                QTimer.singleShot(0, callback)

    def _show_alerts(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        for alert in self.ctx.db.alerts:
            QMessageBox.warning(self, self.tr("Attention"), alert)
        self.ctx.db.alerts.clear()

    # --- pages ------------------------------------------------------------------------
    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        spec = PAGES[row]
        if spec.key not in self._pages:
            holder = self.stack.widget(row)
            assert holder is not None
            page = spec.create(self.ctx, holder)
            layout = holder.layout()
            assert layout is not None
            layout.addWidget(page)
            self._pages[spec.key] = page
        self.stack.setCurrentIndex(row)

    def page(self, key: str) -> Page:
        """Show the area ``key`` and return its page (used by menus and tests)."""
        row = next(i for i, s in enumerate(PAGES) if s.key == key)
        self.nav.setCurrentRow(row)
        return self._pages[key]

    def open_search(self, text: str = "") -> SearchPopup:
        """Ctrl+K or typing in the header: the search popup, with what was typed so far."""
        from qualite_app.gui.accueil.recherche import SearchPopup

        if self.search_popup is None:
            self.search_popup = SearchPopup(self.ctx, self)
        self.search_field.clear()
        self.search_popup.open_with(text)
        return self.search_popup

    def open_item(self, area: str, item_type: str, item_id: int | None) -> Page | None:
        """Show the page of ``area`` and, if it knows how (``open_item(type, id)``), open the item there.
        Used by « Aujourd'hui » and the global search; an unknown area changes nothing."""
        if not any(s.key == area for s in PAGES):
            return None
        page = self.page(area)
        opener = getattr(page, "open_item", None)
        if opener is not None and (item_id is not None or item_type.endswith("s")):  # « actions »: a list
            opener(item_type, item_id)
        return page

    def _on_changed(self, areas: set[str]) -> None:
        if areas & {"etablissement", "*"}:
            self._refresh_identity()

    def _refresh_identity(self) -> None:
        from qualite_app.etablissement import identite as etablissement

        e = etablissement.get(self.ctx.db)
        db = self.ctx.db
        name = Path(db.label).name if db.path else db.label
        self.setWindowTitle(f"{name} — {APP_NAME}")
        self.db_status.setText(self.tr("Base : %1").replace("%1", db.label))
        if e is None:
            self.banner.setText(
                f"<b>{APP_NAME}</b> &nbsp; <span style='color:#c9d6e8'>{self.tr('Établissement non renseigné')}</span>"
            )
        else:
            ident = (
                f"FINESS EJ {e.finess_ej or '—'} · ET {e.finess_et or '—'}"
                if e.pays == "FR"
                else f"Code {e.code_etablissement or '—'}"
            )
            from html import escape

            self.banner.setText(
                f"<span style='font-size:14pt; font-weight:600'>{escape(e.raison_sociale)}</span>"
                f"&nbsp;&nbsp;<span style='color:#c9d6e8'>{escape(ident)}"
                f"{' · ' + escape(e.ville) if e.ville else ''}</span>"
            )

    # --- menus ------------------------------------------------------------------------
    def _build_menus(self) -> None:
        m = self.menuBar().addMenu(self.tr("&Fichier"))
        self.act_new = m.addAction(self.tr("&Nouvelle base…"), self.new_database)
        self.act_new.setShortcuts(QKeySequence.StandardKey.New)
        self.act_open = m.addAction(self.tr("&Ouvrir une base…"), self.choose_database)
        self.act_open.setShortcuts(QKeySequence.StandardKey.Open)
        self.recent_menu = m.addMenu(self.tr("Bases &récentes"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        m.addSeparator()
        self.act_copy = m.addAction(self.tr("Enregistrer une &copie…"), self.save_copy)
        self.act_restore = m.addAction(self.tr("&Restaurer une sauvegarde…"), self.restore_backup)
        m.addSeparator()
        m.addAction(self.tr("&Préférences…"), self.edit_preferences)
        m.addSeparator()
        quit_action = m.addAction(self.tr("&Quitter"), self.close)
        quit_action.setShortcuts(QKeySequence.StandardKey.Quit)
        self.act_search = QAction(self.tr("Rechercher partout…"), self)
        self.act_search.triggered.connect(lambda: self.open_search())
        h = self.menuBar().addMenu(self.tr("&Aide"))
        self.act_verify_journal = h.addAction(self.tr("&Vérifier le journal…"), self.verify_journal)
        h.addSeparator()
        self.act_about = h.addAction(self.tr("À &propos…"), self.about)

    def _remember(self, db: Database) -> None:
        if db.path is not None:
            self.settings.add_recent(str(db.path))
            self.settings.save()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        items = [p for p in self.settings.recent_databases if p != str(self.ctx.db.path)]
        if not items:
            a = self.recent_menu.addAction(self.tr("(aucune)"))
            a.setEnabled(False)
        for p in items:
            action = QAction(p, self.recent_menu)
            action.triggered.connect(lambda _=False, p=p: self.switch_database(p))
            self.recent_menu.addAction(action)

    def switch_database(self, target: str | Path) -> bool:
        """Close the current database and open ``target``; the current one stays open if that fails."""
        if self.ctx.db.path is not None and Path(target).resolve() == self.ctx.db.path.resolve():
            return True
        new = open_database(self, target)
        if new is None:
            return False
        old = self.ctx.switch(new)
        old.close()
        self._remember(new)
        from qualite_app.gui.app import offer_demo

        offer_demo(self, new)
        self._refresh_identity()
        self.statusBar().showMessage(self.tr("Base ouverte : %1").replace("%1", new.label), 5000)
        if new.alerts:
            self._show_alerts()
        return True

    def choose_database(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        start = str(self.ctx.db.path.parent) if self.ctx.db.path else str(paths.user_data_dir())
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Ouvrir une base"), start, DB_FILTER)
        if path:
            if not Path(path).exists() or Path(path).stat().st_size == 0:
                QMessageBox.warning(
                    self, self.tr("Ouverture impossible"), self.tr("Ce fichier est vide ou n'existe pas.")
                )
                return
            self.switch_database(path)

    def new_database(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        start = str(self.ctx.db.path.parent) if self.ctx.db.path else str(paths.user_data_dir())
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Nouvelle base"), start + "/nouvelle-base.sqlite", DB_FILTER
        )
        if not path:
            return
        p = Path(path)
        if p.suffix == "":
            p = p.with_suffix(".sqlite")
        if p.exists():
            QMessageBox.warning(
                self,
                self.tr("Nouvelle base"),
                self.tr(
                    "« %1 » existe déjà : une nouvelle base ne remplace jamais un fichier existant. Choisissez un autre nom."
                ).replace("%1", p.name),
            )
            return
        self.switch_database(p)

    def save_copy(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from qualite_app.socle import sauvegarde

        db = self.ctx.db
        if db.path is None:
            QMessageBox.information(
                self, self.tr("Copie"), self.tr("Utilisez les outils du serveur pour copier cette base.")
            )
            return
        from datetime import date

        suggestion = str(db.path.with_name(f"{db.path.stem}-copie-{date.today():%Y-%m-%d}.sqlite"))
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Enregistrer une copie"), suggestion, DB_FILTER)
        if not path:
            return
        try:
            out = sauvegarde.save_copy(db, Path(path))
        except UserError as exc:
            QMessageBox.warning(self, self.tr("Copie impossible"), exc.message)
            return
        self.statusBar().showMessage(self.tr("Copie enregistrée : %1").replace("%1", str(out)), 8000)

    def restore_backup(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from qualite_app.socle import sauvegarde

        db = self.ctx.db
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Restaurer une sauvegarde"), str(paths.backups_dir()), DB_FILTER
        )
        if not path:
            return
        try:
            sauvegarde.verifier_fichier(Path(path))
        except UserError as exc:
            QMessageBox.warning(
                self,
                self.tr("Restauration impossible"),
                exc.message + "\n\n" + self.tr("La base ouverte n'a pas été modifiée."),
            )
            return
        answer = QMessageBox.question(
            self,
            self.tr("Restaurer une sauvegarde"),
            self.tr(
                "Remplacer le contenu de la base ouverte par « %1 » ?\n\nLa base actuelle sera d'abord conservée dans le dossier des sauvegardes."
            ).replace("%1", Path(path).name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            kept = sauvegarde.restore(db, Path(path))
        except UserError as exc:
            QMessageBox.warning(self, self.tr("Restauration impossible"), exc.message)
            return
        self.bus.replaced()
        QMessageBox.information(
            self,
            self.tr("Restauration terminée"),
            self.tr("La base a été restaurée.\nL'ancienne version est conservée ici :\n%1").replace(
                "%1", str(kept)
            ),
        )

    def edit_preferences(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from qualite_app.settings import os_user

        name, ok = QInputDialog.getText(
            self,
            self.tr("Préférences"),
            self.tr("Votre nom, tel qu'il apparaîtra dans l'historique\n(compte système : %1) :").replace(
                "%1", os_user()
            ),
            text=self.settings.display_name,
        )
        if ok:
            from qualite_app.socle.base import nommer_utilisateur

            self.settings.display_name = name.strip()
            self.settings.save()
            nommer_utilisateur(self.ctx.db, self.settings.display_name)

    def about_text(self) -> str:
        from qualite_app.socle.base import revision_du_schema

        db = self.ctx.db
        revision, head = revision_du_schema(db)
        return (
            f"<h3>{APP_NAME}</h3>"
            f"<p>{self.tr('Version')} {__version__}</p>"
            f"<p>{self.tr('Base de données')} : {db.label}<br>"
            f"{self.tr('Révision du schéma')} : {revision} ({self.tr('dernière')} : {head})<br>"
            f"{self.tr('Données utilisateur')} : {paths.user_data_dir()}</p>"
            f"<p>{self.tr('Fonctionne entièrement hors ligne. Les données restent sur ce poste.')}</p>"
        )

    def verify_journal(self) -> None:
        """Aide › Vérifier le journal (gui/historique/verification.py)."""
        from qualite_app.gui.historique.verification import verifier_journal

        verifier_journal(self)

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, self.tr("À propos de %1").replace("%1", APP_NAME), self.about_text())

    # --- closing ----------------------------------------------------------------------
    def close_database(self) -> None:
        from qualite_app.gui.operations import wait_for_jobs

        wait_for_jobs()  # no background work may still use the database being closed
        if not hasattr(self, "ctx"):  # closed before any base was opened
            return
        self.ctx.detach()
        self.ctx.db.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        # deferred work of the pages (a search's debounce, a queued reload) must not reach the base once
        # the window is gone: the base is closed next (a server database may be dropped, a file moved)
        for timer in self.findChildren(QTimer):
            timer.stop()
        accueil = self._pages.get(PAGES[0].key)
        if hasattr(self, "ctx") and accueil is not None and hasattr(accueil, "garder_avant_fermeture"):
            accueil.garder_avant_fermeture()  # stale after a change just made: kept for the next launch
        if hasattr(self, "ctx"):
            self.ctx.detach()  # and no colleague's change is listened to any more
        import gc

        gc.unfreeze()  # what the window kept alive may be collected again (``Prechauffage``)
        super().closeEvent(event)
