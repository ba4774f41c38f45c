"""Plans: list, the plan in force, save, new plan from a template, revisions, the full read model."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from qualite_app.crise import donnees as v
from qualite_app.crise import modeles as mod
from qualite_app.crise import rules
from qualite_app.crise.models import (
    CriseContact,
    CriseFiche,
    CriseFicheScenario,
    CriseMessage,
    CriseNiveau,
    CrisePlan,
    CriseRessource,
    CriseRevision,
    CriseRole,
    CriseScenario,
    CriseSuppleant,
    CriseTache,
)
from qualite_app.errors import UserError, ValidationError
from qualite_app.etablissement.models import Personne
from qualite_app.socle.versions import Edition, champs, edition_de, verifier_version
from qualite_app.storage.base import utcnow
from qualite_app.storage.database import Database


@dataclass(frozen=True)
class PlanRow:
    id: int
    nom: str
    type_plan: str
    version: str
    en_vigueur: bool
    prochaine_revision: date | None


@dataclass
class PlanData(Edition):
    nom: str
    type_plan: str = "pgthsse"
    version: str = "1"
    adopte_le: date | None = None
    avis_directoire_le: date | None = None
    avis_cme_le: date | None = None
    avis_cse_le: date | None = None
    cycle_revision_mois: int = rules.CYCLE_REVISION_MOIS
    cycle_exercice_mois: int = rules.CYCLE_EXERCICE_MOIS
    revision_fixee: date | None = None
    diffusion: str = "Diffusion restreinte"
    description: str = ""


def plans(db: Database) -> list[PlanRow]:
    with db.session() as s:
        return [
            PlanRow(p.id, p.nom, p.type_plan, p.version, p.en_vigueur,
                    rules.prochaine_revision(p.adopte_le, p.cycle_revision_mois, p.revision_fixee))
            for p in s.scalars(select(CrisePlan).order_by(CrisePlan.en_vigueur.desc(), CrisePlan.nom))
        ]  # fmt: skip


def plan_en_vigueur(db: Database) -> int | None:
    """The plan in force, else the only / first plan."""
    rows = plans(db)
    return rows[0].id if rows else None


def trouver_plan(db: Database, nom_ou_id: str | None) -> int:
    """``--plan NOM`` (name, case-insensitive, or id); without it, the plan in force."""
    rows = plans(db)
    if not rows:
        raise UserError("Aucun plan de crise dans cette base : créez-en un depuis un modèle (page Crise).")
    if not nom_ou_id:
        return rows[0].id
    for r in rows:
        if nom_ou_id == str(r.id) or nom_ou_id.strip().casefold() == r.nom.casefold():
            return r.id
    raise UserError(f"Plan « {nom_ou_id} » introuvable (plans : {', '.join(r.nom for r in rows)}).")


def _validate(s: Session, data: PlanData, plan_id: int | None) -> None:
    errors: dict[str, str] = {}
    if not data.nom.strip():
        errors["nom"] = "Le nom du plan est obligatoire."
    elif s.scalar(
        select(CrisePlan.id).where(CrisePlan.nom == data.nom.strip(), CrisePlan.id != (plan_id or 0))
    ):
        errors["nom"] = f"Un plan s'appelle déjà « {data.nom.strip()} »."
    if data.type_plan not in rules.TYPES_PLAN:
        errors["type_plan"] = f"Type de plan inconnu « {data.type_plan} »."
    if not (1 <= (data.cycle_revision_mois or 0) <= 60):
        errors["cycle_revision_mois"] = "Le cycle de révision se compte en mois, de 1 à 60."
    if not (1 <= (data.cycle_exercice_mois or 0) <= 60):
        errors["cycle_exercice_mois"] = "Le cycle des exercices se compte en mois, de 1 à 60."
    if not data.version.strip():
        errors["version"] = "La version du plan est obligatoire."
    if errors:
        raise ValidationError(errors)


def save_plan(db: Database, data: PlanData, plan_id: int | None = None, *, ecraser: bool = False) -> int:
    """Create or update a plan's own fields; ``ConflitEdition`` when someone saved it since the form opened
    it (``data.version_ligne``), unless ``ecraser``."""
    with db.unit_of_work() as s:
        _validate(s, data, plan_id)
        p = s.get(CrisePlan, plan_id) if plan_id else CrisePlan()
        if p is None:
            raise UserError("Ce plan n'existe plus.")
        verifier_version(s, p, data.version_ligne, data.charge_le, ecraser=ecraser, libelle=f"Le plan « {p.nom} »")
        for k in champs(PlanData):
            val = getattr(data, k)
            setattr(p, k, val.strip() if isinstance(val, str) else val)
        if plan_id is None:
            p.en_vigueur = s.scalar(select(CrisePlan.id).limit(1)) is None
            s.add(p)
        s.flush()
        return p.id


def plan_data(db: Database, plan_id: int) -> PlanData:
    """The plan's own fields, for its properties dialog."""
    with db.session() as s:
        p = s.get(CrisePlan, plan_id)
        if p is None:
            raise UserError("Ce plan n'existe plus.")
        return PlanData(
            nom=p.nom, type_plan=p.type_plan, version=p.version, adopte_le=p.adopte_le, avis_directoire_le=p.avis_directoire_le,
            avis_cme_le=p.avis_cme_le, avis_cse_le=p.avis_cse_le, cycle_revision_mois=p.cycle_revision_mois,
            cycle_exercice_mois=p.cycle_exercice_mois, revision_fixee=p.revision_fixee, diffusion=p.diffusion,
            description=p.description or "", **edition_de(p),
        )  # fmt: skip


def mettre_en_vigueur(db: Database, plan_id: int) -> int:
    """The plan printed and shown by default; the others stay, no longer in force."""
    with db.unit_of_work() as s:
        if s.get(CrisePlan, plan_id) is None:
            raise UserError("Ce plan n'existe plus.")
        for p in s.scalars(select(CrisePlan)):
            p.en_vigueur = p.id == plan_id
        return plan_id


def ajouter_revision(db: Database, plan_id: int, version: str, le: date, objet: str) -> int:
    """A new version of the plan: a line of the revision table, and the plan's version."""
    if not version.strip():
        raise ValidationError({"version": "La version est obligatoire."})
    with db.unit_of_work() as s:
        p = s.get(CrisePlan, plan_id)
        if p is None:
            raise UserError("Ce plan n'existe plus.")
        r = CriseRevision(plan_id=plan_id, version=version.strip(), le=le, objet=objet.strip())
        s.add(r)
        p.version = version.strip()
        s.flush()
        return r.id


def save_niveau(db: Database, niveau_id: int, nom: str, declenchement: str, levee: str, *,
                version_ligne: int | None = None, charge_le: datetime | None = None, ecraser: bool = False) -> int:  # fmt: skip
    """A level's name, trigger and stand-down criteria; ``ConflitEdition`` when someone saved it since the version
    the form read with the plan (``version_ligne``, ``charge_le``), unless ``ecraser``."""
    if not nom.strip():
        raise ValidationError({"nom": "Le nom du niveau est obligatoire."})
    with db.unit_of_work() as s:
        n = s.get(CriseNiveau, niveau_id)
        if n is None:
            raise UserError("Ce niveau n'existe plus.")
        verifier_version(s, n, version_ligne, charge_le, ecraser=ecraser, libelle=f"Le niveau « {n.nom} »")
        n.nom, n.declenchement, n.levee = nom.strip(), declenchement.strip(), levee.strip()
        return n.id


def save_scenario(db: Database, plan_id: int, code: str, nom: str, famille: str = "autre", description: str = "",
                  couleur: str | None = None, scenario_id: int | None = None, *, version_ligne: int | None = None,
                  charge_le: datetime | None = None, ecraser: bool = False) -> int:  # fmt: skip
    """Create or update a scenario (an ORSAN component, a cross-cutting module, a colour code); checked against
    the version the form read (``version_ligne``, ``charge_le``) unless ``ecraser``."""
    errors: dict[str, str] = {}
    code = code.strip().upper()
    if not code:
        errors["code"] = "Le code du scénario est obligatoire (ex. AMAVI)."
    if not nom.strip():
        errors["nom"] = "Le nom du scénario est obligatoire."
    if famille not in rules.FAMILLES_SCENARIO:
        errors["famille"] = f"Famille inconnue « {famille} »."
    if couleur and not (len(couleur) == 7 and couleur.startswith("#")):
        errors["couleur"] = f"Couleur « {couleur} » : écrivez-la #RRGGBB (ex. #EF6C00)."
    if errors:
        raise ValidationError(errors)
    with db.unit_of_work() as s:
        clash = s.scalar(select(CriseScenario.id).where(CriseScenario.plan_id == plan_id, CriseScenario.code == code,
                                                        CriseScenario.id != (scenario_id or 0)))  # fmt: skip
        if clash:
            raise ValidationError(
                {"code": f"Le code « {code} » est déjà celui d'un autre scénario de ce plan."}
            )
        x = s.get(CriseScenario, scenario_id) if scenario_id else None
        if scenario_id and x is None:
            raise UserError("Ce scénario n'existe plus.")
        if x is not None:
            verifier_version(s, x, version_ligne, charge_le, ecraser=ecraser, libelle=f"Le scénario {x.code}")
        if x is None:
            n = len(s.scalars(select(CriseScenario.id).where(CriseScenario.plan_id == plan_id)).all())
            x = CriseScenario(plan_id=plan_id, ordre=n)
            s.add(x)
        x.code, x.nom, x.famille, x.description, x.couleur = (
            code,
            nom.strip(),
            famille,
            description.strip(),
            couleur or None,
        )
        s.flush()
        return x.id


def instancier(s: Session, m: mod.Modele, nom: str, today: date) -> CrisePlan:
    """Create a plan from a template in the caller's session (the demo uses it in its own)."""
    _validate(s, PlanData(nom=nom, type_plan=m.type_plan), None)
    p = CrisePlan(nom=nom.strip(), type_plan=m.type_plan, version="1", cycle_revision_mois=m.cycle_revision_mois,
                  modele=f"{m.urn} v{m.version}", en_vigueur=s.scalar(select(CrisePlan.id).limit(1)) is None)  # fmt: skip
    s.add(p)
    p.revisions.append(
        CriseRevision(version="1", le=today, objet=f"Création depuis le modèle « {m.nom} » ({m.version})")
    )
    p.niveaux = [CriseNiveau(ordre=i, code=n.get("code", ""), nom=n["nom"], declenchement=n.get("declenchement", ""),
                             levee=n.get("levee", "")) for i, n in enumerate(m.niveaux)]  # fmt: skip
    p.scenarios = [CriseScenario(ordre=i, code=x["code"], nom=x["nom"], famille=x.get("famille", "autre"),
                                 couleur=x.get("couleur"), description=x.get("description", ""))
                   for i, x in enumerate(m.scenarios)]  # fmt: skip
    p.roles = [CriseRole(ordre=i, code=r["code"], libelle=r["libelle"], mission=r.get("mission", ""),
                         rend_compte_a=r.get("rend_compte_a", ""), lieu=r.get("lieu", "")) for i, r in enumerate(m.roles)]  # fmt: skip
    p.contacts = [CriseContact(ordre=i, categorie=c.get("categorie", "autre"), fonction=c["fonction"],
                               organisme=c.get("organisme", "")) for i, c in enumerate(m.contacts)]  # fmt: skip
    p.messages = [CriseMessage(titre=x["titre"], destinataire=x.get("destinataire", ""), canal=x.get("canal", ""),
                               texte=x.get("texte", "")) for x in m.messages]  # fmt: skip
    s.flush()
    roles = {r.code: r for r in p.roles}
    scen = {x.code: x.id for x in p.scenarios}
    phases = list(rules.PHASES)
    for i, f in enumerate(m.fiches):
        role = roles[f.role]
        fiche = CriseFiche(
            ordre=i, titre=f.titre, role_id=role.id, mission=f.mission, lieu=f.lieu, documents=f.documents
        )
        fiche.taches = [CriseTache(phase=t.phase, phase_ordre=phases.index(t.phase), ordre=j, qui=t.qui, texte=t.texte)
                        for j, t in enumerate(f.taches)]  # fmt: skip
        fiche.scenarios = [CriseFicheScenario(scenario_id=scen[c]) for c in f.scenarios]
        p.fiches.append(fiche)
    s.flush()
    return p


def nouveau_plan_depuis_modele(db: Database, cle: str, nom: str, *, today: date | None = None) -> int:
    m = mod.modele(cle)
    with db.unit_of_work() as s:
        return instancier(s, m, nom, today or date.today()).id


def _personne(p: Personne | None) -> v.PersonneV | None:
    if p is None:
        return None
    return v.PersonneV(
        p.id, p.nom_complet, p.fonction or "", p.tel_mobile or p.dect or p.tel_fixe or "", bool(p.actif)
    )


def contenu(db: Database, plan_id: int) -> v.PlanV:
    """The whole plan as plain data (binder, cards, GUI)."""
    with db.session() as s:
        p = s.get(
            CrisePlan, plan_id,
            options=[selectinload(CrisePlan.roles).selectinload(CriseRole.titulaire),
                     selectinload(CrisePlan.roles).selectinload(CriseRole.suppleants).selectinload(CriseSuppleant.personne),
                     selectinload(CrisePlan.fiches).selectinload(CriseFiche.taches),
                     selectinload(CrisePlan.fiches).selectinload(CriseFiche.scenarios),
                     selectinload(CrisePlan.revisions), selectinload(CrisePlan.niveaux),
                     selectinload(CrisePlan.scenarios), selectinload(CrisePlan.contacts),
                     selectinload(CrisePlan.ressources).selectinload(CriseRessource.service),
                     selectinload(CrisePlan.messages)],
        )  # fmt: skip
        if p is None:
            raise UserError("Ce plan de crise n'existe plus.")
        lu = utcnow()
        scen = {x.id: x.code for x in p.scenarios}
        roles = {r.id: r for r in p.roles}
        contacts = {c.id: c for c in p.contacts}

        def caller(c: CriseContact) -> str:
            o = contacts.get(c.appele_par_id or 0)
            return f"{o.fonction} — {o.nom}".strip(" —") if o else ""

        return v.PlanV(
            id=p.id, nom=p.nom, type_plan=p.type_plan, version=p.version, adopte_le=p.adopte_le,
            avis_directoire_le=p.avis_directoire_le, avis_cme_le=p.avis_cme_le, avis_cse_le=p.avis_cse_le,
            cycle_revision_mois=p.cycle_revision_mois,
            prochaine_revision=rules.prochaine_revision(p.adopte_le, p.cycle_revision_mois, p.revision_fixee),
            en_vigueur=p.en_vigueur, diffusion=p.diffusion, description=p.description or "",
            revisions=tuple(v.RevisionV(r.version, r.le, r.objet) for r in p.revisions),
            niveaux=tuple(v.NiveauV(n.id, n.code, n.nom, n.declenchement, n.levee, n.version) for n in p.niveaux),
            scenarios=tuple(v.ScenarioV(x.id, x.code, x.nom, x.famille, x.couleur, x.description, x.version) for x in p.scenarios),
            roles=tuple(
                v.RoleV(r.id, r.code, r.libelle, r.mission, r.rend_compte_a, r.lieu, _personne(r.titulaire),
                        tuple(x for d in r.suppleants if (x := _personne(d.personne)) is not None), r.version)
                for r in p.roles
            ),
            fiches=tuple(
                v.FicheV(
                    f.id, f.titre, f.role_id, roles[f.role_id].code if f.role_id in roles else "",
                    roles[f.role_id].libelle if f.role_id in roles else "", f.mission or (roles[f.role_id].mission if f.role_id in roles else ""),
                    roles[f.role_id].rend_compte_a if f.role_id in roles else "", f.lieu or (roles[f.role_id].lieu if f.role_id in roles else ""),
                    f.documents, tuple(sorted(scen[x.scenario_id] for x in f.scenarios)),
                    tuple(v.TacheV(t.id, t.phase, t.qui, t.texte) for t in f.taches),
                )
                for f in p.fiches
            ),
            contacts=tuple(
                sorted(
                    (v.ContactV(c.id, c.categorie, c.fonction, c.nom, c.organisme, c.tel, c.tel_secours, c.email, caller(c),
                                tuple(x.strip() for x in c.roles.split(",") if x.strip()), c.notes, c.personne_id, c.version)
                     for c in p.contacts),
                    key=lambda c: rules.cle_tri_contact(c.categorie, c.fonction, c.nom),
                )
            ),
            ressources=tuple(
                v.RessourceV(x.id, x.type_ressource, x.libelle, x.service.nom if x.service else "", x.quantite, x.unite,
                             x.localisation, x.notes, x.version, x.service_id) for x in p.ressources
            ),
            messages=tuple(v.MessageV(x.id, x.titre, x.destinataire, x.canal, x.texte, x.version) for x in p.messages),
            cycle_exercice_mois=p.cycle_exercice_mois, charge_le=lu,
        )  # fmt: skip
