"""Issue 8, point 9 (and the ``inf`` / ``1e999`` items of point 16): a result is a finite number within the
indicator's range, whatever the way in (import, HAS open data, manual entry); each refusal names line and column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qualite_app import cli
from qualite_app.errors import UserError
from qualite_app.exchange.tableur import read_table
from qualite_app.indicateurs import imports as imp
from qualite_app.indicateurs import services as svc
from qualite_app.storage.database import Database

BAD = (
    "Code indicateur;Période;Numérateur;Dénominateur;Valeur\n"  # 1
    "HH-AUDIT;2026-01;;;150\n"  # 2: a percentage over 100
    "HH-AUDIT;2026-02;;;-5\n"  # 3: a negative percentage
    "HH-AUDIT;2026-03;;;inf\n"  # 4
    "HH-AUDIT;2026-04;;;1e999\n"  # 5: parses to inf
    "HH-AUDIT;2026-05;;;nan\n"  # 6
    "PLAINTES;2026-01;;;-3\n"  # 7: a count below zero
    "PLAINTES;2026-02;;;1e308\n"  # 8: finite, but its use overflows (sums, squares)
    "CHUTES;2026-01;4;0;\n"  # 9: a rate over a zero denominator
    "CHUTES;2026-02;-1;2000;\n"  # 10: a negative numerator
    "SATISF-INT;2026-T1;;;104,5\n"  # 11: a score on 100 over 100
    "DMS-URG;2026-01;;;1e300\n"  # 12
    "HH-AUDIT;2026-06;;;87,5\n"  # 13: fine
)


def test_import_refuses_non_finite_and_out_of_range_values(demo_db: Database, tmp_path: Path) -> None:
    f = tmp_path / "hors_bornes.csv"
    f.write_text(BAD, encoding="utf-8")
    table = read_table(f)
    ap = imp.preview_mesures(demo_db, table, imp.propose_mapping(table.headers))
    by_line = {int(e.split(",")[0].split()[1]): e for e in ap.erreurs if e.startswith("Ligne ")}
    assert sorted(by_line) == list(range(2, 13)), ap.erreurs
    for n in (2, 3, 4, 5, 6, 7, 8, 11, 12):
        assert "colonne « Valeur »" in by_line[n], by_line[n]
    assert "colonne « Dénominateur »" in by_line[9] and "colonne « Numérateur »" in by_line[10]
    assert "entre 0 et 100" in by_line[2] and "entre 0 et 100" in by_line[3]
    assert "fini" in by_line[4] and "fini" in by_line[5] and "fini" in by_line[6]
    assert "négati" in by_line[7] and "trop grand" in by_line[8]
    assert [x.ligne for x in ap.lignes] == [13]
    with pytest.raises(UserError):
        imp.commit(demo_db, ap)


@pytest.mark.parametrize("raw", ["inf", "1e999", "-Infinity", "NaN"])
def test_cli_import_inf_percentage_is_a_french_message(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], raw: str
) -> None:
    f = tmp_path / "inf.csv"
    f.write_text(f"Code indicateur;Période;Valeur\n\nHH-AUDIT;2026-01;{raw}\n", encoding="utf-8")
    code = cli.main(["import", "mesures", str(f), "--db", str(demo_file)])
    out = capsys.readouterr()
    assert code == 2, out.err
    assert "Ligne 3, colonne « Valeur »" in out.out and "inattendue" not in out.err


def test_manual_entry_refuses_non_finite_and_out_of_range(demo_db: Database) -> None:
    hh = svc.indicateur_id(demo_db, "HH-AUDIT")
    for bad in (float("inf"), float("nan"), 100.5, -0.5):
        with pytest.raises(UserError, match="Valeur"):
            svc.save_mesures(demo_db, hh, [svc.MesureData(periode="2026-01", valeur=bad)])
    with pytest.raises(ValueError, match="fini"):
        svc.parse_nombre("1e999", "La valeur")
    with pytest.raises(ValueError, match="fini"):
        svc.parse_nombre(10**400, "La valeur")


def test_proportion_unit_bounds_zero_to_one() -> None:
    m = svc.MesureData(periode="2026-01", valeur=1.5)
    with pytest.raises(UserError, match="entre 0 et 1"):
        svc.clean_mesure(m, "taux", 1.0, "Ligne 2", unite="proportion")
    assert (
        svc.clean_mesure(
            svc.MesureData(periode="2026-01", valeur=0.93), "taux", 1.0, unite="proportion"
        ).valeur
        == 0.93
    )


def test_has_score_over_100_is_refused(demo_db: Database, tmp_path: Path) -> None:
    f = tmp_path / "esatis.csv"
    f.write_text(
        "finess;rs_finess;finess_geo;rs_finess_geo;nb_rep_score_all_rea_ajust;score_all_rea_ajust;classement\n"
        "19990015;CH de Val-de-Brume;19990023;CH de Val-de-Brume — site Nord;287;175,3;B\n",
        encoding="utf-8",
    )
    ap = imp.preview_has(demo_db, read_table(f), "2026", indicateur="ESATIS48H-MCO")
    with pytest.raises(UserError, match="entre 0 et 100"):
        imp.commit_has(demo_db, ap)


def test_spc_json_never_prints_infinity(demo_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    """A value stored before this fix (or by another tool) must not turn the JSON output into invalid JSON."""
    from sqlalchemy import text

    with demo_db.unit_of_work() as s:  # an infinite double: SQLite reads 1e999 as one, PostgreSQL takes it bound
        s.execute(
            text(
                "UPDATE indicateur_mesure SET valeur = :inf WHERE id = (SELECT m.id FROM indicateur_mesure m JOIN indicateur i ON i.id = m.indicateur_id WHERE i.code = 'PLAINTES' ORDER BY m.periode_debut DESC LIMIT 1)"
            ),
            {"inf": float("inf")},
        )
    path = demo_db.location
    demo_db.close()
    assert cli.main(["spc", "--indicator", "PLAINTES", "--json", "--db", str(path)]) == 0
    out = capsys.readouterr().out

    def refuse(name: str) -> None:
        raise AssertionError(f"{name} dans la sortie JSON")

    data = json.loads(out, parse_constant=refuse)
    assert data["indicateur"] == "PLAINTES" and "Infinity" not in out and "NaN" not in out


def test_a_percentage_of_a_target_may_exceed_100(tmp_path: Path, demo_db: Database) -> None:
    """ICSHA is the hand-rub volume as a percentage of a personalised target: 112 % is a real result, not a typo."""
    f = tmp_path / "icsha.csv"
    f.write_text("Code indicateur;Période;Valeur\nICSHA;2025;112,4\nICSHA;2024;-3\n", encoding="utf-8")
    table = read_table(f)
    ap = imp.preview_mesures(demo_db, table, imp.propose_mapping(table.headers))
    assert [x.ligne for x in ap.lignes] == [2]
    assert len(ap.erreurs) == 1 and ap.erreurs[0].startswith("Ligne 3, colonne « Valeur »")
    assert svc.catalogue_entry("ICSHA").unite != "%"
