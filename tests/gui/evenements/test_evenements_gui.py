"""The Événements page driven like a user: declare an event by keyboard, classify it EIGS, see the deadline."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from qualite_app.evenements import rules
from qualite_app.evenements import services as evenements


def test_register_opens_on_the_demo_with_the_eigs_strip(page, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    assert page.model.total == evenements.count_evenements(page.ctx.db) >= 1400
    assert 0 < page.model.rowCount() <= 200  # paged: the rest comes with scrolling
    assert "EIGS : 1 en retard" in page.strip_eigs.text()
    assert "1\u202f50" in page.strip_count.text() or "événement(s)" in page.strip_count.text()
    qtmodeltester.check(page.model)


def test_filters_run_in_sql(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    page.eigs_only.setChecked(True)
    assert page.model.total == 4 and page.model.rowCount() == 4
    late = [page.model.index(r, 6).data() for r in range(4)]
    assert any(t.startswith("Partie 2 :") for t in late)
    page.eigs_only.setChecked(False)
    qtbot.keyClicks(page.search, "heparine")
    qtbot.waitUntil(lambda: page.model.total < 1000, timeout=2000)
    assert page.model.total == 0 or all(
        "Médicament" in page.model.index(r, 3).data() for r in range(page.model.rowCount())
    )


def test_declare_by_keyboard_then_classify_eigs(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    before = page.model.total
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dlg = page.dialog
    assert dlg is not None and dlg.isVisible()
    # the date fields keep today's values; Tab walks the form
    dlg.type.setFocus()
    qtbot.keyClicks(dlg.type, "M")  # keyboard search in the list: the first type starting with M
    assert dlg.type.currentData() == "medicament"
    dlg.gravite.setFocus()
    qtbot.keyClicks(dlg.gravite, "4")
    assert dlg.gravite.currentData() == "4"
    dlg.faits.setFocus()
    qtbot.keyClicks(dlg.faits, "Double administration d'un anticoagulant.")
    qtbot.keyClick(dlg.faits, Qt.Key.Key_Tab)
    assert dlg.focusWidget() is dlg.mesures  # Tab leaves the text box: keyboard-only entry
    qtbot.keyClicks(dlg.mesures, "Surveillance biologique.")  # (QTest types ASCII only)
    qtbot.keyClick(dlg, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=2000)
    assert page.model.total == before + 1
    eid = page.current_id()
    assert eid == dlg.saved_id
    e = evenements.get_evenement(page.ctx.db, eid)
    assert (e.type_code, e.gravite, e.declare_le) == ("medicament", "4", date.today())
    assert e.reference in page.detail.text()
    qtbot.mouseClick(page.btn_eigs, Qt.MouseButton.LeftButton)
    due = (date.today() + timedelta(days=rules.TOLERANCE_PARTIE1)).strftime("%d/%m/%Y")
    assert page.current_id() == eid
    row = page.table.currentIndex().row()
    assert page.model.index(row, 6).data() == f"Partie 1 : {due}"
    assert f"Partie 1 : échéance {due}" in page.detail.text()
    assert "Partie 2 : échéance" in page.detail.text()


def test_a_refused_declaration_says_which_field(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    page.declare()
    dlg = page.dialog
    qtbot.keyClick(dlg, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dlg.isVisible()
    assert "Type : obligatoire." in dlg.error.text() and "Description des faits" in dlg.error.text()
    assert dlg.focusWidget() is dlg.type  # the first field in error takes the focus
    dlg.reject()


def test_quebec_establishment_gets_the_a_to_i_scale_and_disclosure(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.etablissement import identite
    from qualite_app.gui.context import AppContext, ChangeBus
    from qualite_app.gui.evenements.declaration import DeclarationDialog
    from qualite_app.settings import Settings

    identite.save(db, identite.EtablissementData(raison_sociale="Centre de santé fictif du Lac", pays="QC"))
    dlg = DeclarationDialog(AppContext(db, ChangeBus(), Settings()))
    qtbot.addWidget(dlg)
    assert [dlg.gravite.itemData(i) for i in range(1, dlg.gravite.count())] == [
        "A",
        "B",
        "C",
        "D",
        "E1",
        "E2",
        "F",
        "G",
        "H",
        "I",
    ]
    assert any(dlg.type.itemText(i) == "Diète" for i in range(dlg.type.count()))
    form = dlg.layout().itemAt(0).layout()
    labels = [form.itemAt(r, form.ItemRole.LabelRole).widget().text() for r in range(form.rowCount())]
    assert "Divulgation faite" in labels
    dlg.type.setCurrentIndex(dlg.type.findData("diete"))
    dlg.gravite.setCurrentIndex(dlg.gravite.findData("B"))
    qtbot.keyClicks(dlg.faits, "Plateau sans texture adaptee, non servi.")
    dlg.save()
    assert dlg.saved_id is not None
    row = evenements.list_evenements(db)[0]
    assert (row.gravite_libelle, row.type_libelle) == ("B – Échappée", "Diète")
    from qualite_app.gui.evenements.page import detail_html

    assert "B – Échappée (incident)" in detail_html(dlg.ctx, row.id)


def test_close_an_event_from_the_correction_dialog(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    eid = next(r.id for r in page.model.rows if r.statut == rules.EN_ANALYSE)
    page.select(eid)
    page.edit_current()
    dlg = page.dialog
    assert dlg.statut.isVisible() and dlg.statut.currentData() == rules.EN_ANALYSE
    dlg.statut.setCurrentIndex(dlg.statut.findData(rules.CLOTURE))
    dlg.save()
    assert not dlg.isVisible() and evenements.get_evenement(page.ctx.db, eid).statut == rules.CLOTURE
    page.edit_current()
    dlg = page.dialog
    dlg.statut.setCurrentIndex(dlg.statut.findData(rules.DECLARE))
    dlg.save()
    assert dlg.isVisible() and "« Clôturé » à « Déclaré » impossible" in dlg.error.text()
    dlg.reject()
