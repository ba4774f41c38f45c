"""Adverse events: statuses, EIGS deadlines, analysis methods and factor families. Pure Python.

The legal calendar of an EIGS (décret 2016-1606, arrêté of 19 December 2017): part 1 « sans délai »
(the ARS tolerate about a week: ``TOLERANCE_PARTIE1``), part 2 at the latest three months after part 1.
Three months from 30 November is 29 February in a leap year, 28 otherwise: the day is clamped to the
month's last day (``add_months``).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

DECLARE = "declare"
EN_ANALYSE = "en_analyse"
ACTIONS_DECIDEES = "actions_decidees"
CLOTURE = "cloture"

#: code -> French label, in workflow order
STATUTS: dict[str, str] = {
    DECLARE: "Déclaré",
    EN_ANALYSE: "En analyse",
    ACTIONS_DECIDEES: "Actions décidées",
    CLOTURE: "Clôturé",
}
#: allowed moves: forward one step or more, back to analysis (a new fact), reopen a closed event
TRANSITIONS: dict[str, frozenset[str]] = {
    DECLARE: frozenset({EN_ANALYSE, ACTIONS_DECIDEES, CLOTURE}),
    EN_ANALYSE: frozenset({DECLARE, ACTIONS_DECIDEES, CLOTURE}),
    ACTIONS_DECIDEES: frozenset({EN_ANALYSE, CLOTURE}),
    CLOTURE: frozenset({EN_ANALYSE}),
}

#: days tolerated for part 1 (« sans délai ») after the establishment learns of the event
TOLERANCE_PARTIE1 = 7
#: months allowed for part 2 after part 1
MOIS_PARTIE2 = 3
#: a deadline this close is shown as « proche »
JOURS_PROCHE = 15

METHODES: dict[str, str] = {
    "alarm": "ALARM",
    "orion": "ORION (séance de CREX)",
    "rmm": "RMM (revue de mortalité et de morbidité)",
    "remed": "REMED",
    "5pourquoi": "5 pourquoi",
    "ishikawa": "Ishikawa",
}

#: the seven ALARM families of contributing factors
FAMILLES_ALARM: dict[str, str] = {
    "patient": "Patient",
    "tache": "Tâches à accomplir",
    "individu": "Individu (soignant)",
    "equipe": "Équipe",
    "environnement": "Environnement de travail",
    "organisation": "Organisation et management",
    "contexte": "Contexte institutionnel",
}
FAMILLES_5M: dict[str, str] = {
    "matiere": "Matières",
    "materiel": "Matériel",
    "methode": "Méthodes",
    "main_oeuvre": "Main-d'œuvre",
    "milieu": "Milieu",
}
FAMILLES_7M: dict[str, str] = {**FAMILLES_5M, "management": "Management", "moyens": "Moyens financiers"}


def familles(methode: str, sept_m: bool = False) -> dict[str, str]:
    """The factor families offered for a method: Ishikawa's 5M (7M on request), ALARM's seven otherwise."""
    if methode == "ishikawa":
        return FAMILLES_7M if sept_m else FAMILLES_5M
    return FAMILLES_ALARM


def famille_label(code: str) -> str:
    return FAMILLES_ALARM.get(code) or FAMILLES_7M.get(code) or code


def statut_label(code: str) -> str:
    return STATUTS.get(code, code)


def methode_label(code: str) -> str:
    return METHODES.get(code, code)


def transition_permise(avant: str, apres: str) -> bool:
    return avant == apres or apres in TRANSITIONS.get(avant, frozenset())


# --- deadlines -------------------------------------------------------------------------------------
def add_months(d: date, months: int) -> date:
    """``d`` plus ``months`` calendar months, the day clamped to the target month's last day."""
    m = d.month - 1 + months
    year, month = d.year + m // 12, m % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def echeance_partie1(connaissance: date, tolerance: int = TOLERANCE_PARTIE1) -> date:
    return connaissance + timedelta(days=tolerance)


def echeance_partie2(connaissance: date, partie1_envoyee_le: date | None) -> date:
    """Three months after part 1 was sent; before that, three months after the date part 1 is due at
    the latest (the earliest honest reminder)."""
    base = partie1_envoyee_le or echeance_partie1(connaissance)
    return add_months(base, MOIS_PARTIE2)


EN_RETARD = "en_retard"
PROCHE = "proche"
A_VENIR = "a_venir"
ENVOYEE = "envoyee"
ETATS: dict[str, str] = {EN_RETARD: "En retard", PROCHE: "Proche", A_VENIR: "À venir", ENVOYEE: "Envoyée"}


def etat_echeance(echeance: date, envoyee_le: date | None, today: date) -> str:
    if envoyee_le is not None:
        return ENVOYEE
    if echeance < today:
        return EN_RETARD
    if (echeance - today).days <= JOURS_PROCHE:
        return PROCHE
    return A_VENIR


@dataclass(frozen=True)
class Echeance:
    """One part of one EIGS to send: what the home page, the list, the CLI and the calendar show."""

    evenement_id: int
    reference: str
    partie: int
    echeance: date
    envoyee_le: date | None
    etat: str
    jours: int  # days left (negative: overdue)

    @property
    def libelle(self) -> str:
        return f"EIGS {self.reference} — partie {self.partie}"


def echeances_eigs(
    evenement_id: int,
    reference: str,
    connaissance: date,
    partie1_envoyee_le: date | None,
    partie2_envoyee_le: date | None,
    today: date,
) -> list[Echeance]:
    e1 = echeance_partie1(connaissance)
    e2 = echeance_partie2(connaissance, partie1_envoyee_le)
    return [
        Echeance(evenement_id, reference, 1, e1, partie1_envoyee_le, etat_echeance(e1, partie1_envoyee_le, today),
                 (e1 - today).days),
        Echeance(evenement_id, reference, 2, e2, partie2_envoyee_le, etat_echeance(e2, partie2_envoyee_le, today),
                 (e2 - today).days),
    ]  # fmt: skip


def ordre_echeances(rows: list[Echeance]) -> list[Echeance]:
    """Overdue first (most overdue on top), then by date; parts already sent last."""
    return sorted(rows, key=lambda e: (e.etat == ENVOYEE, e.echeance, e.reference, e.partie))


def echeances_lignes(rows: list[tuple[Any, ...]], today: date, a_envoyer: bool = True) -> list[Echeance]:
    """Rows (event id, reference, known on, part 1 sent on, part 2 sent on) → every part's deadline, overdue
    first; ``a_envoyer``: only the parts still to send."""
    out: list[Echeance] = []
    for evenement_id, reference, connaissance, partie1, partie2 in rows:
        out += echeances_eigs(evenement_id, reference, connaissance, partie1, partie2, today)
    if a_envoyer:
        out = [e for e in out if e.envoyee_le is None]
    return ordre_echeances(out)


# --- severity scales -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Niveau:
    code: str
    libelle: str
    aide: str
    rang: int
    nature: str | None = None  # Quebec: incident / accident


@dataclass(frozen=True)
class Echelle:
    pays: str
    nom: str
    niveaux: tuple[Niveau, ...]

    def codes(self) -> list[str]:
        return [n.code for n in self.niveaux]

    def niveau(self, code: str | None) -> Niveau | None:
        if code is None:
            return None
        key = str(code).strip().upper()
        return next((n for n in self.niveaux if n.code.upper() == key), None)

    def rang(self, code: str | None) -> int | None:
        n = self.niveau(code)
        return n.rang if n else None

    def libelle(self, code: str | None) -> str:
        n = self.niveau(code)
        return n.libelle if n else (code or "")

    def nature(self, code: str | None) -> str | None:
        n = self.niveau(code)
        return n.nature if n else None


def echelle_depuis(pays: str, data: dict[str, Any]) -> Echelle:
    """An ``Echelle`` from the catalogue's dict (``{"nom": …, "niveaux": [{code, libelle, aide, nature}]}``)."""
    items: list[dict[str, Any]] = list(data["niveaux"])
    niveaux = tuple(
        Niveau(str(n["code"]), str(n["libelle"]), str(n.get("aide", "")), i, n.get("nature"))
        for i, n in enumerate(items, start=1)
    )
    return Echelle(pays, str(data["nom"]), niveaux)


def reference(prefix: str, year: int, n: int) -> str:
    return f"{prefix}-{year}-{n:05d}"
