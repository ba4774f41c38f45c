"""Declaring, correcting and listing events; EIGS classification and deadlines; iCalendar."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from qualite_app.errors import UserError, ValidationError
from qualite_app.evenements import rules
from qualite_app.evenements import services as evenements
from qualite_app.storage.database import Database

TODAY = date(2026, 6, 15)


def test_declare_numbers_by_year_and_validates_in_french(
    db: Database, declarer: Callable[..., int], service_id: int
) -> None:
    a = declarer(service_id=service_id, gravite="3")
    b = declarer(gravite="1")
    c = declarer(declare_le=date(2026, 6, 3), survenu_le=datetime(2025, 12, 31, 23, 0))
    refs = [evenements.get_evenement(db, i).reference for i in (a, b, c)]
    assert refs == ["EI-2026-00001", "EI-2026-00002", "EI-2026-00003"]
    with pytest.raises(ValidationError) as exc:
        declarer(gravite="7", type_code="inconnu", faits=" ", survenu_le=datetime(2026, 7, 1, 8, 0))
    errors = exc.value.errors
    assert set(errors) == {"gravite", "type_code", "faits", "survenu_le", "declare_le"}
    assert "« 7 » n'est pas sur l'échelle Gravité (1 à 5)" in errors["gravite"]
    assert "dans le futur" in errors["survenu_le"]
    assert evenements.count_evenements(db) == 3  # nothing written by the refused one


def test_quebec_establishment_uses_the_a_to_i_scale(db: Database, declarer: Callable[..., int]) -> None:
    from qualite_app.etablissement import identite

    identite.save(db, identite.EtablissementData(raison_sociale="Centre fictif du Lac", pays="QC"))
    i = declarer(type_code="diete", gravite="e1")
    row = evenements.list_evenements(db, today=TODAY)[0]
    assert (row.gravite, row.gravite_libelle, row.type_libelle) == (
        "E1",
        "E1 – Conséquence temporaire légère",
        "Diète",
    )
    with pytest.raises(ValidationError, match="A, B, C"):
        declarer(type_code="diete", gravite="3")
    assert evenements.get_evenement(db, i).gravite == "E1"


def test_a_corrected_severity_keeps_the_old_value_in_the_journal(
    db: Database, declarer: Callable[..., int]
) -> None:
    i = declarer(gravite="2")
    data = evenements.get_evenement(db, i)
    data.gravite = "4"
    evenements.enregistrer_evenement(db, data, today=TODAY)
    from sqlalchemy import select

    from qualite_app.storage.tables import JournalAudit

    with db.session() as s:
        rows = s.execute(
            select(JournalAudit.champ, JournalAudit.ancienne_valeur, JournalAudit.nouvelle_valeur).where(
                JournalAudit.entite_table == "evenement",
                JournalAudit.entite_id == i,
                JournalAudit.action == "modification",
            )
        ).all()
    assert ("Gravité", "2", "4") in [tuple(r) for r in rows]
    (when, who, what, before, after), *_ = evenements.corrections(db, i)
    assert (what, before, after) == ("Gravité", "2", "4") and "Camille Testeur" in who


def test_status_workflow_refuses_a_jump_back(db: Database, declarer: Callable[..., int]) -> None:
    i = declarer()
    evenements.changer_statut(db, i, rules.CLOTURE)
    with pytest.raises(ValidationError, match="« Clôturé » à « Déclaré » impossible"):
        evenements.changer_statut(db, i, rules.DECLARE)
    evenements.changer_statut(db, i, rules.EN_ANALYSE)
    assert evenements.get_evenement(db, i).statut == rules.EN_ANALYSE


def test_register_filters_and_sorts_in_sql(
    db: Database, declarer: Callable[..., int], service_id: int
) -> None:
    declarer(gravite="1", faits="Erreur de plateau repas", type_code="organisation")
    declarer(gravite="5", service_id=service_id, survenu_le=datetime(2026, 5, 2, 10, 0))
    declarer(
        gravite="3",
        type_code="medicament",
        faits="Dose d'héparine doublée",
        survenu_le=datetime(2026, 4, 3, 9, 0),
    )
    f = evenements.EvenementFilter
    assert [r.gravite for r in evenements.list_evenements(db, tri="gravite", desc=True)] == ["5", "3", "1"]
    assert [
        r.gravite for r in evenements.list_evenements(db, f(gravite_min=3), tri="survenu_le", desc=False)
    ] == ["3", "5"]
    assert [r.type_code for r in evenements.list_evenements(db, f(texte="heparine"))] == ["medicament"]
    assert [r.service for r in evenements.list_evenements(db, f(service_id=service_id))] == [
        "Médecine gériatrique"
    ]
    assert evenements.count_evenements(db, f(debut=date(2026, 5, 1), fin=date(2026, 5, 31))) == 1
    assert len(evenements.list_evenements(db, limit=2, offset=2)) == 1


def test_classify_eigs_shows_the_deadlines(db: Database, declarer: Callable[..., int]) -> None:
    i = declarer(gravite="5", declare_le=date(2026, 3, 30), survenu_le=datetime(2026, 3, 29, 22, 0))
    rows = evenements.classer_eigs(db, i, today=TODAY)
    assert [(r.partie, r.echeance, r.etat) for r in rows] == [
        (1, date(2026, 4, 6), rules.EN_RETARD),
        (2, date(2026, 7, 6), rules.A_VENIR),
    ]
    row = evenements.list_evenements(db, today=TODAY)[0]
    assert row.eigs and row.prochaine_echeance is not None and row.prochaine_echeance.partie == 1
    data = evenements.get_eigs(db, i)
    assert data is not None and data.nature_circonstances == "Patient retrouvé au sol au pied du lit."
    data.partie1_envoyee_le = date(2026, 3, 31)
    evenements.enregistrer_eigs(db, data, today=TODAY)
    (due,) = evenements.echeances(db, today=TODAY)
    assert (due.partie, due.echeance, due.etat) == (2, date(2026, 6, 30), rules.PROCHE)
    data = evenements.get_eigs(db, i)  # reopened: the saved version (a form saves from what it opened)
    assert data is not None
    data.partie2_envoyee_le = date(2026, 6, 10)
    with pytest.raises(ValidationError, match="causes"):
        evenements.enregistrer_eigs(db, data, today=TODAY)
    data.causes_profondes = "Absence de barrière de lit, effectif de nuit réduit."
    evenements.enregistrer_eigs(db, data, today=TODAY)
    assert evenements.echeances(db, today=TODAY) == []
    with pytest.raises(UserError, match="déjà été envoyée"):
        evenements.declasser_eigs(db, i)


def test_part2_cannot_be_sent_before_part1(db: Database, declarer: Callable[..., int]) -> None:
    i = declarer()
    evenements.classer_eigs(db, i, today=TODAY)
    data = evenements.get_eigs(db, i)
    assert data is not None
    data.partie2_envoyee_le, data.causes_immediates = date(2026, 6, 10), "Chute"
    with pytest.raises(ValidationError, match="la partie 1 doit avoir été envoyée"):
        evenements.enregistrer_eigs(db, data, today=TODAY)
    evenements.declasser_eigs(db, i)
    assert evenements.get_eigs(db, i) is None and not evenements.list_evenements(db)[0].eigs


def test_ical_export_of_eigs_deadlines(db: Database, declarer: Callable[..., int], tmp_path: Path) -> None:
    i = declarer(declare_le=date(2026, 6, 10), survenu_le=datetime(2026, 6, 9, 8, 0))
    evenements.classer_eigs(db, i, today=TODAY)
    out = tmp_path / "eigs.ics"
    assert evenements.exporter_ical(db, out, today=TODAY) == 2
    text = out.read_text(encoding="utf-8")
    assert "SUMMARY:EIGS EI-2026-00001 — partie 1" in text
    assert "DTSTART;VALUE=DATE:20260617" in text and "DTSTART;VALUE=DATE:20260917" in text
