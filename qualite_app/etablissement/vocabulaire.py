"""Country vocabulary (France / Québec) read from ``resources/catalogues/vocabulaire.yaml``."""

from __future__ import annotations

from functools import cache
from typing import Any

from qualite_app import paths


@cache
def _load() -> dict[str, Any]:
    data = paths.load_yaml(paths.resources_dir() / "catalogues" / "vocabulaire.yaml")
    assert isinstance(data, dict)
    return data


def countries() -> dict[str, str]:
    return {code: v["nom"] for code, v in _load().items()}


def term(country: str, key: str) -> str:
    data = _load()
    return str(data.get(country, data["FR"]).get(key, key))


def role_suggestions(country: str = "FR") -> list[str]:
    data = _load()
    return list(data.get(country, data["FR"])["roles"])
