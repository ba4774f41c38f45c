"""« Aujourd'hui »: what needs attention, asked of each area's services, ranked; the digest."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from qualite_app.accueil import formes, rules
from qualite_app.accueil import services as accueil
from qualite_app.accueil.rules import Alerte
from qualite_app.etablissement import annuaire
from qualite_app.storage.database import Database

TODAY = date(2026, 6, 15)


def test_overdue_eigs_and_actions_are_listed_and_ranked(
    base: Database, eigs: Callable[..., int], action: Callable[..., int]
) -> None:
    late_eigs = eigs(datetime(2026, 5, 20, 10, 0))  # part 1 due 27/05: overdue
    late = action("Sécuriser la relève de nuit", date(2026, 6, 1))
    soon = action("Former les équipes", date(2026, 6, 25))  # within 15 days
    action("Revoir la procédure", date(2026, 9, 1))  # far away: nothing to say
    action("Déjà faite", date(2026, 5, 1), statut="realisee", avancement=100, realisee_le=date(2026, 4, 30))
    got = accueil.attention(base, TODAY)
    keys = [(a.domaine, a.item_type, a.item_id, a.gravite) for a in got]
    assert keys[:2] == [
        ("evenements", "evenement", late_eigs, rules.RETARD),
        ("paqss", "action", late, rules.RETARD),
    ]
    assert ("paqss", "action", soon, rules.PROCHE) in keys
    assert len([k for k in keys if k[0] == "paqss"]) == 2
    first = got[0]
    assert first.titre.startswith("EIGS ") and "partie 1" in first.titre
    assert first.detail == "Transmission en retard de 19 jours (date limite : 27/05/2026)"
    assert got[1].echeance == date(2026, 6, 1) and "PAQSS-2026-" in got[1].titre


def test_my_actions_come_first(base: Database, action: Callable[..., int]) -> None:
    moi = annuaire.save_personne(base, annuaire.PersonneData(nom="Arsac", prenom="Julien"))
    other = action("Action d'un autre", date(2026, 6, 1))
    mine = action("Mon action", date(2026, 6, 10), pilote_id=moi)
    assert [a.item_id for a in accueil.attention(base, TODAY)] == [other, mine]
    got = accueil.attention(base, TODAY, moi=moi)
    assert [a.item_id for a in got] == [mine, other] and got[0].moi and "Julien Arsac" in got[0].detail


def test_empty_base_needs_nothing(db: Database) -> None:
    assert accueil.attention(db, TODAY) == []


def test_demo_base_covers_the_areas(demo_db: Database) -> None:
    got = accueil.attention(demo_db)
    areas = {a.domaine for a in got}
    assert {"paqss", "evenements", "certification", "indicateurs"} <= areas
    assert all(a.item_id is not None and a.titre for a in got)
    ranks = [("retard", "proche", "surveiller").index(a.gravite) for a in got]
    assert ranks == sorted(ranks)


def test_ranking_rule() -> None:
    d = date(2026, 6, 1)
    a = [
        Alerte("indicateurs", "indicateur", 1, "Z", gravite=rules.A_SURVEILLER),
        Alerte("paqss", "action", 2, "B", echeance=d, gravite=rules.RETARD),
        Alerte("evenements", "evenement", 3, "C", echeance=d + timedelta(days=3), gravite=rules.RETARD),
        Alerte("paqss", "action", 4, "A", echeance=d - timedelta(days=9), gravite=rules.RETARD),
        Alerte("paqss", "action", 5, "M", echeance=d + timedelta(days=9), gravite=rules.PROCHE, moi=True),
        Alerte("crise", "plan", 6, "P", echeance=None, gravite=rules.PROCHE),
    ]
    assert [x.item_id for x in rules.classer(a)] == [3, 4, 2, 5, 6, 1]
    assert rules.gravite_echeance(d, d + timedelta(days=1), 15) == rules.RETARD
    assert rules.gravite_echeance(d, d - timedelta(days=15), 15) == rules.PROCHE
    assert rules.gravite_echeance(d, d - timedelta(days=16), 15) is None
    assert (
        rules.jours_texte(d, d) == "aujourd'hui"
        and rules.jours_texte(d, d + timedelta(days=1)) == "en retard de 1 jour"
    )


def test_digest_since_last_visit(base: Database, action: Callable[..., int]) -> None:
    action("Sécuriser la relève de nuit", date(2026, 6, 1))
    r = accueil.depuis_derniere_visite(base, date.today() - timedelta(days=1))
    assert r.total >= 2 and dict(r.par_type)["Action PAQSS"] == 1
    assert "modification(s) depuis le" in r.phrase() and r.dernieres[0].entite_type == "Action PAQSS"
    author = r.dernieres[0].utilisateur
    mine_excluded = accueil.depuis_derniere_visite(base, date.today() - timedelta(days=1), sauf_auteur=author)
    assert mine_excluded.total == 0 and mine_excluded.phrase().startswith("Aucune modification depuis le")
    assert accueil.depuis_derniere_visite(base, date.today() + timedelta(days=1)).total == 0


def test_many_actions_end_in_one_line(base: Database, action: Callable[..., int], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(formes, "PLAFOND_ACTIONS", 2)
    ids = [action(f"Action {i}", date(2026, 6, 1 + i)) for i in range(3)]
    ids.append(action("Bientôt", date(2026, 6, 20)))
    got = [a for a in accueil.attention(base, TODAY) if a.domaine == "paqss"]
    assert [a.item_id for a in got] == [ids[0], ids[1], None]
    assert got[-1].titre == "… et 2 autres actions à échéance" and got[-1].detail.startswith(
        "dont 1 en retard"
    )
    assert got[-1].gravite == rules.RETARD


def test_new_lines_since_the_last_visit() -> None:
    a = Alerte("paqss", "action", 1, "A", gravite=rules.PROCHE)
    b = Alerte("paqss", "action", 2, "B", gravite=rules.RETARD)
    assert rules.nouvelles([a, b], None) == set()  # first visit: nothing is new
    assert rules.nouvelles([a, b], {rules.cle(a)}) == {rules.cle(b)}
    late_now = Alerte("paqss", "action", 1, "A", gravite=rules.RETARD)  # overdue since: new again
    assert rules.nouvelles([late_now], {rules.cle(a)}) == {rules.cle(late_now)}


def test_digest_counts_at_most_a_limit(base: Database, action: Callable[..., int]) -> None:
    from qualite_app.socle import journal

    action("Sécuriser la relève de nuit", date(2026, 6, 1))
    since = date.today() - timedelta(days=1)
    types, authors, complete = journal.compter_depuis(base, since)
    assert complete and sum(n for _t, n in types) == sum(n for _a, n in authors) >= 4
    types, _authors, complete = journal.compter_depuis(base, since, limite=2)
    assert not complete and sum(n for _t, n in types) == 2
    assert journal.compter_depuis(base, date(2099, 1, 1)) == ([], [], True)  # a quiet day: nothing, complete
    assert types[0] == ("Action PAQSS", 1) or ("Action PAQSS", 1) in types  # the latest lines are counted
