"""Fixtures of the PAQSS GUI tests."""

from __future__ import annotations

import pytest

from qualite_app.storage.database import Database


@pytest.fixture
def page(qtbot, demo_db: Database):  # type: ignore[no-untyped-def]
    """The PAQSS page of the demo base, shown (GUI tests)."""
    return _shown(qtbot, demo_db)


def _shown(qtbot, demo_db: Database):  # type: ignore[no-untyped-def]
    from qualite_app.gui.context import AppContext, ChangeBus
    from qualite_app.gui.paqss.page import PaqssPage
    from qualite_app.settings import Settings

    ctx = AppContext(demo_db, ChangeBus(), Settings())
    p = PaqssPage(ctx)
    qtbot.addWidget(p)
    p.resize(1400, 820)
    p.show()
    qtbot.waitExposed(p)
    return p


@pytest.fixture
def long_page(qtbot, demo_db: Database, tmp_path):  # type: ignore[no-untyped-def]
    """The PAQSS page over the demo base grown by 600 actions (imported in one transaction, as the
    director would): more than three pages of the list as it is read."""
    from qualite_app.paqss import echanges
    from tests.helpers.classeurs import paqss_long

    _preview, result = echanges.import_file(demo_db, paqss_long(tmp_path / "longue.xlsx", 600))
    assert result is not None and result.creees == 600
    return _shown(qtbot, demo_db)
