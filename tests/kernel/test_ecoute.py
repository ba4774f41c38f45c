"""On the team's server, a colleague's committed change reaches this window's listeners (LISTEN/NOTIFY)."""

from __future__ import annotations

import os
import threading

import pytest

from qualite_app.etablissement import annuaire
from qualite_app.operations import ChangeSet
from qualite_app.storage.database import Actor, Database

PG = pytest.mark.skipif(not os.environ.get("QUALITE_TEST_PG"), reason="demande un serveur PostgreSQL (QUALITE_TEST_PG)")


@PG
def test_a_colleagues_change_is_heard_and_my_own_is_not_heard_twice(db: Database) -> None:
    heard: list[ChangeSet] = []
    got = threading.Event()

    def listener(change: ChangeSet) -> None:
        heard.append(change)
        got.set()

    db.add_listener(listener)
    listening = db.listen_to_others()
    assert listening is not None
    try:
        with Database.open(db.location, actor=Actor("jarsac", "Julien ARSAC")) as colleague:
            annuaire.save_personne(colleague, annuaire.PersonneData(nom="MORVAN", prenom="Iris"))
        assert got.wait(10), "la modification du collègue n'est pas arrivée"
        assert "personne" in heard[0].tables and "journal_audit" in heard[0].tables
        got.clear()
        heard.clear()
        annuaire.save_personne(db, annuaire.PersonneData(nom="QUÉMÉNER", prenom="Yann"))
        assert len(heard) == 1  # delivered once, at commit, by the base itself…
        assert not got.wait(1.5) or len(heard) == 1  # …and not a second time by the server's notification
    finally:
        listening.stop()  # type: ignore[attr-defined]
        db.remove_listener(listener)


def test_sqlite_has_nobody_else_to_listen_to(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with Database.open(tmp_path / "seul.sqlite") as alone:
        assert alone.listen_to_others() is None
