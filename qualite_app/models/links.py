"""Generic links: any item ↔ any item (action ↔ indicator ↔ criterion ↔ event ↔ document)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from qualite_app.models.base import Base, utcnow


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
