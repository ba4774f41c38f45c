"""Matching an imported PAQSS row to the base: people as spreadsheets write them (« Dr Brévanne / J. Arsac »,
« NOM Prénom »), services by name or code, and axis/objective labels with their codes (« A1 – … »)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualite_app.etablissement.models import Personne
from qualite_app.rules.text import fold

fold_cached = lru_cache(maxsize=65536)(fold)
_TITLES = re.compile(r"^(dr|pr|docteur|professeur|mme|mlle|m|monsieur|madame)\.?\s+")
_CODE = re.compile(r"^([A-Za-z]{0,3}\d+(?:\.\d+)*)\s*[-–—.:)]?\s+(.+)$")


@lru_cache(maxsize=8192)
def _person_key(name: str) -> str:
    return _TITLES.sub("", fold(name).replace(".", ". ")).replace(".", "").strip()


@lru_cache(maxsize=4096)
def split_code(label: str) -> tuple[str, str]:
    """« A1 – Culture de sécurité » → ("A1", "Culture de sécurité"); no code → ("", label)."""
    m = _CODE.match(label.strip())
    return (m.group(1), m.group(2).strip()) if m else ("", label.strip())


class People:
    """Names as written in spreadsheets → directory ids (accents, case, « Dr » ignored; « NOM Prénom » too)."""

    def __init__(self, s: Session) -> None:
        self.index: dict[str, int | None] = {}
        for pid, prenom, nom in s.execute(select(Personne.id, Personne.prenom, Personne.nom)):
            self._add(pid, prenom or "", nom)

    def _add(self, pid: int, prenom: str, nom: str) -> None:
        for k in {_person_key(f"{prenom} {nom}"), _person_key(f"{nom} {prenom}")}:
            self.index[k] = pid if self.index.get(k, pid) == pid else None
        k = _person_key(nom)
        if k not in self.index:
            self.index[k] = pid
        elif self.index[k] != pid:
            self.index[k] = None  # two people share this name: the last name alone is ambiguous

    def find(self, name: str | None) -> int | None:
        return self.index.get(_person_key(name)) if name else None


def split_pair(value: str | None) -> list[str]:
    """« Dr Brévanne / J. Arsac » → two names (a tandem written in one cell)."""
    if not value:
        return []
    return [p.strip() for p in re.split(r"\s*(?:/|;|\+|&|\bet\b)\s*", value) if p.strip()]


def split_list(value: str | None) -> list[str]:
    """« ARSAC Julien; CAZALS Inès » → names (one cell listing extra co-pilots or services)."""
    if not value:
        return []
    return [p.strip() for p in re.split(r"\s*[;\n]\s*", value) if p.strip()]


def pilots(v: dict[str, Any]) -> list[str]:
    pil = split_pair(v.get("pilote"))
    cop = split_pair(v.get("copilote"))
    if len(pil) > 1 and not cop:
        return pil[:2]
    return [pil[0] if pil else "", cop[0] if cop else ""]


def services_index(s: Session) -> dict[str, int]:
    from qualite_app.etablissement.annuaire import services_index as index

    return index(s)


def find_service(index: dict[str, int], name: str) -> int | None:
    return index.get(fold_cached(name))


def new_person(s: Session, name: str) -> Personne:
    from qualite_app.etablissement.annuaire import search_key

    clean = _TITLES.sub("", name.strip()) if _TITLES.match(name.strip().lower()) else name.strip()
    words = clean.split()
    upper = [w for w in words if w.isupper() and len(w) > 1]
    if upper and len(upper) < len(words):
        nom, prenom = " ".join(upper), " ".join(w for w in words if w not in upper)
    elif len(words) > 1:
        prenom, nom = words[0], " ".join(words[1:]).upper()
    else:
        prenom, nom = "", clean.upper()
    p = Personne(nom=nom, prenom=prenom, civilite="Dr" if fold(name).startswith(("dr ", "docteur ")) else None, actif=True,
                 notes="Créée lors d'un import du PAQSS.")  # fmt: skip
    p.cle_recherche = search_key(p, [], None)
    s.add(p)
    return p
