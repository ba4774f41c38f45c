"""The risk map page: the two heat maps show the counts; a click on a cell lists its risks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from qualite_app.risques import services as risques
from qualite_app.storage.database import Database


@pytest.fixture
def page(qtbot, demo_db: Database):  # type: ignore[no-untyped-def]
    from qualite_app.gui.context import AppContext, ChangeBus
    from qualite_app.gui.risques.page import RisquesPage
    from qualite_app.settings import Settings

    p = RisquesPage(AppContext(demo_db, ChangeBus(), Settings()))
    qtbot.addWidget(p)
    p.resize(1400, 820)
    p.show()
    qtbot.waitExposed(p)
    return p


def test_heat_maps_show_the_counts(page) -> None:  # type: ignore[no-untyped-def]
    c = risques.carte(page.ctx.db)
    assert page.brute.grid == c.brute and page.residuelle.grid == c.residuelle
    assert "60 risques" in page.zones.text()
    assert page.table.rowCount() == 60


def test_click_a_cell_lists_its_risks(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    c = risques.carte(page.ctx.db)
    g, f = next((g, f) for g in range(5, 0, -1) for f in range(5, 0, -1) if c.brute[g - 1][f - 1])
    qtbot.mouseClick(page.brute, Qt.MouseButton.LeftButton, pos=page.brute.cell_rect(g, f).center())
    n = c.brute[g - 1][f - 1]
    assert page.table.rowCount() == n
    assert f"Case G{g} × F{f} (criticité brute) : {n} risque(s)" == page.cell_label.text()
    assert all(page.table.item(r, 3).text() == f"{g} × {f}" for r in range(n))
    gr, fr = next((g, f) for g in range(1, 6) for f in range(1, 6) if c.residuelle[g - 1][f - 1])
    qtbot.mouseClick(
        page.residuelle, Qt.MouseButton.LeftButton, pos=page.residuelle.cell_rect(gr, fr).center()
    )
    assert page.table.rowCount() == c.residuelle[gr - 1][fr - 1]
    assert "criticité résiduelle" in page.cell_label.text()


def test_process_filter_redraws_the_maps(page) -> None:  # type: ignore[no-untyped-def]
    page.processus.setCurrentIndex(page.processus.findData("Bloc opératoire"))
    c = risques.carte(page.ctx.db, "Bloc opératoire")
    assert page.brute.grid == c.brute and sum(map(sum, page.brute.grid)) == c.total == 7
