"""One operation = one transaction = one ChangeSet, derived from what the transaction wrote."""

from __future__ import annotations

from qualite_app.etablissement import annuaire
from qualite_app.operations import ChangeSet
from qualite_app.storage.database import Database


def test_a_committed_write_hands_its_tables_to_the_listeners(db: Database) -> None:
    seen: list[ChangeSet] = []
    db.add_listener(seen.append)
    pid = annuaire.save_personne(db, annuaire.PersonneData(nom="Lestrade", prenom="Anne", roles=["Cadre de santé"]))
    assert len(seen) == 1
    change = seen[0]
    assert {"personne", "personne_role", "journal_audit"} <= change.tables
    assert change.operation  # the journal's operation id of that transaction
    with db.session() as s:
        from sqlalchemy import select

        from qualite_app.storage.tables import JournalAudit

        ops = set(s.scalars(select(JournalAudit.operation).where(JournalAudit.entite_id == pid, JournalAudit.entite_table == "personne")))
    assert ops == {change.operation}
    annuaire.list_personnes(db)  # a read changes nothing and announces nothing
    assert len(seen) == 1


def test_a_failed_transaction_announces_nothing_and_a_failing_listener_undoes_nothing(db: Database) -> None:
    import pytest

    from qualite_app.errors import UserError

    seen: list[ChangeSet] = []
    db.add_listener(seen.append)

    def broken(change: ChangeSet) -> None:
        raise RuntimeError("écouteur en panne")

    db.add_listener(broken)
    with pytest.raises(UserError):
        annuaire.save_personne(db, annuaire.PersonneData(nom="", prenom=""))  # refused: nothing written
    assert seen == []
    pid = annuaire.save_personne(db, annuaire.PersonneData(nom="Valcourt", prenom="Léa"))
    assert annuaire.get_personne(db, pid).nom == "Valcourt"  # committed although a listener failed
    assert len(seen) == 1
    db.remove_listener(seen.append)
