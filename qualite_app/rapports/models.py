"""Registre des rapports émis, identités de signature et liste de confiance de l'établissement."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from qualite_app.storage.base import Base, Timestamped, utcnow


class RapportEmis(Base):
    """An issued report: never modified once written; a correction is a new row that names the one it replaces."""

    __tablename__ = "rapport_emis"
    __recherche__ = ("reference", "titre", ())
    __audit_type__ = "Rapport émis"
    __audit_fields__ = {
        "type_rapport": "Type de rapport",
        "titre": "Titre",
        "reference": "Référence",
        "empreinte_donnees": "Empreinte des données",
        "sha256": "Empreinte du PDF",
        "emis_le": "Émis le",
        "signataire": "Signataire",
        "signe_le": "Signé le",
        "identite": "Identité de signature",
        "destinataire": "Destinataire",
        "remplace_id": "Remplace le rapport",
    }
    __audit_skip__ = frozenset({"id", "parametres", "instantane", "pdf_blob_id", "emis_par"})

    id: Mapped[int] = mapped_column(primary_key=True)
    type_rapport: Mapped[str] = mapped_column(String(60), index=True)
    titre: Mapped[str] = mapped_column(String(300))
    #: unique (migration 0007): numbered by the register in the transaction that inserts the row
    reference: Mapped[str] = mapped_column(String(60), default="", unique=True, index=True)
    parametres: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    empreinte_donnees: Mapped[str] = mapped_column(String(64), default="")
    instantane: Mapped[dict[str, Any] | None] = deferred(mapped_column(JSON, nullable=True))
    pdf_blob_id: Mapped[int] = mapped_column(ForeignKey("blob.id", ondelete="RESTRICT"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    emis_le: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    emis_par: Mapped[str] = mapped_column(String(200), default="")
    signataire: Mapped[str | None] = mapped_column(String(300))
    signe_le: Mapped[datetime | None] = mapped_column(DateTime)
    identite: Mapped[str | None] = mapped_column(String(100))
    destinataire: Mapped[str] = mapped_column(String(300), default="")
    remplace_id: Mapped[int | None] = mapped_column(ForeignKey("rapport_emis.id", ondelete="SET NULL"), index=True)

    def audit_label(self) -> str:
        return f"{self.reference} {self.titre}".strip()


class IdentiteSignature(Timestamped, Base):
    """A way to sign, known by name. The PKCS#12 stays encrypted with its password, which is never stored."""

    __tablename__ = "identite_signature"
    __audit_type__ = "Identité de signature"
    __audit_fields__ = {
        "nom": "Nom",
        "genre": "Type",
        "signataire": "Signataire",
        "fonction": "Fonction",
        "empreinte_certificat": "Empreinte du certificat",
        "expire_le": "Expire le",
        "module_pkcs11": "Module PKCS#11",
        "emplacement": "Emplacement (slot)",
        "jeton": "Carte / jeton",
        "cle": "Clé",
        "actif": "Active",
    }
    __audit_skip__ = frozenset({"id", "cree_le", "modifie_le", "certificat", "pkcs12", "certificat_ca", "etiquette_certificat"})

    nom: Mapped[str] = mapped_column(String(100), unique=True)
    #: "pkcs12" (file issued by a PKI), "pkcs11" (smart card / token), "locale" (local signing authority).
    genre: Mapped[str] = mapped_column(String(10))
    signataire: Mapped[str] = mapped_column(String(200), default="")
    fonction: Mapped[str] = mapped_column(String(200), default="")
    certificat: Mapped[bytes | None] = mapped_column(LargeBinary)
    empreinte_certificat: Mapped[str | None] = mapped_column(String(64))
    expire_le: Mapped[datetime | None] = mapped_column(DateTime)
    pkcs12: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    certificat_ca: Mapped[bytes | None] = mapped_column(LargeBinary)
    module_pkcs11: Mapped[str | None] = mapped_column(String(500))
    emplacement: Mapped[int | None] = mapped_column()
    jeton: Mapped[str | None] = mapped_column(String(100))
    cle: Mapped[str | None] = mapped_column(String(100))
    etiquette_certificat: Mapped[str | None] = mapped_column(String(100))
    actif: Mapped[bool] = mapped_column(default=True)

    def audit_label(self) -> str:
        return self.nom


class CertificatConfiance(Base):
    """The establishment's trust list: certificates whose signatures are recognised on verification."""

    __tablename__ = "certificat_confiance"
    __audit_type__ = "Certificat de confiance"
    __audit_fields__ = {"nom": "Nom", "empreinte": "Empreinte SHA-256", "origine": "Origine", "expire_le": "Expire le"}
    __audit_skip__ = frozenset({"id", "certificat", "ajoute_le"})

    id: Mapped[int] = mapped_column(primary_key=True)
    nom: Mapped[str] = mapped_column(String(300))
    empreinte: Mapped[str] = mapped_column(String(64), unique=True)
    certificat: Mapped[bytes] = mapped_column(LargeBinary)
    origine: Mapped[str] = mapped_column(String(100), default="")
    expire_le: Mapped[datetime | None] = mapped_column(DateTime)
    ajoute_le: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def audit_label(self) -> str:
        return self.nom
