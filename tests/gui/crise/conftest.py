"""Fixtures of the crisis GUI tests."""

from __future__ import annotations

import pytest

from qualite_app.storage.database import Database


@pytest.fixture
def page(qtbot, demo_db: Database):  # type: ignore[no-untyped-def]
    """The Crise page of the demo base, shown."""
    from qualite_app.gui.context import AppContext, ChangeBus
    from qualite_app.gui.crise.page import CrisePage
    from qualite_app.settings import Settings

    ctx = AppContext(demo_db, ChangeBus(), Settings())
    p = CrisePage(ctx)
    qtbot.addWidget(p)
    p.resize(1400, 860)
    p.show()
    qtbot.waitExposed(p)
    return p
