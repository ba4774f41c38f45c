"""An item's chain (socle/chaine.py): both directions, every relation, the chain's order, linking and
unlinking (one transaction each, journaled, refusals in French), a handful of queries per panel."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from qualite_app.accueil import recherche
from qualite_app.certification import preuves
from qualite_app.errors import UserError
from qualite_app.evenements import services as evenements
from qualite_app.indicateurs import services as indicateurs
from qualite_app.paqss import services as paqss
from qualite_app.risques import services as risques
from qualite_app.socle import chaine, journal
from qualite_app.storage.database import Database


def _critere(db: Database, ref: str) -> int:
    groupe = next(g for g in recherche.chercher(db, ref) if g.item_type == "critere")
    return next(r.item_id for r in groupe.resultats if r.reference == ref)


def _action_sans_lien(db: Database) -> tuple[int, str]:
    for r in paqss.list_actions(db):
        if not chaine.liens_de(db, "paqss_action", r.id):
            return r.id, r.reference
    raise AssertionError("aucune action sans lien dans la démo")


def _vus(db: Database, table: str, item_id: int) -> dict[str, list[chaine.LienVu]]:
    return {g.libelle: g.liens for g in chaine.liens_de(db, table, item_id)}


@contextmanager
def _requetes(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_a) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_the_chain_is_read_in_both_directions_in_the_chains_order(demo_db: Database) -> None:
    an = next(a for a in evenements.list_analyses(demo_db) if evenements.actions_de_l_analyse(demo_db, a.id))
    action = evenements.actions_de_l_analyse(demo_db, an.id)[0]
    ev = evenements.id_par_reference(demo_db, an.evenements[0])
    assert ev is not None
    groupes = chaine.liens_de(demo_db, "evenement_analyse", an.id)
    libelles = [g.libelle for g in groupes]
    assert libelles.index("Événements") < libelles.index("Actions PAQSS")  # event → analysis → action
    vus = _vus(demo_db, "evenement_analyse", an.id)
    assert an.evenements[0] in [x.reference for x in vus["Événements"]]
    sortie = next(x for x in vus["Actions PAQSS"] if x.id == action.id)
    assert (sortie.direction, sortie.nature, sortie.domaine, sortie.item_type) == (
        "sortant", "a donné lieu à", "paqss", "action",
    )  # fmt: skip
    # the same links, seen from the other ends
    retour = next(x for x in _vus(demo_db, "paqss_action", action.id)["Analyses des causes"] if x.id == an.id)
    assert (retour.direction, retour.reference) == ("entrant", an.reference)
    depuis_ev = _vus(demo_db, "evenement", ev)["Analyses des causes"]
    assert [(x.reference, x.nature, x.direction) for x in depuis_ev if x.id == an.id] == [
        (an.reference, "analysé dans", "sortant")
    ]


def test_criterion_and_action_share_the_certification_evidence(demo_db: Database) -> None:
    aid, ref = _action_sans_lien(demo_db)
    crit, crit2 = _critere(demo_db, "1.1-05"), _critere(demo_db, "1.1-01")
    avant = len(preuves.lister(demo_db, crit))
    cle = chaine.lier(demo_db, ("paqss_action", aid), ("certif_noeud", crit))
    # the certification area sees it: the criterion's evidence, pointing to the action
    rows = preuves.lister(demo_db, crit)
    assert len(rows) == avant + 1
    p = next(r for r in rows if r.item_type == "paqss_action" and r.item_id == aid)
    assert p.titre == f"Action PAQSS {ref}" and p.criteres == ["1.1-05"]
    # the action shows the criterion it answers; the criterion shows the action that proves it
    assert [(x.reference, x.nature, x.direction) for x in _vus(demo_db, "paqss_action", aid)["Critères de certification"]] == [
        ("1.1-05", "preuve du critère", "sortant")
    ]  # fmt: skip
    assert [(x.reference, x.cle) for x in _vus(demo_db, "certif_noeud", crit)["Actions PAQSS"] if x.id == aid] == [
        (ref, cle)
    ]  # fmt: skip
    # a second criterion: the same piece of evidence serves both
    chaine.lier(demo_db, ("certif_noeud", crit2), ("paqss_action", aid))
    assert next(r for r in preuves.lister(demo_db, crit2) if r.item_id == aid).criteres == [
        "1.1-01",
        "1.1-05",
    ]
    with pytest.raises(UserError, match="Action PAQSS est déjà une preuve de ce critère"):
        chaine.lier(demo_db, ("certif_noeud", crit), ("paqss_action", aid))
    entries = journal.list_entries(demo_db, entite_type="Critère servi par une preuve")
    assert any(e.action == "création" and "Critère : 1.1-05" in e.nouvelle_valeur for e in entries)
    # unlinking from the action: the criterion no longer lists it; the evidence goes with its last criterion
    chaine.delier(demo_db, cle)
    assert all(r.item_id != aid for r in preuves.lister(demo_db, crit))
    assert "Critères de certification" in _vus(demo_db, "paqss_action", aid)
    other = _vus(demo_db, "paqss_action", aid)["Critères de certification"][0]
    chaine.delier(demo_db, other.cle)
    assert chaine.liens_de(demo_db, "paqss_action", aid) == []
    assert all(r.item_id != aid for r in preuves.lister(demo_db))
    with pytest.raises(UserError, match="n'existe plus"):
        chaine.delier(demo_db, other.cle)


def test_generic_link_refusals_and_journal(demo_db: Database) -> None:
    aid, _ref = _action_sans_lien(demo_db)
    ind = indicateurs.indicateur_id(demo_db, "ESCARRES")
    with pytest.raises(UserError, match="ne peut pas être lié à lui-même"):
        chaine.lier(demo_db, ("paqss_action", aid), ("paqss_action", aid))
    with pytest.raises(UserError, match="ce type d'élément ne peut pas être lié"):
        chaine.lier(demo_db, ("paqss_action", aid), ("blob", 1))
    with pytest.raises(UserError, match="n'existe plus ; rien n'a été lié"):
        chaine.lier(demo_db, ("paqss_action", aid), ("risque", 987654))
    cle = chaine.lier(demo_db, ("paqss_action", aid), ("indicateur", ind), "  mesurée par  ")
    with pytest.raises(UserError, match="déjà liés \\(« mesurée par »\\)"):
        chaine.lier(
            demo_db, ("indicateur", ind), ("paqss_action", aid)
        )  # the other direction is the same link
    vu = _vus(demo_db, "indicateur", ind)["Actions PAQSS"]
    assert [(x.id, x.nature, x.direction, x.deliable) for x in vu if x.cle == cle] == [
        (aid, "mesurée par", "entrant", True)
    ]
    entries = journal.list_entries(demo_db, entite_table="lien")
    assert any(e.action == "création" and "Nature : mesurée par" in e.nouvelle_valeur for e in entries)
    chaine.delier(demo_db, cle)
    assert chaine.liens_de(demo_db, "paqss_action", aid) == []
    assert any(e.action == "suppression" for e in journal.list_entries(demo_db, entite_table="lien"))
    with pytest.raises(UserError, match="n'existe plus"):
        chaine.delier(demo_db, cle)
    with pytest.raises(UserError, match="ne peut pas être retiré"):
        chaine.delier(demo_db, "n'importe quoi")


def test_event_joins_and_leaves_an_analysis(demo_db: Database) -> None:
    an = evenements.list_analyses(demo_db)[0]
    seul = next(a for a in evenements.list_analyses(demo_db) if len(a.evenements) == 1)
    ev = next(
        e.id for e in evenements.list_evenements(demo_db, evenements.EvenementFilter())
        if e.reference not in an.evenements
    )  # fmt: skip
    cle = chaine.lier(demo_db, ("evenement", ev), ("evenement_analyse", an.id))
    assert an.id in [a.id for a in evenements.list_analyses(demo_db, ev)]
    with pytest.raises(UserError, match="fait déjà partie de l'analyse"):
        chaine.lier(demo_db, ("evenement_analyse", an.id), ("evenement", ev))
    chaine.delier(demo_db, cle)
    assert an.id not in [a.id for a in evenements.list_analyses(demo_db, ev)]
    only = _vus(demo_db, "evenement_analyse", seul.id)["Événements"][0]
    with pytest.raises(UserError, match="garde au moins un événement"):
        chaine.delier(demo_db, only.cle)


def test_files_are_shown_but_not_unlinked_from_a_panel(demo_db: Database) -> None:
    aid, _ref = _action_sans_lien(demo_db)
    paqss.add_evidence(demo_db, aid, b"%PDF-1.4 compte rendu", "compte-rendu.pdf")
    fichier = _vus(demo_db, "paqss_action", aid)["Fichiers"][0]
    assert (fichier.titre, fichier.deliable, fichier.ouvrable) == ("compte-rendu.pdf", False, False)
    assert "onglet" in fichier.pourquoi
    with pytest.raises(UserError, match="Un fichier se retire"):
        chaine.delier(demo_db, fichier.cle)


def test_a_panel_costs_the_same_few_queries_whatever_the_number_of_links(demo_db: Database) -> None:
    ind = indicateurs.indicateur_id(demo_db, "ESCARRES")
    actions = [r.id for r in paqss.list_actions(demo_db)]
    chaine.lier(demo_db, ("indicateur", ind), ("paqss_action", actions[0]))
    with _requetes(demo_db) as few:
        chaine.liens_de(demo_db, "indicateur", ind)
    for aid in actions[1:31]:
        chaine.lier(demo_db, ("paqss_action", aid), ("indicateur", ind))
    with _requetes(demo_db) as many:
        groupes = chaine.liens_de(demo_db, "indicateur", ind)
    assert chaine.compter(groupes) >= 31
    assert len(many) == len(few) <= 6


def test_a_link_without_nature_takes_the_usual_one_in_its_direction(demo_db: Database) -> None:
    aid, _ref = _action_sans_lien(demo_db)
    ind = indicateurs.indicateur_id(demo_db, "ESCARRES")
    chaine.lier(demo_db, ("indicateur", ind), ("paqss_action", aid))  # given from the indicator's side
    vu = _vus(demo_db, "paqss_action", aid)["Indicateurs"][0]
    assert (vu.nature, vu.direction) == ("suivie par l'indicateur", "sortant")  # action → indicator
    risque = risques.list_risques(demo_db)[0]
    chaine.lier(demo_db, ("paqss_action", aid), ("risque", risque.id))
    vu = _vus(demo_db, "paqss_action", aid)["Risques"][0]
    assert (vu.nature, vu.direction) == ("a donné lieu à", "entrant")  # risk → action
