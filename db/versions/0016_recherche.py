"""recherche globale : l'index plein texte (table recherche, FTS5 sur SQLite, GIN sur PostgreSQL), rempli
depuis les lignes existantes

Revision ID: 0016_recherche
Revises: 0014_crise_exercices
Create Date: 2026-12-01 10:00:00

One row per searchable item (``storage/index.py`` keeps it in step at every flush). The rows of an
existing base are indexed here, from a frozen copy of the models' ``__recherche__`` declarations (what
each table showed and searched at this revision), with the application's own folding
(``rules.text.fold``: accents and case). SQLite: an FTS5 table with external content (``recherche``),
tokenizer ``unicode61 remove_diacritics 2``, prefix indexes of 2 to 10 characters (as-you-type: a word's
first letters read one list, not every word they begin; measured ×5 to ×15 faster for +20 % of index on
100,000 events), kept in step by three triggers. PostgreSQL: a GIN index on ``to_tsvector('simple', texte)`` (the text is folded already: no
``unaccent`` extension, which needs a superuser). And, for « Aujourd'hui » at scale, an index on
``evenement.eigs`` (the EIGS deadlines read the few EIGS, not every event).
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0016_recherche"
down_revision = "0015_versions"
branch_labels = None
depends_on = None

#: table → (reference column, title column, other text columns, condition): as at this revision
CATALOGUE: dict[str, tuple[str | None, str, tuple[str, ...], str]] = {
    "paqss_action": ("reference", "titre", ("description",), ""),
    "indicateur": ("code", "libelle", ("description",), ""),
    "certif_noeud": ("ref", "titre", ("description",), "type = 'critere' AND NOT retire"),
    "certif_preuve": (None, "titre", ("description",), ""),
    "evenement": ("reference", "faits", ("lieu", "consequences", "mesures_immediates", "declarant_role"), ""),
    "risque": ("reference", "danger", ("processus", "activite", "cause", "consequence"), ""),
    "crise_plan": (None, "nom", ("description",), ""),
    "crise_fiche": (None, "titre", ("mission",), ""),
    "personne": ("prenom", "nom", ("fonction", "email"), ""),  # shown as « Prénom NOM »
    "rapport_emis": ("reference", "titre", (), ""),
}

FTS = "recherche_fts"
TRIGGERS = (
    f"CREATE TRIGGER recherche_fts_ajout AFTER INSERT ON recherche BEGIN "
    f"INSERT INTO {FTS}(rowid, source, texte) VALUES (new.id, new.source, new.texte); END",
    f"CREATE TRIGGER recherche_fts_retrait AFTER DELETE ON recherche BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, source, texte) VALUES ('delete', old.id, old.source, old.texte); END",
    f"CREATE TRIGGER recherche_fts_modif AFTER UPDATE ON recherche BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, source, texte) VALUES ('delete', old.id, old.source, old.texte); "
    f"INSERT INTO {FTS}(rowid, source, texte) VALUES (new.id, new.source, new.texte); END",
)

_MOTS = re.compile(r"[a-z0-9]+")


def _court(texte: str, n: int) -> str:
    t = " ".join(texte.split())
    return t if len(t) <= n else t[: n - 1] + "…"


def _lignes(conn: Any, table: str) -> list[dict[str, Any]]:
    from qualite_app.rules.text import fold

    ref, titre, textes, cond = CATALOGUE[table]
    cols = [c for c in (ref, titre, *textes) if c]
    sql = f"SELECT id, {', '.join(cols)} FROM {table}" + (f" WHERE {cond}" if cond else "")
    out = []
    for row in conn.execute(sa.text(sql)).mappings():
        r = str(row[ref] or "") if ref else ""
        t = str(row[titre] or "")
        if table == "personne":
            r, t = f"{r} {t}".strip(), ""
        autres = " ".join(str(row[c]) for c in textes if row[c])
        out.append({
            "source": table, "item_id": row["id"], "reference": _court(r, 300), "titre": _court(t, 300),
            "cle_reference": fold(r)[:120], "cle_titre": fold(t)[:120],
            "texte": " ".join(_MOTS.findall(fold(f"{r} {t} {autres}"))),
        })  # fmt: skip
    return out


def upgrade() -> None:
    recherche = op.create_table(
        "recherche",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=60), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=300), nullable=False),
        sa.Column("titre", sa.String(length=300), nullable=False),
        sa.Column("cle_reference", sa.String(length=120), nullable=False),
        sa.Column("cle_titre", sa.String(length=120), nullable=False),
        sa.Column("texte", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recherche")),
        sa.UniqueConstraint("source", "item_id", name="uq_recherche_item"),
    )
    # PostgreSQL: « LIKE 'x%' » walks a text_pattern_ops index whatever the server's collation
    op.create_index("ix_recherche_reference", "recherche", ["source", "cle_reference"], unique=False,
                    postgresql_ops={"cle_reference": "text_pattern_ops"})  # fmt: skip
    op.create_index("ix_recherche_titre", "recherche", ["source", "cle_titre"], unique=False,
                    postgresql_ops={"cle_titre": "text_pattern_ops"})  # fmt: skip
    # « Aujourd'hui » at scale: the EIGS deadlines read the few EIGS, not 100,000 events
    op.create_index("ix_evenement_eigs", "evenement", ["eigs"], unique=False)
    conn = op.get_bind()
    tables = set(sa.inspect(conn).get_table_names())
    for table in CATALOGUE:
        if table in tables:
            rows = _lignes(conn, table)
            for i in range(0, len(rows), 5000):
                conn.execute(sa.insert(recherche), rows[i : i + 5000])
    if conn.dialect.name == "sqlite":
        op.execute(
            f"CREATE VIRTUAL TABLE {FTS} USING fts5(source, texte, content='recherche', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 2', prefix='2 3 4 5 6 7 8 9 10')"
        )
        op.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
        for trigger in TRIGGERS:
            op.execute(trigger)
    elif conn.dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_recherche_plein_texte ON recherche USING gin (to_tsvector('simple', texte))"
        )


def downgrade() -> None:
    op.drop_index("ix_evenement_eigs", table_name="evenement")
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for name in ("recherche_fts_ajout", "recherche_fts_retrait", "recherche_fts_modif"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"DROP TABLE IF EXISTS {FTS}")
    op.drop_table("recherche")
