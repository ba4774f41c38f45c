"""Establishment, pôles, services and the directory of people."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qualite_app.storage.base import Base, Timestamped, Versionne


class Etablissement(Versionne, Timestamped, Base):
    __tablename__ = "etablissement"
    __audit_type__ = "Établissement"
    __audit_fields__ = {
        "raison_sociale": "Raison sociale",
        "pays": "Pays / référentiel",
        "finess_ej": "FINESS EJ",
        "finess_et": "FINESS ET",
        "code_etablissement": "Code d'établissement",
        "adresse": "Adresse",
        "code_postal": "Code postal",
        "ville": "Ville",
        "telephone": "Téléphone",
        "chef_etablissement": "Chef d'établissement",
        "titre_chef": "Titre du chef d'établissement",
        "directeur_qualite": "Directeur·rice qualité",
        "logo_blob_id": "Logo",
    }

    raison_sociale: Mapped[str] = mapped_column(String(200))
    #: "FR" (HAS, FINESS) or "QC" (Agrément Canada, code d'établissement).
    pays: Mapped[str] = mapped_column(String(2), default="FR")
    finess_ej: Mapped[str | None] = mapped_column(String(9))
    finess_et: Mapped[str | None] = mapped_column(String(9))
    code_etablissement: Mapped[str | None] = mapped_column(String(20))
    adresse: Mapped[str | None] = mapped_column(String(300))
    code_postal: Mapped[str | None] = mapped_column(String(10))
    ville: Mapped[str | None] = mapped_column(String(120))
    telephone: Mapped[str | None] = mapped_column(String(30))
    chef_etablissement: Mapped[str | None] = mapped_column(String(200))
    titre_chef: Mapped[str | None] = mapped_column(String(100))
    directeur_qualite: Mapped[str | None] = mapped_column(String(200))
    logo_blob_id: Mapped[int | None] = mapped_column(ForeignKey("blob.id", ondelete="SET NULL"))

    def audit_label(self) -> str:
        return self.raison_sociale


class Pole(Versionne, Timestamped, Base):
    __tablename__ = "pole"
    __audit_type__ = "Pôle"
    __audit_fields__ = {"nom": "Nom", "code": "Code"}

    nom: Mapped[str] = mapped_column(String(150), unique=True)
    code: Mapped[str | None] = mapped_column(String(20))
    services: Mapped[list[Service]] = relationship(back_populates="pole", order_by="Service.nom")

    def audit_label(self) -> str:
        return self.nom


class Service(Versionne, Timestamped, Base):
    __tablename__ = "service"
    __audit_type__ = "Service"
    __audit_fields__ = {"nom": "Nom", "code": "Code", "pole_id": "Pôle", "secteur": "Secteur"}

    nom: Mapped[str] = mapped_column(String(150), unique=True)
    code: Mapped[str | None] = mapped_column(String(20))
    #: activity sector: MCO, SMR, PSY, HAD, EHPAD, MT (médico-technique), ADM.
    secteur: Mapped[str | None] = mapped_column(String(10))
    pole_id: Mapped[int | None] = mapped_column(ForeignKey("pole.id", ondelete="SET NULL"), index=True)
    pole: Mapped[Pole | None] = relationship(back_populates="services")

    def audit_label(self) -> str:
        return self.nom


class Personne(Versionne, Timestamped, Base):
    __tablename__ = "personne"
    __recherche__ = ("prenom", "nom", ("fonction", "email"))
    __audit_type__ = "Personne"
    __audit_skip__ = frozenset({"id", "cree_le", "modifie_le", "cle_recherche"})
    __audit_fields__ = {
        "civilite": "Civilité",
        "nom": "Nom",
        "prenom": "Prénom",
        "fonction": "Fonction",
        "service_id": "Service",
        "tel_fixe": "Téléphone fixe",
        "tel_mobile": "Téléphone mobile",
        "dect": "DECT / bip",
        "email": "Courriel",
        "actif": "Actif",
        "notes": "Notes",
        "identifiant": "Identifiant (serveur d'équipe)",
    }

    civilite: Mapped[str | None] = mapped_column(String(10))
    nom: Mapped[str] = mapped_column(String(100), index=True)
    prenom: Mapped[str] = mapped_column(String(100), default="")
    fonction: Mapped[str | None] = mapped_column(String(200))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id", ondelete="SET NULL"), index=True)
    tel_fixe: Mapped[str | None] = mapped_column(String(30))
    tel_mobile: Mapped[str | None] = mapped_column(String(30))
    dect: Mapped[str | None] = mapped_column(String(15))
    email: Mapped[str | None] = mapped_column(String(200))
    actif: Mapped[bool] = mapped_column(default=True)
    notes: Mapped[str | None] = mapped_column(Text)
    #: the person's login on the team's PostgreSQL server (a role): a pilot's rights follow it
    identifiant: Mapped[str | None] = mapped_column(String(63), unique=True, index=True)
    #: lowercase text without accents (names, function, e-mail, roles) so that "helene" finds "Hélène".
    cle_recherche: Mapped[str] = mapped_column(Text, default="")

    service: Mapped[Service | None] = relationship()
    roles: Mapped[list[RolePersonne]] = relationship(
        back_populates="personne", cascade="all, delete-orphan", order_by="RolePersonne.libelle"
    )

    @property
    def nom_complet(self) -> str:
        return f"{self.prenom} {self.nom}".strip()

    def recherche_entree(self) -> tuple[str, str, str] | None:
        """A person is found and shown as « Prénom NOM »."""
        entree = super().recherche_entree()
        return None if entree is None else (f"{entree[0]} {entree[1]}".strip(), "", entree[2])

    def audit_label(self) -> str:
        return self.nom_complet


class RolePersonne(Base):
    """A role a person holds (président de CME, représentant des usagers…): free label, suggested by a catalogue."""

    __tablename__ = "personne_role"
    __audit_type__ = "Rôle"
    __audit_parent__ = "personne_id"
    __audit_fields__ = {"libelle": "Rôle"}

    id: Mapped[int] = mapped_column(primary_key=True)
    personne_id: Mapped[int] = mapped_column(ForeignKey("personne.id", ondelete="CASCADE"), index=True)
    libelle: Mapped[str] = mapped_column(String(200))
    personne: Mapped[Personne] = relationship(back_populates="roles")

    def audit_label(self) -> str:
        p = self.personne
        return f"{p.nom_complet} — {self.libelle}" if p is not None else self.libelle
