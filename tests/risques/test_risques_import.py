"""Importing a risk-map workbook: synonyms, refusal naming line and column, idempotent by reference."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualite_app import cli
from qualite_app.errors import UserError
from qualite_app.risques import imports
from qualite_app.risques import services as risques
from qualite_app.storage.database import Database


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Cartographie des risques du bloc — version 3"])
    ws.append(
        ["Réf", "Processus", "Risque", "Causes", "G", "F", "G résiduelle", "F résiduelle", "Prochaine revue"]
    )
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_import_risk_map_idempotent(db: Database, tmp_path: Path) -> None:
    rows: list[list[object]] = [["R-B1", "Bloc opératoire", "Erreur de site", "Marquage absent", 5, 2, 5, 1, "15/09/2027"],
                                ["R-B2", "Bloc opératoire", "Oubli de compresse", None, "4", "2", None, None, None]]  # fmt: skip
    f = _xlsx(tmp_path / "carte.xlsx", rows)
    ap = imports.apercu(db, f)
    assert ap.creations == ["R-B1", "R-B2"] and risques.carte(db).total == 0
    imports.importer(db, f)
    c = risques.carte(db)
    assert c.total == 2 and c.brute[4][1] == 1 and c.residuelle[4][0] == 1
    rows[1][4] = 3
    again = imports.importer(db, _xlsx(tmp_path / "v2.xlsx", rows))
    assert again.mises_a_jour == ["R-B1", "R-B2"] and risques.carte(db).total == 2
    assert risques.carte(db).brute[2][1] == 1


def test_bad_rows_refuse_everything(db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = _xlsx(tmp_path / "bad.xlsx", [["R-1", "Urgences", "Saturation", None, 7, 2, None, None, None],
                                      ["R-2", "Urgences", "Agression", None, 3, "deux", None, None, None]])  # fmt: skip
    ap = imports.apercu(db, f)
    texts = [r.texte() for r in ap.refus]
    assert "ligne 3, colonne « G », valeur « 7 » : 7 n'est pas entre 1 et 5." in texts
    assert any(t.startswith("ligne 4, colonne « F », valeur « deux »") for t in texts)
    with pytest.raises(UserError, match="rien n'a été importé"):
        imports.importer(db, f)
    path = db.location  # the SQLite file, or the PostgreSQL base (QUALITE_TEST_PG)
    db.close()
    assert cli.main(["import", "risques", str(f), "--db", path]) == 1
    assert "rien n'a été importé" in capsys.readouterr().err
