from qualite_app import cli
from qualite_app.etablissement import annuaire
from qualite_app.storage.database import Database


def test_db_before_or_after_subcommand(tmp_path, capsys):
    """``--db`` is read before or after the subcommand (the demo itself is loaded by tests/e2e/test_cli.py)."""
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    assert cli.main(["--db", str(a), "info"]) == 0
    out = capsys.readouterr().out
    assert str(a) in out and "personne" in out and str(b) not in out
    assert cli.main(["info", "--db", str(b)]) == 0
    out = capsys.readouterr().out
    assert str(b) in out and str(a) not in out
    for f in (a, b):  # each command opened (created and migrated) the base it was given
        with Database.open(f) as db:
            assert annuaire.count(db) == 0


def test_user_error_is_french_on_stderr_with_nonzero_exit(tmp_path, capsys):
    bad = tmp_path / "texte.sqlite"
    bad.write_text("bonjour", encoding="utf-8")
    assert cli.main(["info", "--db", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "n'est pas une base de données" in err and "Traceback" not in err
