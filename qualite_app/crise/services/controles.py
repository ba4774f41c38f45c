"""The checks of a plan (pure rules applied to the base): roles, deputies, review and exercise due dates."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from qualite_app.crise import rules
from qualite_app.crise.models import CriseExercice, CrisePlan, CriseRole, CriseSuppleant
from qualite_app.crise.rules import EcheancesPlan
from qualite_app.errors import UserError
from qualite_app.storage.database import Database


def _etat(p: object) -> rules.PersonneEtat | None:
    if p is None:
        return None
    return rules.PersonneEtat(p.id, p.nom_complet, bool(p.actif))  # type: ignore[attr-defined]


def alertes(db: Database, plan_id: int, *, today: date | None = None) -> list[rules.Alerte]:
    """Errors first, then warnings."""
    today = today or date.today()
    with db.session() as s:
        p = s.get(CrisePlan, plan_id)
        if p is None:
            raise UserError("Ce plan de crise n'existe plus.")
        roles = s.scalars(
            select(CriseRole).where(CriseRole.plan_id == plan_id).order_by(CriseRole.ordre)
            .options(selectinload(CriseRole.titulaire), selectinload(CriseRole.suppleants).selectinload(CriseSuppleant.personne))
        ).all()  # fmt: skip
        etats = [
            rules.RoleEtat(r.code, r.libelle, _etat(r.titulaire), False,
                           tuple(e for d in r.suppleants if (e := _etat(d.personne)) is not None))
            for r in roles
        ]  # fmt: skip
        dernier = s.scalar(select(func.max(CriseExercice.le)).where(CriseExercice.plan_id == plan_id))
        revision = rules.prochaine_revision(p.adopte_le, p.cycle_revision_mois, p.revision_fixee)
        cycle_exercice = p.cycle_exercice_mois
    out = rules.controle_echeances(revision, dernier, today, cycle_exercice) + rules.controle_roles(etats)
    return sorted(out, key=lambda a: a.gravite != "erreur")


def echeances_plans_query() -> Any:
    """The plans in force with what their due dates need (``rules.echeances_plan``), by name: one query."""
    dernier = (
        select(CriseExercice.plan_id, func.max(CriseExercice.le).label("le"))
        .group_by(CriseExercice.plan_id)
        .subquery()
    )
    return (
        select(CrisePlan.id, CrisePlan.nom, CrisePlan.adopte_le, CrisePlan.cycle_revision_mois,
               CrisePlan.revision_fixee, CrisePlan.cycle_exercice_mois, dernier.c.le)
        .outerjoin(dernier, dernier.c.plan_id == CrisePlan.id)
        .where(CrisePlan.en_vigueur.is_(True))
        .order_by(CrisePlan.nom)
    )  # fmt: skip


def echeances_plans(db: Database, *, today: date | None = None) -> list[EcheancesPlan]:
    """The review and yearly-exercise checks of ``alertes`` for every plan in force, in one query (the
    home page: the roles' checks are the plan's page's business)."""
    today = today or date.today()
    with db.session() as s:
        return [rules.echeances_plan(tuple(row), today) for row in s.execute(echeances_plans_query())]
