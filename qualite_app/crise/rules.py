"""Crisis-plan rules: vocabularies, phases of a fiche réflexe, the checks of a plan, due dates. Pure Python."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

TYPES_PLAN: dict[str, str] = {
    "pgthsse": "PGTHSSE (France)",
    "pmu_qc": "Plan de mesures d'urgence (Québec)",
    "autre": "Autre plan",
}

#: the timed blocks of a fiche réflexe (HICS job action sheet model), in reading order
PHASES: dict[str, str] = {
    "immediat": "Première phase (0 – 2 h)",
    "intermediaire": "Phase intermédiaire (2 – 12 h)",
    "prolonge": "Phase prolongée (au-delà de 12 h)",
    "levee": "Levée du dispositif",
}

FAMILLES_SCENARIO: dict[str, str] = {
    "orsan": "Volet ORSAN",
    "transversal": "Module transversal",
    "code": "Code de couleur",
    "autre": "Autre",
}

CATEGORIES_CONTACT: dict[str, str] = {
    "cellule": "Cellule de crise",
    "interne": "Services internes",
    "autorite": "Autorités (ARS, SAMU, préfecture)",
    "etablissement": "Établissements voisins",
    "fournisseur": "Fournisseurs et prestataires",
    "autre": "Autres",
}

TYPES_RESSOURCE: dict[str, str] = {
    "lits": "Lits libérables",
    "stock": "Stocks",
    "salle": "Locaux",
    "materiel": "Matériel",
}

#: categories of a main-courante entry; the key is the keyboard shortcut's letter
CATEGORIES_ENTREE: dict[str, str] = {
    "fait": "Fait",
    "decision": "Décision",
    "action": "Action",
    "message": "Message",
    "point": "Point de situation",
    "correction": "Correction",
}
RACCOURCIS_ENTREE: dict[str, str] = {"fait": "F", "decision": "D", "action": "A", "message": "M"}

TYPES_EXERCICE: dict[str, str] = {
    "table": "Exercice sur table",
    "grandeur_reelle": "Exercice en grandeur réelle",
    "activation_reelle": "Activation réelle",
}

#: default cycles (months): the text sets none for the review, practice is yearly (DOMAIN §5)
CYCLE_REVISION_MOIS = 12
CYCLE_EXERCICE_MOIS = 12
#: how many days ahead a review shows as « à prévoir »
PREAVIS_JOURS = 60


def add_months(d: date, months: int) -> date:
    """``d`` plus whole months, clamped to the end of a shorter month (31/01 + 1 → 28/02)."""
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    import calendar

    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def prochaine_revision(
    adopte_le: date | None, cycle_mois: int | None, fixee: date | None = None
) -> date | None:
    """The next review: the date set by hand, else adoption + cycle."""
    if fixee is not None:
        return fixee
    if adopte_le is None:
        return None
    return add_months(adopte_le, cycle_mois or CYCLE_REVISION_MOIS)


def etat_echeance(echeance: date | None, today: date, preavis: int = PREAVIS_JOURS) -> str:
    """« depassee », « proche », « ok » or « inconnue »."""
    if echeance is None:
        return "inconnue"
    if echeance < today:
        return "depassee"
    if (echeance - today).days <= preavis:
        return "proche"
    return "ok"


@dataclass(frozen=True)
class PersonneEtat:
    """What the rules need to know of a directory person."""

    id: int
    nom: str
    actif: bool


@dataclass(frozen=True)
class RoleEtat:
    code: str
    libelle: str
    titulaire: PersonneEtat | None
    #: a holder id that no longer exists in the directory
    titulaire_absent: bool = False
    suppleants: tuple[PersonneEtat, ...] = ()


@dataclass(frozen=True)
class Alerte:
    gravite: str  # « erreur » | « attention »
    sujet: str  # « Rôle DIR », « Révision », « Exercice »
    message: str


def controle_roles(roles: Iterable[RoleEtat]) -> list[Alerte]:
    """A role without a holder, a holder absent or inactive in the directory, an inactive deputy, no deputy."""
    out: list[Alerte] = []
    for r in roles:
        sujet = f"Rôle « {r.libelle} »"
        if r.titulaire is None:
            msg = "titulaire absent de l'annuaire" if r.titulaire_absent else "aucun titulaire désigné"
            out.append(Alerte("erreur", sujet, msg))
        elif not r.titulaire.actif:
            out.append(Alerte("erreur", sujet, f"le titulaire {r.titulaire.nom} est inactif dans l'annuaire"))
        for d in r.suppleants:
            if not d.actif:
                out.append(Alerte("attention", sujet, f"le suppléant {d.nom} est inactif dans l'annuaire"))
        if not any(d.actif for d in r.suppleants):
            out.append(Alerte("attention", sujet, "aucun suppléant actif"))
    return out


def controle_echeances(
    prochaine_revision: date | None,
    dernier_exercice: date | None,
    today: date,
    cycle_exercice_mois: int = CYCLE_EXERCICE_MOIS,
) -> list[Alerte]:
    """The review of the plan and the yearly exercise, as due dates."""
    out: list[Alerte] = []
    etat = etat_echeance(prochaine_revision, today)
    if etat == "depassee":
        assert prochaine_revision is not None
        out.append(
            Alerte("erreur", "Révision", f"révision du plan dépassée depuis le {prochaine_revision:%d/%m/%Y}")
        )
    elif etat == "proche":
        assert prochaine_revision is not None
        out.append(
            Alerte(
                "attention", "Révision", f"révision du plan à prévoir avant le {prochaine_revision:%d/%m/%Y}"
            )
        )
    elif etat == "inconnue":
        out.append(Alerte("attention", "Révision", "date de prochaine révision non fixée"))
    if dernier_exercice is None:
        out.append(Alerte("attention", "Exercice", "aucun exercice enregistré pour ce plan"))
    else:
        due = add_months(dernier_exercice, cycle_exercice_mois)
        if due < today:
            out.append(Alerte("erreur", "Exercice", f"exercice annuel en retard (dû le {due:%d/%m/%Y})"))
    return out


@dataclass(frozen=True)
class EcheancesPlan:
    """A plan in force, its next review and what is due of it (review, yearly exercise)."""

    plan_id: int
    nom: str
    prochaine_revision: date | None
    alertes: tuple[Alerte, ...]


def echeances_plan(row: tuple[Any, ...], today: date) -> EcheancesPlan:
    """A row of ``services.echeances_plans_query`` (id, name, adopted on, review cycle, fixed review, exercise
    cycle, last exercise) → its due dates, errors first."""
    pid, nom, adopte, cycle_rev, fixee, cycle_ex, le = row
    revision = prochaine_revision(adopte, cycle_rev, fixee)
    alertes_ = controle_echeances(revision, le, today, cycle_ex)
    return EcheancesPlan(pid, nom, revision, tuple(sorted(alertes_, key=lambda a: a.gravite != "erreur")))


def cle_tri_contact(categorie: str, fonction: str, nom: str) -> tuple[int, str, str]:
    """The directory is sorted by category (cell first), then by function."""
    order = list(CATEGORIES_CONTACT)
    return (order.index(categorie) if categorie in order else len(order), fonction.casefold(), nom.casefold())


def date_fr(text: str | None, label: str = "Date") -> date | None:
    """« 31/01/2026 » (or ISO « 2026-01-31 ») → date; empty → None; anything else → ValueError in French."""
    t = (text or "").strip()
    if not t:
        return None
    from datetime import datetime

    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y"):
        try:
            return datetime.strptime(t, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{label} : « {t} » n'est pas une date valide (attendu : jj/mm/aaaa).")


def libelle(table: dict[str, str], code: str | None) -> str:
    return table.get(code or "", code or "")
