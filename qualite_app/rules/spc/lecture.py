"""The automatic reading of a chart, in French."""

from __future__ import annotations

from qualite_app.rules.spc.resultat import (
    ASSURANCE_LABELS,
    CONCERN,
    IMPROVEMENT,
    MIN_POINTS,
    NEUTRAL,
    R_OUTSIDE,
    R_SHIFT,
    R_TREND,
    RUN,
    SHORT_SERIES,
    VARIATION_LABELS,
    SpcPoint,
    SpcResult,
)


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
