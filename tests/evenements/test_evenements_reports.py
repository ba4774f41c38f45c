"""The CDU quarterly summary, the EIGS part PDFs and the command line: the PDFs are read back."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from qualite_app import cli
from qualite_app.evenements import cdu, fiche_eigs
from qualite_app.evenements import services as evenements
from qualite_app.paqss import services as paqss
from qualite_app.rapports import services as rapports
from qualite_app.storage.database import Database
from tests.helpers.signature import PASSWORD

TODAY = date(2026, 6, 15)


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture
def quarter(db: Database, declarer: Callable[..., int]) -> dict[str, int]:
    prog = paqss.save_programme(db, "PAQSS 2026", date(2026, 1, 1), date(2026, 12, 31))
    paqss.save_objectif(db, paqss.save_axe(db, prog, "Culture de sécurité", "A1"), "Analyser", "A1.1")
    ids = [declarer(gravite="2", survenu_le=datetime(2026, 4, 2, 8, 0), declare_le=date(2026, 4, 2),
                    faits="Mme Secret a chuté"),
           declarer(gravite="4", type_code="medicament", survenu_le=datetime(2026, 5, 20, 9, 0), declare_le=date(2026, 5, 21)),
           declarer(gravite="2", survenu_le=datetime(2026, 1, 10, 9, 0), declare_le=date(2026, 1, 10))]  # fmt: skip
    evenements.classer_eigs(db, ids[1], today=TODAY)
    an = evenements.enregistrer_analyse(db, evenements.AnalyseData("rmm", date(2026, 6, 1), [ids[1]],
                                        facteurs=[evenements.FacteurData("equipe", "Double contrôle absent")]), today=TODAY)  # fmt: skip
    evenements.decider_action(
        db, an, "Double contrôle des anticoagulants", echeance=date(2026, 9, 30), today=TODAY
    )
    return {"eigs": ids[1], "analyse": an}


def test_cdu_summary_counts_without_personal_data(db: Database, quarter: dict[str, int]) -> None:
    data = cdu.gather(db, "2026-T2", today=TODAY)
    assert (data.total, data.eigs, data.total_precedent) == (2, 1, 1)
    assert dict(data.par_type) == {"Chute": 1, "Médicament": 1}
    assert data.par_mois == [("2026-04", 1), ("2026-05", 1), ("2026-06", 0)]
    text = _text(cdu.cdu_pdf(db, "2026-T2", today=TODAY))
    assert "bilan du T2 2026 pour la CDU" in text
    assert "Double contrôle des anticoagulants" in text and "AN-2026-001" in text
    assert "RMM (revue de mortalité et de morbidité) : 1" in text
    assert "EI-2026-00002" in text  # the EIGS parts still to send
    assert "Secret" not in text  # the facts are never printed


def test_cdu_issued_signed_in_the_register(db: Database, quarter: dict[str, int]) -> None:
    from qualite_app.etablissement import identite

    identite.save(db, identite.EtablissementData(raison_sociale="Centre hospitalier fictif des Aulnes"))
    rapports.creer_identite_locale(
        db, nom="DQ", signataire="Julien Arsac", fonction="Directeur qualité", password=PASSWORD
    )
    row = cdu.emettre_cdu(db, "2026-T2", identity="DQ", password=PASSWORD, today=TODAY)
    assert row.reference.startswith("CDU-") and row.signataire
    verdict = rapports.verifier(db, row.id)
    assert verdict.signe and verdict.intact and rapports.donnees_intactes(db, row.id)
    assert "Centre hospitalier fictif des Aulnes" in _text(row.pdf)


def test_bad_quarter_is_said_in_french(db: Database) -> None:
    from qualite_app.errors import UserError

    with pytest.raises(UserError, match="n'est pas un trimestre"):
        cdu.gather(db, "2026-05")


def test_eigs_part_pdfs(db: Database, quarter: dict[str, int]) -> None:
    data = evenements.get_eigs(db, quarter["eigs"])
    assert data is not None
    data.causes_profondes = "Absence de double contrôle à la préparation"
    evenements.enregistrer_eigs(db, data, today=TODAY)
    one = _text(fiche_eigs.fiche_pdf(db, quarter["eigs"], 1, today=TODAY))
    assert (
        "Déclaration d'EIGS — partie 1 — EI-2026-00002" in one
        and "Nature de l'événement et circonstances" in one
    )
    assert "échéance le 28/05/2026" in one
    two = _text(fiche_eigs.fiche_pdf(db, quarter["eigs"], 2, today=TODAY))
    assert "Causes profondes Absence de double contrôle" in two and "échéance le 28/08/2026" in two


def test_cli_echeances_json_and_reports(
    db: Database, quarter: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = db.location  # the SQLite file, or the PostgreSQL base (QUALITE_TEST_PG)
    db.close()  # the command opens the base itself (one writer at a time)
    assert cli.main(["evenements", "echeances", "--json", "--db", path]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["reference"], r["partie"]) for r in rows] == [("EI-2026-00002", 1), ("EI-2026-00002", 2)]
    out = tmp_path / "cdu.pdf"
    assert cli.main(["report", "cdu", "--trimestre", "2026-T2", "--out", str(out), "--db", path]) == 0
    assert "pour la CDU" in _text(out.read_bytes())
    assert cli.main(["report", "cdu", "--trimestre", "2026-13", "--out", str(out), "--db", path]) == 2
    assert "--trimestre" in capsys.readouterr().err
    assert cli.main(["evenements", "indicateurs", "--mois", "6", "--db", path]) == 0
    assert "EI-DECL (6 mois), EIGS (6 mois)" in capsys.readouterr().out
    ics = tmp_path / "eigs.ics"
    assert cli.main(["evenements", "ical", "--out", str(ics), "--db", path]) == 0
    assert "EIGS EI-2026-00002" in ics.read_text(encoding="utf-8")
