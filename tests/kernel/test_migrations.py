import sqlite3

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from qualite_app.areas import load_models
from qualite_app.etablissement import annuaire
from qualite_app.storage import index, migrate
from qualite_app.storage.base import Base
from qualite_app.storage.database import Database
from qualite_app.storage.engine import sqlite_url

load_models()
FIRST = "0001_fondation"


def test_one_linear_chain():
    script = migrate.script_directory()
    assert len(script.get_heads()) == 1
    assert len(script.get_bases()) == 1
    revs = list(script.walk_revisions())
    for rev in revs:
        assert not isinstance(rev.down_revision, tuple | list), f"{rev.revision} fusionne plusieurs branches"
    assert revs[-1].revision == FIRST
    assert len({r.revision for r in revs}) == len(revs)


def _declared(name, type_, _parents):  # type: ignore[no-untyped-def]
    """The search's FTS5 table and its shadow tables are made by migration 0016, not by a model."""
    return not (type_ == "table" and index.hors_modele(name))


def test_models_match_migrated_schema(tmp_path):
    engine = create_engine(sqlite_url(tmp_path / "schema.sqlite"))
    migrate.upgrade(engine)
    with engine.connect() as conn:
        opts = {"compare_type": True, "include_name": _declared}
        import warnings

        with warnings.catch_warnings():  # SQLite's expression indexes are not reflected: checked below
            warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index")
            warnings.filterwarnings("ignore", message="autogenerate skipping metadata-specified expression-based index")
            diff = compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata)
        (sql,) = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'ix_paqss_action_reference_ordre'").one()
        assert "length(reference), reference" in sql.replace('"', "")
        assert {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE name LIKE 'recherche_fts%'")} >= {
            "recherche_fts", "recherche_fts_data", "recherche_fts_idx", "recherche_fts_docsize", "recherche_fts_config"
        }  # fmt: skip
    assert diff == []


def test_upgrade_from_first_release_keeps_data(tmp_path):
    path = tmp_path / "ancienne.sqlite"
    engine = create_engine(sqlite_url(path))
    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, FIRST)
    engine.dispose()
    con = sqlite3.connect(path)
    con.execute(
        "INSERT INTO etablissement (id, raison_sociale, pays, finess_ej, cree_le, modifie_le) "
        "VALUES (1, 'CH ancien', 'FR', '019990015', '2025-01-01', '2025-01-01')"
    )
    con.execute(
        "INSERT INTO personne (id, nom, prenom, actif, cle_recherche, cree_le, modifie_le) "
        "VALUES (1, 'ANCIEN', 'Agent', 1, 'agent ancien', '2025-01-01', '2025-01-01')"
    )
    con.execute(
        "INSERT INTO journal_audit (horodatage, operation, utilisateur_os, utilisateur_nom, action, entite_type, "
        "entite_table, entite_id, entite_libelle, champ) VALUES ('2025-01-01', 'op', 'u', '', 'création', 'Personne', 'personne', 1, 'Agent ANCIEN', '')"
    )
    con.commit()
    con.close()
    with Database.open(path) as db:
        assert db.revision() == migrate.head_revision()
        assert [r.nom for r in annuaire.list_personnes(db, "ancien")] == ["ANCIEN"]
        if migrate.head_revision() != FIRST:
            assert db.migration_copy is not None and db.migration_copy.exists()
    con = sqlite3.connect(path)
    assert con.execute("SELECT finess_ej FROM etablissement").fetchone() == ("019990015",)
    assert con.execute("SELECT count(*) FROM journal_audit").fetchone() == (1,)
    con.close()
