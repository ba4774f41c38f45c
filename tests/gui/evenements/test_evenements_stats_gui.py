"""The Statistiques tab: charts over the period, the monthly counts sent to the indicators, the CDU PDF."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog

from qualite_app.evenements import services as evenements
from qualite_app.indicateurs import services as indicateurs


def test_stats_tab_draws_and_feeds_the_indicators(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = page.show_stats()
    assert panel.canvas is not None and panel.stats is not None
    assert panel.stats.total == sum(n for _, n in panel.stats.par_mois) > 0
    assert len(panel.stats.par_mois) == 36
    qtbot.mouseClick(panel.btn_publish, Qt.MouseButton.LeftButton)
    assert "EI-DECL (36 mois)" in panel.message.text()
    iid = indicateurs.indicateur_id(page.ctx.db, "EI-DECL")
    got = {m.periode: m.valeur for m in indicateurs.list_mesures(page.ctx.db, iid)}
    for month, n in panel.stats.par_mois:
        assert got[month] == n
    panel.periode.setCurrentIndex(panel.periode.findData(12))
    assert len(panel.stats.par_mois) == 12


def test_cdu_pdf_from_the_tab(page, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    from qualite_app.rapports import services as rapports

    panel = page.show_stats()
    out = tmp_path / "cdu.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF (*.pdf)"))
    asked: list[str] = []
    monkeypatch.setattr(QInputDialog, "getItem", lambda _p, _t, label, items, *a, **k: (asked.append(label) or items[0], True))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("demo-2026", True))
    qtbot.mouseClick(panel.btn_cdu, Qt.MouseButton.LeftButton)
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "pour la CDU" in " ".join(text.split()) and str(out) in panel.message.text()
    assert asked == ["Signer le bilan avec :"] and "signé" in panel.message.text()
    assert any(f.get("/FT") == "/Sig" for f in (reader.get_fields() or {}).values())  # a real signature field
    issued = rapports.lister(page.ctx.db, kind="cdu")
    assert issued and issued[0].reference in panel.message.text()  # numbered and kept in the register
    assert evenements.count_evenements(page.ctx.db) > 0


def test_analyses_and_crex_tab(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    page.tabs.setCurrentIndex(2)
    panel = page.analyses
    assert panel.analyses.rowCount() == 12 and panel.seances.rowCount() == 3
    methods = {panel.analyses.item(r, 1).text() for r in range(12)}
    assert methods == {"ALARM", "RMM (revue de mortalité et de morbidité)", "ORION (séance de CREX)"}
    refs = [r.reference for r in evenements.list_evenements(page.ctx.db, limit=2)]
    qtbot.mouseClick(panel.btn_seance, Qt.MouseButton.LeftButton)
    dlg = panel.dialog
    qtbot.keyClicks(dlg.intitule, "CREX de decembre")
    qtbot.keyClicks(dlg.tries, f"{refs[0]}, {refs[1]}")
    qtbot.keyClicks(dlg.retenu, "EI-0000")
    dlg.save()
    assert dlg.isVisible() and "introuvable" in dlg.error.text()
    dlg.retenu.setText(refs[1])
    dlg.save()
    assert not dlg.isVisible() and panel.seances.rowCount() == 4
    assert panel.seances.item(0, 3).text() == refs[1]
