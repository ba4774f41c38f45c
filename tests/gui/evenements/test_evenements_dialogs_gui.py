"""The EIGS declaration (two parts, sent dates, deadlines) and the cause analysis (factors by family,
decided action → PAQSS) driven from the Événements page."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from qualite_app.evenements import rules
from qualite_app.evenements import services as evenements
from qualite_app.paqss import services as paqss


def _select_overdue_eigs(page) -> int:  # type: ignore[no-untyped-def]
    page.eigs_only.setChecked(True)
    late = next(e for e in evenements.echeances(page.ctx.db) if e.etat == rules.EN_RETARD)
    assert page.select(late.evenement_id)
    return late.evenement_id


def test_send_part_2_clears_the_overdue_strip(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    eid = _select_overdue_eigs(page)
    assert "1 en retard" in page.strip_eigs.text()
    qtbot.mouseClick(page.btn_declaration, Qt.MouseButton.LeftButton)
    dlg = page.eigs_dialog
    assert "Échéance" in dlg.deadline[2].text() and "en retard" in dlg.deadline[2].text()
    qtbot.keyClicks(dlg.texts["causes_profondes"], "Charge de travail de nuit")
    check, when = dlg.sent[2]
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
    assert when.isEnabled() and "envoyée le" in dlg.deadline[2].text()
    dlg.save()
    assert not dlg.isVisible()
    data = evenements.get_eigs(page.ctx.db, eid)
    assert data is not None and data.partie2_envoyee_le == date.today()
    assert "en retard" not in page.strip_eigs.text()


def test_sending_part_2_without_causes_is_refused_in_the_dialog(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    _select_overdue_eigs(page)
    page.edit_eigs()
    dlg = page.eigs_dialog
    for name in ("causes_immediates", "causes_profondes"):
        dlg.texts[name].clear()
    qtbot.mouseClick(dlg.sent[2][0], Qt.MouseButton.LeftButton)
    dlg.save()
    assert dlg.isVisible() and "les causes" in dlg.error.text()
    dlg.reject()


def test_analysis_with_factors_then_action_to_paqss(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    eid = page.model.evenement_id(0)
    page.select(eid)
    before = {a.id for a in evenements.actions_de_l_evenement(page.ctx.db, eid)}
    page.analyse()
    dlg = page.analyse_dialog
    if dlg.analyse_id is not None:  # the demo event already has one: start a new analysis for this test
        dlg.reject()
        from qualite_app.gui.evenements.analyse_dialog import AnalyseDialog

        dlg = AnalyseDialog(page.ctx, [eid], page)
        qtbot.addWidget(dlg)
    dlg.methode.setCurrentIndex(dlg.methode.findData("ishikawa"))
    assert dlg.sept_m.isVisible()
    dlg.add_step("22 h 10", "Appel du patient")
    qtbot.mouseClick(dlg.findChild(type(dlg.btn_action), "btnFacteur"), Qt.MouseButton.LeftButton)
    combo = dlg.facteurs.cellWidget(0, 0)
    assert [combo.itemText(i) for i in range(combo.count())] == list(rules.FAMILLES_5M.values())
    combo.setCurrentIndex(combo.findData("methode"))
    dlg.facteurs.item(0, 1).setText("Protocole de surveillance absent")
    qtbot.keyClicks(dlg.action_title, "Rediger le protocole de surveillance de nuit")
    qtbot.mouseClick(dlg.btn_action, Qt.MouseButton.LeftButton)
    assert dlg.analyse_id is not None and dlg.actions_list.count() == 1
    assert "Rediger le protocole" in dlg.actions_list.item(0).text()
    saved = evenements.get_analyse(page.ctx.db, dlg.analyse_id)
    assert (saved.methode, [f.famille for f in saved.facteurs], [e.moment for e in saved.etapes]) == (
        "ishikawa",
        ["methode"],
        ["22 h 10"],
    )
    new = [a for a in evenements.actions_de_l_evenement(page.ctx.db, eid) if a.id not in before]
    assert len(new) == 1 and paqss.get_action(page.ctx.db, new[0].id).source == "ei"
    assert evenements.get_evenement(page.ctx.db, eid).statut in (
        rules.ACTIONS_DECIDEES,
        rules.CLOTURE,
    )  # never reopened


def test_detail_shows_the_corrections(page) -> None:  # type: ignore[no-untyped-def]
    eid = page.model.evenement_id(0)
    data = evenements.get_evenement(page.ctx.db, eid)
    data.gravite = "1" if data.gravite != "1" else "2"
    old = evenements.get_evenement(page.ctx.db, eid).gravite
    evenements.enregistrer_evenement(page.ctx.db, data)
    page.reload()
    page.select(eid)
    assert "Modifications et corrections (journal)" in page.detail.text()
    assert f"Gravité « {old} » → « {data.gravite} »" in page.detail.text()


def test_one_analysis_for_several_events(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.gui.evenements.analyse_dialog import AnalyseDialog

    a, b = page.model.rows[0], page.model.rows[1]
    dlg = AnalyseDialog(page.ctx, [a.id], page)
    qtbot.addWidget(dlg)
    assert dlg.refs.text() == a.reference
    dlg.methode.setCurrentIndex(dlg.methode.findData("rmm"))
    dlg.refs.setText(f"{a.reference}, EI-1999-99999")
    dlg.save(close=False)
    assert "« EI-1999-99999 » introuvable" in dlg.error.text() and dlg.analyse_id is None
    dlg.refs.setText(f"{a.reference}, {b.reference}")
    assert dlg.save(close=False)
    assert sorted(evenements.get_analyse(page.ctx.db, dlg.analyse_id).evenement_ids) == sorted([a.id, b.id])
    assert dlg.analyse_id in [x.id for x in evenements.list_analyses(page.ctx.db, b.id)]
