"""journal : chaîne d'empreintes (chaque ligne scelle la précédente)

Revision ID: 0006_journal_chaine
Revises: 0005_paqss_equipe
Create Date: 2026-12-01 03:00:00

The two columns are added with a plain ALTER TABLE ... ADD COLUMN (no batch: a batch on SQLite
recreates the table and would drop the append-only triggers). Existing lines are chained here with
a frozen copy of version 1 of the canonical form (qualite_app/storage/chain.py), so that this
migration keeps meaning the same thing whatever the application's code becomes.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = '0006_journal_chaine'
down_revision = '0005_paqss_equipe'
branch_labels = None
depends_on = None

_FIELDS = ("horodatage", "operation", "utilisateur_os", "utilisateur_nom", "action", "entite_type",
           "entite_table", "entite_id", "entite_libelle", "champ", "ancienne_valeur", "nouvelle_valeur")
_TRIGGERS = {
    "journal_audit_sans_modification": "CREATE TRIGGER journal_audit_sans_modification BEFORE UPDATE ON journal_audit "
    "BEGIN SELECT RAISE(ABORT, 'Le journal ne peut pas être modifié.'); END",
    "journal_audit_sans_suppression": "CREATE TRIGGER journal_audit_sans_suppression BEFORE DELETE ON journal_audit "
    "BEGIN SELECT RAISE(ABORT, 'Le journal ne peut pas être supprimé.'); END",
}


def _canonical(value):  # type: ignore[no-untyped-def]
    if isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and value[10:11] in (" ", "T") and value[13:14] == ":":
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.%f")
    return value


def _hash(previous: str, values) -> str:  # type: ignore[no-untyped-def]
    payload = json.dumps([_canonical(v) for v in values], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((previous + "\n" + payload).encode("utf-8")).hexdigest()


def upgrade() -> None:
    op.add_column('journal_audit', sa.Column('empreinte_precedente', sa.String(length=64), nullable=True))
    op.add_column('journal_audit', sa.Column('empreinte', sa.String(length=64), nullable=True))
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        op.execute("DROP TRIGGER IF EXISTS journal_audit_sans_modification")
    journal = sa.table("journal_audit", sa.column("id"), *(sa.column(f) for f in _FIELDS))
    rows = bind.execute(sa.select(journal.c.id, *(journal.c[f] for f in _FIELDS)).order_by(journal.c.id)).all()
    previous, updates = "", []
    for r in rows:
        h = _hash(previous, r[1:])
        updates.append({"k": r[0], "p": previous, "h": h})
        previous = h
    if updates:
        bind.execute(
            sa.text("UPDATE journal_audit SET empreinte_precedente = :p, empreinte = :h WHERE id = :k"), updates
        )
    if sqlite:
        op.execute(_TRIGGERS["journal_audit_sans_modification"])


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table('journal_audit', schema=None) as batch_op:
        batch_op.drop_column('empreinte')
        batch_op.drop_column('empreinte_precedente')
    if bind.dialect.name == "sqlite":
        for sql in _TRIGGERS.values():
            op.execute(sql)
