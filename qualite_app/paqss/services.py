"""PAQSS use cases: structure, action list (filtered and sorted in SQL), editor, bulk changes,
milestones, comments, evidence, links, summary strip. The only writer of the PAQSS tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from qualite_app.errors import UserError, ValidationError
from qualite_app.etablissement.models import Personne, Service
from qualite_app.paqss import rules
from qualite_app.paqss.models import (
    PaqssAction,
    PaqssActionCopilote,
    PaqssActionService,
    PaqssAxe,
    PaqssCommentaire,
    PaqssJalon,
    PaqssObjectif,
    PaqssProgramme,
)
from qualite_app.rules.text import fold
from qualite_app.storage.database import Database
from qualite_app.storage.tables import Blob, Lien

ACTION_TYPE = "paqss_action"
NATURE_PREUVE = "preuve"


class ConfirmationNecessaire(UserError):
    """The change needs the user's confirmation (e.g. réalisée with open milestones); retry with ``confirme=True``."""


# --- rows handed to the GUI -------------------------------------------------------------------
@dataclass(frozen=True)
class ObjectifNode:
    id: int
    code: str
    titre: str
    n_actions: int


@dataclass(frozen=True)
class AxeNode:
    id: int
    code: str
    titre: str
    objectifs: list[ObjectifNode]

    @property
    def n_actions(self) -> int:
        return sum(o.n_actions for o in self.objectifs)


@dataclass(frozen=True)
class ProgrammeNode:
    id: int
    nom: str
    debut: date | None
    fin: date | None
    axes: list[AxeNode]


@dataclass(frozen=True, slots=True)
class ActionRow:
    id: int
    reference: str
    titre: str
    axe: str
    objectif: str
    statut: str
    avancement: int
    priorite: int
    source: str
    pilote: str
    copilote: str
    service: str
    date_debut: date | None
    echeance: date | None
    echeance_revisee: date | None
    axe_id: int

    @property
    def echeance_effective(self) -> date | None:
        return self.echeance_revisee or self.echeance

    def en_retard(self, today: date) -> bool:
        return rules.en_retard(self.echeance, self.echeance_revisee, self.statut, today)


@dataclass
class ActionFilter:
    texte: str = ""
    programme_id: int | None = None
    axe_id: int | None = None
    objectif_id: int | None = None
    statuts: frozenset[str] | None = None
    pilote_id: int | None = None  # pilot or co-pilot
    service_id: int | None = None
    source: str | None = None
    priorite: int | None = None
    echeance: str | None = None  # a key of rules.ECHEANCE_FILTRES
    ids: frozenset[int] | None = None


@dataclass
class JalonData:
    libelle: str = ""
    echeance: date | None = None
    fait: bool = False
    fait_le: date | None = None
    id: int | None = None


@dataclass
class ActionData:
    objectif_id: int | None = None
    titre: str = ""
    reference: str = ""
    description: str | None = None
    source: str = "autre"
    source_detail: str | None = None
    priorite: int = 2
    pilote_id: int | None = None
    copilote_id: int | None = None
    service_id: int | None = None
    date_debut: date | None = None
    echeance: date | None = None
    echeance_revisee: date | None = None
    statut: str = rules.A_LANCER
    motif_statut: str | None = None
    avancement: int = 0
    resultat_attendu: str | None = None
    indicateur: str | None = None
    indicateur_initial: str | None = None
    indicateur_cible: str | None = None
    validation_cme_le: date | None = None
    realisee_le: date | None = None
    jalons: list[JalonData] = field(default_factory=list)
    id: int | None = None
    #: co-pilots beyond the tandem (personne ids), and services beyond the main one (service ids)
    autres_copilotes: list[int] = field(default_factory=list)
    autres_services: list[int] = field(default_factory=list)


ACTION_FIELDS = (
    "objectif_id", "titre", "reference", "description", "source", "source_detail", "priorite", "pilote_id",
    "copilote_id", "service_id", "date_debut", "echeance", "echeance_revisee", "statut", "motif_statut",
    "avancement", "resultat_attendu", "indicateur", "indicateur_initial", "indicateur_cible",
    "validation_cme_le", "realisee_le",
)  # fmt: skip


@dataclass(frozen=True)
class CommentaireRow:
    id: int
    auteur: str
    texte: str
    cree_le: datetime


@dataclass(frozen=True)
class PreuveRow:
    lien_id: int
    blob_id: int
    nom: str
    taille: int
    ajoute_le: datetime


@dataclass(frozen=True)
class Summary:
    par_statut: dict[str, int]
    total: int
    en_retard: int
    ce_mois: int
    taux_annee: float | None
    annee: int


# --- structure ------------------------------------------------------------------------------
def programmes(db: Database) -> list[tuple[int, str]]:
    with db.session() as s:
        return [
            (i, n)
            for i, n in s.execute(
                select(PaqssProgramme.id, PaqssProgramme.nom).order_by(
                    PaqssProgramme.debut.desc(), PaqssProgramme.id.desc()
                )
            )
        ]


def programme_courant(db: Database) -> int | None:
    """The most recent programme (by period start), or None when there is none."""
    p = programmes(db)
    return p[0][0] if p else None


def save_programme(
    db: Database,
    nom: str,
    debut: date | None = None,
    fin: date | None = None,
    *,
    adopte_le: date | None = None,
    avis_cme_le: date | None = None,
    cdu_informee_le: date | None = None,
    description: str | None = None,
    id: int | None = None,
) -> int:
    errors = {}
    if not nom.strip():
        errors["nom"] = "Le nom du programme est obligatoire."
    if debut and fin and fin < debut:
        errors["fin"] = "La fin de période est antérieure au début."
    if errors:
        raise ValidationError(errors)
    with db.unit_of_work() as s:
        p = s.get(PaqssProgramme, id) if id else PaqssProgramme(nom=nom.strip())
        if p is None:
            raise UserError("Ce programme a été supprimé entre-temps.")
        s.add(p)
        p.nom, p.debut, p.fin = nom.strip(), debut, fin
        p.adopte_le, p.avis_cme_le, p.cdu_informee_le = adopte_le, avis_cme_le, cdu_informee_le
        p.description = (description or "").strip() or None
        s.flush()
        return p.id


def rename_programme(db: Database, programme_id: int, nom: str) -> None:
    if not nom.strip():
        raise ValidationError({"nom": "Le nom du programme est obligatoire."})
    with db.unit_of_work() as s:
        p = s.get(PaqssProgramme, programme_id)
        if p is None:
            raise UserError("Ce programme a été supprimé entre-temps.")
        p.nom = nom.strip()


def save_axe(db: Database, programme_id: int, titre: str, code: str = "", *, id: int | None = None) -> int:
    return _save_node(db, PaqssAxe, "programme_id", programme_id, titre, code, id, "l'axe", "Cet axe")


def save_objectif(db: Database, axe_id: int, titre: str, code: str = "", *, id: int | None = None) -> int:
    return _save_node(db, PaqssObjectif, "axe_id", axe_id, titre, code, id, "l'objectif", "Cet objectif")


def _save_node(
    db: Database,
    model: Any,
    parent_key: str,
    parent_id: int,
    titre: str,
    code: str,
    id: int | None,
    de: str,
    ce: str,
) -> int:
    """Create (last in order under its parent) or rename an axis or an objective."""
    if not titre.strip():
        raise ValidationError({"titre": f"Le titre de {de} est obligatoire."})
    with db.unit_of_work() as s:
        if id:
            node = s.get(model, id)
            if node is None:
                raise UserError(f"{ce} a été supprimé entre-temps.")
        else:
            n = s.scalar(select(func.count()).where(getattr(model, parent_key) == parent_id)) or 0
            node = model(**{parent_key: parent_id}, ordre=n + 1)
            s.add(node)
        node.titre, node.code = titre.strip(), code.strip()
        s.flush()
        return int(node.id)


def tree(db: Database) -> list[ProgrammeNode]:
    """Programmes › axes › objectifs with action counts (three queries, whatever the size)."""
    with db.session() as s:
        counts = dict(
            s.execute(select(PaqssAction.objectif_id, func.count()).group_by(PaqssAction.objectif_id)).all()
        )
        objs: dict[int, list[ObjectifNode]] = {}
        for o in s.execute(
            select(PaqssObjectif.id, PaqssObjectif.axe_id, PaqssObjectif.code, PaqssObjectif.titre).order_by(
                PaqssObjectif.ordre, PaqssObjectif.id
            )
        ):
            objs.setdefault(o.axe_id, []).append(ObjectifNode(o.id, o.code, o.titre, counts.get(o.id, 0)))
        axes: dict[int, list[AxeNode]] = {}
        for a in s.execute(
            select(PaqssAxe.id, PaqssAxe.programme_id, PaqssAxe.code, PaqssAxe.titre).order_by(
                PaqssAxe.ordre, PaqssAxe.id
            )
        ):
            axes.setdefault(a.programme_id, []).append(AxeNode(a.id, a.code, a.titre, objs.get(a.id, [])))
        return [
            ProgrammeNode(p.id, p.nom, p.debut, p.fin, axes.get(p.id, []))
            for p in s.scalars(
                select(PaqssProgramme).order_by(PaqssProgramme.debut.desc(), PaqssProgramme.id.desc())
            )
        ]


def objectif_choices(db: Database, programme_id: int | None = None) -> list[tuple[int, str]]:
    """(objectif id, "Axe › Objectif") for the editor."""
    q = (
        select(PaqssObjectif.id, PaqssAxe.code, PaqssAxe.titre, PaqssObjectif.code, PaqssObjectif.titre)
        .join(PaqssAxe, PaqssObjectif.axe_id == PaqssAxe.id)
        .order_by(PaqssAxe.ordre, PaqssAxe.id, PaqssObjectif.ordre, PaqssObjectif.id)
    )
    if programme_id is not None:
        q = q.where(PaqssAxe.programme_id == programme_id)
    with db.session() as s:
        return [
            (i, f"{ac} {at} › {oc} {ot}".replace("  ", " ").strip()) for i, ac, at, oc, ot in s.execute(q)
        ]


def service_choices(db: Database) -> list[tuple[int, str]]:
    with db.session() as s:
        return [(i, n) for i, n in s.execute(select(Service.id, Service.nom).order_by(Service.nom))]


# --- the list -------------------------------------------------------------------------------
_pil = aliased(Personne, name="pil")
_cop = aliased(Personne, name="cop")
_DUE = func.coalesce(PaqssAction.echeance_revisee, PaqssAction.echeance)

SORTABLE: dict[str, tuple[Any, ...]] = {
    "reference": (PaqssAction.reference,),
    "titre": (PaqssAction.titre,),
    "axe": (PaqssAxe.ordre, PaqssAxe.id),
    "objectif": (PaqssObjectif.titre,),
    "statut": (PaqssAction.statut,),
    "avancement": (PaqssAction.avancement,),
    "priorite": (PaqssAction.priorite,),
    "source": (PaqssAction.source,),
    "pilote": (_pil.nom, _pil.prenom),
    "copilote": (_cop.nom, _cop.prenom),
    "service": (Service.nom,),
    "date_debut": (PaqssAction.date_debut,),
    "echeance": (_DUE,),
    "echeance_initiale": (PaqssAction.echeance,),
}


def _name(p: Any) -> Any:
    return func.trim(func.coalesce(p.prenom, "") + " " + func.coalesce(p.nom, ""))


def _where(q: Any, f: ActionFilter, today: date) -> Any:
    a = PaqssAction
    for word in fold(f.texte).split():
        q = q.where(
            or_(
                a.cle_recherche.contains(word, autoescape=True),
                _pil.cle_recherche.contains(word, autoescape=True),
                _cop.cle_recherche.contains(word, autoescape=True),
            )
        )
    if f.programme_id is not None:
        q = q.where(PaqssAxe.programme_id == f.programme_id)
    if f.axe_id is not None:
        q = q.where(PaqssObjectif.axe_id == f.axe_id)
    if f.objectif_id is not None:
        q = q.where(a.objectif_id == f.objectif_id)
    if f.statuts:
        q = q.where(a.statut.in_(sorted(f.statuts)))
    if f.pilote_id is not None:
        extra_cop = (
            select(PaqssActionCopilote.action_id)
            .where(PaqssActionCopilote.action_id == a.id, PaqssActionCopilote.personne_id == f.pilote_id)
            .exists()
        )
        q = q.where(or_(a.pilote_id == f.pilote_id, a.copilote_id == f.pilote_id, extra_cop))
    if f.service_id is not None:
        extra_srv = (
            select(PaqssActionService.action_id)
            .where(PaqssActionService.action_id == a.id, PaqssActionService.service_id == f.service_id)
            .exists()
        )
        q = q.where(or_(a.service_id == f.service_id, extra_srv))
    if f.source:
        q = q.where(a.source == f.source)
    if f.priorite is not None:
        q = q.where(a.priorite == f.priorite)
    if f.ids is not None:
        q = q.where(a.id.in_(sorted(f.ids)))
    ouvert = a.statut.not_in(sorted(rules.CLOTURES))
    if f.echeance == "en_retard":
        q = q.where(today > _DUE, ouvert)
    elif f.echeance == "30_jours":
        q = q.where(today <= _DUE, today + timedelta(days=30) >= _DUE, ouvert)
    elif f.echeance == "sans_echeance":
        q = q.where(_DUE.is_(None))
    return q


def action_query(f: ActionFilter, today: date, tri: str = "reference", decroissant: bool = False) -> Any:
    """The one SELECT behind the list (also used by the benchmark as the bare SQL)."""
    a = PaqssAction
    q = (
        select(
            a.id,
            a.reference,
            a.titre,
            func.trim(PaqssAxe.code + " " + PaqssAxe.titre),
            PaqssObjectif.titre,
            a.statut,
            a.avancement,
            a.priorite,
            a.source,
            _name(_pil),
            _name(_cop),
            func.coalesce(Service.nom, ""),
            a.date_debut,
            a.echeance,
            a.echeance_revisee,
            PaqssAxe.id,
        )  # fmt: skip
        .join(PaqssObjectif, a.objectif_id == PaqssObjectif.id)
        .join(PaqssAxe, PaqssObjectif.axe_id == PaqssAxe.id)
        .outerjoin(_pil, a.pilote_id == _pil.id)
        .outerjoin(_cop, a.copilote_id == _cop.id)
        .outerjoin(Service, a.service_id == Service.id)
    )
    q = _where(q, f, today)
    cols = SORTABLE.get(tri, SORTABLE["reference"])
    nulls_last = [c.is_(None) for c in cols]  # empty deadlines and pilots at the end, whatever the order
    return q.order_by(*nulls_last, *[c.desc() if decroissant else c for c in cols], a.id)


def list_actions(
    db: Database,
    f: ActionFilter | None = None,
    *,
    tri: str = "reference",
    decroissant: bool = False,
    today: date | None = None,
) -> list[ActionRow]:
    q = action_query(f or ActionFilter(), today or date.today(), tri, decroissant)
    with db.engine.connect() as conn:
        return [ActionRow(*r) for r in conn.execute(q)]


def extra_copilot_names(db: Database) -> dict[int, list[str]]:
    """action id -> names of its co-pilots beyond the tandem (by last name), in one query."""
    c = PaqssActionCopilote
    out: dict[int, list[str]] = {}
    with db.engine.connect() as conn:
        q = select(c.action_id, _name(Personne)).join(Personne, c.personne_id == Personne.id)
        for aid, nom in conn.execute(q.order_by(c.action_id, Personne.nom, Personne.prenom)):
            out.setdefault(aid, []).append(nom)
    return out


# --- one action -----------------------------------------------------------------------------
def get_action(db: Database, action_id: int) -> ActionData:
    with db.session() as s:
        a = s.get(PaqssAction, action_id, options=[selectinload(PaqssAction.jalons)])
        if a is None:
            raise UserError("Cette action n'existe plus.")
        return _data_of(a)


def action_id_by_reference(db: Database, reference: str) -> int | None:
    with db.session() as s:
        return s.scalar(select(PaqssAction.id).where(PaqssAction.reference == reference.strip()))


def search_key(a: Any) -> str:
    """Folded text of an action (or any object with the same attributes) for the text filter."""
    return fold(
        " ".join(
            filter(
                None,
                [
                    a.reference,
                    a.titre,
                    a.description,
                    a.source_detail,
                    a.indicateur,
                    rules.source_label(a.source),
                ],
            )
        )
    )


def _annee(s: Session, objectif_id: int, today: date) -> int:
    debut = s.scalar(
        select(PaqssProgramme.debut)
        .join(PaqssAxe, PaqssAxe.programme_id == PaqssProgramme.id)
        .join(PaqssObjectif, PaqssObjectif.axe_id == PaqssAxe.id)
        .where(PaqssObjectif.id == objectif_id)
    )
    return max(debut.year, today.year) if debut else today.year


def next_reference(s: Session, objectif_id: int, today: date) -> str:
    year = _annee(s, objectif_id, today)
    refs = s.scalars(select(PaqssAction.reference).where(PaqssAction.reference.like(f"PAQSS-{year}-%")))
    return rules.prochaine_reference(year, refs)


def validate_action(s: Session, d: ActionData, *, confirme: bool, today: date) -> ActionData:
    """Check every field at once (messages beside each field) and apply the status rules."""
    errors: dict[str, str] = {}
    titre = (d.titre or "").strip()
    if not titre:
        errors["titre"] = "L'intitulé de l'action est obligatoire."
    elif len(titre) > 300:
        errors["titre"] = (
            "L'intitulé ne doit pas dépasser 300 caractères (mettez le détail dans la description)."
        )
    if d.objectif_id is None or s.get(PaqssObjectif, d.objectif_id) is None:
        errors["objectif_id"] = "Choisissez l'objectif (axe › objectif) auquel l'action se rattache."
    ref = (d.reference or "").strip()
    if ref:
        other = s.scalar(select(PaqssAction.id).where(PaqssAction.reference == ref))
        if other is not None and other != d.id:
            errors["reference"] = f"La référence « {ref} » est déjà utilisée par une autre action."
    if d.source not in rules.SOURCES:
        errors["source"] = f"Source inconnue : « {d.source} »."
    if d.priorite not in rules.PRIORITES:
        errors["priorite"] = "La priorité est 1 (haute), 2 (moyenne) ou 3 (basse)."
    for key, pid in (("pilote_id", d.pilote_id), ("copilote_id", d.copilote_id)):
        if pid is not None and s.get(Personne, pid) is None:
            errors[key] = "Cette personne n'est plus dans l'annuaire."
    if d.pilote_id is not None and d.pilote_id == d.copilote_id:
        errors["copilote_id"] = "Le copilote doit être une autre personne que le pilote."
    for pid in d.autres_copilotes:
        if s.get(Personne, pid) is None:
            errors["autres_copilotes"] = "Un des copilotes n'est plus dans l'annuaire."
    for sid in d.autres_services:
        if s.get(Service, sid) is None:
            errors["autres_services"] = "Un des services n'existe plus."
    errors.update(rules.check_dates(d.date_debut, d.echeance, d.echeance_revisee))
    for i, j in enumerate(d.jalons, start=1):
        if not (j.libelle or "").strip():
            errors["jalons"] = f"Le jalon n° {i} n'a pas de libellé."
    ouverts = sum(1 for j in d.jalons if not j.fait)
    decision = None
    try:
        decision = rules.check_status(
            d.statut, avancement=int(d.avancement or 0), motif=d.motif_statut, jalons_ouverts=ouverts,
            confirme=confirme, today=today, realisee_le=d.realisee_le,
        )  # fmt: skip
    except rules.ConfirmationRequise as exc:
        if not errors:
            raise ConfirmationNecessaire(str(exc), field="statut") from exc
    except ValueError as exc:
        field_name = (
            "motif_statut"
            if "motif" in str(exc)
            else ("avancement" if "pourcentage" in str(exc) else "statut")
        )
        errors[field_name] = str(exc)
    if errors:
        raise ValidationError(errors)
    assert decision is not None
    out = ActionData(**{n: getattr(d, n) for n in ACTION_FIELDS}, id=d.id, jalons=d.jalons)
    # the tandem and the main service are not repeated among the extras; duplicates collapse
    tandem = {d.pilote_id, d.copilote_id}
    out.autres_copilotes = sorted({p for p in d.autres_copilotes if p not in tandem})
    out.autres_services = sorted({x for x in d.autres_services if x != d.service_id})
    out.titre, out.reference = titre, ref
    out.statut, out.avancement, out.realisee_le = decision.statut, decision.avancement, decision.realisee_le
    if out.statut not in rules.AVEC_MOTIF:
        out.motif_statut = (d.motif_statut or "").strip() or None
    for name in (
        "description",
        "source_detail",
        "resultat_attendu",
        "indicateur",
        "indicateur_initial",
        "indicateur_cible",
    ):
        setattr(out, name, (getattr(d, name) or "").strip() or None)
    return out


def _apply(s: Session, d: ActionData, *, confirme: bool, today: date) -> PaqssAction:
    clean = validate_action(s, d, confirme=confirme, today=today)
    if clean.id is not None:
        a = s.get(PaqssAction, clean.id, options=[selectinload(PaqssAction.jalons)])
        if a is None:
            raise UserError("Cette action a été supprimée entre-temps.")
    else:
        assert clean.objectif_id is not None
        a = PaqssAction(
            objectif_id=clean.objectif_id,
            reference=clean.reference or next_reference(s, clean.objectif_id, today),
        )
        s.add(a)
    if not clean.reference:
        clean.reference = a.reference
    for name in ACTION_FIELDS:
        if getattr(a, name) != getattr(clean, name):
            setattr(a, name, getattr(clean, name))
    a.cle_recherche = search_key(a)
    sync_team(s, a, clean.autres_copilotes, clean.autres_services)
    current = {j.id: j for j in a.jalons}
    keep = {j.id for j in clean.jalons if j.id is not None}
    for jid, old in current.items():
        if jid not in keep:
            a.jalons.remove(old)
    for jd in clean.jalons:
        j: PaqssJalon | None = current.get(jd.id) if jd.id is not None else None
        if j is None:
            j = PaqssJalon(libelle=jd.libelle.strip())
            a.jalons.append(j)
        fait_le = (jd.fait_le or today) if jd.fait else None
        for name, value in (
            ("libelle", jd.libelle.strip()),
            ("echeance", jd.echeance),
            ("fait", bool(jd.fait)),
            ("fait_le", fait_le),
        ):
            if getattr(j, name) != value:
                setattr(j, name, value)
    return a


def sync_team(s: Session, a: PaqssAction, copilotes: list[int], services: list[int]) -> None:
    """Add / remove the extra co-pilots and services so they match the lists (each change journaled)."""
    for c in [c for c in a.autres_copilotes if c.personne_id not in copilotes]:
        s.delete(c)  # explicit, so the removal is journaled (a delete-orphan alone is not)
        a.autres_copilotes.remove(c)
    have = {c.personne_id for c in a.autres_copilotes}
    for pid in copilotes:
        if pid not in have:
            a.autres_copilotes.append(PaqssActionCopilote(personne=s.get(Personne, pid)))
    for x in [x for x in a.autres_services if x.service_id not in services]:
        s.delete(x)
        a.autres_services.remove(x)
    have = {x.service_id for x in a.autres_services}
    for sid in services:
        if sid not in have:
            a.autres_services.append(PaqssActionService(service=s.get(Service, sid)))


def save_action(db: Database, data: ActionData, *, confirme: bool = False, today: date | None = None) -> int:
    """Create or update an action with its milestones in one transaction (journaled)."""
    with db.unit_of_work() as s:
        a = _apply(s, data, confirme=confirme, today=today or date.today())
        s.flush()
        return a.id


def enregistrer_action(
    db: Database,
    data: ActionData,
    commentaires: Sequence[str] = (),
    fichiers: Sequence[tuple[str, bytes]] = (),
    *,
    confirme: bool = False,
    today: date | None = None,
    auteur: str | None = None,
) -> int:
    """The editor's *Enregistrer*: the action, its milestones, its new comments and evidence files in ONE
    transaction. A refused file (or comment) refuses the whole save: nothing is written, no action is created."""
    from qualite_app.socle import blobs
    from qualite_app.socle import liens as links

    for name, content in fichiers:
        _check_preuve(name, content)
    textes = [t.strip() for t in commentaires if t.strip()]
    with db.unit_of_work() as s:
        a = _apply(s, data, confirme=confirme, today=today or date.today())
        s.flush()
        for texte in textes:
            s.add(PaqssCommentaire(action=a, texte=texte, auteur=auteur or str(db.actor)))
        for name, content in fichiers:
            blob = blobs.put(s, content, name)
            links.link(s, ACTION_TYPE, a.id, "blob", blob.id, NATURE_PREUVE)
        s.flush()
        return a.id


def _check_preuve(name: str, content: bytes) -> None:
    if not content:
        raise UserError(f"« {name} » est vide : rien n'a été enregistré.")
    if len(content) > MAX_PREUVE:
        raise UserError(
            f"« {name} » dépasse {MAX_PREUVE // (1024 * 1024)} Mo : déposez un fichier plus léger. "
            "Rien n'a été enregistré."
        )


def delete_action(db: Database, action_id: int) -> None:
    delete_actions(db, [action_id])


def delete_actions(db: Database, ids: list[int]) -> None:
    """Delete actions with their milestones, comments and links, in one journaled transaction."""
    with db.unit_of_work() as s:
        for action_id in ids:
            a = s.get(PaqssAction, action_id)
            if a is None:
                raise UserError("Une des actions n'existe plus ; rien n'a été supprimé.")
            links = s.scalars(
                select(Lien).where(
                    or_(
                        and_(Lien.source_type == ACTION_TYPE, Lien.source_id == action_id),
                        and_(Lien.cible_type == ACTION_TYPE, Lien.cible_id == action_id),
                    )
                )
            ).all()
            for lien in links:
                s.delete(lien)  # journaled, unlike a bulk DELETE
            s.delete(a)


class _Unset:
    pass


UNSET: Any = _Unset()


def bulk_update(
    db: Database,
    ids: list[int],
    *,
    statut: str | None = None,
    motif: str | None = None,
    pilote_id: int | None | _Unset = UNSET,
    echeance_revisee: date | None | _Unset = UNSET,
    confirme: bool = False,
    today: date | None = None,
) -> int:
    """Change the status, pilot or revised deadline of several actions in ONE transaction.

    Every action goes through the same rules as the editor; the first refusal cancels everything
    and names the action.
    """
    if not ids:
        raise UserError("Sélectionnez au moins une action.")
    today = today or date.today()
    with db.unit_of_work() as s:
        n = 0
        for aid in ids:
            d = _data_in(s, aid)
            if statut is not None:
                d.statut = statut
                if statut in rules.AVEC_MOTIF or motif:
                    d.motif_statut = motif
            if not isinstance(pilote_id, _Unset):
                d.pilote_id = pilote_id
                if pilote_id is not None and d.copilote_id == pilote_id:
                    d.copilote_id = None
            if not isinstance(echeance_revisee, _Unset):
                d.echeance_revisee = echeance_revisee
            try:
                _apply(s, d, confirme=confirme, today=today)
            except ConfirmationNecessaire as exc:
                raise ConfirmationNecessaire(f"{d.reference} : {exc.message}") from exc
            except ValidationError as exc:
                raise UserError(f"{d.reference} : {exc.message}\nAucune action n'a été modifiée.") from exc
            n += 1
        return n


def _data_in(s: Session, action_id: int) -> ActionData:
    a = s.get(PaqssAction, action_id, options=[selectinload(PaqssAction.jalons)])
    if a is None:
        raise UserError("Une des actions sélectionnées n'existe plus ; rien n'a été modifié.")
    return _data_of(a)


def _data_of(a: PaqssAction) -> ActionData:
    d = ActionData(**{n: getattr(a, n) for n in ACTION_FIELDS}, id=a.id)
    d.jalons = [JalonData(j.libelle, j.echeance, j.fait, j.fait_le, j.id) for j in a.jalons]
    d.autres_copilotes = sorted(c.personne_id for c in a.autres_copilotes)
    d.autres_services = sorted(x.service_id for x in a.autres_services)
    return d


# --- comments, evidence, links, journal -----------------------------------------------------
def add_comment(db: Database, action_id: int, texte: str, auteur: str | None = None) -> int:
    if not texte.strip():
        raise ValidationError({"commentaire": "Le commentaire est vide."})
    with db.unit_of_work() as s:
        a = s.get(PaqssAction, action_id)
        if a is None:
            raise UserError("Cette action n'existe plus.")
        c = PaqssCommentaire(action=a, texte=texte.strip(), auteur=auteur or str(db.actor))
        s.add(c)
        s.flush()
        return c.id


def comments(db: Database, action_id: int) -> list[CommentaireRow]:
    with db.session() as s:
        q = select(
            PaqssCommentaire.id, PaqssCommentaire.auteur, PaqssCommentaire.texte, PaqssCommentaire.cree_le
        )
        return [
            CommentaireRow(*r)
            for r in s.execute(q.where(PaqssCommentaire.action_id == action_id).order_by(PaqssCommentaire.id))
        ]


MAX_PREUVE = 200 * 1024 * 1024


def add_evidence(db: Database, action_id: int, content: bytes, name: str) -> int:
    """Store a file (deduplicated by SHA-256) and link it to the action as evidence."""
    from qualite_app.socle import blobs
    from qualite_app.socle import liens as links

    _check_preuve(name, content)
    with db.unit_of_work() as s:
        if s.get(PaqssAction, action_id) is None:
            raise UserError("Cette action n'existe plus.")
        blob = blobs.put(s, content, name)
        return links.link(s, ACTION_TYPE, action_id, "blob", blob.id, NATURE_PREUVE).id


def evidence(db: Database, action_id: int) -> list[PreuveRow]:
    with db.session() as s:
        q = (
            select(Lien.id, Blob.id, Blob.nom, Blob.taille, Lien.cree_le)
            .join(Blob, Blob.id == Lien.cible_id)
            .where(
                Lien.source_type == ACTION_TYPE,
                Lien.source_id == action_id,
                Lien.cible_type == "blob",
                Lien.nature == NATURE_PREUVE,
            )
            .order_by(Lien.id)
        )
        return [PreuveRow(*r) for r in s.execute(q)]


def remove_evidence(db: Database, lien_id: int) -> None:
    from qualite_app.socle import liens as links

    links.unlink(db, lien_id)


def link_item(db: Database, action_id: int, other_type: str, other_id: int, nature: str = "lié à") -> int:
    from qualite_app.socle import liens as links

    with db.unit_of_work() as s:
        if s.get(PaqssAction, action_id) is None:
            raise UserError("Cette action n'existe plus.")
        return links.link(s, ACTION_TYPE, action_id, other_type, other_id, nature).id


@dataclass(frozen=True)
class LienRow:
    lien_id: int
    nature: str
    type: str
    id: int
    libelle: str


def links(db: Database, action_id: int) -> list[LienRow]:
    """The action's links (evidence files apart), each named by the linked item's own label."""
    from qualite_app.socle import liens as links_service
    from qualite_app.storage.base import Base

    kinds = {m.local_table.name: m.class_ for m in Base.registry.mappers}  # type: ignore[attr-defined]
    out = []
    with db.session() as s:
        for lk in links_service.links_of(db, ACTION_TYPE, action_id):
            if lk.other_type == "blob" and lk.nature == NATURE_PREUVE:
                continue
            model = kinds.get(lk.other_type)
            obj = s.get(model, lk.other_id) if model is not None else None
            kind = getattr(model, "__audit_type__", None) or lk.other_type
            label = obj.audit_label() if obj is not None else f"n° {lk.other_id} (introuvable)"
            out.append(LienRow(lk.id, lk.nature, str(kind), lk.other_id, label))
    return out


def link_to_reference(db: Database, action_id: int, reference: str) -> int:
    """Link two actions of the programme (e.g. an action and the one it continues)."""
    other = action_id_by_reference(db, reference)
    if other is None:
        raise UserError(f"Aucune action n'a la référence « {reference.strip()} ».")
    if other == action_id:
        raise UserError("Une action ne peut pas être liée à elle-même.")
    return link_item(db, action_id, ACTION_TYPE, other)


def link_indicator(db: Database, action_id: int, indicateur_id: int) -> int:
    return link_item(db, action_id, "indicateur", indicateur_id, "suivie par l'indicateur")


def actions_for_indicator(db: Database, indicateur_id: int) -> list[tuple[str, str, date | None]]:
    """(reference, titre, date_debut) of the actions linked to an indicator, in either direction."""
    a = PaqssAction
    fwd = select(Lien.source_id).where(
        Lien.source_type == ACTION_TYPE, Lien.cible_type == "indicateur", Lien.cible_id == indicateur_id
    )
    back = select(Lien.cible_id).where(
        Lien.cible_type == ACTION_TYPE, Lien.source_type == "indicateur", Lien.source_id == indicateur_id
    )
    q = (
        select(a.reference, a.titre, a.date_debut)
        .where(or_(a.id.in_(fwd), a.id.in_(back)))
        .order_by(a.date_debut, a.reference)
    )
    with db.session() as s:
        return [(r, t, d) for r, t, d in s.execute(q)]


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
        func.sum(case((and_(ouvert, today > _DUE), 1), else_=0)),
        func.sum(case((and_(ouvert, today <= _DUE, fin_mois >= _DUE), 1), else_=0)),
        func.sum(case((and_(date(today.year, 1, 1) <= _DUE, date(today.year, 12, 31) >= _DUE), 1), else_=0)),
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


# --- timeline (Gantt) ------------------------------------------------------------------------
@dataclass(frozen=True)
class GanttRow:
    id: int
    axe: str
    reference: str
    titre: str
    debut: date | None
    fin: date | None  # the deadline that counts (revised when there is one)
    echeance_initiale: date | None
    statut: str
    en_retard: bool
    jalons: list[tuple[date, bool, str]]


def timeline(db: Database, f: ActionFilter | None = None, *, today: date | None = None) -> list[GanttRow]:
    """Actions grouped by axis (axis order), each with its milestones; for the Gantt view."""
    today = today or date.today()
    rows = list_actions(db, f, tri="axe", today=today)
    jal: dict[int, list[tuple[date, bool, str]]] = {}
    ids = [r.id for r in rows]
    with db.session() as s:
        for chunk in range(0, len(ids), 900):
            q = select(PaqssJalon.action_id, PaqssJalon.echeance, PaqssJalon.fait, PaqssJalon.libelle).where(
                PaqssJalon.action_id.in_(ids[chunk : chunk + 900]), PaqssJalon.echeance.is_not(None)
            )
            for aid, d, fait, lib in s.execute(q.order_by(PaqssJalon.echeance)):
                if d is not None:  # excluded by the query; keeps the type checker informed
                    jal.setdefault(aid, []).append((d, fait, lib))
    return [
        GanttRow(
            r.id,
            r.axe,
            r.reference,
            r.titre,
            r.date_debut,
            r.echeance_effective,
            r.echeance,
            r.statut,
            r.en_retard(today),
            jal.get(r.id, []),
        )
        for r in sorted(rows, key=lambda x: (x.axe_id, x.date_debut or date.max, x.reference))
    ]
