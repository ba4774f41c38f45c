"""The directory of people: search (in SQL), edit with validation, roles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from qualite_app.errors import UserError
from qualite_app.etablissement.models import Personne, RolePersonne, Service
from qualite_app.rules import validation as v
from qualite_app.rules.checker import Checker
from qualite_app.rules.text import choix_personnes, fold
from qualite_app.socle.versions import Edition, avant_suppression, edition_de, verifier_version
from qualite_app.storage.database import Database


@dataclass(frozen=True)
class PersonneRow:
    id: int
    nom: str
    prenom: str
    fonction: str
    service: str
    tel_fixe: str
    tel_mobile: str
    dect: str
    email: str
    roles: str
    actif: bool

    @property
    def nom_complet(self) -> str:
        return f"{self.prenom} {self.nom}".strip()


@dataclass
class PersonneData(Edition):
    nom: str = ""
    prenom: str = ""
    civilite: str | None = None
    fonction: str | None = None
    service_id: int | None = None
    tel_fixe: str | None = None
    tel_mobile: str | None = None
    dect: str | None = None
    email: str | None = None
    actif: bool = True
    notes: str | None = None
    roles: list[str] = field(default_factory=list)
    id: int | None = None


SORTABLE = {
    "nom": (Personne.nom, Personne.prenom),
    "prenom": (Personne.prenom, Personne.nom),
    "fonction": (Personne.fonction, Personne.nom),
    "service": (Service.nom, Personne.nom),
    "email": (Personne.email,),
}


def search_key(p: Personne, roles: list[str], service: str | None) -> str:
    return fold(" ".join(filter(None, [p.prenom, p.nom, p.fonction, p.email, service, *roles])))


def list_personnes(
    db: Database,
    texte: str = "",
    *,
    service_id: int | None = None,
    actifs_seulement: bool = False,
    tri: str = "nom",
    decroissant: bool = False,
    limite: int | None = None,
) -> list[PersonneRow]:
    """Filtering and sorting happen in SQL; roles are aggregated per person."""
    roles = (
        select(RolePersonne.personne_id, func.aggregate_strings(RolePersonne.libelle, ", ").label("roles"))
        .group_by(RolePersonne.personne_id)
        .subquery()
    )
    q = (
        select(
            Personne.id,
            Personne.nom,
            Personne.prenom,
            func.coalesce(Personne.fonction, ""),
            func.coalesce(Service.nom, ""),
            func.coalesce(Personne.tel_fixe, ""),
            func.coalesce(Personne.tel_mobile, ""),
            func.coalesce(Personne.dect, ""),
            func.coalesce(Personne.email, ""),
            func.coalesce(roles.c.roles, ""),
            Personne.actif,
        )
        .outerjoin(Service, Personne.service_id == Service.id)
        .outerjoin(roles, roles.c.personne_id == Personne.id)
    )
    for word in fold(texte).split():
        q = q.where(Personne.cle_recherche.contains(word, autoescape=True))
    if service_id is not None:
        q = q.where(Personne.service_id == service_id)
    if actifs_seulement:
        q = q.where(Personne.actif.is_(True))
    cols = SORTABLE.get(tri, SORTABLE["nom"])
    q = q.order_by(*[c.desc() if decroissant else c for c in cols], Personne.id)
    if limite:
        q = q.limit(limite)
    with db.session() as s:
        return [PersonneRow(*r) for r in s.execute(q)]


def get_personne(db: Database, personne_id: int) -> PersonneData:
    with db.session() as s:
        p = s.get(Personne, personne_id, options=[selectinload(Personne.roles)])
        if p is None:
            raise UserError("Cette personne n'existe plus dans l'annuaire.")
        return PersonneData(
            id=p.id,
            nom=p.nom,
            prenom=p.prenom,
            civilite=p.civilite,
            fonction=p.fonction,
            service_id=p.service_id,
            tel_fixe=p.tel_fixe,
            tel_mobile=p.tel_mobile,
            dect=p.dect,
            email=p.email,
            actif=p.actif,
            notes=p.notes,
            roles=[r.libelle for r in p.roles],
            **edition_de(p),
        )


def validate(data: PersonneData) -> PersonneData:
    c = Checker()
    out = PersonneData(
        id=data.id,
        nom=c.check("nom", v.required, data.nom, "Le nom") or "",
        prenom=(data.prenom or "").strip(),
        civilite=(data.civilite or "").strip() or None,
        fonction=(data.fonction or "").strip() or None,
        service_id=data.service_id,
        tel_fixe=c.check("tel_fixe", v.phone, data.tel_fixe),
        tel_mobile=c.check("tel_mobile", v.phone, data.tel_mobile),
        dect=c.check("dect", v.short_number, data.dect),
        email=c.check("email", v.email, data.email),
        actif=bool(data.actif),
        notes=(data.notes or "").strip() or None,
        roles=sorted({r.strip() for r in data.roles if r and r.strip()}),
    )
    c.raise_if_any()
    return out


def save_personne(db: Database, data: PersonneData, *, ecraser: bool = False) -> int:
    """Create or update a person; ``ConflitEdition`` when someone saved it since the form opened it
    (``data.version_ligne``), unless ``ecraser`` (the user chose to reapply his changes)."""
    clean = validate(data)
    with db.unit_of_work() as s:
        if clean.id is not None:
            p = s.get(Personne, clean.id, options=[selectinload(Personne.roles)])
            if p is None:
                raise UserError("Cette personne a été supprimée entre-temps.")
            verifier_version(s, p, data.version_ligne, data.charge_le, ecraser=ecraser,
                             libelle=f"La fiche de {p.audit_label()}", feminin=True)  # fmt: skip
        else:
            p = Personne(nom=clean.nom)
            s.add(p)
        for name in (
            "nom",
            "prenom",
            "civilite",
            "fonction",
            "service_id",
            "tel_fixe",
            "tel_mobile",
            "dect",
            "email",
            "actif",
            "notes",
        ):
            if getattr(p, name) != getattr(clean, name):
                setattr(p, name, getattr(clean, name))
        current = {r.libelle: r for r in p.roles}
        for label, role in current.items():
            if label not in clean.roles:
                s.delete(role)  # still attached: the journal line names the person
        for label in clean.roles:
            if label not in current:
                p.roles.append(RolePersonne(libelle=label))
        service = s.get(Service, clean.service_id) if clean.service_id else None
        p.cle_recherche = search_key(p, clean.roles, service.nom if service else None)
        s.flush()
        return p.id


def delete_personne(db: Database, personne_id: int) -> None:
    with db.unit_of_work() as s:
        p = s.get(Personne, personne_id)
        if p is None:
            raise UserError("Cette personne n'existe plus dans l'annuaire.")
        avant_suppression(s, Personne, personne_id)  # the actions she piloted change: their forms are told
        s.delete(p)  # roles go with it (cascade), each journaled


def count(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Personne)) or 0


def choices_query() -> Any:
    """(id, first name, name, function) of active people, by name (``rules.text.choix_personnes`` reads them)."""
    return (
        select(Personne.id, Personne.prenom, Personne.nom, Personne.fonction)
        .where(Personne.actif.is_(True))
        .order_by(Personne.nom, Personne.prenom)
    )


def choices(db: Database) -> list[tuple[int, str]]:
    """(id, "Prénom NOM — fonction") of active people, for pilot/owner pickers in later areas."""
    with db.session() as s:
        return choix_personnes(s.execute(choices_query()))


def services_index(s: Session, key: Callable[[str], str] = fold) -> dict[str, int]:
    """Service id by name and by code, compared through ``key`` (folded by default): how every import
    recognises « Médecine interne », « MED-INT » or « medecine interne » in a file."""
    out: dict[str, int] = {}
    for sid, nom, code in s.execute(select(Service.id, Service.nom, Service.code)):
        out[key(nom)] = sid
        if code:
            out[key(code)] = sid
    return out
