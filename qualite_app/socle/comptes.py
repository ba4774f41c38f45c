"""The journal's lines counted by item type and by author (pure: ``journal.compter_depuis`` and the home
page's cold path, ``accueil/formes.py``, sum the same (type, author, count) rows)."""

from __future__ import annotations

from collections.abc import Iterable


def sommes(pairs: Iterable[tuple[str, str, int]]) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(type, author, count) rows → by item type and by author, most frequent first."""
    types: dict[str, int] = {}
    auteurs: dict[str, int] = {}
    for t, u, c in pairs:
        types[t] = types.get(t, 0) + c
        auteurs[u] = auteurs.get(u, 0) + c
    return sorted(types.items(), key=lambda x: (-x[1], x[0])), sorted(
        auteurs.items(), key=lambda x: (-x[1], x[0])
    )
