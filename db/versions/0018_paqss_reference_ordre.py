"""PAQSS : un index dans l'ordre des références (longueur, puis texte) pour trouver la plus haute de l'année

Revision ID: 0018_paqss_reference_ordre
Revises: 0017_journal_element
Create Date: 2026-12-01 14:15:00

Creating an action looks up the highest references of its year (``ORDER BY length(reference) DESC,
reference DESC LIMIT 50``: PAQSS-2026-1000 comes after PAQSS-2026-999). Without an index in that order the
server read and sorted every reference of the table at each creation (0.5 to 1.2 ms at 1,100 actions,
growing with the programme); with it, both engines walk the index from its end and stop at the fiftieth.
An index only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_paqss_reference_ordre"
down_revision = "0017_journal_element"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_paqss_action_reference_ordre", "paqss_action", [sa.text("length(reference)"), "reference"])


def downgrade() -> None:
    op.drop_index("ix_paqss_action_reference_ordre", table_name="paqss_action")
