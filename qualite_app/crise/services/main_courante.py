"""The main courante of an activation: activate, write entries (each committed at once, never changed),
correct one (a new entry striking the old), tick fiche tasks, points de situation, stand down."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qualite_app.crise import donnees as v
from qualite_app.crise import rules
from qualite_app.crise.models import (
    CriseActivation,
    CriseCoche,
    CriseEntree,
    CriseFiche,
    CriseNiveau,
    CrisePlan,
    CriseRole,
    CriseScenario,
    CriseTache,
)
from qualite_app.errors import UserError, ValidationError
from qualite_app.storage.database import Database

T = TypeVar("T")


def _now() -> datetime:
    """Local wall-clock time, to the second: what the log keeper reads on the clock of the room."""
    return datetime.now().replace(microsecond=0)


def activer(db: Database, plan_id: int, *, niveau_id: int | None, scenario_id: int | None, declencheur: str,
            decidee_par: str, le: datetime | None = None, exercice: bool = False) -> int:  # fmt: skip
    errors: dict[str, str] = {}
    if not declencheur.strip():
        errors["declencheur"] = "Décrivez l'événement déclencheur."
    if not decidee_par.strip():
        errors["decidee_par"] = "Indiquez qui a décidé l'activation."
    if errors:
        raise ValidationError(errors)
    with db.unit_of_work() as s:
        if s.get(CrisePlan, plan_id) is None:
            raise UserError("Ce plan n'existe plus.")
        if (
            niveau_id is not None
            and (n := s.get(CriseNiveau, niveau_id)) is not None
            and n.plan_id != plan_id
        ):
            raise ValidationError({"niveau_id": "Ce niveau n'appartient pas au plan."})
        if (
            scenario_id is not None
            and (x := s.get(CriseScenario, scenario_id)) is not None
            and x.plan_id != plan_id
        ):
            raise ValidationError({"scenario_id": "Ce scénario n'appartient pas au plan."})
        en_cours = s.scalar(
            select(CriseActivation.id).where(
                CriseActivation.plan_id == plan_id, CriseActivation.levee_le.is_(None)
            )
        )
        if en_cours is not None:
            raise UserError(
                "Ce plan est déjà activé : levez l'activation en cours avant d'en ouvrir une autre."
            )
        a = CriseActivation(plan_id=plan_id, niveau_id=niveau_id, scenario_id=scenario_id, declencheur=declencheur.strip(),
                            declenchee_le=le or _now(), decidee_par=decidee_par.strip(), exercice=exercice)  # fmt: skip
        s.add(a)
        s.flush()
        niveau = s.get(CriseNiveau, niveau_id).nom if niveau_id else "niveau non précisé"  # type: ignore[union-attr]
        _entree(
            s,
            a,
            "decision",
            f"Activation ({niveau}) décidée par {a.decidee_par} : {a.declencheur}",
            str(db.actor.display_name),
            a.declenchee_le,
        )
        return a.id


#: attempts when two writers take the same entry number at the same moment (team mode)
ATTEMPTS = 3


def _numerotee(db: Database, work: Callable[[Session], T]) -> T:
    """``work`` in one transaction; if another writer took the same entry number meanwhile (the unique index
    refuses), numbered again in a new transaction — never an integrity error shown."""
    for attempt in range(ATTEMPTS):
        try:
            with db.unit_of_work() as s:
                return work(s)
        except IntegrityError as exc:
            if "crise_entree" not in str(exc.orig) or attempt == ATTEMPTS - 1:
                if "crise_entree" in str(exc.orig):
                    raise UserError(
                        "L'entrée n'a pas pu être numérotée (d'autres entrées arrivent en même temps) : recommencez."
                    ) from exc
                raise
    raise AssertionError("unreachable")


def _prochain_numero(s: Session, activation_id: int) -> int:
    return (
        s.scalar(select(func.max(CriseEntree.numero)).where(CriseEntree.activation_id == activation_id)) or 0
    ) + 1


def _entree(s: Session, a: CriseActivation, categorie: str, texte: str, auteur: str, le: datetime | None = None,
            **extra: object) -> CriseEntree:  # fmt: skip
    n = _prochain_numero(s, a.id)
    e = CriseEntree(
        activation_id=a.id,
        numero=n,
        horodatage=le or _now(),
        auteur=auteur,
        categorie=categorie,
        texte=texte,
        **extra,
    )
    s.add(e)
    s.flush()
    return e


def _ouverte(s: Session, activation_id: int) -> CriseActivation:
    a = s.get(CriseActivation, activation_id)
    if a is None:
        raise UserError("Cette activation n'existe plus.")
    if a.levee_le is not None:
        raise UserError(
            f"L'activation a été levée le {a.levee_le:%d/%m/%Y à %H:%M} : sa main courante est close."
        )
    return a


def ecrire(db: Database, activation_id: int, categorie: str, texte: str, *, auteur: str | None = None,
           le: datetime | None = None, role_code: str | None = None) -> int:  # fmt: skip
    """One entry, committed at once (the log survives a crash); returns its number."""
    if categorie not in rules.CATEGORIES_ENTREE or categorie in ("point", "correction"):
        raise ValidationError(
            {"categorie": f"Catégorie d'entrée inconnue « {categorie} » (fait, décision, action, message)."}
        )
    if not texte.strip():
        raise ValidationError({"texte": "L'entrée est vide : rien n'a été consigné."})

    def work(s: Session) -> int:
        a = _ouverte(s, activation_id)
        return _entree(
            s, a, categorie, texte.strip(), auteur or db.actor.display_name, le, role_code=role_code
        ).numero

    return _numerotee(db, work)


def corriger(db: Database, activation_id: int, numero: int, texte: str, *, auteur: str | None = None) -> int:
    """A new entry that strikes entry ``numero`` (which stays, struck through); returns the new number."""
    if not texte.strip():
        raise ValidationError({"texte": "La correction est vide."})

    def work(s: Session) -> int:
        a = _ouverte(s, activation_id)
        old = s.scalar(
            select(CriseEntree).where(
                CriseEntree.activation_id == activation_id, CriseEntree.numero == numero
            )
        )
        if old is None:
            raise UserError(f"L'entrée n° {numero} n'existe pas dans cette main courante.")
        if s.scalar(select(CriseEntree.id).where(CriseEntree.corrige_id == old.id)) is not None:
            raise UserError(f"L'entrée n° {numero} a déjà été corrigée : corrigez la correction.")
        return _entree(
            s, a, "correction", texte.strip(), auteur or db.actor.display_name, corrige_id=old.id
        ).numero

    return _numerotee(db, work)


def point_de_situation(db: Database, activation_id: int, conditions: str, actions: str, besoins: str,
                       *, auteur: str | None = None) -> int:  # fmt: skip
    if not (conditions.strip() or actions.strip() or besoins.strip()):
        raise ValidationError({"conditions": "Le point de situation est vide."})

    def work(s: Session) -> int:
        a = _ouverte(s, activation_id)
        texte = " · ".join(
            f"{k} : {x.strip()}"
            for k, x in (("Situation", conditions), ("Actions", actions), ("Besoins", besoins))
            if x.strip()
        )
        return _entree(s, a, "point", texte, auteur or db.actor.display_name, conditions=conditions.strip(),
                       actions=actions.strip(), besoins=besoins.strip()).numero  # fmt: skip

    return _numerotee(db, work)


def cocher(
    db: Database, activation_id: int, tache_id: int, fait: bool = True, *, auteur: str | None = None
) -> None:
    """Tick (or untick) a task of a fiche réflexe; the log records it."""

    def work(s: Session) -> None:
        a = _ouverte(s, activation_id)
        t = s.get(CriseTache, tache_id)
        if t is None:
            raise UserError("Cette tâche n'existe plus.")
        f = s.get(CriseFiche, t.fiche_id)
        role = s.get(CriseRole, f.role_id) if f is not None and f.role_id else None
        who = auteur or db.actor.display_name
        row = s.get(CriseCoche, (activation_id, tache_id))
        if fait and row is None:
            s.add(CriseCoche(activation_id=activation_id, tache_id=tache_id, cochee_le=_now(), par=who))
            _entree(s, a, "action", f"Fait : {t.texte}", who, role_code=role.code if role else None)
        elif not fait and row is not None:
            s.delete(row)
            _entree(
                s, a, "action", f"Décoché (à refaire) : {t.texte}", who, role_code=role.code if role else None
            )

    _numerotee(db, work)


def lever(
    db: Database, activation_id: int, *, levee_par: str, motif: str = "", le: datetime | None = None
) -> None:
    if not levee_par.strip():
        raise ValidationError({"levee_par": "Indiquez qui a décidé la levée."})

    def work(s: Session) -> None:
        a = _ouverte(s, activation_id)
        a.levee_le, a.levee_par, a.motif_levee = le or _now(), levee_par.strip(), motif.strip()
        if a.levee_le < a.declenchee_le:
            raise ValidationError({"levee_le": "La levée ne peut précéder le déclenchement."})
        _entree(s, a, "decision", f"Levée décidée par {a.levee_par}" + (f" : {a.motif_levee}" if a.motif_levee else ""),
                db.actor.display_name, a.levee_le)  # fmt: skip

    _numerotee(db, work)


def activation_en_cours(db: Database, plan_id: int | None = None) -> int | None:
    with db.session() as s:
        q = select(CriseActivation.id).where(CriseActivation.levee_le.is_(None))
        if plan_id is not None:
            q = q.where(CriseActivation.plan_id == plan_id)
        return s.scalar(q.order_by(CriseActivation.declenchee_le.desc()).limit(1))


def activations(db: Database, plan_id: int | None = None) -> list[v.ActivationV]:
    with db.session() as s:
        q = select(CriseActivation).order_by(CriseActivation.declenchee_le.desc())
        if plan_id is not None:
            q = q.where(CriseActivation.plan_id == plan_id)
        return [_activation_v(a) for a in s.scalars(q)]


def _activation_v(a: CriseActivation) -> v.ActivationV:
    return v.ActivationV(a.id, a.plan_id, a.plan.nom, a.plan.version, a.niveau.nom if a.niveau else "",
                         a.scenario.nom if a.scenario else "", a.declencheur, a.declenchee_le, a.decidee_par, a.exercice,
                         a.levee_le, a.levee_par, a.motif_levee)  # fmt: skip


def activation(db: Database, activation_id: int) -> v.ActivationV:
    with db.session() as s:
        a = s.get(CriseActivation, activation_id)
        if a is None:
            raise UserError("Cette activation n'existe plus.")
        return _activation_v(a)


def entrees(db: Database, activation_id: int) -> list[v.EntreeV]:
    """The log in order; a corrected entry carries the number of the entry that strikes it."""
    with db.session() as s:
        rows = s.scalars(
            select(CriseEntree).where(CriseEntree.activation_id == activation_id).order_by(CriseEntree.numero)
        ).all()
        num = {e.id: e.numero for e in rows}
        struck = {e.corrige_id: e.numero for e in rows if e.corrige_id}
        return [
            v.EntreeV(e.id, e.numero, e.horodatage, e.auteur, e.categorie, e.texte, num.get(e.corrige_id or 0),
                      struck.get(e.id), e.role_code, e.conditions, e.actions, e.besoins)
            for e in rows
        ]  # fmt: skip


def coches(db: Database, activation_id: int) -> dict[int, tuple[datetime, str]]:
    """tache_id → (ticked at, by)."""
    with db.session() as s:
        return {
            c.tache_id: (c.cochee_le, c.par)
            for c in s.scalars(select(CriseCoche).where(CriseCoche.activation_id == activation_id))
        }


def coches_detail(db: Database, activation_id: int) -> list[tuple[str, str, datetime, str]]:
    """(role, task, when, who) of every ticked task, for the log PDF."""
    with db.session() as s:
        q = (
            select(CriseRole.libelle, CriseTache.texte, CriseCoche.cochee_le, CriseCoche.par)
            .join(CriseTache, CriseCoche.tache_id == CriseTache.id)
            .join(CriseFiche, CriseTache.fiche_id == CriseFiche.id)
            .outerjoin(CriseRole, CriseFiche.role_id == CriseRole.id)
            .where(CriseCoche.activation_id == activation_id)
            .order_by(CriseCoche.cochee_le)
        )
        return [(r or "", t, w, p) for r, t, w, p in s.execute(q)]
