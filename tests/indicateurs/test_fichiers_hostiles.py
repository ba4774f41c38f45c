"""Issue 8, points 10 and 16: line numbers as the file counts them, and damaged files end as French messages.

Each damaged file is given to ``qualite import mesures`` and ``qualite import has`` in-process: exit 2 with
a message naming the file and what to do, never exit 3 « erreur inattendue », never an English exception text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qualite_app import cli
from qualite_app.errors import UserError
from qualite_app.exchange import tableur
from qualite_app.exchange.tableur import read_table
from qualite_app.indicateurs import imports as imp
from qualite_app.storage.database import Database
from tests.helpers.classeurs import corrupt_shared_strings, corrupt_xml, encrypted, garbage, truncated

DAMAGED = {
    "garbage": (garbage, "n'est pas un classeur Excel lisible"),
    "truncated": (truncated, "n'est pas un classeur Excel lisible"),
    "encrypted": (encrypted, "protégé par mot de passe : enregistrez-le sans mot de passe"),
    "corrupt_xml": (corrupt_xml, "endommagé"),
    "corrupt_workbook_xml": (corrupt_shared_strings, "n'est pas un classeur Excel lisible"),
}


@pytest.mark.parametrize("kind", list(DAMAGED))
def test_open_workbook_translates_damaged_files(tmp_path: Path, kind: str) -> None:
    maker, expected = DAMAGED[kind]
    f = maker(tmp_path / f"{kind}.xlsx")
    with pytest.raises(UserError) as err, tableur.open_workbook(f) as wb:
        for _row in wb.worksheets[0].iter_rows(values_only=True):
            pass
    assert f.name in err.value.message and expected in err.value.message


@pytest.mark.parametrize("command", ["mesures", "has"])
@pytest.mark.parametrize("kind", list(DAMAGED))
def test_cli_import_damaged_xlsx_is_a_french_message(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, command: str
) -> None:
    maker, expected = DAMAGED[kind]
    f = maker(tmp_path / f"{kind}.xlsx")
    extra = ["--periode", "2025"] if command == "has" else []
    code = cli.main(["import", command, str(f), *extra, "--db", str(demo_file)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f.name in err and expected in err
    assert "inattendue" not in err and "Error" not in err and "File is not" not in err


def test_cli_import_csv_cell_over_csv_field_limit(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "enorme.csv"
    f.write_text(
        "Code indicateur;Période;Valeur;Commentaire\nPLAINTES;2026-01;4;court\n\nPLAINTES;2026-02;5;"
        + "x" * 140_000
        + "\n",
        encoding="utf-8",
    )
    code = cli.main(["import", "mesures", str(f), "--dry-run", "--db", str(demo_file)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "enorme.csv" in err and "ligne 4" in err and "inattendue" not in err


def test_csv_unclosed_quote_names_the_line(tmp_path: Path) -> None:
    f = tmp_path / "guillemet.csv"
    f.write_text(
        'Code;Période;Valeur\nPLAINTES;2026-01;4\nPLAINTES;"2026-02;5\n' + ("PLAINTES;2026-03;6\n" * 30_000),
        encoding="utf-8",
    )
    with pytest.raises(UserError, match=r"guillemet\.csv.*ligne 3"):
        read_table(f)


# --- point 10: line numbers as the file counts them ------------------------------------------------------
def test_csv_line_numbers_count_blank_lines(demo_db: Database, tmp_path: Path) -> None:
    f = tmp_path / "trous.csv"
    f.write_text(
        "Code indicateur;Période;Valeur\n"  # 1
        "\n"  # 2
        "PLAINTES;2026-01;4\n"  # 3
        ";;\n"  # 4: only separators, as LibreOffice writes an empty row
        "\n"  # 5
        'PLAINTES;2026-02;"cinq\nsur deux lignes"\n'  # 6-7: a quoted cell over two lines
        "PLAINTES;2026-03;abc\n",  # 8
        encoding="utf-8",
    )
    table = read_table(f)
    assert table.lines == [3, 6, 8]
    ap = imp.preview_mesures(demo_db, table, imp.propose_mapping(table.headers))
    assert any(e.startswith("Ligne 6, colonne « Valeur »") for e in ap.erreurs), ap.erreurs
    assert any(e.startswith("Ligne 8, colonne « Valeur »") for e in ap.erreurs), ap.erreurs
    assert not any(e.startswith(("Ligne 2", "Ligne 4")) for e in ap.erreurs)


def test_xlsx_line_numbers_are_the_sheet_rows(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["C1"] = "Indicateur", "Mois", "Valeur"
    ws["A4"], ws["B4"], ws["C4"] = "PLAINTES", "2026-01", 4  # rows 2 and 3 left empty
    ws["A5"], ws["B5"], ws["C5"] = None, None, None
    ws["A7"], ws["B7"], ws["C7"] = "PLAINTES", "2026-02", "beaucoup"
    wb.save(tmp_path / "trous.xlsx")
    table = read_table(tmp_path / "trous.xlsx")
    assert table.lines == [4, 7]
    ap = imp.preview_mesures(demo_db, table, imp.propose_mapping(table.headers))
    assert ap.erreurs and ap.erreurs[0].startswith("Ligne 7, colonne « Valeur »"), ap.erreurs

    ok = tmp_path / "ok.xlsx"
    ws["C7"] = 5
    wb.save(ok)
    path = demo_db.location
    demo_db.close()
    assert cli.main(["import", "mesures", str(ok), "--dry-run", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "ligne     4" in out and "ligne     7" in out


def test_has_line_number_counts_blank_lines(demo_db: Database, tmp_path: Path) -> None:
    f = tmp_path / "esatis.csv"
    f.write_text(
        "finess;rs_finess;nb_rep_score_all_rea_ajust;score_all_rea_ajust;classement\n"
        "750000001;Clinique des Autres;120;70,1;C\n"
        ";;;;\n"
        "\n"
        "19990015;CH de Val-de-Brume;287;75,3;B\n",
        encoding="utf-8",
    )
    ap = imp.preview_has(demo_db, read_table(f), "2025")
    assert ap.ligne == 5
    imp.commit_has(demo_db, ap)
    from qualite_app.indicateurs import services as svc

    (m,) = [
        m
        for m in svc.list_mesures(demo_db, svc.indicateur_id(demo_db, "ESATIS48H-MCO"))
        if m.periode == "2025"
    ]
    assert "ligne 5" in (m.source or "")


def test_unreadable_csv_is_a_french_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "verrouille.csv"
    f.write_text("Code;Période;Valeur\nPLAINTES;2026-01;4\n", encoding="utf-8")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(UserError) as err:
        read_table(f)
    assert "verrouille.csv" in err.value.message and "ne peut pas être lu" in err.value.message
    assert "Permission" not in err.value.message
