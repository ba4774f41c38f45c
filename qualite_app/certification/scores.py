"""Readiness of a campaign: the score roll-up, coverage by chapter and objective, impératifs at risk,
evidence validity, the projected decision, what to do before the visit; two campaigns compared; a
non-conformity turned into a PAQSS action in one click."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from qualite_app.certification import rules
from qualite_app.certification.models import (
    CertifCampagne,
    CertifNoeud,
    CertifPreuve,
    CertifPreuveCritere,
    CertifReponse,
)
from qualite_app.certification.referentiels import NoeudRow, noeuds
from qualite_app.errors import UserError
from qualite_app.storage.database import Database

#: the type of a criterion in the links table (PAQSS actions born from a finding point to it)
NOEUD_TYPE = "certif_noeud"


@dataclass
class Couverture:
    """One chapter, objective or criterion, as the readiness page shows it."""

    id: int
    ref: str
    titre: str
    type: str
    niveau: str | None = None
    satisfaction: float | None = None  # 0–100
    evalues: int = 0
    a_evaluer: int = 0
    criteres: int = 0
    criteres_preuve_valide: int = 0
    imperatifs_a_risque: int = 0
    preuves_expirant: int = 0
    par_reponse: dict[str, int] = field(default_factory=dict)
    imperatif_non_atteint: bool = False
    preuves_valides: int = 0


@dataclass
class Synthese:
    campagne_id: int
    campagne: str
    referentiel: str
    le: date
    date_visite: date | None
    seuils: rules.Seuils
    global_pct: float | None
    projection: rules.Projection
    chapitres: list[Couverture]
    objectifs: list[Couverture]
    criteres: list[Couverture]
    imperatifs_non_atteints: list[Couverture]
    a_faire: list[str]
    #: node id → satisfaction 0–100 (tree colouring)
    par_noeud: dict[int, float | None]
    evalues: int = 0
    a_evaluer: int = 0
    preuves_expirees: int = 0
    #: distinct evidence still valid today whose validity ends before the visit
    preuves_a_renouveler: int = 0


def imperatifs_queries(campagne_id: int) -> tuple[Any, Any, Any]:
    """What ``rules.imperatifs_non_atteints`` reads of a campaign: its thresholds, its référentiel's live
    nodes in their order, its answers (the home page: the rest of ``synthese`` is the readiness page's)."""
    n, c = CertifNoeud, CertifCampagne
    seuils = select(c.seuils).where(c.id == campagne_id)
    noeuds_q = (
        select(n.id, n.parent_id, n.type, n.ref, n.titre, n.niveau, n.evaluable)
        .join(c, c.referentiel_id == n.referentiel_id)
        .where(c.id == campagne_id, n.retire.is_(False))
        .order_by(n.ordre, n.id)
    )
    reponses = select(CertifReponse.noeud_id, CertifReponse.valeur).where(
        CertifReponse.campagne_id == campagne_id
    )
    return seuils, noeuds_q, reponses


def synthese(db: Database, campagne_id: int, *, le: date | None = None) -> Synthese:
    le = le or date.today()
    with db.session() as s:
        c = s.get(CertifCampagne, campagne_id)
        if c is None:
            raise UserError("Cette campagne n'existe plus.")
        seuils = rules.Seuils.from_dict(c.seuils)
        nodes = noeuds(db, c.referentiel_id, avec_retires=False)
        answers = {
            nid: v
            for nid, v in s.execute(
                select(CertifReponse.noeud_id, CertifReponse.valeur).where(CertifReponse.campagne_id == c.id)
            )
        }
        ev = s.execute(
            select(CertifPreuveCritere.noeud_id, CertifPreuve.valide_jusqu_au, CertifPreuve.id).join(
                CertifPreuve, CertifPreuve.id == CertifPreuveCritere.preuve_id
            )
        ).all()
        head = (c.nom, c.referentiel.nom, c.date_visite)
    by_id = {n.id: n for n in nodes}
    scores = rules.roll_up(
        [rules.NoeudScore(n.id, n.parent_id if n.parent_id in by_id else None, n.type, n.niveau, n.evaluable) for n in nodes], answers, seuils
    )  # fmt: skip
    # evidence counted once per node however many of its criteria it serves
    valid: dict[int, set[int]] = {}
    expiring: dict[int, set[int]] = {}
    expired: set[int] = set()
    for nid, fin, pid in ev:
        if nid not in by_id:
            continue
        if rules.expiree(fin, le):
            expired.add(pid)
            continue
        valid.setdefault(nid, set()).add(pid)
        if head[2] and fin is not None and fin < head[2]:
            expiring.setdefault(nid, set()).add(pid)

    # roll evidence up to the criterion / objective / chapter
    def up(nid: int) -> list[int]:
        out = []
        n = by_id.get(nid)
        while n is not None:
            out.append(n.id)
            n = by_id.get(n.parent_id) if n.parent_id else None
        return out

    covered: dict[int, set[int]] = {}  # node id → criteria with valid evidence beneath
    exp_under: dict[int, set[int]] = {}
    valid_under: dict[int, set[int]] = {}
    crit_of: dict[int, int | None] = {}  # node id → the nearest criterion at or above it (each node once)

    def crit(nid: int) -> int | None:
        if nid not in crit_of:
            n = by_id[nid]
            if n.type in ("critere", "exigence"):
                crit_of[nid] = n.id
            else:
                crit_of[nid] = crit(n.parent_id) if n.parent_id in by_id else None
        return crit_of[nid]

    for n in nodes:
        crit(n.id)
    for nid, ids in valid.items():
        crit_id = crit_of.get(nid)
        for a in up(nid):
            valid_under.setdefault(a, set()).update(ids)
            if crit_id is not None:
                covered.setdefault(a, set()).add(crit_id)
    for nid, ids in expiring.items():
        for a in up(nid):
            exp_under.setdefault(a, set()).update(ids)
    exp_count = {k: len(v) for k, v in exp_under.items()}
    valid_count = {k: len(v) for k, v in valid_under.items()}
    answers_under: dict[int, dict[str, int]] = {}
    for nid, v in answers.items():
        for a in up(nid):
            d = answers_under.setdefault(a, {})
            d[v] = d.get(v, 0) + 1

    crits_under: dict[int, list[NoeudRow]] = {}
    for x in nodes:
        if x.type in ("critere", "exigence"):
            for a in up(x.id):
                crits_under.setdefault(a, []).append(x)

    def cov(n: NoeudRow) -> Couverture:
        sc = scores[n.id]
        crits = crits_under.get(n.id, [])
        return Couverture(
            n.id, n.ref, n.titre, n.type, n.niveau, _pct(sc.satisfaction), sc.evalues, sc.total, len(crits),
            len(covered.get(n.id, set())), sum(1 for x in crits if x.niveau == rules.IMPERATIF and _a_risque(x.id, scores, covered)),
            exp_count.get(n.id, 0), answers_under.get(n.id, {}), sc.imperatif_non_atteint, valid_count.get(n.id, 0),
        )  # fmt: skip

    chapitres = [cov(n) for n in nodes if n.parent_id not in by_id and n.type not in ("critere", "exigence")]
    objectifs = [cov(n) for n in nodes if n.type == "objectif"]
    criteres = [cov(n) for n in nodes if n.type in ("critere", "exigence")]
    unmet = [x for x in criteres if x.imperatif_non_atteint]
    avances = [x for x in criteres if x.niveau == rules.AVANCE]
    met_avances = sum(
        1 for x in avances if x.satisfaction is not None and x.satisfaction >= seuils.mention_avance_critere
    )
    global_pct = _pct(scores[0].satisfaction)
    projection = rules.projected_decision(
        global_pct,
        {f"{c.ref} {c.titre}": c.satisfaction for c in chapitres},
        len(unmet),
        met_avances,
        len(avances),
        seuils,
    )
    syn = Synthese(campagne_id, head[0], head[1], le, head[2], seuils, global_pct, projection, chapitres, objectifs, criteres,
                   unmet, [], {k: _pct(v.satisfaction) for k, v in scores.items() if k}, scores[0].evalues, scores[0].total, len(expired))  # fmt: skip
    syn.preuves_a_renouveler = len(set().union(*expiring.values())) if expiring else 0
    syn.a_faire = _a_faire(syn)
    return syn


def _pct(x: float | None) -> float | None:
    return None if x is None else round(100.0 * x, 1)


def _a_risque(crit_id: int, scores: dict[int, rules.Score], covered: dict[int, set[int]]) -> bool:
    """An impératif at risk: unmet, not fully assessed, or without valid evidence."""
    sc = scores[crit_id]
    return sc.imperatif_non_atteint or sc.evalues < sc.total or not covered.get(crit_id)


def _a_faire(syn: Synthese) -> list[str]:
    out = [f"Traiter l'impératif non atteint {c.ref} — {c.titre}" for c in syn.imperatifs_non_atteints]
    for c in syn.criteres:
        if c.niveau == rules.IMPERATIF and not c.imperatif_non_atteint and c.evalues < c.a_evaluer:
            out.append(f"Évaluer les {c.a_evaluer - c.evalues} élément(s) restant(s) de l'impératif {c.ref}")
    for c in syn.criteres:
        if c.niveau == rules.IMPERATIF and c.criteres_preuve_valide == 0:
            out.append(f"Déposer une preuve valide pour l'impératif {c.ref}")
    if syn.date_visite:
        n = syn.preuves_a_renouveler
        if n:
            out.append(
                f"Renouveler {n} preuve(s) qui expire(nt) avant la visite du {syn.date_visite:%d/%m/%Y}"
            )
    if syn.preuves_expirees:
        out.append(f"Remplacer {syn.preuves_expirees} preuve(s) expirée(s)")
    reste = syn.a_evaluer - syn.evalues
    if reste:
        out.append(f"Compléter l'autoévaluation : {reste} élément(s) sur {syn.a_evaluer} sans réponse")
    return out


@dataclass(frozen=True)
class Ecart:
    ref: str
    titre: str
    niveau: str | None
    avant: float | None
    apres: float | None

    @property
    def sens(self) -> str:
        if self.avant is None:
            return "nouveau"
        if self.apres is None:
            return "non réévalué"
        return "amélioré" if self.apres > self.avant else "dégradé"


def comparer(db: Database, avant_id: int, apres_id: int, *, le: date | None = None) -> list[Ecart]:
    """Criteria whose satisfaction changed between two campaigns (same référentiel), worst falls first."""
    a, b = synthese(db, avant_id, le=le), synthese(db, apres_id, le=le)
    before = {c.ref: c for c in a.criteres}
    out = [
        Ecart(
            c.ref, c.titre, c.niveau, before[c.ref].satisfaction if c.ref in before else None, c.satisfaction
        )
        for c in b.criteres
        if (before[c.ref].satisfaction if c.ref in before else None) != c.satisfaction
    ]
    return sorted(out, key=lambda e: ((e.apres or 0) - (e.avant or 0), e.ref))


def action_pour_non_conformite(db: Database, campagne_id: int, noeud_id: int, titre: str | None = None, *,
                               echeance: date | None = None, pilote_id: int | None = None) -> int:  # fmt: skip
    """« Créer une action PAQSS » from a non-conformity: the action (source certification), linked to the
    criterion, in one transaction. Returns the action's id."""
    from qualite_app.paqss import services as paqss

    with db.unit_of_work() as s:
        c = s.get(CertifCampagne, campagne_id)
        n = s.get(CertifNoeud, noeud_id)
        if c is None or n is None:
            raise UserError("Cette campagne ou ce critère n'existe plus.")
        crit = n
        while crit.type not in ("critere", "exigence") and crit.parent_id:
            crit = s.get(CertifNoeud, crit.parent_id) or crit
            if crit.parent_id is None:
                break
        r = s.scalar(
            select(CertifReponse).where(CertifReponse.campagne_id == c.id, CertifReponse.noeud_id == noeud_id)
        )
        detail = f"Critère {crit.ref} — {c.nom}" + (f" ({rules.REPONSES[r.valeur].lower()})" if r else "")
        titre = (titre or f"{crit.ref} : {crit.titre}")[:300]
        a = paqss.action_depuis(s, NOEUD_TYPE, crit.id, titre, "certification", source_detail=detail[:300],
                                description=r.commentaire if r else None, echeance=echeance or c.date_visite,
                                pilote_id=pilote_id, priorite=1 if crit.niveau == rules.IMPERATIF else 2)  # fmt: skip
        return a.id


def actions_du_critere(db: Database, noeud_id: int) -> list[object]:
    from qualite_app.paqss import services as paqss

    return list(paqss.actions_depuis(db, NOEUD_TYPE, noeud_id))
