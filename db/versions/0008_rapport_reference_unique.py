"""registre des rapports : référence unique

Revision ID: 0008_rapport_reference_unique
Revises: 0007_journal_parent
Create Date: 2026-12-01 04:00:00

Before this revision a report's number was « count of the kind this year + 1 », read outside the
inserting transaction, and the bilan PAQSS and the dashboard shared the prefix RAP: two rows could
carry the same reference. Duplicates are renumbered first: the oldest row (lowest id) keeps its
reference, each later one takes the next free number of its prefix and year, and its former reference
is kept in its parameters (``reference_initiale``) since its PDF still prints it. An empty or
unparseable reference gets a RAP number of the year it was issued.

Then a UNIQUE index on ``rapport_emis.reference``. A plain CREATE UNIQUE INDEX (no batch): SQLite
keeps the table as it is, so no row, key, index or trigger is recreated or lost.
"""

from __future__ import annotations

import json
import re

import sqlalchemy as sa
from alembic import op

revision = '0008_rapport_reference_unique'
down_revision = '0007_journal_parent'
branch_labels = None
depends_on = None

_REF = re.compile(r"(.+)-(\d{4})-(\d+)")


def renumber(conn: sa.engine.Connection) -> list[tuple[int, str, str]]:
    """Give every duplicate (or empty) reference a free number; returns (id, old, new) for each change."""
    rows = conn.execute(sa.text("SELECT id, reference, emis_le, parametres FROM rapport_emis ORDER BY id")).all()
    used = {r.reference for r in rows}
    highest: dict[tuple[str, str], int] = {}
    for r in rows:
        m = _REF.fullmatch(r.reference or "")
        if m:
            key = (m.group(1), m.group(2))
            highest[key] = max(highest.get(key, 0), int(m.group(3)))
    seen: set[str] = set()
    changes = []
    for r in rows:
        ref = r.reference or ""
        if ref and ref not in seen:
            seen.add(ref)
            continue
        m = _REF.fullmatch(ref)
        key = (m.group(1), m.group(2)) if m else ("RAP", str(r.emis_le)[:4])
        n = highest.get(key, 0)
        new = ""
        while not new or new in used:
            n += 1
            new = f"{key[0]}-{key[1]}-{n:04d}"
        highest[key] = n
        used.add(new)
        seen.add(new)
        try:
            params = json.loads(r.parametres) if r.parametres else {}
        except ValueError:
            params = {}
        if not isinstance(params, dict):
            params = {"parametres": params}
        params["reference_initiale"] = ref
        conn.execute(
            sa.text("UPDATE rapport_emis SET reference = :ref, parametres = :p WHERE id = :id"),
            {"ref": new, "p": json.dumps(params, ensure_ascii=False), "id": r.id},
        )
        changes.append((r.id, ref, new))
    return changes


def upgrade() -> None:
    renumber(op.get_bind())
    op.create_index(op.f('ix_rapport_emis_reference'), 'rapport_emis', ['reference'], unique=True)


def downgrade() -> None:
    op.drop_index(op.f('ix_rapport_emis_reference'), table_name='rapport_emis')
