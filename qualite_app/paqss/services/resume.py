"""The action's journal and the summary strip (counts by status, late, due this month, completion rate)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, case, func, select

from qualite_app.paqss import rules
from qualite_app.paqss.models import PaqssAction, PaqssAxe, PaqssObjectif
from qualite_app.paqss.services.liste import ECHEANCE_DUE
from qualite_app.paqss.services.preuves import ACTION_TYPE
from qualite_app.storage.database import Database


@dataclass(frozen=True)
class Summary:
    par_statut: dict[str, int]
    total: int
    en_retard: int
    ce_mois: int
    taux_annee: float | None
    annee: int


def journal(db: Database, action_id: int, limite: int = 500) -> list[Any]:
    """The action's journal lines, with those of its milestones, comments and team (newest first)."""
    from qualite_app.socle import journal as reader

    return reader.list_entries(db, item=(ACTION_TYPE, action_id), limite=limite)


# --- summary strip ---------------------------------------------------------------------------
def summary(db: Database, programme_id: int | None = None, today: date | None = None) -> Summary:
    today = today or date.today()
    a = PaqssAction
    ouvert = a.statut.not_in(sorted(rules.CLOTURES))
    fin_mois = (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    q = select(
        a.statut,
        func.count(),
        func.sum(case((and_(ouvert, today > ECHEANCE_DUE), 1), else_=0)),
        func.sum(case((and_(ouvert, today <= ECHEANCE_DUE, fin_mois >= ECHEANCE_DUE), 1), else_=0)),
        func.sum(
            case(
                (and_(date(today.year, 1, 1) <= ECHEANCE_DUE, date(today.year, 12, 31) >= ECHEANCE_DUE), 1),
                else_=0,
            )
        ),
    ).group_by(a.statut)
    if programme_id is not None:
        q = (
            q.join(PaqssObjectif, a.objectif_id == PaqssObjectif.id)
            .join(PaqssAxe, PaqssObjectif.axe_id == PaqssAxe.id)
            .where(PaqssAxe.programme_id == programme_id)
        )
    par: dict[str, int] = dict.fromkeys(rules.STATUTS, 0)
    retard = mois = 0
    annee: dict[str, int] = {}
    with db.session() as s:
        for statut, n, r, m, y in s.execute(q):
            par[statut] = n
            retard += r or 0
            mois += m or 0
            annee[statut] = y or 0
    statuts_annee = [st for st, n in annee.items() for _ in range(n)]
    return Summary(par, sum(par.values()), retard, mois, rules.taux_realisation(statuts_annee), today.year)
