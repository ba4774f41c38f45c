"""journal : un index sur l'élément de chaque ligne (entite_table, entite_id)

Revision ID: 0017_journal_element
Revises: 0016_recherche
Create Date: 2026-12-01 13:00:00

The journal of one item (an action's *Journal* tab, an event's history) reads its lines by
``(entite_table, entite_id)`` or by ``(parent_table, parent_id)``; the second had an index (0007), the first
none: at hospital scale (124,000 lines) opening an action scanned the whole journal (≈ 100 ms). With both,
SQLite reads the two short lists (MULTI-INDEX OR) and PostgreSQL a BitmapOr. An index only: the
append-only triggers are untouched.
"""

from __future__ import annotations

from alembic import op

revision = "0017_journal_element"
down_revision = "0016_recherche"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_journal_audit_element", "journal_audit", ["entite_table", "entite_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_journal_audit_element", table_name="journal_audit")
