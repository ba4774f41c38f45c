"""The *Bilan du PAQSS*: read the PDF back (text, fonts), then issue it signed through the register."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from qualite_app.paqss import bilan as paqss_bilan
from qualite_app.paqss import rules
from qualite_app.paqss import services as paqss
from qualite_app.storage.database import Database


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_report_lists_axes_and_overdue_actions(demo_db: Database, tmp_path: Path) -> None:
    pid = paqss.programme_courant(demo_db)
    assert pid is not None
    pdf, digest, snap = paqss_bilan.bilan_pdf(demo_db, pid, with_previous=False)
    text = " ".join(_text(pdf).split())
    for axe in paqss.tree(demo_db)[0].axes:
        assert axe.titre in text
    late = paqss.list_actions(demo_db, paqss.ActionFilter(echeance="en_retard"))
    assert late
    assert f"Actions en retard ({len(late)})" in text
    for a in late:
        assert a.reference in text
    assert "Premier bilan émis" in text
    assert len(snap) == paqss.summary(demo_db).total and len(digest) == 64
    if shutil.which("pdffonts"):
        f = tmp_path / "bilan.pdf"
        f.write_bytes(pdf)
        fonts = subprocess.run(["pdffonts", str(f)], capture_output=True, text=True, check=True).stdout
        assert "Helvetica" not in fonts and "DejaVu" in fonts


def test_report_escapes_user_text(db: Database, structure: dict[str, int]) -> None:
    paqss.save_action(
        db, paqss.ActionData(objectif_id=structure["objectif"], titre="Audit <urgences> & bloc")
    )
    pdf, _, _ = paqss_bilan.bilan_pdf(db, structure["programme"], with_previous=False)
    assert "Audit <urgences> & bloc" in _text(pdf)


def test_report_shows_extra_copilots_after_the_tandem(db: Database, structure: dict[str, int], tmp_path: Path) -> None:
    from qualite_app.etablissement import annuaire

    tiers = annuaire.save_personne(db, annuaire.PersonneData(nom="CAZALS", prenom="Inès"))
    paqss.save_action(
        db,
        paqss.ActionData(objectif_id=structure["objectif"], titre="Sécuriser le circuit du médicament",
                         pilote_id=structure["medecin"], copilote_id=structure["admin"], autres_copilotes=[tiers]),
    )  # fmt: skip
    pdf, _, _ = paqss_bilan.bilan_pdf(db, structure["programme"], with_previous=False)
    (tmp_path / "equipe.pdf").write_bytes(pdf)
    assert "Hélène BRÉVANNE / Julien ARSAC + Inès CAZALS" in " ".join(_text(pdf).split())


def test_signed_bilan_is_registered_and_the_next_one_shows_changes(demo_db: Database) -> None:
    rapports = pytest.importorskip("qualite_app.rapports.services")
    pid = paqss.programme_courant(demo_db)
    assert pid is not None
    identity = None
    if hasattr(rapports, "creer_identite_locale"):
        rapports.creer_identite_locale(
            demo_db,
            nom="Directeur qualité",
            signataire="Julien Arsac",
            fonction="Directeur qualité",
            password="secret-1234",
        )
        identity = "Directeur qualité"
    row = paqss_bilan.emettre_bilan(
        demo_db, pid, identity=identity, password="secret-1234" if identity else None, recipient="CME"
    )
    assert row.pdf.startswith(b"%PDF")
    if identity:
        assert b"/ByteRange" in row.pdf  # a PAdES signature
    assert rapports.dernier(demo_db, "paqss").id == row.id
    assert row.snapshot and len(row.snapshot) == paqss.summary(demo_db).total

    target = next(a for a in paqss.list_actions(demo_db) if a.statut == rules.EN_COURS)
    paqss.bulk_update(demo_db, [target.id], statut=rules.REPORTEE, motif="Travaux du service")
    pdf, _, _ = paqss_bilan.bilan_pdf(demo_db, pid)
    text = " ".join(_text(pdf).split())
    assert "Bilan précédent émis le" in text
    assert target.reference in text.split("Évolutions depuis le bilan précédent")[-1]
    assert "Reportée" in text
