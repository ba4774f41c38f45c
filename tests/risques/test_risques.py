"""The risk map: criticality and zones with local cut-offs, heat-map counts (gross / residual), the
click on a cell, a planned action → PAQSS."""

from __future__ import annotations

from datetime import date

import pytest

from qualite_app.errors import ValidationError
from qualite_app.paqss import services as paqss
from qualite_app.risques import rules
from qualite_app.risques import services as risques
from qualite_app.storage.database import Database


def test_criticality_and_zones() -> None:
    s = rules.Seuils(5, 12)
    assert rules.criticite(4, 3) == 12 and rules.zone(12, s) == rules.INACCEPTABLE
    assert rules.zone(rules.criticite(2, 2), s) == rules.ACCEPTABLE
    assert rules.zone(rules.criticite(1, 5), s) == rules.TOLERABLE
    assert rules.criticite(4, 3, 2, avec_maitrise=True) == 24 and rules.criticite(4, 3, 2) == 12
    assert rules.criticite(None, 3) is None
    local = rules.Seuils(8, 16)
    assert rules.zone(12, local) == rules.TOLERABLE
    assert rules.zone_cellule(1, 5, local) == rules.ACCEPTABLE
    assert rules.Seuils(12, 10).erreurs().keys() == {"inacceptable"}


def test_heatmap_counts() -> None:
    grid = rules.heatmap([(5, 1), (5, 1), (1, 5), (3, 3), (None, 2), (6, 1)])
    assert grid[4][0] == 2 and grid[0][4] == 1 and grid[2][2] == 1
    assert sum(map(sum, grid)) == 4


def _risk(
    db: Database, g: int, f: int, gr: int | None = None, fr: int | None = None, proc: str = "Bloc opératoire"
) -> int:
    return risques.enregistrer_risque(
        db,
        risques.RisqueData(
            processus=proc,
            danger=f"Danger {g}×{f}",
            gravite=g,
            frequence=f,
            gravite_residuelle=gr,
            frequence_residuelle=fr,
        ),  # fmt: skip
    )


def test_map_counts_and_cell_click(db: Database) -> None:
    a = _risk(db, 4, 4, 4, 2)
    _risk(db, 4, 4, 2, 2)
    _risk(db, 1, 2, proc="Accueil")
    c = risques.carte(db)
    assert c.total == 3 and c.brute[3][3] == 2 and c.brute[0][1] == 1
    assert c.residuelle[3][1] == 1 and c.residuelle[1][1] == 1 and sum(map(sum, c.residuelle)) == 2
    cell = risques.list_risques(db, cellule=(4, 4))
    assert [r.reference for r in cell] == ["R-0001", "R-0002"]
    assert cell[0].zone == rules.INACCEPTABLE and cell[0].zone_residuelle == rules.TOLERABLE
    assert [r.id for r in risques.list_risques(db, cellule=(4, 2), residuelle=True)] == [a]
    assert risques.carte(db, "Accueil").total == 1
    risques.enregistrer_seuils(db, rules.Seuils(3, 20))
    assert risques.list_risques(db, cellule=(4, 4))[0].zone == rules.TOLERABLE
    with pytest.raises(ValidationError, match="dépasser le seuil"):
        risques.enregistrer_seuils(db, rules.Seuils(10, 9))


def test_validation_names_the_field(db: Database) -> None:
    with pytest.raises(ValidationError) as exc:
        risques.enregistrer_risque(db, risques.RisqueData(processus="Bloc", danger="", gravite=6, frequence=None,
                                                          gravite_residuelle=2))  # fmt: skip
    assert set(exc.value.errors) == {"danger", "gravite", "frequence", "frequence_residuelle"}
    assert "Gravité brute : 6 n'est pas entre 1 et 5." in exc.value.errors["gravite"]


def test_planned_action_becomes_paqss(db: Database) -> None:
    prog = paqss.save_programme(db, "PAQSS 2026", date(2026, 1, 1), date(2026, 12, 31))
    paqss.save_objectif(db, paqss.save_axe(db, prog, "Risques", "A1"), "Piloter les risques", "A1.1")
    r = _risk(db, 5, 3)
    aid = risques.planifier_action(db, r, "Check-list au bloc", today=date(2026, 6, 15))
    assert [a.id for a in risques.actions_du_risque(db, r)] == [aid]
    assert paqss.get_action(db, aid).source == "risques"


def test_actions_counted_for_a_whole_list_as_one_by_one(db: Database) -> None:
    """The register's « Actions » column: one count per risk, in two queries, equal to actions_du_risque."""
    prog = paqss.save_programme(db, "PAQSS 2026", date(2026, 1, 1), date(2026, 12, 31))
    paqss.save_objectif(db, paqss.save_axe(db, prog, "Risques", "A1"), "Piloter les risques", "A1.1")
    r1, r2, r3 = _risk(db, 5, 3), _risk(db, 2, 2), _risk(db, 4, 4)
    a1 = risques.planifier_action(db, r1, "Check-list au bloc", today=date(2026, 6, 15))
    risques.planifier_action(db, r1, "Audit du bloc", today=date(2026, 6, 15))
    gone = risques.planifier_action(db, r3, "Action supprimée", today=date(2026, 6, 15))
    paqss.delete_action(db, gone)
    counts = risques.nombre_actions(db, [r1, r2, r3])
    assert counts == {r1: 2}
    assert {r: len(risques.actions_du_risque(db, r)) for r in (r1, r2, r3)} == {r1: 2, r2: 0, r3: 0}
    assert a1 in [a.id for a in risques.actions_du_risque(db, r1)]
    assert risques.nombre_actions(db, []) == {}


def _pdf_text(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_risk_map_report_and_cli(db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from qualite_app import cli
    from qualite_app.risques import rapport

    _risk(db, 4, 4, 2, 2)
    _risk(db, 2, 1, proc="Accueil & <admissions>")
    data = rapport.gather(db, today=date(2026, 6, 15))
    assert data.brute[3][3] == 1 and [r.processus for r in data.risques] == [
        "Accueil & <admissions>",
        "Bloc opératoire",
    ]
    text = _pdf_text(rapport.carte_pdf(db, today=date(2026, 6, 15)))
    assert (
        "Cartographie des risques a priori" in text
        and "Criticité brute" in text
        and "Criticité résiduelle" in text
    )
    assert "Accueil & <admissions>" in text and "R-0001" in text and "4 × 4" in text
    assert "Inacceptable : 1" in text
    path = db.location  # the SQLite file, or the PostgreSQL base (QUALITE_TEST_PG)
    db.close()
    out = tmp_path / "carte.pdf"
    assert cli.main(["report", "risques", "--out", str(out), "--db", path]) == 0
    assert out.read_bytes().startswith(b"%PDF")
