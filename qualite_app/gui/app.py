"""Starting the GUI: the QApplication, the theme, opening the database, the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from qualite_app import APP_NAME, paths
from qualite_app.errors import DatabaseLockedError, UserError
from qualite_app.settings import Settings
from qualite_app.storage.database import Database


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


def open_database(parent: QWidget | None, db: str | Path | None) -> Database | None:
    """Open (migrate, back up) a database; explain any problem in French and return None."""
    try:
        return Database.open(db, auto_backup=True)
    except DatabaseLockedError as exc:
        QMessageBox.warning(parent, "Base déjà ouverte", exc.message)
    except UserError as exc:
        QMessageBox.critical(parent, "Ouverture impossible", exc.message)
    return None


def offer_demo(parent: QWidget | None, db: Database) -> None:
    from qualite_app.services import demo

    if not demo.is_empty(db):
        return
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


def run_gui(db: str | None = None) -> int:
    app = make_application()
    settings = Settings.load()
    target: str | Path | None = db
    if target is None and settings.last_database and Path(settings.last_database).exists():
        import os

        if not os.environ.get("QUALITE_DB"):
            target = settings.last_database
    database = open_database(None, target)
    while database is None:
        path, _ = QFileDialog.getOpenFileName(None, "Ouvrir une base", str(paths.user_data_dir()), "Bases Qualité & Risques (*.sqlite *.db);;Tous les fichiers (*)")
        if not path:
            return 1
        database = open_database(None, path)
    offer_demo(None, database)
    from qualite_app.gui.main_window import MainWindow

    window = MainWindow(database, settings)
    window.show()
    code = app.exec()
    window.close_database()
    return int(code)
