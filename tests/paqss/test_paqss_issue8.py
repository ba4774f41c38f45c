"""Issue 8 (trust): PAQSS import/export defects found with real, ugly and hostile files — each pinned."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from qualite_app.errors import UserError
from qualite_app.exchange import paqss_xlsx as xl
from qualite_app.exchange.tableur import decode_csv
from qualite_app.models.paqss import PaqssAction
from qualite_app.services import paqss
from qualite_app.services import paqss_echanges as ex
from qualite_app.storage.database import Database

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
