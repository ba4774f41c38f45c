"""The global search: any area's items by reference, title or text, accents and case ignored, grouped."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from qualite_app.accueil import recherche
from qualite_app.etablissement import annuaire
from qualite_app.indicateurs import services as indicateurs
from qualite_app.rules.text import fold
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
