import hashlib
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from qualite_app import paths
from qualite_app.errors import DatabaseLockedError, NewerDatabaseError, UserError
from qualite_app.etablissement import annuaire
from qualite_app.socle import sauvegarde
from qualite_app.storage.backup import automatic_backup, check_database_file, rotate
from qualite_app.storage.database import Database
from qualite_app.storage.engine import resolve_url


def table_digest(path: Path) -> str:
    """A checksum of every row of every table: 'unchanged' means this is equal."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    h = hashlib.sha256()
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"):
        for row in con.execute(f'SELECT * FROM "{name}" ORDER BY 1'):
            h.update(repr(row).encode())
    con.close()
    return h.hexdigest()


@pytest.mark.sqlite_only
def test_pragmas_wal_and_foreign_keys(db):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_location_from_env_and_url(tmp_path, monkeypatch):
    monkeypatch.setenv("QUALITE_DB", str(tmp_path / "env.sqlite"))
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'env.sqlite'}"
    monkeypatch.setenv("QUALITE_DB", "postgresql+psycopg://qualite@serveur/qualite")
    assert resolve_url(None).startswith("postgresql+psycopg://")
    assert resolve_url(tmp_path / "arg.sqlite").endswith("arg.sqlite")
    monkeypatch.delenv("QUALITE_DB")
    assert resolve_url(None) == f"sqlite:///{paths.default_database_path()}"


def test_second_instance_is_refused(demo_file):
    db = Database.open(demo_file)
    try:
        code = (
            "import sys\n"
            "from qualite_app.storage.database import Database\n"
            "from qualite_app.errors import DatabaseLockedError\n"
            f"try:\n    Database.open({str(demo_file)!r})\nexcept DatabaseLockedError as e:\n    print(e.message); sys.exit(7)\n"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert out.returncode == 7, out.stderr
        assert "déjà ouverte par une autre instance" in out.stdout
    finally:
        db.close()
    Database.open(demo_file).close()  # released on close


def test_second_instance_in_process_is_refused(demo_file):
    with Database.open(demo_file), pytest.raises(DatabaseLockedError):
        Database.open(demo_file)


def make_newer(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_futur'")
    con.commit()
    con.close()


def test_newer_database_refused_and_untouched(demo_file):
    make_newer(demo_file)
    before = table_digest(demo_file)
    with pytest.raises(NewerDatabaseError, match="plus récente"):
        Database.open(demo_file)
    assert table_digest(demo_file) == before


def test_automatic_backup_once_a_day_and_rotation(demo_file, tmp_path):
    folder = tmp_path / "sauvegardes"
    first = automatic_backup(demo_file, folder, today=date(2026, 11, 23))
    assert first is not None and check_database_file(first).revision is not None
    assert automatic_backup(demo_file, folder, today=date(2026, 11, 23)) is None
    # 60 days of history: keep the last 7 daily and 4 older weekly ones
    start = date(2026, 9, 1)
    for i in range(60):
        (folder / f"{demo_file.stem}-{(start + timedelta(days=i)).isoformat()}.sqlite").write_bytes(b"x")
    rotate(folder, demo_file.stem)
    kept = sorted(p.name for p in folder.glob("*.sqlite"))
    assert len(kept) == 7 + 4
    assert f"{demo_file.stem}-2026-11-23.sqlite" in kept


def test_open_creates_startup_backup(demo_file, monkeypatch, tmp_path):
    db = Database.open(demo_file, auto_backup=True)
    db.close()
    assert db.startup_backup is not None and db.startup_backup.exists()
    assert db.startup_backup.parent == paths.backups_dir()


@pytest.mark.sqlite_only
@pytest.mark.parametrize("kind", ["texte", "tronquee", "autre_sqlite", "future"])
def test_restore_refuses_bad_files_and_keeps_database(demo_db, tmp_path, kind):
    bad = tmp_path / f"{kind}.sqlite"
    if kind == "texte":
        bad.write_text("ceci n'est pas une base", encoding="utf-8")
        expected = "format de fichier inconnu"
    elif kind == "tronquee":
        sauvegarde.save_copy(demo_db, bad)
        data = bad.read_bytes()
        bad.write_bytes(data[: len(data) // 2])
        expected = "tronqué"
    elif kind == "autre_sqlite":
        con = sqlite3.connect(bad)
        con.execute("CREATE TABLE t (x)")
        con.close()
        expected = "pas une base Qualité"
    else:
        sauvegarde.save_copy(demo_db, bad)
        make_newer(bad)
        expected = "plus récente"
    count = annuaire.count(demo_db)
    before = table_digest(demo_db.path)
    with pytest.raises(UserError, match=expected):
        sauvegarde.restore(demo_db, bad)
    assert table_digest(demo_db.path) == before
    assert annuaire.count(demo_db) == count


@pytest.mark.sqlite_only
def test_restore_replaces_and_keeps_a_copy(demo_db, tmp_path):
    snapshot = sauvegarde.save_copy(demo_db, tmp_path / "copie.sqlite")
    pid = annuaire.list_personnes(demo_db, "arsac")[0].id
    annuaire.delete_personne(demo_db, pid)
    assert annuaire.list_personnes(demo_db, "arsac") == []
    kept = sauvegarde.restore(demo_db, snapshot)
    assert [r.nom for r in annuaire.list_personnes(demo_db, "arsac")] == ["ARSAC"]
    assert kept.exists()
    with Database.open(kept, lock=False) as old:
        assert annuaire.list_personnes(old, "arsac") == []


@pytest.mark.sqlite_only
def test_save_copy_is_consistent_while_open(demo_db, tmp_path):
    out = sauvegarde.save_copy(demo_db, tmp_path / "instantane.sqlite")
    assert check_database_file(out).revision == demo_db.revision()
    with pytest.raises(UserError):
        sauvegarde.save_copy(demo_db, demo_db.path)


def test_not_a_database_refused_at_open(tmp_path):
    f = tmp_path / "notes.sqlite"
    f.write_text("bonjour", encoding="utf-8")
    with pytest.raises(UserError, match="n'est pas une base"):
        Database.open(f)
    assert f.read_text(encoding="utf-8") == "bonjour"
