"""PAQSS rules: statuses and their transitions, deadlines, overdue, references. Pure Python."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

A_LANCER = "a_lancer"
EN_COURS = "en_cours"
REALISEE = "realisee"
ABANDONNEE = "abandonnee"
REPORTEE = "reportee"

#: code -> French label, in the order the director reads them
STATUTS: dict[str, str] = {
    A_LANCER: "À lancer",
    EN_COURS: "En cours",
    REALISEE: "Réalisée",
    ABANDONNEE: "Abandonnée",
    REPORTEE: "Reportée",
}
#: statuses that close an action (never overdue)
CLOTURES = frozenset({REALISEE, ABANDONNEE})
#: statuses that need a reason
AVEC_MOTIF = frozenset({ABANDONNEE, REPORTEE})

SOURCES: dict[str, str] = {
    "certification": "Certification (critère, écart)",
    "iqss": "IQSS / e-Satis",
    "ei": "Événement indésirable / CREX / RMM",
    "eigs": "EIGS",
    "plainte": "Plainte / réclamation",
    "audit": "Audit / EPP / patient traceur",
    "risques": "Cartographie des risques",
    "inspection": "Inspection / contrôle",
    "cpom": "CPOM",
    "retex": "RETEX d'exercice de crise",
    "autre": "Autre",
}

PRIORITES: dict[int, str] = {1: "Haute", 2: "Moyenne", 3: "Basse"}

#: deadline filters of the list
ECHEANCE_FILTRES: dict[str, str] = {
    "en_retard": "En retard",
    "30_jours": "Dans les 30 jours",
    "sans_echeance": "Sans échéance",
}


def statut_label(code: str) -> str:
    return STATUTS.get(code, code)


def source_label(code: str) -> str:
    return SOURCES.get(code, code)


def priorite_label(p: int | None) -> str:
    return PRIORITES.get(p or 2, "")


def echeance_effective(echeance: date | None, echeance_revisee: date | None) -> date | None:
    """The deadline that counts: the revised one when there is one (the original is kept)."""
    return echeance_revisee or echeance


def en_retard(echeance: date | None, echeance_revisee: date | None, statut: str, today: date) -> bool:
    """Overdue: the (revised) deadline is past and the action is neither réalisée nor abandonnée."""
    due = echeance_effective(echeance, echeance_revisee)
    return due is not None and due < today and statut not in CLOTURES


def jours_de_retard(echeance: date | None, echeance_revisee: date | None, statut: str, today: date) -> int:
    if not en_retard(echeance, echeance_revisee, statut, today):
        return 0
    due = echeance_effective(echeance, echeance_revisee)
    assert due is not None
    return (today - due).days


def dans_les_jours(
    echeance: date | None, echeance_revisee: date | None, statut: str, today: date, jours: int = 30
) -> bool:
    due = echeance_effective(echeance, echeance_revisee)
    return due is not None and statut not in CLOTURES and today <= due <= today + timedelta(days=jours)


class ConfirmationRequise(ValueError):
    """The change is allowed only after the user confirms it (message says why)."""


@dataclass(frozen=True)
class StatusDecision:
    statut: str
    avancement: int
    realisee_le: date | None


def check_status(
    statut: str,
    *,
    avancement: int,
    motif: str | None,
    jalons_ouverts: int,
    confirme: bool = False,
    today: date,
    realisee_le: date | None = None,
) -> StatusDecision:
    """Validate a status with what goes with it; raise ValueError (or ConfirmationRequise) in French.

    - abandonnée / reportée need a reason;
    - réalisée with open milestones needs a confirmation;
    - réalisée sets progress to 100 % and the completion date.
    """
    if statut not in STATUTS:
        raise ValueError(f"Statut inconnu : « {statut} ». Statuts possibles : {', '.join(STATUTS.values())}.")
    if not 0 <= avancement <= 100:
        raise ValueError("L'avancement est un pourcentage entre 0 et 100.")
    if statut in AVEC_MOTIF and not (motif or "").strip():
        raise ValueError(f"Indiquez le motif : une action « {STATUTS[statut].lower()} » doit être justifiée.")
    if statut == REALISEE:
        if jalons_ouverts and not confirme:
            s = "s" if jalons_ouverts > 1 else ""
            raise ConfirmationRequise(
                f"{jalons_ouverts} jalon{s} non fait{s} : confirmez-vous que l'action est réalisée ?"
            )
        return StatusDecision(REALISEE, 100, realisee_le or today)
    return StatusDecision(statut, avancement, None)


def statut_propose(statut: str, avancement: int) -> str | None:
    """What the editor proposes when progress changes: 100 % → réalisée; progress on an unlaunched action → en cours."""
    if avancement >= 100 and statut != REALISEE:
        return REALISEE
    if 0 < avancement < 100 and statut == A_LANCER:
        return EN_COURS
    return None


def check_dates(
    date_debut: date | None, echeance: date | None, echeance_revisee: date | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if date_debut and echeance and echeance < date_debut:
        errors["echeance"] = "L'échéance est antérieure à la date de début."
    if date_debut and echeance_revisee and echeance_revisee < date_debut:
        errors["echeance_revisee"] = "L'échéance révisée est antérieure à la date de début."
    return errors


_REF = re.compile(r"^PAQSS-(\d{4})-(\d+)$")


def prochaine_reference(annee: int, existantes: Iterable[str]) -> str:
    """``PAQSS-2026-014``: the next number after the highest one of that year."""
    n = 0
    for ref in existantes:
        m = _REF.match(ref or "")
        if m and int(m.group(1)) == annee:
            n = max(n, int(m.group(2)))
    return f"PAQSS-{annee}-{n + 1:03d}"


def taux_realisation(statuts: Iterable[str]) -> float | None:
    """% of actions réalisées among those not abandoned (None when there is none)."""
    lst = [s for s in statuts if s != ABANDONNEE]
    if not lst:
        return None
    return 100.0 * sum(1 for s in lst if s == REALISEE) / len(lst)
