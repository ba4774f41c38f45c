"""Shared fixtures: a template database migrated once per session and copied for each test.

Every test runs with its own data and config folders (``QUALITE_DATA_DIR``), offscreen Qt,
and no preferences from the developer's machine.
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
def db(_templates: dict[str, Path], tmp_path: Path) -> Iterator[Database]:
    """An empty, migrated database (its own file)."""
    yield from _open_copy(_templates["vide"], tmp_path, "base.sqlite")


@pytest.fixture
def demo_db(_templates: dict[str, Path], tmp_path: Path) -> Iterator[Database]:
    """The demo establishment (all areas' demo data), its own file."""
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
    return w


_GUI_FIXTURES = frozenset({"qtbot", "qapp", "main_window"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test that needs a QApplication is marked ``gui`` (``-m "not gui"`` is the fast core run)."""
    for item in items:
        if _GUI_FIXTURES & set(getattr(item, "fixturenames", ())) or "/tests/gui/" in str(item.path):
            item.add_marker(pytest.mark.gui)
