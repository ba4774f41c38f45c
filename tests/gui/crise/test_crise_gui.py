"""The Crise page driven like a user: the main courante at the keyboard (activate, type, correct, situation
point, tick, stand down), a role without holder, a fiche edited, the binder saved and printed off the UI thread."""

from __future__ import annotations

import os
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from qualite_app.crise import services as crise

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]
SHOTS = os.environ.get("QUALITE_SCREENSHOTS")


def _shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / name))


def _answers(monkeypatch: pytest.MonkeyPatch, *answers: dict[str, object]) -> None:
    """The next Formulaires are filled with ``answers`` in turn and accepted, as a user would: text typed
    in the lines and text boxes, the entry whose value or label matches chosen in the drop-downs."""
    from PySide6.QtWidgets import QComboBox, QLineEdit

    from qualite_app.gui.crise import formulaire

    queue = list(answers)

    def exec_(self) -> int:  # type: ignore[no-untyped-def]
        for k, value in queue.pop(0).items():
            e = self.edits[k]
            if isinstance(e, QComboBox):
                e.setCurrentIndex(
                    next(
                        i
                        for i in range(e.count())
                        if str(value) == str(e.itemData(i)) or str(value) in e.itemText(i)
                    )
                )
            elif isinstance(e, QLineEdit):
                e.setText(str(value))
            else:
                e.setPlainText(str(value))
        return int(QDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(formulaire.Formulaire, "exec", exec_)


def _answer(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    _answers(monkeypatch, values)


def _rows(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_main_courante_at_the_keyboard(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    mc = page.mc_tab
    page.tabs.setCurrentWidget(mc)
    assert "Aucune activation en cours" in mc.status.text() and mc.form_box.isVisible()
    assert not mc.saisie.isEnabled()
    mc.niveau.setCurrentIndex(1)
    mc.scenario.setCurrentIndex(mc.scenario.findText("AMAVI", Qt.MatchFlag.MatchContains))
    qtbot.keyClicks(
        mc.declencheur, "Carambolage sur l autoroute, 25 blesses annonces"
    )  # keyClicks: ASCII only offscreen
    qtbot.mouseClick(mc.btn_activer, Qt.MouseButton.LeftButton)
    assert "ACTIVATION EN COURS" in mc.status.text() and not mc.form_box.isVisible()
    assert mc.saisie.hasFocus() or mc.saisie.isEnabled()
    pid = page.plan_id()
    act = crise.activation_en_cours(page.ctx.db, pid)
    assert act is not None

    qtbot.keyClicks(mc.saisie, "12 victimes arrivees")
    qtbot.keyClick(mc.saisie, Qt.Key.Key_Return)
    qtbot.keyClick(mc.saisie, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # Alt+D: décision
    assert mc.categorie.currentData() == "decision"
    qtbot.keyClicks(mc.saisie, "Ouverture de la zone de tri")
    qtbot.keyClick(mc.saisie, Qt.Key.Key_Enter)
    assert mc.saisie.text() == ""
    rows = _rows(mc.table)
    assert [r[2] for r in rows] == ["Décision", "Fait", "Décision"]
    assert rows[1][4] == "12 victimes arrivees" and rows[2][4] == "Ouverture de la zone de tri"

    mc.table.selectRow(1)
    _answer(monkeypatch, texte="14 victimes arrivées")
    qtbot.keyClick(mc.table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)  # Ctrl+K: corriger
    rows = _rows(mc.table)
    assert rows[3][2] == "Correction" and "Corrige l'entrée n° 2" in rows[3][4]
    assert (
        mc.table.item(1, 4).font().strikeOut() and rows[1][4] == "12 victimes arrivees"
    )  # struck, unchanged
    assert rows[1][2] == "Fait — corrigée par le n° 4" and not mc.table.item(1, 2).font().strikeOut()

    _answer(
        monkeypatch, conditions="25 blessés dont 6 graves", actions="Tri ouvert", besoins="Deux chirurgiens"
    )
    qtbot.mouseClick(mc.btn_point, Qt.MouseButton.LeftButton)
    top = mc.checklist.topLevelItem(0)
    top.child(0).setCheckState(0, Qt.CheckState.Checked)  # the user ticks the first task of the first fiche
    _shot(page, "crise-main-courante.png")
    _answer(monkeypatch, levee_par="Claire MONTVALLON", motif="Dernier blessé orienté")
    qtbot.mouseClick(mc.btn_lever, Qt.MouseButton.LeftButton)
    assert "Aucune activation en cours" in mc.status.text() and not mc.saisie.isEnabled()

    # in the base: every entry, the struck one unchanged, the tick, the stand-down
    entries = crise.entrees(page.ctx.db, act)
    assert [e.categorie for e in entries] == [
        "decision",
        "fait",
        "decision",
        "correction",
        "point",
        "action",
        "decision",
    ]
    assert entries[1].texte == "12 victimes arrivees" and entries[1].barree_par == 4
    assert entries[4].besoins == "Deux chirurgiens"
    assert crise.coches(page.ctx.db, act) and crise.activation(page.ctx.db, act).levee_le is not None


def test_role_without_holder_shows_in_the_alerts(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    assert "Plan complet" in page.alertes.text()
    tab = page.plan_tab
    cell = next(
        tab.tree.topLevelItem(i)
        for i in range(tab.tree.topLevelItemCount())
        if tab.tree.topLevelItem(i).text(0) == "Cellule de crise"
    )
    item = cell.child(0)
    tab.tree.setCurrentItem(item)
    assert "Directeur de crise" in tab.detail.toPlainText()
    tab._edit(item, 0)  # a double-click
    dlg = tab.role_dialog
    dlg.titulaire.setCurrentIndex(0)  # (non désigné)
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "aucun titulaire désigné" in page.alertes.text())
    assert "Rôle « Directeur de crise »" in page.alertes.text()


def test_fiche_editor_adds_a_task(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    tab = page.fiches_tab
    page.tabs.setCurrentWidget(tab)
    tab.liste.setCurrentRow(2)
    fid = tab.fiche_id
    n = tab.taches.rowCount()
    qtbot.mouseClick(tab.btn_add, Qt.MouseButton.LeftButton)
    tab.taches.item(n, 1).setText("Prévenir l'EHPAD voisin")
    tab.taches.cellWidget(n, 0).setCurrentIndex(1)
    tab.taches.item(n, 2).setText("DS")
    qtbot.mouseClick(tab.btn_save, Qt.MouseButton.LeftButton)
    saved = crise.get_fiche(page.ctx.db, fid)
    assert any(
        t.texte == "Prévenir l'EHPAD voisin" and t.phase == "intermediaire" and t.qui == "DS"
        for t in saved.taches
    )
    tab.titre.clear()
    from PySide6.QtWidgets import QMessageBox

    seen: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: seen.append(text))
    qtbot.mouseClick(tab.btn_save, Qt.MouseButton.LeftButton)
    assert seen and "titre de la fiche réflexe est obligatoire" in seen[0]


def test_binder_saved_and_printed_off_the_ui_thread(qtbot, page, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "classeur.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    page.recto_verso.setCurrentIndex(1)
    qtbot.mouseClick(page.btn_pdf, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(target.exists, timeout=30000)
    pages = pypdf.PdfReader(target).pages
    starts = [i for i, p in enumerate(pages, start=1) if "Poste tenu par" in (p.extract_text() or "")]
    assert len(starts) == 25 and all(i % 2 for i in starts)

    printed = tmp_path / "imprime.pdf"

    class FakeDialog:
        DialogCode = QPrintDialog.DialogCode

        def __init__(self, printer: QPrinter, _parent: object) -> None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(printed))
            printer.setResolution(72)

        def exec(self) -> QPrintDialog.DialogCode:
            return QPrintDialog.DialogCode.Accepted

    import PySide6.QtPrintSupport as qps

    monkeypatch.setattr(qps, "QPrintDialog", FakeDialog)
    page.recto_verso.setCurrentIndex(0)
    qtbot.mouseClick(page.btn_print, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: printed.exists() and printed.stat().st_size > 0, timeout=60000)
    qtbot.wait(200)
    assert len(pypdf.PdfReader(printed).pages) > 40


def test_cancel_stops_the_binder_build(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.crise import impression as impr
    from qualite_app.gui.crise import impression

    got: list[bytes] = []
    pid, db = page.plan_id(), page.ctx.db
    job = impression.construire(
        page.ctx, page, "classeur", lambda: impr.donnees_classeur(db, pid), got.append
    )
    job.progress.cancel()
    assert job.ended.wait(30)
    qtbot.wait(100)
    assert got == []


def test_retex_finding_becomes_a_paqss_action(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    tab = page.ex_tab
    page.tabs.setCurrentWidget(tab)
    ex = crise.exercices(page.ctx.db, page.plan_id())[0]
    crise.ajouter_constat(page.ctx.db, ex.id, "La signalétique de la zone de tri manquait")
    tab.set_plan(page.plan_id())
    top = tab.tree.topLevelItem(0)
    item = next(top.child(i) for i in range(top.childCount()) if "signalétique" in top.child(i).text(0))
    tab.tree.setCurrentItem(item)
    qtbot.mouseClick(tab.btn_action, Qt.MouseButton.LeftButton)
    top = tab.tree.topLevelItem(0)
    item = next(top.child(i) for i in range(top.childCount()) if "signalétique" in top.child(i).text(0))
    assert item.text(2).startswith("PAQSS-")
    tab.tree.setCurrentItem(item)
    qtbot.mouseClick(tab.btn_action, Qt.MouseButton.LeftButton)
    assert "déjà donné lieu" in tab.hint.text()


def test_plan_properties_revision_and_review_due(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    pid = page.plan_id()
    _answers(
        monkeypatch,
        {"adopte_le": "31/02/2025"},  # refused: the field is named, nothing written
        {"adopte_le": "15/01/2025", "cycle_revision_mois": "12", "revision_fixee": ""},
        {"version": "4", "objet": "Intégration du retour d'expérience de l'exercice"},
    )
    seen: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: seen.append(text))
    qtbot.mouseClick(page.btn_props, Qt.MouseButton.LeftButton)
    assert seen and "Adopté le" in seen[0] and "n'est pas une date valide" in seen[0]
    qtbot.mouseClick(page.btn_props, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "révision du plan dépassée depuis le 15/01/2026" in page.alertes.text())
    qtbot.mouseClick(page.btn_version, Qt.MouseButton.LeftButton)
    assert page.plan_combo.currentText().startswith("PGTHSSE — Centre hospitalier (v4)")
    p = crise.contenu(page.ctx.db, pid)
    assert p.version == "4" and p.revisions[-1].objet.startswith("Intégration")


def test_new_exercise_finding_and_action(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    tab = page.ex_tab
    page.tabs.setCurrentWidget(tab)
    _answers(
        monkeypatch,
        {
            "intitule": "Exercice cyberattaque sur table",
            "le": "02/11/2026",
            "type_exercice": "table",
            "scenario_id": "CYBER",
        },
        {"texte": "Les procédures papier des urgences étaient introuvables", "nature": 0},
    )
    qtbot.mouseClick(tab.btn_exercice, Qt.MouseButton.LeftButton)
    ex = crise.exercices(page.ctx.db, page.plan_id())
    assert ex[0].intitule == "Exercice cyberattaque sur table" and ex[0].scenario.startswith("Cyberattaque")
    tab.tree.setCurrentItem(tab.tree.topLevelItem(0))
    qtbot.mouseClick(tab.btn_constat, Qt.MouseButton.LeftButton)
    top = tab.tree.topLevelItem(0)
    item = top.child(top.childCount() - 1)
    assert "procédures papier" in item.text(0)
    tab.tree.setCurrentItem(item)
    qtbot.mouseClick(tab.btn_action, Qt.MouseButton.LeftButton)
    top = tab.tree.topLevelItem(0)  # the tree was redrawn
    assert top.child(top.childCount() - 1).text(2).startswith("PAQSS-")


def test_issue_and_sign_the_binder_from_the_page(qtbot, page, local_identity, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    from qualite_app.rapports import services as rapports
    from tests.helpers.signature import PASSWORD

    target = tmp_path / "classeur-signe.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    qtbot.mouseClick(page.btn_emettre, Qt.MouseButton.LeftButton)
    dlg = page.emission
    dlg.identite.setCurrentIndex(dlg.identite.findData(local_identity))
    qtbot.keyClicks(dlg.password, PASSWORD)
    qtbot.keyClicks(dlg.recipient, "Cellule de crise")
    qtbot.mouseClick(dlg.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "signé et émis" in dlg.result_label.text(), timeout=60000)
    pdf = target.read_bytes()
    assert b"/ByteRange" in pdf
    row = rapports.dernier(page.ctx.db, "classeur_crise")
    assert row is not None and row.reference in dlg.result_label.text() and row.pdf == pdf


def test_resources_roles_fiches_and_contacts_are_added_and_removed(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    pid = page.plan_id()
    _answers(
        monkeypatch,
        {"type_ressource": "stock", "libelle": "Poches de sang O négatif", "quantite": "dix"},  # refused
        {
            "type_ressource": "stock",
            "libelle": "Poches de sang O négatif",
            "quantite": "10",
            "unite": "poches",
        },
        {
            "code": "dpi",
            "libelle": "Responsable du dossier patient",
            "mission": "Tient le mode dégradé du DPI",
        },
    )
    seen: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: seen.append(text))
    res = page.res_tab
    qtbot.mouseClick(res.btn_res_new, Qt.MouseButton.LeftButton)
    assert seen and "nombre entier" in seen[0]
    qtbot.mouseClick(res.btn_res_new, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: any(
            "O négatif" in (res.ressources.item(r, 1).text()) for r in range(res.ressources.rowCount())
        )
    )
    assert any(r.quantite == 10 and r.unite == "poches" for r in crise.contenu(page.ctx.db, pid).ressources)

    qtbot.mouseClick(page.plan_tab.btn_role, Qt.MouseButton.LeftButton)
    roles = crise.contenu(page.ctx.db, pid).roles
    assert roles[-1].code == "DPI" and roles[-1].titulaire is None
    qtbot.waitUntil(
        lambda: "Rôle « Responsable du dossier patient » : aucun titulaire désigné" in page.alertes.text()
    )
    cell = page.plan_tab.tree.topLevelItem(2)
    dpi = next(cell.child(i) for i in range(cell.childCount()) if cell.child(i).text(0).startswith("DPI"))
    page.plan_tab.tree.setCurrentItem(dpi)
    qtbot.mouseClick(page.plan_tab.btn_remove_role, Qt.MouseButton.LeftButton)
    assert [r.code for r in crise.contenu(page.ctx.db, pid).roles][-1] == "MC"
    qtbot.waitUntil(lambda: "Responsable du dossier patient" not in page.alertes.text())

    n = len(crise.contenu(page.ctx.db, pid).fiches)
    page.fiches_tab.liste.setCurrentRow(0)
    qtbot.mouseClick(page.fiches_tab.btn_delete, Qt.MouseButton.LeftButton)
    assert len(crise.contenu(page.ctx.db, pid).fiches) == n - 1

    tab = page.annuaire_tab
    before = len(crise.contenu(page.ctx.db, pid).contacts)
    tab.table.selectRow(0)
    qtbot.mouseClick(tab.btn_delete, Qt.MouseButton.LeftButton)
    assert len(crise.contenu(page.ctx.db, pid).contacts) == before - 1


def test_editing_a_resource_keeps_its_service(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The resource's form shows its service and sends it back: changing the quantity does not empty it."""
    from qualite_app.etablissement.identite import choix_services

    pid = page.plan_id()
    sid, nom = choix_services(page.ctx.db)[1]
    res = page.res_tab
    _answer(monkeypatch, type_ressource="lits", libelle="Lits de réanimation", service_id=str(sid), quantite="6")
    qtbot.mouseClick(res.btn_res_new, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(r[1] == "Lits de réanimation" for r in _rows(res.ressources)))
    assert next(r for r in _rows(res.ressources) if r[1] == "Lits de réanimation")[2] == nom
    row = next(i for i, r in enumerate(_rows(res.ressources)) if r[1] == "Lits de réanimation")
    res.ressources.selectRow(row)
    _answer(monkeypatch, quantite="8")  # the user changes only the quantity
    qtbot.mouseClick(res.btn_res_edit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(r[1] == "Lits de réanimation" and r[3] == "8" for r in _rows(res.ressources)))
    saved = next(r for r in crise.contenu(page.ctx.db, pid).ressources if r.libelle == "Lits de réanimation")
    assert (saved.quantite, saved.service_id, saved.service) == (8, sid, nom)
    _answer(monkeypatch, service_id="— aucun —")  # and can take it away
    res.ressources.selectRow(row)
    qtbot.mouseClick(res.btn_res_edit, Qt.MouseButton.LeftButton)
    saved = next(r for r in crise.contenu(page.ctx.db, pid).ressources if r.libelle == "Lits de réanimation")
    assert saved.service_id is None and saved.quantite == 8


def test_log_of_the_last_activation_saved_as_pdf(qtbot, page, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "main-courante.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    mc = page.mc_tab
    page.tabs.setCurrentWidget(mc)
    assert mc.table.rowCount() == 10 and mc.btn_pdf.isEnabled()  # the demo's closed activation
    assert mc.table.item(5, 4).font().strikeOut()
    qtbot.mouseClick(mc.btn_pdf, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(target.exists, timeout=30000)
    text = " ".join(" ".join((p.extract_text() or "") for p in pypdf.PdfReader(target).pages).split())
    assert "Main courante" in text and "corrigée par l'entrée n° 8" in text and "Points de situation" in text


def test_levels_and_scenarios_edited_from_the_tree(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    tab = page.plan_tab
    pid = page.plan_id()
    seen: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: seen.append(text))
    _answers(
        monkeypatch,
        {"declenchement": "Plus de 20 patients en attente d'un lit d'aval depuis 4 heures"},
        {
            "code": "inond",
            "nom": "Inondation du sous-sol",
            "famille": "transversal",
            "couleur": "bleu",
        },  # refused
        {"code": "inond", "nom": "Inondation du sous-sol", "famille": "transversal", "couleur": "#1565C0"},
    )
    levels = tab.tree.topLevelItem(0)
    tab._edit(levels.child(0), 0)  # a double-click on « Niveau 1 »
    assert crise.contenu(page.ctx.db, pid).niveaux[0].declenchement.startswith("Plus de 20 patients")
    qtbot.mouseClick(tab.btn_scenario, Qt.MouseButton.LeftButton)
    assert seen and "#RRGGBB" in seen[0]
    qtbot.mouseClick(tab.btn_scenario, Qt.MouseButton.LeftButton)
    x = crise.contenu(page.ctx.db, pid).scenarios[-1]
    assert (x.code, x.couleur, x.famille) == ("INOND", "#1565C0", "transversal")
    qtbot.waitUntil(
        lambda: any(
            "INOND" in tab.tree.topLevelItem(1).child(i).text(0)
            for i in range(tab.tree.topLevelItem(1).childCount())
        )
    )


def test_activation_at_the_keyboard_only(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    mc = page.mc_tab
    page.tabs.setCurrentWidget(mc)
    mc.declencheur.setFocus()
    qtbot.keyClicks(mc.declencheur, "Panne generale du systeme d information")
    qtbot.keyClick(mc.declencheur, Qt.Key.Key_Return)
    assert "ACTIVATION EN COURS" in mc.status.text()
    qtbot.keyClicks(mc.saisie, "Passage en mode degrade")
    qtbot.keyClick(mc.saisie, Qt.Key.Key_Return)
    assert mc.table.item(mc.table.rowCount() - 1, 4).text() == "Passage en mode degrade"


def test_maturity_self_assessment_started_from_the_page(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QInputDialog

    from qualite_app.certification import referentiels
    from tests.helpers.crise import MATURITE

    tab = page.ex_tab
    page.tabs.setCurrentWidget(tab)
    assert "Aucune autoévaluation de maturité" in tab.maturite.text()
    referentiels.importer(page.ctx.db, MATURITE.encode(), "maturite.yaml")
    monkeypatch.setattr(
        QInputDialog,
        "getItem",
        lambda _p, _t, _l, items, *a, **k: (next(i for i in items if "essai" in i), True),
    )
    qtbot.mouseClick(tab.btn_maturite, Qt.MouseButton.LeftButton)
    assert (
        "Maturité de gestion de crise (essai)" in tab.maturite.text() and "2 à évaluer" in tab.maturite.text()
    )


def test_site_map_added_to_the_binder_from_the_page(qtbot, page, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import struct
    import zlib

    from PySide6.QtWidgets import QFileDialog, QMessageBox

    raw = b"".join(b"\x00" + bytes([200, 30, 30]) * 20 for _ in range(10))
    png = (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">IIBBBBB", 20, 10, 8, 2, 0, 0, 0)
           + struct.pack(">I", zlib.crc32(b"IHDR" + struct.pack(">IIBBBBB", 20, 10, 8, 2, 0, 0, 0)) & 0xFFFFFFFF))  # fmt: skip
    idat = zlib.compress(raw)
    png += (
        struct.pack(">I", len(idat))
        + b"IDAT"
        + idat
        + struct.pack(">I", zlib.crc32(b"IDAT" + idat) & 0xFFFFFFFF)
    )
    png += struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND") & 0xFFFFFFFF)
    f = tmp_path / "Circuit des victimes.png"
    f.write_bytes(png)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(f), "Images"))
    res = page.res_tab
    page.tabs.setCurrentWidget(res)
    qtbot.mouseClick(res.btn_annexe, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: res.annexes.rowCount() == 1)
    assert res.annexes.item(0, 0).text() == "Circuit des victimes.png"
    res.annexes.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(res.btn_annexe_del, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: res.annexes.rowCount() == 0)
