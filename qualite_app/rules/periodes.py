"""Result periods as text codes that sort and read well: ``2024-03`` (month), ``2024-T2`` (quarter),
``2024-S1`` (half-year), ``2024`` (year). Parsing accepts what people type or paste from Excel."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
MOIS_COURT = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]

#: periodicity code → French label
PERIODICITES = {"mensuelle": "Mensuelle", "trimestrielle": "Trimestrielle", "semestrielle": "Semestrielle", "annuelle": "Annuelle", "biennale": "Biennale"}


@dataclass(frozen=True, order=True)
class Periode:
    debut: date
    code: str

    @property
    def nature(self) -> str:
        if "-T" in self.code:
            return "trimestre"
        if "-S" in self.code:
            return "semestre"
        if "-" in self.code:
            return "mois"
        return "annee"

    @property
    def libelle(self) -> str:
        y = self.debut.year
        n = self.nature
        if n == "mois":
            return f"{MOIS[self.debut.month - 1]} {y}"
        if n == "trimestre":
            return f"T{self.code[-1]} {y}"
        if n == "semestre":
            return f"S{self.code[-1]} {y}"
        return str(y)

    @property
    def court(self) -> str:
        """Short axis label: « mars 24 », « T2 24 », « 2024 »."""
        y = self.debut.year % 100
        n = self.nature
        if n == "mois":
            return f"{MOIS_COURT[self.debut.month - 1]} {y:02d}"
        if n in ("trimestre", "semestre"):
            return f"{self.code[-2:]} {y:02d}"
        return str(self.debut.year)

    def suivante(self) -> Periode:
        n, y = self.nature, self.debut.year
        if n == "mois":
            m = self.debut.month
            return mois(y + (m == 12), 1 if m == 12 else m + 1)
        if n == "trimestre":
            q = int(self.code[-1])
            return parse(f"{y + (q == 4)}-T{1 if q == 4 else q + 1}")
        if n == "semestre":
            s = int(self.code[-1])
            return parse(f"{y + (s == 2)}-S{1 if s == 2 else 2}")
        return parse(str(y + 1))


def mois(year: int, month: int) -> Periode:
    return Periode(date(year, month, 1), f"{year:04d}-{month:02d}")


_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})[-/ ]?(?:T|Q)([1-4])$"), "yq"),
    (re.compile(r"^(?:T|Q)([1-4])[-/ ]?(\d{4})$"), "qy"),
    (re.compile(r"^(\d{4})[-/ ]?S([12])$"), "ys"),
    (re.compile(r"^S([12])[-/ ]?(\d{4})$"), "sy"),
    (re.compile(r"^(\d{4})[-/](\d{1,2})$"), "ym"),
    (re.compile(r"^(\d{1,2})[-/](\d{4})$"), "my"),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$"), "ymd"),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), "dmy"),
    (re.compile(r"^(\d{4})$"), "y"),
]


def parse(value: object) -> Periode:
    """Text, date or year number → Periode; ValueError with a French message otherwise."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return mois(value.year, value.month)
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        value = str(int(value))
    text = str(value or "").strip().upper()
    for pattern, kind in _PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        g = m.groups()
        try:
            if kind in ("yq", "qy"):
                y, q = (int(g[0]), int(g[1])) if kind == "yq" else (int(g[1]), int(g[0]))
                return Periode(date(y, 3 * q - 2, 1), f"{y:04d}-T{q}")
            if kind in ("ys", "sy"):
                y, s = (int(g[0]), int(g[1])) if kind == "ys" else (int(g[1]), int(g[0]))
                return Periode(date(y, 1 if s == 1 else 7, 1), f"{y:04d}-S{s}")
            if kind == "ym":
                return mois(int(g[0]), int(g[1]))
            if kind == "my":
                return mois(int(g[1]), int(g[0]))
            if kind == "ymd":
                return mois(int(g[0]), int(g[1]))
            if kind == "dmy":
                return mois(int(g[2]), int(g[1]))
            y = int(g[0])
            return Periode(date(y, 1, 1), f"{y:04d}")
        except ValueError:
            break
    raise ValueError(
        f"« {str(value or '').strip()} » n'est pas une période reconnue "
        "(exemples : 2024-03, 03/2024, 2024-T2, T2 2024, 2024-S1, 2024)."
    )


@lru_cache(maxsize=4096)
def from_code(code: str) -> Periode:
    """A stored period code (« 2024-03 ») → its Periode, kept: the dashboard reads the same few hundred
    codes for every indicator (a Periode is immutable)."""
    return parse(code)


def serie(debut: Periode, fin: Periode) -> list[Periode]:
    """Every period from ``debut`` to ``fin`` inclusive, same nature as ``debut``."""
    return list(_serie(debut, fin))


@lru_cache(maxsize=256)
def _serie(debut: Periode, fin: Periode) -> tuple[Periode, ...]:
    out: list[Periode] = []
    p = debut
    while p.debut <= fin.debut and len(out) < 10000:
        out.append(p)
        p = p.suivante()
    return tuple(out)
