"""How a transaction that wrote nothing ends (storage/engine.py): on PostgreSQL with COMMIT, so that psycopg
keeps the connection's prepared statements (a ROLLBACK makes it drop them all); whatever wrote is still
rolled back."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select, text

from qualite_app.etablissement import annuaire
from qualite_app.etablissement.models import Personne
from qualite_app.storage.database import Database

PG = pytest.mark.skipif(
    not os.environ.get("QUALITE_TEST_PG"), reason="demande un serveur PostgreSQL (QUALITE_TEST_PG)"
)


def _noms(db: Database) -> list[str]:
    with db.session() as s:
        return sorted(s.scalars(select(Personne.nom)))


def test_a_session_closed_without_commit_writes_nothing(db: Database) -> None:
    pid = annuaire.save_personne(db, annuaire.PersonneData(nom="VALMORE", prenom="Agathe"))
    with db.session() as s:  # ORM change flushed, never committed
        p = s.get(Personne, pid)
        assert p is not None
        p.nom = "CHANGÉ"
        s.add(Personne(nom="FANTÔME", prenom="Jean"))
        s.flush()
    with db.session() as s:  # a statement of its own, never committed
        s.execute(text("UPDATE personne SET nom = 'BRUT'"))
    with db.engine.connect() as c:  # a connection that wrote, closed without commit
        c.execute(text("DELETE FROM personne"))
    assert _noms(db) == ["VALMORE"]


def test_a_failed_unit_of_work_after_reads_writes_nothing(db: Database) -> None:
    with pytest.raises(RuntimeError), db.unit_of_work() as s:
        assert s.scalars(select(Personne)).all() == []
        s.add(Personne(nom="ORPHELIN", prenom="Jean"))
        s.flush()
        raise RuntimeError("abandon")
    assert _noms(db) == []


@PG
def test_reading_keeps_the_prepared_statements_of_the_connection(db: Database) -> None:
    """Before: every read session ended with ROLLBACK, psycopg then sent DEALLOCATE ALL, and the server planned
    every statement again (0.1 to 0.4 ms each on a two-core machine)."""
    pid = annuaire.save_personne(db, annuaire.PersonneData(nom="VALMORE", prenom="Agathe"))
    for _ in range(8):  # past psycopg's threshold (5 executions): the statement is prepared
        annuaire.get_personne(db, pid)
    with db.engine.connect() as c:
        named = c.execute(
            text("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM personne%'")
        ).scalar()
    assert named, "les instructions préparées ont été perdues à la fin d'une lecture"
    with db.session() as s:  # and the session that ended after reading left nothing open on the server
        assert s.execute(text("SELECT txid_current_if_assigned()")).scalar() is None


@PG
def test_an_action_read_in_one_statement_opens_no_transaction_and_keeps_it_prepared(db: Database) -> None:
    """``paqss.get_action`` reads in autocommit (one statement: one state of the base): no BEGIN nor COMMIT
    sent, its statement stays prepared, and the connection goes back to the pool in its usual mode."""
    from qualite_app.paqss import services as paqss

    prog = paqss.save_programme(db, "PAQSS", None, None)
    obj = paqss.save_objectif(db, paqss.save_axe(db, prog, "Axe"), "Objectif")
    aid = paqss.save_action(db, paqss.ActionData(objectif_id=obj, titre="Lue"))
    for _ in range(8):
        assert paqss.get_action(db, aid).titre == "Lue"
    with db.engine.connect() as c:
        assert c.connection.driver_connection.autocommit is False  # type: ignore[union-attr]
        named = c.execute(
            text("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%jalon_libelle%'")
        ).scalar()
    assert named, "la lecture d'une action n'est pas restée préparée"
