"""Which column is which: the header names people really write, matched to the fields an import knows.

One ``Colonnes`` per import (PAQSS actions, indicator results, events, risks…) built from its catalogue
``{field: (label, [synonyms…])}``. Headers are compared folded (accents, case, punctuation and a final plural
« s » ignored); a header that *contains* a known synonym (« Pilote de l'action (nom) ») is matched to the
longest one. The user corrects the guess with explicit ``COLONNE=champ`` pairs (``--map`` on the command line,
the mapping step in the interface). ``locate_header`` finds the header row of a real workbook: titles above
it, a second header row under merged cells.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from qualite_app.errors import UserError
from qualite_app.rules.text import fold


@lru_cache(maxsize=65536)
def cle(header: Any) -> str:
    """Header → comparable key: folded, punctuation removed, a final plural « s » dropped from each word."""
    words = re.sub(r"[^a-z0-9%]+", " ", fold(str(header or "")).replace("'", " ")).split()
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words)


def blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


class Colonnes:
    """The fields of one import and the header names that mean them."""

    def __init__(self, fields: Mapping[str, tuple[str, Sequence[str]]]) -> None:
        self.fields = fields
        self._synonyms = {f: {cle(x) for x in (lab, *syn)} - {""} for f, (lab, syn) in fields.items()}

    def label(self, field: str) -> str:
        return self.fields[field][0]

    def guess_field(self, header: Any) -> str | None:
        """The field a header means, or None."""
        k = cle(header)
        if not k:
            return None
        for f, syns in self._synonyms.items():
            if k in syns:
                return f
        best: tuple[int, str] | None = None
        for f, syns in self._synonyms.items():
            for s in syns:
                if (
                    len(s) >= 4
                    and (k.startswith(s + " ") or f" {s}" in f" {k}")
                    and (best is None or len(s) > best[0])
                ):
                    best = (len(s), f)
        return best[1] if best else None

    def guess_mapping(self, headers: Sequence[str]) -> dict[int, str]:
        """column index → field; each field taken once (the first column that claims it)."""
        out: dict[int, str] = {}
        for i, h in enumerate(headers):
            f = self.guess_field(h)
            if f and f not in out.values():
                out[i] = f
        return out

    def field_of(self, name: str) -> str | None:
        """A field named by its key (« echeance ») or its label (« Échéance »); « ignorer » or empty → ""."""
        k = cle(name)
        if k in ("", "ignorer", "aucun"):
            return ""
        for f, (label, _syn) in self.fields.items():
            if k in (cle(f), cle(label), cle(f.replace("_", " "))):
                return f
        return None

    def explicit_mapping(
        self, headers: Sequence[str], guessed: dict[int, str], pairs: Iterable[tuple[str, str]]
    ) -> dict[int, str]:
        """The guessed mapping corrected by the user's (column, field) pairs; French errors listing valid names."""
        out = dict(guessed)
        for col, name in pairs:
            f = self.field_of(name)
            if f is None:
                raise UserError(
                    f"Champ « {name} » inconnu pour la colonne « {col} ». Champs possibles : "
                    + ", ".join(f"{k} ({lab})" for k, (lab, _s) in self.fields.items())
                    + " ; « ignorer » pour écarter la colonne."
                )
            idx = next((i for i, h in enumerate(headers) if h == col), None)
            if idx is None:
                idx = next((i for i, h in enumerate(headers) if h and cle(h) == cle(col)), None)
            if idx is None:
                raise UserError(
                    f"Colonne « {col} » absente du fichier. Colonnes trouvées : "
                    + ", ".join(h for h in headers if h)
                    + "."
                )
            out = {i: g for i, g in out.items() if g != f and i != idx}
            if f:
                out[idx] = f
        return out

    def header_of(self, mapping: dict[int, str], headers: Sequence[str], field: str) -> str:
        """The file's header of the column mapped to ``field`` (its label when the column has no header)."""
        idx = next((i for i, g in mapping.items() if g == field), None)
        return (headers[idx] if idx is not None and idx < len(headers) else "") or self.label(field)


def parse_pairs(specs: Iterable[str]) -> list[tuple[str, str]]:
    """``["Colonne=champ", …]`` (the command line's ``--map``) → pairs; a French error for a malformed one."""
    out = []
    for spec in specs:
        col, sep, name = spec.rpartition("=")
        if not sep or not col.strip():
            raise UserError(
                f'--map « {spec} » : écrivez --map COLONNE=champ (par exemple --map "Chantier=titre").'
            )
        out.append((col.strip(), name.strip()))
    return out


@dataclass(frozen=True)
class EnTete:
    headers: list[str]
    #: index in the raw rows of the first data row
    debut: int


def locate_header(
    raw: Sequence[Sequence[Any]],
    colonnes: Colonnes,
    *,
    scan: int = 15,
    known: Iterable[str] = (),
    title_field: str | None = None,
    sheet: str = "",
) -> EnTete:
    """The header row: the first of the ``scan`` first rows with ≥ 2 recognised headers (or headers the user
    mapped, ``known``), else the first with ≥ 2 cells (the mapping step then shows its columns). A second
    header row under merged cells (short texts, one under an empty header cell, nothing in the title column)
    is merged into it: « Échéance » over « initiale | révisée »."""
    keys = {cle(k) for k in known} - {""}
    best = next(
        (
            i
            for i, row in enumerate(raw[:scan])
            if sum(1 for c in row if colonnes.guess_field(c) or (keys and cle(c) in keys)) >= 2
        ),
        -1,
    )
    if best < 0:
        best = next((i for i, row in enumerate(raw[:scan]) if sum(1 for c in row if not blank(c)) >= 2), -1)
    if best < 0:
        best = next((i for i, row in enumerate(raw[:scan]) if not all(blank(c) for c in row)), -1)
    if best < 0:
        raise UserError(f"La feuille « {sheet} » est vide : rien n'a été importé.")
    header = [str(c).strip() if not blank(c) else "" for c in raw[best]]
    width = max(len(header), max((len(r) for r in raw[best + 1 :]), default=0))
    header += [""] * (width - len(header))
    start = best + 1
    if start < len(raw):
        nxt = list(raw[start]) + [None] * (width - len(raw[start]))
        if _is_subheader(nxt, header, colonnes, title_field):
            last = ""
            merged = []
            for j, h in enumerate(header):
                if h:
                    last = h
                sub = str(nxt[j]).strip() if not blank(nxt[j]) else ""
                merged.append(f"{h or last} {sub}".strip() if sub else h)
            header = merged
            start += 1
    return EnTete(header, start)


def _is_subheader(nxt: list[Any], header: list[str], colonnes: Colonnes, title_field: str | None) -> bool:
    texts = [c for c in nxt if not blank(c)]
    if not texts or not all(isinstance(c, str) and len(c) < 40 for c in texts):
        return False
    if title_field:
        title_cols = [j for j, f in colonnes.guess_mapping(header).items() if f == title_field]
        if any(not blank(nxt[j]) for j in title_cols):
            return False
    return any(h == "" and not blank(nxt[j]) for j, h in enumerate(header))
