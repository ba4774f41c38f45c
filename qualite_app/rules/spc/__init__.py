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

The package: ``resultat`` (constants, points, segments, ``SpcResult``), ``calcul`` (``compute``), ``signaux``
(Anhøj and NHS rules, variation, assurance), ``lecture`` (the French reading). Import it as
``from qualite_app.rules import spc``: this module is its public surface.
"""

from __future__ import annotations

from qualite_app.rules.spc.calcul import compute
from qualite_app.rules.spc.lecture import reading
from qualite_app.rules.spc.resultat import *  # noqa: F403
from qualite_app.rules.spc.resultat import __all__ as _resultat
from qualite_app.rules.spc.signaux import anhoj, anhoj_limits, qbinom_half

__all__ = [*_resultat, "anhoj", "anhoj_limits", "compute", "qbinom_half", "reading"]
