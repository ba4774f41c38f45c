"""A laptop's SQLite base moved to the team's PostgreSQL server: every row, blob and journal line, verified."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from qualite_app import cli
from qualite_app.errors import UserError
from qualite_app.paqss import services as paqss
from qualite_app.socle import journal
from qualite_app.storage.database import Database
from tests.helpers.base import TEST_ACTOR

PG = os.environ.get("QUALITE_TEST_PG", "")
pytestmark = pytest.mark.skipif(not PG, reason="demande un serveur PostgreSQL (QUALITE_TEST_PG, tools/pg-test-server)")


@pytest.fixture
def empty_server_base() -> Iterator[str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"mig_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(PG).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_migrate_the_demo_then_work_on_the_server(demo_file: Path, empty_server_base: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["migrer-vers", empty_server_base, "--db", str(demo_file)]) == 0
    out = capsys.readouterr().out
    assert "identiques." in out and "Journal intact" in out
    with Database.open(demo_file, actor=TEST_ACTOR) as laptop:
        counts = laptop.row_counts()
    with Database.open(empty_server_base, actor=TEST_ACTOR) as server:
        assert server.row_counts() == counts
        with server.engine.connect() as conn:  # left vacuumed and analyzed: no autovacuum storm under the team's first saves
            done = dict(conn.execute(text("SELECT relname, last_vacuum IS NOT NULL AND last_analyze IS NOT NULL FROM pg_stat_user_tables")).all())
        assert done["journal_audit"] and done["paqss_action"] and done["recherche"]
        # the server goes on where the laptop stopped: new ids after the copied ones, the chain continued
        prog = paqss.programme_courant(server)
        obj = paqss.objectif_choices(server, prog)[0][0]
        new = paqss.save_action(server, paqss.ActionData(objectif_id=obj, titre="Première action sur le serveur", echeance=date(2027, 3, 31)))
        assert new > max(a.id for a in paqss.list_actions(server) if a.id != new)
        assert journal.verify(server).intact


def test_a_server_base_with_data_is_refused_and_a_failed_copy_leaves_nothing(
    demo_file: Path, empty_server_base: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qualite_app.storage import transfert

    def boom(table: str, k: int, n: int) -> None:
        if k == 5:
            raise OSError("réseau coupé")

    with Database.open(demo_file, actor=TEST_ACTOR) as laptop:
        with pytest.raises(OSError):
            transfert.migrer_vers(laptop, empty_server_base, progress=boom)
        with Database.open(empty_server_base, actor=TEST_ACTOR) as server:
            assert sum(server.row_counts().values()) == 0  # the copy was one transaction: rolled back whole
        transfert.migrer_vers(laptop, empty_server_base)
        with pytest.raises(UserError, match="contient déjà des données"):
            transfert.migrer_vers(laptop, empty_server_base)
