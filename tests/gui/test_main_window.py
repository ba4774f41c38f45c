"""The main window: title and status bar name the database, Fichier menu, À propos, identity form."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit, QMessageBox

from qualite_app.etablissement import annuaire
from qualite_app.etablissement import identite as etablissement


def menu_action(window, menu_title, text):
    for menu_action in window.menuBar().actions():
        if menu_action.text().replace("&", "") == menu_title:
            for a in menu_action.menu().actions():
                if a.text().replace("&", "") == text:
                    return a
    raise AssertionError(f"{menu_title} › {text} introuvable")


def test_title_and_status_bar_name_the_database(main_window):
    db = main_window.ctx.db
    assert (db.path.name if db.path else db.label) in main_window.windowTitle()
    assert db.label in main_window.db_status.text()  # the file, or the server's URL without its password
    assert "Val-de-Brume" in main_window.banner.text()
    labels = [main_window.nav.item(i).text() for i in range(main_window.nav.count())]
    assert (
        labels[:2] == ["Aujourd'hui", "Établissement"] and labels[-1] == "Historique"
    )  # the window opens on « Aujourd'hui »


def test_about_shows_version_path_and_revision(main_window, monkeypatch):
    shown = {}
    monkeypatch.setattr(
        QMessageBox, "about", lambda parent, title, text: shown.update(title=title, text=text)
    )
    menu_action(main_window, "Aide", "À propos…").trigger()
    assert "0.1.0" in shown["text"] or "Version" in shown["text"]
    assert main_window.ctx.db.label in shown["text"]
    assert main_window.ctx.db.revision() in shown["text"]


def test_restore_refuses_a_text_file_and_keeps_the_database(main_window, monkeypatch, tmp_path):
    bad = tmp_path / "pas-une-base.sqlite"
    bad.write_text("bonjour", encoding="utf-8")
    warnings = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: (_ for _ in ()).throw(AssertionError("no question expected"))
    )
    before = annuaire.count(main_window.ctx.db)
    menu_action(main_window, "Fichier", "Restaurer une sauvegarde…").trigger()
    assert warnings and "format de fichier inconnu" in warnings[0]
    assert "n'a pas été modifiée" in warnings[0]
    assert annuaire.count(main_window.ctx.db) == before


@pytest.mark.sqlite_only
def test_save_copy_then_restore_from_menu(main_window, monkeypatch, tmp_path):
    db = main_window.ctx.db
    copy = tmp_path / "copie.sqlite"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(copy), ""))
    menu_action(main_window, "Fichier", "Enregistrer une copie…").trigger()
    assert copy.exists()
    annuaire.delete_personne(db, annuaire.list_personnes(db, "arsac")[0].id)
    infos = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(copy), ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: infos.append(text))
    menu_action(main_window, "Fichier", "Restaurer une sauvegarde…").trigger()
    assert infos and "restaurée" in infos[0]
    assert [r.nom for r in annuaire.list_personnes(db, "arsac")] == ["ARSAC"]
    tab = main_window.page("etablissement").annuaire
    assert any(tab.model.row_at(r).nom == "ARSAC" for r in range(tab.model.rowCount()))


@pytest.mark.sqlite_only
def test_new_database_switches_and_shows_empty_state(main_window, monkeypatch, tmp_path):
    target = tmp_path / "neuve.sqlite"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    old = main_window.ctx.db
    menu_action(main_window, "Fichier", "Nouvelle base…").trigger()
    assert main_window.ctx.db is not old and main_window.ctx.db.path == target.resolve()
    assert "neuve.sqlite" in main_window.windowTitle()
    assert "non renseigné" in main_window.banner.text()
    page = main_window.page("etablissement")
    assert "aucune personne" in page.annuaire.count.text().lower() or "vide" in page.annuaire.count.text()
    assert str(target.resolve()) in main_window.settings.recent_databases
    # an existing file is never overwritten by « Nouvelle base »
    warnings = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(old.path), ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    menu_action(main_window, "Fichier", "Nouvelle base…").trigger()
    assert warnings and "existe déjà" in warnings[0]
    main_window.ctx.db.close()


def test_identity_form_shows_finess_error_beside_field(qtbot, main_window):
    page = main_window.page("etablissement")
    form = page.identite
    page.show_tab("identite")
    field = form.findChild(QLineEdit, "champ_finess_ej")
    field.selectAll()
    qtbot.keyClicks(field, "19990015")  # a leading zero lost
    qtbot.mouseClick(form.save_btn, Qt.MouseButton.LeftButton)
    assert form.errors["finess_ej"].isVisible()
    assert "9 caractères" in form.errors["finess_ej"].text()
    assert etablissement.get(main_window.ctx.db).finess_ej == "019990015"
    field.selectAll()
    qtbot.keyClicks(field, "019990031")
    qtbot.mouseClick(form.save_btn, Qt.MouseButton.LeftButton)
    assert not form.errors["finess_ej"].isVisible()
    assert etablissement.get(main_window.ctx.db).finess_ej == "019990031"
    qtbot.waitUntil(lambda: "019990031" in main_window.banner.text())  # redrawn from the commit's ChangeSet


def test_quebec_establishment_uses_its_vocabulary(qtbot, main_window):
    form = main_window.page("etablissement").identite
    form.pays.setCurrentIndex(form.pays.findData("QC"))
    assert form.labels["chef_etablissement"].text() == "PDG"
    assert not form.edits["finess_ej"].isVisibleTo(form)
    assert form.edits["code_etablissement"].isVisibleTo(form)


def test_recent_databases_menu(main_window, tmp_path):
    main_window.settings.recent_databases = [str(Path(tmp_path / "autre.sqlite"))]
    main_window._fill_recent()
    texts = [a.text() for a in main_window.recent_menu.actions()]
    assert str(tmp_path / "autre.sqlite") in texts


def test_first_start_on_empty_database_offers_the_demo(qtbot, db, monkeypatch):
    from qualite_app import demo
    from qualite_app.gui.app import offer_demo

    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes
    )
    offer_demo(None, db)
    assert asked and "démonstration" in asked[0]
    assert not demo.is_empty(db)
    assert annuaire.count(db) > 50
    asked.clear()
    offer_demo(None, db)  # not asked again once there is an establishment
    assert asked == []


def test_the_skeleton_paints_before_the_base_then_fills_without_moving(qtbot, demo_db):
    """Paint first, then load: without a base the window shows its header, sidebar and the first page's
    title; once the base is attached the same places fill (nothing moves), then every area's code is
    imported in idle time."""
    import sys

    from PySide6.QtWidgets import QApplication, QLabel

    from qualite_app import APP_NAME
    from qualite_app.gui.app import setup_application
    from qualite_app.gui.main_window import MainWindow
    from qualite_app.gui.pages import PAGES
    from qualite_app.settings import Settings

    setup_application(QApplication.instance())
    w = MainWindow(None, Settings())
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    assert w.windowTitle() == APP_NAME and APP_NAME in w.banner.text()
    assert [w.nav.item(i).text() for i in range(w.nav.count())] == [s.label for s in PAGES]
    shown = [lb.text() for lb in w.stack.currentWidget().findChildren(QLabel) if lb.isVisible()]
    assert shown == ["Aujourd'hui", "Chargement…"]
    header_height, page_top = w.banner.parentWidget().height(), w.stack.mapTo(w, w.stack.rect().topLeft()).y()
    qtbot.keyClicks(w.search_field, "x")
    assert w.search_popup is None  # nothing to search before the base is open
    w.search_field.clear()

    w.attach(demo_db)
    home = w._pages["accueil"]
    qtbot.waitUntil(lambda: home.loaded, timeout=20000)
    name = demo_db.path.name if demo_db.path else demo_db.label  # a file, or the team's server
    assert "Val-de-Brume" in w.banner.text() and w.windowTitle().startswith(name)
    assert w.banner.parentWidget().height() == header_height
    assert w.stack.mapTo(w, w.stack.rect().topLeft()).y() == page_top
    assert w.stack.currentWidget().findChildren(QLabel, "pageTitle")[0].text() == "Aujourd'hui"
    qtbot.waitUntil(lambda: w.warmed, timeout=30000)
    assert all(s.target.partition(":")[0] in sys.modules for s in PAGES)
    # the areas' services packages import their concerns on first use: the warm-up reads them all too
    lazy = [m for n, m in list(sys.modules.items()) if n.endswith(".services") and hasattr(m, "_OU")]
    assert len(lazy) >= 4 and all(sub in sys.modules for m in lazy for sub, _name in m._OU.values())
    import gc

    assert gc.get_freeze_count() > 0  # what the window keeps is out of the collector's full passes
    import matplotlib.figure

    # matplotlib too, imported by a thread after that first freeze (else the next full pass walks it:
    # ≈ 40 ms of the first page opened on the scale base); frozen objects are not in get_objects()
    assert id(matplotlib.figure.Figure) not in {id(o) for o in gc.get_objects()}
    w.close()
    assert gc.get_freeze_count() == 0  # and collectable again once it is closed
