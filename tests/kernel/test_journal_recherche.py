"""The journal searched by text in one pass (``matching_ids`` then ``entries_by_ids``, the Historique's
list): the same lines, in the same order, as ``list_entries``, whatever the case of the text typed."""

from __future__ import annotations

import pytest

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


# --- the trigram index (migration 0019): a sieve, the LIKE decides -------------------------------------------
TEXTES = ("douleur", "DOULEUR", "Hélène", "HÉLÈNE", "hélène", "statut", "s%tut", "sta_ut", "de", "é", "ion",
          "Référence : ", 'a "b', "zzzz", "d'administration", "chute de la personne âgée dans sa chambre la nuit")  # fmt: skip


def _sans_index(db: Database, texte: str, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    with monkeypatch.context() as m:
        m.setattr(journal, "_trigrammes", lambda _texte: None)  # every line read and compared, as before 0019
        return journal.matching_ids(db, texte=texte, plafond=100_000)


def test_the_trigram_index_finds_what_reading_every_line_finds(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Case (ASCII only on SQLite, as its LIKE; every letter on PostgreSQL, as ILIKE), accents, the LIKE
    wildcards typed, texts shorter than a trigram, quotes: the same lines as the full scan, in the same order."""
    if demo_db.engine.dialect.name == "sqlite":
        assert journal._sqlite(demo_db, "douleur") == "trigrammes"
    trouves = {}
    for texte in TEXTES:
        trouves[texte] = journal.matching_ids(demo_db, texte=texte, plafond=100_000)
        assert trouves[texte] == _sans_index(demo_db, texte, monkeypatch), texte
    assert trouves["douleur"] and trouves["Hélène"] and trouves["s%tut"]
    assert trouves["zzzz"] == []
    # LIKE's own case rule, kept: SQLite folds ASCII letters only (« É » is not « é »), PostgreSQL every letter
    if demo_db.engine.dialect.name == "sqlite":
        assert trouves["HÉLÈNE"] == [] and trouves["hélène"] == trouves["Hélène"]
    else:
        assert trouves["HÉLÈNE"] == trouves["hélène"] == trouves["Hélène"]


def test_lines_written_after_the_migration_are_found(demo_db: Database) -> None:
    """The index follows the journal as it grows (a trigger on SQLite, the GIN index on PostgreSQL)."""
    from qualite_app.etablissement import annuaire

    assert journal.matching_ids(demo_db, texte="Zéphyrine") == []
    annuaire.save_personne(
        demo_db, annuaire.PersonneData(nom="QUINTAVALLE", prenom="Zéphyrine", fonction="Cadre")
    )
    lignes = journal.list_entries(demo_db, texte="zéphyrine", limite=100)
    assert lignes and all("Zéphyrine" in f"{r.entite_libelle} {r.nouvelle_valeur}" for r in lignes)
    assert journal.matching_ids(demo_db, texte="uintaval") == [r.id for r in lignes]


def test_the_migration_builds_the_index_from_the_journal_and_removes_it(demo_db: Database) -> None:
    """Downgraded, no index (the filter reads every line, the same lines); upgraded, the index is built from
    the existing lines, which are read, never written (the hash chain still verifies)."""
    from alembic import command
    from sqlalchemy import text

    from qualite_app.storage import migrate

    avant = {
        t: journal.matching_ids(demo_db, texte=t, plafond=100_000) for t in ("douleur", "Statut", "Hélène")
    }
    cfg = migrate.alembic_config()
    sqlite = demo_db.engine.dialect.name == "sqlite"
    present = (
        "SELECT count(*) FROM sqlite_master WHERE name = 'journal_fts'"
        if sqlite
        else "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_journal_audit_trigrammes'"
    )
    with demo_db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0018_paqss_reference_ordre")
        assert conn.execute(text(present)).scalar() == 0
    if sqlite:
        assert journal._sqlite(demo_db, "douleur") == "balayage"
    assert {t: journal.matching_ids(demo_db, texte=t, plafond=100_000) for t in avant} == avant
    with demo_db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        assert conn.execute(text(present)).scalar() == 1
    assert {t: journal.matching_ids(demo_db, texte=t, plafond=100_000) for t in avant} == avant
    assert journal.verify(demo_db).intact
