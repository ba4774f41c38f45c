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


def test_reindexer_repairs_an_emptied_index(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Someone emptied the index by hand (sqlite3): the search finds nothing, ``--reindexer`` rebuilds it
    (journaled), and the search finds what it found before."""
    import sqlite3

    code, before, _err = run(capsys, "--db", str(demo_file), "chercher", "douleur")
    assert code == 0
    con = sqlite3.connect(demo_file)
    con.execute("DELETE FROM recherche")
    con.commit()
    con.close()
    code, out, _err = run(capsys, "--db", str(demo_file), "chercher", "douleur")
    assert code == 1 and "Aucun résultat" in out
    code, out, _err = run(capsys, "--db", str(demo_file), "chercher", "douleur", "--reindexer")
    assert code == 0
    first, _, rest = out.partition("\n")
    assert first.startswith("Index de la recherche reconstruit : ") and rest == before
    from qualite_app.socle import journal
    from qualite_app.storage.database import Database

    with Database.open(demo_file) as db:
        assert journal.list_entries(db, limite=1)[0].entite_libelle == "Index de la recherche reconstruit"
    code, _out, err = run(capsys, "--db", str(demo_file), "chercher")
    assert code != 0 and "Indiquez les mots cherchés" in err and "Traceback" not in err
