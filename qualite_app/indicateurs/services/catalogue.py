"""The national catalogue of indicators (``resources/catalogues/indicateurs.yaml``) and following its entries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from sqlalchemy import select

from qualite_app import paths
from qualite_app.errors import UserError
from qualite_app.indicateurs.models import Indicateur
from qualite_app.indicateurs.rules import SECTEURS, SENS, TYPES
from qualite_app.storage.database import Database


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    libelle: str
    secteur: str
    type: str
    unite: str
    sens: str
    source: str
    periodicite: str
    theme: str
    definition: str = ""
    alias: tuple[str, ...] = ()


@cache
def catalogue() -> tuple[CatalogueEntry, ...]:
    """The national catalogue shipped in ``resources/catalogues/indicateurs.yaml``, validated on load."""

    data = paths.load_yaml(paths.resources_dir() / "catalogues" / "indicateurs.yaml")
    out = []
    seen: set[str] = set()
    for i, item in enumerate(data.get("indicateurs", []), start=1):
        try:
            e = CatalogueEntry(
                code=str(item["code"]),
                libelle=str(item["libelle"]),
                secteur=str(item.get("secteur", "TOUS")),
                type=str(item.get("type", "taux")),
                unite=str(item.get("unite", "%")),
                sens=str(item.get("sens", "hausse")),
                source=str(item.get("source", "IQSS")),
                periodicite=str(item.get("periodicite", "annuelle")),
                theme=str(item.get("theme", "")),
                definition=str(item.get("definition", "") or ""),
                alias=tuple(str(a) for a in item.get("alias", []) or []),
            )
        except KeyError as exc:
            raise RuntimeError(f"Catalogue des indicateurs, entrée {i} : champ {exc} manquant.") from exc
        if e.code in seen or e.secteur not in SECTEURS or e.type not in TYPES or e.sens not in SENS:
            raise RuntimeError(f"Catalogue des indicateurs, entrée {i} ({e.code}) invalide.")
        seen.add(e.code)
        out.append(e)
    return tuple(out)


def catalogue_entry(code: str) -> CatalogueEntry | None:
    return next((e for e in catalogue() if e.code == code), None)


def suivre_catalogue(db: Database, codes: Iterable[str]) -> list[str]:
    """Create (or mark as followed) the catalogue indicators ``codes``; returns the codes created."""
    created = []
    with db.unit_of_work() as s:
        for code in codes:
            e = catalogue_entry(code)
            if e is None:
                raise UserError(f"L'indicateur « {code} » n'est pas dans le catalogue national.")
            ind = s.scalar(select(Indicateur).where(Indicateur.code == code))
            if ind is not None:
                ind.suivi = True
                continue
            s.add(from_catalogue(e))
            created.append(code)
    return created


def from_catalogue(e: CatalogueEntry) -> Indicateur:
    return Indicateur(
        code=e.code,
        libelle=e.libelle,
        secteur=e.secteur,
        type=e.type,
        unite=e.unite,
        sens=e.sens,
        source=e.source,
        periodicite=e.periodicite,
        theme=e.theme or None,
        definition=e.definition or None,
        catalogue_code=e.code,
        suivi=True,
        echelle=100.0,
        graphique="auto",
    )
