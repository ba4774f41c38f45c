"""Importing a declaration tool's export: synonyms and --map, refusal naming the line and column,
all or nothing, idempotence by reference, the preview writing nothing."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from qualite_app import cli
from qualite_app.errors import UserError
from qualite_app.evenements import imports
from qualite_app.evenements import services as evenements
from qualite_app.storage.database import Database

TODAY = date(2026, 6, 15)
HEADERS = ["N° fiche", "Date de l'événement", "Heure", "Unité", "Catégorie", "Description des faits", "Gravité",
           "Patient informé", "Profession"]  # fmt: skip


def _xlsx(path: Path, rows: list[list[object]], headers: list[str] = HEADERS, title: bool = True) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    if title:
        ws.append(["Export de l'outil de déclaration — 2026"])
        ws.append([])
    ws.append(headers)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


@pytest.fixture
def service(db: Database) -> int:
    from qualite_app.etablissement import identite

    return identite.save_service(db, "Médecine gériatrique", None, code="GER")


def _rows() -> list[list[object]]:
    return [
        ["FD-101", datetime(2026, 5, 2), "14h30", "Médecine gériatrique", "Chute", "Retrouvé au sol.", "2", "oui", "IDE"],
        ["FD-102", "13/05/2026", "08:15", "GER", "Médicament", "Dose doublée.", "4 – Critique", "non", "Médecin"],
        ["FD-103", "14/05/2026", None, None, "Identification du patient", "Bracelet absent.", None, None, None],
    ]  # fmt: skip


def test_import_maps_synonyms_and_is_idempotent(db: Database, service: int, tmp_path: Path) -> None:
    f = _xlsx(tmp_path / "export.xlsx", _rows())
    ap = imports.apercu(db, f, today=TODAY)
    assert not ap.refus and ap.compte("création") == 3
    assert evenements.count_evenements(db) == 0  # the preview wrote nothing
    imports.importer(db, f, today=TODAY)
    rows = {r.reference: r for r in evenements.list_evenements(db, today=TODAY)}
    assert set(rows) == {"FD-101", "FD-102", "FD-103"}
    assert (
        rows["FD-101"].survenu_le == datetime(2026, 5, 2, 14, 30)
        and rows["FD-101"].service == "Médecine gériatrique"
    )
    assert (rows["FD-102"].gravite, rows["FD-102"].type_code, rows["FD-102"].service) == (
        "4",
        "medicament",
        "Médecine gériatrique",
    )
    assert rows["FD-102"].survenu_le == datetime(2026, 5, 13, 8, 15)
    again = imports.importer(db, f, today=TODAY)
    assert again.compte("inchangé") == 3 and evenements.count_evenements(db) == 3
    changed = _rows()
    changed[0][6] = "3"
    again = imports.importer(db, _xlsx(tmp_path / "v2.xlsx", changed), today=TODAY)
    assert again.compte("mise à jour") == 1
    assert evenements.get_evenement(db, evenements.id_par_reference(db, "FD-101")).gravite == "3"


def test_one_bad_row_refuses_the_whole_file(db: Database, service: int, tmp_path: Path) -> None:
    rows = _rows()
    rows[1][4] = "Inconnu"
    rows[2][1] = "31/02/2026"
    f = _xlsx(tmp_path / "bad.xlsx", rows)
    ap = imports.apercu(db, f, today=TODAY)
    texts = [r.texte() for r in ap.refus]
    assert any(
        t.startswith("ligne 5, colonne « Catégorie », valeur « Inconnu » : type inconnu") for t in texts
    ), texts
    assert any(t.startswith("ligne 6, colonne « Date de l'événement »") for t in texts), texts
    with pytest.raises(UserError, match="2 ligne\\(s\\) refusée\\(s\\) : rien n'a été importé"):
        imports.importer(db, f, today=TODAY)
    assert evenements.count_evenements(db) == 0
    done = imports.importer(db, f, ignorer_erreurs=True, today=TODAY)
    assert done.compte("création") == 1 and evenements.count_evenements(db) == 1


def test_explicit_map_and_missing_column(db: Database, tmp_path: Path) -> None:
    f = _xlsx(
        tmp_path / "odd.csv.xlsx",
        [["X1", "05/05/2026", "Chute", "Au sol"]],
        ["Code", "Quand", "Quoi", "Texte"],
        title=False,
    )
    with pytest.raises(UserError, match="colonne\\(s\\) introuvable\\(s\\)"):
        imports.apercu(db, f, today=TODAY)
    ap = imports.apercu(db, f, pairs=[("Quand", "survenu_le"), ("Quoi", "type_code"), ("Texte", "faits"), ("Code", "reference")],
                        today=TODAY)  # fmt: skip
    assert [(x.reference, x.type_libelle) for x in ap.lignes] == [("X1", "Chute")]


def test_csv_without_reference_is_not_imported_twice(db: Database, tmp_path: Path) -> None:
    f = tmp_path / "export.csv"
    f.write_text(
        "Date;Type;Description\n12/03/2026 10:00;Chute;Glissade\n13/03/2026;Médicament;Oubli\n",
        encoding="cp1252",
    )
    first = imports.importer(db, f, today=TODAY)
    assert first.compte("création") == 2
    assert [r.reference for r in evenements.list_evenements(db, tri="reference", desc=False)] == [
        "EI-2026-00001",
        "EI-2026-00002",
    ]
    assert (
        imports.importer(db, f, today=TODAY).compte("inchangé") == 2 and evenements.count_evenements(db) == 2
    )


def test_cli_import(db: Database, service: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = _xlsx(tmp_path / "export.xlsx", _rows())
    path = db.location  # the SQLite file, or the PostgreSQL base (QUALITE_TEST_PG)
    db.close()
    assert cli.main(["import", "evenements", str(f), "--dry-run", "--db", path]) == 0
    assert "3 création(s)" in capsys.readouterr().out
    assert cli.main(["import", "evenements", str(f), "--db", path]) == 0
    assert "Import terminé" in capsys.readouterr().out
    bad = _xlsx(tmp_path / "bad.xlsx", [["FD-9", "05/05/2026", None, None, "Inconnu", "x", None, None, None]])
    assert cli.main(["import", "evenements", str(bad), "--db", path]) == 1
    assert "rien n'a été importé" in capsys.readouterr().err
