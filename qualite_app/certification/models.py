"""Certification: référentiels (data, upserted by URN), campaigns and their answers, evaluation sessions,
the evidence store (files in the blob store or links to items of the app, versions, the criteria served).

A référentiel is a flat list of nodes (chapter → objective → criterion → element d'évaluation) identified
by URN: loading a newer version updates the nodes in place, so answers and evidence stay attached; a node
the new version no longer holds is kept, marked ``retire``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qualite_app.certification import rules
from qualite_app.etablissement.models import Personne
from qualite_app.storage.base import Base, Timestamped, Versionne, VersionneLigne, utcnow


class CertifReferentiel(Timestamped, Base):
    __tablename__ = "certif_referentiel"
    __audit_type__ = "Référentiel de certification"
    __audit_fields__ = {
        "urn": "URN",
        "version": "Version",
        "nom": "Nom",
        "editeur": "Éditeur",
        "date_publication": "Publié le",
        "langue": "Langue",
        "sha256": "Empreinte SHA-256 du fichier",
        "empreinte_source": "Empreinte de la source",
        "format_source": "Format du fichier",
    }

    urn: Mapped[str] = mapped_column(String(300), unique=True)
    version: Mapped[str] = mapped_column(String(40))
    nom: Mapped[str] = mapped_column(String(300))
    editeur: Mapped[str] = mapped_column(String(300), default="")
    date_publication: Mapped[date | None] = mapped_column(Date)
    langue: Mapped[str] = mapped_column(String(10), default="fr")
    sha256: Mapped[str] = mapped_column(String(64))
    empreinte_source: Mapped[str | None] = mapped_column(String(64))
    #: « qualite » (our YAML) or « ciso » (a CISO Assistant library)
    format_source: Mapped[str] = mapped_column(String(20), default="qualite")
    noeuds: Mapped[list[CertifNoeud]] = relationship(
        back_populates="referentiel", cascade="all, delete-orphan"
    )

    def audit_label(self) -> str:
        return f"{self.nom} ({self.version})"


class CertifNoeud(Timestamped, Base):
    """A chapter, objective, criterion or element d'évaluation (or an assessable node of another library)."""

    __tablename__ = "certif_noeud"
    __recherche__ = ("ref", "titre", ("description",))
    __table_args__ = (UniqueConstraint("referentiel_id", "urn", name="uq_certif_noeud_urn"),)
    __audit_type__ = "Nœud de référentiel"
    __audit_parent__ = "referentiel_id"
    __audit_values__ = {"niveau": rules.NIVEAUX, "type": rules.TYPES}
    __audit_fields__ = {
        "ref": "Référence",
        "titre": "Intitulé",
        "description": "Description",
        "type": "Type",
        "niveau": "Niveau",
        "cibles": "Cibles",
        "methodes": "Méthodes",
        "champ": "Champ",
        "evaluable": "Évaluable",
        "retire": "Retiré du référentiel",
        "niveau_modifie": "Niveau modifié par l'établissement",
    }
    __audit_skip__ = frozenset(
        {"id", "cree_le", "modifie_le", "referentiel_id", "parent_id", "ordre", "profondeur", "urn"}
    )

    referentiel_id: Mapped[int] = mapped_column(
        ForeignKey("certif_referentiel.id", ondelete="CASCADE"), index=True
    )
    urn: Mapped[str] = mapped_column(String(300))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("certif_noeud.id", ondelete="SET NULL"), index=True
    )
    profondeur: Mapped[int] = mapped_column(Integer, default=1)
    ordre: Mapped[int] = mapped_column(Integer, default=0)
    #: a code of rules.TYPES
    type: Mapped[str] = mapped_column(String(20), index=True)
    ref: Mapped[str] = mapped_column(String(60), default="")
    titre: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str | None] = mapped_column(Text)
    #: a code of rules.NIVEAUX (criteria); None elsewhere
    niveau: Mapped[str | None] = mapped_column(String(20), index=True)
    #: the director changed the level: a new version of the référentiel does not overwrite it
    niveau_modifie: Mapped[bool] = mapped_column(Boolean, default=False)
    cibles: Mapped[list[str]] = mapped_column(JSON, default=list)
    methodes: Mapped[list[str]] = mapped_column(JSON, default=list)
    champ: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: answers are given on assessable nodes (elements d'évaluation; CISO Assistant's « assessable »)
    evaluable: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    retire: Mapped[bool] = mapped_column(Boolean, default=False)
    #: CISO Assistant's extra fields (annotation, typical evidence, implementation groups)
    extras: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    referentiel: Mapped[CertifReferentiel] = relationship(back_populates="noeuds")

    def recherche_entree(self) -> tuple[str, str, str] | None:
        """Only the criteria still in the référentiel are searched (not chapters, objectives, retired ones)."""
        return super().recherche_entree() if self.type == "critere" and not self.retire else None

    def audit_label(self) -> str:
        return f"{self.ref} {self.titre}".strip()[:300]


class CertifCampagne(Versionne, Timestamped, Base):
    __tablename__ = "certif_campagne"
    __audit_type__ = "Campagne d'autoévaluation"
    __audit_fields__ = {
        "nom": "Nom",
        "referentiel_id": "Référentiel",
        "debut": "Début",
        "fin": "Fin",
        "date_visite": "Date de la visite",
        "sites": "Sites",
        "secteurs": "Secteurs",
        "seuils": "Seuils de décision",
    }

    nom: Mapped[str] = mapped_column(String(200), unique=True)
    referentiel_id: Mapped[int] = mapped_column(
        ForeignKey("certif_referentiel.id", ondelete="CASCADE"), index=True
    )
    #: the référentiel's version when the campaign was opened
    version_referentiel: Mapped[str] = mapped_column(String(40), default="")
    debut: Mapped[date | None] = mapped_column(Date)
    fin: Mapped[date | None] = mapped_column(Date)
    date_visite: Mapped[date | None] = mapped_column(Date)
    sites: Mapped[str] = mapped_column(Text, default="")
    secteurs: Mapped[str] = mapped_column(Text, default="")
    #: decision thresholds (rules.Seuils as a dict); None = the defaults
    seuils: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    referentiel: Mapped[CertifReferentiel] = relationship()

    def audit_label(self) -> str:
        return self.nom


class CertifSession(Versionne, Timestamped, Base):
    """An evaluation session (internal patient traceur, parcours traceur, audit système…) and its answers."""

    __tablename__ = "certif_session"
    __audit_type__ = "Séance d'évaluation"
    __audit_parent__ = "campagne_id"
    __audit_values__ = {"methode": rules.METHODES}
    __audit_fields__ = {
        "methode": "Méthode",
        "date": "Date",
        "equipe": "Équipe",
        "service": "Service",
        "notes": "Notes",
    }

    campagne_id: Mapped[int] = mapped_column(ForeignKey("certif_campagne.id", ondelete="CASCADE"), index=True)
    methode: Mapped[str] = mapped_column(String(30))
    date: Mapped[date] = mapped_column(Date)
    equipe: Mapped[str] = mapped_column(Text, default="")
    service: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str | None] = mapped_column(Text)

    def audit_label(self) -> str:
        return f"{rules.METHODES.get(self.methode, self.methode)} du {self.date:%d/%m/%Y}"


class CertifReponse(Versionne, Timestamped, Base):
    __tablename__ = "certif_reponse"
    __table_args__ = (UniqueConstraint("campagne_id", "noeud_id", name="uq_certif_reponse_noeud"),)
    __audit_type__ = "Réponse d'autoévaluation"
    __audit_parent__ = "campagne_id"
    __audit_values__ = {"valeur": rules.REPONSES, "methode": rules.METHODES}
    __audit_fields__ = {
        "valeur": "Réponse",
        "motif_na": "Motif de non-applicabilité",
        "commentaire": "Commentaire",
        "evaluateur_id": "Évaluateur",
        "date": "Date",
        "methode": "Méthode",
        "session_id": "Séance",
    }
    __audit_skip__ = frozenset({"id", "cree_le", "modifie_le", "campagne_id", "noeud_id"})

    campagne_id: Mapped[int] = mapped_column(ForeignKey("certif_campagne.id", ondelete="CASCADE"), index=True)
    noeud_id: Mapped[int] = mapped_column(ForeignKey("certif_noeud.id", ondelete="CASCADE"), index=True)
    valeur: Mapped[str] = mapped_column(String(20))
    motif_na: Mapped[str | None] = mapped_column(Text)
    commentaire: Mapped[str | None] = mapped_column(Text)
    evaluateur_id: Mapped[int | None] = mapped_column(ForeignKey("personne.id", ondelete="SET NULL"))
    date: Mapped[date | None] = mapped_column(Date)
    methode: Mapped[str | None] = mapped_column(String(30))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("certif_session.id", ondelete="SET NULL"), index=True
    )
    noeud: Mapped[CertifNoeud] = relationship()
    evaluateur: Mapped[Personne | None] = relationship()

    def audit_label(self) -> str:
        n = self.noeud
        return f"{n.ref}" if n is not None else str(self.noeud_id)


class CertifPreuve(VersionneLigne, Timestamped, Base):
    """A piece of evidence: a file (its current version in ``blob_id``) or a link to an item of the app."""

    __tablename__ = "certif_preuve"
    __recherche__ = (None, "titre", ("description",))
    __audit_type__ = "Preuve de certification"
    __audit_values__ = {"confidentialite": rules.CONFIDENTIALITES}
    __audit_fields__ = {
        "titre": "Titre",
        "description": "Description",
        "date_preuve": "Date de la preuve",
        "valide_jusqu_au": "Valide jusqu'au",
        "proprietaire_id": "Propriétaire",
        "confidentialite": "Confidentialité",
        "blob_id": "Fichier",
        "version": "Version",
        "item_type": "Élément lié (type)",
        "item_id": "Élément lié (n°)",
    }

    titre: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    #: the date the evidence speaks of (minutes of a meeting, audit…), not the upload date (``cree_le``)
    date_preuve: Mapped[date | None] = mapped_column(Date, index=True)
    valide_jusqu_au: Mapped[date | None] = mapped_column(Date, index=True)
    proprietaire_id: Mapped[int | None] = mapped_column(ForeignKey("personne.id", ondelete="SET NULL"))
    confidentialite: Mapped[str] = mapped_column(String(20), default="interne")
    blob_id: Mapped[int | None] = mapped_column(ForeignKey("blob.id", ondelete="RESTRICT"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: a link to an item of the app instead of a file (« paqss_action », « indicateur », « rapport_emis »…)
    item_type: Mapped[str | None] = mapped_column(String(60))
    item_id: Mapped[int | None] = mapped_column(Integer)
    proprietaire: Mapped[Personne | None] = relationship()
    criteres: Mapped[list[CertifPreuveCritere]] = relationship(
        back_populates="preuve", cascade="all, delete-orphan"
    )
    versions: Mapped[list[CertifPreuveVersion]] = relationship(
        back_populates="preuve", cascade="all, delete-orphan", order_by="CertifPreuveVersion.version"
    )

    def audit_label(self) -> str:
        return self.titre


class CertifPreuveCritere(Base):
    """Which criteria (or elements) a piece of evidence answers: one file can serve many."""

    __tablename__ = "certif_preuve_critere"
    __audit_type__ = "Critère servi par une preuve"
    __audit_parent__ = "preuve_id"
    __audit_fields__ = {"preuve_id": "Preuve", "noeud_id": "Critère"}

    preuve_id: Mapped[int] = mapped_column(
        ForeignKey("certif_preuve.id", ondelete="CASCADE"), primary_key=True
    )
    noeud_id: Mapped[int] = mapped_column(
        ForeignKey("certif_noeud.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    preuve: Mapped[CertifPreuve] = relationship(back_populates="criteres")
    noeud: Mapped[CertifNoeud] = relationship()

    def audit_label(self) -> str:
        p, n = self.preuve, self.noeud
        return f"{p.titre if p else self.preuve_id} — {n.ref if n else self.noeud_id}"


class CertifPreuveVersion(Base):
    """Every file a piece of evidence has had (replacing keeps the old ones)."""

    __tablename__ = "certif_preuve_version"
    __table_args__ = (UniqueConstraint("preuve_id", "version", name="uq_certif_preuve_version"),)
    __audit_type__ = "Version de preuve"
    __audit_parent__ = "preuve_id"
    __audit_fields__ = {"version": "Version", "blob_id": "Fichier", "nom": "Nom du fichier"}
    __audit_skip__ = frozenset({"id", "cree_le", "preuve_id"})

    id: Mapped[int] = mapped_column(primary_key=True)
    preuve_id: Mapped[int] = mapped_column(ForeignKey("certif_preuve.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    blob_id: Mapped[int] = mapped_column(ForeignKey("blob.id", ondelete="RESTRICT"), index=True)
    nom: Mapped[str] = mapped_column(String(260))
    cree_le: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    preuve: Mapped[CertifPreuve] = relationship(back_populates="versions")

    def audit_label(self) -> str:
        return f"{self.nom} (v{self.version})"
