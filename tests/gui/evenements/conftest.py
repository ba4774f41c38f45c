"""Fixtures of the adverse-event GUI tests."""

from __future__ import annotations

import pytest

from qualite_app.storage.database import Database


@pytest.fixture
def page(qtbot, demo_db: Database):  # type: ignore[no-untyped-def]
    """The Événements page of the demo base, shown."""
    from qualite_app.gui.context import AppContext, ChangeBus
    from qualite_app.gui.evenements.page import EvenementsPage
    from qualite_app.settings import Settings

    ctx = AppContext(demo_db, ChangeBus(), Settings())
    p = EvenementsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1400, 820)
    p.show()
    qtbot.waitExposed(p)
    return p
