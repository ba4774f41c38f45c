"""journal : un index de trigrammes pour le filtre texte de l'Historique (FTS5 trigram sur SQLite, pg_trgm
sur PostgreSQL)

Revision ID: 0019_journal_trigrammes
Revises: 0018_paqss_reference_ordre
Create Date: 2026-12-01 15:50:00

The Historique's text filter looks for a substring in four columns of every journal line (libellé, champ,
ancienne et nouvelle valeur): a full scan, 150 to 300 ms on 124,000 lines (SQLite), 400 ms (PostgreSQL).
With an index of the lines' trigrams, only the lines holding every trigram of the text are read.

SQLite: an FTS5 table with external content (``journal_fts`` over ``journal_audit``), tokenizer
``trigram``, ``detail=none`` (the lines' ids per trigram, no positions: +13 % of the base at 124,000 lines
instead of +70 % with positions), kept in step by one trigger AFTER INSERT (the journal is append-only:
its rows are never updated nor deleted). The index is a sieve: the journal's own LIKE still decides
(``socle/journal.py``), so case and accents behave as before. Created only when the SQLite library knows
the trigram tokenizer (3.34 and later); without it, the filter scans as before.
PostgreSQL: the ``pg_trgm`` extension (« trusted » since PostgreSQL 13: the base's owner may create it) and a
GIN index on the four columns, which ILIKE uses as it is. When the extension cannot be created (not
installed on the server, or older server and no superuser), no index: the filter scans as before.
Existing journal lines are read, never written.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_journal_trigrammes"
down_revision = "0018_paqss_reference_ordre"
branch_labels = None
depends_on = None

FTS = "journal_fts"
COLONNES = ("entite_libelle", "champ", "ancienne_valeur", "nouvelle_valeur")
TRIGGER = (
    f"CREATE TRIGGER journal_fts_ajout AFTER INSERT ON journal_audit BEGIN "
    f"INSERT INTO {FTS}(rowid, {', '.join(COLONNES)}) VALUES (new.id, {', '.join('new.' + c for c in COLONNES)}); END"
)
PG_INDEX = "ix_journal_audit_trigrammes"


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        try:
            with conn.begin_nested():
                op.execute(
                    f"CREATE VIRTUAL TABLE {FTS} USING fts5({', '.join(COLONNES)}, content='journal_audit', "
                    "content_rowid='id', tokenize='trigram', detail=none)"
                )
        except sa.exc.OperationalError:  # SQLite before 3.34: no trigram tokenizer, the filter scans
            return
        op.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
        op.execute(TRIGGER)
    elif conn.dialect.name == "postgresql":
        try:
            with conn.begin_nested():
                op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except sa.exc.DBAPIError:  # not installed on the server, or not allowed: the filter scans
            return
        ops = ", ".join(f"{c} gin_trgm_ops" for c in COLONNES)
        op.execute(f"CREATE INDEX {PG_INDEX} ON journal_audit USING gin ({ops})")


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS journal_fts_ajout")
        op.execute(f"DROP TABLE IF EXISTS {FTS}")
    elif conn.dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")  # the extension stays: other objects may use it
