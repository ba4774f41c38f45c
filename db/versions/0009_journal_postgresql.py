"""journal d'audit en ajout seul sur PostgreSQL aussi

Revision ID: 0009_journal_postgresql
Revises: 0008_rapport_reference_unique
Create Date: 2026-12-01 05:00:00

SQLite has had its two triggers since 0001 (re-created by 0006). On PostgreSQL the journal could be
changed by any SQL: here one trigger function refuses UPDATE and DELETE row by row, and TRUNCATE for
the table, with the same French words. Nothing changes on SQLite.
"""

from __future__ import annotations

from alembic import op

revision = "0009_journal_postgresql"
down_revision = "0008_rapport_reference_unique"
branch_labels = None
depends_on = None

FUNCTION = """
CREATE OR REPLACE FUNCTION journal_audit_immuable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'Le journal ne peut pas être supprimé.' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RAISE EXCEPTION 'Le journal ne peut pas être modifié.' USING ERRCODE = 'insufficient_privilege';
END
$$
"""
TRIGGERS = {
    "journal_audit_sans_modification": "CREATE TRIGGER journal_audit_sans_modification BEFORE UPDATE ON journal_audit "
    "FOR EACH ROW EXECUTE FUNCTION journal_audit_immuable()",
    "journal_audit_sans_suppression": "CREATE TRIGGER journal_audit_sans_suppression BEFORE DELETE ON journal_audit "
    "FOR EACH ROW EXECUTE FUNCTION journal_audit_immuable()",
    "journal_audit_sans_vidage": "CREATE TRIGGER journal_audit_sans_vidage BEFORE TRUNCATE ON journal_audit "
    "FOR EACH STATEMENT EXECUTE FUNCTION journal_audit_immuable()",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)
    for name, sql in TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON journal_audit")
        op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON journal_audit")
    op.execute("DROP FUNCTION IF EXISTS journal_audit_immuable()")
