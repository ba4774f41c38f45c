"""The data of the risk-map report (pure dataclasses), shared by ``risques.rapport`` (gathers) and
``risques.report`` (draws)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class LigneRisque:
    reference: str
    processus: str
    danger: str
    gravite: int
    frequence: int
    criticite: int | None
    zone: str | None
    criticite_residuelle: int | None
    zone_residuelle: str | None
    proprietaire: str
    revue_le: date | None
    actions: int


@dataclass
class CarteData:
    etablissement: str
    today: date
    tolerable: int
    inacceptable: int
    avec_maitrise: bool
    brute: list[list[int]]
    residuelle: list[list[int]]
    risques: list[LigneRisque]


def snapshot_of(data: CarteData) -> dict[str, Any]:
    return {
        "date": data.today.isoformat(),
        "seuils": [data.tolerable, data.inacceptable, data.avec_maitrise],
        "brute": data.brute,
        "residuelle": data.residuelle,
        "risques": [[r.reference, r.criticite, r.criticite_residuelle] for r in data.risques],
    }
