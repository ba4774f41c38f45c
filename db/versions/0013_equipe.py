"""mode équipe : identifiant de connexion d'une personne, version d'une action PAQSS

Revision ID: 0013_equipe
Revises: 0012_crise
Create Date: 2026-12-01 05:15:00

- ``personne.identifiant``: the login of a person on the team's server (a PostgreSQL role): it ties the
  directory to the server's accounts, so that a pilot's rights follow the actions he pilots.
- ``paqss_action.version``: incremented by every save; a save made from an older version is refused
  (optimistic locking: two people editing the same action never overwrite each other silently).
Plain ADD COLUMN on both engines (no batch: SQLite keeps its tables, triggers and indexes as they are).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_equipe"
down_revision = "0012_crise"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("personne", sa.Column("identifiant", sa.String(length=63), nullable=True))
    op.create_index("ix_personne_identifiant", "personne", ["identifiant"], unique=True)
    op.add_column("paqss_action", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("paqss_action") as b:
        b.drop_column("version")
    op.drop_index("ix_personne_identifiant", table_name="personne")
    with op.batch_alter_table("personne") as b:
        b.drop_column("identifiant")
