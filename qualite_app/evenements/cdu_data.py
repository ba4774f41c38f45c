"""The data of the CDU quarterly summary (pure dataclasses), shared by the service that gathers it
(``evenements.cdu``) and the builder that draws it (``evenements.report``). No personal data: counts,
references, methods and action titles only — never the facts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class ActionCdu:
    reference: str
    titre: str
    origine: str  # « AN-2026-004 (ALARM) »
    statut: str  # label
    avancement: int
    echeance: date | None


@dataclass
class CduData:
    etablissement: str
    trimestre: str  # « 2026-T2 »
    libelle: str  # « T2 2026 »
    debut: date
    fin: date
    today: date
    total: int
    eigs: int
    par_mois: list[tuple[str, int]]
    par_type: list[tuple[str, int]]
    par_gravite: list[tuple[str, int]]
    echelle: str  # name of the scale (« Gravité (1 à 5) »)
    analyses: list[tuple[str, str, str, int]] = field(default_factory=list)  # (ref, method, date, events)
    analyses_par_methode: list[tuple[str, int]] = field(default_factory=list)
    actions: list[ActionCdu] = field(default_factory=list)
    eigs_echeances: list[tuple[str, int, str, str]] = field(default_factory=list)  # (ref, part, due, state)
    total_precedent: int | None = None


def snapshot_of(data: CduData) -> dict[str, Any]:
    d = asdict(data)
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in d.items() if k != "actions"} | {
        "actions": [[a.reference, a.statut, a.avancement] for a in data.actions]
    }
