"""The Rapports area as the director uses it: fill the note, preview, sign and issue, re-verify, export."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from qualite_app.storage.database import Database
from tests.helpers.clavier import type_text
from tests.helpers.signature import PASSWORD, flip_content_byte, ref

# the offscreen platform warns that it cannot resize native windows: noise of the platform, not of the page
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def page(qtbot, demo_db: Database, local_identity: str):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from qualite_app.gui.app import setup_application
    from qualite_app.gui.context import AppContext, ChangeBus
    from qualite_app.gui.rapports.page import RapportsPage
    from qualite_app.settings import Settings

    setup_application(QApplication.instance())  # type: ignore[arg-type]
    ctx = AppContext(demo_db, ChangeBus(), Settings())
    p = RapportsPage(ctx)
    p.resize(1100, 700)
    qtbot.addWidget(p)
    p.show()
    qtbot.waitExposed(p)
    return p


def _cell(page, row: int, col: int) -> str:  # type: ignore[no-untyped-def]
    return page.model.data(page.model.index(row, col))


def test_fill_note_sign_issue_and_reverify(qtbot, page, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.gui.rapports.dialogs import NoteDialog, VerdictDialog

    infos: list[str] = []
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a, **k: infos.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: warnings.append(text))
    assert page.model.rowCount() == 1  # the demo's signed note

    qtbot.mouseClick(page.btn_note, Qt.MouseButton.LeftButton)
    dlg = page.last_dialog
    assert isinstance(dlg, NoteDialog) and dlg.isVisible()
    # « Générer » on an empty form: the missing fields are named, nothing is built
    qtbot.mouseClick(dlg.btn_generate, Qt.MouseButton.LeftButton)
    assert "Le sujet est obligatoire" in dlg.errors.text() and dlg.preview.page_count == 0

    type_text(qtbot, dlg.sujet, "Rupture d'approvisionnement en héparine")
    dlg.categorie.setCurrentIndex(dlg.categorie.findText("Risque pour la continuité des soins"))
    type_text(qtbot, dlg.faits, "Le fournisseur annonce une rupture de 3 semaines ; stock : 9 jours.")
    type_text(qtbot, dlg.mesures, "Cellule pharmacie réunie, plan de substitution établi.")
    type_text(qtbot, dlg.pieces, "Courrier du fournisseur")
    qtbot.mouseClick(dlg.btn_generate, Qt.MouseButton.LeftButton)
    assert dlg.errors.text() == ""
    assert dlg.preview.page_count >= 1

    # wrong password: a French message, nothing in the register
    assert dlg.identite.currentData() == "Directeur qualité"
    qtbot.keyClicks(dlg.password, "pas-le-bon")
    qtbot.mouseClick(dlg.btn_issue, Qt.MouseButton.LeftButton)
    assert warnings and "Mot de passe incorrect" in warnings[-1]
    assert dlg.password.text() == ""  # never kept
    assert page.model.rowCount() == 1

    dlg.raison.setCurrentIndex(dlg.raison.findText("Pour information"))
    qtbot.keyClicks(dlg.password, PASSWORD)
    qtbot.mouseClick(dlg.btn_issue, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.isVisible())
    assert infos and ref(2) in infos[-1] and "Julien Arsac" in infos[-1]

    # what was typed, accents included, is in the signed PDF
    from qualite_app.rapports import services as rapports
    from tests.helpers.signature import pdf_text

    text = pdf_text(rapports.dernier(page.ctx.db, "note_information").pdf)
    assert "Rupture d'approvisionnement en héparine" in text and "Cellule pharmacie réunie" in text
    assert "Risque pour la continuité des soins" in text and "Courrier du fournisseur" in text

    # the register shows it, selected
    assert page.model.rowCount() == 2
    assert _cell(page, 0, 0) == ref(2)
    assert _cell(page, 0, 1) == "Note d'information"
    assert "Rupture d'approvisionnement en héparine" in _cell(page, 0, 2)
    assert _cell(page, 0, 4) == "Julien Arsac"
    assert page.selected_id() is not None and page.btn_verify.isEnabled()

    qtbot.mouseClick(page.btn_verify, Qt.MouseButton.LeftButton)
    verdict = page.last_dialog
    assert isinstance(verdict, VerdictDialog)
    assert verdict.headline.text().startswith("VALIDE")
    assert "Intégrité : intact" in verdict.details.toPlainText()
    assert "Signataire : Julien Arsac" in verdict.details.toPlainText()
    assert "Motif : Pour information" in verdict.details.toPlainText()
    verdict.close()

    # export, then « Vérifier un rapport… » on an altered copy
    target = tmp_path / "export.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(page.btn_export, Qt.MouseButton.LeftButton)
    assert target.read_bytes().startswith(b"%PDF") and "exporté" in infos[-1]
    altered = tmp_path / "altere.pdf"
    altered.write_bytes(flip_content_byte(target.read_bytes()))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(altered), ""))
    qtbot.mouseClick(page.btn_check_file, Qt.MouseButton.LeftButton)
    assert page.last_dialog.headline.text().startswith("DOCUMENT ALTÉRÉ")
    page.last_dialog.close()


def test_filters_narrow_the_register(qtbot, page, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.rapports import services as rapports
    from qualite_app.rapports.note import NoteData

    rapports.emettre_note(demo_db, NoteData(sujet="Inspection de la PUI", categorie="inspection", faits="x"), identity="Directeur qualité", password=PASSWORD)
    rapports.emettre_pdf(demo_db, kind="paqss", title="Bilan du PAQSS", pdf=rapports.generer_note(demo_db, NoteData(sujet="s", categorie="autre", faits="f")), params={}, data_hash="")
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)  # redrawn from the two transactions' ChangeSets
    page.signed.setCurrentIndex(page.signed.findText("Non signés"))
    assert page.model.rowCount() == 1 and _cell(page, 0, 4) == "— non signé —"
    page.signed.setCurrentIndex(0)
    qtbot.keyClicks(page.search, "pui")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert "Inspection de la PUI" in _cell(page, 0, 2)
    qtbot.keyClicks(page.search, "zzz")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert page.empty.isVisible() and "ne correspond" in page.empty.text()
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    page.kind.setCurrentIndex(page.kind.findData("paqss"))
    assert page.model.rowCount() == 1
    assert "1 rapport" in page.count.text()


def test_correction_is_a_new_note_that_replaces_the_first(qtbot, page, demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.rapports import services as rapports
    from qualite_app.rapports.note import NoteData

    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    before = page.model.rowCount()
    first = rapports.emettre_note(
        demo_db, NoteData(sujet="Panne du groupe froid", categorie="continuite", faits="Panne à 3 h.", pieces_jointes=["Rapport technique"]),
        identity="Directeur qualité", password=PASSWORD,
    )
    qtbot.waitUntil(lambda: page.model.rowCount() == before + 1)  # redrawn from the transaction's ChangeSet
    page.table.selectRow(0)
    assert page.btn_correct.isEnabled()
    qtbot.mouseClick(page.btn_correct, Qt.MouseButton.LeftButton)
    dlg = page.last_dialog
    assert ref(2) in dlg.windowTitle()
    assert dlg.sujet.text() == "Panne du groupe froid" and dlg.faits.toPlainText() == "Panne à 3 h."
    assert dlg.categorie.currentData() == "continuite" and dlg.pieces.toPlainText() == "Rapport technique"
    dlg.faits.selectAll()
    type_text(qtbot, dlg.faits, "Panne à 2 h 40 (heure corrigée).")
    qtbot.keyClicks(dlg.password, PASSWORD)
    qtbot.mouseClick(dlg.btn_issue, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    assert _cell(page, 0, 0) == ref(3) and _cell(page, 0, 6) == f"n° {first.id}"
    last = rapports.dernier(demo_db, "note_information")
    assert last is not None and last.snapshot is not None and last.snapshot["faits"] == "Panne à 2 h 40 (heure corrigée)."
    assert rapports.get(demo_db, first.id).pdf == first.pdf  # the signed original is untouched
    assert rapports.verifier(demo_db, first.id).ok


def test_empty_register_says_so(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.gui.context import AppContext, ChangeBus
    from qualite_app.gui.rapports.page import RapportsPage
    from qualite_app.settings import Settings

    p = RapportsPage(AppContext(db, ChangeBus(), Settings()))
    qtbot.addWidget(p)
    p.show()
    assert p.model.rowCount() == 0 and "Aucun rapport émis" in p.empty.text()
    assert not p.btn_verify.isEnabled() and not p.btn_correct.isEnabled()


def test_model_passes_qt_model_tester(qtmodeltester, page) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(page.model)


def test_identities_dialog_creates_a_local_identity_and_registers_a_card(qtbot, page, monkeypatch: pytest.MonkeyPatch, softhsm, pki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialog

    from qualite_app.gui.rapports import dialogs
    from qualite_app.rapports import services as rapports
    from qualite_app.signing.identities import to_pem

    qtbot.mouseClick(page.btn_identities, Qt.MouseButton.LeftButton)
    dlg = page.last_dialog
    assert isinstance(dlg, dialogs.IdentitiesDialog)
    assert "Directeur qualité" in dlg.list.item(0).text() or "Directeur qualité" in dlg.list.item(1).text()

    def fill_local(self):  # type: ignore[no-untyped-def]
        self.nom.clear()
        qtbot.keyClicks(self.nom, "Adjointe qualite")
        self.signataire.clear()
        qtbot.keyClicks(self.signataire, "Elodie Carrere")
        qtbot.keyClicks(self.pw1, "un-mot-de-passe")
        qtbot.keyClicks(self.pw2, "un-mot-de-passe")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs.CreateIdentityDialog, "exec", fill_local)
    qtbot.mouseClick(dlg.btn_create, Qt.MouseButton.LeftButton)
    texts = [dlg.list.item(i).text() for i in range(dlg.list.count())]
    assert any(t.startswith("Adjointe qualite — Autorité locale — Elodie Carrere") for t in texts)

    def fill_token(self):  # type: ignore[no-untyped-def]
        self.nom.clear()
        qtbot.keyClicks(self.nom, "Carte CPS")
        qtbot.keyClicks(self.module, softhsm.module)
        qtbot.keyClicks(self.jeton, softhsm.label)
        qtbot.keyClicks(self.cle, softhsm.key_label)
        qtbot.keyClicks(self.pin, softhsm.pin)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs.TokenDialog, "exec", fill_token)
    qtbot.mouseClick(dlg.btn_token, Qt.MouseButton.LeftButton)
    texts = [dlg.list.item(i).text() for i in range(dlg.list.count())]
    assert any(t.startswith("Carte CPS — Carte ou jeton PKCS#11 — Dr Nadia Lestrelle") for t in texts)

    ca = tmp_path / "ac-ght.pem"
    ca.write_bytes(to_pem(pki.ca_der))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(ca), ""))
    qtbot.mouseClick(dlg.btn_trust, Qt.MouseButton.LeftButton)
    assert "AC de test du GHT" in dlg.trust.text()
    assert pki.ca_der in rapports.trust_roots(page.ctx.db)
    dlg.close()


def test_page_is_registered_in_the_main_window_areas(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.gui.pages import PAGES
    from qualite_app.gui.rapports.page import RapportsPage

    spec = next(s for s in PAGES if s.key == "rapports")
    created = spec.create(page.ctx)
    qtbot.addWidget(created)
    assert isinstance(created, RapportsPage) and spec.label == "Rapports"


def test_bytes_added_after_signing_are_reported_by_both_gui_checks(qtbot, page, demo_db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Issue 8 point 1: « Vérifier un rapport… » and « Re-vérifier » show the same verdict as ``qualite verify``."""
    from qualite_app.gui.rapports.dialogs import VerdictDialog
    from qualite_app.rapports import services as rapports
    from tests.helpers.signature import append_after_eof, tamper_register

    demo_note = rapports.dernier(demo_db, "note_information")
    assert demo_note is not None and rapports.verifier(demo_db, demo_note.id).ok
    # « Vérifier un rapport… » on the issue's repro file
    added = tmp_path / "a.pdf"
    added.write_bytes(append_after_eof(demo_note.pdf))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(added), ""))
    qtbot.mouseClick(page.btn_check_file, Qt.MouseButton.LeftButton)
    dlg = page.last_dialog
    assert isinstance(dlg, VerdictDialog)
    assert dlg.headline.text().startswith("MODIFIÉ APRÈS SIGNATURE"), dlg.headline.text()
    assert "octets ajoutés à la fin du fichier" in dlg.details.toPlainText()
    dlg.close()
    # « Re-vérifier » on a register row whose stored PDF (and its fingerprints) were replaced with sqlite3
    tamper_register(demo_db, demo_note.id, append_after_eof(demo_note.pdf))
    page.reload()  # written behind the application's back (sqlite3): no ChangeSet, the page re-reads
    page.table.selectRow(0)
    assert page.selected_id() == demo_note.id
    qtbot.mouseClick(page.btn_verify, Qt.MouseButton.LeftButton)
    dlg = page.last_dialog
    assert isinstance(dlg, VerdictDialog)
    assert dlg.headline.text().startswith("MODIFIÉ APRÈS SIGNATURE"), dlg.headline.text()


def test_identities_dialog_imports_an_unencrypted_pkcs12_without_asking_a_password(qtbot, page, monkeypatch: pytest.MonkeyPatch, pki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Issue 8 point 12 in the GUI: a PKCS#12 exported without a password is imported, no password asked."""
    from PySide6.QtWidgets import QInputDialog

    from qualite_app.gui.rapports import dialogs

    qtbot.mouseClick(page.btn_identities, Qt.MouseButton.LeftButton)
    dlg = page.last_dialog
    assert isinstance(dlg, dialogs.IdentitiesDialog)
    p12 = tmp_path / "sans-mot-de-passe.p12"
    p12.write_bytes(pki.pkcs12_unencrypted(cn="Dr Hélène Brévanne"))
    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(p12), ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: asked.append("mdp") or ("", True))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: pytest.fail(text))
    qtbot.mouseClick(dlg.btn_import, Qt.MouseButton.LeftButton)
    texts = [dlg.list.item(i).text() for i in range(dlg.list.count())]
    assert any(t.startswith("sans-mot-de-passe — Fichier PKCS#12 — Dr Hélène Brévanne") for t in texts), texts
    assert asked == []
    dlg.close()
