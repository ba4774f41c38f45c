"""Team mode under load: several processes create actions at once on the server — every action is there,
each with its own reference, and the journal is complete with its hash chain intact."""

from __future__ import annotations

import multiprocessing
import os
from datetime import date

import pytest

from qualite_app.paqss import services as paqss
from qualite_app.socle import journal
from qualite_app.storage.database import Actor, Database

pytestmark = pytest.mark.skipif(not os.environ.get("QUALITE_TEST_PG"), reason="demande un serveur PostgreSQL (QUALITE_TEST_PG)")
WRITERS, EACH = 8, 25


def _writer(url: str, objectif: int, k: int) -> int:
    with Database.open(url, actor=Actor(f"pilote{k}", f"Pilote {k}")) as db:
        for n in range(EACH):
            paqss.save_action(db, paqss.ActionData(objectif_id=objectif, titre=f"Action {k}-{n}", echeance=date(2027, 1, 1 + n % 28)))
    return EACH


def test_eight_writers_at_once_lose_nothing(db: Database, structure: dict[str, int]) -> None:
    before = len(journal.list_entries(db))
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(WRITERS) as pool:
        done = pool.starmap(_writer, [(db.location, structure["objectif"], k) for k in range(WRITERS)])
    assert sum(done) == WRITERS * EACH
    actions = paqss.list_actions(db)
    assert len(actions) == WRITERS * EACH
    assert len({a.reference for a in actions}) == WRITERS * EACH  # one number each, none taken twice
    assert {a.titre for a in actions} == {f"Action {k}-{n}" for k in range(WRITERS) for n in range(EACH)}
    assert len(journal.list_entries(db)) >= before + WRITERS * EACH
    report = journal.verify(db)
    assert report.intact, report.resume()
