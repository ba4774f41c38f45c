"""crise : cycle des exercices réglable par plan (au moins un exercice tous les N mois, 12 par défaut)

Revision ID: 0014_crise_exercices
Revises: 0013_equipe
Create Date: 2026-12-01 05:05:00

A plain ADD COLUMN with a server default (no batch rebuild of the table): existing plans get 12 months.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_crise_exercices"
down_revision = "0013_equipe"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "crise_plan", sa.Column("cycle_exercice_mois", sa.Integer(), nullable=False, server_default="12")
    )


def downgrade() -> None:
    with op.batch_alter_table("crise_plan", schema=None) as batch_op:
        batch_op.drop_column("cycle_exercice_mois")
