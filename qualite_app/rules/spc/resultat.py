"""SPC vocabulary and results: constants (NHS *Making Data Count*, Anhøj), points, segments, ``SpcResult``."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass

__all__ = [
    "XMR_LIMIT",
    "XMR_NEAR",
    "MR_UCL",
    "RUN_LENGTH",
    "TREND_LENGTH",
    "MIN_POINTS",
    "SHORT_SERIES",
    "HAUSSE",
    "BAISSE",
    "NEUTRE",
    "XMR",
    "P",
    "U",
    "RUN",
    "R_OUTSIDE",
    "R_SHIFT",
    "R_TREND",
    "R_TWO_OF_THREE",
    "R_RUN",
    "R_CROSSINGS",
    "RULE_LABELS",
    "COMMON",
    "IMPROVEMENT",
    "CONCERN",
    "NEUTRAL",
    "PASS",
    "FAIL",
    "HIT_MISS",
    "VARIATION_LABELS",
    "ASSURANCE_LABELS",
    "PRECEDENCE",
    "COLOURS",
    "SpcPoint",
    "Segment",
    "AnhojResult",
    "SpcResult",
    "variation_for",
]

XMR_LIMIT = 2.66
XMR_NEAR = 2 * XMR_LIMIT / 3  # two sigma in MR̄ (``limitclose`` of NHSRplotthedots: 1.7733…)
MR_UCL = 3.267
RUN_LENGTH = 7
TREND_LENGTH = 7
MIN_POINTS = 12
#: below this many points a run chart cannot support a conclusion (the Anhøj table starts at 10)
SHORT_SERIES = 10

#: improvement direction of an indicator
HAUSSE, BAISSE, NEUTRE = "hausse", "baisse", "neutre"

#: kinds of chart
XMR, P, U, RUN = "xmr", "p", "u", "run"

#: rule identifiers
R_OUTSIDE, R_SHIFT, R_TREND, R_TWO_OF_THREE, R_RUN, R_CROSSINGS = (
    "hors_limites",
    "serie",
    "tendance",
    "deux_sur_trois",
    "serie_longue",
    "croisements",
)

RULE_LABELS = {
    R_OUTSIDE: "point hors des limites",
    R_SHIFT: f"{RUN_LENGTH} points consécutifs du même côté de la moyenne",
    R_TREND: f"{TREND_LENGTH} points consécutifs en hausse ou en baisse",
    R_TWO_OF_THREE: "2 points sur 3 entre 2 et 3 sigmas, les 3 du même côté de la moyenne",
    R_RUN: "série trop longue du même côté de la médiane (Anhøj)",
    R_CROSSINGS: "trop peu de croisements de la médiane (Anhøj)",
}

#: variation icons
COMMON = "cause_commune"
IMPROVEMENT = "amelioration"
CONCERN = "degradation"
NEUTRAL = "neutre"

#: assurance icons
PASS, FAIL, HIT_MISS = "atteinte_assuree", "echec_assure", "aleatoire"

VARIATION_LABELS = {
    COMMON: "variation de cause commune",
    IMPROVEMENT: "amélioration (cause spéciale)",
    CONCERN: "dégradation (cause spéciale)",
    NEUTRAL: "cause spéciale (sans sens d'amélioration)",
}
ASSURANCE_LABELS = {
    PASS: "la cible sera atteinte de façon régulière",
    FAIL: "la cible ne sera pas atteinte sans changement",
    HIT_MISS: "la cible sera tantôt atteinte, tantôt manquée",
}

_NO_RULES: frozenset[str] = frozenset()

#: which rule decides a flagged point's side when several hit it (``ptd_special_cause_type``)
PRECEDENCE = {R_OUTSIDE: 0, R_TREND: 1, R_TWO_OF_THREE: 2, R_SHIFT: 3, R_RUN: 4}

COLOURS = {COMMON: "#a6a6a6", IMPROVEMENT: "#00b0f0", CONCERN: "#e46c0a", NEUTRAL: "#490092"}


@dataclass(slots=True)
class SpcPoint:
    index: int
    value: float | None
    centre: float | None = None
    lcl: float | None = None
    ucl: float | None = None
    lower_near: float | None = None
    upper_near: float | None = None
    rules: AbstractSet[str] = _NO_RULES
    #: "haut" / "bas" when flagged: which side of the centre the special cause pushes
    side: str | None = None
    variation: str = COMMON
    segment: int = 0
    #: the rule that decided ``side`` (see PRECEDENCE)
    cause: str | None = None


@dataclass(slots=True)
class Segment:
    start: int  # first index (inclusive)
    end: int  # last index (inclusive)
    baseline_count: int  # real points behind the limits
    centre: float | None
    mr_bar: float | None = None  # XmR only

    @property
    def provisional(self) -> bool:
        return self.baseline_count < MIN_POINTS


@dataclass(slots=True)
class AnhojResult:
    n: int
    longest_run: int
    longest_run_max: int
    crossings: int
    crossings_min: int

    @property
    def signal_run(self) -> bool:
        return self.longest_run > self.longest_run_max

    @property
    def signal_crossings(self) -> bool:
        return self.crossings < self.crossings_min

    @property
    def signal(self) -> bool:
        return self.signal_run or self.signal_crossings


class SpcResult:
    """A computed chart. The per-point values live in columns; ``points`` (one ``SpcPoint`` each) is built on
    first use, so that computing 10,000 points stays well under the 20 ms budget."""

    def __init__(
        self,
        chart: str,
        segments: list[Segment],
        direction: str,
        target: float | None = None,
        columns: tuple[list[float | None], ...] = ([], [], [], [], [], []),
        segno: list[int] | None = None,
    ) -> None:
        self.chart = chart
        self.segments = segments
        self.direction = direction
        self.target = target
        self.anhoj: AnhojResult | None = None
        self.variation = COMMON  # icon of the last real point
        self.variation_side: str | None = None
        self.assurance: str | None = None
        self.values, self.centre, self.lcl, self.ucl, self.lower_near, self.upper_near = columns
        self.segno = segno or []
        #: index → rules that flagged it; index → side ("haut"/"bas") the special cause pushes
        self.rules: dict[int, set[str]] = {}
        self.sides: dict[int, str] = {}
        self.causes: dict[int, str] = {}
        self._points: list[SpcPoint] | None = None

    def flag(self, i: int, rule: str, side: str) -> None:
        """Record that ``rule`` hit point ``i``; the side is the one of the rule first in PRECEDENCE."""
        self.rules.setdefault(i, set()).add(rule)
        cause = self.causes.get(i)
        if cause is None or PRECEDENCE[rule] < PRECEDENCE[cause]:
            self.causes[i] = rule
            self.sides[i] = side

    def variation_at(self, i: int) -> str:
        return variation_for(self.sides.get(i), self.direction) if i in self.rules else COMMON

    @property
    def points(self) -> list[SpcPoint]:
        if self._points is None:
            v, c, lo, hi, lo2, hi2 = self.values, self.centre, self.lcl, self.ucl, self.lower_near, self.upper_near
            seg, rules, sides, causes = self.segno, self.rules, self.sides, self.causes
            self._points = [
                SpcPoint(i, v[i], c[i], lo[i], hi[i], lo2[i], hi2[i], rules.get(i, _NO_RULES), sides.get(i), self.variation_at(i), seg[i], causes.get(i))
                for i in range(len(v))
            ]
        return self._points

    @property
    def provisional(self) -> bool:
        """Shewhart limits on fewer than 12 points (a run chart has no limits to call provisional)."""
        return self.chart != RUN and bool(self.segments) and self.segments[-1].provisional

    @property
    def real_points(self) -> list[SpcPoint]:
        return [p for p in self.points if p.value is not None]

    def flagged(self) -> list[SpcPoint]:
        return [p for p in self.points if p.rules]

    def to_dict(self) -> dict[str, object]:
        last = self.segments[-1] if self.segments else None
        return {
            "graphique": self.chart,
            "sens": self.direction,
            "cible": self.target,
            "provisoire": self.provisional,
            "variation": self.variation,
            "variation_cote": self.variation_side,
            "assurance": self.assurance,
            "centre": last.centre if last else None,
            "segments": [
                {"debut": s.start, "fin": s.end, "points_de_base": s.baseline_count, "centre": s.centre, "mr_moyen": s.mr_bar}
                for s in self.segments
            ],
            "anhoj": None
            if self.anhoj is None
            else {
                "n": self.anhoj.n,
                "serie_la_plus_longue": self.anhoj.longest_run,
                "serie_max": self.anhoj.longest_run_max,
                "croisements": self.anhoj.crossings,
                "croisements_min": self.anhoj.crossings_min,
                "signal": self.anhoj.signal,
            },
            "points": [
                {
                    "index": p.index,
                    "valeur": p.value,
                    "centre": p.centre,
                    "lic": p.lcl,
                    "lsc": p.ucl,
                    "regles": sorted(p.rules),
                    "variation": p.variation,
                }
                for p in self.points
            ],
        }


def variation_for(side: str | None, direction: str) -> str:
    if side is None:
        return COMMON
    if direction == NEUTRE:
        return NEUTRAL
    good = (side == "haut") == (direction == HAUSSE)
    return IMPROVEMENT if good else CONCERN
