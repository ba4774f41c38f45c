"""The plan as plain data (frozen dataclasses): what the services return to the GUI and the CLI, and what the
binder, the pocket cards and the log builders draw. Neither side imports the other."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class PersonneV:
    id: int
    nom: str
    fonction: str = ""
    tel: str = ""
    actif: bool = True


@dataclass(frozen=True)
class RevisionV:
    version: str
    le: date
    objet: str


@dataclass(frozen=True)
class NiveauV:
    id: int
    code: str
    nom: str
    declenchement: str
    levee: str
    version_ligne: int | None = None  # the row version read with the plan (optimistic locking of its form)


@dataclass(frozen=True)
class ScenarioV:
    id: int
    code: str
    nom: str
    famille: str
    couleur: str | None
    description: str
    version_ligne: int | None = None  # the row version read with the plan (optimistic locking of its form)


@dataclass(frozen=True)
class RoleV:
    id: int
    code: str
    libelle: str
    mission: str
    rend_compte_a: str
    lieu: str
    titulaire: PersonneV | None
    suppleants: tuple[PersonneV, ...] = ()
    version_ligne: int | None = None  # the row version read with the plan (optimistic locking of its form)


@dataclass(frozen=True)
class TacheV:
    id: int
    phase: str
    qui: str
    texte: str


@dataclass(frozen=True)
class FicheV:
    id: int
    titre: str
    role_id: int | None
    role_code: str
    role_libelle: str
    mission: str
    rend_compte_a: str
    lieu: str
    documents: str
    scenarios: tuple[str, ...]  # scenario codes; empty = every scenario
    taches: tuple[TacheV, ...]


@dataclass(frozen=True)
class ContactV:
    id: int
    categorie: str
    fonction: str
    nom: str
    organisme: str
    tel: str
    tel_secours: str
    email: str
    appele_par: str  # « fonction — nom » of the caller in the call-back plan
    roles: tuple[str, ...]
    notes: str
    personne_id: int | None = None
    version_ligne: int | None = None  # the row version read with the plan (optimistic locking of its form)


@dataclass(frozen=True)
class RessourceV:
    id: int
    type_ressource: str
    libelle: str
    service: str
    quantite: int | None
    unite: str
    localisation: str
    notes: str
    version_ligne: int | None = None  # the row version read with the plan (optimistic locking of its form)
    service_id: int | None = None  # the service named by ``service`` (its form's drop-down)


@dataclass(frozen=True)
class MessageV:
    id: int
    titre: str
    destinataire: str
    canal: str
    texte: str
    version_ligne: int | None = None  # the row version read with the plan (optimistic locking of its form)


@dataclass(frozen=True)
class PlanV:
    id: int
    nom: str
    type_plan: str
    version: str
    adopte_le: date | None
    avis_directoire_le: date | None
    avis_cme_le: date | None
    avis_cse_le: date | None
    cycle_revision_mois: int
    prochaine_revision: date | None
    en_vigueur: bool
    diffusion: str
    description: str
    revisions: tuple[RevisionV, ...] = ()
    niveaux: tuple[NiveauV, ...] = ()
    scenarios: tuple[ScenarioV, ...] = ()
    roles: tuple[RoleV, ...] = ()
    fiches: tuple[FicheV, ...] = ()
    contacts: tuple[ContactV, ...] = ()
    ressources: tuple[RessourceV, ...] = ()
    messages: tuple[MessageV, ...] = ()
    cycle_exercice_mois: int = 12
    charge_le: datetime | None = None  # when it was read: the moment its items' forms opened them

    def edition(self, item: Any) -> dict[str, Any]:
        """What a form opened of one of the plan's items (a contact, a role, a level…), read with the plan:
        ``Data(..., **plan.edition(contact))`` — its version then, not when the user picked it."""
        return {"version_ligne": getattr(item, "version_ligne", None), "charge_le": self.charge_le}


@dataclass(frozen=True)
class ClasseurData:
    """Everything the binder shows; ``today`` is the print date."""

    etablissement: str
    plan: PlanV
    today: date
    recto_verso: bool = False
    #: (title, PNG/JPEG bytes) of each appendix image: site maps, patient flows
    annexes: tuple[tuple[str, bytes], ...] = ()


@dataclass(frozen=True)
class CartesData:
    etablissement: str
    plan: PlanV
    today: date
    roles: tuple[str, ...] = ()  # role codes to print; empty = all


@dataclass(frozen=True)
class EntreeV:
    id: int
    numero: int
    horodatage: datetime
    auteur: str
    categorie: str
    texte: str
    corrige_numero: int | None = None
    barree_par: int | None = None  # numero of the correcting entry
    role_code: str | None = None
    conditions: str | None = None
    actions: str | None = None
    besoins: str | None = None


@dataclass(frozen=True)
class ActivationV:
    id: int
    plan_id: int
    plan: str
    version: str
    niveau: str
    scenario: str
    declencheur: str
    declenchee_le: datetime
    decidee_par: str
    exercice: bool
    levee_le: datetime | None
    levee_par: str | None
    motif_levee: str | None


@dataclass(frozen=True)
class JournalData:
    etablissement: str
    activation: ActivationV
    entrees: tuple[EntreeV, ...]
    coches: tuple[tuple[str, str, datetime, str], ...] = field(default=())  # (role, task, when, who)


def snapshot(obj: Any) -> dict[str, Any]:
    """JSON-able form of any of these dataclasses (dates as ISO strings): the register's fingerprint."""
    return _jsonable(asdict(obj))


#: the reading's bookkeeping (optimistic locking), not the plan's content: out of the register's fingerprint
_EDITION = ("version_ligne", "charge_le")


def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items() if k not in _EDITION}
    if isinstance(v, list | tuple):
        return [_jsonable(x) for x in v]
    if isinstance(v, date | datetime):
        return v.isoformat()
    if isinstance(v, bytes):  # an appendix image: its fingerprint, not its bytes
        import hashlib

        return "sha256:" + hashlib.sha256(v).hexdigest()
    return v
