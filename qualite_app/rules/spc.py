"""Statistical process control, pure Python: XmR, p, u and run charts, NHS *Making Data Count* rules.

Constants and rules are those of DOMAIN.md section 7:

- XmR: centre = mean, limits = mean ± 2.66·MR̄, near-limit (2σ) band = mean ± (2/3)·2.66·MR̄;
- p: p̄ = Σd/Σn, limits p̄ ± 3√(p̄(1−p̄)/nᵢ) clipped to [0, 1]; u: ū = Σc/Σn, limits ū ± 3√(ū/nᵢ), ≥ 0;
- NHS *Making Data Count* rules, identical to NHSRplotthedots ≥ 0.2.2 (``ptd_spc_standard.R``,
  ``ptd_calculate_point_type.R``), each inside its rebase segment: 1 a point outside the limits;
  2 seven or more consecutive points on one side of the mean (a point on the mean breaks the run);
  3 seven or more consecutive points strictly rising or falling; 4 in three consecutive points all on
  the same side of the mean, at least two between the 2σ band and the limits (points outside the limits
  do not count): those are flagged. The side (hence the colour) of a point comes from the first rule that
  hits it in the order outside > trend > 2 of 3 > run (a falling trend above the mean is a fall);
- run chart: median, Anhøj rules (longest run > round(log₂ n) + 3, crossings < qbinom(0.05, n − 1, ½)).

Missing values (``None``: no result, NR, DI, zero denominator) keep their place on the axis but are
skipped by every computation: moving ranges and runs join the neighbouring real points.

Limits are computed per *segment*: a segment starts at 0 and at each rebase index; inside a segment the
limits may be frozen on its first ``baseline`` real points. Fewer than 12 points behind the limits of the
last segment: they are *provisional*.
"""

from __future__ import annotations

import math
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

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
        return _variation_for(self.sides.get(i), self.direction) if i in self.rules else COMMON

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


# --- Anhøj -------------------------------------------------------------------------------------------
def qbinom_half(q: float, size: int) -> int:
    """Smallest k with P(X ≤ k) ≥ q for X ~ Binomial(size, ½) (R's ``qbinom(q, size, 0.5)``)."""
    if size <= 0:
        return 0
    acc = 0.0
    log_norm = math.lgamma(size + 1) - size * math.log(2)
    for k in range(size + 1):
        acc += math.exp(log_norm - math.lgamma(k + 1) - math.lgamma(size - k + 1))
        if acc >= q - 1e-12:
            return k
    return size


def anhoj_limits(n: int) -> tuple[int, int]:
    """(maximum longest run, minimum number of crossings) for ``n`` useful points."""
    if n <= 0:
        return 0, 0
    return round(math.log2(n)) + 3, qbinom_half(0.05, n - 1)


def anhoj(values: list[float], centre: float) -> tuple[AnhojResult, list[tuple[int, int]]]:
    """Anhøj statistics of ``values`` around ``centre``; also the runs (positions in ``values``)."""
    pos = [i for i, v in enumerate(values) if v != centre]  # points on the centre line are dropped
    sgn = [values[i] > centre for i in pos]
    n = len(pos)
    cuts = [k for k, (x, y) in enumerate(zip(sgn, sgn[1:], strict=False), 1) if x != y]
    crossings = len(cuts)
    runs = list(zip([0, *cuts], [c - 1 for c in cuts] + [n - 1], strict=True)) if n else []  # (first, last) in pos
    longest = max((b - a + 1 for a, b in runs), default=0)
    max_run, min_cross = anhoj_limits(n)
    pos_runs = [(pos[a], pos[b]) for a, b in runs if b - a + 1 > max_run]
    return AnhojResult(n, longest, max_run, crossings, min_cross), pos_runs


# --- main entry ----------------------------------------------------------------------------------------
def _segments(n: int, rebase_at: list[int]) -> list[tuple[int, int]]:
    cuts = sorted({i for i in rebase_at if 0 < i < n})
    bounds = [0, *cuts, n]
    return [(bounds[k], bounds[k + 1] - 1) for k in range(len(bounds) - 1) if bounds[k] < bounds[k + 1]]


def _median(xs: list[float]) -> float:
    s = sorted(xs)
    m = len(s) // 2
    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2


def compute(
    values: list[float | None] | None = None,
    *,
    chart: str = XMR,
    numerators: list[float | None] | None = None,
    denominators: list[float | None] | None = None,
    scale: float = 1.0,
    direction: str = NEUTRE,
    target: float | None = None,
    baseline: int | None = None,
    rebase_at: list[int] | None = None,
    screen_mr: bool = False,
) -> SpcResult:
    """Compute a chart.

    ``values`` for XmR and run charts; ``numerators``/``denominators`` for p and u charts (the plotted
    value is ``scale × num/den``: 100 for a percentage, 1000 for a rate per thousand). ``baseline``
    freezes each segment's limits on its first N real points; ``rebase_at`` lists the indices where a
    new segment starts. ``target`` is in plotted units.
    """
    rebase_at = rebase_at or []
    nums: list[float | None] = []
    dens: list[float | None] = []
    if chart in (P, U):
        if numerators is None or denominators is None:
            raise ValueError("Les graphiques p et u demandent numérateurs et dénominateurs.")
        if len(numerators) != len(denominators):
            raise ValueError("Numérateurs et dénominateurs n'ont pas la même longueur.")
        vals: list[float | None] = []
        for x, y in zip(numerators, denominators, strict=True):
            if x is None or y is None or y <= 0:
                nums.append(None)
                dens.append(None)
                vals.append(None)
            else:
                nums.append(float(x))
                dens.append(float(y))
                vals.append(scale * x / y)
    elif chart in (XMR, RUN):
        if values is None:
            raise ValueError("Valeurs manquantes.")
        vals = [None if v is None or v != v else float(v) for v in values]  # v != v: NaN
    else:
        raise ValueError(f"Type de graphique inconnu : {chart}")

    n = len(vals)
    centre: list[float | None] = [None] * n
    lcl: list[float | None] = [None] * n
    ucl: list[float | None] = [None] * n
    lo2: list[float | None] = [None] * n
    hi2: list[float | None] = [None] * n
    segno = [0] * n
    segments: list[Segment] = []

    for k, (a, b) in enumerate(_segments(n, rebase_at)):
        real = [i for i in range(a, b + 1) if vals[i] is not None]
        base = real[:baseline] if baseline else real
        seg = Segment(a, b, len(base), None)
        segments.append(seg)
        segno[a : b + 1] = [k] * (b + 1 - a)
        if not base:
            continue
        width = b + 1 - a
        if chart == RUN:
            seg.centre = _median([vals[i] for i in base])  # type: ignore[misc]
            centre[a : b + 1] = [seg.centre] * width
        elif chart == XMR:
            xs: list[float] = [vals[i] for i in base]  # type: ignore[misc]
            mean = sum(xs) / len(xs)
            seg.centre = mean
            centre[a : b + 1] = [mean] * width
            if len(xs) >= 2:
                mrs = [abs(xs[j] - xs[j - 1]) for j in range(1, len(xs))]
                mr_bar = sum(mrs) / len(mrs)
                if screen_mr and mr_bar > 0:
                    kept = [m for m in mrs if m < MR_UCL * mr_bar]
                    if kept:
                        mr_bar = sum(kept) / len(kept)
                seg.mr_bar = mr_bar
                lcl[a : b + 1] = [mean - XMR_LIMIT * mr_bar] * width
                ucl[a : b + 1] = [mean + XMR_LIMIT * mr_bar] * width
                lo2[a : b + 1] = [mean - XMR_NEAR * mr_bar] * width
                hi2[a : b + 1] = [mean + XMR_NEAR * mr_bar] * width
        else:  # p and u: per-point limits from the point's own denominator
            bar = sum(nums[i] for i in base) / sum(dens[i] for i in base)  # type: ignore[misc]
            seg.centre = scale * bar
            centre[a : b + 1] = [seg.centre] * width
            var = bar * (1 - bar) if chart == P else bar
            top = 1.0 if chart == P else math.inf
            cache: dict[float, tuple[float, float, float, float]] = {}
            for i in range(a, b + 1):
                ni = dens[i]
                if ni is None:
                    continue
                lim = cache.get(ni)
                if lim is None:
                    sigma = math.sqrt(var / ni)
                    x1, x2 = bar - 3 * sigma, bar - 2 * sigma
                    y1, y2 = bar + 3 * sigma, bar + 2 * sigma
                    lim = cache[ni] = (
                        scale * (x1 if x1 > 0 else 0.0),
                        scale * (y1 if y1 < top else top),
                        scale * (x2 if x2 > 0 else 0.0),
                        scale * (y2 if y2 < top else top),
                    )
                lcl[i], ucl[i], lo2[i], hi2[i] = lim

    result = SpcResult(chart, segments, direction, target, (vals, centre, lcl, ucl, lo2, hi2), segno)
    if n == 0:
        return result
    if chart == RUN:
        _run_rules(result)
    else:
        _nhs_rules(result, vals, centre, lcl, ucl, lo2, hi2, segno)
    _classify(result)
    _assurance(result)
    return result


def _one_side(rtm: list[int]) -> list[int]:
    """Per point: ±1 when it belongs to RUN_LENGTH or more consecutive points on that side of the mean
    (``ptd_part_of_seven_trend(ptd_seven_point_one_side_mean(.))``); a point on the mean breaks a run."""
    m = len(rtm)
    out = [0] * m
    a = 0
    while a < m:
        b = a
        while b < m and rtm[b] == rtm[a]:
            b += 1
        if b - a >= RUN_LENGTH and rtm[a] != 0:
            out[a:b] = [rtm[a]] * (b - a)
        a = b
    return out


def _trend_sides(y: list[float]) -> list[int]:
    """Per point: +1 / −1 when it belongs to TREND_LENGTH or more points strictly rising / falling, else 0.

    The direction is NHSRplotthedots' (``ptd_special_cause_type``): a point that belongs to a trend on
    either side takes the step to its right, otherwise the step from its left; a step that is not a rise
    counts as a fall (their ``ifelse(sdy == 1, "In", "De")``)."""
    m = len(y)
    step = [1 if y[t + 1] > y[t] else (-1 if y[t + 1] < y[t] else 0) for t in range(m - 1)]
    part = [False] * m
    a = 0
    while a < m - 1:
        b = a
        while b < m - 1 and step[b] == step[a]:
            b += 1
        if b - a + 1 >= TREND_LENGTH and step[a] != 0:  # steps [a, b) join points a..b
            part[a : b + 1] = [True] * (b + 1 - a)
        a = b
    out = [0] * m
    for t in range(m):
        if part[t]:
            sdy = step[t] if t + 1 < m and part[t + 1] else (step[t - 1] if t else 0)
            out[t] = 1 if sdy == 1 else -1
    return out


def _two_in_three(close: list[bool], rtm: list[int]) -> list[bool]:
    """Points flagged by « 2 of 3 »: in a window of three consecutive points all strictly on the same side
    of the mean, at least two lie between the 2σ band and the limits; only those (``close``) are flagged.
    ``ptd_part_of_two_in_three(ptd_two_in_three(close, rtm), close)``."""
    m = len(close)
    hit = [False] * m
    for w in range(m - 2):
        if close[w] + close[w + 1] + close[w + 2] >= 2 and abs(rtm[w] + rtm[w + 1] + rtm[w + 2]) == 3:
            for t in (w, w + 1, w + 2):
                hit[t] = hit[t] or close[t]
    return hit


def _nhs_rules(
    result: SpcResult,
    vals: list[float | None],
    centre: list[float | None],
    lcl: list[float | None],
    ucl: list[float | None],
    lo2: list[float | None],
    hi2: list[float | None],
    segno: list[int],
) -> None:
    """NHS *Making Data Count* rules exactly as NHSRplotthedots ≥ 0.2.2 computes them
    (``ptd_spc_standard`` and ``ptd_calculate_point_type``), each rebase segment on its own.
    Missing values are skipped: the rules join the neighbouring real points."""
    flag = result.flag
    for seg in result.segments:
        idx = [i for i in range(seg.start, seg.end + 1) if vals[i] is not None and centre[i] is not None]
        if not idx:
            continue
        v: list[float] = [vals[i] for i in idx]  # type: ignore[misc]
        c: list[float] = [centre[i] for i in idx]  # type: ignore[misc]
        rtm = [1 if x > y else (-1 if x < y else 0) for x, y in zip(v, c, strict=True)]
        outside = [
            (hi is not None and x > hi) or (lo is not None and x < lo)
            for x, lo, hi in zip(v, [lcl[i] for i in idx], [ucl[i] for i in idx], strict=True)
        ]
        # near the limits: beyond the 2σ band but NOT beyond the limits
        close = [
            not out and ((hi is not None and x > hi) or (lo is not None and x < lo))
            for x, out, lo, hi in zip(v, outside, [lo2[i] for i in idx], [hi2[i] for i in idx], strict=True)
        ]
        shift = _one_side(rtm)
        trend = _trend_sides(v)
        two = _two_in_three(close, rtm)
        for j, i in enumerate(idx):
            side = "haut" if rtm[j] > 0 else "bas"
            if outside[j]:
                flag(i, R_OUTSIDE, "haut" if rtm[j] == 1 else "bas")
            if trend[j]:
                flag(i, R_TREND, "haut" if trend[j] > 0 else "bas")
            if two[j]:
                flag(i, R_TWO_OF_THREE, side)
            if shift[j]:
                flag(i, R_SHIFT, side)


def _run_rules(result: SpcResult) -> None:
    """Anhøj rules per segment; the points of a too-long run are flagged."""
    last: AnhojResult | None = None
    vals = result.values
    for seg in result.segments:
        if seg.centre is None:
            continue
        idx = [i for i in range(seg.start, seg.end + 1) if vals[i] is not None]
        stats, runs = anhoj([vals[i] for i in idx], seg.centre)  # type: ignore[misc]
        last = stats
        for a, b in runs:  # positions in idx
            side = "haut" if vals[idx[a]] > seg.centre else "bas"  # type: ignore[operator]
            for i in idx[a : b + 1]:
                if vals[i] != seg.centre:
                    result.flag(i, R_RUN, side)
    result.anhoj = last


def _variation_for(side: str | None, direction: str) -> str:
    if side is None:
        return COMMON
    if direction == NEUTRE:
        return NEUTRAL
    good = (side == "haut") == (direction == HAUSSE)
    return IMPROVEMENT if good else CONCERN


def _classify(result: SpcResult) -> None:
    vals = result.values
    last = next((i for i in range(len(vals) - 1, -1, -1) if vals[i] is not None), None)
    if last is not None:
        result.variation = result.variation_at(last)
        result.variation_side = result.sides.get(last)


def _assurance(result: SpcResult) -> None:
    t = result.target
    if t is None or result.direction == NEUTRE or result.chart == RUN:
        return
    v, lo_, hi_ = result.values, result.lcl, result.ucl
    last = next((i for i in range(len(v) - 1, -1, -1) if v[i] is not None and lo_[i] is not None and hi_[i] is not None), None)
    if last is None:
        return
    lo, hi = lo_[last], hi_[last]
    assert lo is not None and hi is not None
    if result.direction == HAUSSE:
        result.assurance = PASS if t < lo else (FAIL if t > hi else HIT_MISS)
    else:
        result.assurance = PASS if t > hi else (FAIL if t < lo else HIT_MISS)


def reading(result: SpcResult, labels: list[str] | None = None) -> str:
    """A short automatic reading in French, e.g. « 7 points au-dessus de la moyenne depuis mars 2024 : amélioration »."""
    real = result.real_points
    if not real:
        return "Aucun résultat : pas de lecture possible."
    if len(real) < 2:
        return "Un seul résultat : il faut au moins deux points pour lire une variation."

    def name(i: int) -> str:
        return labels[i] if labels and i < len(labels) else f"le point {i + 1}"

    parts: list[str] = []
    last = real[-1]
    if result.chart == RUN and len(real) < SHORT_SERIES:
        parts.append(
            f"Série courte ({len(real)} résultats) : trop peu de points pour conclure à un changement ; "
            "comparer plutôt chaque résultat à la cible."
        )
    elif result.chart == RUN:
        a = result.anhoj
        if a and a.signal:
            what = []
            if a.signal_run:
                what.append(f"une série de {a.longest_run} points du même côté de la médiane (maximum attendu {a.longest_run_max})")
            if a.signal_crossings:
                what.append(f"{a.crossings} croisements de la médiane (minimum attendu {a.crossings_min})")
            parts.append("Signal de variation non aléatoire : " + " et ".join(what) + ".")
        else:
            parts.append("Pas de signal : la variation autour de la médiane semble aléatoire (règles d'Anhøj).")
    else:
        # describe the latest pattern that involves the last points
        tail: list[SpcPoint] = []
        for p in reversed(real):
            if p.rules and (not tail or p.side == tail[-1].side):
                tail.append(p)
            else:
                break
        if tail:
            first = tail[-1]
            verdict = {IMPROVEMENT: "amélioration", CONCERN: "dégradation", NEUTRAL: "changement"}[last.variation]
            # a run on one side is the most telling pattern, when it pushes the way the last point is coloured;
            # otherwise the rule that decided the colour (PRECEDENCE) names the pattern
            mean_side = (
                "haut"
                if last.centre is not None and last.value is not None and last.value > last.centre
                else "bas"
            )
            if R_SHIFT in last.rules and mean_side == last.side:
                where = "au-dessus" if last.side == "haut" else "en dessous"
                parts.append(f"{len(tail)} points {where} de la moyenne depuis {name(first.index)} : {verdict}.")
            elif last.cause == R_TREND:
                sens = "en hausse" if last.side == "haut" else "en baisse"
                parts.append(f"{len(tail)} points consécutifs {sens} depuis {name(first.index)} : {verdict}.")
            elif last.cause == R_OUTSIDE:
                parts.append(f"Le dernier point ({name(last.index)}) sort des limites de contrôle : {verdict}.")
            else:
                parts.append(f"2 des 3 derniers points sont proches des limites : {verdict}.")
        else:
            others = [p for p in real if p.rules]
            if others:
                p = others[-1]
                parts.append(
                    f"Variation de cause commune sur les derniers points ; dernier signal en {name(p.index)} "
                    f"({VARIATION_LABELS[p.variation]})."
                )
            else:
                parts.append("Variation de cause commune : aucun signal de changement.")
        if result.assurance:
            parts.append("Cible : " + ASSURANCE_LABELS[result.assurance] + ".")
    if result.provisional:
        seg = result.segments[-1]
        parts.append(f"Limites provisoires (calculées sur {seg.baseline_count} points, moins de {MIN_POINTS}).")
    return " ".join(parts)
