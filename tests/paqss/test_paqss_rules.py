"""Pure PAQSS rules: statuses, overdue, references, spreadsheet values."""

from __future__ import annotations

from datetime import date

import pytest

from qualite_app.paqss import rules as r
from qualite_app.paqss import xlsx as xl

TODAY = date(2026, 6, 15)


def test_overdue_uses_revised_deadline_and_ignores_closed_actions() -> None:
    assert r.en_retard(date(2026, 6, 1), None, r.EN_COURS, TODAY)
    assert not r.en_retard(date(2026, 6, 1), date(2026, 9, 1), r.EN_COURS, TODAY)  # revised later
    assert r.en_retard(date(2026, 9, 1), date(2026, 6, 1), r.REPORTEE, TODAY)  # revised earlier and past
    assert not r.en_retard(date(2026, 6, 1), None, r.REALISEE, TODAY)
    assert not r.en_retard(date(2026, 6, 1), None, r.ABANDONNEE, TODAY)
    assert not r.en_retard(None, None, r.EN_COURS, TODAY)
    assert not r.en_retard(TODAY, None, r.EN_COURS, TODAY)  # due today is not late yet
    assert r.jours_de_retard(date(2026, 6, 5), None, r.A_LANCER, TODAY) == 10


def test_realisee_with_open_milestones_needs_confirmation() -> None:
    with pytest.raises(r.ConfirmationRequise, match="2 jalons non faits"):
        r.check_status(r.REALISEE, avancement=80, motif=None, jalons_ouverts=2, today=TODAY)
    d = r.check_status(r.REALISEE, avancement=80, motif=None, jalons_ouverts=2, confirme=True, today=TODAY)
    assert (d.statut, d.avancement, d.realisee_le) == (r.REALISEE, 100, TODAY)
    d = r.check_status(r.REALISEE, avancement=100, motif=None, jalons_ouverts=0, today=TODAY)
    assert d.realisee_le == TODAY


@pytest.mark.parametrize("statut", [r.ABANDONNEE, r.REPORTEE])
def test_abandon_and_postponement_need_a_reason(statut: str) -> None:
    with pytest.raises(ValueError, match="motif"):
        r.check_status(statut, avancement=10, motif="  ", jalons_ouverts=0, today=TODAY)
    assert (
        r.check_status(statut, avancement=10, motif="Réorganisation", jalons_ouverts=0, today=TODAY).statut
        == statut
    )


def test_progress_bounds_and_unknown_status() -> None:
    with pytest.raises(ValueError, match="entre 0 et 100"):
        r.check_status(r.EN_COURS, avancement=120, motif=None, jalons_ouverts=0, today=TODAY)
    with pytest.raises(ValueError, match="Statut inconnu"):
        r.check_status("fini", avancement=0, motif=None, jalons_ouverts=0, today=TODAY)


def test_progress_proposes_a_status() -> None:
    assert r.statut_propose(r.EN_COURS, 100) == r.REALISEE
    assert r.statut_propose(r.A_LANCER, 30) == r.EN_COURS
    assert r.statut_propose(r.EN_COURS, 30) is None
    assert r.statut_propose(r.REALISEE, 100) is None


def test_next_reference_per_year() -> None:
    refs = ["PAQSS-2026-001", "PAQSS-2026-014", "PAQSS-2025-099", "AUTRE-1"]
    assert r.prochaine_reference(2026, refs) == "PAQSS-2026-015"
    assert r.prochaine_reference(2027, refs) == "PAQSS-2027-001"


def test_dates_and_rate() -> None:
    assert r.check_dates(date(2026, 5, 1), date(2026, 4, 1), None) == {
        "echeance": "L'échéance est antérieure à la date de début."
    }
    assert r.taux_realisation([r.REALISEE, r.EN_COURS, r.ABANDONNEE]) == 50.0
    assert r.taux_realisation([]) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("15/03/2026", date(2026, 3, 15)), ("15-03-26", date(2026, 3, 15)), ("2026-03-15", date(2026, 3, 15)),
     (46096, date(2026, 3, 15)), ("46096", date(2026, 3, 15)), (None, None), ("  ", None)],
)  # fmt: skip
def test_parse_date(raw: object, expected: date | None) -> None:
    assert xl.parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["31/02/2026", "demain", "12", 3])
def test_parse_date_refuses(raw: object) -> None:
    with pytest.raises(ValueError, match="date"):
        xl.parse_date(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("50 %", 50), ("50%", 50), ("0,5", 50), (0.5, 50), (50, 50), ("50", 50), (None, 0), ("100 %", 100)],
)
def test_parse_percent(raw: object, expected: int) -> None:
    assert xl.parse_percent(raw) == expected


def test_parse_percent_refuses() -> None:
    with pytest.raises(ValueError):
        xl.parse_percent("beaucoup")
    with pytest.raises(ValueError):
        xl.parse_percent("150 %")


def test_headers_are_guessed_whatever_the_spelling() -> None:
    heads = [
        "N°",
        "Responsable",
        "ÉCHÉANCE ",
        "Date prévue",
        "Actions à mener",
        "Etat",
        "% avancement",
        "Co-pilote",
        "Axes",
    ]
    m = xl.guess_mapping(heads)
    assert m == {
        0: "reference",
        1: "pilote",
        2: "echeance",
        4: "titre",
        5: "statut",
        6: "avancement",
        7: "copilote",
        8: "axe",
    }


def test_status_source_priority_values() -> None:
    assert xl.parse_statut(" Terminée ") == r.REALISEE
    assert xl.parse_statut("non démarrée") == r.A_LANCER
    assert xl.parse_statut("") == r.A_LANCER
    with pytest.raises(ValueError, match="statut"):
        xl.parse_statut("peut-être")
    assert xl.parse_source("RMM du 12/03") == ("ei", "RMM du 12/03")
    assert xl.parse_source("Certification (critère, écart)") == ("certification", None)
    assert xl.parse_source("Projet médical") == ("autre", "Projet médical")
    assert xl.parse_priorite("Haute") == 1
    assert xl.parse_priorite(None) == 2
