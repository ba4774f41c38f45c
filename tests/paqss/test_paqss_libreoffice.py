"""The xlsx export opens in a real spreadsheet program: LibreOffice (headless) converts it back to CSV."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from qualite_app.paqss import echanges as ex
from qualite_app.paqss import services as paqss
from qualite_app.storage.database import Database

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice absent (paquet libreoffice-calc-nogui)")
def test_xlsx_export_opens_in_libreoffice(demo_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "paqss.xlsx"
    n = ex.export(demo_db, "xlsx", out)
    profile = tmp_path / "profil-lo"
    proc = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):59,34,76",
         "--outdir", str(tmp_path / "csv"), str(out)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.reader((tmp_path / "csv" / "paqss.csv").open(encoding="utf-8"), delimiter=";"))
    header, body = rows[0], [r for r in rows[1:] if any(r)]
    assert len(body) == n
    assert "Référence" in header and "Échéance" in header and "Avancement (%)" in header
    first = paqss.list_actions(demo_db)[0]
    line = next(r for r in body if r[header.index("Référence")] == first.reference)
    assert line[header.index("Action")] == first.titre  # accents intact
    due = line[header.index("Échéance")]
    assert due == "" or len(due.split("/")) == 3  # a real date cell, shown as a date, not text or a serial number
    assert re.fullmatch(r"\d+\s?%", line[header.index("Avancement (%)")])  # a number with its percent format


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice absent (paquet libreoffice-calc-nogui)")
def test_ods_saved_by_libreoffice_imports_like_the_xlsx(db: Database, structure: dict[str, int], tmp_path: Path) -> None:
    """LibreOffice's own format goes through the same reader and pipeline: the messy workbook saved as .ods
    (real dates, a title row, a second header row under merged cells, a percent column) previews exactly as
    its .xlsx does, with the sheet's own line numbers."""
    from tests.helpers.classeurs import messy_workbook

    xlsx = messy_workbook(tmp_path / "plan.xlsx")
    profile = tmp_path / "profil-lo"
    proc = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "ods", "--outdir", str(tmp_path / "ods"), str(xlsx)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    a, b = ex.preview_import(db, xlsx), ex.preview_import(db, tmp_path / "ods" / "plan.ods")
    assert [(r.ligne, r.reference, r.titre, r.pilote, r.echeance) for r in b.lignes] == [
        (r.ligne, r.reference, r.titre, r.pilote, r.echeance) for r in a.lignes
    ]
    assert [(r.ligne, r.colonne, r.motif) for r in b.refus] == [(r.ligne, r.colonne, r.motif) for r in a.refus]
    assert b.lignes and b.refus
