from qualite_app import cli
from qualite_app.etablissement import annuaire
from qualite_app.storage.database import Database


def test_db_before_or_after_subcommand(tmp_path, capsys):
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    assert cli.main(["--db", str(a), "demo"]) == 0
    assert cli.main(["demo", "--db", str(b)]) == 0
    for f in (a, b):
        with Database.open(f) as db:
            assert annuaire.count(db) > 50
    assert cli.main(["info", "--db", str(a)]) == 0
    out = capsys.readouterr().out
    assert str(a) in out and "personne" in out


def test_user_error_is_french_on_stderr_with_nonzero_exit(tmp_path, capsys):
    bad = tmp_path / "texte.sqlite"
    bad.write_text("bonjour", encoding="utf-8")
    assert cli.main(["info", "--db", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "n'est pas une base de données" in err and "Traceback" not in err
