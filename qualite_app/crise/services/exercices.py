"""Exercises (tabletop, full scale, real activation), their hot debrief and cold RETEX, and the findings
that become PAQSS actions in one click (source « retex », linked to the finding and to the plan)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualite_app.crise import rules
from qualite_app.crise.models import CriseConstat, CriseExercice, CrisePlan, CriseScenario
from qualite_app.errors import UserError, ValidationError
from qualite_app.socle.versions import Edition, champs, edition_de, verifier_version
from qualite_app.storage.base import utcnow
from qualite_app.storage.database import Database

#: item types in the links table
EXERCICE_TYPE = "crise_exercice"
CONSTAT_TYPE = "crise_constat"
PLAN_TYPE = "crise_plan"


@dataclass
class ExerciceData(Edition):
    intitule: str
    le: date
    type_exercice: str = "table"
    scenario_id: int | None = None
    participants: str = ""
    debrief_chaud: str = ""
    retex: str = ""
    retex_le: date | None = None
    activation_id: int | None = None


@dataclass(frozen=True)
class ConstatRow:
    id: int
    texte: str
    point_fort: bool
    actions: tuple[str, ...]  # references of the PAQSS actions it produced
    version_ligne: int | None = None  # read with the list (optimistic locking of its form)


@dataclass(frozen=True)
class ExerciceRow:
    id: int
    intitule: str
    le: date
    type_exercice: str
    type_libelle: str
    scenario: str
    participants: str
    debrief_chaud: str
    retex: str
    retex_le: date | None
    constats: tuple[ConstatRow, ...]
    version_ligne: int | None = None  # read with the list (optimistic locking of its form)
    charge_le: datetime | None = None  # when the list was read


def save_exercice(db: Database, plan_id: int, data: ExerciceData, exercice_id: int | None = None, *,
                  ecraser: bool = False) -> int:  # fmt: skip
    """Create or update an exercise; ``ConflitEdition`` when someone saved it since the form's version
    (``data.version_ligne``), unless ``ecraser``."""
    errors: dict[str, str] = {}
    if not data.intitule.strip():
        errors["intitule"] = "L'intitulé de l'exercice est obligatoire."
    if data.type_exercice not in rules.TYPES_EXERCICE:
        errors["type_exercice"] = f"Type d'exercice inconnu « {data.type_exercice} »."
    if data.retex_le is not None and data.retex_le < data.le:
        errors["retex_le"] = "Le RETEX ne peut précéder l'exercice."
    if errors:
        raise ValidationError(errors)
    with db.unit_of_work() as s:
        if s.get(CrisePlan, plan_id) is None:
            raise UserError("Ce plan n'existe plus.")
        if (
            data.scenario_id is not None
            and (x := s.get(CriseScenario, data.scenario_id)) is not None
            and x.plan_id != plan_id
        ):
            raise ValidationError({"scenario_id": "Ce scénario n'appartient pas au plan."})
        e = s.get(CriseExercice, exercice_id) if exercice_id else CriseExercice(plan_id=plan_id)
        if e is None:
            raise UserError("Cet exercice n'existe plus.")
        verifier_version(s, e, data.version_ligne, data.charge_le, ecraser=ecraser,
                         libelle=f"L'exercice « {e.intitule} »")  # fmt: skip
        for k in champs(ExerciceData):
            val = getattr(data, k)
            setattr(e, k, val.strip() if isinstance(val, str) else val)
        s.add(e)
        s.flush()
        return e.id


def exercice_data(db: Database, exercice_id: int) -> ExerciceData:
    """An exercise as its form opens it (with its row version)."""
    with db.session() as s:
        e = s.get(CriseExercice, exercice_id)
        if e is None:
            raise UserError("Cet exercice n'existe plus.")
        return ExerciceData(**{k: getattr(e, k) for k in champs(ExerciceData)}, **edition_de(e))


def modifier_constat(db: Database, constat_id: int, texte: str, *, point_fort: bool = False,
                     version_ligne: int | None = None, charge_le: datetime | None = None, ecraser: bool = False) -> int:  # fmt: skip
    """Reword a finding (or change its nature); ``ConflitEdition`` when someone saved it since the version the
    list read (``version_ligne``, ``charge_le``), unless ``ecraser``."""
    if not texte.strip():
        raise ValidationError({"texte": "Le constat est vide."})
    with db.unit_of_work() as s:
        c = s.get(CriseConstat, constat_id)
        if c is None:
            raise UserError("Ce constat n'existe plus.")
        verifier_version(s, c, version_ligne, charge_le, ecraser=ecraser, libelle=f"Le constat « {c.texte[:60]} »")
        c.texte, c.point_fort = texte.strip(), point_fort
        return c.id


def ajouter_constat(db: Database, exercice_id: int, texte: str, *, point_fort: bool = False) -> int:
    if not texte.strip():
        raise ValidationError({"texte": "Le constat est vide."})
    with db.unit_of_work() as s:
        e = s.get(CriseExercice, exercice_id)
        if e is None:
            raise UserError("Cet exercice n'existe plus.")
        c = CriseConstat(texte=texte.strip(), point_fort=point_fort, ordre=len(e.constats))
        e.constats.append(c)
        s.flush()
        return c.id


def action_du_constat(s: Session, constat_id: int, *, titre: str | None = None, echeance: date | None = None,
                      pilote_id: int | None = None, today: date | None = None) -> int:  # fmt: skip
    """In the caller's session: the finding becomes a PAQSS action (source « retex »), linked to it and to the plan."""
    from qualite_app.paqss import services as paqss
    from qualite_app.socle import liens

    c = s.get(CriseConstat, constat_id)
    if c is None:
        raise UserError("Ce constat n'existe plus.")
    e = s.get(CriseExercice, c.exercice_id)
    assert e is not None
    a = paqss.action_depuis(
        s, CONSTAT_TYPE, c.id, (titre or c.texte).strip()[:300], "retex",
        source_detail=f"RETEX « {e.intitule} » du {e.le:%d/%m/%Y}"[:300], description=c.texte,
        echeance=echeance, pilote_id=pilote_id, today=today,
    )  # fmt: skip
    liens.link(s, PLAN_TYPE, e.plan_id, paqss.ACTION_TYPE, a.id, paqss.NATURE_ORIGINE)
    return a.id


def constat_vers_paqss(db: Database, constat_id: int, **kw: object) -> int:
    """One click: the PAQSS action and its links in one transaction; returns the action's id."""
    with db.unit_of_work() as s:
        return action_du_constat(s, constat_id, **kw)  # type: ignore[arg-type]


def exercices(db: Database, plan_id: int) -> list[ExerciceRow]:
    from qualite_app.paqss import services as paqss

    with db.session() as s:
        lu = utcnow()
        rows = s.scalars(
            select(CriseExercice).where(CriseExercice.plan_id == plan_id).order_by(CriseExercice.le.desc())
        ).all()
        scen = {x.id: x.nom for x in s.scalars(select(CriseScenario).where(CriseScenario.plan_id == plan_id))}
        raw = [(e, [(c.id, c.texte, c.point_fort, c.version) for c in e.constats]) for e in rows]
    return [
        ExerciceRow(e.id, e.intitule, e.le, e.type_exercice, rules.libelle(rules.TYPES_EXERCICE, e.type_exercice),
                    scen.get(e.scenario_id or 0, ""), e.participants, e.debrief_chaud, e.retex, e.retex_le,
                    tuple(ConstatRow(cid, t, pf, tuple(a.reference for a in paqss.actions_depuis(db, CONSTAT_TYPE, cid)), ver)
                          for cid, t, pf, ver in cs), e.version, lu)
        for e, cs in raw
    ]  # fmt: skip
