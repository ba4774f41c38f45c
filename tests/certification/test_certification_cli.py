"""``qualite referentiel list|import|show``, ``qualite dossier export|verify``, ``qualite report certification``."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from qualite_app import cli
from qualite_app.certification import campagnes, referentiels
from qualite_app.certification.campagnes import Reponse
from qualite_app.paths import resources_dir
from qualite_app.storage.database import Database

from .conftest import mini_referentiel


def test_referentiel_commands(db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = db.location
    db.close()
    has = resources_dir() / "referentiels" / "has_es_2025.yaml"
    assert cli.main(["referentiel", "import", str(has), "--db", path]) == 0
    assert "importé : 718 nœud(s)" in capsys.readouterr().out
    assert cli.main(["referentiel", "import", str(has), "--db", path]) == 2  # a UserError: exit 2
    assert "déjà chargé dans sa version 2025.1" in capsys.readouterr().err
    assert cli.main(["referentiel", "list", "--db", path]) == 0
    assert "118 critère(s)" in capsys.readouterr().out
    assert cli.main(["referentiel", "show", "HAS", "--json", "--db", path]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["par_niveau"] == {"standard": 92, "imperatif": 21, "avance": 5}
    assert cli.main(["referentiel", "show", "urn:qualite:referentiel:has:es:2025", "--db", path]) == 0
    assert "Critère : 118" in capsys.readouterr().out


def test_dossier_export_verify_and_report(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    r = referentiels.importer(db, mini_referentiel())
    c = campagnes.creer_campagne(db, "Campagne CLI", r.referentiel_id)
    ids = {n.ref: n.id for n in referentiels.noeuds(db, r.referentiel_id)}
    campagnes.repondre(db, c, ids["1.1-01-EE1"], Reponse("conforme"))
    path = db.location
    db.close()
    out = tmp_path / "dossier.zip"
    assert cli.main(["dossier", "export", "--out", str(out), "--db", path]) == 0
    assert "Dossier écrit" in capsys.readouterr().out
    assert cli.main(["dossier", "verify", str(out), "--db", path]) == 1  # intact, but not signed
    text = capsys.readouterr().out
    assert "NON SIGNÉ" in text and "MANQUANT" not in text and "ALTÉRÉ" not in text
    folder = tmp_path / "d"
    with zipfile.ZipFile(out) as zf:
        zf.extractall(folder)
    (folder / "criteres.csv").write_text("falsifié")
    assert cli.main(["dossier", "verify", str(folder), "--db", path]) == 1
    assert "ALTÉRÉ : criteres.csv" in capsys.readouterr().out
    pdf = tmp_path / "prep.pdf"
    assert (
        cli.main(["report", "certification", "--out", str(pdf), "--campagne", "Campagne CLI", "--db", path])
        == 0
    )
    assert "CER-" in capsys.readouterr().out and pdf.read_bytes().startswith(b"%PDF")


def test_dossier_commands_as_a_user_runs_them(demo_file: Path, tmp_path: Path) -> None:
    """The ``qualite`` program in a subprocess: export with the demo's signing identity, verify (code 0),
    then a tampered copy (code 1, the file named), French messages, no traceback."""
    import os

    from tests.helpers.cli import run

    env = {**os.environ, "QUALITE_SIGN_PASSWORD": "demo-2026"}
    out = tmp_path / "dossier.zip"
    r = run(["--db", str(demo_file), "dossier", "export", "--out", str(out), "--sign", "--identity",
             "Directeur qualité (démonstration)"], env=env)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "150 preuve(s)" in r.stdout and "(signé)" in r.stdout
    r = run(["--db", str(demo_file), "dossier", "verify", str(out)])
    assert r.returncode == 0, r.stdout + r.stderr
    assert "VERDICT : DOSSIER INTÈGRE" in r.stdout
    bad = tmp_path / "falsifie.zip"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(bad, "w") as dst:
        names = src.namelist()
        victim = next(n for n in names if n.startswith("preuves/"))
        for n in names:
            dst.writestr(n, b"falsifie" if n == victim else src.read(n))
    r = run(["--db", str(demo_file), "dossier", "verify", str(bad)])
    assert r.returncode == 1 and f"ALTÉRÉ : {victim}" in r.stdout and "Traceback" not in r.stderr
