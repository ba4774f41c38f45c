"""The register's table model, without any widget (no page, no window)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QModelIndex, Qt

from qualite_app.gui.rapports.table import RapportsModel
from qualite_app.rapports.note import TITLE
from qualite_app.rapports.services import RapportListeRow, local_time

ROWS = [
    RapportListeRow(7, "note_information", "Note d'information", f"{TITLE} — Panne électrique", "NI-2026-0002",
                    datetime(2026, 3, 2, 8, 30), "Julien Arsac", datetime(2026, 3, 2, 8, 30), "Direction", 3, "ab" * 32, 1200),
    RapportListeRow(9, "paqss", "Bilan du PAQSS", "Bilan du PAQSS — 2026", "BIL-2026-0001",
                    datetime(2026, 4, 1, 12, 0), None, None, "COPIL", None, "cd" * 32, 5400),
]  # fmt: skip


def test_columns_roles_and_ids_without_widgets() -> None:
    m = RapportsModel()
    assert m.rowCount() == 0 and m.columnCount() == len(RapportsModel.HEADERS)
    m.set_rows(ROWS)
    assert m.rowCount() == 2 and m.rowCount(m.index(0, 0)) == 0
    row0 = [m.data(m.index(0, c)) for c in range(m.columnCount())]
    when = local_time(ROWS[0].emis_le)
    assert when is not None
    assert row0 == ["NI-2026-0002", "Note d'information", "Panne électrique", when.strftime("%d/%m/%Y %H:%M"), "Julien Arsac", "Direction", "n° 3"]
    assert m.data(m.index(1, 4)) == "— non signé —" and m.data(m.index(1, 6)) == ""
    assert m.data(m.index(0, 2), Qt.ItemDataRole.ToolTipRole) == ROWS[0].title
    assert [m.data(m.index(r, 0), Qt.ItemDataRole.UserRole) for r in range(2)] == [7, 9]
    assert m.headerData(0, Qt.Orientation.Horizontal) == "Référence"
    assert m.headerData(0, Qt.Orientation.Vertical) is None and m.headerData(99, Qt.Orientation.Horizontal) is None
    assert m.data(QModelIndex()) is None


def test_filled_model_passes_qt_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    m = RapportsModel()
    m.set_rows(ROWS)
    qtmodeltester.check(m)
    m.set_rows([])
    qtmodeltester.check(m)
