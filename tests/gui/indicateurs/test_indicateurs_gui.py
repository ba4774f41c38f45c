"""The Indicateurs page driven like a user: filter, open a card, rebase (the chart's limits change), type, paste, export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QLineEdit

from qualite_app.indicateurs import demo as demo_ind
from qualite_app.indicateurs import services as svc
from qualite_app.storage.database import Database

CAL = demo_ind.calendrier(date.today())  # the demo fixtures are loaded today: their series end last month
DROP = CAL.mois[demo_ind.FALLS_PROGRAMME + 1]  # the falls drop from this month

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]  # offscreen platform noise


@pytest.fixture
def page(qtbot, demo_db: Database):  # type: ignore[no-untyped-def]
    from qualite_app.gui.app import setup_application
    from qualite_app.gui.context import AppContext, ChangeBus
    from qualite_app.gui.indicateurs.page import IndicateursPage
    from qualite_app.settings import Settings

    setup_application(QApplication.instance())  # type: ignore[arg-type]
    ctx = AppContext(demo_db, ChangeBus(), Settings())
    p = IndicateursPage(ctx)
    qtbot.addWidget(p)
    p.resize(1400, 900)
    p.show()
    qtbot.waitExposed(p)
    return p


def codes(page) -> set[str]:  # type: ignore[no-untyped-def]
    return {w.carte.code for w in page.dashboard.cards}


def test_filter_open_card_rebase_changes_limits(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.gui.indicateurs.annotations import RebaseDialog
    from qualite_app.gui.indicateurs.cartes import CarteWidget

    dash = page.dashboard
    assert len(dash.cards) == 30
    assert dash.summary.text().startswith("30 indicateur(s)")
    dash.theme.setFocus()
    qtbot.keyClicks(dash.theme, "S")  # keyboard search in the list (QTest types ASCII only)
    assert dash.theme.currentText() == "Sécurité des soins"
    assert codes(page) == {"CHUTES", "ESCARRES", "CHECKLIST", "TRANSFUSION"}
    shown = [w for w in dash.holder.findChildren(CarteWidget) if w.isVisible()]
    assert sorted(w.carte.code for w in shown) == [
        "CHECKLIST",
        "CHUTES",
        "ESCARRES",
        "TRANSFUSION",
    ]  # no leftover card
    assert dash.summary.text().startswith("4 indicateur(s)")
    card = dash.card("CHUTES")
    assert "Amélioration (cause spéciale)" in card.toolTip()
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    detail = page.detail
    assert page.stack.currentWidget() is detail
    assert "CHUTES" in detail.title.text()
    assert detail.reading.text().startswith(
        f"18 points en dessous de la moyenne depuis {DROP.libelle} : amélioration"
    )
    before = detail.limit_lines()["lsc"]
    assert "limites recalculées" not in detail.info.text()

    def fake_exec(dlg: RebaseDialog) -> int:
        dlg.periode.setCurrentIndex(dlg.periode.findText(DROP.libelle))
        qtbot.keyClicks(dlg.motif, "Programme chutes (action PAQSS)")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(RebaseDialog, "exec", fake_exec)
    qtbot.mouseClick(detail.rebase_btn, Qt.MouseButton.LeftButton)
    after = detail.limit_lines()["lsc"]
    assert f"limites recalculées au {DROP.debut:%d/%m/%Y}" in detail.info.text()
    assert len(detail.serie.spc.segments) == 2
    # the limits drawn after July 2024 are much lower: new segment, new centre
    assert max(after[-18:]) < min(before[-18:]) - 2
    assert detail.undo_rebase_btn.isEnabled()
    # back to the dashboard: the card still opens, the rebase is in the database
    qtbot.mouseClick(detail.back_btn, Qt.MouseButton.LeftButton)
    assert page.stack.currentWidget() is page.dashboard
    sr = svc.serie(page.ctx.db, card.carte.indicateur_id)
    assert [a.texte for a in sr.annotations if a.nature == "rebase"] == ["Programme chutes (action PAQSS)"]


def test_rebase_without_reason_is_refused(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.gui.indicateurs import detail as detail_mod

    warnings: list[str] = []
    monkeypatch.setattr(
        "qualite_app.gui.operations.QMessageBox.warning", lambda parent, title, text: warnings.append(text)
    )
    monkeypatch.setattr(detail_mod.RebaseDialog, "exec", lambda dlg: QDialog.DialogCode.Accepted)
    qtbot.mouseClick(page.dashboard.card("IDENTITO"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.detail.rebase_btn, Qt.MouseButton.LeftButton)
    assert warnings and "motif" in warnings[0]
    assert len(page.detail.serie.spc.segments) == 1


def test_keyboard_entry_and_paste(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(page.dashboard.card("PLAINTES"), Qt.MouseButton.LeftButton)
    table = page.detail.table
    model = page.detail.model
    n = len(model.rows)
    # type a value on the empty last row: the next period is proposed
    table.setCurrentIndex(model.index(n, 3))
    table.setFocus()
    qtbot.keyClicks(table, "7")
    editor = table.indexWidget(table.currentIndex())  # the open editor
    assert isinstance(editor, QLineEdit) and editor.text() == "7"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(model.rows) == n + 1)
    assert model.rows[-1]["periode"] == CAL.mois[-1].suivante().code and model.rows[-1]["valeur"] == 7
    # paste a column copied from Excel (decimal comma) below it
    table.setCurrentIndex(model.index(n + 1, 3))
    QApplication.clipboard().setText("9\r\n12,5\r\n")
    qtbot.keyClick(table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(model.rows) == n + 3)
    first = CAL.mois[-1].suivante()
    assert [r["periode"] for r in model.rows[-3:]] == [
        first.code,
        first.suivante().code,
        first.suivante().suivante().code,
    ]
    assert model.rows[-1]["valeur"] == 12.5
    assert page.detail.serie.valeurs[-1] == 12.5  # the chart was redrawn with the new results
    # « DI » typed in Statut on an existing row: shown, no value plotted
    table.setCurrentIndex(model.index(n + 1, 5))
    table.setFocus()
    qtbot.keyClicks(table, "D")  # the first key opens the editor…
    editor = table.indexWidget(table.currentIndex())  # the open editor
    qtbot.keyClicks(editor, "I")  # … which receives the rest (offscreen windows do not move focus)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: page.detail.serie.statuts[-2] == "DI")
    rows = {m.periode: m for m in svc.list_mesures(page.ctx.db, page.detail.indicateur_id)}
    assert rows[first.suivante().code].statut == "DI" and rows[first.suivante().code].valeur is None
    assert page.detail.serie.valeurs[-2] is None


def test_export_png_svg_and_save_dashboard(qtbot, page, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(page.dashboard.card("IDENTITO"), Qt.MouseButton.LeftButton)
    target = tmp_path / "identito"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    qtbot.mouseClick(page.detail.png_btn, Qt.MouseButton.LeftButton)
    assert (tmp_path / "identito.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    qtbot.mouseClick(page.detail.svg_btn, Qt.MouseButton.LeftButton)
    assert b"<svg" in (tmp_path / "identito.svg").read_bytes()[:400]
    qtbot.mouseClick(page.detail.back_btn, Qt.MouseButton.LeftButton)
    dash = page.dashboard
    dash.secteur.setCurrentIndex(dash.secteur.findText("PSY", Qt.MatchFlag.MatchContains))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Psychiatrie", True)))
    qtbot.mouseClick(dash.save_btn, Qt.MouseButton.LeftButton)
    assert dash.tableau.currentText() == "Psychiatrie"
    assert svc.get_tableau(page.ctx.db, "psychiatrie").filtres.secteur == "PSY"
    dash.tableau.setCurrentIndex(dash.tableau.findText("CDU"))
    assert len(dash.cards) == 8


def test_indicator_list_edit_definition_and_target(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from qualite_app.gui.indicateurs.liste import IndicateurDialog

    page.tabs.setCurrentIndex(1)
    liste = page.liste
    qtbot.keyClicks(liste.search, "BMR")
    assert [r.code for r in liste.model.rows] == ["BMR"]
    liste.select_code("BMR")
    opened: list[IndicateurDialog] = []

    def fake_exec(dlg: IndicateurDialog) -> int:
        opened.append(dlg)
        dlg.libelle.clear()
        qtbot.keyClicks(dlg.libelle, "BMR acquises pour 1000 journees")
        qtbot.mouseClick(dlg.add_cible_btn, Qt.MouseButton.LeftButton)
        r = dlg.cibles.rowCount() - 1
        dlg.cibles.item(r, 0).setText("01/01/2026")
        dlg.cibles.item(r, 2).setText("0,4")
        dlg.cibles.item(r, 3).setText("0,6")
        dlg.cibles.item(0, 1).setText("31/12/2025")  # the old target ends
        dlg.buttons.button(dlg.buttons.StandardButton.Save).click()
        return 1

    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(IndicateurDialog, "exec", fake_exec)
    try:
        qtbot.mouseClick(liste.edit_btn, Qt.MouseButton.LeftButton)
    finally:
        monkeypatch.undo()
    assert opened and opened[0].error.text() == ""
    data = svc.get_indicateur(page.ctx.db, svc.indicateur_id(page.ctx.db, "BMR"))
    assert data.libelle == "BMR acquises pour 1000 journees"
    assert [(c.debut, c.cible) for c in data.cibles] == [(date(2020, 1, 1), 0.5), (date(2026, 1, 1), 0.4)]
    qtbot.waitUntil(
        lambda: liste.model.rows and liste.model.rows[0].libelle == "BMR acquises pour 1000 journees"
    )


def test_import_dialog_preview_then_commit(qtbot, page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.gui.indicateurs.imports import ImportMesuresDialog

    f = tmp_path / "import.csv"
    after, later = (
        CAL.mois[-1].suivante().code,
        CAL.mois[-1].suivante().suivante().code,
    )  # after the demo's results
    f.write_text(f"Code;Période;Valeur\nPLAINTES;{after};8\nPLAINTES;{later};abc\n", encoding="utf-8")
    dlg = ImportMesuresDialog(page.ctx, f, page)
    qtbot.addWidget(dlg)
    assert "Ligne 3, colonne « Valeur »" in dlg.errors.toPlainText()
    assert not dlg.import_btn.isEnabled()
    f.write_text(f"Code;Période;Valeur\nPLAINTES;{after};8\nPLAINTES;{later};6\n", encoding="utf-8")
    dlg = ImportMesuresDialog(page.ctx, f, page)
    qtbot.addWidget(dlg)
    assert dlg.grid.rowCount() == 2 and dlg.import_btn.isEnabled()
    assert dlg.summary.text() == "2 résultat(s) : 2 nouveau(x), 0 mise(s) à jour."
    qtbot.mouseClick(dlg.import_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: dlg.result() == dlg.DialogCode.Accepted and dlg.isHidden()
    )  # imported off the UI thread
    rows = {
        m.periode: m.valeur for m in svc.list_mesures(page.ctx.db, svc.indicateur_id(page.ctx.db, "PLAINTES"))
    }
    assert rows[after] == 8 and rows[later] == 6


def test_has_dialog_uncheck_then_import(qtbot, page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.gui.indicateurs.imports import HasImportDialog
    from tests.helpers.has import make_has_xlsx

    f = make_has_xlsx(tmp_path / "has.xlsx")
    dlg = HasImportDialog(page.ctx, f, page)
    qtbot.addWidget(dlg)
    dlg.periode.clear()
    qtbot.keyClicks(dlg.periode, "2026")
    qtbot.mouseClick(dlg.analyse_btn, Qt.MouseButton.LeftButton)
    assert "ligne 3" in dlg.info.text()
    codes = [dlg.grid.item(r, 0).text() for r in range(dlg.grid.rowCount())]
    assert codes == ["ESATIS48H-MCO", "ICSHA", "QLS-CA", "QLS-MCO"]
    dlg.grid.item(codes.index("QLS-CA"), 0).setCheckState(Qt.CheckState.Unchecked)
    qtbot.mouseClick(dlg.import_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.result() == dlg.DialogCode.Accepted)
    assert {r.code for r in svc.list_indicateurs(page.ctx.db)}.isdisjoint({"QLS-CA"})
    rows = {
        m.periode: m for m in svc.list_mesures(page.ctx.db, svc.indicateur_id(page.ctx.db, "ESATIS48H-MCO"))
    }
    assert rows["2026"].valeur == 74.6


def test_dashboard_period_filter(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    dash = page.dashboard
    dash.periode.setFocus()
    month = CAL.mois[6]  # a month well inside the demo's series
    qtbot.keyClicks(dash.periode, month.code)
    qtbot.keyClick(dash.periode, Qt.Key.Key_Return)
    card = dash.card("PLAINTES")
    assert card.carte.periode == month.libelle
    assert dash.card("ICSHA").carte.periode == str(month.debut.year)


def test_delete_a_result_from_the_grid(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    qtbot.mouseClick(page.dashboard.card("PLAINTES"), Qt.MouseButton.LeftButton)
    table, model = page.detail.table, page.detail.model
    n = len(model.rows)
    asked: list[str] = []

    def yes(parent, title, text, *a, **k):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(yes))
    table.setCurrentIndex(model.index(n - 1, 0))
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert asked == [f"Supprimer 1 résultat(s) ({CAL.mois[-1].libelle}) ?"]
    assert len(model.rows) == n - 1
    assert CAL.mois[-1].code not in {
        m.periode for m in svc.list_mesures(page.ctx.db, page.detail.indicateur_id)
    }
    assert page.detail.serie.periodes[-1].code == CAL.mois[-2].code


def test_page_is_registered() -> None:
    from qualite_app.gui.pages import PAGES

    spec = next(s for s in PAGES if s.key == "indicateurs")
    assert spec.target.endswith(":IndicateursPage") and spec.label == "Indicateurs"


def test_undo_last_rebase(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    qtbot.mouseClick(page.dashboard.card("HH-AUDIT"), Qt.MouseButton.LeftButton)
    detail = page.detail
    assert f"limites recalculées au {CAL.mois[demo_ind.NEW_AUDIT_GRID].debut:%d/%m/%Y}" in detail.info.text()
    qtbot.mouseClick(detail.undo_rebase_btn, Qt.MouseButton.LeftButton)
    assert "limites recalculées" not in detail.info.text()
    assert len(detail.serie.spc.segments) == 1 and not detail.undo_rebase_btn.isEnabled()


def test_first_result_of_a_new_indicator(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    iid = svc.save_indicateur(
        page.ctx.db, svc.IndicateurData(code="NOUV", libelle="Nouvel indicateur", type="nombre", unite="")
    )
    page.open_indicator(iid)
    table, model = page.detail.table, page.detail.model
    assert model.rowCount() == 1 and not page.detail.note_btn.isEnabled()
    table.setCurrentIndex(model.index(0, 0))
    table.setFocus()
    qtbot.keyClicks(table, "2")
    editor = table.indexWidget(table.currentIndex())
    qtbot.keyClicks(editor, "026-01")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)  # the period alone waits for a value
    qtbot.waitUntil(lambda: model.pending.get("periode") == "2026-01")
    assert svc.list_mesures(page.ctx.db, iid) == []
    table.setCurrentIndex(model.index(0, 3))
    table.setFocus()
    qtbot.keyClicks(table, "5")
    qtbot.keyClick(table.indexWidget(table.currentIndex()), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(model.rows) == 1)
    assert [(m.periode, m.valeur) for m in svc.list_mesures(page.ctx.db, iid)] == [("2026-01", 5.0)]


def test_delete_saved_dashboard(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    dash = page.dashboard
    assert not dash.delete_btn.isEnabled()
    dash.tableau.setCurrentIndex(dash.tableau.findText("Hygiène"))
    assert dash.delete_btn.isEnabled() and len(dash.cards) == 5
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    qtbot.mouseClick(dash.delete_btn, Qt.MouseButton.LeftButton)
    assert dash.tableau.findText("Hygiène") == -1
    assert [t.nom for t in svc.list_tableaux(page.ctx.db)] == ["CDU", "CME"]
    assert len(dash.cards) == 30


def test_report_button_writes_the_pdf(qtbot, page, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    dash = page.dashboard
    dash.tableau.setCurrentIndex(dash.tableau.findText("Hygiène"))
    target = tmp_path / "hygiene.pdf"
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("Hygiène", True)))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    done: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", staticmethod(lambda parent, title, text: done.append(text))
    )
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No)
    )  # not signed
    qtbot.mouseClick(dash.report_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(done), timeout=90000)
    assert target.read_bytes().startswith(b"%PDF") and "pages" in done[0]


def test_has_dialog_several_sites_lets_the_user_choose(qtbot, page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Issue 8, point 14: our EJ has two sites in the file and no FINESS ET is known: the dialog lists them."""

    from qualite_app.gui.indicateurs.imports import HasImportDialog
    from tests.helpers.has import SITES_HEADERS, only_ej, sites_rows, workbook

    only_ej(page.ctx.db)
    f = workbook(tmp_path / "esatis-ssr-2023.xlsx", SITES_HEADERS, sites_rows())
    dlg = HasImportDialog(page.ctx, f, page)
    qtbot.addWidget(dlg)
    dlg.periode.clear()
    qtbot.keyClicks(dlg.periode, "2023")
    qtbot.mouseClick(dlg.analyse_btn, Qt.MouseButton.LeftButton)
    assert "plusieurs sites" in dlg.info.text() and not dlg.import_btn.isEnabled()
    assert not dlg.site.isHidden()
    choices = [dlg.site.itemText(k) for k in range(dlg.site.count())]
    assert any("Centre de réadaptation des Pins" in c and "190000049" in c for c in choices), choices
    dlg.site.setCurrentIndex(dlg.site.findData("190000049"))  # choosing a site analyses again
    assert "Centre de réadaptation des Pins" in dlg.info.text() and "GHT" not in dlg.info.text()
    assert dlg.grid.item(0, 0).text() == "ESATIS-SMR" and dlg.grid.item(0, 2).text() == "68"
    qtbot.mouseClick(dlg.import_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.result() == dlg.DialogCode.Accepted)
    rows = {m.periode: m for m in svc.list_mesures(page.ctx.db, svc.indicateur_id(page.ctx.db, "ESATIS-SMR"))}
    assert rows["2023"].valeur == 68.0


def test_detail_shows_figures_first_then_draws_chart_after_paint(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    """Opening an indicator shows its reading and limits at once (pure SPC rules); the matplotlib chart is
    drawn once the detail has been painted, or at once when asked for (limit_lines, exports)."""
    qtbot.mouseClick(page.dashboard.card("CHUTES"), Qt.MouseButton.LeftButton)
    detail = page.detail
    assert page.stack.currentWidget() is detail
    assert "CHUTES" in detail.title.text() and "limites actuelles" in detail.info.text()
    assert detail.chart_pending() and detail.canvas is None  # nothing drawn yet: the detail paints first
    qtbot.waitUntil(lambda: detail.canvas is not None and detail.canvas.isVisible())
    assert not detail.chart_pending()
    lsc = detail.limit_lines()["lsc"]
    assert lsc and lsc[-1] == pytest.approx(detail.serie.spc.points[-1].ucl)
    # back and another indicator: its figures at once, its chart on demand for limit_lines()
    qtbot.mouseClick(detail.back_btn, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.dashboard.card("PLAINTES"), Qt.MouseButton.LeftButton)
    assert "PLAINTES" in detail.title.text() and detail.chart_pending()
    first = detail.canvas
    drawn = detail.limit_lines()
    assert not detail.chart_pending() and detail.canvas is not first
    assert drawn == detail.limit_lines()  # drawn once
