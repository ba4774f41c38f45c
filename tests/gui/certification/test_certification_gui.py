"""The Certification page driven like a user: pick a criterion, answer from the keyboard, drop a file,
see the coverage change; the empty state; the readiness tab; the dossier export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QTreeWidgetItemIterator

from qualite_app.certification import campagnes, scores
from tests.helpers.liens import lier_a, lignes


def _drag_enter(mime: QMimeData) -> QDragEnterEvent:
    """PySide6 builds its drag-enter event from a QPointF in some versions, a QPoint in others."""
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    try:
        return QDragEnterEvent(QPointF(10, 10), *args)
    except TypeError:
        return QDragEnterEvent(QPoint(10, 10), *args)


def _select_criterion(page, ref: str) -> None:  # type: ignore[no-untyped-def]
    tree = page.autoeval.tree
    it = QTreeWidgetItemIterator(tree)
    while it.value():
        item = it.value()
        if item.text(0).startswith(ref + " "):
            tree.setCurrentItem(item)
            return
        it += 1
    raise AssertionError(ref)


def test_answer_from_the_keyboard(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    _select_criterion(page, "1.2-05")
    view = page.autoeval.view
    rows = page.autoeval.model.rows
    assert [r.ref for r in rows] == [f"1.2-05-EE0{i}" for i in range(1, 5)]
    cid = page.campagne_id()
    before = {c.ref: c for c in scores.synthese(page.ctx.db, cid).criteres}["1.2-05"]
    view.setFocus()
    view.selectRow(0)
    for key in "cccn":
        qtbot.keyClick(view, key)
        qtbot.wait(10)  # the change comes back through the bus (queued): the grid redraws
    shown = [page.autoeval.model.data(page.autoeval.model.index(i, 5)) for i in range(4)]
    assert shown == ["Conforme", "Conforme", "Conforme", "Non conforme"]
    after = {c.ref: c for c in scores.synthese(page.ctx.db, cid).criteres}["1.2-05"]
    assert (after.satisfaction, after.evalues) == (75.0, 4) and before.evalues < 4
    tree_item = page.autoeval.tree.currentItem()
    assert tree_item.text(1) == "75 %"  # the tree redrew from the change bus


def test_drop_a_file_as_evidence(page, qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _select_criterion(page, "3.1-05")
    drop = page.autoeval.preuves
    n = drop.count()
    before = {c.ref: c for c in page.preparation._syn.chapitres}["3"].preuves_valides
    f = tmp_path / "plan_blanc_2026.pdf"
    f.write_bytes(b"%PDF-1.4 plan blanc")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f))])
    target = drop.viewport()
    enter = _drag_enter(mime)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    ev = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, ev)
    qtbot.waitUntil(lambda: drop.count() == n + 1)
    assert any("plan blanc 2026" in drop.item(i).text() for i in range(drop.count()))
    after = {c.ref: c for c in page.preparation._syn.chapitres}["3"].preuves_valides
    assert after == before + 1  # the coverage on the readiness tab changed


def test_readiness_tab_says_the_thresholds_are_ours(page) -> None:  # type: ignore[no-untyped-def]
    page.tabs.setCurrentIndex(1)
    text = page.preparation.decision.text()
    assert "Certifié sous conditions" in text
    assert page.preparation.table.rowCount() == 15  # 3 chapters + 12 objectives
    todo = [page.preparation.todo.item(i).text() for i in range(page.preparation.todo.count())]
    assert todo[0].startswith("Traiter l'impératif non atteint 2.2-06")
    page.preparation.show_chart()
    assert page.preparation.findChild(object, "graphique_reponses") is not None


def test_non_conformity_to_paqss_action(page, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.paqss import services as paqss

    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    _select_criterion(page, "2.1-03")
    page.autoeval.view.selectRow(0)
    n = len(paqss.list_actions(page.ctx.db))
    qtbot.mouseClick(page.autoeval.action_btn, Qt.MouseButton.LeftButton)
    assert len(paqss.list_actions(page.ctx.db)) == n + 1


def test_empty_state_then_start(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialog, QLineEdit

    from qualite_app.gui.certification.page import CertificationPage
    from qualite_app.gui.context import AppContext, ChangeBus
    from qualite_app.settings import Settings

    p = CertificationPage(AppContext(db, ChangeBus(), Settings()))
    qtbot.addWidget(p)
    p.show()
    assert p.stack.currentWidget() is p.empty and not p.buttons["exporter"].isEnabled()

    def fill() -> None:
        dlg = p.last_dialog
        assert dlg.referentiel.currentText().startswith("HAS")  # the real référentiel first
        qtbot.keyClicks(dlg.findChild(QLineEdit, "campagne_nom"), "Autoevaluation 2027")
        dlg.visite.on.setChecked(True)
        dlg.done(QDialog.DialogCode.Accepted)

    QTimer.singleShot(50, fill)
    qtbot.mouseClick(p.findChild(object, "btn_demarrer"), Qt.MouseButton.LeftButton)
    rows = campagnes.campagnes(db)
    assert [c.nom for c in rows] == ["Autoevaluation 2027"] and rows[0].date_visite is not None
    assert p.stack.currentWidget() is p.tabs and p.autoeval.tree.topLevelItemCount() == 3
    assert "visite le" in p.preparation.decision.text()


def test_director_changes_a_level_and_replaces_evidence(page, qtbot, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    from qualite_app.certification import preuves, referentiels

    _select_criterion(page, "1.1-04")
    nid = page.autoeval.critere_id
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Impératif", True))
    page.autoeval.change_level(nid)
    qtbot.waitUntil(
        lambda: (
            page.autoeval.tree.currentItem() is not None
            and page.autoeval.tree.currentItem().text(0)[-1] in "●⚠"  # marked impératif (met / unmet)
        )
    )
    rid = campagnes.campagne(page.ctx.db, page.campagne_id()).referentiel_id
    assert next(n for n in referentiels.noeuds(page.ctx.db, rid) if n.ref == "1.1-04").niveau == "imperatif"
    new = tmp_path / "directives_anticipees_v2.pdf"
    new.write_bytes(b"%PDF-1.4 v2")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(new), ""))
    pid = page.autoeval.preuves.item(0).data(Qt.ItemDataRole.UserRole)
    page.autoeval.evidence.replace_evidence(pid)
    qtbot.waitUntil(
        lambda: (
            "v2)" in page.autoeval.preuves.item(0).text()
            or "v2)" in page.autoeval.preuves.item(page.autoeval.preuves.count() - 1).text()
        )
    )
    assert [v[0] for v in preuves.versions(page.ctx.db, pid)] == [1, 2]
    assert preuves.copie_a_ouvrir(page.ctx.db, pid).read_bytes() == b"%PDF-1.4 v2"


def test_evaluation_session_and_its_answers(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit

    bar = page.autoeval.seances

    def fill() -> None:
        dlg = bar.last_dialog
        m = dlg.findChild(QComboBox, "seance_methode")
        m.setCurrentIndex(m.findData("traceur_cible"))
        qtbot.keyClicks(dlg.findChild(QLineEdit, "seance_service"), "Pharmacie")
        dlg.findChild(QLineEdit, "seance_equipe").setText(
            "Pharmacien, cadre de santé"
        )  # keyClicks: ASCII only
        dlg.done(QDialog.DialogCode.Accepted)

    QTimer.singleShot(50, fill)
    qtbot.mouseClick(bar.findChild(object, "btn_nouvelle_seance"), Qt.MouseButton.LeftButton)
    assert bar.current() is not None and bar.current().libelle.startswith("Traceur ciblé du ")
    _select_criterion(page, "2.2-02")
    page.autoeval.view.selectRow(0)
    qtbot.keyClick(page.autoeval.view, "p")
    qtbot.wait(10)
    bar.only.setChecked(True)
    rows = page.autoeval.model.rows
    assert (
        [r.ref for r in rows] == ["2.2-02-EE01"]
        and rows[0].valeur == "partiel"
        and rows[0].methode == "traceur_cible"
    )
    assert "(1 réponse(s))" in bar.combo.currentText()


def test_grid_model_contract(qtmodeltester, demo_db) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.gui.certification.model import GrilleModel

    model = GrilleModel(demo_db)
    model.campagne_id = campagnes.trouver_campagne(demo_db, None)
    model.refresh()
    qtmodeltester.check(model)
    assert model.rowCount() == 585 and model.headerData(5, Qt.Orientation.Horizontal) == "Réponse"


def test_link_a_paqss_action_as_evidence(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    """« Lier un élément… » opens the criterion's « Lier à… » (the global search): the action chosen becomes
    evidence of the criterion, in its evidence list and in its links."""
    from qualite_app.paqss import services as paqss

    ref = paqss.list_actions(page.ctx.db)[0].reference
    _select_criterion(page, "3.1-01")
    n = page.autoeval.preuves.count()
    lier_a(qtbot, page.autoeval.liens, ref, lambda r: r.item_type == "action" and r.reference == ref,
           bouton=page.autoeval.findChild(object, "btn_lier_element"))  # fmt: skip
    qtbot.waitUntil(lambda: page.autoeval.preuves.count() == n + 1)
    texts = [page.autoeval.preuves.item(i).text() for i in range(page.autoeval.preuves.count())]
    assert any(t.startswith(f"Action PAQSS {ref} — action PAQSS n° ") for t in texts)
    assert page.autoeval.bas.currentWidget() is page.autoeval.liens
    assert (ref, "← preuve du critère") in [(r, nature) for r, _t, nature in lignes(page.autoeval.liens)]


def test_export_the_dossier_from_the_page(page, qtbot, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import zipfile

    from PySide6.QtWidgets import QFileDialog, QInputDialog

    target = tmp_path / "dossier.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (a[3][-1], True))  # « (sans signature) »
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: shown.append(text))
    qtbot.mouseClick(page.buttons["exporter"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=60_000)
    assert shown[0].startswith(f"Dossier écrit : {target}") and "150 preuve(s)" in shown[0]
    with zipfile.ZipFile(target) as zf:
        assert (
            "index.pdf" in zf.namelist()
            and len([n for n in zf.namelist() if n.startswith("preuves/")]) == 150
        )


def test_full_answer_with_comment_and_evaluator(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QComboBox, QDialog, QPlainTextEdit

    _select_criterion(page, "1.3-02")
    view = page.autoeval.view
    view.setFocus()
    view.selectRow(1)

    def fill() -> None:
        dlg = page.autoeval.last_dialog
        dlg.findChild(QComboBox, "reponse_valeur").setCurrentIndex(2)  # non conforme
        qtbot.keyClicks(dlg.findChild(QPlainTextEdit, "reponse_commentaire"), "Formulaire non cosigne")
        ev = dlg.findChild(QComboBox, "reponse_evaluateur")
        ev.setCurrentIndex(3)
        fill.who = ev.currentText()  # type: ignore[attr-defined]
        dlg.done(QDialog.DialogCode.Accepted)

    QTimer.singleShot(50, fill)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.autoeval.model.rows[1].commentaire == "Formulaire non cosigne")
    r = page.autoeval.model.rows[1]
    assert r.valeur == "non_conforme" and r.evaluateur.lower() == fill.who.lower()  # type: ignore[attr-defined]
    m = page.autoeval.model
    assert m.data(m.index(1, 6)) == "Formulaire non cosigne"


def test_retired_criterion_shown_with_its_answers(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    import yaml

    from qualite_app.certification import referentiels
    from qualite_app.certification.campagnes import Reponse
    from qualite_app.gui.certification.page import CertificationPage
    from qualite_app.gui.context import AppContext, ChangeBus
    from qualite_app.settings import Settings

    def doc(version: str, refs: list[str]) -> bytes:
        nodes = [{"urn": "u:1", "type": "chapitre", "ref": "1", "titre": "Chapitre"}]
        for r in refs:
            nodes.append(
                {
                    "urn": f"u:{r}",
                    "parent": "u:1",
                    "type": "critere",
                    "ref": r,
                    "titre": f"Critère {r}",
                    "niveau": "standard",
                }
            )
        return yaml.safe_dump({"urn": "u", "version": version, "nom": "Essai", "noeuds": nodes}).encode()

    res = referentiels.importer(db, doc("1", ["1-01", "1-02"]))
    cid = campagnes.creer_campagne(db, "C", res.referentiel_id)
    ids = {n.ref: n.id for n in referentiels.noeuds(db, res.referentiel_id)}
    campagnes.repondre(db, cid, ids["1-02"], Reponse("conforme"))
    referentiels.importer(db, doc("2", ["1-01"]))
    p = CertificationPage(AppContext(db, ChangeBus(), Settings()))
    qtbot.addWidget(p)
    p.show()
    chapter = p.autoeval.tree.topLevelItem(0)
    texts = [chapter.child(i).text(0) for i in range(chapter.childCount())]
    assert texts == ["1-01 Critère 1-01", "1-02 Critère 1-02 (retiré)"]
    grid = [p.autoeval.model.data(p.autoeval.model.index(i, 0)) for i in range(p.autoeval.model.rowCount())]
    assert grid == ["1-01", "1-02 (retiré)"]
    assert p.autoeval.model.rows[1].valeur == "conforme"  # its answer kept


def test_thresholds_and_comparison_dialogs(page, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog, QDoubleSpinBox, QInputDialog, QTableWidget

    def set_threshold() -> None:
        dlg = QApplication.activeModalWidget()
        dlg.findChild(QDoubleSpinBox, "seuil_max_imperatifs_sous_conditions").setValue(1)
        dlg.done(QDialog.DialogCode.Accepted)

    QTimer.singleShot(50, set_threshold)
    qtbot.mouseClick(page.buttons["seuils"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Non certifié" in page.preparation.decision.text())  # 2 unmet > 1 tolerated
    assert campagnes.seuils(page.ctx.db, page.campagne_id()).max_imperatifs_sous_conditions == 1

    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (a[3][0], True))
    seen: dict[str, int] = {}

    def read_comparison() -> None:
        dlg = QApplication.activeModalWidget()
        seen["rows"] = dlg.findChild(QTableWidget, "comparaison").rowCount()
        seen["title"] = dlg.windowTitle()
        dlg.done(QDialog.DialogCode.Rejected)

    QTimer.singleShot(50, read_comparison)
    qtbot.mouseClick(page.buttons["comparer"], Qt.MouseButton.LeftButton)
    assert (
        seen["rows"] > 50 and campagnes.campagnes(page.ctx.db)[1].nom in seen["title"]
    )  # last year's campaign


def test_evidence_tab_filters_expired_and_expiring(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.certification import preuves

    page.tabs.setCurrentIndex(2)
    tab = page.preuves
    assert tab.model.rowCount() == len(preuves.lister(page.ctx.db)) == 154
    tab.filtre.setCurrentIndex(1)
    syn = scores.synthese(page.ctx.db, page.campagne_id())
    assert tab.model.rowCount() == syn.preuves_expirees == 15  # counted once, even when serving two criteria
    tab.filtre.setCurrentIndex(2)
    assert 0 < tab.model.rowCount() < 154
    assert "preuve(s)" in tab.count.text()


def test_evidence_properties_dialog(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from PySide6.QtCore import QDate, QTimer
    from PySide6.QtWidgets import QComboBox, QDialog

    from qualite_app.certification import preuves

    _select_criterion(page, "1.2-01")
    item = page.autoeval.preuves.item(0)
    pid = item.data(Qt.ItemDataRole.UserRole)

    def fill() -> None:
        dlg = page.autoeval.evidence.last_dialog
        dlg.validite.on.setChecked(True)
        dlg.validite.edit.setDate(QDate(2030, 12, 31))
        dlg.findChild(QComboBox, "preuve_confidentialite").setCurrentIndex(2)  # restreint
        dlg.done(QDialog.DialogCode.Accepted)

    QTimer.singleShot(50, fill)
    page.autoeval.evidence.edit_evidence(pid)
    d = preuves.donnees(page.ctx.db, pid)
    assert d.valide_jusqu_au == date(2030, 12, 31) and d.confidentialite == "restreint"
    qtbot.waitUntil(lambda: "31/12/2030" in page.autoeval.preuves.item(0).text())


def test_verify_a_tampered_dossier_from_the_page(page, qtbot, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import zipfile

    from PySide6.QtWidgets import QFileDialog

    from qualite_app.certification import dossier

    good = tmp_path / "dossier.zip"
    dossier.exporter(page.ctx.db, page.campagne_id(), good)
    bad = tmp_path / "falsifie.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        victim = next(n for n in src.namelist() if n.startswith("preuves/"))
        for n in src.namelist():
            dst.writestr(n, b"x" if n == victim else src.read(n))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    qtbot.mouseClick(page.buttons["verifier"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    assert f"ALTÉRÉ : {victim}" in shown[0] and "DOSSIER NON CONFORME" in shown[0]
