"""The PAQSS action list model: Qt's model contract (``qtmodeltester``) and what each cell shows, checked
on the model alone, without any view — loaded, filtered, sorted (sorting and filtering happen in SQL)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from qualite_app.gui.paqss.model import COLUMNS, ActionTableModel
from qualite_app.paqss import rules
from qualite_app.paqss import services as paqss
from qualite_app.storage.database import Database

REF, TITRE, STATUT, AVANCEMENT, ECHEANCE = (
    [k for k, _ in COLUMNS].index(k) for k in ("reference", "titre", "statut", "avancement", "echeance")
)


def test_action_model_contract_when_loaded_filtered_and_sorted(qtmodeltester, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    model = ActionTableModel(demo_db)
    model.refresh()
    qtmodeltester.check(model)
    total = paqss.summary(demo_db).total
    assert model.rowCount() == total > 50 and model.columnCount() == len(COLUMNS)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in (REF, ECHEANCE)] == [
        "Référence",
        "Échéance",
    ]
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.headerData(len(COLUMNS), Qt.Orientation.Horizontal) is None

    model.set_filter(paqss.ActionFilter(echeance="en_retard"))
    qtmodeltester.check(model)
    assert model.rowCount() == paqss.summary(demo_db).en_retard > 0

    model.sort(ECHEANCE, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    due = [r.echeance_effective for r in model.rows]
    assert due == sorted(due, reverse=True)

    model.set_filter(paqss.ActionFilter(texte="aucune action ne porte ce titre"))
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_action_model_cells_say_status_progress_and_lateness(demo_db: Database) -> None:
    model = ActionTableModel(demo_db)
    model.set_filter(paqss.ActionFilter())
    today = model.today
    late = next(i for i, r in enumerate(model.rows) if r.en_retard(today))
    r = model.rows[late]
    assert model.index(late, REF).data() == r.reference
    assert model.index(late, STATUT).data() == rules.statut_label(r.statut)
    assert model.index(late, AVANCEMENT).data() == f"{r.avancement} %"
    echeance = model.index(late, ECHEANCE).data()
    assert echeance.startswith(r.echeance_effective.strftime("%d/%m/%Y"))  # dd/mm/yyyy
    assert model.index(late, TITRE).data(Qt.ItemDataRole.BackgroundRole).color().name() == "#fdecea"
    assert model.index(late, TITRE).data(Qt.ItemDataRole.ToolTipRole).startswith("En retard de ")
    assert model.index(late, REF).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(late, 0).data(Qt.ItemDataRole.UserRole) == model.action_id(late) == r.id
    closed = next(
        i for i, x in enumerate(model.rows) if x.statut in rules.CLOTURES and not x.en_retard(today)
    )
    assert model.index(closed, TITRE).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#5b6573"
    assert model.index(closed, TITRE).data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.index(0, AVANCEMENT).data(Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignCenter
    )
    assert model.index(0, TITRE).data(Qt.ItemDataRole.TextAlignmentRole) is None
    assert model.today == date.today()
