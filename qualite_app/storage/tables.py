"""The shared floor's tables: the audit journal, the content-addressed file store, generic links.

- ``journal_audit``: who, when, which item, which field, old → new. Append-only and chained.
- ``blob``: evidence, logos, signed PDFs live inside the database, addressed by SHA-256.
- ``lien``: any item ↔ any item (action ↔ indicator ↔ criterion ↔ event ↔ document).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column

from qualite_app.storage.base import Base, utcnow


class JournalAudit(Base):
    __tablename__ = "journal_audit"
    __table_args__ = (
        Index("ix_journal_audit_parent", "parent_table", "parent_id"),
        # the journal of one item (an action's tab, an event's history): migration 0017
        Index("ix_journal_audit_element", "entite_table", "entite_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    horodatage: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    #: groups the lines written by one user action (one transaction).
    operation: Mapped[str] = mapped_column(String(36), index=True)
    utilisateur_os: Mapped[str] = mapped_column(String(100))
    utilisateur_nom: Mapped[str] = mapped_column(String(200), default="")
    #: "création", "modification" or "suppression".
    action: Mapped[str] = mapped_column(String(20))
    entite_type: Mapped[str] = mapped_column(String(60), index=True)
    entite_table: Mapped[str] = mapped_column(String(60))
    entite_id: Mapped[int | None] = mapped_column()
    entite_libelle: Mapped[str] = mapped_column(String(300), default="")
    champ: Mapped[str] = mapped_column(String(100), default="")
    ancienne_valeur: Mapped[str | None] = mapped_column(Text)
    nouvelle_valeur: Mapped[str | None] = mapped_column(Text)
    #: the item this one belongs to (``__audit_parent__``): an action for its milestones, comments, team.
    #: An index for reading, outside the hash (it adds no fact: the line's own fields name the item).
    parent_table: Mapped[str | None] = mapped_column(String(60))
    parent_id: Mapped[int | None] = mapped_column()
    #: the chain (storage/chain.py): the previous line's hash, and this line's.
    empreinte_precedente: Mapped[str | None] = mapped_column(String(64))
    empreinte: Mapped[str | None] = mapped_column(String(64))


class Blob(Base):
    __tablename__ = "blob"
    __audit_type__ = "Fichier"
    __audit_fields__ = {"nom": "Nom", "sha256": "Empreinte SHA-256", "taille": "Taille (octets)"}
    __audit_skip__ = frozenset({"id", "cree_le", "contenu", "mime"})

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    nom: Mapped[str] = mapped_column(String(260))
    mime: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    taille: Mapped[int] = mapped_column()
    contenu: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    cree_le: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def audit_label(self) -> str:
        return self.nom


class Lien(Base):
    __tablename__ = "lien"
    __table_args__ = (
        UniqueConstraint("source_type", "source_id", "cible_type", "cible_id", name="uq_lien_extremites"),
    )
    __audit_type__ = "Lien"
    __audit_fields__ = {
        "source_type": "De (type)",
        "source_id": "De (n°)",
        "cible_type": "Vers (type)",
        "cible_id": "Vers (n°)",
        "nature": "Nature",
    }
    __audit_skip__ = frozenset({"id", "cree_le"})

    id: Mapped[int] = mapped_column(primary_key=True)
    #: table name of each end, e.g. "paqss_action", "indicateur", "blob".
    source_type: Mapped[str] = mapped_column(String(60), index=True)
    source_id: Mapped[int] = mapped_column(index=True)
    cible_type: Mapped[str] = mapped_column(String(60), index=True)
    cible_id: Mapped[int] = mapped_column(index=True)
    nature: Mapped[str] = mapped_column(String(60), default="lié à")
    cree_le: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def audit_label(self) -> str:
        return f"{self.source_type}#{self.source_id} → {self.cible_type}#{self.cible_id}"


class EntreeRecherche(Base):
    """The global search's index (storage/index.py): one row per searchable item, written at flush in the
    same transaction as the item. ``texte`` is folded (accents, case) and reduced to words; SQLite searches it
    through the FTS5 table ``recherche_fts`` (kept in step by triggers), PostgreSQL through a GIN index on
    ``to_tsvector('simple', texte)`` (both made by migration 0016)."""

    __tablename__ = "recherche"
    __table_args__ = (
        UniqueConstraint("source", "item_id", name="uq_recherche_item"),
        # PostgreSQL: « LIKE 'x%' » walks a text_pattern_ops index whatever the server's collation
        Index(
            "ix_recherche_reference",
            "source",
            "cle_reference",
            postgresql_ops={"cle_reference": "text_pattern_ops"},
        ),
        Index("ix_recherche_titre", "source", "cle_titre", postgresql_ops={"cle_titre": "text_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the item's table (« paqss_action », « evenement »…) and id
    source: Mapped[str] = mapped_column(String(60))
    item_id: Mapped[int] = mapped_column()
    #: what the result shows
    reference: Mapped[str] = mapped_column(String(300), default="")
    titre: Mapped[str] = mapped_column(String(300), default="")
    #: folded, for the ranking (reference, then title, starting with the text typed)
    cle_reference: Mapped[str] = mapped_column(String(120), default="")
    cle_titre: Mapped[str] = mapped_column(String(120), default="")
    #: folded words of the reference, title and texts: what the full-text index holds
    texte: Mapped[str] = mapped_column(Text, default="")
