"""Issue 13 — the journal's lines are chained and inserted at the very end of the transaction (the team's
writers wait for each other only for « read the tip, insert, commit »): nothing is lost, nothing of a
cancelled change remains, and the chain stays one line (on SQLite, and on PostgreSQL where the server
itself hashes the lines in the same trip as the COMMIT)."""

from __future__ import annotations

import os
from datetime import date

import pytest
from sqlalchemy import func, select

from qualite_app.etablissement.models import Personne
from qualite_app.socle import journal
from qualite_app.storage import audit
from qualite_app.storage.database import Database
from qualite_app.storage.tables import JournalAudit


def _count(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(JournalAudit)) or 0)


def test_lines_wait_for_the_commit_and_a_cancelled_change_leaves_none(db: Database) -> None:
    before = _count(db)
    with pytest.raises(RuntimeError), db.unit_of_work() as s:
        s.add(Personne(nom="ANNULÉ", prenom="Jean"))
        s.flush()
        assert s.info[audit.PENDING]  # the creation's line waits in the session…
        assert s.scalar(select(func.count()).select_from(JournalAudit)) == before  # …not yet in the table
        raise RuntimeError("l'utilisateur annule")
    assert _count(db) == before
    with db.unit_of_work() as s:  # the same session factory: nothing of the cancelled change is carried over
        s.add(Personne(nom="GARDÉ", prenom="Paul"))
    names = [e.entite_libelle for e in journal.list_entries(db, entite_type="Personne")]
    assert any("GARDÉ" in n for n in names) and not any("ANNULÉ" in n for n in names)
    assert _count(db) == before + 1
    assert journal.verify(db).intact


def test_a_savepoint_rolled_back_takes_its_lines_with_it(db: Database) -> None:
    before = _count(db)
    with db.unit_of_work() as s:
        s.add(Personne(nom="DEHORS", prenom="Anne"))
        s.flush()
        try:
            with s.begin_nested():
                s.add(Personne(nom="DEDANS", prenom="Luc"))
                s.flush()
                raise ValueError("refusé")
        except ValueError:
            pass
    names = [e.entite_libelle for e in journal.list_entries(db, entite_type="Personne")]
    assert any("DEHORS" in n for n in names) and not any("DEDANS" in n for n in names)
    assert _count(db) == before + 1
    assert journal.verify(db).intact


def test_one_transaction_lines_bear_the_commit_time_and_accents_hash_alike(db: Database) -> None:
    """Accents, symbols, quotes, backslashes and line breaks (sent as JSON): on PostgreSQL the server computes
    the hash, and it must be the one ``chain.line_hash`` computes (``journal.verify`` recomputes every line in Python)."""
    with db.unit_of_work() as s:
        for i in range(3):
            s.add(Personne(nom=f"ÉLOÏSE-{i}", prenom="Zoë « œ » — 😀\nligne 2"))
            s.flush()
        audit.record_event(s, "essai", "Essai", "Événement « spécial » ½ € \\ \"cité\"", "détail\tavec tabulation")
    with db.session() as s:
        last = s.execute(select(JournalAudit.operation, JournalAudit.horodatage).order_by(JournalAudit.id.desc()).limit(4)).all()
    assert len(last) == 4 and len({op for op, _ in last}) == 1 and len({when for _, when in last}) == 1
    report = journal.verify(db)
    assert report.intact, report.resume()


def test_many_lines_in_one_transaction_are_chained_too(db: Database) -> None:
    """Beyond the size the server chains in one statement (large imports), the lines are chained here."""
    with db.unit_of_work() as s:
        s.add_all(Personne(nom=f"LOT{i:04d}", prenom="Import") for i in range(audit._PG_CHAIN_MAX + 20))
    report = journal.verify(db)
    assert report.intact, report.resume()


@pytest.mark.skipif(not os.environ.get("QUALITE_TEST_PG"), reason="demande un serveur PostgreSQL (QUALITE_TEST_PG)")
def test_two_creations_in_progress_never_choose_the_same_reference(db: Database) -> None:
    """Two users create an action at the same moment, neither has committed: each holds its own number."""
    from qualite_app.paqss import services as paqss

    prog = paqss.save_programme(db, "PAQSS 2026", date(2026, 1, 1), date(2026, 12, 31))
    obj = paqss.save_objectif(db, paqss.save_axe(db, prog, "Axe", "A1"), "Objectif", "A1.1")
    paqss.save_action(db, paqss.ActionData(objectif_id=obj, titre="Déjà là"), today=date(2026, 3, 1))
    first, second, third = db.session(), db.session(), db.session()
    try:
        a = paqss.next_reference(first, obj, date(2026, 3, 1))
        b = paqss.next_reference(second, obj, date(2026, 3, 1))
        assert (a, b) == ("PAQSS-2026-002", "PAQSS-2026-003")
        first.rollback()  # the first one gives up: its number goes to the next creator
        assert paqss.next_reference(third, obj, date(2026, 3, 1)) == "PAQSS-2026-002"
    finally:
        for s in (first, second, third):
            s.close()
