"""The startup shortcut of ``storage.migrate``: Alembic is skipped only when the database is exactly at head."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from qualite_app.storage import migrate
from qualite_app.storage.database import Database


def test_declared_head_is_alembics_head() -> None:
    assert migrate.declared_head() == migrate.head_revision()


@pytest.mark.sqlite_only
def test_up_to_date_only_at_head(db: Database, tmp_path: Path) -> None:
    assert migrate.is_up_to_date(db.engine)

    blank = create_engine(f"sqlite:///{tmp_path / 'vierge.sqlite'}")
    assert not migrate.is_up_to_date(blank)  # no alembic_version table: Alembic must create the schema

    newer = tmp_path / "future.sqlite"
    db.close()
    newer.write_bytes(Path(db.path).read_bytes())  # type: ignore[arg-type]
    con = sqlite3.connect(newer)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    assert not migrate.is_up_to_date(create_engine(f"sqlite:///{newer}"))  # → the full check refuses it


def test_opening_a_database_at_head_does_not_import_alembic(db: Database, tmp_path: Path) -> None:
    path = db.location
    db.close()
    probe = (
        "import sys\n"
        "from qualite_app.storage.database import Database\n"
        "Database.open(sys.argv[1]).close()\n"
        "print(sorted(m for m in sys.modules if m == 'alembic' or m.startswith('alembic.')))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, str(path)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
