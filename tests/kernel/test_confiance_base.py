"""Issue 8 — the database file: restore, foreign files, faults of the environment, rights, backup, lock.

CLI tests call ``cli.main`` in-process; each builds the fault for real where this machine allows it
(SQLite's own page limit for a full disk, a query-only connection for a read-only base) and by
substitution where a root account cannot feel it (file rights).
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from qualite_app import cli
from qualite_app.errors import DatabaseLockedError
from qualite_app.storage import engine as engine_mod
from qualite_app.storage.database import Database
from tests.helpers.base import TEST_ACTOR


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _count(path: Path, table: str) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _assert_french_failure(code: int, err: str, *words: str) -> None:
    assert code == 2, err
    assert err.startswith("qualite : ")
    for bad in ("Traceback", "erreur inattendue", "[SQL", "parameters", "Errno", "No such file", "Permission denied"):
        assert bad not in err, err
    for w in words:
        assert w in err, err


# --- 3. a restore that cannot lock the user out -------------------------------------------------
def test_restore_of_a_backup_whose_schema_version_is_empty_leaves_the_live_base_working(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "sauvegarde-sans-version.sqlite"
    shutil.copy(demo_file, bad)
    con = sqlite3.connect(bad)
    con.execute("DELETE FROM alembic_version")
    con.commit()
    con.close()
    actions = _count(demo_file, "paqss_action")

    code, _, err = _run(capsys, "restore", "--db", str(demo_file), str(bad))
    _assert_french_failure(code, err, "ne peut pas être restaurée")

    # the live base still opens, with its data
    code, out, err = _run(capsys, "info", "--db", str(demo_file))
    assert code == 0, err
    assert _count(demo_file, "paqss_action") == actions
    assert not list(tmp_path.glob("*.partiel*")), "no temporary copy left behind"


def test_restore_is_journaled_in_the_restored_base_with_the_discarded_lines(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from qualite_app.paqss import services as paqss
    from qualite_app.socle import journal, sauvegarde

    backup = tmp_path / "copie.sqlite"
    assert _run(capsys, "backup", "--db", str(demo_file), "--out", str(backup))[0] == 0
    with Database.open(demo_file, actor=TEST_ACTOR) as db:  # three changes made after the backup
        ids = [r.id for r in paqss.list_actions(db, paqss.ActionFilter())][:3]
        for aid in ids:
            paqss.add_comment(db, aid, "Point d'étape après la sauvegarde")
        kept = sauvegarde.restore(db, backup)
    assert kept.is_file()
    with Database.open(demo_file, actor=TEST_ACTOR) as db:
        last = journal.list_entries(db, limite=1)[0]
        assert last.action == "restauration"
        assert "copie.sqlite" in last.nouvelle_valeur
        assert "3 ligne(s) du journal écartée(s)" in last.nouvelle_valeur
        assert "Camille Testeur" in last.utilisateur
        assert journal.verify(db).intact  # the restored journal and its new line still chain


# --- 4. another program's SQLite file ---------------------------------------------------------
def test_another_programs_sqlite_file_is_refused_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "compta.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE clients (id INTEGER PRIMARY KEY, nom TEXT)")
    con.execute("INSERT INTO clients (nom) VALUES ('Entreprise fictive')")
    con.commit()
    con.close()
    before = _sha(other)
    code, _, err = _run(capsys, "info", "--db", str(other))
    _assert_french_failure(code, err, "autre programme", "clients")
    assert _sha(other) == before
    con = sqlite3.connect(other)
    assert [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["clients"]
    con.close()


def test_an_empty_sqlite_file_becomes_a_new_base(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "neuve.sqlite"
    sqlite3.connect(empty).close()  # 0 bytes, or a header with no table: a new base
    assert _run(capsys, "info", "--db", str(empty))[0] == 0
    assert _count(empty, "journal_audit") == 0


# --- 16. faults of the environment: French, never a traceback --------------------------------
def test_truncated_database(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = demo_file.read_bytes()
    demo_file.write_bytes(data[: len(data) // 2])
    code, _, err = _run(capsys, "info", "--db", str(demo_file))
    _assert_french_failure(code, err, "tronquée")


def test_corrupt_database(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = bytearray(demo_file.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page : page * 4] = os.urandom(page * 3)  # the schema's and the first tables' pages
    demo_file.write_bytes(bytes(data))
    code, _, err = _run(capsys, "info", "--db", str(demo_file))
    _assert_french_failure(code, err)
    assert "endommagée" in err or "n'est pas une base" in err, err


def test_db_in_a_folder_that_does_not_exist_yet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "nouveau" / "dossier" / "base.sqlite"
    code, _, err = _run(capsys, "info", "--db", str(target))
    assert code == 0, err
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700


def test_unreadable_database(demo_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # root reads any file: the refusal a user gets from chmod 000 is substituted at the open call
    real_open = Path.open

    def deny(self: Path, *a: object, **k: object):  # type: ignore[no-untyped-def]
        if self == demo_file:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", deny)
    code, _, err = _run(capsys, "info", "--db", str(demo_file))
    _assert_french_failure(code, err, "permission refusée")


def test_read_only_folder_or_file(demo_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **k: False if mode == os.W_OK and Path(p) == demo_file else real_access(p, mode, **k))
    before = _sha(demo_file)
    code, _, err = _run(capsys, "demo", "--db", str(demo_file))
    _assert_french_failure(code, err, "lecture seule")
    assert _sha(demo_file) == before


def _pragma(monkeypatch: pytest.MonkeyPatch, sql: str) -> None:
    real = engine_mod._sqlite_pragmas

    def with_fault(dbapi_conn, record):  # type: ignore[no-untyped-def]
        real(dbapi_conn, record)
        dbapi_conn.execute(sql)

    monkeypatch.setattr(engine_mod, "_sqlite_pragmas", with_fault)


@pytest.mark.sqlite_only
def test_read_only_database_first_write_gives_a_french_message_without_sql(
    db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = db.location
    db.close()
    _pragma(monkeypatch, "PRAGMA query_only = ON")  # SQLite refuses every write: SQLITE_READONLY
    code, _, err = _run(capsys, "demo", "--db", str(path))
    _assert_french_failure(code, err, "lecture seule", "rien n'a été enregistré")
    assert "INSERT" not in err and "Val-de-Brume" not in err


@pytest.mark.sqlite_only
def test_full_disk_during_import_gives_a_french_message_without_row_data(
    db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = db.location
    assert path is not None
    db.close()
    pages = _count_pages(path)
    _pragma(monkeypatch, f"PRAGMA max_page_count = {pages + 3}")  # the disk is full a few pages later
    code, _, err = _run(capsys, "demo", "--db", str(path))
    _assert_french_failure(code, err, "disque est plein", "rien n'a été enregistré")
    assert len(err) < 400, err  # one sentence, not 6 KB of SQL parameters
    assert "INSERT" not in err and "Val-de-Brume" not in err
    monkeypatch.undo()
    with Database.open(path, actor=TEST_ACTOR) as again:  # all or nothing: the demo left nothing
        assert again.row_counts()["etablissement"] == 0


def _count_pages(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA page_count").fetchone()[0]
    finally:
        con.close()


def test_full_disk_during_backup_leaves_no_partial_file(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from qualite_app.storage import backup as backup_mod

    real_connect = sqlite3.connect

    class FullTarget:
        def __init__(self, con: sqlite3.Connection) -> None:
            self.con = con

        def backup(self, target: object, **k: object) -> None:
            raise sqlite3.OperationalError("database or disk is full")

        def __getattr__(self, name: str) -> object:
            return getattr(self.con, name)

    def connect(*a: object, **k: object):  # type: ignore[no-untyped-def]
        con = real_connect(*a, **k)  # type: ignore[arg-type]
        return FullTarget(con) if "mode=ro" in str(a[0]) else con

    monkeypatch.setattr(backup_mod.sqlite3, "connect", connect)
    out = tmp_path / "copies" / "c.sqlite"
    code, _, err = _run(capsys, "backup", "--db", str(demo_file), "--out", str(out))
    _assert_french_failure(code, err, "disque est plein")
    assert not out.exists()
    assert list(out.parent.iterdir()) == []


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("mongodb://serveur/base", ("Type de base inconnu", "mongodb")),
        ("postgresql+psycopg2://qualite@127.0.0.1:1/qualite", ("pilote", "psycopg2")),
    ],
    ids=["schema-inconnu", "pilote-absent"],
)
def test_urls_that_cannot_be_opened(url: str, words: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("sqlalchemy")
    try:
        import psycopg2  # noqa: F401

        if "psycopg2" in url:
            pytest.skip("psycopg2 est installé ici")
    except ImportError:
        pass
    code, _, err = _run(capsys, "info", "--db", url)
    _assert_french_failure(code, err, *words)


def test_system_error_texts_are_translated() -> None:
    from qualite_app.errors import translate

    msg = translate(FileNotFoundError(errno.ENOENT, "No such file or directory", "/tmp/absent.xlsx"))
    assert msg is not None and msg.message == "Opération impossible : fichier ou dossier introuvable : /tmp/absent.xlsx."
    full = translate(OSError(errno.ENOSPC, "No space left on device"))
    assert full is not None and "disque est plein" in full.message


# --- 17. no row data in messages or in the log --------------------------------------------------
def test_a_bug_is_logged_without_its_message_and_privately(
    db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    personne = ["Dupont Hélène", "06 39 98 00 00"]

    def boom(args: object) -> int:
        raise ValueError(", ".join(personne))  # row data inside an exception's text

    monkeypatch.setattr("qualite_app.socle.cli.cmd_info", boom)
    code, _, err = _run(capsys, "info", "--db", db.location)
    assert code == 3
    assert "Dupont" not in err and "ValueError" in err
    log = tmp_path / "donnees" / "erreurs.log"
    text = log.read_text(encoding="utf-8")
    assert "boom" in text and "builtins.ValueError" in text  # the stack and the type …
    assert "Dupont" not in text and "06 39" not in text  # … never the data
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


# --- 21. private files ---------------------------------------------------------------------------
def test_new_base_backups_and_folders_are_private(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = tmp_path / "b" / "qualite.sqlite"
    assert _run(capsys, "info", "--db", str(base))[0] == 0
    assert stat.S_IMODE(base.stat().st_mode) == 0o600
    assert _run(capsys, "backup", "--db", str(base))[0] == 0
    folder = tmp_path / "donnees" / "sauvegardes"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    copies = list(folder.glob("*.sqlite"))
    assert copies and all(stat.S_IMODE(c.stat().st_mode) == 0o600 for c in copies)


def test_existing_world_readable_base_is_tightened_at_opening(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    demo_file.chmod(0o644)
    assert _run(capsys, "info", "--db", str(demo_file))[0] == 0
    assert stat.S_IMODE(demo_file.stat().st_mode) == 0o600


# --- 22. backup while the application is open; no leftover -------------------------------------
@pytest.mark.sqlite_only
def test_backup_works_while_the_application_has_the_base_open(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pendant.sqlite"
    code, stdout, err = _run(capsys, "backup", "--db", demo_db.location, "--out", str(out))
    assert code == 0, err
    assert _count(out, "paqss_action") == demo_db.row_counts()["paqss_action"]


def test_a_killed_backups_leftover_is_swept(demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "copies"
    folder.mkdir()
    dead = folder / "c.sqlite.999999999.partiel"  # no such process
    dead.write_bytes(b"SQLite format 3\x00 moitie")
    code, _, err = _run(capsys, "backup", "--db", str(demo_file), "--out", str(folder / "c.sqlite"))
    assert code == 0, err
    assert sorted(p.name for p in folder.iterdir()) == ["c.sqlite"]


# --- 23. the lock follows the file, not its path -------------------------------------------------
def test_a_hard_link_does_not_bypass_the_instance_lock(demo_file: Path, tmp_path: Path) -> None:
    link = tmp_path / "autre-nom.sqlite"
    os.link(demo_file, link)
    with Database.open(demo_file, actor=TEST_ACTOR):
        with pytest.raises(DatabaseLockedError):
            Database.open(link, actor=TEST_ACTOR)
        sym = tmp_path / "lien-symbolique.sqlite"
        sym.symlink_to(demo_file)
        with pytest.raises(DatabaseLockedError):
            Database.open(sym, actor=TEST_ACTOR)
    with Database.open(link, actor=TEST_ACTOR):  # released with the first
        pass


