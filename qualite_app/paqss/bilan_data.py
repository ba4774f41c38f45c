"""The data of the *Bilan du PAQSS* (pure dataclasses), shared by the service that gathers it
(``paqss.bilan``) and the builder that draws it (``paqss.report``): neither imports the other's side."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol


class SummaryView(Protocol):
    """The counts of a programme the bilan shows (``services.paqss.Summary`` has them)."""

    @property
    def par_statut(self) -> dict[str, int]: ...
    @property
    def total(self) -> int: ...
    @property
    def en_retard(self) -> int: ...
    @property
    def taux_annee(self) -> float | None: ...
    @property
    def annee(self) -> int: ...


@dataclass(frozen=True)
class ActionBilan:
    reference: str
    titre: str
    pilotes: str
    echeance: date | None
    statut: str
    avancement: int
    retard: int  # days overdue, 0 when not overdue


@dataclass
class AxeBilan:
    titre: str
    par_statut: dict[str, int]
    actions: list[ActionBilan] = field(default_factory=list)


@dataclass(frozen=True)
class Changement:
    reference: str
    titre: str
    quoi: str
    avant: str
    apres: str


@dataclass
class BilanData:
    etablissement: str
    programme: str
    periode: str
    adopte_le: date | None
    avis_cme_le: date | None
    cdu_informee_le: date | None
    today: date
    summary: SummaryView
    axes: list[AxeBilan]
    retards: list[tuple[ActionBilan, str]]  # (action, axe)
    realisees_par_mois: list[tuple[str, int]]  # ("2026-03", cumulative count)
    precedent_le: datetime | None = None
    changements: list[Changement] = field(default_factory=list)
    nouvelles: list[str] = field(default_factory=list)
    programme_id: int = 0


def snapshot_of(data: BilanData) -> dict[str, Any]:
    """What the next bilan compares with: status, progress and deadline of every action (JSON-safe)."""
    return {
        a.reference: {
            "statut": a.statut,
            "avancement": a.avancement,
            "echeance": a.echeance.isoformat() if a.echeance else None,
            "titre": a.titre,
        }
        for axe in data.axes
        for a in axe.actions
    }
