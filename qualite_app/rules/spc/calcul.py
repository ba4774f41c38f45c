"""``compute``: the centre line and limits of each segment (XmR, p, u, run chart), then the signals."""

from __future__ import annotations

import math

from qualite_app.rules.spc.resultat import (
    MR_UCL,
    NEUTRE,
    RUN,
    XMR,
    XMR_LIMIT,
    XMR_NEAR,
    P,
    Segment,
    SpcResult,
    U,
)
from qualite_app.rules.spc.signaux import classify, nhs_rules, run_rules, set_assurance


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
        run_rules(result)
    else:
        nhs_rules(result, vals, centre, lcl, ucl, lo2, hi2, segno)
    classify(result)
    set_assurance(result)
    return result
