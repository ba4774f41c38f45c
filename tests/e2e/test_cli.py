"""The command line as a user runs it: a real ``qualite`` process, its output, exit code and files."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from qualite_app import APP_NAME, __version__
from qualite_app.storage.index import hors_modele
from qualite_app.storage.lock import InstanceLock
from qualite_app.storage.migrate import head_revision
from tests.helpers.base import copie_a_la_revision
from tests.helpers.cli import run, table_checksum


def assert_clean_failure(proc, *expected: str) -> None:  # type: ignore[no-untyped-def]
    """Non-zero exit, a French message on stderr that says ``expected``, never a traceback."""
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stderr.startswith(("qualite : ", "utilisation : qualite")), proc.stderr
    for english in ("usage:", "invalid choice", "expected one argument", "required:", "unrecognized"):
        assert english not in proc.stderr
    for word in expected:
        assert word in proc.stderr, proc.stderr
    assert "erreur inattendue" not in proc.stderr  # a bug, not a user error


def info_counts(db: Path) -> dict[str, int]:
    proc = run(["info", "--db", str(db)])
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    counts = {m[1]: int(m[2]) for m in re.finditer(r"^  (\w+)\s+(\d+)$", proc.stdout, re.M)}
    assert counts, proc.stdout
    return counts


def sqlite_counts(db: Path) -> dict[str, int]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
            )
            # the full-text indexes' FTS5 machinery (virtual tables and their shadow tables) is not data:
            # ``recherche``, the search index's own table, is counted
            if not hors_modele(r[0])
        ]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        con.close()


def test_version() -> None:
    proc = run(["--version"])
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"{APP_NAME} {__version__}"


def test_info_on_a_new_database_creates_and_migrates_it(tmp_path: Path) -> None:
    target = tmp_path / "nouvelle.sqlite"
    proc = run(["info", "--db", str(target)])
    assert proc.returncode == 0, proc.stderr
    assert f"Base de données : {target}" in proc.stdout
    assert f"Révision du schéma : {head_revision()} (dernière connue : {head_revision()})" in proc.stdout
    assert target.is_file()
    assert set(info_counts(target).values()) == {0}


def test_demo_then_info_row_counts(tmp_path: Path) -> None:
    target = tmp_path / "demo.sqlite"
    proc = run(["demo", "--db", str(target)])
    assert proc.returncode == 0, proc.stderr
    assert "Données de démonstration chargées" in proc.stdout
    assert re.search(r"Établissement, \d+ services, \d+ personnes", proc.stdout), proc.stdout

    counts = info_counts(target)
    assert counts == sqlite_counts(target)  # info tells the truth about the file
    assert counts["etablissement"] == 1
    assert counts["pole"] >= 8
    assert counts["service"] >= 20
    assert 50 <= counts["personne"] <= 80
    before = table_checksum(target)

    again = run(["demo", "--db", str(target)])  # idempotent
    assert again.returncode == 0, again.stderr
    assert "rien à ajouter" in again.stdout
    assert table_checksum(target) == before


def test_environment_variable_chooses_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "par-variable.sqlite"
    monkeypatch.setenv("QUALITE_DB", str(target))
    proc = run(["info"])
    assert proc.returncode == 0, proc.stderr
    assert f"Base de données : {target}" in proc.stdout


def test_backup_out_is_a_consistent_copy_and_restores(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "copies" / "sauvegarde.sqlite"
    proc = run(["backup", "--db", str(demo_file), "--out", str(out)])
    assert proc.returncode == 0, proc.stderr
    assert f"Sauvegarde écrite : {out}" in proc.stdout
    assert out.read_bytes()[:16] == b"SQLite format 3\x00"
    assert table_checksum(out) == table_checksum(demo_file)

    # restore it over an empty database: the content becomes the demo's, the old file is kept
    empty = tmp_path / "vide.sqlite"
    assert run(["info", "--db", str(empty)]).returncode == 0
    empty_sum = table_checksum(empty)
    proc = run(["restore", "--db", str(empty), str(out)])
    assert proc.returncode == 0, proc.stderr
    assert f"Base restaurée depuis {out}." in proc.stdout
    kept = Path(re.search(r"L'ancienne base est conservée ici : (.+)$", proc.stdout, re.M)[1])  # type: ignore[index]
    assert kept.is_file()
    assert table_checksum(kept) == empty_sum
    # the restored base journals its own restore (checked below), in the journal and its trigram index
    con = sqlite3.connect(empty)
    index = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE name LIKE 'journal_fts%'")]
    con.close()
    assert index  # migration 0019: the FTS5 table and its shadow tables
    skip = ("journal_audit", *index)
    assert table_checksum(empty, skip=skip) == table_checksum(demo_file, skip=skip)
    con = sqlite3.connect(empty)
    last = con.execute("SELECT action, nouvelle_valeur FROM journal_audit ORDER BY id DESC LIMIT 1").fetchone()
    con.close()
    assert last[0] == "restauration" and str(out) in last[1]


def test_backup_without_out_goes_to_the_backups_folder(demo_file: Path, tmp_path: Path) -> None:
    proc = run(["backup", "--db", str(demo_file)])
    assert proc.returncode == 0, proc.stderr
    written = Path(proc.stdout.strip().removeprefix("Sauvegarde écrite : "))
    assert written.parent == tmp_path / "donnees" / "sauvegardes"  # QUALITE_DATA_DIR of the test
    assert table_checksum(written) == table_checksum(demo_file)


def _not_a_database(folder: Path, demo: Path) -> Path:
    p = folder / "notes.sqlite"
    p.write_text("Compte rendu de la CME du 12 mars\n" * 200, encoding="utf-8")
    return p


def _truncated(folder: Path, demo: Path) -> Path:
    p = folder / "tronquee.sqlite"
    data = demo.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    return p


def _newer(folder: Path, demo: Path) -> Path:
    return copie_a_la_revision(demo, folder / "future.sqlite", "9999_version_future")


def _foreign_sqlite(folder: Path, demo: Path) -> Path:
    p = folder / "autre-logiciel.sqlite"
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE patients (id INTEGER PRIMARY KEY, nom TEXT)")
    con.execute("INSERT INTO patients (nom) VALUES ('x')")
    con.commit()
    con.close()
    return p


def _missing(folder: Path, demo: Path) -> Path:
    return folder / "introuvable.sqlite"


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_not_a_database, "n'est pas une base de données Qualité & Risques"),
        (_truncated, "est tronqué"),
        (_newer, "version plus récente"),
        (_foreign_sqlite, "pas une base Qualité & Risques"),
        (_missing, "n'existe pas"),
    ],
    ids=["pas-une-base", "tronquee", "version-plus-recente", "autre-sqlite", "absente"],
)
def test_restore_refuses_and_leaves_the_current_database_unchanged(
    make, expected: str, demo_file: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    source_folder = tmp_path / "a-restaurer"
    source_folder.mkdir()
    bad = make(source_folder, demo_file)
    before = table_checksum(demo_file)
    backups = tmp_path / "donnees" / "sauvegardes"
    kept_before = sorted(backups.glob("*")) if backups.exists() else []

    proc = run(["restore", "--db", str(demo_file), str(bad)])

    assert_clean_failure(proc, expected)
    assert bad.name in proc.stderr
    assert table_checksum(demo_file) == before
    kept_after = sorted(backups.glob("*")) if backups.exists() else []
    assert kept_after == kept_before  # refused before anything was copied or replaced


def test_restore_of_the_open_database_itself_is_refused(demo_file: Path) -> None:
    before = table_checksum(demo_file)
    proc = run(["restore", "--db", str(demo_file), str(demo_file)])
    assert_clean_failure(proc, "la base ouverte elle-même")
    assert table_checksum(demo_file) == before


def test_restore_while_another_instance_has_the_database_open(demo_file: Path, tmp_path: Path) -> None:
    source = tmp_path / "copie.sqlite"
    assert run(["backup", "--db", str(demo_file), "--out", str(source)]).returncode == 0
    before = table_checksum(demo_file)
    with InstanceLock.for_database(demo_file):  # what a running application holds
        proc = run(["restore", "--db", str(demo_file), str(source)])
    assert_clean_failure(proc, "déjà ouverte par une autre instance")
    assert table_checksum(demo_file) == before


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["commande-inconnue"], "choix invalide : 'commande-inconnue'"),
        (["backup", "--out"], "l'option --out attend une valeur"),
        (["restore"], "arguments obligatoires manquants : FICHIER"),
        (["info", "--inconnue"], "arguments non reconnus : --inconnue"),
        (["info", "--db", "{tmp}"], "est un dossier"),
        (["info", "--db", "{tmp}/texte.txt"], "n'est pas une base de données"),
        (
            ["backup", "--db", "{tmp}/b.sqlite", "--out", "{tmp}/b.sqlite"],
            "autre fichier que la base ouverte",
        ),
    ],
    ids=[
        "commande-inconnue",
        "option-sans-valeur",
        "argument-manquant",
        "option-inconnue",
        "dossier",
        "fichier-texte",
        "copie-sur-elle-meme",
    ],
)
def test_errors_are_french_messages_never_tracebacks(args: list[str], expected: str, tmp_path: Path) -> None:
    (tmp_path / "texte.txt").write_text("pas une base", encoding="utf-8")
    proc = run([a.replace("{tmp}", str(tmp_path)) for a in args])
    assert_clean_failure(proc, expected)
    assert proc.returncode in (1, 2)
    assert (tmp_path / "texte.txt").read_text(encoding="utf-8") == "pas une base"


def test_no_argument_opens_the_main_window(demo_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``qualite`` alone is the GUI: with QUALITE_SMOKE_TEST it quits once the main window has painted
    (``pages``: after building every area's page)."""
    from qualite_app.gui.pages import PAGES

    monkeypatch.setenv("QUALITE_SMOKE_TEST", "pages")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    proc = run(["--db", str(demo_file)])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"titre={demo_file.name} — {APP_NAME}" in proc.stdout
    assert "coeur_avant_peinture=non" in proc.stdout  # paint first: the core is imported after the first frame
    assert "QUALITE_SMOKE_TEST pages=" + ",".join(s.key for s in PAGES) in proc.stdout
    assert "Traceback" not in proc.stderr and "Error calling Python override" not in proc.stderr


def test_the_next_launch_shows_the_kept_home_page_first(
    demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first launch computes « Aujourd'hui » and keeps it; the next one (base unchanged) shows it before
    the base is opened, then opens it (every page still builds); a change to the base: computed again."""
    from qualite_app.gui.pages import PAGES

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setenv("QUALITE_SMOKE_TEST", "1")
    first = run(["--db", str(demo_file)])
    assert first.returncode == 0 and "accueil_memoire=non" in first.stdout, first.stdout + first.stderr
    # nothing kept: computed before the base was opened, without the core (``accueil/rapide.py``)
    assert "accueil_rapide=oui" in first.stdout and "coeur_avant_peinture=non" in first.stdout
    monkeypatch.setenv("QUALITE_SMOKE_TEST", "pages")
    again = run(["--db", str(demo_file)])
    assert again.returncode == 0, again.stdout + again.stderr
    assert "accueil_memoire=oui accueil_rapide=non" in again.stdout and "coeur_avant_peinture=non" in again.stdout
    assert "QUALITE_SMOKE_TEST pages=" + ",".join(s.key for s in PAGES) in again.stdout
    assert "Traceback" not in again.stderr
    from qualite_app.etablissement import annuaire
    from qualite_app.storage.database import Database

    with Database.open(demo_file) as db:
        annuaire.save_personne(db, annuaire.PersonneData(nom="Nouvelle", prenom="Personne"))
    monkeypatch.setenv("QUALITE_SMOKE_TEST", "1")
    changed = run(["--db", str(demo_file)])
    assert changed.returncode == 0 and "accueil_memoire=non accueil_rapide=oui" in changed.stdout, (
        changed.stdout + changed.stderr
    )


def test_main_window_on_an_empty_database_does_not_wait_for_a_dialog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALITE_SMOKE_TEST", "1")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    proc = run(["--db", str(tmp_path / "neuve.sqlite")], timeout=90)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "QUALITE_SMOKE_TEST fenetre_peinte=" in proc.stdout


def test_main_window_on_a_bad_file_fails_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALITE_SMOKE_TEST", "1")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    bad = tmp_path / "pas-une-base.sqlite"
    bad.write_text("bonjour", encoding="utf-8")
    proc = run(["--db", str(bad)], timeout=90)
    assert_clean_failure(proc, "n'est pas une base de données")
    assert bad.read_text(encoding="utf-8") == "bonjour"
