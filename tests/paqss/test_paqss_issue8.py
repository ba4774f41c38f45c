"""Issue 8 (trust): PAQSS import/export defects found with real, ugly and hostile files — each pinned."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from qualite_app.errors import UserError
from qualite_app.exchange.tableur import decode_csv
from qualite_app.paqss import echanges as ex
from qualite_app.paqss import services as paqss
from qualite_app.paqss import xlsx as xl
from qualite_app.paqss.models import PaqssAction
from qualite_app.storage.database import Database
from tests.helpers.classeurs import messy_workbook, own_words_csv

HOSTILE = ['=HYPERLINK("http://x","clic")', "+33 6 12", "-2 lits", "@SUM(A1)", "\tcaché", "\rretour"]


def _count(db: Database) -> int:
    with db.session() as s:
        return s.query(PaqssAction).count()


def _action(db: Database, objectif: int, titre: str) -> int:
    return paqss.save_action(db, paqss.ActionData(objectif_id=objectif, titre=titre), confirme=True)


# --- 11: exports never write a live formula ---------------------------------------------------
def test_export_writes_formula_like_titles_as_text(
    db: Database, structure: dict[str, int], tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    for t in HOSTILE:
        _action(db, structure["objectif"], t)
    out = tmp_path / "paqss.xlsx"
    ex.export(db, "xlsx", out)
    ws = load_workbook(out).active
    col = [c.value for c in ws[1]].index("Action") + 1
    cells = [ws.cell(row=r, column=col) for r in range(2, ws.max_row + 1)]
    assert sorted(c.value for c in cells) == sorted(t.strip() for t in HOSTILE) or sorted(
        c.value for c in cells
    ) == sorted(HOSTILE)
    assert all(c.data_type == "s" for c in cells), [(c.value, c.data_type) for c in cells]

    out_csv = tmp_path / "paqss.csv"
    ex.export(db, "csv", out_csv)
    with out_csv.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    titles = [r[rows[0].index("Action")] for r in rows[1:]]
    # the editor strips spaces, tabs and returns: the four others are dangerous and get the quote
    assert sorted(titles) == sorted(["'" + t for t in HOSTILE[:4]] + ["caché", "retour"])
    # our own csv re-imports with the original text
    pv = ex.preview_import(db, out_csv)
    assert sorted(r.titre for r in pv.lignes) == sorted(c.value for c in cells)


# --- 12: smaller ones -------------------------------------------------------------------------
def test_title_over_300_characters_is_refused_not_cut(
    db: Database, structure: dict[str, int], tmp_path: Path
) -> None:
    f = tmp_path / "long.csv"
    long = "Former " + "x" * 320
    f.write_text(
        f"Action;Pilote;Échéance;Axe\n{long};Julien Arsac;15/03/2026;A1\nCourte;Julien Arsac;16/03/2026;A1\n",
        encoding="utf-8",
    )
    pv = ex.preview_import(db, f)
    assert [(r.ligne, r.colonne) for r in pv.refus] == [(2, "Action")]
    assert "300 caractères" in pv.refus[0].motif
    assert [r.titre for r in pv.lignes] == ["Courte"]


@pytest.mark.parametrize("value", ["-0,5", "-0.5", "-1 %", -0.3, "nan", "inf"])
def test_negative_or_non_finite_percent_is_refused(value: object) -> None:
    with pytest.raises(ValueError, match="avancement|pourcentage"):
        xl.parse_percent(value)


def test_formula_cells_without_cached_value_are_reported(
    db: Database, structure: dict[str, int], tmp_path: Path
) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Action", "Pilote", "Échéance", "Avancement"])
    ws.append(["Former les internes", "Julien Arsac", "15/03/2026", "=10*5"])
    ws.append(["Publier un retour", "Julien Arsac", "=DATE(2026;3;16)", "=B2"])
    f = tmp_path / "script.xlsx"
    wb.save(f)  # written by a script: formulas never computed, no cached value
    pv = ex.preview_import(db, f)
    warn = " ".join(pv.avertissements)
    assert "formule" in warn and "« Avancement »" in warn and "« Échéance »" in warn
    assert "D2" in warn and "C3" in warn
    assert any("formule" in line for line in pv.lines())


def test_decode_csv_reads_utf16_and_utf32() -> None:
    text = "Action\tPilote\nFormer l'équipe\tHélène Brévanne\n"
    assert decode_csv("\ufeff".encode() + text.encode("utf-16-le")) is not None
    assert decode_csv(b"\xff\xfe" + text.encode("utf-16-le")) == text
    assert decode_csv(b"\xfe\xff" + text.encode("utf-16-be")) == text
    assert decode_csv(text.encode("utf-16-le")) == text  # no BOM: NUL-byte pattern
    assert decode_csv(text.encode("utf-16-be")) == text
    assert decode_csv(b"\xff\xfe\x00\x00" + text.encode("utf-32-le")) == text
    assert decode_csv(text.encode("utf-8")) == text
    assert decode_csv(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode_csv(text.encode("cp1252")) == text


def test_utf16_csv_from_excel_is_imported(db: Database, structure: dict[str, int], tmp_path: Path) -> None:
    f = tmp_path / "texte-unicode.txt"
    f.write_bytes(
        b"\xff\xfe"
        + (
            "Action\tPilote\tÉchéance\tAxe\r\n"
            "Former l'équipe\tHélène Brévanne\t15/03/2026\tA1\r\n"
            "Auditer\tJulien Arsac\t30/06/2026\tA1\r\n"
        ).encode("utf-16-le")
    )
    pv = ex.preview_import(db, f)
    assert [r.titre for r in pv.lignes] == ["Former l'équipe", "Auditer"] and not pv.refus


def test_csv_cell_beyond_the_csv_limit_is_refused_with_its_line_not_a_crash(
    db: Database, structure: dict[str, int], tmp_path: Path
) -> None:
    """The PAQSS import reads through the one reader (exchange.tableur): the same French message as the
    indicators' import, naming the line, where it used to stop with exit code 3 (csv.Error)."""
    f = tmp_path / "long.csv"
    f.write_text("Action;Pilote;Échéance\nFormer;Hélène Brévanne;15/03/2026\nAuditer;" + "x" * 140_000 + ";30/06/2026\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"ligne 3 : ligne illisible"):
        ex.preview_import(db, f)
    assert paqss.list_actions(db) == []


# --- 5: the preview and the commit run the same code ------------------------------------------
def _twins(tmp_path: Path) -> Path:
    f = tmp_path / "jumeaux.csv"
    f.write_text(
        "Axe;Objectif;Action;Pilote;Échéance\n"
        "A1 Culture;Déclarer;Former les soignants;Julien Arsac;15/03/2026\n"
        "A1 Culture;Déclarer;Former les soignants;Julien Arsac;30/06/2026\n"
        "A1 Culture;Déclarer;Auditer les déclarations;Julien Arsac;30/09/2026\n",
        encoding="utf-8",
    )
    return f


def test_same_title_twice_without_reference_preview_and_commit_agree(
    db: Database, structure: dict[str, int], tmp_path: Path
) -> None:
    pv = ex.preview_import(db, _twins(tmp_path))
    assert [(r.ligne, r.colonne) for r in pv.refus] == [(3, "Action")]
    assert "ligne 2" in pv.refus[0].motif
    assert [r.ligne for r in pv.lignes] == [2, 4] and pv.creations == 2
    assert _count(db) == 0  # the preview ran the commit's code, then rolled it back
    with pytest.raises(UserError, match="rien n'a été importé"):
        ex.commit_import(db, pv)
    assert _count(db) == 0
    res = ex.commit_import(db, pv, ignorer_erreurs=True)
    assert (res.creees, res.mises_a_jour) == (pv.creations, pv.mises_a_jour) == (2, 0)
    assert sorted(r.titre for r in paqss.list_actions(db)) == [
        "Auditer les déclarations",
        "Former les soignants",
    ]


def test_one_pass_import_is_the_preview_and_the_commit_at_once(
    db: Database, structure: dict[str, int], tmp_path: Path
) -> None:
    """The command line imports in one pass (half the work of preview + commit): the same plan as the preview,
    and a row refused only against the base (a twin title) still leaves the base untouched."""
    f = _twins(tmp_path)
    pv, res = ex.import_file(db, f)
    assert res is None and [(r.ligne, r.colonne) for r in pv.refus] == [(3, "Action")]
    assert _count(db) == 0
    pv, res = ex.import_file(db, f, ignorer_erreurs=True)
    preview = ex.preview_import(db, f)
    assert res is not None and (res.creees, res.mises_a_jour) == (2, 0) and _count(db) == 2
    assert [r.ligne for r in pv.lignes] == [2, 4]
    assert preview.mises_a_jour == 2  # read again: the same rows now update what the one pass created


def test_same_title_as_an_existing_action_twice_is_refused_too(
    db: Database, structure: dict[str, int], tmp_path: Path
) -> None:
    ex.commit_import(db, ex.preview_import(db, _twins(tmp_path)), ignorer_erreurs=True)
    again = ex.preview_import(db, _twins(tmp_path))  # both rows now match one action by its title
    assert [r.ligne for r in again.refus] == [3] and again.mises_a_jour == 2


def test_cli_same_title_twice_never_crashes(
    db: Database, structure: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from qualite_app import cli

    path = db.location
    db.close()
    f = _twins(tmp_path)
    assert cli.main(["import", "paqss", str(f), "--dry-run", "--db", str(path)]) == 1
    assert cli.main(["import", "paqss", str(f), "--db", str(path)]) == 1
    out = capsys.readouterr()
    assert "ligne 3, colonne « Action »" in out.out and "rien n'a été importé" in out.err
    with Database.open(path) as d:
        assert _count(d) == 0
    assert cli.main(["import", "paqss", str(f), "--ignorer-erreurs", "--db", str(path)]) == 0
    assert "2 action(s) créée(s)" in capsys.readouterr().out
    with Database.open(path) as d:
        assert _count(d) == 2


# --- 7: all or nothing, really ----------------------------------------------------------------
def test_cli_any_refused_row_imports_nothing_unless_asked(
    db: Database, structure: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from qualite_app import cli

    path = db.location
    db.close()
    f = messy_workbook(tmp_path / "p.xlsx")  # 4 good rows, row 9 has 31/02/2026
    assert cli.main(["import", "paqss", str(f), "--db", str(path)]) == 1
    out = capsys.readouterr()
    assert "ligne 9, colonne « Échéance prévue », valeur « 31/02/2026 » : " in out.out
    assert "1 ligne(s) refusée(s)" in out.err and "--ignorer-erreurs" in out.err
    with Database.open(path) as d:
        assert _count(d) == 0 and len(paqss.list_actions(d)) == 0
    assert cli.main(["import", "paqss", str(f), "--ignorer-erreurs", "--db", str(path)]) == 0
    assert "4 action(s) créée(s)" in capsys.readouterr().out
    with Database.open(path) as d:
        assert sorted(r.reference for r in paqss.list_actions(d)) == [
            "PAQ-001",
            "PAQ-002",
            "PAQ-003",
            "PAQSS-2026-001",
        ]


# --- 6: import only a credible action plan ----------------------------------------------------
def _survey(path: Path) -> Path:
    """A regional survey workbook: a title line, towns, numbers — not an action plan."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Enquête 2025"
    ws.append(["Enquête régionale de satisfaction 2025"])
    ws.append(["Libellé", "Population", "Taux de réalisation", "Nb réponses"])
    for town, pop in [("Brive", 46000), ("Tulle", 14000), ("Ussel", 9700), ("Égletons", 4300)]:
        ws.append([town, pop, 0.72, 311])
    wb.save(path)
    return path


def test_survey_workbook_is_refused_with_expected_and_found_columns(
    db: Database, structure: dict[str, int], tmp_path: Path
) -> None:
    with pytest.raises(UserError) as err:
        ex.preview_import(db, _survey(tmp_path / "enquete.xlsx"))
    msg = err.value.message
    assert "ne ressemble pas à un plan d'actions" in msg
    assert "Colonnes attendues" in msg and "Pilote" in msg and "Échéance" in msg
    assert "Colonnes trouvées : Libellé, Population, Taux de réalisation, Nb réponses" in msg
    assert _count(db) == 0


@pytest.mark.parametrize(
    "header",
    ["dataElement;period;orgUnit;value", "Indicateur;Période;Unité d'organisation;Valeur"],
)
def test_dhis2_export_is_refused(
    db: Database, structure: dict[str, int], tmp_path: Path, header: str
) -> None:
    f = tmp_path / "dhis2.csv"
    f.write_text(header + "\nIPAQSS_01;202501;OU_123;2.0\nIPAQSS_02;202502;OU_123;3.0\n", encoding="utf-8")
    with pytest.raises(UserError, match="Colonnes trouvées : " + header.replace(";", ", ")):
        ex.preview_import(db, f)
    assert _count(db) == 0


def test_a_number_is_not_a_person() -> None:
    with pytest.raises(ValueError, match="n'est pas un nom de personne"):
        xl._convert("pilote", 2.0)
    with pytest.raises(ValueError, match="n'est pas un nom de personne"):
        xl._convert("copilote", "2.0")


def test_cli_map_option_maps_columns_explicitly(
    db: Database, structure: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from qualite_app import cli

    path = db.location
    db.close()
    f = own_words_csv(tmp_path / "chantiers.csv")
    assert cli.main(["import", "paqss", str(f), "--db", str(path)]) == 2
    assert "ne ressemble pas à un plan d'actions" in capsys.readouterr().err
    assert cli.main(["import", "paqss", str(f), "--map", "Chantier=quoi", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Champ « quoi » inconnu" in err and "titre" in err and "echeance" in err
    assert cli.main(["import", "paqss", str(f), "--map", "Projet=titre", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Colonne « Projet » absente" in err and "Chantier, Porteur, Pour quand, Thème" in err
    args = ["import", "paqss", str(f), "--map", "Chantier=titre", "--map", "pour quand=Échéance"]
    assert cli.main([*args, "--db", str(path)]) == 0
    assert "2 action(s) créée(s)" in capsys.readouterr().out
    with Database.open(path) as d:
        rows = {r.titre: r for r in paqss.list_actions(d)}
        assert set(rows) == {"Former les soignants", "Auditer les chariots"}
        assert rows["Former les soignants"].echeance == date(2026, 3, 15)
        assert rows["Former les soignants"].pilote == "Julien ARSAC"


def test_cli_map_field_names_are_the_import_fields() -> None:
    from qualite_app.paqss.cli import FIELD_NAMES

    assert tuple(xl.FIELDS) == FIELD_NAMES


# --- 8: a date column's order is decided from all its values, never guessed ------------------
@pytest.mark.parametrize(
    ("values", "order"),
    [
        (["15/03/2026", "01/04/2026"], "jm"),  # 15 can only be a day
        (["11/02/2026", "12/25/2026"], "mj"),  # LibreOffice, US locale: 25 can only be a day
        (["11/2/26", "12-25-26"], "mj"),  # two-digit years, other separators
        (["05/05/2026", "2026-04-03", date(2026, 4, 3), 46203, "46203", None, ""], None),  # nothing to decide
        (["31.12.26", "3.4.2026"], "jm"),
        (["15/03/2026 00:00:00", "01/04/2026"], "jm"),
    ],
)
def test_date_order_is_decided_from_the_whole_column(values: list[object], order: str | None) -> None:
    assert xl.date_order(list(enumerate(values, start=2)), "Échéance") == order


def test_date_order_undecidable_or_mixed_is_refused_with_the_column_named() -> None:
    with pytest.raises(ValueError, match=r"Colonne « Échéance ».*deux sens.*aaaa-mm-jj"):
        xl.date_order([(2, "03/04/2026"), (3, "05/06/2026")], "Échéance")
    with pytest.raises(ValueError, match=r"Colonne « Début ».*ligne 2.*ligne 3"):
        xl.date_order([(2, "15/03/2026"), (3, "03/15/2026")], "Début")


def test_us_dates_from_libreoffice_are_not_swapped(
    db: Database, structure: dict[str, int], tmp_path: Path
) -> None:
    f = tmp_path / "us.csv"
    f.write_text(
        "Action,Pilote,Échéance,Axe\n"
        "Former les soignants,Julien Arsac,11/02/2026,A1\n"
        "Auditer les chariots,Julien Arsac,12/25/2026,A1\n",
        encoding="utf-8",
    )
    pv = ex.preview_import(db, f)
    assert not pv.refus
    assert {r.titre: r.echeance for r in pv.lignes} == {
        "Former les soignants": date(2026, 11, 2),
        "Auditer les chariots": date(2026, 12, 25),
    }


def test_ambiguous_text_dates_are_refused_not_guessed(
    db: Database, structure: dict[str, int], tmp_path: Path
) -> None:
    f = tmp_path / "ambigu.csv"
    f.write_text(
        "Action;Pilote;Échéance;Axe\nFormer;Julien Arsac;03/04/2026;A1\nAuditer;Julien Arsac;05/06/2026;A1\n",
        encoding="utf-8",
    )
    with pytest.raises(UserError, match="Colonne « Échéance »"):
        ex.preview_import(db, f)
    assert _count(db) == 0


def test_our_own_csv_export_reimports_its_day_first_dates(
    db: Database, structure: dict[str, int], tmp_path: Path
) -> None:
    aid = _action(db, structure["objectif"], "Former les soignants")
    d = paqss.get_action(db, aid)
    d.echeance = date(2026, 4, 3)  # 03/04/2026: ambiguous alone, but our export is day-first
    paqss.save_action(db, d, confirme=True)
    out = tmp_path / "export.csv"
    ex.export(db, "csv", out)
    pv = ex.preview_import(db, out)
    assert [(r.titre, r.echeance, r.operation) for r in pv.lignes] == [
        ("Former les soignants", date(2026, 4, 3), "mise à jour")
    ]
