"""The directory driven as a user would: search, open a person, change a phone, save; the journal shows it."""

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit

from qualite_app.etablissement import annuaire
from qualite_app.gui.etablissement.personne_dialog import PersonneDialog


def visible_names(tab):
    m = tab.model
    return [m.data(m.index(r, 0)) + " " + m.data(m.index(r, 1)) for r in range(m.rowCount())]


def drive_dialog(qtbot, action):
    """Run ``action(dialog)`` on the modal dialog as soon as it appears."""
    seen = {}

    def later():
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, PersonneDialog):
            QTimer.singleShot(20, later)
            return
        seen["dialog"] = dlg
        try:
            action(dlg)
        except BaseException as exc:  # surfaced by the test, not lost in the event loop
            seen["error"] = exc
            dlg.reject()

    QTimer.singleShot(0, later)
    return seen


def test_search_edit_phone_and_journal(qtbot, main_window):
    page = main_window.page("etablissement")
    tab = page.annuaire
    assert page.tabs.currentIndex() == 0 and tab.isVisible()
    qtbot.keyClicks(tab.search, "brevanne")
    qtbot.waitUntil(lambda: visible_names(tab) == ["BRÉVANNE Hélène"], timeout=2000)
    assert "1 personne(s) affichée(s)" in tab.count.text()
    old_phone = tab.model.row_at(0).tel_mobile

    def edit(dlg):
        field = dlg.findChild(QLineEdit, "champ_tel_mobile")
        field.selectAll()
        qtbot.keyClicks(field, "06.39.98.77.66")
        qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)

    seen = drive_dialog(qtbot, edit)
    rect = tab.view.visualRect(tab.model.index(0, 0))
    qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert "dialog" in seen and "error" not in seen, seen.get("error")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1 and tab.model.row_at(0).tel_mobile == "06 39 98 77 66", timeout=2000)

    hist = main_window.page("historique")
    qtbot.keyClicks(hist.search, "mobile")
    def phone_line():
        m = hist.model
        for r in range(m.rowCount()):
            row = m.row_at(r)
            if row.champ == "Téléphone mobile" and row.action == "modification":
                return row
        return None
    qtbot.waitUntil(lambda: phone_line() is not None, timeout=2000)
    line = phone_line()
    assert (line.ancienne_valeur, line.nouvelle_valeur) == (old_phone, "06 39 98 77 66")
    assert line.entite_libelle == "Hélène BRÉVANNE"
    assert "testeur" in line.utilisateur
    # what the user sees in the table cells
    m = hist.model
    cells = [m.data(m.index(0, c)) for c in range(m.columnCount())]
    assert "Téléphone mobile" in cells and "06 39 98 77 66" in cells


def test_bad_email_message_beside_field_and_nothing_saved(qtbot, main_window):
    tab = main_window.page("etablissement").annuaire
    before = annuaire.count(main_window.ctx.db)
    result = {}

    def fill(dlg):
        qtbot.keyClicks(dlg.findChild(QLineEdit, "champ_nom"), "Nouvel")
        qtbot.keyClicks(dlg.findChild(QLineEdit, "champ_email"), "pas-un-courriel")
        qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
        result["error"] = dlg.errors["email"].text()
        result["visible"] = dlg.errors["email"].isVisible()
        result["nom_error"] = dlg.errors["nom"].isVisible()
        dlg.reject()

    drive_dialog(qtbot, fill)
    qtbot.mouseClick(tab.new_btn, Qt.MouseButton.LeftButton)
    assert "n'est pas une adresse de courriel valide" in result["error"]
    assert result["visible"] and not result["nom_error"]
    assert annuaire.count(main_window.ctx.db) == before


def test_journal_is_read_only(qtbot, main_window):
    hist = main_window.page("historique")
    idx = hist.model.index(0, 6)
    assert not (hist.model.flags(idx) & Qt.ItemFlag.ItemIsEditable)


def test_journal_filters(qtbot, main_window):
    hist = main_window.page("historique")
    total = hist.model.total  # counted by SQL; the list holds its first page, the rest as it scrolls
    assert total > 0
    qtbot.keyClick(hist.type, Qt.Key.Key_Home)  # the user reaches the filter: its choices are read then
    hist.type.setCurrentIndex(hist.type.findData("Pôle"))
    assert 0 < hist.model.total < total and hist.model.rowCount() <= hist.model.total
    assert {hist.model.row_at(r).entite_type for r in range(hist.model.rowCount())} == {"Pôle"}
    hist.periode.setCurrentIndex(hist.periode.findData(-1))
    hist.du.setDate(hist.du.date().addYears(-5))
    hist.au.setDate(hist.au.date().addYears(-4))
    assert hist.model.rowCount() == 0
    assert "Aucune modification" in hist.count.text()


def test_sort_by_clicking_header(qtbot, main_window):
    tab = main_window.page("etablissement").annuaire
    header = tab.view.horizontalHeader()
    x = header.sectionViewportPosition(3) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=header.rect().center().__class__(x, 5))
    services = [tab.model.row_at(r).service for r in range(tab.model.rowCount())]
    assert services == sorted(services)
