"""Starting the GUI: the QApplication, the theme, opening the database, the main window."""

from __future__ import annotations

import sys
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from qualite_app import APP_NAME, paths
from qualite_app.errors import DatabaseLockedError, UserError
from qualite_app.settings import Settings

#: how long the painted window waits for the child computing the home page before opening the base anyway
ATTENTE_CALCUL_MS = 1500

if TYPE_CHECKING:  # the core (SQLAlchemy…) is imported once the window's skeleton has painted
    from collections.abc import Callable

    from qualite_app.gui.main_window import MainWindow
    from qualite_app.socle.base import Database


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    assert isinstance(app, QApplication)
    setup_application(app)
    return app


def setup_application(app: QApplication) -> None:
    """Theme, fonts and French locale; safe to call again (tests share one QApplication)."""
    if app.property("qualite_setup"):
        return
    app.setProperty("qualite_setup", True)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("qualite-app")
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    # Qt's own buttons and dialogs in French (« Fermer », « Annuler »…), from the translations Qt ships.
    translator = QTranslator(app)
    if translator.load(QLocale(QLocale.Language.French), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
    for ttf in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"):
        QFontDatabase.addApplicationFont(str(paths.fonts_dir() / ttf))
    font = QFont(app.font())
    if "DejaVu Sans" in QFontDatabase.families():
        font.setFamily("DejaVu Sans")
    font.setPointSizeF(9.5)
    app.setFont(font)
    qss = paths.ui_dir() / "theme.qss"
    if qss.exists():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
    icon = paths.icons_dir() / "qualite.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))


def open_database(
    parent: QWidget | None, db: str | Path | None, before_message: Callable[[], None] | None = None
) -> Database | None:
    """Open (migrate, back up) a database; explain any problem in French (``before_message`` first) and
    return None."""
    from PySide6.QtWidgets import QMessageBox  # the dialogs' classes: built by PySide6 on first use

    from qualite_app.socle import base as socle_base

    try:
        return socle_base.ouvrir(db)
    except UserError as exc:
        if before_message is not None:
            before_message()
        if isinstance(exc, DatabaseLockedError):
            QMessageBox.warning(parent, "Base déjà ouverte", exc.message)
        else:
            QMessageBox.critical(parent, "Ouverture impossible", exc.message)
    return None


def offer_demo(parent: QWidget | None, db: Database) -> None:
    from qualite_app.etablissement import identite as etablissement

    if etablissement.get(db) is not None:  # cheap check: the demo module imports every area
        return
    from PySide6.QtWidgets import QMessageBox

    from qualite_app import demo

    answer = QMessageBox.question(
        parent,
        "Base vide",
        "Cette base ne contient encore aucun établissement.\n\n"
        "Charger l'établissement de démonstration (fictif) pour découvrir l'application ?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    if answer == QMessageBox.StandardButton.Yes:
        demo.load_demo(db)


class _SmokeTest(QObject):
    """``QUALITE_SMOKE_TEST=1``: once the main window has painted its first frame and then filled its home
    page, print both wall-clock times and quit with 0 (``=pages``: build every area's page first).

    Used by the bundle build, the installed-wheel test and ``benchmarks/startup.py``: no dialog
    may block, and a window that never paints or never fills fails (exit 1) instead of hanging.
    """

    def __init__(self, window: MainWindow, timeout_s: float = 60.0) -> None:
        super().__init__(window)
        self.window = window
        self.painted: float | None = None
        self.filled: float | None = None
        self._asked = False
        self.kept = False
        self.rapide = False
        self.core_before_paint = False
        window.installEventFilter(self)
        self._poll = QTimer(self)
        self._poll.setInterval(5)
        self._poll.timeout.connect(self._check_filled)
        QTimer.singleShot(int(timeout_s * 1000), self._timeout)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.painted is None:
            obj.removeEventFilter(self)
            # after this paint event has been handled (the frame is drawn), note the time
            QTimer.singleShot(0, self._painted)
        return False

    def _painted(self) -> None:
        import time

        self.painted = time.time()
        # paint first, then load: the core (SQLAlchemy) is imported after the first frame
        self.core_before_paint = "sqlalchemy" in sys.modules
        self._poll.start()

    def _check_filled(self) -> None:
        """Filled: its real content shown (computed, or kept and exactly current — never the skeleton);
        the program ends once the base is open as well (its content may show before)."""

        home = self.window._pages.get("accueil")
        if self.filled is None and home is not None and getattr(home, "loaded", True):
            # filled: that content painted (the page notes when), never the skeleton
            self.rapide = bool(getattr(home, "a_froid", False))
            self.kept = bool(getattr(home, "de_memoire", False)) and not self.rapide
            self.filled = getattr(home, "rempli_a", None)
            if self.filled is None and not self._asked:
                self._asked = True
                home.update()
        if self.filled is None or not hasattr(self.window, "ctx"):
            return
        self._poll.stop()
        self._done()

    def _done(self) -> None:
        import os

        print(
            f"QUALITE_SMOKE_TEST fenetre_peinte={self.painted:.6f} accueil_rempli={self.filled:.6f} "
            f"accueil_memoire={'oui' if self.kept else 'non'} accueil_rapide={'oui' if self.rapide else 'non'} "
            f"coeur_avant_peinture={'oui' if self.core_before_paint else 'non'} titre={self.window.windowTitle()}",
            flush=True,
        )
        if os.environ.get("QUALITE_SMOKE_TEST") == "pages":  # also build every area (bundle: nothing missing)
            import traceback

            from qualite_app.gui.pages import PAGES

            try:
                for spec in PAGES:
                    self.window.page(spec.key)
                    QApplication.processEvents()
            except Exception:
                traceback.print_exc()
                QApplication.exit(1)
                return
            print("QUALITE_SMOKE_TEST pages=" + ",".join(spec.key for spec in PAGES), flush=True)
        QApplication.quit()

    def _timeout(self) -> None:
        if self.painted is None or self._poll.isActive():
            what = "ne s'est jamais affichée" if self.painted is None else "n'a jamais rempli sa page d'accueil"
            print(f"QUALITE_SMOKE_TEST : la fenêtre principale {what}.", file=sys.stderr, flush=True)
            QApplication.exit(1)


def _install_excepthook(window: QWidget) -> None:
    """A bug in a slot: the traceback goes to ``erreurs.log`` (without row data) and the user gets a
    French message instead of nothing (Qt would print it on a console nobody sees)."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if isinstance(exc, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        from qualite_app.gui.operations import show_error

        show_error(window, exc)

    sys.excepthook = hook


def run_gui(db: str | None = None, calcul: Any = None, settings: Settings | None = None) -> int:
    """Paint first, then load: the window's skeleton (header, sidebar, the home page's title) is shown
    before the core is imported and the base opened — both happen once that first frame is drawn.
    ``calcul``: the child process computing the home page (``accueil/enfant.py``), waited for (without
    blocking) before the base is opened, at most ``ATTENTE_CALCUL_MS``."""
    import os

    smoke = os.environ.get("QUALITE_SMOKE_TEST", "") not in ("", "0")
    app = make_application()
    settings = settings or Settings.load()
    from qualite_app.accueil.enfant import base_au_lancement

    target: str | Path | None = base_au_lancement(db, settings.last_database)
    from qualite_app.gui.main_window import MainWindow

    window = MainWindow(None, settings)
    outcome = {"code": 0}

    def open_and_attach() -> None:
        database = _open_first_database(window, target, smoke)
        if database is None:
            outcome["code"] = 1
            QApplication.exit(1)
            return
        if not smoke:
            offer_demo(window, database)
        window.attach(database)

    def show_then_open(calculer: bool = True, par_l_enfant: bool = False) -> None:
        # the home page's content kept at an earlier launch (or just computed by the child), if it is
        # exactly current, is shown before the base is opened (and the core imported): the base opens once
        # it has painted
        if window.preview(target, calculer):
            from qualite_app.gui.apercu import apres_peinture

            if par_l_enfant:  # computed at this launch (by the child), not kept from an earlier one
                setattr(window._pages["accueil"], "a_froid", True)  # noqa: B010 — the home page's flag

            apres_peinture(window._pages.get("accueil"), open_and_attach)
        else:
            open_and_attach()

    def load() -> None:
        if calcul is None:  # nothing current kept: computed here, without the core (``accueil/rapide.py``)
            show_then_open()
        elif window.preview(target, calculer=False):  # current: the child has already computed and kept it
            from qualite_app.gui.apercu import apres_peinture

            if calcul.poll() == 0:  # (the child is started only when nothing current is kept)
                setattr(window._pages["accueil"], "a_froid", True)  # noqa: B010 — computed at this launch
            apres_peinture(window._pages.get("accueil"), open_and_attach)
        else:  # the child is computing it: meanwhile, the page's code (the rest of its building after)
            from qualite_app.gui.apercu import attendre, preparer

            preparer()
            attendre(
                calcul,
                ATTENTE_CALCUL_MS,
                lambda: show_then_open(calculer=False, par_l_enfant=calcul.returncode == 0),
            )

    window.after_first_paint(load)
    if smoke:
        _SmokeTest(window)
    else:
        _install_excepthook(window)
    window.show()
    code = app.exec()
    if calcul is not None and calcul.poll() is None:
        calcul.kill()
    window.close_database()
    return int(code or outcome["code"])


def _open_first_database(window: QWidget, target: str | Path | None, smoke: bool) -> Database | None:
    """The base given (or the last one): a problem is explained and another base may be chosen; None
    when the user gives up (or, for the smoke test where no dialog may block, printed on stderr)."""
    if smoke:
        from qualite_app.socle import base as socle_base

        try:
            return socle_base.ouvrir(target)
        except UserError as exc:
            print(f"qualite : {exc.message}", file=sys.stderr)
            return None
    from PySide6.QtWidgets import QFileDialog

    # a problem is said over the skeleton: the page shown in advance is not the base's any more
    database = open_database(window, target, before_message=getattr(window, "drop_preview", None))
    while database is None:
        path, _ = QFileDialog.getOpenFileName(window, "Ouvrir une base", str(paths.user_data_dir()), "Bases Qualité & Risques (*.sqlite *.db);;Tous les fichiers (*)")
        if not path:
            return None
        database = open_database(window, path)
    return database
