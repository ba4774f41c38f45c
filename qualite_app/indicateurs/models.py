"""Indicators: definitions, targets with validity, results (mesures), SPC rebases, notes, saved dashboards."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qualite_app.etablissement.models import Personne, Service
from qualite_app.indicateurs import rules as voc
from qualite_app.rules.periodes import PERIODICITES
from qualite_app.storage.base import Base, Timestamped, Versionne, utcnow

indicateur_service = Table(
    "indicateur_service",
    Base.metadata,
    Column("indicateur_id", Integer, ForeignKey("indicateur.id", ondelete="CASCADE"), primary_key=True),
    Column("service_id", Integer, ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
)


class Indicateur(Versionne, Timestamped, Base):
    __tablename__ = "indicateur"
    __recherche__ = ("code", "libelle", ("description",))
    __audit_type__ = "Indicateur"
    __audit_values__ = {"type": voc.TYPES, "sens": voc.SENS, "source": voc.SOURCES, "graphique": voc.GRAPHIQUES, "periodicite": PERIODICITES}
    __audit_fields__ = {
        "code": "Code",
        "libelle": "Libellé",
        "description": "Description",
        "theme": "Thème",
        "secteur": "Secteur",
        "type": "Type",
        "unite": "Unité",
        "sens": "Sens d'amélioration",
        "source": "Source",
        "periodicite": "Périodicité",
        "responsable_id": "Responsable",
        "definition": "Définition",
        "notes_calcul": "Notes de calcul",
        "suivi": "Suivi",
        "graphique": "Type de graphique",
        "echelle": "Échelle",
        "points_base": "Limites figées sur N points",
        "catalogue_code": "Code catalogue",
    }

    code: Mapped[str] = mapped_column(String(40), unique=True)
    libelle: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    theme: Mapped[str | None] = mapped_column(String(100), index=True)
    #: MCO, SMR, HAD, PSY, EHPAD or TOUS
    secteur: Mapped[str] = mapped_column(String(10), default="TOUS")
    #: taux, nombre, score, moyenne, classe
    type: Mapped[str] = mapped_column(String(20), default="taux")
    unite: Mapped[str] = mapped_column(String(40), default="%")
    #: hausse (higher is better), baisse, neutre
    sens: Mapped[str] = mapped_column(String(10), default="hausse")
    #: IQSS, e-Satis, institutionnel, CPOM, CAQES
    source: Mapped[str] = mapped_column(String(30), default="institutionnel")
    periodicite: Mapped[str] = mapped_column(String(20), default="mensuelle")
    responsable_id: Mapped[int | None] = mapped_column(ForeignKey("personne.id", ondelete="SET NULL"), index=True)
    definition: Mapped[str | None] = mapped_column(Text)
    notes_calcul: Mapped[str | None] = mapped_column(Text)
    suivi: Mapped[bool] = mapped_column(default=True)
    #: auto, xmr, p, u, run
    graphique: Mapped[str] = mapped_column(String(10), default="auto")
    #: multiplier of num/den for p and u charts (100 for %, 1000 for ‰)
    echelle: Mapped[float] = mapped_column(Float, default=100.0)
    points_base: Mapped[int | None] = mapped_column(Integer)
    catalogue_code: Mapped[str | None] = mapped_column(String(40))

    responsable: Mapped[Personne | None] = relationship()
    services: Mapped[list[Service]] = relationship(secondary=indicateur_service, order_by="Service.nom")
    cibles: Mapped[list[IndicateurCible]] = relationship(
        back_populates="indicateur", cascade="all, delete-orphan", order_by="IndicateurCible.debut"
    )

    def audit_label(self) -> str:
        return f"{self.code} — {self.libelle}"


class IndicateurCible(Versionne, Timestamped, Base):
    """A target and an alert threshold, valid from ``debut`` to ``fin`` (open-ended when None)."""

    __tablename__ = "indicateur_cible"
    __audit_type__ = "Cible d'indicateur"
    __audit_parent__ = "indicateur_id"
    __audit_fields__ = {"cible": "Cible", "seuil_alerte": "Seuil d'alerte", "debut": "Début de validité", "fin": "Fin de validité"}

    indicateur_id: Mapped[int] = mapped_column(ForeignKey("indicateur.id", ondelete="CASCADE"), index=True)
    cible: Mapped[float | None] = mapped_column(Float)
    seuil_alerte: Mapped[float | None] = mapped_column(Float)
    debut: Mapped[date] = mapped_column(Date)
    fin: Mapped[date | None] = mapped_column(Date)
    indicateur: Mapped[Indicateur] = relationship(back_populates="cibles")

    def audit_label(self) -> str:
        code = self.indicateur.code if self.indicateur is not None else ""
        return f"{code} à partir du {self.debut:%d/%m/%Y}" if self.debut else code


class IndicateurMesure(Timestamped, Base):
    """One result: a period, a service (None = the whole establishment), value or status NR/NV/DI."""

    __tablename__ = "indicateur_mesure"
    __table_args__ = (Index("ix_indicateur_mesure_indicateur_periode", "indicateur_id", "periode_debut"),)
    __audit_type__ = "Résultat d'indicateur"
    __audit_parent__ = "indicateur_id"
    __audit_values__ = {"statut": voc.STATUTS}
    __audit_fields__ = {
        "periode": "Période",
        "service_id": "Service",
        "numerateur": "Numérateur",
        "denominateur": "Dénominateur",
        "valeur": "Valeur",
        "classe": "Classe",
        "statut": "Statut",
        "commentaire": "Commentaire",
        "source": "Source",
    }
    __audit_skip__ = frozenset({"id", "cree_le", "modifie_le", "periode_debut", "indicateur_id"})

    indicateur_id: Mapped[int] = mapped_column(ForeignKey("indicateur.id", ondelete="CASCADE"))
    periode: Mapped[str] = mapped_column(String(10))
    periode_debut: Mapped[date] = mapped_column(Date)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id", ondelete="SET NULL"), index=True)
    numerateur: Mapped[float | None] = mapped_column(Float)
    denominateur: Mapped[float | None] = mapped_column(Float)
    valeur: Mapped[float | None] = mapped_column(Float)
    classe: Mapped[str | None] = mapped_column(String(5))
    #: None (a value), NR (not collected), NV (not validated), DI (insufficient data)
    statut: Mapped[str | None] = mapped_column(String(2))
    commentaire: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(260))

    indicateur: Mapped[Indicateur] = relationship()

    def audit_label(self) -> str:
        code = self.indicateur.code if self.indicateur is not None else f"#{self.indicateur_id}"
        return f"{code} — {self.periode}"


class IndicateurRebase(Base):
    """New SPC limits from ``date`` onwards, decided by the director, with the reason."""

    __tablename__ = "indicateur_rebase"
    __audit_type__ = "Recalcul des limites"
    __audit_parent__ = "indicateur_id"
    __audit_fields__ = {"date": "À partir du", "motif": "Motif"}
    __audit_skip__ = frozenset({"id", "cree_le"})

    id: Mapped[int] = mapped_column(primary_key=True)
    indicateur_id: Mapped[int] = mapped_column(ForeignKey("indicateur.id", ondelete="CASCADE"), index=True)
    date: Mapped[date] = mapped_column(Date)
    motif: Mapped[str] = mapped_column(Text)
    cree_le: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    indicateur: Mapped[Indicateur] = relationship()

    def audit_label(self) -> str:
        code = self.indicateur.code if self.indicateur is not None else ""
        return f"{code} au {self.date:%d/%m/%Y}" if self.date else code


class IndicateurNote(Base):
    """The director's annotation on a chart (« nouvelle procédure », « changement de logiciel »…)."""

    __tablename__ = "indicateur_note"
    __audit_type__ = "Annotation d'indicateur"
    __audit_parent__ = "indicateur_id"
    __audit_fields__ = {"date": "Date", "texte": "Texte"}
    __audit_skip__ = frozenset({"id", "cree_le"})

    id: Mapped[int] = mapped_column(primary_key=True)
    indicateur_id: Mapped[int] = mapped_column(ForeignKey("indicateur.id", ondelete="CASCADE"), index=True)
    date: Mapped[date] = mapped_column(Date)
    texte: Mapped[str] = mapped_column(Text)
    cree_le: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def audit_label(self) -> str:
        return self.texte[:80]


class TableauDeBord(Versionne, Timestamped, Base):
    """A named dashboard (CME, CDU, Hygiène): filters and an optional explicit list of indicator codes."""

    __tablename__ = "tableau_de_bord"
    __table_args__ = (UniqueConstraint("nom", name="uq_tableau_de_bord_nom"),)
    __audit_type__ = "Tableau de bord"
    __audit_fields__ = {"nom": "Nom", "filtres": "Filtres", "indicateurs": "Indicateurs"}

    nom: Mapped[str] = mapped_column(String(120))
    #: JSON: {"theme": …, "secteur": …, "source": …, "service_id": …}
    filtres: Mapped[str] = mapped_column(Text, default="{}")
    #: JSON list of indicator codes; empty = every followed indicator matching the filters
    indicateurs: Mapped[str] = mapped_column(Text, default="[]")

    def audit_label(self) -> str:
        return self.nom
