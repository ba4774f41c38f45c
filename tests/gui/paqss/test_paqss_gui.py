"""The PAQSS page driven like a user: editor, filters, bulk change, overdue strip, journal, import, evidence, timeline."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from qualite_app.paqss import services as paqss
from qualite_app.storage.database import Database
from tests.helpers.classeurs import messy_workbook
from tests.helpers.liens import groupes, lier_a, lignes

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]  # offscreen platform noise
SHOTS = os.environ.get("QUALITE_SCREENSHOTS")


def _shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / name))


def _late(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.strip_retard.text().rsplit(":", 1)[1])


def test_create_action_in_editor_then_filter_to_it(qtbot, page, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(page.model)
    late_before = _late(page)
    total_before = page.model.rowCount()
    qtbot.mouseClick(page.btn_new, Qt.MouseButton.LeftButton)
    ed = page.editor
    assert ed.isVisible()
    qtbot.mouseClick(
        ed.save_button, Qt.MouseButton.LeftButton
    )  # nothing filled in: messages beside the fields
    assert ed.isVisible()
    assert "obligatoire" in ed.form.errors["titre"].text() and ed.form.errors["titre"].isVisible()
    assert ed.form.errors["objectif_id"].isVisible()
    qtbot.keyClicks(ed.form.titre, "Tracer la douleur aux urgences pediatriques (SAU)")
    ed.form.objectif.setCurrentIndex(ed.form.objectif.findText("A3", Qt.MatchFlag.MatchStartsWith))
    ed.form.pilote.setCurrentIndex(ed.form.pilote.findText("Hélène BRÉVANNE", Qt.MatchFlag.MatchStartsWith))
    ed.form.copilote.setCurrentIndex(ed.form.copilote.findText("Julien ARSAC", Qt.MatchFlag.MatchStartsWith))
    qtbot.keyClicks(ed.form.echeance, "31/02/2020")
    qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)
    assert "n'est pas une date valide" in ed.form.errors["echeance"].text()
    ed.form.echeance.clear()
    qtbot.keyClicks(ed.form.echeance, "01/02/2020")
    ed.tabs.setCurrentIndex(2)
    qtbot.keyClicks(ed.comment_text, "Demande du COPIL du 12/01")
    ed.add_comment()  # queued until the first save
    _shot(ed, "paqss-editeur.png")
    qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)
    assert not ed.isVisible()
    # the page redraws from the ChangeSet of the editor's one transaction
    qtbot.waitUntil(lambda: page.model.rowCount() == total_before + 1)
    assert _late(page) == late_before + 1  # due in 2020: overdue at once

    qtbot.keyClicks(page.filters.search, "douleur aux URGENCES")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=2000)
    idx = page.model.index(0, 1)
    assert page.model.data(idx) == "Tracer la douleur aux urgences pediatriques (SAU)"
    assert (
        page.model.data(idx, Qt.ItemDataRole.BackgroundRole).color().name() == "#fdecea"
    )  # shown as overdue
    assert page.model.data(page.model.index(0, 5)) == "Hélène BRÉVANNE"
    assert page.model.data(page.model.index(0, 6)) == "Julien ARSAC"
    assert page.count_label.text().startswith("1 action")
    aid = page.model.action_id(0)
    assert [c.texte for c in paqss.comments(page.ctx.db, aid)] == ["Demande du COPIL du 12/01"]
    # filters are remembered for the next session
    assert page.ctx.settings.ui_state["paqss"]["filtres"]["texte"] == "douleur aux URGENCES"


def test_bulk_status_of_three_actions_updates_strip_and_journal(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page.filters.echeance.setCurrentIndex(page.filters.echeance.findData("en_retard"))
    late = _late(page)
    assert page.model.rowCount() == late >= 3
    _shot(page, "paqss-liste-en-retard.png")
    view = page.view
    ids = [page.model.action_id(r) for r in range(3)]
    for r in range(3):
        rect = view.visualRect(page.model.index(r, 1))
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, rect.center()
        )
    assert sorted(page.selected_ids()) == sorted(ids)
    asked = []
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("Réalisée", True)))
    monkeypatch.setattr(
        QMessageBox,
        "question",
        staticmethod(lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes),
    )
    qtbot.mouseClick(page.btn_status, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == late - 3)  # redrawn from the ChangeSet
    assert _late(page) == late - 3
    assert page.count_label.text() == f"{late - 3} action(s) — 3 action(s) modifiée(s)"
    assert (
        f"Réalisée : <b>{paqss.summary(page.ctx.db).par_statut['realisee']}</b>"
        in page.strip_labels["realisee"].text()
    )
    for aid in ids:
        assert paqss.get_action(page.ctx.db, aid).statut == "realisee"
    # the journal of each action shows the change
    for aid in ids:
        page.edit(aid)
        ed = page.editor
        ed.tabs.setCurrentIndex(5)
        rows = [[ed.journal.item(r, c).text() for c in range(5)] for r in range(ed.journal.rowCount())]
        assert any(r[2] == "Statut" and r[4] == "Réalisée" for r in rows), rows
        assert any(r[2] == "Avancement (%)" and r[4] == "100" for r in rows)
        assert all("Camille Testeur" in r[1] for r in rows[:2])
        if aid == ids[0]:
            _shot(ed, "paqss-editeur-journal.png")
        ed.reject()


def test_bulk_refusal_changes_nothing(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page.filters.statut.setCurrentIndex(page.filters.statut.findData("en_cours"))
    n = page.model.rowCount()
    page.select_ids([page.model.action_id(r) for r in range(2)])
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("Reportée", True)))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("", True)))
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: shown.append(a[2])))
    qtbot.mouseClick(page.btn_status, Qt.MouseButton.LeftButton)
    assert shown and "motif" in shown[0] and "Aucune action n'a été modifiée" in shown[0]
    page.reload()
    assert page.model.rowCount() == n


def test_import_wizard_preview_and_commit(qtbot, page, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = messy_workbook(tmp_path / "paqss-2026.xlsx")
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getOpenFileName", staticmethod(lambda *a, **k: (str(f), ""))
    )
    infos = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: infos.append(a[2])))
    total = paqss.summary(page.ctx.db).total
    qtbot.mouseClick(page.btn_import, Qt.MouseButton.LeftButton)
    dlg = page.import_dialog
    assert dlg.chosen_mapping()[3] == "titre" and dlg.chosen_mapping()[4] == "pilote"
    _shot(dlg, "paqss-import-correspondance.png")
    qtbot.mouseClick(dlg.preview_button, Qt.MouseButton.LeftButton)
    assert dlg.rows.rowCount() == 4
    assert dlg.refused.rowCount() == 1
    assert [dlg.refused.item(0, c).text() for c in range(3)] == ["9", "Échéance prévue", "31/02/2026"]
    assert "Zébulon INCONNU" in dlg.create_people.text() and dlg.create_people.isChecked()
    _shot(dlg, "paqss-import-apercu.png")
    assert not dlg.commit_button.isEnabled()  # a refused row: nothing is imported unless the user chooses
    dlg.ignore_errors.setChecked(True)
    qtbot.mouseClick(dlg.commit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.import_result is not None, timeout=10000)
    assert paqss.summary(page.ctx.db).total == total + 4
    assert infos and "4 action(s) créée(s)" in infos[0]
    assert page.model.rowCount() == total + 4


def test_evidence_dropped_on_the_editor(qtbot, page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    proof = tmp_path / "compte-rendu CREX.pdf"
    proof.write_bytes(b"%PDF-1.4 compte rendu")
    aid = page.model.action_id(0)
    page.edit(aid)
    ed = page.editor
    ed.tabs.setCurrentIndex(3)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(proof))])
    target = ed.evidence.viewport()
    enter = QDragEnterEvent(
        QPoint(10, 10),  # Qt 6 : QPoint here, QPointF for the drop
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, drop)
    assert [e.nom for e in paqss.evidence(page.ctx.db, aid)] == ["compte-rendu CREX.pdf"]
    assert ed.evidence.count() == 1 and "compte-rendu CREX.pdf" in ed.evidence.item(0).text()
    assert ed.tabs.tabText(3) == "Preuves (1)"
    ed.reject()


def test_timeline_tab_and_pdf(qtbot, page, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.tabs.setCurrentIndex(1)
    g = page.timeline.gantt
    n_axes = len(paqss.tree(page.ctx.db)[0].axes)
    assert len(g._lines) == page.model.rowCount() + n_axes
    assert any(r is not None and r.en_retard for _, r in g._lines)
    wide = g.sizeHint().width()
    page.timeline.zoom.setCurrentIndex(1)
    assert g.sizeHint().width() < wide  # quarters are narrower than months
    _shot(page, "paqss-chronologie.png")
    out = tmp_path / "chrono.pdf"
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getSaveFileName", staticmethod(lambda *a, **k: (str(out), ""))
    )
    page.timeline.save_pdf()
    assert out.read_bytes().startswith(b"%PDF") and out.stat().st_size > 5000
    # « Imprimer… »: the print dialog is accepted with a printer that writes to a file
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printed = tmp_path / "imprime.pdf"

    def accept(dialog):  # type: ignore[no-untyped-def]
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(printed))
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    qtbot.mouseClick(page.timeline.btn_print, Qt.MouseButton.LeftButton)
    assert printed.read_bytes().startswith(b"%PDF") and printed.stat().st_size > 5000


def test_structure_built_from_an_empty_database(qtbot, db: Database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.gui.context import AppContext, ChangeBus
    from qualite_app.gui.paqss.page import PaqssPage
    from qualite_app.settings import Settings

    p = PaqssPage(AppContext(db, ChangeBus(), Settings()))
    qtbot.addWidget(p)
    p.show()
    assert p.tree.topLevelItemCount() == 0 and p.strip_retard.text() == "En retard : 0"
    answers = iter(["PAQSS 2026–2029", "A1 Culture de sécurité", "A1.1 Déclarer les EI"])
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (next(answers), True)))
    # each write's ChangeSet redraws the tree
    qtbot.mouseClick(p.structure.btn_new_prog, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: p.tree.topLevelItemCount() == 1)
    p.tree.setCurrentItem(p.tree.topLevelItem(0))
    qtbot.mouseClick(p.structure.btn_new_axe, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: p.tree.topLevelItem(0).childCount() == 1)
    p.tree.setCurrentItem(p.tree.topLevelItem(0).child(0))
    qtbot.mouseClick(p.structure.btn_new_obj, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: p.tree.topLevelItem(0).child(0).childCount() == 1)
    prog = p.tree.topLevelItem(0)
    assert prog.text(0) == "PAQSS 2026–2029"
    assert prog.child(0).text(0) == "A1 Culture de sécurité"
    assert prog.child(0).child(0).text(0) == "A1.1 Déclarer les EI"
    p.tree.setCurrentItem(prog.child(0).child(0))
    qtbot.mouseClick(p.btn_new, Qt.MouseButton.LeftButton)
    assert p.editor.form.objectif.currentText().endswith(
        "A1.1 Déclarer les EI"
    )  # the selected objective is proposed
    p.editor.reject()


def test_bilan_dialog_previews_then_signs_into_the_register(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rapports = pytest.importorskip("qualite_app.rapports.services")
    rapports.creer_identite_locale(
        page.ctx.db,
        nom="DQ",
        signataire="Julien Arsac",
        fonction="Directeur qualité",
        password="motdepasse-1",
    )
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: None))
    qtbot.mouseClick(page.btn_report, Qt.MouseButton.LeftButton)
    dlg = page.bilan_dialog
    assert dlg.identite.currentData() == "DQ"
    qtbot.mouseClick(dlg.btn_generate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.pdf is not None, timeout=20000)
    assert dlg.preview.page_count >= 3 and dlg.btn_save.isEnabled()
    _shot(dlg, "paqss-bilan.png")
    dlg.recipient.setCurrentText("CME")
    qtbot.keyClicks(dlg.password, "motdepasse-1")
    qtbot.mouseClick(dlg.btn_issue, Qt.MouseButton.LeftButton)
    assert dlg.issued is not None and dlg.password.text() == ""
    last = rapports.dernier(page.ctx.db, "paqss")
    assert last.id == dlg.issued.id and b"/ByteRange" in last.pdf


def test_filters_and_columns_are_restored_in_a_new_session(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.gui.context import AppContext, ChangeBus
    from qualite_app.gui.paqss.page import PaqssPage
    from qualite_app.settings import Settings

    settings = Settings()
    first = PaqssPage(AppContext(demo_db, ChangeBus(), settings))
    qtbot.addWidget(first)
    first.filters.echeance.setCurrentIndex(first.filters.echeance.findData("en_retard"))
    first.view.setColumnWidth(1, 444)
    first.apply_filters()
    settings.save()
    again = PaqssPage(AppContext(demo_db, ChangeBus(), Settings.load()))
    qtbot.addWidget(again)
    assert again.filters.echeance.currentData() == "en_retard"
    assert again.view.columnWidth(1) == 444
    assert again.model.rowCount() == paqss.summary(demo_db).en_retard


def test_delete_selected_actions_after_confirmation(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    total = page.model.rowCount()
    ids = [page.model.action_id(0), page.model.action_id(1)]
    paqss.add_evidence(page.ctx.db, ids[0], b"preuve", "preuve.txt")
    page.select_ids(ids)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    qtbot.mouseClick(page.btn_delete, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == total
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    qtbot.mouseClick(page.btn_delete, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == total - 2)
    assert paqss.evidence(page.ctx.db, ids[0]) == []
    from qualite_app.socle import journal

    assert any(
        j.action == "suppression" and j.entite_type == "Action PAQSS"
        for j in journal.list_entries(page.ctx.db, entite_table="paqss_action")
    )


def test_link_two_actions_from_the_editor(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.socle.liens import links_of

    a, b = [r for r in page.model.rows if not links_of(page.ctx.db, "paqss_action", r.id)][:2]
    page.edit(a.id)
    ed = page.editor
    ed.tabs.setCurrentIndex(4)
    assert ed.liens.items() == [] and "Aucun lien" in ed.liens.hint.text()
    assert ed.tabs.tabText(4) == "Liens (0)"
    lier_a(qtbot, ed.liens, b.reference, lambda r: r.item_type == "action" and r.item_id == b.id)
    assert lignes(ed.liens) == [(b.reference, b.titre, "→ lié à")]
    assert groupes(ed.liens) == ["Actions PAQSS (1)"] and ed.tabs.tabText(4) == "Liens (1)"
    # the action itself is never proposed; linking twice is refused in French
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *k, **kw: warnings.append(k[2])))
    lier_a(qtbot, ed.liens, b.reference, lambda r: r.item_id == b.id)
    assert warnings == ["Ces deux éléments sont déjà liés (« lié à ») : rien n'a été ajouté."]
    qtbot.mouseClick(ed.liens.btn_lier, Qt.MouseButton.LeftButton)
    dlg = ed.liens.last_dialog
    qtbot.keyClicks(dlg.search.field, a.reference)
    qtbot.waitUntil(lambda: "résultat" in dlg.search.status.text(), timeout=3000)
    assert all(it.data(0, Qt.ItemDataRole.UserRole).item_id != a.id for it in dlg.search.result_items()
               if it.data(0, Qt.ItemDataRole.UserRole).item_type == "action")  # fmt: skip
    dlg.reject()
    assert [lk.libelle for lk in paqss.links(page.ctx.db, b.id)] == [
        f"{a.reference} — {a.titre}"
    ]  # seen from both ends
    ed.reject()


def test_progress_at_100_proposes_realisee_and_open_milestones_ask_confirmation(
    qtbot, page, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    row = next(r for r in page.model.rows if r.statut == "en_cours")
    page.edit(row.id)
    ed = page.editor
    ed.tabs.setCurrentIndex(1)
    qtbot.mouseClick(ed.add_jalon_button, Qt.MouseButton.LeftButton)
    last = ed.jalons.rowCount() - 1
    ed.jalons.item(last, 0).setText("Audit de suivi")
    ed.jalons.item(last, 1).setText("15/01/2027")
    ed.tabs.setCurrentIndex(0)
    ed.form.avancement.setValue(100)
    assert ed.form.propose.isVisible() and ed.form.propose.text() == "Passer à « Réalisée »"
    qtbot.mouseClick(ed.form.propose, Qt.MouseButton.LeftButton)
    assert ed.form.statut.currentData() == "realisee" and not ed.form.propose.isVisible()
    asked = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        staticmethod(lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No),
    )
    qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)
    assert asked and "non fait" in asked[0] and ed.isVisible()  # refused: nothing saved
    assert paqss.get_action(page.ctx.db, row.id).statut == "en_cours"
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)
    saved = paqss.get_action(page.ctx.db, row.id)
    assert (
        saved.statut == "realisee"
        and saved.jalons[-1].libelle == "Audit de suivi"
        and not saved.jalons[-1].fait
    )


def test_export_menu_writes_the_filtered_list_and_the_calendar(
    qtbot, page, monkeypatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from icalendar import Calendar
    from openpyxl import load_workbook

    page.filters.echeance.setCurrentIndex(page.filters.echeance.findData("en_retard"))
    late = page.model.rowCount()
    target = {"xlsx": tmp_path / "retard.xlsx", "ics": tmp_path / "retard.ics"}
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getSaveFileName",
        staticmethod(lambda _p, _t, name, _f: (str(target[name.rsplit(".", 1)[1]]), "")),
    )
    labels = {a.text(): a for a in page.export_menu.actions()}
    labels["Liste filtrée (.xlsx)…"].trigger()
    ws = load_workbook(target["xlsx"]).worksheets[0]
    assert ws.max_row == late + 1  # header + the overdue actions only
    labels["Échéances pour l'agenda (.ics)…"].trigger()
    events = list(Calendar.from_ical(target["ics"].read_bytes()).walk("VEVENT"))
    assert len([e for e in events if "jalon" not in str(e["uid"])]) == late
    assert page.count_label.text().endswith(str(target["ics"]))


def test_link_an_action_to_an_indicator_from_the_editor(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    """The chain action → indicator: chosen in the editor, seen in the links and on the indicator's chart."""
    from qualite_app.indicateurs import services as indicateurs
    from qualite_app.socle.liens import links_of

    row = next(r for r in page.model.rows if not links_of(page.ctx.db, "paqss_action", r.id))
    page.edit(row.id)
    ed = page.editor
    ed.tabs.setCurrentIndex(4)
    lier_a(qtbot, ed.liens, "ESCARRES", lambda r: r.item_type == "indicateur" and r.reference == "ESCARRES")
    assert [(ref, nature) for ref, _t, nature in lignes(ed.liens)] == [("ESCARRES", "→ suivie par l'indicateur")]
    iid = indicateurs.indicateur_id(page.ctx.db, "ESCARRES")
    assert row.reference in [r for r, _t, _d in paqss.actions_for_indicator(page.ctx.db, iid)]
    start = paqss.get_action(page.ctx.db, row.id).date_debut
    serie = indicateurs.serie(page.ctx.db, iid)
    if start is not None and serie.periodes and serie.periodes[0].debut <= start <= serie.periodes[-1].debut:
        assert any(a.nature == "action" and a.texte.startswith(row.reference) for a in serie.annotations)
    ed.reject()


def _tick(qtbot, pick, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type in the pick's filter (without accents: the filter ignores them), then tick the first
    visible name with the space bar, like a user."""
    from qualite_app.rules.text import fold

    qtbot.keyClicks(pick.filter, fold(text))
    lst = pick.list
    row = next(i for i in range(lst.count()) if not lst.isRowHidden(i))
    lst.setFocus()
    lst.setCurrentRow(row)
    qtbot.keyClick(lst, Qt.Key.Key_Space)


def test_extra_copilot_and_service_from_the_editor_then_filters_and_journal(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.etablissement import annuaire

    db = page.ctx.db
    row = next(
        r
        for r in page.model.rows
        if not (paqss.get_action(db, r.id).autres_copilotes or paqss.get_action(db, r.id).autres_services)
    )
    d = paqss.get_action(db, row.id)
    person_id, person = next((i, n) for i, n in annuaire.choices(db) if i not in (d.pilote_id, d.copilote_id))
    person = person.split(" — ")[0]
    service_id, service = next((i, n) for i, n in paqss.service_choices(db) if i != d.service_id)
    before_p = {r.id for r in paqss.list_actions(db, paqss.ActionFilter(pilote_id=person_id))}
    before_s = {r.id for r in paqss.list_actions(db, paqss.ActionFilter(service_id=service_id))}
    assert row.id not in before_p and row.id not in before_s
    page.edit(row.id)
    ed = page.editor
    _tick(qtbot, ed.form.autres_copilotes, person)
    _tick(qtbot, ed.form.autres_services, service)
    assert ed.form.autres_copilotes.checked() == [person_id]
    assert ed.form.autres_services.checked() == [service_id]
    _shot(ed, "paqss-editeur-equipe.png")
    qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)
    assert not ed.isVisible()
    assert paqss.get_action(db, row.id).autres_copilotes == [person_id]
    # the list filtered by that person / that service shows the action
    page.filters.pilote.setCurrentIndex(page.filters.pilote.findData(person_id))
    page.apply_filters()
    assert row.id in [page.model.action_id(i) for i in range(page.model.rowCount())]
    page.filters.pilote.setCurrentIndex(0)
    page.filters.service.setCurrentIndex(page.filters.service.findData(service_id))
    page.apply_filters()
    assert row.id in [page.model.action_id(i) for i in range(page.model.rowCount())]
    assert page.model.rowCount() == len(before_s | {row.id})
    # reopened: the ticks are there, and the journal says who added what
    page.edit(row.id)
    ed = page.editor
    assert ed.form.autres_copilotes.checked() == [person_id] and ed.form.autres_services.checked() == [
        service_id
    ]
    champs = [ed.journal.item(r, 2).text() for r in range(ed.journal.rowCount())]
    news = [ed.journal.item(r, 4).text() for r in range(ed.journal.rowCount())]
    assert "Copilote d'action PAQSS — création" in champs
    assert "Service d'action PAQSS — création" in champs
    assert any(person in n for n in news) and any(service in n for n in news)
    ed.reject()
