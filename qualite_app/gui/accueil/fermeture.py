"""« Aujourd'hui » at the window's close: kept for the next launch when a change made it stale and the idle
computation of the next days has not run yet (the window closed within seconds of the change)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qualite_app.gui.accueil.page import AccueilPage

log = logging.getLogger(__name__)


def garder_avant_fermeture(page: AccueilPage) -> None:
    """Today's lines and those up to the next working day, computed now and kept under the base's current
    key — the next launch shows them at once. Silent on failure (the next launch computes)."""
    from qualite_app.accueil import memoire, rules

    if not hasattr(page, "ctx"):
        return
    try:
        today = rules.aujourdhui()
        cle = page._lire_cle()
        jours = [today, today + timedelta(days=1)]
        while jours[-1].weekday() >= 5:  # Friday evening: the next launch is on Monday
            jours.append(jours[-1] + timedelta(days=1))
        gardes = memoire.jours_gardes(page.lieu, cle)
        jours = [d for d in jours if d not in gardes]
        if cle is None or not jours:
            return
        moi = page._moi()
        lignes = {
            d: rules.classer([a for src in page._sources() for a in src(page.ctx.db, d, moi)]) for d in jours
        }
        memoire.garder(page.lieu, cle, lignes, {today: page._resume(today)}, today)
    except Exception:  # closing never fails for this
        log.warning("Page « Aujourd'hui » non gardée à la fermeture", exc_info=True)
