"""``qualite import|export|report paqss`` as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualite_app import cli
from qualite_app.paqss import services as paqss
from qualite_app.storage.database import Database
from tests.helpers.classeurs import messy_workbook


def test_import_dry_run_then_real(
    db: Database, structure: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = db.location
    db.close()
    f = messy_workbook(tmp_path / "p.xlsx")
    assert cli.main(["import", "paqss", str(f), "--dry-run", "--ignorer-erreurs", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert (
        "4 ligne(s) acceptée(s)" in out
        and "ligne 9, colonne « Échéance prévue », valeur « 31/02/2026 »" in out
    )
    assert "Zébulon INCONNU" in out and "rien n'a été enregistré" in out
    with Database.open(path) as d:
        assert paqss.list_actions(d) == []
    assert cli.main(["import", "paqss", str(f), "--ignorer-erreurs", "--db", str(path)]) == 0
    assert "4 action(s) créée(s)" in capsys.readouterr().out
    with Database.open(path) as d:
        assert len(paqss.list_actions(d)) == 4


def test_import_nothing_importable_exits_non_zero(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = db.location
    db.close()
    f = tmp_path / "vide.csv"
    f.write_text("Action;Pilote;Échéance\n;X;31/13/2026\n", encoding="utf-8")
    assert cli.main(["import", "paqss", str(f), "--db", str(path)]) == 1
    assert "rien n'a été importé" in capsys.readouterr().err
    bad = tmp_path / "faux.xlsx"
    bad.write_bytes(b"PK\x03\x04 pas vraiment un zip")
    assert cli.main(["import", "paqss", str(bad), "--db", str(path)]) == 2
    assert "n'est pas un classeur Excel" in capsys.readouterr().err


def test_export_and_report(demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("xlsx", "csv", "ics"):
        out = tmp_path / f"paqss.{fmt}"
        assert cli.main(["export", "paqss", "--format", fmt, "--out", str(out), "--db", str(demo_file)]) == 0
        assert out.stat().st_size > 1000
    assert "exportée(s)" in capsys.readouterr().out
    pdf = tmp_path / "bilan.pdf"
    assert cli.main(["report", "paqss", "--out", str(pdf), "--db", str(demo_file)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert (
        cli.main(["report", "paqss", "--programme", "inexistant", "--out", str(pdf), "--db", str(demo_file)])
        == 2
    )


def test_report_signed_from_the_command_line(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rapports = pytest.importorskip("qualite_app.rapports.services")
    with Database.open(demo_file) as d:
        rapports.creer_identite_locale(
            d, nom="DQ", signataire="Julien Arsac", fonction="Directeur qualité", password="motdepasse-1"
        )
    pdf = tmp_path / "bilan-signe.pdf"
    pw = tmp_path / "mdp.txt"  # never on the command line (issue 8 point 20)
    pw.write_text("motdepasse-1\n", encoding="utf-8")
    assert (
        cli.main(
            [
                "report",
                "paqss",
                "--out",
                str(pdf),
                "--sign",
                "--identity",
                "DQ",
                "--password-file",
                str(pw),
                "--db",
                str(demo_file),
            ]
        )
        == 0
    )
    assert "signé et émis" in capsys.readouterr().out
    assert b"/ByteRange" in pdf.read_bytes()
    with Database.open(demo_file) as d:
        assert (
            rapports.dernier(d, "paqss").sha256 == __import__("hashlib").sha256(pdf.read_bytes()).hexdigest()
        )
    assert cli.main(["report", "paqss", "--out", str(pdf), "--sign", "--db", str(demo_file)]) == 2
    assert "--identity" in capsys.readouterr().err
