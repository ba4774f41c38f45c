"""The journal's protection: the triggers that make ``journal_audit`` append-only on each engine, found
missing (dropped outside the application) and recreated, the event journaled."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from qualite_app.storage.audit import record_event

#: SQLite triggers that make the journal append-only (the same text as migrations 0001 and 0006).
TRIGGERS = {
    "journal_audit_sans_modification": "CREATE TRIGGER journal_audit_sans_modification BEFORE UPDATE ON journal_audit "
    "BEGIN SELECT RAISE(ABORT, 'Le journal ne peut pas être modifié.'); END",
    "journal_audit_sans_suppression": "CREATE TRIGGER journal_audit_sans_suppression BEFORE DELETE ON journal_audit "
    "BEGIN SELECT RAISE(ABORT, 'Le journal ne peut pas être supprimé.'); END",
}
#: the PostgreSQL triggers (the same text as migration 0009); their function is created by the migration
PG_TRIGGERS = {
    "journal_audit_sans_modification": "CREATE TRIGGER journal_audit_sans_modification BEFORE UPDATE ON journal_audit "
    "FOR EACH ROW EXECUTE FUNCTION journal_audit_immuable()",
    "journal_audit_sans_suppression": "CREATE TRIGGER journal_audit_sans_suppression BEFORE DELETE ON journal_audit "
    "FOR EACH ROW EXECUTE FUNCTION journal_audit_immuable()",
    "journal_audit_sans_vidage": "CREATE TRIGGER journal_audit_sans_vidage BEFORE TRUNCATE ON journal_audit "
    "FOR EACH STATEMENT EXECUTE FUNCTION journal_audit_immuable()",
}


def _triggers(connection: Any) -> dict[str, str]:
    return (
        PG_TRIGGERS
        if connection.dialect.name == "postgresql"
        else TRIGGERS
        if connection.dialect.name == "sqlite"
        else {}
    )


def missing_triggers(connection: Any) -> list[str]:
    dialect = connection.dialect.name
    if dialect == "sqlite":
        q = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'journal_audit'"
    elif dialect == "postgresql":
        if connection.execute(text("SELECT to_regprocedure('journal_audit_immuable()')")).scalar() is None:
            return []  # before migration 0009: nothing to restore yet
        q = "SELECT tgname FROM pg_trigger WHERE tgrelid = 'journal_audit'::regclass AND NOT tgisinternal"
    else:
        return []
    present = set(connection.execute(text(q)).scalars())
    return [name for name in _triggers(connection) if name not in present]


def restore_protection(session: Session) -> str | None:
    """Recreate the journal's missing triggers (someone dropped them with sqlite3) and journal the event;
    returns the message to show, or None when nothing was missing."""
    conn = session.connection()
    missing = missing_triggers(conn)
    if not missing:
        return None
    for name in missing:
        conn.execute(text(_triggers(conn)[name]))
    what = " et ".join(
        "l'interdiction de modifier" if "modification" in n else "l'interdiction de supprimer"
        for n in missing
    )
    message = (
        f"La protection du journal avait été retirée hors de l'application ({what} des lignes) : elle a été "
        "rétablie, et l'événement est inscrit au journal. Vérifiez le journal (Aide › Vérifier le journal)."
    )
    record_event(session, "sécurité", "Journal", "Protection du journal rétablie", message)
    return message
