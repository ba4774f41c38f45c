"""PAQSS: programme → axes → objectifs → actions → jalons, with comments.

Evidence files are blobs linked to the action (``lien`` with nature « preuve »); indicators are
linked the same way (cible_type « indicateur »).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, inspect, text
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship
from sqlalchemy.orm.attributes import NO_VALUE

from qualite_app.etablissement.models import Personne, Service
from qualite_app.paqss import rules
from qualite_app.storage.base import Base, Timestamped, Versionne, utcnow


class PaqssProgramme(Versionne, Timestamped, Base):
    __tablename__ = "paqss_programme"
    __audit_type__ = "Programme PAQSS"
    __audit_fields__ = {
        "nom": "Nom",
        "debut": "Début de période",
        "fin": "Fin de période",
        "adopte_le": "Adopté le",
        "avis_cme_le": "Avis de la CME le",
        "cdu_informee_le": "CDU informée le",
        "description": "Description",
    }

    nom: Mapped[str] = mapped_column(String(200))
    debut: Mapped[date | None] = mapped_column(Date)
    fin: Mapped[date | None] = mapped_column(Date)
    adopte_le: Mapped[date | None] = mapped_column(Date)
    avis_cme_le: Mapped[date | None] = mapped_column(Date)
    cdu_informee_le: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)
    axes: Mapped[list[PaqssAxe]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="PaqssAxe.ordre"
    )

    def audit_label(self) -> str:
        return self.nom


class PaqssAxe(Versionne, Timestamped, Base):
    __tablename__ = "paqss_axe"
    __audit_type__ = "Axe PAQSS"
    __audit_fields__ = {"code": "Code", "titre": "Titre", "ordre": "Ordre", "programme_id": "Programme"}

    programme_id: Mapped[int] = mapped_column(
        ForeignKey("paqss_programme.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(20), default="")
    titre: Mapped[str] = mapped_column(String(300))
    ordre: Mapped[int] = mapped_column(Integer, default=0)
    programme: Mapped[PaqssProgramme] = relationship(back_populates="axes")
    objectifs: Mapped[list[PaqssObjectif]] = relationship(
        back_populates="axe", cascade="all, delete-orphan", order_by="PaqssObjectif.ordre"
    )

    def audit_label(self) -> str:
        return f"{self.code} {self.titre}".strip()


class PaqssObjectif(Versionne, Timestamped, Base):
    __tablename__ = "paqss_objectif"
    __audit_type__ = "Objectif PAQSS"
    __audit_fields__ = {"code": "Code", "titre": "Titre", "ordre": "Ordre", "axe_id": "Axe"}

    axe_id: Mapped[int] = mapped_column(ForeignKey("paqss_axe.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20), default="")
    titre: Mapped[str] = mapped_column(String(300))
    ordre: Mapped[int] = mapped_column(Integer, default=0)
    axe: Mapped[PaqssAxe] = relationship(back_populates="objectifs")
    actions: Mapped[list[PaqssAction]] = relationship(back_populates="objectif", cascade="all, delete-orphan")

    def audit_label(self) -> str:
        return f"{self.code} {self.titre}".strip()


class PaqssAction(Versionne, Timestamped, Base):
    __tablename__ = "paqss_action"
    #: the references in their order (PAQSS-2026-999 before PAQSS-2026-1000): the highest of the year is read
    #: from the index's end at each creation (migration 0018), not by sorting the table
    __table_args__ = (Index("ix_paqss_action_reference_ordre", text("length(reference)"), "reference"),)
    __recherche__ = ("reference", "titre", ("description",))
    __audit_type__ = "Action PAQSS"
    __audit_skip__ = frozenset({"id", "cree_le", "modifie_le", "cle_recherche"})
    __audit_values__ = {"statut": rules.STATUTS, "source": rules.SOURCES, "priorite": rules.PRIORITES}
    __audit_fields__ = {
        "reference": "Référence",
        "objectif_id": "Objectif",
        "titre": "Intitulé",
        "description": "Description",
        "source": "Source",
        "source_detail": "Précision sur la source",
        "priorite": "Priorité",
        "pilote_id": "Pilote",
        "copilote_id": "Copilote",
        "service_id": "Service",
        "date_debut": "Date de début",
        "echeance": "Échéance",
        "echeance_revisee": "Échéance révisée",
        "statut": "Statut",
        "motif_statut": "Motif (abandon / report)",
        "avancement": "Avancement (%)",
        "resultat_attendu": "Résultat attendu",
        "indicateur": "Indicateur de suivi",
        "indicateur_initial": "Valeur initiale de l'indicateur",
        "indicateur_cible": "Cible de l'indicateur",
        "validation_cme_le": "Validée en CME le",
        "realisee_le": "Réalisée le",
    }

    objectif_id: Mapped[int] = mapped_column(ForeignKey("paqss_objectif.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    titre: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    #: a code of rules.paqss.SOURCES
    source: Mapped[str] = mapped_column(String(20), default="autre", index=True)
    source_detail: Mapped[str | None] = mapped_column(String(300))
    #: 1 haute, 2 moyenne, 3 basse
    priorite: Mapped[int] = mapped_column(Integer, default=2, index=True)
    pilote_id: Mapped[int | None] = mapped_column(ForeignKey("personne.id", ondelete="SET NULL"), index=True)
    #: the other half of the tandem (e.g. the medical co-pilot of an administrative pilot)
    copilote_id: Mapped[int | None] = mapped_column(
        ForeignKey("personne.id", ondelete="SET NULL"), index=True
    )
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id", ondelete="SET NULL"), index=True)
    date_debut: Mapped[date | None] = mapped_column(Date)
    echeance: Mapped[date | None] = mapped_column(Date, index=True)
    echeance_revisee: Mapped[date | None] = mapped_column(Date, index=True)
    #: a code of rules.paqss.STATUTS
    statut: Mapped[str] = mapped_column(String(20), default="a_lancer", index=True)
    motif_statut: Mapped[str | None] = mapped_column(Text)
    avancement: Mapped[int] = mapped_column(Integer, default=0)
    resultat_attendu: Mapped[str | None] = mapped_column(Text)
    indicateur: Mapped[str | None] = mapped_column(String(300))
    indicateur_initial: Mapped[str | None] = mapped_column(String(60))
    indicateur_cible: Mapped[str | None] = mapped_column(String(60))
    validation_cme_le: Mapped[date | None] = mapped_column(Date)
    realisee_le: Mapped[date | None] = mapped_column(Date)
    #: folded text (reference, title, description, source detail, indicator) for the text filter
    cle_recherche: Mapped[str] = mapped_column(Text, default="")

    objectif: Mapped[PaqssObjectif] = relationship(back_populates="actions")
    pilote: Mapped[Personne | None] = relationship(foreign_keys=[pilote_id])
    copilote: Mapped[Personne | None] = relationship(foreign_keys=[copilote_id])
    jalons: Mapped[list[PaqssJalon]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="PaqssJalon.echeance"
    )
    commentaires: Mapped[list[PaqssCommentaire]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="PaqssCommentaire.id"
    )
    #: co-pilots beyond the tandem (pilote_id + copilote_id)
    autres_copilotes: Mapped[list[PaqssActionCopilote]] = relationship(
        back_populates="action", cascade="all, delete-orphan"
    )
    #: services concerned beyond the main service_id
    autres_services: Mapped[list[PaqssActionService]] = relationship(
        back_populates="action", cascade="all, delete-orphan"
    )

    def audit_label(self) -> str:
        return f"{self.reference} — {self.titre}"[:300]


class PaqssActionCopilote(Base):
    """An additional co-pilot of an action (beyond the pilot / co-pilot tandem)."""

    __tablename__ = "paqss_action_copilote"
    __audit_type__ = "Copilote d'action PAQSS"
    __audit_parent__ = "action_id"
    __audit_fields__ = {"action_id": "Action", "personne_id": "Copilote"}

    action_id: Mapped[int] = mapped_column(
        ForeignKey("paqss_action.id", ondelete="CASCADE"), primary_key=True
    )
    personne_id: Mapped[int] = mapped_column(
        ForeignKey("personne.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    action: Mapped[PaqssAction] = relationship(back_populates="autres_copilotes")
    personne: Mapped[Personne] = relationship()

    def audit_label(self) -> str:
        return _team_label(self, self.action, self.personne, Personne, self.personne_id)


class PaqssActionService(Base):
    """An additional service concerned by an action (beyond the main service)."""

    __tablename__ = "paqss_action_service"
    __audit_type__ = "Service d'action PAQSS"
    __audit_parent__ = "action_id"
    __audit_fields__ = {"action_id": "Action", "service_id": "Service"}

    action_id: Mapped[int] = mapped_column(
        ForeignKey("paqss_action.id", ondelete="CASCADE"), primary_key=True
    )
    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    action: Mapped[PaqssAction] = relationship(back_populates="autres_services")
    service: Mapped[Service] = relationship()

    def audit_label(self) -> str:
        return _team_label(self, self.action, self.service, Service, self.service_id)


def _team_label(row: Base, action: PaqssAction | None, member: Base | None, kind: type[Base], member_id: Any) -> str:
    """« PAQSS-2026-004 — Hélène BRÉVANNE »; a removed row has lost its action in memory, so the
    ids (still set) are looked up in the session."""
    s = object_session(row)
    action_id = inspect(row).committed_state.get("action_id", NO_VALUE)
    if action_id is NO_VALUE or action_id is None:  # NO_VALUE: never loaded (PostgreSQL refuses it as an id)
        action_id = getattr(row, "action_id", None)
    if action is None and s is not None and action_id is not None:
        action = s.get(PaqssAction, action_id)
    if member is None and s is not None and member_id is not None:
        member = s.get(kind, member_id)
    ref = action.reference if action is not None else ""
    return f"{ref} — {member.audit_label() if member is not None else ''}"


class PaqssJalon(Timestamped, Base):
    __tablename__ = "paqss_jalon"
    __audit_type__ = "Jalon PAQSS"
    __audit_parent__ = "action_id"
    __audit_fields__ = {"libelle": "Jalon", "echeance": "Date prévue", "fait": "Fait", "fait_le": "Fait le"}
    __audit_skip__ = frozenset({"id", "cree_le", "modifie_le", "action_id"})

    action_id: Mapped[int] = mapped_column(ForeignKey("paqss_action.id", ondelete="CASCADE"), index=True)
    libelle: Mapped[str] = mapped_column(String(300))
    echeance: Mapped[date | None] = mapped_column(Date)
    fait: Mapped[bool] = mapped_column(default=False)
    fait_le: Mapped[date | None] = mapped_column(Date)
    action: Mapped[PaqssAction] = relationship(back_populates="jalons")

    def audit_label(self) -> str:
        a = self.action
        return f"{a.reference} — {self.libelle}" if a is not None else self.libelle


class PaqssCommentaire(Base):
    __tablename__ = "paqss_commentaire"
    __audit_type__ = "Commentaire PAQSS"
    __audit_parent__ = "action_id"
    __audit_fields__ = {"auteur": "Auteur", "texte": "Commentaire"}
    __audit_skip__ = frozenset({"id", "cree_le", "action_id"})

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("paqss_action.id", ondelete="CASCADE"), index=True)
    auteur: Mapped[str] = mapped_column(String(200))
    texte: Mapped[str] = mapped_column(Text)
    cree_le: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    action: Mapped[PaqssAction] = relationship(back_populates="commentaires")

    def audit_label(self) -> str:
        a = self.action
        return f"{a.reference} — commentaire" if a is not None else "commentaire"
