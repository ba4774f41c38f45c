"""The crisis cell: roles (holder and deputies from the directory) and fiches réflexes (timed tasks)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from qualite_app.crise import rules
from qualite_app.crise.models import (
    CriseFiche,
    CriseFicheScenario,
    CrisePlan,
    CriseRole,
    CriseScenario,
    CriseSuppleant,
    CriseTache,
)
from qualite_app.errors import UserError, ValidationError
from qualite_app.etablissement.models import Personne
from qualite_app.socle.versions import Edition, edition_de, verifier_version
from qualite_app.storage.database import Database


@dataclass
class RoleData(Edition):
    code: str
    libelle: str
    mission: str = ""
    rend_compte_a: str = ""
    lieu: str = ""
    titulaire_id: int | None = None
    suppleants: list[int] = field(default_factory=list)


@dataclass
class TacheData:
    phase: str
    texte: str
    qui: str = ""


@dataclass
class FicheData(Edition):
    titre: str
    role_id: int | None
    mission: str = ""
    lieu: str = ""
    documents: str = ""
    scenarios: list[int] = field(default_factory=list)
    taches: list[TacheData] = field(default_factory=list)


def save_role(db: Database, plan_id: int, data: RoleData, role_id: int | None = None, *, ecraser: bool = False) -> int:
    """Create or update a role with its holder and ordered deputies, in one transaction; ``ConflitEdition``
    when someone saved it since the form opened it (``data.version_ligne``), unless ``ecraser``."""
    errors: dict[str, str] = {}
    code = data.code.strip().upper()
    if not code:
        errors["code"] = "Le code du rôle est obligatoire (ex. DIR)."
    if not data.libelle.strip():
        errors["libelle"] = "L'intitulé du rôle est obligatoire."
    if data.titulaire_id is not None and data.titulaire_id in data.suppleants:
        errors["suppleants"] = "Le titulaire ne peut pas être aussi son propre suppléant."
    if len(set(data.suppleants)) != len(data.suppleants):
        errors["suppleants"] = "Un suppléant figure deux fois."
    if errors:
        raise ValidationError(errors)
    with db.unit_of_work() as s:
        if s.get(CrisePlan, plan_id) is None:
            raise UserError("Ce plan n'existe plus.")
        clash = s.scalar(
            select(CriseRole.id).where(
                CriseRole.plan_id == plan_id, CriseRole.code == code, CriseRole.id != (role_id or 0)
            )
        )
        if clash:
            raise ValidationError({"code": f"Le code « {code} » est déjà celui d'un autre rôle de ce plan."})
        for pid in [x for x in [data.titulaire_id, *data.suppleants] if x is not None]:
            if s.get(Personne, pid) is None:
                raise ValidationError({"titulaire_id": f"La personne n° {pid} n'est pas dans l'annuaire."})
        r = s.get(CriseRole, role_id) if role_id else None
        if role_id and r is None:
            raise UserError("Ce rôle n'existe plus.")
        if r is not None:
            verifier_version(s, r, data.version_ligne, data.charge_le, ecraser=ecraser, libelle=f"Le rôle {r.code}")
        if r is None:
            n = len(s.scalars(select(CriseRole.id).where(CriseRole.plan_id == plan_id)).all())
            r = CriseRole(plan_id=plan_id, ordre=n)
            s.add(r)
        r.code, r.libelle, r.mission = code, data.libelle.strip(), data.mission.strip()
        r.rend_compte_a, r.lieu, r.titulaire_id = (
            data.rend_compte_a.strip(),
            data.lieu.strip(),
            data.titulaire_id,
        )
        keep = {d.personne_id: d for d in r.suppleants}
        r.suppleants = [keep.get(pid) or CriseSuppleant(personne_id=pid) for pid in data.suppleants]
        for i, d in enumerate(r.suppleants):
            d.ordre = i
        s.flush()
        return r.id


def delete_role(db: Database, role_id: int) -> int:
    """Remove a role (its fiches stay, without role; its deputies go with it); returns its id."""
    with db.unit_of_work() as s:
        r = s.get(CriseRole, role_id)
        if r is not None:
            s.delete(r)
        return role_id


def _validate_fiche(data: FicheData) -> None:
    errors: dict[str, str] = {}
    if not data.titre.strip():
        errors["titre"] = "Le titre de la fiche réflexe est obligatoire."
    for i, t in enumerate(data.taches, start=1):
        if t.phase not in rules.PHASES:
            errors[f"taches.{i}.phase"] = f"Tâche {i} : phase inconnue « {t.phase} »."
        if not t.texte.strip():
            errors[f"taches.{i}.texte"] = f"Tâche {i} : le texte de la tâche est vide."
    if errors:
        raise ValidationError(errors)


def save_fiche(db: Database, plan_id: int, data: FicheData, fiche_id: int | None = None, *, ecraser: bool = False) -> int:
    """Create or replace a fiche réflexe and its tasks (ordered within each phase), in one transaction;
    ``ConflitEdition`` when someone saved it since the form opened it (``data.version_ligne``), unless ``ecraser``."""
    _validate_fiche(data)
    phases = list(rules.PHASES)
    with db.unit_of_work() as s:
        if data.role_id is not None:
            role = s.get(CriseRole, data.role_id)
            if role is None or role.plan_id != plan_id:
                raise ValidationError({"role_id": "Ce rôle n'appartient pas au plan."})
        valid_sc = set(s.scalars(select(CriseScenario.id).where(CriseScenario.plan_id == plan_id)))
        if set(data.scenarios) - valid_sc:
            raise ValidationError({"scenarios": "Un des scénarios choisis n'appartient pas au plan."})
        f = s.get(CriseFiche, fiche_id) if fiche_id else None
        if fiche_id and f is None:
            raise UserError("Cette fiche réflexe n'existe plus.")
        if f is not None:
            verifier_version(s, f, data.version_ligne, data.charge_le, ecraser=ecraser,
                             libelle=f"La fiche réflexe « {f.titre} »", feminin=True)  # fmt: skip
        if f is None:
            n = len(s.scalars(select(CriseFiche.id).where(CriseFiche.plan_id == plan_id)).all())
            f = CriseFiche(plan_id=plan_id, ordre=n)
            s.add(f)
        f.titre, f.role_id, f.mission = data.titre.strip(), data.role_id, data.mission.strip()
        f.lieu, f.documents = data.lieu.strip(), data.documents.strip()
        old = {(t.phase, t.texte, t.qui): t for t in f.taches}
        new = []
        counters: dict[str, int] = {}
        for t in sorted(data.taches, key=lambda t: phases.index(t.phase)):
            key = (t.phase, t.texte.strip(), t.qui.strip())
            row = old.pop(key, None) or CriseTache(phase=t.phase, texte=key[1], qui=key[2])
            row.phase_ordre, row.ordre = phases.index(t.phase), counters.get(t.phase, 0)
            counters[t.phase] = row.ordre + 1
            new.append(row)
        f.taches = new
        keep = {x.scenario_id: x for x in f.scenarios}
        f.scenarios = [keep.get(sid) or CriseFicheScenario(scenario_id=sid) for sid in data.scenarios]
        s.flush()
        return f.id


def get_fiche(db: Database, fiche_id: int) -> FicheData:
    with db.session() as s:
        f = s.get(CriseFiche, fiche_id)
        if f is None:
            raise UserError("Cette fiche réflexe n'existe plus.")
        return FicheData(f.titre, f.role_id, f.mission, f.lieu, f.documents, [x.scenario_id for x in f.scenarios],
                         [TacheData(t.phase, t.texte, t.qui) for t in f.taches], **edition_de(f))  # fmt: skip


def delete_fiche(db: Database, fiche_id: int) -> None:
    with db.unit_of_work() as s:
        f = s.get(CriseFiche, fiche_id)
        if f is not None:
            s.delete(f)


def personne_choices(db: Database) -> list[tuple[int, str, bool]]:
    """(id, « Prénom NOM — fonction », active) of the directory, for the holder / deputy pickers."""
    with db.session() as s:
        return [
            (p.id, f"{p.nom_complet} — {p.fonction}" if p.fonction else p.nom_complet, bool(p.actif))
            for p in s.scalars(select(Personne).order_by(Personne.nom, Personne.prenom))
        ]
