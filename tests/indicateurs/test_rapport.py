"""The dashboard report: PDF text read back, embedded fonts only, CLI, and the signed register when available."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from qualite_app.errors import UserError
from qualite_app.indicateurs import demo as demo_ind
from qualite_app.indicateurs import rapport as rap
from qualite_app.storage.database import Database

ISSUED = datetime(2026, 1, 15, 10, 30)
CAL = demo_ind.calendrier(date.today())  # the demo fixtures are loaded today: their series end last month
LAST = CAL.mois[-1]


def pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def test_dashboard_report_text(demo_db: Database) -> None:
    out = rap.emettre_tableau(demo_db, "CDU", periode=LAST.code, issued_at=ISSUED)
    text = pdf_text(out.pdf)
    assert out.indicateurs == 8 and out.pages >= 9  # the cards, then one page per indicator
    assert "Tableau de bord des indicateurs — CDU" in text
    assert f"Résultats jusqu'à {LAST.libelle}" in text
    assert "Centre hospitalier de Val-de-Brume" in text
    for code in ("SATISF-INT", "PLAINTES", "DELAI-PLAINTE", "CONTENTION", "ESATIS48H-MCO", "PSY-ISOLEMENT"):
        assert code in text
    assert "Lecture automatique." in text
    assert "Derniers résultats" in text
    assert "NR" in text and "DI" in text  # SATISF-INT statuses in its results table
    assert "Page 1 / " in text
    # deterministic for a given input and date
    again = rap.emettre_tableau(demo_db, "CDU", periode=LAST.code, issued_at=ISSUED)
    assert again.pdf == out.pdf and again.data_hash == out.data_hash


def test_report_reading_of_an_improvement(demo_db: Database) -> None:
    out = rap.emettre_tableau(demo_db, "CME", issued_at=ISSUED)
    text = " ".join(pdf_text(out.pdf).split())
    assert f"18 points en dessous de la moyenne depuis {CAL.mois[demo_ind.FALLS_PROGRAMME + 1].libelle} : amélioration" in text
    assert "Amélioration significative : CHUTES" in text
    assert out.indicateurs == 30


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) absent")
def test_report_fonts_are_embedded(demo_db: Database, tmp_path: Path) -> None:
    f = tmp_path / "tdb.pdf"
    f.write_bytes(rap.emettre_tableau(demo_db, "Hygiène", issued_at=ISSUED).pdf)
    fonts = subprocess.run(["pdffonts", str(f)], capture_output=True, text=True, check=True).stdout
    assert "Helvetica" not in fonts
    assert "DejaVuSans" in fonts


def test_unknown_dashboard_and_period(demo_db: Database) -> None:
    with pytest.raises(UserError, match="Aucun tableau de bord nommé"):
        rap.emettre_tableau(demo_db, "Direction")
    with pytest.raises(UserError, match="n'est pas une période reconnue"):
        rap.emettre_tableau(demo_db, "CME", periode="décembre")


def test_cli_report_dashboard(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "cdu.pdf"
    r = subprocess.run(
        [sys.executable, "-m", "qualite_app", "report", "dashboard", "--name", "CDU", "--period", LAST.code, "--out", str(out), "--db", str(demo_file)],
        capture_output=True, text=True, cwd=Path(__file__).parents[2],
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "8 indicateur(s)" in r.stdout
    assert out.read_bytes().startswith(b"%PDF")
    bad = subprocess.run(
        [sys.executable, "-m", "qualite_app", "report", "dashboard", "--name", "Nulle", "--out", str(out), "--db", str(demo_file)],
        capture_output=True, text=True, cwd=Path(__file__).parents[2],
    )  # fmt: skip
    assert bad.returncode == 2 and "Aucun tableau de bord nommé « Nulle »" in bad.stderr


def test_signed_report_in_register(demo_db: Database) -> None:
    rapports = pytest.importorskip("qualite_app.rapports.services")
    out = rap.emettre_tableau(demo_db, "CDU", periode=LAST.code, register=True, issued_at=ISSUED)
    assert out.rapport_id is not None
    last = rapports.dernier(demo_db, rap.KIND)
    assert last is not None and last.id == out.rapport_id
    assert last.snapshot is not None and [i["code"] for i in last.snapshot["indicateurs"]][:1]
    assert "Tableau de bord des indicateurs — CDU" in pdf_text(last.pdf)


def test_signed_dashboard_report_verifies_intact_and_trusted(demo_db: Database) -> None:
    from qualite_app.rapports import services as rapports

    out = rap.emettre_tableau(
        demo_db, "Hygiène", periode="2025", identity=rapports.DEMO_IDENTITY, password=rapports.DEMO_PASSWORD, issued_at=ISSUED
    )
    last = rapports.dernier(demo_db, rap.KIND)
    assert last is not None and last.id == out.rapport_id and last.pdf == out.pdf
    assert last.params == {"nom": "Hygiène", "periode": "2025"}
    assert {i["code"] for i in last.snapshot["indicateurs"]} == {"HH-AUDIT", "BMR", "ICSHA", "PCC", "VAG"}
    verdict = rapports.verifier(demo_db, last.id)
    assert verdict.signe and verdict.intact and verdict.approuve and not verdict.modifie_apres


def test_sign_with_unknown_identity_is_a_clear_error_and_registers_nothing(demo_db: Database) -> None:
    from qualite_app.rapports import services as rapports

    before = rapports.compter(demo_db)
    with pytest.raises(UserError, match="inconnue"):
        rap.emettre_tableau(demo_db, "Hygiène", identity="Personne", password="x")
    assert rapports.compter(demo_db) == before


def test_control_charts_are_vectors_whose_limits_and_labels_are_text(demo_db: Database) -> None:
    """Issue 14: the control charts are drawn in the PDF, not pasted as pictures: their axis labels, legend
    and the values of the last limits read back as text, and special-cause points keep their colour."""
    import re

    from reportlab.lib import colors
    from reportlab.lib.rl_accel import fp_str

    from qualite_app.indicateurs import services as svc
    from qualite_app.reports import styles as st
    from qualite_app.rules import spc
    from tests.helpers import pdf as read

    out = rap.emettre_tableau(demo_db, "CME", issued_at=ISSUED)
    pages = read.pages_text(out.pdf)
    k = next(i for i, t in enumerate(pages) if "CHUTES — " in t)
    page = pages[k]
    for label in ("Moyenne", "Limites de contrôle", "Cible", "Seuil d'alerte", "Amélioration", "Cause commune"):
        assert label in page, label
    cartes = svc.cartes(demo_db, svc.get_tableau(demo_db, "CME").filtres, garder_series=True)
    serie = next(c for c in cartes if c.code == "CHUTES").serie
    last = serie.spc.points[serie.spc.segments[-1].end]
    for name, expected in (("LSC", last.ucl), ("LIC", last.lcl), ("Moy.", last.centre)):
        shown = re.search(rf"{re.escape(name)} (\d+,\d+)", page)  # decimal comma
        assert shown is not None and expected is not None, name
        assert abs(float(shown.group(1).replace(",", ".")) - expected) < 0.051, (name, shown.group(1), expected)
    target = serie.cibles[-1]
    assert target is not None and f"Cible {st.fr_number(target, 0 if float(target).is_integer() else 1)}" in page
    assert serie.periodes[0].court in page  # the x axis: short period labels
    assert "‰ JH" in page  # the unit of the y axis
    blue = colors.HexColor(spc.COLOURS[spc.IMPROVEMENT])
    assert f"{fp_str(blue.red, blue.green, blue.blue)} rg" in read.page_content(out.pdf, k)  # improvement points marked
    # no raster chart any more: the only picture the report may hold is the establishment's logo
    assert len(read.image_names(out.pdf)) <= 1
