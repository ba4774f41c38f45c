"""Event types, sub-types and severity scales per country, read from ``resources/catalogues/evenements.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from qualite_app import paths
from qualite_app.evenements.rules import Echelle, echelle_depuis


@dataclass(frozen=True)
class TypeEvenement:
    code: str
    libelle: str
    sous_types: dict[str, str]


@cache
def _load() -> dict[str, Any]:
    data = paths.load_yaml(paths.resources_dir() / "catalogues" / "evenements.yaml")
    assert isinstance(data, dict)
    return data


def _pays(pays: str | None) -> dict[str, Any]:
    data = _load()
    return data.get((pays or "FR").upper()) or data["FR"]  # type: ignore[no-any-return]


@cache
def echelle(pays: str | None) -> Echelle:
    key = (pays or "FR").upper()
    return echelle_depuis(key if key in _load() else "FR", _pays(pays)["echelle"])


def types(pays: str | None) -> list[TypeEvenement]:
    return list(_types(pays))


@cache
def _types(pays: str | None) -> tuple[TypeEvenement, ...]:
    return tuple(
        TypeEvenement(t["code"], t["libelle"], dict(t.get("sous_types") or {})) for t in _pays(pays)["types"]
    )


def type_label(pays: str | None, code: str | None) -> str:
    return next((t.libelle for t in types(pays) if t.code == code), code or "")


def sous_type_label(pays: str | None, type_code: str | None, code: str | None) -> str:
    for t in types(pays):
        if t.code == type_code:
            return t.sous_types.get(code or "", code or "")
    return code or ""


def libelle_information(pays: str | None) -> str:
    """« Patient ou proches informés » in France, « Divulgation faite » in Quebec."""
    return str(_pays(pays)["information"])
