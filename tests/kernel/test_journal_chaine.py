"""Issue 8, points 18 and 19 — the journal proves itself, and reads the same everywhere."""

from __future__ import annotations

import sqlite3
import time
import uuid
from datetime import datetime
from pathlib import Path

import pytest

from qualite_app import cli
from qualite_app.socle import journal
from qualite_app.storage import audit, chain
from qualite_app.storage.database import Database
from tests.helpers.base import TEST_ACTOR


def _sql(path: Path, *statements: str) -> None:
    """What anyone with the sqlite3 tool can do to the file."""
    con = sqlite3.connect(path)
    try:
        for st in statements:
            con.execute(st)
        con.commit()
    finally:
        con.close()


def _verify(path: Path) -> chain.VerificationJournal:
    with Database.open(path, actor=TEST_ACTOR) as db:
        return journal.verify(db)


def test_the_demo_journal_is_chained_and_intact(demo_db: Database) -> None:
    report = journal.verify(demo_db)
    assert report.intact, report.resume()
    assert report.lignes == demo_db.row_counts()["journal_audit"] > 1000
    assert report.resume().startswith("Journal intact")


def test_a_line_edited_with_sqlite3_is_found(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _sql(
        demo_file,
        "DROP TRIGGER journal_audit_sans_modification",
        "UPDATE journal_audit SET nouvelle_valeur = 'Réalisée' WHERE id = 200",
    )
    code = cli.main(["journal", "verify", "--db", str(demo_file)])
    out = capsys.readouterr()
    assert code == 1
    assert "JOURNAL ALTÉRÉ" in out.out and "ligne n° 200" in out.out and "modifiée" in out.out
    report = _verify(demo_file)
    assert report.premiere is not None and (report.premiere.ligne, report.premiere.nature) == (200, "modifiée")
    assert len(report.anomalies) == 1  # the next lines still link to the stored hash: one anomaly, named


def test_a_deleted_line_is_found(demo_file: Path) -> None:
    _sql(demo_file, "DROP TRIGGER journal_audit_sans_suppression", "DELETE FROM journal_audit WHERE id = 300")
    report = _verify(demo_file)
    assert report.premiere is not None
    assert (report.premiere.ligne, report.premiere.nature) == (301, "manquante")


def test_a_back_dated_line_is_found_even_with_a_well_formed_hash(demo_file: Path) -> None:
    """The forger knows the algorithm and chains the line properly: its date still betrays it."""
    con = sqlite3.connect(demo_file)
    tip = con.execute("SELECT empreinte FROM journal_audit ORDER BY id DESC LIMIT 1").fetchone()[0]
    values = [datetime(2024, 1, 15, 9, 0), str(uuid.uuid4()), "pirate", "", "modification", "Action PAQSS",
              "paqss_action", 1, "Action", "Statut", "en_cours", "realisee"]  # fmt: skip
    h = chain.line_hash(tip, values)
    cols = ", ".join((*chain.FIELDS, "empreinte_precedente", "empreinte"))
    stored = [v.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(v, datetime) else v for v in values]
    con.execute(f"INSERT INTO journal_audit ({cols}) VALUES ({', '.join('?' * 14)})", (*stored, tip, h))
    con.commit()
    con.close()
    report = _verify(demo_file)
    assert [a.nature for a in report.anomalies] == ["antidatée"]
    assert "15/01/2024" in report.anomalies[0].message


def test_missing_triggers_are_recreated_at_opening_journaled_and_shown(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _sql(demo_file, "DROP TRIGGER journal_audit_sans_suppression", "DROP TRIGGER journal_audit_sans_modification")
    with Database.open(demo_file, actor=TEST_ACTOR) as db:
        assert db.alerts and "protection du journal" in db.alerts[0]
        last = journal.list_entries(db, limite=1)[0]
        assert (last.action, last.entite_libelle) == ("sécurité", "Protection du journal rétablie")
        assert journal.verify(db).intact
    con = sqlite3.connect(demo_file)
    with pytest.raises(sqlite3.DatabaseError, match="ne peut pas être supprimé"):
        con.execute("DELETE FROM journal_audit WHERE id = 1")
    con.close()
    # the command line tells it too (on stderr), once: the next opening finds the triggers in place
    _sql(demo_file, "DROP TRIGGER journal_audit_sans_suppression")
    assert cli.main(["info", "--db", str(demo_file)]) == 0
    assert "attention : La protection du journal" in capsys.readouterr().err
    assert cli.main(["info", "--db", str(demo_file)]) == 0
    assert "attention" not in capsys.readouterr().err


def test_migration_chains_the_lines_written_before_it(tmp_path: Path) -> None:
    from qualite_app.storage import migrate
    from qualite_app.storage.engine import make_engine, sqlite_url

    path = tmp_path / "ancienne.sqlite"
    engine = make_engine(sqlite_url(path))
    migrate.upgrade(engine, revision="0005_paqss_equipe")
    engine.dispose()
    _sql(
        path,
        "INSERT INTO journal_audit (horodatage, operation, utilisateur_os, utilisateur_nom, action, entite_type, entite_table, "
        "entite_id, entite_libelle, champ, ancienne_valeur, nouvelle_valeur) VALUES "
        "('2025-03-01 08:00:00.000000', 'a', 'dq', '', 'création', 'Personne', 'personne', 1, 'Hélène', '', NULL, 'Nom : X'),"
        "('2025-03-02 08:00:00.000000', 'b', 'dq', '', 'modification', 'Personne', 'personne', 1, 'Hélène', 'Nom', 'X', 'Y')",
    )
    with Database.open(path, actor=TEST_ACTOR) as db:
        report = journal.verify(db)
        assert report.intact and report.lignes == 2
        with db.unit_of_work() as s:
            audit.record_event(s, "test", "Essai", "après migration")
        assert journal.verify(db).intact and journal.verify(db).lignes == 3


@pytest.mark.sqlite_only
def test_each_timestamp_is_converted_with_its_own_dates_offset(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    try:
        _sql(
            db.path,  # type: ignore[arg-type]
            "INSERT INTO journal_audit (horodatage, operation, utilisateur_os, utilisateur_nom, action, entite_type, entite_table, "
            "entite_libelle, champ) VALUES ('2026-07-01 10:00:00.000000', 'e', 'dq', '', 'création', 'Essai', 't', 'été', ''),"
            "('2026-12-01 10:00:00.000000', 'h', 'dq', '', 'création', 'Essai', 't', 'hiver', '')",
        )
        rows = {r.entite_libelle: r.horodatage for r in journal.list_entries(db, entite_type="Essai")}
        assert rows["été"] == datetime(2026, 7, 1, 12, 0)  # UTC+2 in summer
        assert rows["hiver"] == datetime(2026, 12, 1, 11, 0)  # UTC+1 in winter
        from datetime import date

        # the period filter takes local days, each with its own offset too
        assert [r.entite_libelle for r in journal.list_entries(db, entite_type="Essai", du=date(2026, 7, 1), au=date(2026, 7, 1))] == ["été"]
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


# --- issue 9: an item's history finds its children by a parent key, never by matching a label -----
def test_an_actions_history_keeps_its_milestones_after_the_reference_changes(demo_db: Database) -> None:
    from qualite_app.paqss import services as paqss

    row = next(r for r in paqss.list_actions(demo_db, paqss.ActionFilter()) if r.statut == "en_cours")
    data = paqss.get_action(demo_db, row.id)
    data.jalons.append(paqss.JalonData(libelle="Jalon témoin n° 4242", echeance=data.echeance))
    paqss.save_action(demo_db, data, confirme=True)
    data = paqss.get_action(demo_db, row.id)
    data.reference = data.reference + "-BIS"  # the label the old lines carry no longer matches
    data.jalons = [j for j in data.jalons if j.libelle != "Jalon témoin n° 4242"]
    paqss.save_action(demo_db, data, confirme=True)
    lines = [(j.action, j.entite_type) for j in paqss.journal(demo_db, row.id)]
    assert ("création", "Jalon PAQSS") in lines and ("suppression", "Jalon PAQSS") in lines
    other = next(r for r in paqss.list_actions(demo_db, paqss.ActionFilter()) if r.id != row.id)
    assert ("création", "Jalon PAQSS") not in [(j.action, j.entite_type) for j in paqss.journal(demo_db, other.id) if "Jalon témoin n° 4242" in j.nouvelle_valeur]


def test_migration_gives_older_lines_their_parent(tmp_path: Path) -> None:
    from qualite_app.storage import migrate
    from qualite_app.storage.engine import make_engine, sqlite_url

    path = tmp_path / "avant-parent.sqlite"
    engine = make_engine(sqlite_url(path))
    migrate.upgrade(engine, revision="0006_journal_chaine")
    engine.dispose()
    _sql(
        path,
        "INSERT INTO paqss_programme (id, nom, debut, fin, cree_le, modifie_le) VALUES (1, 'P', '2026-01-01', '2026-12-31', '2026-01-01', '2026-01-01')",
        "INSERT INTO paqss_axe (id, programme_id, code, titre, ordre, cree_le, modifie_le) VALUES (1, 1, 'A1', 'Axe', 1, '2026-01-01', '2026-01-01')",
        "INSERT INTO paqss_objectif (id, axe_id, code, titre, ordre, cree_le, modifie_le) VALUES (1, 1, 'O1', 'Obj', 1, '2026-01-01', '2026-01-01')",
        "INSERT INTO paqss_action (id, objectif_id, reference, titre, source, priorite, statut, avancement, cle_recherche, cree_le, modifie_le) "
        "VALUES (7, 1, 'PAQSS-2026-007', 'Action', 'autre', 2, 'a_lancer', 0, '', '2026-01-01', '2026-01-01')",
        "INSERT INTO paqss_jalon (id, action_id, libelle, fait, cree_le, modifie_le) VALUES (3, 7, 'Jalon', 0, '2026-01-01', '2026-01-01')",
        "INSERT INTO journal_audit (horodatage, operation, utilisateur_os, utilisateur_nom, action, entite_type, entite_table, entite_id, "
        "entite_libelle, champ) VALUES ('2026-01-01 08:00:00.000000', 'a', 'dq', '', 'création', 'Jalon PAQSS', 'paqss_jalon', 3, "
        "'PAQSS-2026-007 — Jalon', ''), ('2026-01-02 08:00:00.000000', 'b', 'dq', '', 'suppression', 'Copilote d''action PAQSS', "
        "'paqss_action_copilote', NULL, 'PAQSS-2026-007 — Action : Dr Martin', '')",
    )
    with Database.open(path, actor=TEST_ACTOR) as db:
        lines = {(r.action, r.entite_type) for r in journal.list_entries(db, item=("paqss_action", 7))}
    assert lines == {("création", "Jalon PAQSS"), ("suppression", "Copilote d'action PAQSS")}


def test_protection_dropped_by_sql_is_restored_at_opening_on_either_engine(demo_db: Database) -> None:
    """The same guard on SQLite (triggers of 0001/0006) and PostgreSQL (trigger function of 0009): someone
    with SQL access drops the protection; the next opening puts it back, journals it and says so."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    pg = demo_db.engine.dialect.name == "postgresql"
    with demo_db.engine.begin() as conn:
        for name in ("journal_audit_sans_modification", "journal_audit_sans_suppression"):
            conn.execute(text(f"DROP TRIGGER {name} ON journal_audit" if pg else f"DROP TRIGGER {name}"))
    where = demo_db.location
    demo_db.close()
    with Database.open(where, actor=TEST_ACTOR) as db:
        assert db.alerts and "protection du journal avait été retirée" in db.alerts[0]
        assert journal.list_entries(db)[0].entite_libelle == "Protection du journal rétablie"
        with db.engine.begin() as conn, pytest.raises(DBAPIError, match="Le journal ne peut pas être modifié"):
            conn.execute(text("UPDATE journal_audit SET champ = 'x'"))
