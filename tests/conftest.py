"""Shared fixtures: a template database migrated once per session and copied for each test.

Every test runs with its own data and config folders (``QUALITE_DATA_DIR``), offscreen Qt,
and no preferences from the developer's machine.

The engine: SQLite files by default. With ``QUALITE_TEST_PG`` set to an administrator's URL of a PostgreSQL
server (``postgresql+psycopg://postgres@127.0.0.1:54329/postgres``, what ``tools/pg-test-server`` starts),
``db`` and ``demo_db`` are PostgreSQL databases, each test its own (``CREATE DATABASE … TEMPLATE``): the whole
suite runs on the team engine. Tests about files (backup, restore, lock, permissions, another program's
SQLite file) open SQLite files themselves: they are SQLite-specific by construction.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("QUALITE_DB", None)

from qualite_app.storage.database import Database  # noqa: E402
from tests.helpers.base import TEST_ACTOR  # noqa: E402

#: fixtures shared by several folders (test PKI, SoftHSM token, signed reports)
pytest_plugins = ["tests.helpers.signature"]


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "donnees"
    data.mkdir()
    monkeypatch.setenv("QUALITE_DATA_DIR", str(data))
    monkeypatch.setenv("QUALITE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("QUALITE_DB", raising=False)


PG_ADMIN = os.environ.get("QUALITE_TEST_PG", "")


def _pg_admin():  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine

    return create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT", hide_parameters=True)


def _pg_url(name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def _pg_templates(_templates: dict[str, Path]) -> dict[str, str]:
    """The two templates on the PostgreSQL server (built once per run, by the migrations and the demo)."""
    from sqlalchemy import text

    assert PG_ADMIN
    names = {"vide": f"qt_vide_{os.getpid()}", "demo": f"qt_demo_{os.getpid()}"}
    admin = _pg_admin()
    with admin.connect() as c:
        for n in names.values():
            c.execute(text(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)'))
            c.execute(text(f'CREATE DATABASE "{n}"'))
    with Database.open(_pg_url(names["vide"]), actor=TEST_ACTOR):
        pass
    from qualite_app.demo import load_demo

    with Database.open(_pg_url(names["demo"]), actor=TEST_ACTOR) as d:
        load_demo(d)
    yield names  # type: ignore[misc]
    with admin.connect() as c:
        for n in names.values():
            c.execute(text(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)'))
    admin.dispose()


def _open_pg_copy(request: pytest.FixtureRequest, kind: str) -> Iterator[Database]:
    import uuid

    from sqlalchemy import text

    templates = request.getfixturevalue("_pg_templates")
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = _pg_admin()
    with admin.connect() as c:
        # FILE_COPY: a copy of the template's files (4× faster than PostgreSQL 15's default, which writes the
        # whole template into the WAL; the test server runs without fsync, so its checkpoints cost nothing)
        c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{templates[kind]}" STRATEGY FILE_COPY'))
    db = Database.open(_pg_url(name), actor=TEST_ACTOR)
    try:
        yield db
    finally:
        ops = sys.modules.get("qualite_app.gui.operations")
        if ops is not None:
            assert ops.wait_for_jobs(), "un travail en arrière-plan ne s'est pas terminé"
        db.close()
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def _templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("modeles")
    os.environ["QUALITE_DATA_DIR"] = str(folder / "donnees")
    empty = folder / "vide.sqlite"
    with Database.open(empty, actor=TEST_ACTOR):
        pass
    demo = folder / "demo.sqlite"
    shutil.copy(empty, demo)
    from qualite_app.demo import load_demo

    with Database.open(demo, actor=TEST_ACTOR) as db:
        load_demo(db)
    for p in (empty, demo):
        _checkpoint(p)
    return {"vide": empty, "demo": demo}


def _checkpoint(path: Path) -> None:
    import sqlite3

    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()


def _open_copy(template: Path, tmp_path: Path, name: str) -> Iterator[Database]:
    target = tmp_path / name
    shutil.copy(template, target)
    db = Database.open(target, actor=TEST_ACTOR)
    try:
        yield db
    finally:
        # A background job the test started (and did not wait for, e.g. it failed or timed out)
        # must not outlive its database nor its test: cancel it and let it return first.
        ops = sys.modules.get("qualite_app.gui.operations")
        if ops is not None:
            assert ops.wait_for_jobs(), "un travail en arrière-plan ne s'est pas terminé"
        db.close()


@pytest.fixture
def db(_templates: dict[str, Path], tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    """An empty, migrated database (its own file, or its own PostgreSQL database)."""
    if PG_ADMIN:
        yield from _open_pg_copy(request, "vide")
    else:
        yield from _open_copy(_templates["vide"], tmp_path, "base.sqlite")


@pytest.fixture
def demo_db(_templates: dict[str, Path], tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    """The demo establishment (all areas' demo data), its own file (or its own PostgreSQL database)."""
    if PG_ADMIN:
        yield from _open_pg_copy(request, "demo")
    else:
        yield from _open_copy(_templates["demo"], tmp_path, "demo.sqlite")


@pytest.fixture
def demo_file(_templates: dict[str, Path], tmp_path: Path) -> Path:
    """A copy of the demo database file, not opened."""
    target = tmp_path / "demo-fichier.sqlite"
    shutil.copy(_templates["demo"], target)
    return target


@pytest.fixture
def main_window(qtbot, demo_db: Database):  # type: ignore[no-untyped-def]
    """The main window on the demo database, shown offscreen."""
    from PySide6.QtWidgets import QApplication

    from qualite_app.gui.app import setup_application
    from qualite_app.gui.main_window import MainWindow
    from qualite_app.settings import Settings

    setup_application(QApplication.instance())  # type: ignore[arg-type]
    w = MainWindow(demo_db, Settings())
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()  # before its database is closed (and, on PostgreSQL, dropped), with the redraws still queued
    QApplication.processEvents()


_GUI_FIXTURES = frozenset({"qtbot", "qapp", "main_window"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test that needs a QApplication is marked ``gui`` (``-m "not gui"`` is the fast core run)."""
    skip_pg = pytest.mark.skip(reason="propre au fichier SQLite (la suite tourne sur PostgreSQL)")
    for item in items:
        if PG_ADMIN and item.get_closest_marker("sqlite_only"):
            item.add_marker(skip_pg)
        if _GUI_FIXTURES & set(getattr(item, "fixturenames", ())) or "/tests/gui/" in str(item.path):
            item.add_marker(pytest.mark.gui)
