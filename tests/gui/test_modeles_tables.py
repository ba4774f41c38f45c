"""The table models of the shell, the directory and the journal: Qt's model contract (``qtmodeltester``)
and what each cell shows, checked on the model alone, without any view."""

from __future__ import annotations

from PySide6.QtCore import Qt

from qualite_app.gui.etablissement.annuaire import COLUMNS
from qualite_app.gui.historique.page import journal_model
from qualite_app.gui.models.rows import Column, RowTableModel
from qualite_app.socle import journal
from qualite_app.storage.database import Database


def test_directory_model_contract_and_cells(qtmodeltester, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.etablissement import annuaire

    rows = annuaire.list_personnes(demo_db)
    model = RowTableModel(COLUMNS)
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.rowCount() == len(rows) > 50
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Nom"
    first = rows[0]
    assert model.index(0, 0).data() == first.nom
    dect = model.index(0, [c.title for c in COLUMNS].index("DECT"))
    assert dect.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


def test_journal_model_contract_and_cells(qtmodeltester, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    rows = journal.list_entries(demo_db, limite=300)
    model = journal_model(None)  # type: ignore[arg-type]
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.rowCount() == 300
    assert model.index(0, 0).data() == rows[0].horodatage.strftime("%d/%m/%Y %H:%M:%S")


def test_generic_model_sorting_asks_the_owner_and_empty_cells_are_blank(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = RowTableModel([Column("Nom", lambda r: r["nom"], "nom"), Column("Valeur", lambda r: r["v"])])
    model.set_rows([{"nom": "Hélène", "v": None}, {"nom": "Zoé", "v": 3}])
    qtmodeltester.check(model)
    asked: list[tuple[str, bool]] = []
    model.on_sort = lambda key, desc: asked.append((key, desc))
    model.sort(0, Qt.SortOrder.DescendingOrder)
    model.sort(1)  # not sortable: nothing asked
    assert asked == [("nom", True)]
    assert model.index(0, 1).data() == ""
    assert model.index(1, 1).data() == "3"
    model.set_rows([])
    assert model.rowCount() == 0
