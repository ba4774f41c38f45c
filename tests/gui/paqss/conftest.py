"""Fixtures of the PAQSS GUI tests."""

from __future__ import annotations

import pytest

from qualite_app.storage.database import Database


@pytest.fixture
def page(qtbot, demo_db: Database):  # type: ignore[no-untyped-def]
    """The PAQSS page of the demo base, shown (GUI tests)."""
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
