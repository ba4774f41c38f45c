"""Content-addressed file store: evidence, logos, signed PDFs live inside the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from qualite_app.models.base import Base, utcnow


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
