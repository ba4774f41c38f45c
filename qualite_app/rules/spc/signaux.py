"""Special-cause signals: Anhøj rules (run charts), the NHS rules (Shewhart charts), the last point's
variation and the target assurance."""

from __future__ import annotations

import math

from qualite_app.rules.spc.resultat import (
    FAIL,
    HAUSSE,
    HIT_MISS,
    NEUTRE,
    PASS,
    R_OUTSIDE,
    R_RUN,
    R_SHIFT,
    R_TREND,
    R_TWO_OF_THREE,
    RUN,
    RUN_LENGTH,
    TREND_LENGTH,
    AnhojResult,
    SpcResult,
)


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


def nhs_rules(
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


def run_rules(result: SpcResult) -> None:
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


def classify(result: SpcResult) -> None:
    vals = result.values
    last = next((i for i in range(len(vals) - 1, -1, -1) if vals[i] is not None), None)
    if last is not None:
        result.variation = result.variation_at(last)
        result.variation_side = result.sides.get(last)


def set_assurance(result: SpcResult) -> None:
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
