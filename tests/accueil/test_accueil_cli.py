"""``qualite aujourdhui`` and ``qualite chercher``: the home page and the search from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualite_app.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_today_lists_by_severity(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--db", str(demo_file), "aujourdhui")
    assert code == 0
    lines = out.splitlines()
    assert lines[1].startswith("En retard (") and "Événements" in lines[2] and "EIGS " in lines[2]
    assert "À échéance (" in out and "PAQSS-" in out and "Certification" in out


def test_search_groups_by_area(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--db", str(demo_file), "chercher", "DOULEUR", "--limite", "2")
    assert code == 0
    assert out.startswith("Actions PAQSS (les premiers)\n  PAQSS-")
    assert "\nIndicateurs\n  DOULEUR-URG" in out and "\nCritères\n" in out
    code, out, _err = run(capsys, "--db", str(demo_file), "chercher", "zzqxw")
    assert code == 1 and out.strip() == "Aucun résultat pour « zzqxw »."


def test_bad_date_is_refused_in_french(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "--db", str(demo_file), "aujourdhui", "--date", "31/13/2026")
    assert code != 0 and "Date « 31/13/2026 » illisible : écrivez-la jj/mm/aaaa" in err
    assert "Traceback" not in err
