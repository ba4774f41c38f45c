"""The global search: any area's items by reference, title or text, accents and case ignored, grouped."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select

from qualite_app.accueil import recherche
from qualite_app.etablissement import annuaire
from qualite_app.evenements import services as evenements
from qualite_app.indicateurs import services as indicateurs
from qualite_app.paqss import services as paqss
from qualite_app.rules.text import fold
from qualite_app.storage import index
from qualite_app.storage.database import Database


def _groups(db: Database, text: str) -> dict[str, list[str]]:
    return {
        g.libelle: [f"{r.reference} {r.titre}".strip() for r in g.resultats]
        for g in recherche.chercher(db, text)
    }


def test_accents_and_case_are_ignored_across_areas(
    base: Database, eigs: Callable[..., int], action: Callable[..., int]
) -> None:
    aid = action("Sécuriser la relève de nuit", date(2026, 9, 1))
    eid = eigs(datetime(2026, 5, 20, 10, 0))
    annuaire.save_personne(
        base, annuaire.PersonneData(nom="Brévanne", prenom="Hélène", fonction="Cadre de santé")
    )
    got = _groups(base, "RELEVE")
    assert list(got) == ["Actions PAQSS"] and got["Actions PAQSS"][0].endswith("Sécuriser la relève de nuit")
    assert _groups(base, "helene brevanne") == {"Personnes": ["Hélène Brévanne"]}
    got = _groups(base, "retrouvé au sol")
    assert list(got) == ["Événements"]
    groups = recherche.chercher(base, "sol")
    first = recherche.tout(groups)[0]
    assert (first.domaine, first.item_type, first.item_id) == ("evenements", "evenement", eid)
    by_ref = recherche.tout(recherche.chercher(base, "paqss-2026"))
    assert [(r.domaine, r.item_id) for r in by_ref] == [("paqss", aid)]


def test_small_tables_are_folded_too(base: Database) -> None:
    entry = next(
        e
        for e in indicateurs.catalogue()
        if any(w.isalpha() and fold(w) != w.lower() and len(w) > 5 for w in e.libelle.split())
    )
    word = next(
        w for w in entry.libelle.split() if w.isalpha() and fold(w) != w.lower() and len(w) > 5
    )  # « évaluée »…
    indicateurs.suivre_catalogue(base, [entry.code])
    got = recherche.tout(recherche.chercher(base, fold(word).upper()))
    assert [(r.domaine, r.reference, r.titre) for r in got] == [("indicateurs", entry.code, entry.libelle)]


def test_limit_per_group_and_short_text(base: Database, action: Callable[..., int]) -> None:
    for i in range(5):
        action(f"Former l'équipe {i}", date(2026, 9, 1))
    (g,) = recherche.chercher(base, "equipe", limite=3)
    assert len(g.resultats) == 3 and g.plus
    (g,) = recherche.chercher(base, "equipe", limite=5)
    assert len(g.resultats) == 5 and not g.plus
    assert recherche.chercher(base, "e") == [] and recherche.chercher(base, "   ") == []
    assert recherche.chercher(base, "100%_") == []  # LIKE wildcards are plain characters


def test_demo_base_finds_three_areas(demo_db: Database) -> None:
    areas = {g.domaine for g in recherche.chercher(demo_db, "douleur")}
    assert {"paqss", "indicateurs", "certification", "evenements"} <= areas


def _trouve(db: Database, text: str) -> set[tuple[str, int]]:
    return {(r.item_type, r.item_id) for r in recherche.tout(recherche.chercher(db, text, limite=50))}


def test_accentless_lowercase_prefix_finds_three_areas(
    base: Database, eigs: Callable[..., int], action: Callable[..., int]
) -> None:
    pid = annuaire.save_personne(
        base, annuaire.PersonneData(nom="BRÉVANNE", prenom="Hélène", fonction="Cadre")
    )
    aid = action("Audit du circuit du médicament avec Mme BRÉVANNE", date(2026, 9, 1))
    eid = eigs(datetime(2026, 5, 20, 10, 0))
    data = evenements.get_evenement(base, eid)
    data.faits = "Chute signalée par Hélène Brévanne, patient retrouvé au sol."
    evenements.enregistrer_evenement(base, data, today=date(2026, 6, 15))
    groups = recherche.chercher(base, "brevan")
    assert {g.domaine for g in groups} == {"etablissement", "paqss", "evenements"}
    assert _trouve(base, "brevan") == {("personne", pid), ("action", aid), ("evenement", eid)}
    assert _trouve(base, "BRÉV") == _trouve(base, "brev") == _trouve(base, "brevan")
    # every word, the last one as a prefix; a word that is nowhere finds nothing
    assert _trouve(base, "helene brev") == {("personne", pid), ("evenement", eid)}
    assert _trouve(base, "brevanne zzz") == set()


def test_created_renamed_deleted_through_services_is_found_then_gone(
    base: Database, action: Callable[..., int]
) -> None:
    aid = action("Former les équipes de nuit", date(2026, 9, 1))
    assert ("action", aid) in _trouve(base, "equipes de nuit")
    data = paqss.get_action(base, aid)
    data.titre = "Sensibiliser à l'hygiène des mains"
    paqss.save_action(base, data, today=date(2026, 6, 15))
    assert ("action", aid) in _trouve(base, "hygiene main")
    assert ("action", aid) not in _trouve(base, "equipes de nuit")
    (g,) = recherche.chercher(base, "sensibiliser")
    assert g.resultats[0].titre == "Sensibiliser à l'hygiène des mains"
    paqss.delete_action(base, aid)
    assert _trouve(base, "hygiene") == set()
    pid = annuaire.save_personne(base, annuaire.PersonneData(nom="Castagnède", prenom="Éloïse"))
    assert _trouve(base, "eloise castag") == {("personne", pid)}
    annuaire.delete_personne(base, pid)
    assert _trouve(base, "castagnede") == set()
    with base.engine.connect() as c:  # nothing left behind in the index either
        sources = index.TABLE.c.source.in_(["paqss_action", "personne"])
        assert c.execute(select(func.count()).select_from(index.TABLE).where(sources)).scalar() == 0


def test_the_index_row_is_rewritten_only_when_what_it_holds_changed(
    base: Database, action: Callable[..., int]
) -> None:
    """Saving an action's progress leaves its index row alone (one statement less per save on the team's
    server); changing its title or description still rewrites it, and the search follows."""
    import re

    from sqlalchemy import event

    aid = action("Former les équipes de nuit", date(2026, 9, 1))
    written: list[str] = []

    def spy(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if re.match(r"\s*(UPDATE|INSERT INTO|DELETE FROM)\s+recherche\b", statement, re.I):
            written.append(statement)

    event.listen(base.engine, "before_cursor_execute", spy)
    try:
        data = paqss.get_action(base, aid)
        data.avancement, data.statut = 40, "en_cours"
        paqss.save_action(base, data, today=date(2026, 6, 15))
        assert written == []
        assert ("action", aid) in _trouve(base, "equipes de nuit")
        data = paqss.get_action(base, aid)
        data.titre = "Sensibiliser à l'hygiène des mains"
        paqss.save_action(base, data, today=date(2026, 6, 15))
        assert len(written) == 1
        data = paqss.get_action(base, aid)
        data.description = "Affiches au bloc opératoire"
        paqss.save_action(base, data, today=date(2026, 6, 15))
        assert len(written) == 2
    finally:
        event.remove(base.engine, "before_cursor_execute", spy)
    assert ("action", aid) in _trouve(base, "hygiene main")
    assert ("action", aid) in _trouve(base, "affiches bloc")
    assert ("action", aid) not in _trouve(base, "equipes de nuit")
    assert paqss.get_action(base, aid).avancement == 40


def test_the_index_row_is_written_in_the_items_transaction(base: Database) -> None:
    from qualite_app.etablissement.models import Personne

    with base.unit_of_work() as s:
        s.add(Personne(nom="VALMORE", prenom="Agathe"))
        s.flush()  # before the commit, in the same transaction: the row is there
        assert s.execute(
            select(index.TABLE.c.reference).where(index.TABLE.c.source == "personne")
        ).scalars().all() == ["Agathe VALMORE"]
    assert _trouve(base, "valmore") != set()
    try:  # a transaction that fails leaves neither the item nor its index row
        with base.unit_of_work() as s:
            s.add(Personne(nom="ORPHELIN", prenom="Jean"))
            s.flush()
            raise RuntimeError("abandon")
    except RuntimeError:
        pass
    assert _trouve(base, "orphelin") == set()
    with base.engine.connect() as c:
        assert (
            c.execute(
                select(func.count())
                .select_from(index.TABLE)
                .where(index.TABLE.c.reference.like("%ORPHELIN%"))
            ).scalar()
            == 0
        )


def test_bulk_inserted_events_are_indexed(base: Database) -> None:
    import random

    from qualite_app.evenements import demo as ev_demo

    with base.unit_of_work() as s:
        rows = ev_demo.events(s, date(2026, 6, 15), random.Random(1), n=30, years=1)
        rows[0]["faits"] = "Erreur d'étiquetage du prélèvement de Mme Quillévéré."
        ev_demo.insert_events(s, rows)
    (r,) = recherche.tout(recherche.chercher(base, "quilleve"))
    assert r.item_type == "evenement" and r.reference == rows[0]["reference"]
    assert (
        len(recherche.tout(recherche.chercher(base, "20", limite=100))) >= 30
    )  # every reference « EI-2026-… »


def test_reference_exact_match_comes_first(base: Database, action: Callable[..., int]) -> None:
    ids = [action(f"Action {i}", date(2026, 9, 1)) for i in range(12)]
    refs = {i: paqss.get_action(base, i).reference for i in ids}
    exact = refs[ids[0]]  # « PAQSS-2026-001 »: a prefix of none of the others, the first one typed
    (g,) = recherche.chercher(base, exact.lower())
    assert g.resultats[0].reference == exact


def test_a_migrated_old_base_is_searchable(demo_file: Path) -> None:
    """A base of the revision before the index (here: the demo base, its index dropped by the downgrade)
    is indexed by the migration: nothing to rebuild by hand."""
    from alembic import command
    from sqlalchemy import create_engine, inspect

    from qualite_app.storage import migrate
    from qualite_app.storage.engine import sqlite_url

    before = migrate.script_directory().get_revision("0016_recherche").down_revision
    with Database.open(demo_file) as db:
        attendu = _trouve(db, "douleur")
    assert {t for t, _ in attendu} >= {"action", "indicateur", "critere", "evenement"}
    engine = create_engine(sqlite_url(demo_file))
    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, str(before))
    assert not {"recherche", "recherche_fts"} & set(inspect(engine).get_table_names())
    engine.dispose()
    with Database.open(demo_file) as db:
        assert db.revision() == migrate.head_revision()
        assert _trouve(db, "douleur") == attendu
        assert _trouve(db, "brevan")


def test_the_migration_fills_the_index_on_this_engine(demo_db: Database) -> None:
    """The same on the engine under test (PostgreSQL too): the index dropped by the downgrade, the upgrade
    rebuilds it from the rows, and the search finds what it found."""
    from alembic import command
    from sqlalchemy import inspect

    from qualite_app.storage import migrate

    attendu = _trouve(demo_db, "douleur")
    assert attendu
    before = migrate.script_directory().get_revision("0016_recherche").down_revision
    cfg = migrate.alembic_config()
    with demo_db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, str(before))
    assert "recherche" not in inspect(demo_db.engine).get_table_names()
    with demo_db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    assert _trouve(demo_db, "douleur") == attendu
