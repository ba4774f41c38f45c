"""Optimistic locking of PAQSS actions: a save from an older version is refused with what changed meanwhile."""

from __future__ import annotations

from datetime import date

import pytest

from qualite_app.errors import ConflitEdition, translate
from qualite_app.paqss import services as paqss
from qualite_app.paqss.models import PaqssAction
from qualite_app.storage.database import Actor, Database


def _action(db: Database, structure: dict[str, int]) -> int:
    return paqss.save_action(db, paqss.ActionData(objectif_id=structure["objectif"], titre="Auditer le circuit du médicament",
                                                  echeance=date(2026, 12, 31)))  # fmt: skip


def test_save_from_an_older_version_is_refused_with_the_changes_then_forced(db: Database, structure: dict[str, int]) -> None:
    aid = _action(db, structure)
    mine = paqss.get_action(db, aid)
    theirs = paqss.get_action(db, aid)
    theirs.echeance = date(2027, 3, 31)
    db.actor = Actor("jarsac", "Julien ARSAC")
    paqss.save_action(db, theirs)
    mine.titre = "Auditer le circuit du médicament en pédiatrie"
    with pytest.raises(ConflitEdition) as e:
        paqss.save_action(db, mine)
    assert any("Julien ARSAC" in c and "31/12/2026 → 31/03/2027" in c for c in e.value.changements), e.value.changements
    assert paqss.get_action(db, aid).titre == "Auditer le circuit du médicament"  # nothing written
    opened = paqss.get_action(db, aid)
    opened.titre, opened.echeance = "Auditer le circuit du médicament", date(2026, 12, 31)
    merged = paqss.reappliquer(opened, mine, paqss.get_action(db, aid))
    assert merged.echeance == date(2027, 3, 31)  # nothing of mine differs from what I opened but the title
    paqss.save_action(db, mine, ecraser=True)  # the user's explicit choice
    assert paqss.get_action(db, aid).titre.endswith("en pédiatrie")


def test_two_transactions_updating_the_same_row_at_once_cannot_both_win(db: Database, structure: dict[str, int]) -> None:
    """The race between reading and writing is closed by the version column itself (UPDATE … WHERE version)."""
    aid = _action(db, structure)
    with db.session() as s1, db.session() as s2:
        a1, a2 = s1.get(PaqssAction, aid), s2.get(PaqssAction, aid)
        assert a1 is not None and a2 is not None
        a1.titre, a2.titre = "Première", "Seconde"
        s1.commit()
        with pytest.raises(Exception) as e:
            s2.commit()
    message = translate(e.value)
    assert message is not None and "modifiée au même moment" in message.message
    assert paqss.get_action(db, aid).titre == "Première"
