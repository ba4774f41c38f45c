"""SPC rules on series computed by hand (DOMAIN.md section 7; NHS rules as NHSRplotthedots ≥ 0.2.2)."""

from __future__ import annotations

import math

import pytest

from qualite_app.rules import spc
from qualite_app.rules.spc import R_OUTSIDE, R_SHIFT, R_TREND, R_TWO_OF_THREE, signaux

BASE = [10.0, 12.0] * 6  # mean 11, MR̄ 2 → limits 5.68 / 16.32, 2σ band 7.453 / 14.547


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
    assert p.upper_near == pytest.approx(11.6 + 2 * 2.66 / 3 * 1.5)
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
    # 15 and 15 between 2σ (14.547) and 3σ (16.32), 12 inside the band: all three above the mean (11)
    res = spc.compute(BASE + [15.0, 12.0, 15.0], baseline=12, direction=spc.BAISSE)
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


# --- NHS "Making Data Count" rules, identical to NHSRplotthedots ≥ 0.2.2 (ptd_spc_standard.R,
# ptd_calculate_point_type.R; issues #143, #167, #171/PR #180) ----------------------------------------
def test_two_of_three_needs_the_whole_window_on_the_same_side_of_the_mean() -> None:
    # issue #143: 15 and 15 are both beyond 2σ (14.547) but 10 lies on the other side of the mean (11)
    res = spc.compute(BASE + [15.0, 10.0, 15.0], baseline=12, direction=spc.BAISSE)
    assert flagged(res, R_TWO_OF_THREE) == []
    assert res.variation == spc.COMMON
    # a point exactly on the mean is on neither side: the window is not three points on one side
    on_mean = spc.compute(BASE + [15.0, 11.0, 15.0], baseline=12)
    assert flagged(on_mean, R_TWO_OF_THREE) == []


def test_points_beyond_the_process_limits_are_not_near_the_limit() -> None:
    # 17 is beyond the 3σ limit (16.32): it is "outside", not one of the "2 of 3 between 2σ and 3σ"
    res = spc.compute(BASE + [17.0, 15.0], baseline=12, direction=spc.BAISSE)
    assert flagged(res, R_OUTSIDE) == [12]
    assert flagged(res, R_TWO_OF_THREE) == []
    assert res.points[13].variation == spc.COMMON
    # s>3, 2<s<3, 2<s<3 (issue #153): the two near-limit points are the pattern, the first is outside
    res2 = spc.compute(BASE + [17.0, 15.0, 15.0], baseline=12)
    assert flagged(res2, R_OUTSIDE) == [12]
    assert flagged(res2, R_TWO_OF_THREE) == [13, 14]


def test_near_limit_band_is_two_thirds_of_the_process_limit() -> None:
    # limitclose = 2 * (2.66 / 3) in ptd_spc_standard.R
    res = spc.compute([10, 12, 11, 13, 12])
    assert res.points[0].upper_near == pytest.approx(11.6 + 2 * 2.66 / 3 * 1.5)
    assert res.points[0].lower_near == pytest.approx(11.6 - 2 * 2.66 / 3 * 1.5)


def test_a_trend_decides_the_colour_before_a_run_on_one_side() -> None:
    # PR #180: seven points above the mean but falling are a decreasing trend: concern when higher is better
    tail = [16.0, 15.5, 15.0, 14.5, 14.0, 13.5, 13.0]
    res = spc.compute(BASE + tail, baseline=12, direction=spc.HAUSSE)
    assert flagged(res, R_TREND) == list(range(12, 19))
    assert flagged(res, R_SHIFT) == list(range(11, 19))
    assert flagged(res, R_TWO_OF_THREE) == [12, 13, 14]  # 14.5 is just inside the 2σ band (14.547)
    assert [res.points[i].variation for i in range(11, 19)] == [spc.IMPROVEMENT] + [spc.CONCERN] * 7
    assert res.variation == spc.CONCERN and res.variation_side == "bas"
    assert res.points[18].cause == R_TREND and res.points[11].cause == R_SHIFT
    assert "7 points consécutifs en baisse" in spc.reading(res)


def test_a_point_in_two_trends_takes_the_trend_on_its_right() -> None:
    # « if a point is part of a trend either side, use right side »: the peak belongs to the fall
    base = [0.0, 20.0] * 6  # mean 10, MR̄ 20: wide limits, nothing else fires
    tail = [4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 9.0, 8.0, 7.0, 6.0, 5.0, 4.0]
    res = spc.compute(base + tail, baseline=12, direction=spc.HAUSSE)
    assert flagged(res, R_TREND) == list(range(12, 25))
    assert all(res.points[i].variation == spc.IMPROVEMENT for i in range(12, 18))
    assert all(res.points[i].variation == spc.CONCERN for i in range(18, 25))


def test_a_trend_does_not_cross_a_rebase() -> None:
    # every rule works inside a rebase group (group_by(f, rebase_group))
    values = [10.0, 12.0, 10.0, 12.0, 10.0, 12.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0]
    assert flagged(spc.compute(values), R_TREND) == list(range(6, 14))
    assert flagged(spc.compute(values, rebase_at=[10]), R_TREND) == []


def test_outside_wins_over_trend_and_the_side_is_the_side_of_the_mean() -> None:
    # ptd_special_cause_type: outside > trend > 2 in 3 > 7 on one side
    values = [float(v) for v in [*range(8), *range(6, 0, -1)]]  # issue #200: c(0:7, 6:1)
    res = spc.compute(values, direction=spc.HAUSSE)
    # mean 3.5, MR̄ 1 → limits 0.84 / 6.16: 0 and 7 are outside
    assert flagged(res, R_OUTSIDE) == [0, 7]
    assert res.points[7].cause == R_OUTSIDE and res.points[7].variation == spc.IMPROVEMENT
    assert res.points[0].variation == spc.CONCERN
    assert res.points[6].cause == R_TREND and res.points[6].variation == spc.IMPROVEMENT
    assert res.points[8].cause == R_TREND and res.points[8].variation == spc.CONCERN


# expectations of tests/testthat/test-ptd_calculate_point_type.R, ported by hand
@pytest.mark.parametrize(
    ("close", "rtm", "expected"),
    [
        ([1, 0, 1], [1, 1, 1], [1, 0, 1]),
        ([0, 1, 1], [1, 1, 1], [0, 1, 1]),
        ([1, 1, 0], [1, 1, 1], [1, 1, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [1] * 7, [0, 0, 1, 0, 1, 0, 0]),
        ([0, 0, 1, 1, 0, 0, 0], [1] * 7, [0, 0, 1, 1, 0, 0, 0]),
        ([1, 0, 0, 1], [1] * 4, [0, 0, 0, 0]),
        ([1, 0, 0, 1, 1], [1] * 5, [0, 0, 0, 1, 1]),
        ([1, 0, 1], [1, -1, 1], [0, 0, 0]),
        ([0, 1, 1], [1, -1, 1], [0, 0, 0]),
        ([1, 1, 0], [1, -1, 1], [0, 0, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [1, -1, 1, -1, 1, -1, 1], [0] * 7),
        ([0, 0, 1, 1, 0, 0, 0], [-1, 1, -1, 1, -1, 1, -1], [0] * 7),
        ([], [], []),
    ],
)
def test_part_of_two_in_three_as_nhsrplotthedots(
    close: list[int], rtm: list[int], expected: list[int]
) -> None:
    assert signaux._two_in_three([bool(c) for c in close], rtm) == [bool(e) for e in expected]


@pytest.mark.parametrize(
    ("y", "part"),
    [
        ([1, 2, 3, 4, 5, 6], [0] * 6),
        ([1, 2, 3, 3, 4, 5, 6], [0] * 7),
        ([1, 2, 3, 4, 5, 6, 7], [1] * 7),
        ([2, 1, 2, 3, 4, 5, 6, 7, 3], [0] + [1] * 7 + [0]),
        ([7, 6, 5, 4, 3, 2, 1], [-1] * 7),
        ([2, 7, 6, 5, 4, 3, 2, 1, 3], [0] + [-1] * 7 + [0]),
    ],
)
def test_seven_point_trend_as_nhsrplotthedots(y: list[float], part: list[int]) -> None:
    assert signaux._trend_sides(y) == part


@pytest.mark.parametrize(
    ("rtm", "part"),
    [
        ([1] * 6, [0] * 6),
        ([1] * 6 + [-1], [0] * 7),
        ([1] * 8 + [-1], [1] * 8 + [0]),
        ([-1] * 8 + [1], [-1] * 8 + [0]),
        ([1, 1, 1, 0, 1, 1, 1, 1], [0] * 8),
    ],
)
def test_seven_points_one_side_as_nhsrplotthedots(rtm: list[int], part: list[int]) -> None:
    assert signaux._one_side(rtm) == part


def test_reading_prefers_the_run_when_it_agrees_with_the_colour() -> None:
    # the last two points are « 2 of 3 » (the rule that colours them) inside a run of 7 below the mean
    labels = [f"mois {i + 1}" for i in range(19)]
    res = spc.compute(BASE + [9.0] * 5 + [7.0, 7.0], baseline=12, direction=spc.BAISSE)
    assert flagged(res, R_TWO_OF_THREE) == [17, 18] and res.points[18].cause == R_TWO_OF_THREE
    assert spc.reading(res, labels).startswith(
        "7 points en dessous de la moyenne depuis mois 13 : amélioration"
    )
