"""An action's save written without the ORM's unit of work (issue 13, ``paqss/services/directe.py``): the same
rows, journal lines, search index, version and ChangeSet as the unit of work's path; conflicts and refusals as
before. Both engines (the suite's second pass runs on PostgreSQL)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from qualite_app.errors import ConflitEdition, ValidationError
from qualite_app.paqss import services as paqss
from qualite_app.paqss.models import PaqssAction
from qualite_app.paqss.services import actions
from qualite_app.storage.database import Database
from qualite_app.storage.tables import EntreeRecherche, JournalAudit

TODAY = date(2026, 6, 15)


def _action(structure: dict[str, int], **kw: Any) -> paqss.ActionData:
    base: dict[str, Any] = dict(objectif_id=structure["objectif"], titre="Former les nouveaux arrivants",
                                pilote_id=structure["medecin"], copilote_id=structure["admin"],
                                date_debut=date(2026, 1, 10), echeance=date(2026, 5, 31))  # fmt: skip
    base.update(kw)
    return paqss.ActionData(**base)


def _par_l_orm(db: Database, d: paqss.ActionData) -> int:
    """The unit of work's path (``_apply`` and a flush), which the direct path must match."""
    with db.unit_of_work() as s:
        a = actions._apply(s, d, confirme=False, today=TODAY)
        s.flush()
        return a.id


def _sans_orm(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, a save that fell back to the unit of work's path fails the test."""

    def refuse(*_a: Any, **_k: Any) -> None:
        raise AssertionError("le chemin de l'unité de travail a été pris")

    monkeypatch.setattr(actions, "_apply", refuse)


def _etat(db: Database, aid: int) -> dict[str, Any]:
    """The action's row, its journal lines and its search index row, its own reference and id taken out."""
    with db.session() as s:
        a = s.get(PaqssAction, aid)
        assert a is not None
        ref = a.reference
        row = {n: getattr(a, n) for n in (*actions.ACTION_FIELDS, "cle_recherche", "version") if n != "reference"}
        row["cle_recherche"] = row["cle_recherche"].replace(ref.lower(), "<ref>")
        j = JournalAudit
        lines = [
            tuple(str(v).replace(ref, "<ref>") if isinstance(v, str) else v for v in r)
            for r in s.execute(
                select(j.action, j.entite_type, j.entite_libelle, j.champ, j.ancienne_valeur, j.nouvelle_valeur,
                       j.parent_table, j.parent_id, j.utilisateur_os)
                .where(j.entite_table == "paqss_action", j.entite_id == aid).order_by(j.id)
            )
        ]  # fmt: skip
        e = EntreeRecherche
        index = s.execute(
            select(e.titre, e.cle_titre, e.texte).where(e.source == "paqss_action", e.item_id == aid)
        ).all()
        assert a.modifie_le >= a.cree_le
    plie = " ".join(ref.lower().split("-"))  # the reference as the index folds it
    return {"ligne": row, "journal": lines, "index": [tuple(str(v).replace(plie, "<ref>") for v in r) for r in index]}


def test_a_creation_writes_what_the_unit_of_work_writes(db: Database, structure: dict[str, int], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    changes: list[Any] = []
    db.add_listener(changes.append)
    par_orm = _par_l_orm(db, _action(structure, description="Accueil", source="audit", priorite=1))
    tables_orm = set(changes[-1].tables)
    _sans_orm(monkeypatch)
    directe = paqss.save_action(db, _action(structure, description="Accueil", source="audit", priorite=1), today=TODAY)
    assert _etat(db, directe) == _etat(db, par_orm)
    assert [paqss.get_action(db, x).reference for x in (par_orm, directe)] == ["PAQSS-2026-001", "PAQSS-2026-002"]
    assert {"paqss_action", "journal_audit"} <= set(changes[-1].tables) <= tables_orm
    # found by the global search like any action
    from qualite_app.accueil import recherche

    found = recherche.tout(recherche.chercher(db, "former les nouveaux"))
    assert {r.item_id for r in found if r.item_type == "action"} == {par_orm, directe}


@pytest.mark.parametrize("relue", [False, True], ids=["telle-que-lue", "relue-dans-la-transaction"])
def test_a_change_writes_what_the_unit_of_work_writes(db: Database, structure: dict[str, int], monkeypatch, relue: bool) -> None:  # type: ignore[no-untyped-def]
    """Title (the search index follows), tandem (journaled as names), status, progress, dates, texts: the same
    lines, row and index row whether the action is written as the form read it, read again in the save's
    transaction, or saved by the unit of work."""
    from qualite_app.etablissement import annuaire

    autre = annuaire.save_personne(db, annuaire.PersonneData(nom="DURIEUX", prenom="Marc"))
    ids = [paqss.save_action(db, _action(structure), today=TODAY) for _ in range(2)]

    def change(d: paqss.ActionData) -> paqss.ActionData:
        d.titre, d.pilote_id, d.copilote_id = "Former tous les arrivants", structure["admin"], autre
        d.statut, d.avancement, d.echeance_revisee = "en_cours", 40, date(2026, 9, 30)
        d.description, d.indicateur = "Deux sessions par an", "  "
        return d

    _par_l_orm(db, change(paqss.get_action(db, ids[0])))
    _sans_orm(monkeypatch)
    d = change(paqss.get_action(db, ids[1]))
    if relue:
        d.lu = None
    assert paqss.save_action(db, d, today=TODAY) == ids[1]
    par_orm, directe = _etat(db, ids[0]), _etat(db, ids[1])
    assert directe == par_orm
    assert directe["ligne"]["version"] == 2 and directe["ligne"]["statut"] == "en_cours"
    champs = {line[3]: line[4:6] for line in directe["journal"][1:]}
    assert "BRÉVANNE" in champs["Pilote"][0] and champs["Pilote"][1] == "Julien ARSAC"
    assert champs["Copilote"] == ("Julien ARSAC", "Marc DURIEUX")
    assert "Indicateur de suivi" not in champs  # blank stays empty: nothing to journal
    assert directe["index"][0][0] == "Former tous les arrivants"


def test_a_save_over_someone_elses_is_refused_with_their_change_then_reapplied(db: Database, structure: dict[str, int]) -> None:
    aid = paqss.save_action(db, _action(structure), today=TODAY)
    mien, sien = paqss.get_action(db, aid), paqss.get_action(db, aid)
    sien.avancement = 30
    paqss.save_action(db, sien, today=TODAY)
    mien.titre = "Former les arrivants de nuit"
    with pytest.raises(ConflitEdition) as e:
        paqss.save_action(db, mien, today=TODAY)
    assert "modifiée par quelqu'un d'autre" in e.value.message and "Avancement" in e.value.message
    now = paqss.get_action(db, aid)
    assert (now.titre, now.avancement, now.version) == ("Former les nouveaux arrivants", 30, 2)  # nothing written
    mien.titre = ""  # a field's error comes first, as on the unit of work's path
    with pytest.raises(ValidationError):
        paqss.save_action(db, mien, today=TODAY)
    mien.titre = "Former les arrivants de nuit"
    paqss.save_action(db, mien, today=TODAY, ecraser=True)  # the user chose to reapply his changes
    now = paqss.get_action(db, aid)
    assert (now.titre, now.version) == ("Former les arrivants de nuit", 3)


def test_the_milestones_or_the_team_changed_take_the_unit_of_works_path(db: Database, structure: dict[str, int]) -> None:
    aid = paqss.save_action(db, _action(structure, jalons=[paqss.JalonData("Support", date(2026, 3, 1))]), today=TODAY)
    d = paqss.get_action(db, aid)
    d.avancement = 20  # milestones as read: the direct path
    paqss.save_action(db, d, today=TODAY)
    d = paqss.get_action(db, aid)
    d.jalons[0].fait = True  # a milestone done: written with its date, the action's version still moves
    d.jalons.append(paqss.JalonData("Évaluation", date(2026, 5, 1)))
    paqss.save_action(db, d, today=TODAY)
    after = paqss.get_action(db, aid)
    assert [(j.libelle, j.fait, j.fait_le) for j in after.jalons] == [("Support", True, TODAY), ("Évaluation", False, None)]
    assert (after.avancement, after.version) == (20, 3)


def test_the_form_that_opened_the_action_saves_without_reading_it_again(db: Database, structure: dict[str, int]) -> None:
    """``get_action`` keeps what it read apart from what the form changes: a form that edits the lists in place
    leaves the snapshot as read."""
    aid = paqss.save_action(db, _action(structure, autres_services=[]), today=TODAY)
    d = paqss.get_action(db, aid)
    assert d.lu is not None and d.lu.version == d.version and d == d.lu
    d.autres_copilotes.append(structure["medecin"])  # the pilot himself: dropped, the team does not change
    d.titre = "Autre"
    assert d.lu.autres_copilotes == [] and d.lu.titre == "Former les nouveaux arrivants" and d != d.lu
    paqss.save_action(db, d, today=TODAY)
    assert paqss.get_action(db, aid).titre == "Autre"


@pytest.mark.parametrize("qui", ["pilote", "copilote_en_plus"])
def test_a_person_leaving_the_directory_is_told_to_the_open_forms_of_her_actions(db: Database, structure: dict[str, int], qui: str) -> None:
    """The server sets the pilot to NULL (or deletes the team's row) with the person: the action changed, its
    version moves, and a form opened before is read again and told, beside the field, that she left — instead of
    writing her id back (a foreign key error) or saving over a team it no longer has."""
    from qualite_app.etablissement import annuaire

    partante = annuaire.save_personne(db, annuaire.PersonneData(nom="DURIEUX", prenom="Marc"))
    kw = {"pilote_id": partante} if qui == "pilote" else {"autres_copilotes": [partante]}
    aid = paqss.save_action(db, _action(structure, **kw), today=TODAY)
    autre = paqss.save_action(db, _action(structure, titre="Sans elle"), today=TODAY)
    ouverte, intacte = paqss.get_action(db, aid), paqss.get_action(db, autre)
    annuaire.delete_personne(db, partante)
    ouverte.avancement = intacte.avancement = 10
    with pytest.raises(ValidationError) as e:  # beside its field, as on the unit of work's path; nothing written
        paqss.save_action(db, ouverte, today=TODAY)
    assert set(e.value.errors) == {"pilote_id" if qui == "pilote" else "autres_copilotes"}
    assert paqss.get_action(db, aid).avancement == 0
    paqss.save_action(db, intacte, today=TODAY)  # an action she had nothing to do with: saved as usual
    assert paqss.get_action(db, autre).avancement == 10


def test_the_next_number_follows_the_highest_even_past_a_longer_reference_typed_by_hand(db: Database, structure: dict[str, int]) -> None:
    """« PAQSS-2026-0007 » (typed by hand, longer) sorts before « PAQSS-2026-012 »: the next number is still the
    one after the highest (013), not a freed one (010), on both engines."""
    ids = [paqss.save_action(db, _action(structure, titre=f"Action {n}"), today=TODAY) for n in range(12)]
    paqss.save_action(db, _action(structure, titre="Saisie à la main", reference="PAQSS-2026-0007"), today=TODAY)
    paqss.delete_action(db, ids[9])
    new = paqss.save_action(db, _action(structure, titre="Suivante"), today=TODAY)
    assert paqss.get_action(db, new).reference == "PAQSS-2026-013"


def test_the_next_number_reads_further_when_the_highest_ones_read_were_all_typed_by_hand(db: Database, structure: dict[str, int]) -> None:
    """A creation reads the year's ten highest references only (``numeros.PLUS_HAUTES``): when all ten were typed
    by hand (« PAQSS-2026-0001 » … « 0010 », longer than the application's), it reads them all and still takes the
    number after the highest (013), not one already taken (011)."""
    from qualite_app.paqss.services.numeros import PLUS_HAUTES

    for n in range(12):
        paqss.save_action(db, _action(structure, titre=f"Action {n}"), today=TODAY)
    for n in range(1, PLUS_HAUTES + 1):
        paqss.save_action(db, _action(structure, titre=f"Reprise {n}", reference=f"PAQSS-2026-{n:04d}"), today=TODAY)
    new = paqss.save_action(db, _action(structure, titre="Suivante"), today=TODAY)
    assert paqss.get_action(db, new).reference == "PAQSS-2026-013"
