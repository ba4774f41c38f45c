"""The audit journal: who, when, which item, which field, old → new. Append-only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from qualite_app.models.base import Base, utcnow


class JournalAudit(Base):
    __tablename__ = "journal_audit"

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
    #: the chain (storage/chain.py): the previous line's hash, and this line's.
    empreinte_precedente: Mapped[str | None] = mapped_column(String(64))
    empreinte: Mapped[str | None] = mapped_column(String(64))
