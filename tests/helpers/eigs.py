"""An overdue EIGS for the home page's tests: a fall with serious harm known 20 days ago, classified EIGS
(its part 1 is overdue)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from qualite_app.evenements import services as evenements
from qualite_app.storage.database import Database


def eigs_en_retard(db: Database, faits: str, heure: int = 3) -> tuple[int, str]:
    """The event's id and its EIGS reference."""
    today = date.today()
    when = datetime.combine(today - timedelta(days=20), datetime.min.time()).replace(hour=heure)
    data = evenements.EvenementData(survenu_le=when, declare_le=when.date(), type_code="chute", gravite="5", faits=faits)
    eid = evenements.enregistrer_evenement(db, data, today=today)
    evenements.classer_eigs(db, eid, today=today)
    return eid, next(e.reference for e in evenements.echeances(db, today=today) if e.evenement_id == eid)
