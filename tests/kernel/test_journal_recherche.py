"""The journal searched by text in one pass (``matching_ids`` then ``entries_by_ids``, the Historique's
list): the same lines, in the same order, as ``list_entries``, whatever the case of the text typed."""

from __future__ import annotations

from qualite_app.socle import journal
from qualite_app.storage.database import Database


def test_one_pass_search_gives_the_lines_of_list_entries_whatever_the_case(demo_db: Database) -> None:
    every = journal.list_entries(demo_db, limite=100_000)
    expected = [r.id for r in every if any("douleur" in x.lower() for x in
                (r.entite_libelle, r.champ, r.ancienne_valeur, r.nouvelle_valeur))]  # fmt: skip
    assert len(expected) > 3
    for typed in ("douleur", "DOULEUR", "DouLeur"):
        ids = journal.matching_ids(demo_db, texte=typed)
        assert ids == expected
        assert [r.id for r in journal.list_entries(demo_db, texte=typed, limite=100_000)] == expected
    # a page of them, read by ids: the same rows as list_entries's page
    page = journal.entries_by_ids(demo_db, ids[1:3])
    assert page == journal.list_entries(demo_db, texte="douleur", limite=2, offset=1)
    assert journal.entries_by_ids(demo_db, []) == []
    # the cap: the most recent lines only
    assert journal.matching_ids(demo_db, texte="douleur", plafond=2) == expected[:2]
    assert journal.matching_ids(demo_db, texte="aucun texte de ce genre") == []
