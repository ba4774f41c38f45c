"""The *Liens* panel across areas, as a user: from a PAQSS action's editor « Lier à… » a criterion found by
its words; the panel shows it; a double-click opens the criterion in Certification, whose panel shows the
action; a double-click there opens the action's editor again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from qualite_app.certification import preuves
from qualite_app.socle import chaine
from tests.helpers.liens import groupes, lier_a, lignes

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(
        "does not support propagateSizeHints", "does not support grabbing the keyboard"
    ),
]
SHOTS = os.environ.get("QUALITE_SCREENSHOTS")


def _shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / name))


def _double_click(qtbot, panel, reference: str) -> None:  # type: ignore[no-untyped-def]
    item = next(it for it in panel.items() if it.text(0) == reference)
    panel.tree.scrollToItem(item)
    rect = panel.tree.visualItemRect(item)
    where = QPoint(rect.left() + 20, rect.center().y())
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=where)


def test_action_criterion_chain_both_ways_and_opening(qtbot, main_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db = main_window.ctx.db
    paqss_page = main_window.open_item("paqss", "action", None) or main_window._pages["paqss"]
    row = next(r for r in paqss_page.model.rows if not chaine.liens_de(db, "paqss_action", r.id))
    main_window.open_item("paqss", "action", row.id)
    ed = paqss_page.editor
    qtbot.waitUntil(ed.isVisible, timeout=3000)
    ed.tabs.setCurrentIndex(4)
    chosen = lier_a(qtbot, ed.liens, "douleur anticipe", lambda r: r.item_type == "critere")
    assert chosen.reference == "1.1-05"
    assert "Critères de certification (1)" in groupes(ed.liens)
    assert ("1.1-05", chosen.titre, "→ preuve du critère") in lignes(ed.liens)
    # the certification area sees the action as evidence of the criterion
    assert any(
        p.item_type == "paqss_action" and p.item_id == row.id for p in preuves.lister(db, chosen.item_id)
    )
    _shot(ed, "liens-action.png")
    # double-click: the editor closes (asked first) and the criterion opens in Certification
    asked = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        staticmethod(lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes),
    )
    _double_click(qtbot, ed.liens, "1.1-05")
    assert asked and "Fermer cette fenêtre" in asked[0] and not ed.isVisible()
    cert = main_window._pages["certification"]
    assert main_window.nav.currentItem().text() == "Certification"
    assert cert.autoeval.critere_id == chosen.item_id
    panel = cert.autoeval.liens
    qtbot.waitUntil(lambda: any(it.text(0) == row.reference for it in panel.items()), timeout=3000)
    assert (row.reference, row.titre, "← preuve du critère") in lignes(panel)
    assert panel.title.text().startswith("Liens du critère (")
    _shot(main_window, "liens-critere.png")
    # and back: the action opens in its editor
    _double_click(qtbot, panel, row.reference)
    qtbot.waitUntil(lambda: paqss_page.editor is not ed and paqss_page.editor.isVisible(), timeout=3000)
    assert paqss_page.editor.action_id == row.id
    paqss_page.editor.reject()


def test_unlink_from_the_criterion_and_refusals(qtbot, main_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db = main_window.ctx.db
    cert = main_window.open_item("certification", "critere", None) or main_window._pages["certification"]
    from qualite_app.accueil import recherche

    crit = next(r for r in recherche.tout(recherche.chercher(db, "1.1-01")) if r.item_type == "critere")
    main_window.open_item("certification", "critere", crit.item_id)
    panel = cert.autoeval.liens
    assert cert.autoeval.critere_id == crit.item_id
    before = len(panel.items())
    chosen = lier_a(
        qtbot, panel, "ESCARRES", lambda r: r.item_type == "indicateur" and r.reference == "ESCARRES"
    )
    assert len(panel.items()) == before + 1 and chosen.reference in [x[0] for x in lignes(panel)]
    # the criterion's evidence list (the certification view) shows it too
    qtbot.waitUntil(lambda: any("ESCARRES" in cert.autoeval.preuves.item(i).text() or "Indicateur" in cert.autoeval.preuves.item(i).text()
                                for i in range(cert.autoeval.preuves.count())), timeout=3000)  # fmt: skip
    item = next(it for it in panel.items() if it.text(0) == "ESCARRES")
    panel.tree.setCurrentItem(item)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    qtbot.mouseClick(panel.btn_delier, Qt.MouseButton.LeftButton)
    assert "ESCARRES" not in [x[0] for x in lignes(panel)] and len(panel.items()) == before
    # a piece of evidence opens in the evidence list, its panel showing the criteria it serves
    p = preuves.lister(db, crit.item_id)[0]
    main_window.open_item("certification", "preuve", p.id)
    assert cert.tabs.currentWidget() is cert.preuves
    assert cert.preuves.model.row_at(cert.preuves.view.currentIndex().row()).id == p.id
    assert "Critères de certification (" in groupes(cert.preuves.liens)[0]
    assert "1.1-01" in [x[0] for x in lignes(cert.preuves.liens)]
    _shot(cert.preuves, "liens-preuve.png")


def test_every_item_page_shows_its_chain(qtbot, main_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Event, analysis, indicator, risk, crisis plan, report: each page's panel shows the item's links."""
    from qualite_app.evenements import services as evenements
    from qualite_app.indicateurs import services as indicateurs
    from qualite_app.paqss import services as paqss
    from qualite_app.risques import services as risques

    db = main_window.ctx.db
    # an event: its analysis; a double-click opens the analysis, whose panel shows the event and the action
    an = next(a for a in evenements.list_analyses(db) if evenements.actions_de_l_analyse(db, a.id))
    ev = evenements.id_par_reference(db, an.evenements[0])
    main_window.open_item("evenements", "evenement", ev)
    page = main_window._pages["evenements"]
    assert (an.reference, "→ analysé dans") in [(r, n) for r, _t, n in lignes(page.liens)]
    _shot(page, "liens-evenement.png")
    _double_click(qtbot, page.liens, an.reference)
    dlg = page.analyse_dialog
    qtbot.waitUntil(lambda: dlg is not None and dlg.isVisible(), timeout=3000)
    assert dlg.analyse_id == an.id and dlg.tabs.tabText(1).startswith("Liens (")
    refs = [r for r, _t, _n in lignes(dlg.liens)]
    assert an.evenements[0] in refs
    assert evenements.actions_de_l_analyse(db, an.id)[0].reference in refs
    dlg.reject()
    # an indicator followed by an action
    action = paqss.list_actions(db)[0]
    ind = indicateurs.indicateur_id(db, "ESCARRES")
    paqss.link_indicator(db, action.id, ind)
    main_window.open_item("indicateurs", "indicateur", ind)
    detail = main_window._pages["indicateurs"].detail
    assert (action.reference, "← suivie par l'indicateur") in [(r, n) for r, _t, n in lignes(detail.liens)]
    assert detail.bas.tabText(1) == f"Liens ({len(detail.liens.items())})"
    # a risk and the actions it gave rise to
    risque = next(r for r in risques.list_risques(db) if chaine.liens_de(db, "risque", r.id))
    main_window.open_item("risques", "risque", risque.id)
    rdlg = main_window._pages["risques"].dialog
    qtbot.waitUntil(rdlg.isVisible, timeout=3000)
    assert groupes(rdlg.liens)[0].startswith("Actions PAQSS (") and rdlg.tabs.tabText(1).startswith("Liens (")
    assert all(n == "→ a donné lieu à" for _r, _t, n in lignes(rdlg.liens))
    rdlg.reject()
    # a crisis plan: the actions of its exercises' RETEX
    from qualite_app.accueil import recherche

    plan_id = next(
        x.item_id for x in recherche.tout(recherche.chercher(db, "PGTHSSE")) if x.item_type == "plan"
    )
    main_window.open_item("crise", "plan", plan_id)
    crise = main_window._pages["crise"]
    assert crise.plan_id() == plan_id
    assert crise.plan_tab.liens.element == ("crise_plan", plan_id)
    assert len(crise.plan_tab.liens.items()) == chaine.compter(chaine.liens_de(db, "crise_plan", plan_id))
    _shot(crise, "liens-plan.png")


def test_a_report_is_linked_to_a_criterion_from_the_register(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.rapports import services as rapports

    db = main_window.ctx.db
    rows = rapports.lister(db)
    if not rows:
        pytest.skip("la démo n'a émis aucun rapport")
    r = rows[0]
    main_window.open_item("rapports", "rapport", r.id)
    page = main_window._pages["rapports"]
    assert page.liens.element == ("rapport_emis", r.id)
    lier_a(qtbot, page.liens, "1.1-02", lambda x: x.item_type == "critere" and x.reference == "1.1-02")
    assert ("1.1-02", "→ preuve du critère") in [(ref, n) for ref, _t, n in lignes(page.liens)]
    assert any(p.item_type == "rapport_emis" and p.item_id == r.id for p in preuves.lister(db))


def test_an_event_joins_an_analysis_from_its_dialog(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """« Lier à… » an event from the analysis: it joins the analysis, « Événements analysés » shows it, and
    « Enregistrer » keeps it."""
    from qualite_app.evenements import services as evenements

    db = main_window.ctx.db
    an = evenements.list_analyses(db)[0]
    other = next(
        e for e in evenements.list_evenements(db, evenements.EvenementFilter(), limit=50)
        if e.reference not in an.evenements
    )  # fmt: skip
    main_window.open_item("evenements", "analyse", an.id)
    dlg = main_window._pages["evenements"].analyse_dialog
    qtbot.waitUntil(dlg.isVisible, timeout=3000)
    dlg.tabs.setCurrentIndex(1)
    lier_a(qtbot, dlg.liens, other.reference, lambda r: r.item_type == "evenement" and r.item_id == other.id)
    assert (other.reference, "← analysé dans") in [(r, n) for r, _t, n in lignes(dlg.liens)]
    assert other.reference in dlg.refs.text()
    assert dlg.save()
    assert other.reference in next(a for a in evenements.list_analyses(db) if a.id == an.id).evenements
