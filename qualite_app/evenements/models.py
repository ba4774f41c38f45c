"""Adverse events: the register, the EIGS declaration (parts 1 and 2), cause analyses, CREX sessions.

No field identifies a patient: the free texts carry a reminder in the forms. The severity is stored as
the code of the establishment's scale (``echelle`` FR 1–5 or QC A–I) and its rank, so the register
sorts and filters on it in SQL.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qualite_app.etablissement.models import Service
from qualite_app.evenements import rules
from qualite_app.storage.base import Base, Timestamped, Versionne


class Evenement(Versionne, Timestamped, Base):
    __tablename__ = "evenement"
    __recherche__ = ("reference", "faits", ("lieu", "consequences", "mesures_immediates", "declarant_role"))
    __audit_type__ = "Événement indésirable"
    __audit_skip__ = frozenset({"id", "cree_le", "modifie_le", "cle_recherche", "gravite_rang"})
    __audit_values__ = {"statut": rules.STATUTS}
    __audit_fields__ = {
        "reference": "Référence",
        "survenu_le": "Survenu le",
        "declare_le": "Déclaré le",
        "service_id": "Service",
        "lieu": "Lieu précis",
        "type_code": "Type",
        "sous_type_code": "Sous-type",
        "faits": "Description des faits",
        "mesures_immediates": "Mesures immédiates",
        "consequences": "Conséquences",
        "echelle": "Échelle de gravité",
        "gravite": "Gravité",
        "informe": "Patient ou proches informés (divulgation)",
        "declarant_role": "Fonction du déclarant",
        "statut": "Statut",
        "eigs": "EIGS",
        "source_import": "Origine (import)",
    }
    __table_args__ = (
        #: period filters, the default order and the statistics (GROUP BY type, severity, service, EIGS) read
        #: this index alone, never the table
        Index("ix_evenement_survenu_stats", "survenu_le", "type_code", "gravite", "service_id", "eigs"),
        Index("ix_evenement_service_survenu", "service_id", "survenu_le"),
        #: the EIGS among 100,000 events (« Aujourd'hui », the EIGS deadlines): a handful, found at once
        Index("ix_evenement_eigs", "eigs"),
    )

    reference: Mapped[str] = mapped_column(String(40), unique=True)
    #: indexed by ``ix_evenement_survenu_stats`` (period filters and statistics)
    survenu_le: Mapped[datetime] = mapped_column(DateTime)
    declare_le: Mapped[date] = mapped_column(Date)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id", ondelete="SET NULL"))
    lieu: Mapped[str | None] = mapped_column(String(200))
    type_code: Mapped[str] = mapped_column(String(40))
    sous_type_code: Mapped[str | None] = mapped_column(String(60))
    faits: Mapped[str] = mapped_column(Text, default="")
    mesures_immediates: Mapped[str | None] = mapped_column(Text)
    consequences: Mapped[str | None] = mapped_column(Text)
    #: "FR" (1–5) or "QC" (A–I): the scale the severity was given on
    echelle: Mapped[str] = mapped_column(String(2), default="FR")
    gravite: Mapped[str | None] = mapped_column(String(4))
    #: rank of the severity on its scale (1 = least serious), for sorting and filtering in SQL
    gravite_rang: Mapped[int | None] = mapped_column(Integer, index=True)
    #: patient or relatives informed (France) / disclosure made (Quebec); None = not known yet
    informe: Mapped[bool | None] = mapped_column(Boolean)
    declarant_role: Mapped[str | None] = mapped_column(String(120))
    statut: Mapped[str] = mapped_column(String(20), default=rules.DECLARE)
    #: not indexed: the EIGS are found from their declaration (``evenement_eigs``), a few rows
    eigs: Mapped[bool] = mapped_column(Boolean, default=False)
    source_import: Mapped[str | None] = mapped_column(String(200))
    #: folded reference, facts, place, consequences for the text filter
    cle_recherche: Mapped[str] = mapped_column(Text, default="")

    service: Mapped[Service | None] = relationship()
    declaration_eigs: Mapped[DeclarationEigs | None] = relationship(
        back_populates="evenement", cascade="all, delete-orphan", uselist=False
    )

    def audit_label(self) -> str:
        return self.reference


class DeclarationEigs(Versionne, Timestamped, Base):
    """The two-part EIGS declaration of one event (arrêté of 19 December 2017)."""

    __tablename__ = "evenement_eigs"
    __audit_type__ = "Déclaration d'EIGS"
    __audit_parent__ = "evenement_id"
    __audit_skip__ = frozenset({"id", "cree_le", "modifie_le", "evenement_id"})
    __audit_fields__ = {
        "connaissance_le": "Date de connaissance de l'EIGS",
        "nature_circonstances": "Partie 1 — nature et circonstances",
        "premieres_mesures": "Partie 1 — premières mesures",
        "information_patient": "Partie 1 — information du patient, de la famille ou de la personne de confiance",
        "partie1_envoyee_le": "Partie 1 envoyée le",
        "prise_en_charge": "Partie 2 — prise en charge",
        "causes_immediates": "Partie 2 — causes immédiates",
        "causes_profondes": "Partie 2 — causes profondes",
        "barrieres": "Partie 2 — barrières de sécurité",
        "mesures_prises": "Partie 2 — mesures prises",
        "mesures_prevues": "Partie 2 — mesures envisagées",
        "analyse_realisee": "Partie 2 — analyse réalisée",
        "partie2_envoyee_le": "Partie 2 envoyée le",
    }

    evenement_id: Mapped[int] = mapped_column(ForeignKey("evenement.id", ondelete="CASCADE"), unique=True)
    connaissance_le: Mapped[date] = mapped_column(Date)
    nature_circonstances: Mapped[str | None] = mapped_column(Text)
    premieres_mesures: Mapped[str | None] = mapped_column(Text)
    information_patient: Mapped[str | None] = mapped_column(Text)
    partie1_envoyee_le: Mapped[date | None] = mapped_column(Date)
    prise_en_charge: Mapped[str | None] = mapped_column(Text)
    causes_immediates: Mapped[str | None] = mapped_column(Text)
    causes_profondes: Mapped[str | None] = mapped_column(Text)
    barrieres: Mapped[str | None] = mapped_column(Text)
    mesures_prises: Mapped[str | None] = mapped_column(Text)
    mesures_prevues: Mapped[str | None] = mapped_column(Text)
    analyse_realisee: Mapped[str | None] = mapped_column(Text)
    partie2_envoyee_le: Mapped[date | None] = mapped_column(Date)

    evenement: Mapped[Evenement] = relationship(back_populates="declaration_eigs")

    def audit_label(self) -> str:
        return f"EIGS {self.evenement.reference}" if self.evenement is not None else "EIGS"


class CrexSeance(Versionne, Timestamped, Base):
    """A CREX session: the events triaged, the one analysed (its analysis points to the session)."""

    __tablename__ = "crex_seance"
    __audit_type__ = "Séance de CREX"
    __audit_fields__ = {"le": "Date", "intitule": "Intitulé", "compte_rendu": "Compte rendu"}

    le: Mapped[date] = mapped_column(Date, index=True)
    intitule: Mapped[str] = mapped_column(String(200), default="")
    compte_rendu: Mapped[str | None] = mapped_column(Text)

    def audit_label(self) -> str:
        return f"CREX du {self.le:%d/%m/%Y}" if self.le else "CREX"


class CrexEvenement(Base):
    """An event triaged in a CREX session."""

    __tablename__ = "crex_evenement"
    __audit_type__ = "Événement trié en CREX"
    __audit_parent__ = "seance_id"
    __audit_fields__ = {"seance_id": "Séance", "evenement_id": "Événement", "retenu": "Retenu pour analyse"}

    seance_id: Mapped[int] = mapped_column(ForeignKey("crex_seance.id", ondelete="CASCADE"), primary_key=True)
    evenement_id: Mapped[int] = mapped_column(
        ForeignKey("evenement.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    retenu: Mapped[bool] = mapped_column(Boolean, default=False)

    def audit_label(self) -> str:
        return f"CREX {self.seance_id} — événement {self.evenement_id}"


class Analyse(Versionne, Timestamped, Base):
    __tablename__ = "evenement_analyse"
    __audit_type__ = "Analyse des causes"
    __audit_values__ = {"methode": rules.METHODES}
    __audit_fields__ = {
        "reference": "Référence",
        "methode": "Méthode",
        "sept_m": "Ishikawa en 7M",
        "le": "Date de l'analyse",
        "participants": "Participants",
        "ecarts": "Écarts de soins",
        "synthese": "Synthèse",
        "crex_seance_id": "Séance de CREX",
    }

    reference: Mapped[str] = mapped_column(String(40), unique=True)
    methode: Mapped[str] = mapped_column(String(20))
    sept_m: Mapped[bool] = mapped_column(Boolean, default=False)
    le: Mapped[date] = mapped_column(Date, index=True)
    participants: Mapped[str | None] = mapped_column(Text)
    ecarts: Mapped[str | None] = mapped_column(Text)
    synthese: Mapped[str | None] = mapped_column(Text)
    crex_seance_id: Mapped[int | None] = mapped_column(
        ForeignKey("crex_seance.id", ondelete="SET NULL"), index=True
    )

    evenements: Mapped[list[AnalyseEvenement]] = relationship(
        back_populates="analyse", cascade="all, delete-orphan"
    )
    etapes: Mapped[list[AnalyseEtape]] = relationship(
        back_populates="analyse", cascade="all, delete-orphan", order_by="AnalyseEtape.ordre"
    )
    facteurs: Mapped[list[AnalyseFacteur]] = relationship(
        back_populates="analyse", cascade="all, delete-orphan", order_by="AnalyseFacteur.id"
    )

    def audit_label(self) -> str:
        return self.reference


class AnalyseEvenement(Base):
    __tablename__ = "evenement_analyse_lien"
    __audit_type__ = "Événement analysé"
    __audit_parent__ = "analyse_id"
    __audit_fields__ = {"analyse_id": "Analyse", "evenement_id": "Événement"}

    analyse_id: Mapped[int] = mapped_column(
        ForeignKey("evenement_analyse.id", ondelete="CASCADE"), primary_key=True
    )
    evenement_id: Mapped[int] = mapped_column(
        ForeignKey("evenement.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    analyse: Mapped[Analyse] = relationship(back_populates="evenements")
    evenement: Mapped[Evenement] = relationship()

    def audit_label(self) -> str:
        return self.evenement.reference if self.evenement is not None else str(self.evenement_id)


class AnalyseEtape(Base):
    """One timed step of the chronology (a care deviation when ``ecart`` is set)."""

    __tablename__ = "evenement_analyse_etape"
    __audit_type__ = "Étape de chronologie"
    __audit_parent__ = "analyse_id"
    __audit_fields__ = {"moment": "Moment", "description": "Étape", "ecart": "Écart"}
    __audit_skip__ = frozenset({"id", "analyse_id", "ordre"})

    id: Mapped[int] = mapped_column(primary_key=True)
    analyse_id: Mapped[int] = mapped_column(
        ForeignKey("evenement_analyse.id", ondelete="CASCADE"), index=True
    )
    ordre: Mapped[int] = mapped_column(Integer, default=0)
    moment: Mapped[str] = mapped_column(String(40), default="")
    description: Mapped[str] = mapped_column(Text)
    ecart: Mapped[str | None] = mapped_column(Text)
    analyse: Mapped[Analyse] = relationship(back_populates="etapes")

    def audit_label(self) -> str:
        return f"{self.moment} {self.description}".strip()[:300]


class AnalyseFacteur(Base):
    """A contributing factor, in an ALARM family (or Ishikawa 5M/7M)."""

    __tablename__ = "evenement_analyse_facteur"
    __audit_type__ = "Facteur contributif"
    __audit_parent__ = "analyse_id"
    __audit_values__ = {"famille": {**rules.FAMILLES_ALARM, **rules.FAMILLES_7M}}
    __audit_fields__ = {"famille": "Famille", "description": "Facteur"}
    __audit_skip__ = frozenset({"id", "analyse_id"})

    id: Mapped[int] = mapped_column(primary_key=True)
    analyse_id: Mapped[int] = mapped_column(
        ForeignKey("evenement_analyse.id", ondelete="CASCADE"), index=True
    )
    famille: Mapped[str] = mapped_column(String(20), index=True)
    description: Mapped[str] = mapped_column(Text)
    analyse: Mapped[Analyse] = relationship(back_populates="facteurs")

    def audit_label(self) -> str:
        return f"{rules.famille_label(self.famille)} — {self.description}"[:300]


#: what the links (``lien``) and PAQSS origins call these items
TYPE_EVENEMENT = "evenement"
#: link types are table names: the PAQSS action page then names the linked item by its own label
TYPE_ANALYSE = "evenement_analyse"
