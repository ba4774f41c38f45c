"""The team's server is pinged only when a connection is taken after lying unused (storage/engine.py): sessions in a
row go straight to their statements; a connection the server dropped while it lay unused is replaced before
the user's statement, which succeeds."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from qualite_app.etablissement import annuaire
from qualite_app.storage import engine as engine_mod
from qualite_app.storage.database import Database

PG = pytest.mark.skipif(
    not os.environ.get("QUALITE_TEST_PG"), reason="demande un serveur PostgreSQL (QUALITE_TEST_PG)"
)


def _count_pings(db: Database, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    pings: list[int] = []
    real = db.engine.dialect.do_ping

    def spy(dbapi_connection: object) -> bool:
        pings.append(1)
        return real(dbapi_connection)  # type: ignore[arg-type]

    monkeypatch.setattr(db.engine.dialect, "do_ping", spy)
    return pings


@PG
def test_sessions_in_a_row_are_not_pinged_an_idle_connection_is(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    pings = _count_pings(db, monkeypatch)
    pid = annuaire.save_personne(db, annuaire.PersonneData(nom="VALMORE", prenom="Agathe"))
    for _ in range(5):
        annuaire.get_personne(db, pid)
    assert pings == []
    monkeypatch.setattr(engine_mod, "PING_APRES_S", 0.0)  # every connection now counts as having lain unused
    annuaire.get_personne(db, pid)
    assert pings == [1]


@PG
def test_a_connection_dropped_while_unused_is_replaced_before_the_statement(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = annuaire.save_personne(db, annuaire.PersonneData(nom="VALMORE", prenom="Agathe"))
    with db.session() as s:
        mine = s.execute(text("SELECT pg_backend_pid()")).scalar()
    with Database.open(db.location) as other, other.engine.connect() as c:  # the server drops it (a restart…)
        assert c.execute(text("SELECT pg_terminate_backend(:p)"), {"p": mine}).scalar()
    monkeypatch.setattr(engine_mod, "PING_APRES_S", 0.0)
    assert annuaire.get_personne(db, pid).nom == "VALMORE"  # no error: another connection was taken
    annuaire.save_personne(db, annuaire.PersonneData(nom="MORVAN", prenom="Iris"))
    with db.session() as s:
        assert s.execute(text("SELECT pg_backend_pid()")).scalar() != mine
