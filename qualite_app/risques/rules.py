"""The a-priori risk map: criticality G × F (× M), zones with local cut-offs, heat-map counts. Pure Python."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

GRAVITES: dict[int, str] = {
    1: "Mineure",
    2: "Significative",
    3: "Majeure",
    4: "Critique",
    5: "Catastrophique",
}
FREQUENCES: dict[int, str] = {
    1: "Très improbable",
    2: "Improbable",
    3: "Probable",
    4: "Très probable",
    5: "Quasi certaine",
}
#: control level M (1 = very good control … 4 = none): optional third factor
MAITRISES: dict[int, str] = {1: "Très bonne", 2: "Bonne", 3: "Partielle", 4: "Insuffisante"}

ACCEPTABLE = "acceptable"
TOLERABLE = "tolerable"
INACCEPTABLE = "inacceptable"
ZONES: dict[str, str] = {
    ACCEPTABLE: "Acceptable",
    TOLERABLE: "Tolérable sous contrôle",
    INACCEPTABLE: "Inacceptable",
}
ZONE_COULEURS = {ACCEPTABLE: "#8BC34A", TOLERABLE: "#FFC107", INACCEPTABLE: "#E53935"}


@dataclass(frozen=True)
class Seuils:
    """Local cut-offs: criticality ≥ ``tolerable`` is tolerable, ≥ ``inacceptable`` unacceptable.
    With ``avec_maitrise`` the criticality is G × F × M and the cut-offs apply to that product."""

    tolerable: int = 5
    inacceptable: int = 12
    avec_maitrise: bool = False

    def erreurs(self) -> dict[str, str]:
        maxi = 100 if self.avec_maitrise else 25
        out = {}
        if not 2 <= self.tolerable <= maxi:
            out["tolerable"] = f"Le seuil « tolérable » doit être compris entre 2 et {maxi}."
        if not self.tolerable < self.inacceptable <= maxi:
            out["inacceptable"] = (
                f"Le seuil « inacceptable » doit dépasser le seuil « tolérable » ({self.tolerable}) et ne pas dépasser {maxi}."
            )
        return out


def criticite(
    g: int | None, f: int | None, m: int | None = None, *, avec_maitrise: bool = False
) -> int | None:
    if not g or not f:
        return None
    return g * f * (m or 1) if avec_maitrise else g * f


def zone(c: int | None, seuils: Seuils) -> str | None:
    if c is None:
        return None
    if c >= seuils.inacceptable:
        return INACCEPTABLE
    if c >= seuils.tolerable:
        return TOLERABLE
    return ACCEPTABLE


def zone_cellule(g: int, f: int, seuils: Seuils) -> str:
    """The colour of a heat-map cell (the G × F product, control left aside)."""
    return zone(g * f, Seuils(seuils.tolerable, seuils.inacceptable, False)) or ACCEPTABLE


def erreur_echelle(value: int | None, label: str, maxi: int = 5, *, obligatoire: bool = True) -> str | None:
    if value is None:
        return f"{label} : valeur obligatoire (1 à {maxi})." if obligatoire else None
    if not 1 <= value <= maxi:
        return f"{label} : {value} n'est pas entre 1 et {maxi}."
    return None


def heatmap(couples: Iterable[tuple[int | None, int | None]]) -> list[list[int]]:
    """5×5 counts: ``grid[g-1][f-1]`` is the number of risks with severity g and frequency f (incomplete
    couples are left out)."""
    grid = [[0] * 5 for _ in range(5)]
    for g, f in couples:
        if g and f and 1 <= g <= 5 and 1 <= f <= 5:
            grid[g - 1][f - 1] += 1
    return grid


def reference(n: int) -> str:
    return f"R-{n:04d}"
