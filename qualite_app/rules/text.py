"""Text normalisation for searching and matching (accents and case ignored)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

#: the combining diacritical marks of Latin scripts (accents, cedilla, tréma…), removed at C speed
_MARKS = re.compile("[\u0300-\u036f]+")


def fold(text: str | None) -> str:
    """Lowercase, accents removed, spaces collapsed: « Hélène  DUPONT » → « helene dupont »."""
    if not text:
        return ""
    stripped = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    if not stripped.isascii():  # other scripts' combining marks (rare): removed one by one
        stripped = "".join(ch for ch in stripped if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().replace("œ", "oe").replace("æ", "ae").split())


def choix_personnes(rows: Iterable[tuple[int, str, str, str | None]]) -> list[tuple[int, str]]:
    """(id, first name, name, function) rows → (id, "Prénom NOM — fonction"), as the pickers show people."""
    return [(i, f"{p} {n}".strip() + (f" — {f}" if f else "")) for i, p, n, f in rows]
