"""The crisis-management maturity self-assessment (e.g. the ANSSI grid, a CISO Assistant library the director
imports in the Certification page) run against a plan through the certification area's référentiel engine:
a campaign of that référentiel, linked to the plan, filled in the Certification page, its score read back here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from qualite_app.crise.models import CrisePlan
from qualite_app.errors import UserError
from qualite_app.storage.database import Database

CAMPAGNE_TYPE = "certif_campagne"
NATURE_MATURITE = "autoévaluation de maturité"


@dataclass(frozen=True)
class MaturiteRow:
    campagne_id: int
    nom: str
    referentiel: str
    debut: date | None
    evalues: int
    a_evaluer: int
    satisfaction: float | None  # 0–100


def referentiels(db: Database) -> list[tuple[int, str]]:
    """The référentiels imported in the Certification page (id, « name (version) »), to choose the grid from."""
    from qualite_app.certification import referentiels as refs

    return [(r.id, f"{r.nom} (version {r.version})") for r in refs.lister(db)]


def lancer(
    db: Database, plan_id: int, referentiel_id: int, *, nom: str | None = None, today: date | None = None
) -> int:
    """A self-assessment campaign of ``referentiel_id`` for the plan, linked to it; returns the campaign's id."""
    from qualite_app.certification import campagnes
    from qualite_app.crise.services.exercices import PLAN_TYPE
    from qualite_app.socle import liens

    today = today or date.today()
    with db.session() as s:
        p = s.get(CrisePlan, plan_id)
        if p is None:
            raise UserError("Ce plan de crise n'existe plus.")
        label = nom or f"Maturité de gestion de crise — {p.nom} v{p.version} — {today:%d/%m/%Y}"
    cid = campagnes.creer_campagne(db, label, referentiel_id, debut=today)
    try:
        with db.unit_of_work() as s:
            liens.link(s, PLAN_TYPE, plan_id, CAMPAGNE_TYPE, cid, NATURE_MATURITE)
    except Exception:
        campagnes.supprimer_campagne(db, cid)  # never a campaign left without its plan
        raise
    return cid


def autoevaluations(db: Database, plan_id: int, *, today: date | None = None) -> list[MaturiteRow]:
    """The plan's maturity campaigns, latest first, with their score (the certification area's synthesis)."""
    from qualite_app.certification import campagnes, scores
    from qualite_app.crise.services.exercices import PLAN_TYPE
    from qualite_app.socle import liens

    ids = {x.other_id for x in liens.links_of(db, PLAN_TYPE, plan_id) if x.other_type == CAMPAGNE_TYPE}
    out = []
    for c in campagnes.campagnes(db):
        if c.id in ids:
            syn = scores.synthese(db, c.id, le=today)
            out.append(
                MaturiteRow(c.id, c.nom, c.referentiel, c.debut, syn.evalues, syn.a_evaluer, syn.global_pct)
            )
    return out
