"""The wheel as a user gets it: built, installed in a fresh virtual environment, started from there.

Nothing of the source tree may be used: the fresh environment has its own interpreter prefix, the
commands run from a temporary folder, and PYTHONPATH is removed. Dependencies come from the package
index (pip's cache makes later runs quick: ≈ 25 s here for the install).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from qualite_app import APP_NAME, __version__
from qualite_app.storage.migrate import head_revision
from tests.helpers.cli import REPO, run

pytestmark = pytest.mark.slow

DATA_FOLDERS = ("db", "ui", "resources")


def _bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / (name + (".exe" if os.name == "nt" else ""))


def _clean_env(home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "QUALITE_DB", "VIRTUAL_ENV", "PYTHONHOME")
    }
    env.update(
        QUALITE_DATA_DIR=str(home / "donnees"),
        QUALITE_CONFIG_DIR=str(home / "config"),
        QT_QPA_PLATFORM="offscreen",
    )
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, dict[str, str]]]:
    """(fresh venv, a working folder outside the source tree, the environment to run in)."""
    root = tmp_path_factory.mktemp("installation")
    wheels = root / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = wheels.glob("qualite_app-*.whl")
    venv = root / "venv"
    made = subprocess.run(
        [sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True, timeout=300
    )
    assert made.returncode == 0, made.stderr
    env = _clean_env(root)
    pip = subprocess.run(
        [str(_bin(venv, "python")), "-m", "pip", "install", "-q", "--no-compile", str(wheel)],
        capture_output=True,
        text=True,
        timeout=1200,
        env=env,
        cwd=root,
    )
    assert pip.returncode == 0, pip.stdout + pip.stderr
    work = root / "ailleurs"
    work.mkdir()
    yield venv, work, env


def test_version_and_info_from_the_installed_command(installed: tuple[Path, Path, dict[str, str]]) -> None:
    venv, work, env = installed
    qualite = [str(_bin(venv, "qualite"))]
    proc = run(["--version"], command=qualite, cwd=work, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"{APP_NAME} {__version__}"

    target = work / "tmp.sqlite"
    proc = run(["info", "--db", str(target)], command=qualite, cwd=work, env=env)
    assert proc.returncode == 0, proc.stderr
    assert f"Base de données : {target}" in proc.stdout
    assert f"Révision du schéma : {head_revision()} (dernière connue : {head_revision()})" in proc.stdout
    assert "etablissement" in proc.stdout and "journal_audit" in proc.stdout
    assert target.is_file()


def test_data_folders_are_inside_the_installed_package(installed: tuple[Path, Path, dict[str, str]]) -> None:
    venv, work, env = installed
    probe = (
        "import json, sys, qualite_app, qualite_app.paths as p\n"
        "print(json.dumps({'package': qualite_app.__file__, 'root': str(p.bundle_root()), 'path': sys.path}))"
    )
    proc = subprocess.run(
        [str(_bin(venv, "python")), "-c", probe],
        capture_output=True,
        text=True,
        cwd=work,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    facts = json.loads(proc.stdout)
    package = Path(facts["package"]).parent
    assert package.is_relative_to(venv), facts
    assert Path(facts["root"]) == package / "_data"
    for folder in DATA_FOLDERS:  # every file of db/, ui/, resources/ reached the wheel
        shipped = {
            p.relative_to(REPO / folder)
            for p in (REPO / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }
        installed_files = {
            p.relative_to(package / "_data" / folder)
            for p in (package / "_data" / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }
        assert shipped, folder
        assert shipped <= installed_files, (folder, sorted(shipped - installed_files))
    assert (package / "_data" / "db" / "env.py").is_file()
    assert (package / "_data" / "resources" / "fonts" / "DejaVuSans.ttf").is_file()
    assert (package / "_data" / "resources" / "icons" / "qualite.svg").is_file()
    assert not any(str(REPO) == p or p.startswith(str(REPO) + os.sep) for p in facts["path"]), facts["path"]


def test_main_window_opens_offscreen_from_the_install(installed: tuple[Path, Path, dict[str, str]]) -> None:
    venv, work, env = installed
    qualite = [str(_bin(venv, "qualite"))]
    base = work / "demo.sqlite"
    proc = run(["demo", "--db", str(base)], command=qualite, cwd=work, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "Données de démonstration chargées" in proc.stdout

    # the smoke hook opens the real main window, waits for its first paint and quits with 0
    proc = run(
        ["--db", str(base)], command=qualite, cwd=work, env=dict(env, QUALITE_SMOKE_TEST="pages"), timeout=180
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "QUALITE_SMOKE_TEST fenetre_peinte=" in proc.stdout
    assert f"titre={base.name} — {APP_NAME}" in proc.stdout
    from qualite_app.gui.pages import PAGES

    assert "QUALITE_SMOKE_TEST pages=" + ",".join(s.key for s in PAGES) in proc.stdout  # every area was built
    assert "Traceback" not in proc.stderr
    # nothing kept yet: the home page computed before the base is open, from the precompiled statements
    # the wheel ships (``qualite_app/accueil/requetes_<dialecte>.json``)
    assert "accueil_rapide=oui" in proc.stdout, proc.stdout
    env = dict(env, QUALITE_SMOKE_TEST="1")

    # same program, in-process, to see where every module came from once the window is built
    probe = (
        "import sys\n"
        "base, repo = sys.argv[1], sys.argv[2]\n"
        "from qualite_app.__main__ import main\n"
        "sys.argv = ['qualite', '--db', base]\n"
        "code = main()\n"
        "files = [getattr(m, '__file__', None) or '' for m in list(sys.modules.values())]\n"
        "print('MODULES', len(files), 'GUI', 'qualite_app.gui.main_window' in sys.modules)\n"
        "print('\\n'.join('SOURCE ' + f for f in files if f.startswith(repo)))\n"
        "sys.exit(code)\n"
    )
    proc = subprocess.run(
        [str(_bin(venv, "python")), "-c", probe, str(base), str(REPO)],
        capture_output=True,
        text=True,
        cwd=work,
        env=env,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "QUALITE_SMOKE_TEST fenetre_peinte=" in proc.stdout
    assert "SOURCE " not in proc.stdout, proc.stdout  # not one module from the checkout
    modules = proc.stdout.split("MODULES ")[1].split()
    assert int(modules[0]) > 100 and modules[1:3] == ["GUI", "True"]
