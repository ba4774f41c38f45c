"""Crisis plans: plan → levels, scenarios, cell roles (holder + deputies from the directory), fiches réflexes
(timed tasks), crisis directory, resources, message templates; activations and their main courante;
exercises and RETEX findings.

A main-courante entry is never updated nor deleted (``_entrees_immuables``): a correction is a new entry
naming the one it strikes.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from qualite_app.crise import rules
from qualite_app.etablissement.models import Personne, Service
from qualite_app.storage.base import Base, Timestamped, Versionne, VersionneLigne, utcnow


class CrisePlan(VersionneLigne, Timestamped, Base):
    __tablename__ = "crise_plan"
    __recherche__ = (None, "nom", ("description",))
    __audit_type__ = "Plan de crise"
    __audit_values__ = {"type_plan": rules.TYPES_PLAN}
    __audit_fields__ = {
        "nom": "Nom", "type_plan": "Type de plan", "version": "Version", "adopte_le": "Adopté le",
        "avis_directoire_le": "Avis du directoire le", "avis_cme_le": "Avis de la CME le", "avis_cse_le": "Avis du CSE le",
        "cycle_revision_mois": "Cycle de révision (mois)", "revision_fixee": "Prochaine révision",
        "cycle_exercice_mois": "Cycle des exercices (mois)",
        "en_vigueur": "En vigueur", "diffusion": "Diffusion", "modele": "Modèle d'origine", "description": "Description",
    }  # fmt: skip

    nom: Mapped[str] = mapped_column(String(200), unique=True)
    type_plan: Mapped[str] = mapped_column(String(20), default="pgthsse")
    version: Mapped[str] = mapped_column(String(20), default="1")
    adopte_le: Mapped[date | None] = mapped_column(Date)
    avis_directoire_le: Mapped[date | None] = mapped_column(Date)
    avis_cme_le: Mapped[date | None] = mapped_column(Date)
    avis_cse_le: Mapped[date | None] = mapped_column(Date)
    cycle_revision_mois: Mapped[int] = mapped_column(Integer, default=rules.CYCLE_REVISION_MOIS)
    #: at least one exercise every so many months (no frequency in the current text: configurable)
    cycle_exercice_mois: Mapped[int] = mapped_column(
        Integer, default=rules.CYCLE_EXERCICE_MOIS, server_default="12"
    )
    #: a review date set by hand (else adoption + cycle)
    revision_fixee: Mapped[date | None] = mapped_column(Date)
    en_vigueur: Mapped[bool] = mapped_column(default=False)
    diffusion: Mapped[str] = mapped_column(String(100), default="Diffusion restreinte")
    modele: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)

    revisions: Mapped[list[CriseRevision]] = relationship(
        cascade="all, delete-orphan", order_by="CriseRevision.le"
    )
    niveaux: Mapped[list[CriseNiveau]] = relationship(
        cascade="all, delete-orphan", order_by="CriseNiveau.ordre"
    )
    scenarios: Mapped[list[CriseScenario]] = relationship(
        cascade="all, delete-orphan", order_by="CriseScenario.ordre"
    )
    roles: Mapped[list[CriseRole]] = relationship(cascade="all, delete-orphan", order_by="CriseRole.ordre")
    fiches: Mapped[list[CriseFiche]] = relationship(cascade="all, delete-orphan", order_by="CriseFiche.ordre")
    contacts: Mapped[list[CriseContact]] = relationship(
        cascade="all, delete-orphan", order_by="CriseContact.ordre"
    )
    ressources: Mapped[list[CriseRessource]] = relationship(
        cascade="all, delete-orphan", order_by="CriseRessource.id"
    )
    messages: Mapped[list[CriseMessage]] = relationship(
        cascade="all, delete-orphan", order_by="CriseMessage.id"
    )

    def audit_label(self) -> str:
        return f"{self.nom} (v{self.version})"


class CriseRevision(Timestamped, Base):
    __tablename__ = "crise_revision"
    __audit_type__ = "Révision du plan de crise"
    __audit_parent__ = "plan_id"
    __audit_fields__ = {"version": "Version", "le": "Date", "objet": "Objet de la révision"}

    plan_id: Mapped[int] = mapped_column(ForeignKey("crise_plan.id", ondelete="CASCADE"), index=True)
    version: Mapped[str] = mapped_column(String(20))
    le: Mapped[date] = mapped_column(Date)
    objet: Mapped[str] = mapped_column(String(500), default="")

    def audit_label(self) -> str:
        return f"version {self.version}"


class CriseNiveau(Versionne, Timestamped, Base):
    __tablename__ = "crise_niveau"
    __audit_type__ = "Niveau du plan de crise"
    __audit_parent__ = "plan_id"
    __audit_fields__ = {"code": "Code", "nom": "Nom", "ordre": "Ordre", "declenchement": "Critères de déclenchement",
                        "levee": "Critères de levée"}  # fmt: skip

    plan_id: Mapped[int] = mapped_column(ForeignKey("crise_plan.id", ondelete="CASCADE"), index=True)
    ordre: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(20), default="")
    nom: Mapped[str] = mapped_column(String(200))
    declenchement: Mapped[str] = mapped_column(Text, default="")
    levee: Mapped[str] = mapped_column(Text, default="")

    def audit_label(self) -> str:
        return self.nom


class CriseScenario(Versionne, Timestamped, Base):
    __tablename__ = "crise_scenario"
    __audit_type__ = "Scénario du plan de crise"
    __audit_parent__ = "plan_id"
    __audit_values__ = {"famille": rules.FAMILLES_SCENARIO}
    __audit_fields__ = {
        "code": "Code",
        "nom": "Nom",
        "famille": "Famille",
        "couleur": "Couleur",
        "description": "Description",
    }

    plan_id: Mapped[int] = mapped_column(ForeignKey("crise_plan.id", ondelete="CASCADE"), index=True)
    ordre: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(30), default="")
    nom: Mapped[str] = mapped_column(String(200))
    famille: Mapped[str] = mapped_column(String(20), default="autre")
    couleur: Mapped[str | None] = mapped_column(String(9))
    description: Mapped[str] = mapped_column(Text, default="")

    def audit_label(self) -> str:
        return self.nom


class CriseRole(Versionne, Timestamped, Base):
    __tablename__ = "crise_role"
    __audit_type__ = "Rôle de la cellule de crise"
    __audit_parent__ = "plan_id"
    __audit_fields__ = {"code": "Code", "libelle": "Rôle", "mission": "Mission", "rend_compte_a": "Rend compte à",
                        "lieu": "Lieu", "titulaire_id": "Titulaire", "ordre": "Ordre"}  # fmt: skip

    plan_id: Mapped[int] = mapped_column(ForeignKey("crise_plan.id", ondelete="CASCADE"), index=True)
    ordre: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(20))
    libelle: Mapped[str] = mapped_column(String(200))
    mission: Mapped[str] = mapped_column(Text, default="")
    rend_compte_a: Mapped[str] = mapped_column(String(200), default="")
    lieu: Mapped[str] = mapped_column(String(200), default="")
    titulaire_id: Mapped[int | None] = mapped_column(
        ForeignKey("personne.id", ondelete="SET NULL"), index=True
    )
    titulaire: Mapped[Personne | None] = relationship()
    suppleants: Mapped[list[CriseSuppleant]] = relationship(
        cascade="all, delete-orphan", order_by="CriseSuppleant.ordre"
    )

    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    def audit_label(self) -> str:
        return self.libelle


class CriseSuppleant(Base):
    __tablename__ = "crise_suppleant"
    __audit_type__ = "Suppléant de rôle de crise"
    __audit_parent__ = "role_id"
    __audit_fields__ = {"personne_id": "Suppléant", "ordre": "Rang"}

    role_id: Mapped[int] = mapped_column(ForeignKey("crise_role.id", ondelete="CASCADE"), primary_key=True)
    personne_id: Mapped[int] = mapped_column(
        ForeignKey("personne.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    ordre: Mapped[int] = mapped_column(Integer, default=0)
    personne: Mapped[Personne] = relationship()

    def audit_label(self) -> str:
        return self.personne.nom_complet if self.personne is not None else str(self.personne_id)


class CriseFiche(Versionne, Timestamped, Base):
    """A fiche réflexe: a role's job action sheet, for some scenarios (none = every scenario)."""

    __tablename__ = "crise_fiche"
    __recherche__ = (None, "titre", ("mission",))
    __audit_type__ = "Fiche réflexe"
    __audit_parent__ = "plan_id"
    __audit_fields__ = {"titre": "Titre", "role_id": "Rôle", "mission": "Mission", "lieu": "Où se rendre",
                        "documents": "Documents à utiliser", "ordre": "Ordre"}  # fmt: skip

    plan_id: Mapped[int] = mapped_column(ForeignKey("crise_plan.id", ondelete="CASCADE"), index=True)
    role_id: Mapped[int | None] = mapped_column(ForeignKey("crise_role.id", ondelete="SET NULL"), index=True)
    ordre: Mapped[int] = mapped_column(Integer, default=0)
    titre: Mapped[str] = mapped_column(String(300))
    mission: Mapped[str] = mapped_column(Text, default="")
    lieu: Mapped[str] = mapped_column(String(200), default="")
    documents: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[CriseRole | None] = relationship()
    taches: Mapped[list[CriseTache]] = relationship(
        cascade="all, delete-orphan", order_by="(CriseTache.phase_ordre, CriseTache.ordre)"
    )
    scenarios: Mapped[list[CriseFicheScenario]] = relationship(cascade="all, delete-orphan")

    def audit_label(self) -> str:
        return self.titre


class CriseFicheScenario(Base):
    __tablename__ = "crise_fiche_scenario"
    __audit_type__ = "Scénario d'une fiche réflexe"
    __audit_parent__ = "fiche_id"
    __audit_fields__ = {"scenario_id": "Scénario"}

    fiche_id: Mapped[int] = mapped_column(ForeignKey("crise_fiche.id", ondelete="CASCADE"), primary_key=True)
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("crise_scenario.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    def audit_label(self) -> str:
        return str(self.scenario_id)


class CriseTache(Base):
    __tablename__ = "crise_tache"
    __audit_type__ = "Tâche de fiche réflexe"
    __audit_parent__ = "fiche_id"
    __audit_values__ = {"phase": rules.PHASES}
    __audit_fields__ = {"phase": "Phase", "texte": "Tâche", "qui": "Qui", "ordre": "Ordre"}

    id: Mapped[int] = mapped_column(primary_key=True)
    fiche_id: Mapped[int] = mapped_column(ForeignKey("crise_fiche.id", ondelete="CASCADE"), index=True)
    phase: Mapped[str] = mapped_column(String(20), default="immediat")
    phase_ordre: Mapped[int] = mapped_column(Integer, default=0)
    ordre: Mapped[int] = mapped_column(Integer, default=0)
    texte: Mapped[str] = mapped_column(Text)
    qui: Mapped[str] = mapped_column(String(200), default="")

    def audit_label(self) -> str:
        return self.texte[:120]


class CriseContact(Versionne, Timestamped, Base):
    __tablename__ = "crise_contact"
    __audit_type__ = "Contact de crise"
    __audit_parent__ = "plan_id"
    __audit_values__ = {"categorie": rules.CATEGORIES_CONTACT}
    __audit_fields__ = {"categorie": "Catégorie", "fonction": "Fonction", "nom": "Nom", "organisme": "Organisme",
                        "tel": "Téléphone 24 h/24", "tel_secours": "Téléphone de secours", "email": "Courriel",
                        "personne_id": "Personne de l'annuaire", "appele_par_id": "Appelé par", "roles": "Rôles qui l'appellent",
                        "notes": "Notes"}  # fmt: skip

    plan_id: Mapped[int] = mapped_column(ForeignKey("crise_plan.id", ondelete="CASCADE"), index=True)
    ordre: Mapped[int] = mapped_column(Integer, default=0)
    categorie: Mapped[str] = mapped_column(String(20), default="autre")
    fonction: Mapped[str] = mapped_column(String(200))
    nom: Mapped[str] = mapped_column(String(200), default="")
    organisme: Mapped[str] = mapped_column(String(200), default="")
    tel: Mapped[str] = mapped_column(String(40), default="")
    tel_secours: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    personne_id: Mapped[int | None] = mapped_column(
        ForeignKey("personne.id", ondelete="SET NULL"), index=True
    )
    #: call-back plan: the contact who calls this one
    appele_par_id: Mapped[int | None] = mapped_column(ForeignKey("crise_contact.id", ondelete="SET NULL"))
    #: role codes (comma-separated) for which this is one of the numbers on the pocket card
    roles: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    def audit_label(self) -> str:
        return f"{self.fonction} — {self.nom}".strip(" —")


class CriseRessource(Versionne, Timestamped, Base):
    __tablename__ = "crise_ressource"
    __audit_type__ = "Ressource de crise"
    __audit_parent__ = "plan_id"
    __audit_values__ = {"type_ressource": rules.TYPES_RESSOURCE}
    __audit_fields__ = {"type_ressource": "Type", "libelle": "Ressource", "service_id": "Service", "quantite": "Quantité",
                        "unite": "Unité", "localisation": "Localisation", "notes": "Notes"}  # fmt: skip

    plan_id: Mapped[int] = mapped_column(ForeignKey("crise_plan.id", ondelete="CASCADE"), index=True)
    type_ressource: Mapped[str] = mapped_column(String(20), default="materiel")
    libelle: Mapped[str] = mapped_column(String(200))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id", ondelete="SET NULL"), index=True)
    quantite: Mapped[int | None] = mapped_column(Integer)
    unite: Mapped[str] = mapped_column(String(40), default="")
    localisation: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    service: Mapped[Service | None] = relationship()

    def audit_label(self) -> str:
        return self.libelle


class CriseMessage(Versionne, Timestamped, Base):
    __tablename__ = "crise_message"
    __audit_type__ = "Modèle de message de crise"
    __audit_parent__ = "plan_id"
    __audit_fields__ = {"titre": "Titre", "destinataire": "Destinataire", "canal": "Canal", "texte": "Texte"}

    plan_id: Mapped[int] = mapped_column(ForeignKey("crise_plan.id", ondelete="CASCADE"), index=True)
    titre: Mapped[str] = mapped_column(String(200))
    destinataire: Mapped[str] = mapped_column(String(200), default="")
    canal: Mapped[str] = mapped_column(String(100), default="")
    texte: Mapped[str] = mapped_column(Text, default="")

    def audit_label(self) -> str:
        return self.titre


class CriseActivation(Timestamped, Base):
    __tablename__ = "crise_activation"
    __audit_type__ = "Activation du plan de crise"
    __audit_parent__ = "plan_id"
    __audit_fields__ = {"niveau_id": "Niveau", "scenario_id": "Scénario", "declencheur": "Événement déclencheur",
                        "declenchee_le": "Déclenchée le", "decidee_par": "Décidée par", "exercice": "Exercice",
                        "levee_le": "Levée le", "levee_par": "Levée décidée par", "motif_levee": "Motif de la levée"}  # fmt: skip

    plan_id: Mapped[int] = mapped_column(ForeignKey("crise_plan.id", ondelete="RESTRICT"), index=True)
    niveau_id: Mapped[int | None] = mapped_column(ForeignKey("crise_niveau.id", ondelete="SET NULL"))
    scenario_id: Mapped[int | None] = mapped_column(ForeignKey("crise_scenario.id", ondelete="SET NULL"))
    declencheur: Mapped[str] = mapped_column(Text)
    declenchee_le: Mapped[datetime] = mapped_column(DateTime)
    decidee_par: Mapped[str] = mapped_column(String(200))
    exercice: Mapped[bool] = mapped_column(default=False)
    levee_le: Mapped[datetime | None] = mapped_column(DateTime)
    levee_par: Mapped[str | None] = mapped_column(String(200))
    motif_levee: Mapped[str | None] = mapped_column(Text)
    plan: Mapped[CrisePlan] = relationship()
    niveau: Mapped[CriseNiveau | None] = relationship()
    scenario: Mapped[CriseScenario | None] = relationship()

    def audit_label(self) -> str:
        return f"Activation du {self.declenchee_le:%d/%m/%Y %H:%M}" if self.declenchee_le else "Activation"


class CriseEntree(Base):
    """One line of the main courante: immutable once written."""

    __tablename__ = "crise_entree"
    __audit_type__ = "Entrée de main courante"
    __audit_parent__ = "activation_id"
    __audit_values__ = {"categorie": rules.CATEGORIES_ENTREE}
    __audit_fields__ = {"numero": "N°", "horodatage": "Heure", "auteur": "Auteur", "categorie": "Catégorie", "texte": "Texte",
                        "corrige_id": "Corrige l'entrée", "role_code": "Rôle", "conditions": "Situation",
                        "actions": "Actions en cours", "besoins": "Besoins"}  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    activation_id: Mapped[int] = mapped_column(
        ForeignKey("crise_activation.id", ondelete="RESTRICT"), index=True
    )
    numero: Mapped[int] = mapped_column(Integer)
    horodatage: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    auteur: Mapped[str] = mapped_column(String(200))
    categorie: Mapped[str] = mapped_column(String(20))
    texte: Mapped[str] = mapped_column(Text, default="")
    #: the entry this one corrects (which stays, struck through)
    corrige_id: Mapped[int | None] = mapped_column(
        ForeignKey("crise_entree.id", ondelete="RESTRICT"), unique=True
    )
    role_code: Mapped[str | None] = mapped_column(String(20))
    conditions: Mapped[str | None] = mapped_column(Text)
    actions: Mapped[str | None] = mapped_column(Text)
    besoins: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("activation_id", "numero"),)

    def audit_label(self) -> str:
        return f"n° {self.numero}"


class CriseCoche(Base):
    """A task of a fiche réflexe ticked during an activation."""

    __tablename__ = "crise_coche"
    __audit_type__ = "Tâche cochée"
    __audit_parent__ = "activation_id"
    __audit_fields__ = {"tache_id": "Tâche", "cochee_le": "Cochée le", "par": "Par"}

    activation_id: Mapped[int] = mapped_column(
        ForeignKey("crise_activation.id", ondelete="CASCADE"), primary_key=True
    )
    tache_id: Mapped[int] = mapped_column(ForeignKey("crise_tache.id", ondelete="CASCADE"), primary_key=True)
    cochee_le: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    par: Mapped[str] = mapped_column(String(200), default="")

    def audit_label(self) -> str:
        return f"tâche {self.tache_id}"


class CriseExercice(Versionne, Timestamped, Base):
    __tablename__ = "crise_exercice"
    __audit_type__ = "Exercice de crise"
    __audit_parent__ = "plan_id"
    __audit_values__ = {"type_exercice": rules.TYPES_EXERCICE}
    __audit_fields__ = {"intitule": "Intitulé", "le": "Date", "type_exercice": "Type", "scenario_id": "Scénario",
                        "participants": "Participants", "debrief_chaud": "Débriefing à chaud", "retex": "RETEX (à froid)",
                        "retex_le": "RETEX le", "activation_id": "Activation"}  # fmt: skip

    plan_id: Mapped[int] = mapped_column(ForeignKey("crise_plan.id", ondelete="CASCADE"), index=True)
    scenario_id: Mapped[int | None] = mapped_column(ForeignKey("crise_scenario.id", ondelete="SET NULL"))
    activation_id: Mapped[int | None] = mapped_column(ForeignKey("crise_activation.id", ondelete="SET NULL"))
    intitule: Mapped[str] = mapped_column(String(300))
    le: Mapped[date] = mapped_column(Date, index=True)
    type_exercice: Mapped[str] = mapped_column(String(20), default="table")
    participants: Mapped[str] = mapped_column(Text, default="")
    debrief_chaud: Mapped[str] = mapped_column(Text, default="")
    retex: Mapped[str] = mapped_column(Text, default="")
    retex_le: Mapped[date | None] = mapped_column(Date)
    constats: Mapped[list[CriseConstat]] = relationship(
        cascade="all, delete-orphan", order_by="CriseConstat.ordre"
    )

    def audit_label(self) -> str:
        return f"{self.intitule} ({self.le:%d/%m/%Y})" if self.le else self.intitule


class CriseConstat(Versionne, Timestamped, Base):
    """A finding of a debrief or RETEX; it may become a PAQSS action (linked, source « retex »)."""

    __tablename__ = "crise_constat"
    __audit_type__ = "Constat de RETEX"
    __audit_parent__ = "exercice_id"
    __audit_fields__ = {"texte": "Constat", "point_fort": "Point fort", "ordre": "Ordre"}

    exercice_id: Mapped[int] = mapped_column(ForeignKey("crise_exercice.id", ondelete="CASCADE"), index=True)
    ordre: Mapped[int] = mapped_column(Integer, default=0)
    texte: Mapped[str] = mapped_column(Text)
    point_fort: Mapped[bool] = mapped_column(default=False)

    def audit_label(self) -> str:
        return self.texte[:120]


@event.listens_for(Session, "before_flush")
def _entrees_immuables(session: Session, _ctx: object, _instances: object) -> None:
    """The main courante is append-only: an entry is never changed nor removed once written."""
    from qualite_app.errors import UserError

    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, CriseEntree) and (obj in session.deleted or session.is_modified(obj)):
            raise UserError(
                "Une entrée de main courante ne se modifie ni ne se supprime : saisissez une correction."
            )
