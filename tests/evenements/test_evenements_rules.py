"""EIGS deadlines (part 2 three months after part 1: month ends, leap years) and the severity scales."""

from __future__ import annotations

from datetime import date

import pytest

from qualite_app.evenements import catalogue, rules


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 15), 3, date(2026, 4, 15)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),  # leap year: 29 February
        (date(2025, 11, 30), 3, date(2026, 2, 28)),  # common year: 28 February
        (date(2026, 10, 31), 3, date(2027, 1, 31)),  # across the year
        (date(2026, 3, 31), 3, date(2026, 6, 30)),  # 31 March → 30 June
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_month_end(start: date, months: int, expected: date) -> None:
    assert rules.add_months(start, months) == expected


def test_part2_runs_from_part1_sent_else_from_part1_due() -> None:
    known = date(2023, 11, 20)
    assert rules.echeance_partie1(known) == date(2023, 11, 27)
    assert rules.echeance_partie2(known, None) == date(2024, 2, 27)
    assert rules.echeance_partie2(known, date(2023, 11, 30)) == date(2024, 2, 29)


def test_deadline_states_and_order() -> None:
    today = date(2026, 6, 15)
    rows = rules.echeances_eigs(1, "EI-2026-00001", date(2026, 1, 2), date(2026, 1, 5), None, today)
    assert [(r.partie, r.etat) for r in rows] == [(1, rules.ENVOYEE), (2, rules.EN_RETARD)]
    assert rows[1].echeance == date(2026, 4, 5) and rows[1].jours == -71
    soon = rules.echeances_eigs(2, "EI-2026-00002", date(2026, 3, 1), date(2026, 3, 20), None, today)[1]
    assert (soon.echeance, soon.etat, soon.jours) == (date(2026, 6, 20), rules.PROCHE, 5)
    later = rules.echeances_eigs(3, "EI-2026-00003", date(2026, 6, 14), None, None, today)
    assert [r.etat for r in later] == [rules.PROCHE, rules.A_VENIR]
    ordered = rules.ordre_echeances([*later, soon, *rows])
    assert [(r.reference, r.partie) for r in ordered][:2] == [("EI-2026-00001", 2), ("EI-2026-00002", 2)]
    assert ordered[-1].etat == rules.ENVOYEE


def test_status_workflow() -> None:
    assert rules.transition_permise(rules.DECLARE, rules.EN_ANALYSE)
    assert rules.transition_permise(rules.CLOTURE, rules.EN_ANALYSE)
    assert not rules.transition_permise(rules.CLOTURE, rules.DECLARE)
    assert not rules.transition_permise(rules.ACTIONS_DECIDEES, rules.DECLARE)


def test_severity_scales_per_country() -> None:
    fr, qc = catalogue.echelle("FR"), catalogue.echelle("QC")
    assert fr.codes() == ["1", "2", "3", "4", "5"]
    assert qc.codes() == ["A", "B", "C", "D", "E1", "E2", "F", "G", "H", "I"]
    assert fr.libelle("5") == "5 – Catastrophique"
    assert (qc.nature("B"), qc.nature("C"), qc.nature("I")) == ("incident", "accident", "accident")
    assert qc.rang("e2") == 6 and qc.rang("Z") is None
    assert fr.nature("3") is None
    assert catalogue.echelle("XX").pays == "FR"  # an unknown country falls back on France


def test_event_types_are_data_per_country() -> None:
    fr = {t.code for t in catalogue.types("FR")}
    qc = {t.code for t in catalogue.types("QC")}
    assert {"chute", "medicament", "identite"} <= fr
    assert {"chute", "medication", "diete", "abus"} <= qc
    assert catalogue.type_label("QC", "diete") == "Diète"
    assert catalogue.sous_type_label("FR", "medicament", "administration") == "Administration"
    assert catalogue.libelle_information("QC") == "Divulgation faite"


def test_factor_families() -> None:
    assert len(rules.FAMILLES_ALARM) == 7
    assert len(rules.familles("ishikawa")) == 5 and len(rules.familles("ishikawa", sept_m=True)) == 7
    assert rules.familles("alarm") is rules.FAMILLES_ALARM
