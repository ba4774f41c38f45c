"""journal : l'élément parent de chaque ligne (jalons, commentaires, équipe d'une action ; cibles, résultats d'un indicateur ; rôles d'une personne)

Revision ID: 0007_journal_parent
Revises: 0006_journal_chaine
Create Date: 2026-12-01 03:05:00

Plain ALTER TABLE … ADD COLUMN (no batch: it would drop the append-only triggers). Existing lines get
their parent from the child row when it still exists, else, for an action's children, from the
reference that starts their label (« PAQSS-2025-004 — … »), the only trace a deleted row left.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007_journal_parent'
down_revision = '0006_journal_chaine'
branch_labels = None
depends_on = None

_UPDATE_TRIGGER = ("CREATE TRIGGER journal_audit_sans_modification BEFORE UPDATE ON journal_audit "
                   "BEGIN SELECT RAISE(ABORT, 'Le journal ne peut pas être modifié.'); END")
#: child table → (its foreign key to the parent, the parent table)
_CHILDREN = {
    "paqss_jalon": ("action_id", "paqss_action"),
    "paqss_commentaire": ("action_id", "paqss_action"),
    "paqss_action_copilote": ("action_id", "paqss_action"),
    "paqss_action_service": ("action_id", "paqss_action"),
    "indicateur_cible": ("indicateur_id", "indicateur"),
    "indicateur_mesure": ("indicateur_id", "indicateur"),
    "indicateur_rebase": ("indicateur_id", "indicateur"),
    "indicateur_note": ("indicateur_id", "indicateur"),
    "personne_role": ("personne_id", "personne"),
}


def upgrade() -> None:
    op.add_column('journal_audit', sa.Column('parent_table', sa.String(length=60), nullable=True))
    op.add_column('journal_audit', sa.Column('parent_id', sa.Integer(), nullable=True))
    op.create_index('ix_journal_audit_parent', 'journal_audit', ['parent_table', 'parent_id'], unique=False)
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("DROP TRIGGER IF EXISTS journal_audit_sans_modification")
    for child, (fk, parent) in _CHILDREN.items():
        if child not in ("paqss_action_copilote", "paqss_action_service"):  # these have no id of their own
            op.execute(
                f"UPDATE journal_audit SET parent_table = '{parent}', parent_id = "
                f"(SELECT c.{fk} FROM {child} c WHERE c.id = journal_audit.entite_id) "
                f"WHERE entite_table = '{child}' AND entite_id IN (SELECT id FROM {child})"
            )
        if parent == "paqss_action":
            op.execute(
                "UPDATE journal_audit SET parent_table = 'paqss_action', parent_id = "
                "(SELECT a.id FROM paqss_action a WHERE journal_audit.entite_libelle LIKE a.reference || ' — %') "
                f"WHERE entite_table = '{child}' AND parent_id IS NULL"
            )
    if sqlite:
        op.execute(_UPDATE_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS journal_audit_sans_modification")
        op.execute("DROP TRIGGER IF EXISTS journal_audit_sans_suppression")
    op.drop_index('ix_journal_audit_parent', table_name='journal_audit')
    with op.batch_alter_table('journal_audit', schema=None) as batch_op:
        batch_op.drop_column('parent_id')
        batch_op.drop_column('parent_table')
    if op.get_bind().dialect.name == "sqlite":
        op.execute(_UPDATE_TRIGGER)
        op.execute("CREATE TRIGGER journal_audit_sans_suppression BEFORE DELETE ON journal_audit "
                   "BEGIN SELECT RAISE(ABORT, 'Le journal ne peut pas être supprimé.'); END")
