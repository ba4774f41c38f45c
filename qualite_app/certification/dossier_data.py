"""What the dossier's index and the readiness report are built from: plain data, JSON-able snapshot."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class PreuveIndex:
    titre: str
    date_preuve: date | None
    valide_jusqu_au: date | None
    sha256: str
    chemin: str  # path inside the ZIP (« » for a link to an item of the app)
    expiree: bool = False
    lien: str = ""  # « Action PAQSS n° 12 » for a linked item


@dataclass(frozen=True)
class ElementIndex:
    ref: str
    titre: str
    reponse: str  # French label or « Non évalué »
    commentaire: str
    evaluateur: str
    date: date | None


@dataclass
class CritereIndex:
    ref: str
    titre: str
    niveau: str  # French label
    satisfaction: float | None
    imperatif_non_atteint: bool
    elements: list[ElementIndex] = field(default_factory=list)
    preuves: list[PreuveIndex] = field(default_factory=list)


@dataclass
class ObjectifIndex:
    ref: str
    titre: str
    satisfaction: float | None
    criteres: list[CritereIndex] = field(default_factory=list)


@dataclass
class ChapitreIndex:
    ref: str
    titre: str
    satisfaction: float | None
    objectifs: list[ObjectifIndex] = field(default_factory=list)


@dataclass
class DossierData:
    etablissement: str
    campagne: str
    campagne_id: int
    referentiel: str
    version: str
    le: date
    date_visite: date | None
    global_pct: float | None
    decision: str
    motifs: list[str]
    evalues: int
    a_evaluer: int
    chapitres: list[ChapitreIndex]
    a_faire: list[str] = field(default_factory=list)
    #: path in the ZIP → SHA-256 of every evidence file: signed with the index, checked by ``verify``
    fichiers: dict[str, str] = field(default_factory=dict)
    #: the readiness report only: (chapter label, answers by kind) for the stacked bars
    barres: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    #: objective refs × answer kinds counts for the heat grid
    grille: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    #: the decision thresholds applied (rules.Seuils as a dict)
    seuils: dict[str, float] = field(default_factory=dict)
    #: the campaign's scope
    perimetre: str = ""
    #: the evaluation sessions held: (method label, date, service, team, answers)
    seances: list[tuple[str, date, str, str, int]] = field(default_factory=list)


def snapshot_of(data: DossierData) -> dict[str, Any]:
    """The register keeps what the report showed, the evidence hashes included."""
    d = asdict(data)
    d.pop("barres", None)
    d.pop("grille", None)
    return _jsonable(d)


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_jsonable(v) for v in x]
    if isinstance(x, date):
        return x.isoformat()
    return x
