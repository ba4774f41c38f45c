"""Text normalisation for searching and matching (accents and case ignored)."""

from __future__ import annotations

import unicodedata


def fold(text: str | None) -> str:
    """Lowercase, accents removed, spaces collapsed: « Hélène  DUPONT » → « helene dupont »."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().replace("œ", "oe").replace("æ", "ae").split())
