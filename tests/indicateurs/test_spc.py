"""SPC rules on series computed by hand (constants of DOMAIN.md section 7)."""

from __future__ import annotations

import math

import pytest

from qualite_app.rules import spc
from qualite_app.rules.spc import R_OUTSIDE, R_SHIFT, R_TREND, R_TWO_OF_THREE

BASE = [10.0, 12.0] * 6  # mean 11, MR̄ 2 → limits 5.68 / 16.32, 2σ band 7.454 / 14.546


def flagged(res: spc.SpcResult, rule: str) -> list[int]:
    return [p.index for p in res.points if rule in p.rules]


def test_xmr_limits_by_hand() -> None:
    res = spc.compute([10, 12, 11, 13, 12])
    # mean 58/5 = 11.6; moving ranges 2, 1, 2, 1 → MR̄ 1.5
    seg = res.segments[0]
    assert seg.centre == pytest.approx(11.6)
    assert seg.mr_bar == pytest.approx(1.5)
    p = res.points[0]
    assert p.ucl == pytest.approx(11.6 + 2.66 * 1.5)
    assert p.lcl == pytest.approx(11.6 - 2.66 * 1.5)
    assert p.upper_near == pytest.approx(11.6 + 1.773 * 1.5)
    assert res.provisional  # 5 points < 12
    assert not res.flagged()


def test_outside_the_limits_improvement_or_concern() -> None:
    up = spc.compute(BASE + [17.0], baseline=12, direction=spc.HAUSSE)
    assert flagged(up, R_OUTSIDE) == [12]
    assert up.points[12].variation == spc.IMPROVEMENT
    assert up.variation == spc.IMPROVEMENT
    down = spc.compute(BASE + [17.0], baseline=12, direction=spc.BAISSE)
    assert down.points[12].variation == spc.CONCERN
    neutral = spc.compute(BASE + [17.0], baseline=12)
    assert neutral.points[12].variation == spc.NEUTRAL
    assert not up.provisional  # 12 baseline points


def test_seven_points_on_one_side() -> None:
    # index 11 is 12 (above 11); six more above make a run of 7: indices 11..17
    res = spc.compute(BASE + [12.5] * 6, baseline=12, direction=spc.BAISSE)
    assert flagged(res, R_SHIFT) == list(range(11, 18))
    assert res.variation == spc.CONCERN and res.variation_side == "haut"
    six = spc.compute(BASE + [12.5] * 5, baseline=12)
    assert flagged(six, R_SHIFT) == []


def test_point_on_the_centre_line_breaks_a_run() -> None:
    res = spc.compute(BASE + [12.5] * 3 + [11.0] + [12.5] * 3, baseline=12)
    assert flagged(res, R_SHIFT) == []


def test_seven_points_rising() -> None:
    tail = [10.0, 10.5, 11.0, 11.5, 12.0, 12.5, 13.0]
    res = spc.compute(BASE + tail, baseline=12, direction=spc.HAUSSE)
    assert flagged(res, R_TREND) == list(range(12, 19))
    assert flagged(res, R_SHIFT) == []
    assert res.variation == spc.IMPROVEMENT
    # six rising points are not a trend
    res6 = spc.compute(BASE + tail[:6], baseline=12)
    assert flagged(res6, R_TREND) == []


def test_seven_points_falling_is_concern_when_higher_is_better() -> None:
    tail = [13.0, 12.5, 12.0, 11.5, 11.0, 10.5, 10.0]
    res = spc.compute(BASE[:-1] + [10.0] + tail, baseline=12, direction=spc.HAUSSE)
    # 10 → 13 rises, then 13 falls to 10: trend = indices 12..18
    assert flagged(res, R_TREND) == list(range(12, 19))
    assert res.points[15].variation == spc.CONCERN


def test_two_of_three_beyond_two_sigma() -> None:
    res = spc.compute(BASE + [15.0, 11.0, 15.0], baseline=12, direction=spc.BAISSE)
    assert flagged(res, R_TWO_OF_THREE) == [12, 14]
    assert flagged(res, R_OUTSIDE) == []  # 15 < 16.32
    assert res.points[14].variation == spc.CONCERN
    one = spc.compute(BASE + [15.0, 11.0, 11.0], baseline=12)
    assert flagged(one, R_TWO_OF_THREE) == []


def test_p_chart_limits_per_point() -> None:
    res = spc.compute(chart=spc.P, numerators=[5, 10, 20], denominators=[50, 100, 200], scale=100)
    # p̄ = 35/350 = 0.1; σ(50) = √(0.09/50)
    assert res.segments[0].centre == pytest.approx(10.0)
    assert res.points[0].ucl == pytest.approx(100 * (0.1 + 3 * math.sqrt(0.09 / 50)))
    assert res.points[0].lcl == 0.0  # clipped
    assert res.points[2].ucl == pytest.approx(100 * (0.1 + 3 * math.sqrt(0.09 / 200)))
    same = spc.compute(chart=spc.P, numerators=[5, 10, 15], denominators=[100, 100, 100], scale=100)
    assert same.points[1].ucl == pytest.approx(19.0) and same.points[1].lcl == pytest.approx(1.0)


def test_p_chart_clipped_to_one_and_zero_denominator_is_missing() -> None:
    res = spc.compute(chart=spc.P, numerators=[9, 0, 10], denominators=[10, 0, 10], scale=1)
    assert res.points[1].value is None
    assert res.points[0].ucl == 1.0  # p̄ = 0.95, σ(10) ≈ 0.069 → 1.156 clipped to 1
    assert res.segments[0].centre == pytest.approx(0.95)


def test_u_chart() -> None:
    res = spc.compute(chart=spc.U, numerators=[2, 4, 6], denominators=[1000, 1000, 1000], scale=1000)
    # ū = 0.004, σ = √(0.004/1000) = 0.002 → UCL 0.010 (×1000 = 10), LCL < 0 → 0
    assert res.segments[0].centre == pytest.approx(4.0)
    assert res.points[0].ucl == pytest.approx(10.0)
    assert res.points[0].lcl == 0.0


@pytest.mark.parametrize(
    ("n", "run", "crossings"),
    [(10, 6, 2), (12, 7, 3), (15, 7, 4), (20, 7, 6), (24, 8, 8), (30, 8, 10), (40, 8, 14), (50, 9, 19)],
)
def test_anhoj_critical_values(n: int, run: int, crossings: int) -> None:
    assert spc.anhoj_limits(n) == (run, crossings)


def test_run_chart_no_signal_and_points_on_median_ignored() -> None:
    res = spc.compute([1, 2, 1, 2, 1, 2, 1, 2, 1, 2], chart=spc.RUN)
    assert res.segments[0].centre == 1.5
    assert res.anhoj is not None and not res.anhoj.signal
    assert res.anhoj.crossings == 9
    on = spc.compute([1, 2, 3, 2, 1], chart=spc.RUN)
    assert on.anhoj is not None and on.anhoj.n == 3 and on.anhoj.crossings == 2


def test_run_chart_too_few_crossings() -> None:
    res = spc.compute([1] * 7 + [2] * 7, chart=spc.RUN)
    a = res.anhoj
    assert a is not None
    assert (a.n, a.longest_run, a.longest_run_max, a.crossings, a.crossings_min) == (14, 7, 7, 1, 4)
    assert a.signal_crossings and not a.signal_run


def test_run_chart_long_run_flags_its_points() -> None:
    res = spc.compute([1] * 8 + [2] * 8, chart=spc.RUN, direction=spc.HAUSSE)
    assert res.anhoj is not None and res.anhoj.signal_run
    assert flagged(res, spc.R_RUN) == list(range(16))
    assert res.points[0].variation == spc.CONCERN and res.points[15].variation == spc.IMPROVEMENT


def test_constant_series() -> None:
    res = spc.compute([5.0] * 15, direction=spc.HAUSSE, target=6)
    assert res.points[0].ucl == 5.0 and res.points[0].lcl == 5.0
    assert not res.flagged()
    assert res.variation == spc.COMMON
    assert res.assurance == spc.FAIL  # target above the (flat) limits, higher is better


def test_single_point_and_empty_series() -> None:
    one = spc.compute([7.0])
    assert one.points[0].centre == 7.0 and one.points[0].ucl is None
    assert one.provisional and not one.flagged()
    assert "Un seul résultat" in spc.reading(one)
    empty = spc.compute([])
    assert empty.points == [] and empty.variation == spc.COMMON
    assert "Aucun résultat" in spc.reading(empty)


def test_missing_periods_keep_their_place() -> None:
    res = spc.compute([10, None, 12, float("nan"), 11])
    assert [p.value for p in res.points] == [10, None, 12, None, 11]
    # moving ranges join real neighbours: |12-10|, |11-12| → MR̄ 1.5, mean 11
    assert res.segments[0].mr_bar == pytest.approx(1.5)
    assert res.segments[0].centre == pytest.approx(11.0)
    assert res.points[1].centre == pytest.approx(11.0)


def test_missing_points_do_not_break_a_run() -> None:
    res = spc.compute(BASE + [12.5, None, 12.5, 12.5, None, 12.5, 12.5, 12.5], baseline=12)
    assert flagged(res, R_SHIFT) == [11, 12, 14, 15, 17, 18, 19]


def test_baseline_frozen_on_first_points() -> None:
    free = spc.compute(BASE + [30.0])
    frozen = spc.compute(BASE + [30.0], baseline=12)
    assert frozen.segments[0].centre == pytest.approx(11.0)
    assert free.segments[0].centre == pytest.approx((sum(BASE) + 30) / 13)
    assert flagged(frozen, R_OUTSIDE) == [12]


def test_rebase_starts_new_limits() -> None:
    values = BASE + [v + 10 for v in BASE]
    before = spc.compute(values, direction=spc.HAUSSE)
    assert flagged(before, R_SHIFT)  # a single set of limits sees the jump
    after = spc.compute(values, direction=spc.HAUSSE, rebase_at=[12])
    assert [s.centre for s in after.segments] == [pytest.approx(11.0), pytest.approx(21.0)]
    assert after.points[12].ucl == pytest.approx(21 + 2.66 * 2)
    assert after.points[11].ucl == pytest.approx(11 + 2.66 * 2)
    assert flagged(after, R_SHIFT) == []
    assert not after.provisional


def test_assurance() -> None:
    # limits 5.68 .. 16.32
    assert spc.compute(BASE, direction=spc.HAUSSE, target=5).assurance == spc.PASS
    assert spc.compute(BASE, direction=spc.HAUSSE, target=17).assurance == spc.FAIL
    assert spc.compute(BASE, direction=spc.HAUSSE, target=11).assurance == spc.HIT_MISS
    assert spc.compute(BASE, direction=spc.BAISSE, target=17).assurance == spc.PASS
    assert spc.compute(BASE, direction=spc.BAISSE, target=5).assurance == spc.FAIL
    assert spc.compute(BASE, target=5).assurance is None  # no direction, no assurance


def test_reading_names_the_period() -> None:
    labels = [f"mois {i + 1}" for i in range(18)]
    res = spc.compute(BASE + [12.5] * 6, baseline=12, direction=spc.HAUSSE)
    text = spc.reading(res, labels)
    assert text.startswith("7 points au-dessus de la moyenne depuis mois 12 : amélioration")


def test_ten_thousand_points_is_linear() -> None:
    import random

    rng = random.Random(5)
    res = spc.compute([rng.gauss(50, 5) for _ in range(10_000)], direction=spc.HAUSSE)
    assert len(res.points) == 10_000
    # with random noise a handful of false alarms at most (3σ: about 0.3 % outside)
    assert len(flagged(res, R_OUTSIDE)) < 100


def test_reading_of_a_short_series() -> None:
    res = spc.compute([62.0, 71.0, 79.0], chart=spc.RUN, direction=spc.HAUSSE)
    assert spc.reading(res).startswith("Série courte (3 résultats)")
