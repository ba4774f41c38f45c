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
