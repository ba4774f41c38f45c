"""The establishment's identity, its pôles and services."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import func, select

from qualite_app.errors import UserError
from qualite_app.etablissement.models import Etablissement, Personne, Pole, Service
from qualite_app.rules import validation as v
from qualite_app.rules.checker import Checker
from qualite_app.socle.versions import Edition, avant_suppression, champs, edition_de, verifier_version
from qualite_app.storage.base import utcnow
from qualite_app.storage.database import Database


@dataclass
class EtablissementData(Edition):
    raison_sociale: str = ""
    pays: str = "FR"
    finess_ej: str | None = None
    finess_et: str | None = None
    code_etablissement: str | None = None
    adresse: str | None = None
    code_postal: str | None = None
    ville: str | None = None
    telephone: str | None = None
    chef_etablissement: str | None = None
    titre_chef: str | None = None
    directeur_qualite: str | None = None
    logo_blob_id: int | None = None
    id: int | None = None


def get(db: Database) -> EtablissementData | None:
    with db.session() as s:
        e = s.scalars(select(Etablissement).order_by(Etablissement.id)).first()
        if e is None:
            return None
        return EtablissementData(**{n: getattr(e, n) for n in champs(EtablissementData)}, **edition_de(e))


def validate(data: EtablissementData) -> EtablissementData:
    c = Checker()
    out = EtablissementData(**{f.name: getattr(data, f.name) for f in fields(EtablissementData)})
    out.raison_sociale = c.check("raison_sociale", v.required, data.raison_sociale, "La raison sociale") or ""
    out.pays = data.pays if data.pays in ("FR", "QC") else "FR"
    out.finess_ej = c.check("finess_ej", v.finess, data.finess_ej, "FINESS EJ")
    out.finess_et = c.check("finess_et", v.finess, data.finess_et, "FINESS ET")
    out.code_etablissement = c.check("code_etablissement", v.quebec_code, data.code_etablissement)
    out.telephone = c.check("telephone", v.phone, data.telephone)
    for name in ("adresse", "code_postal", "ville", "chef_etablissement", "titre_chef", "directeur_qualite"):
        setattr(out, name, (getattr(data, name) or "").strip() or None)
    c.raise_if_any()
    return out


def save(db: Database, data: EtablissementData, *, ecraser: bool = False) -> EtablissementData:
    """The identity as typed; ``ConflitEdition`` when someone saved it since the form opened it
    (``data.version_ligne``), unless ``ecraser``. Returns it as saved (with its new version)."""
    clean = validate(data)
    with db.unit_of_work() as s:
        e = s.scalars(select(Etablissement).order_by(Etablissement.id)).first()
        if e is None:
            e = Etablissement(raison_sociale=clean.raison_sociale)
            s.add(e)
        else:
            verifier_version(s, e, clean.version_ligne, clean.charge_le, ecraser=ecraser,
                             libelle="L'identité de l'établissement", feminin=True)  # fmt: skip
        for name in champs(EtablissementData):
            if name != "id":
                setattr(e, name, getattr(clean, name))
        s.flush()
        clean.id = e.id
        clean.version_ligne, clean.charge_le = edition_de(e).values()
    return clean


def set_logo(db: Database, content: bytes, name: str, mime: str) -> int:
    from qualite_app.socle import blobs

    if not mime.startswith("image/"):
        raise UserError("Le logo doit être une image (PNG ou JPEG).")
    with db.unit_of_work() as s:
        e = s.scalars(select(Etablissement).order_by(Etablissement.id)).first()
        if e is None:
            raise UserError("Renseignez d'abord l'identité de l'établissement.")
        b = blobs.put(s, content, name, mime)
        e.logo_blob_id = b.id
        return b.id


# --- pôles and services -------------------------------------------------------------


@dataclass(frozen=True)
class PoleRow:
    id: int
    nom: str
    code: str | None
    nb_services: int
    #: the row version read with the list and when (what its form is checked against)
    version_ligne: int | None = None
    charge_le: datetime | None = None

    def edition(self) -> dict[str, object]:
        return {"version_ligne": self.version_ligne, "charge_le": self.charge_le}


@dataclass(frozen=True)
class ServiceRow:
    id: int
    nom: str
    code: str | None
    secteur: str | None
    pole_id: int | None
    pole: str | None
    nb_personnes: int
    version_ligne: int | None = None
    charge_le: datetime | None = None

    def edition(self) -> dict[str, object]:
        return {"version_ligne": self.version_ligne, "charge_le": self.charge_le}


def list_poles(db: Database) -> list[PoleRow]:
    with db.session() as s:
        q = (
            select(Pole.id, Pole.nom, Pole.code, func.count(Service.id), Pole.version)
            .outerjoin(Service, Service.pole_id == Pole.id)
            .group_by(Pole.id)
            .order_by(Pole.nom)
        )
        lu = utcnow()
        return [PoleRow(*r, charge_le=lu) for r in s.execute(q)]


def choix_services(db: Database) -> list[tuple[int, str]]:
    """(id, name) of every service, by name: the drop-downs of every area's forms."""
    with db.session() as s:
        return [(i, n) for i, n in s.execute(select(Service.id, Service.nom).order_by(Service.nom))]


def list_services(db: Database, pole_id: int | None = None) -> list[ServiceRow]:
    with db.session() as s:
        q = (
            select(Service.id, Service.nom, Service.code, Service.secteur, Service.pole_id, Pole.nom, func.count(Personne.id),
                   Service.version)
            .outerjoin(Pole, Service.pole_id == Pole.id)
            .outerjoin(Personne, Personne.service_id == Service.id)
            .group_by(Service.id, Pole.nom)
            .order_by(Service.nom)
        )
        if pole_id is not None:
            q = q.where(Service.pole_id == pole_id)
        lu = utcnow()
        return [ServiceRow(*r, charge_le=lu) for r in s.execute(q)]


def save_pole(db: Database, nom: str, code: str | None = None, pole_id: int | None = None, *,
              version_ligne: int | None = None, charge_le: datetime | None = None, ecraser: bool = False) -> int:
    """Create or update a pôle; ``ConflitEdition`` when someone saved it since the version the list read
    (``version_ligne``, ``charge_le``), unless ``ecraser``."""
    c = Checker()
    nom_ok = c.check("nom", v.required, nom, "Le nom du pôle")
    c.raise_if_any()
    with db.unit_of_work() as s:
        dup = s.scalar(select(Pole.id).where(func.lower(Pole.nom) == (nom_ok or "").lower()))
        if dup is not None and dup != pole_id:
            raise UserError(f"Un pôle « {nom_ok} » existe déjà.", field="nom")
        p = s.get(Pole, pole_id) if pole_id else None
        if pole_id and p is None:
            raise UserError("Ce pôle n'existe plus.")
        if p is not None:
            verifier_version(s, p, version_ligne, charge_le, ecraser=ecraser, libelle=f"Le pôle « {p.nom} »")
        if p is None:
            p = Pole(nom=nom_ok)
            s.add(p)
        p.nom = nom_ok or ""
        p.code = (code or "").strip() or None
        s.flush()
        return p.id


def save_service(
    db: Database,
    nom: str,
    pole_id: int | None,
    code: str | None = None,
    secteur: str | None = None,
    service_id: int | None = None,
    *,
    version_ligne: int | None = None,
    charge_le: datetime | None = None,
    ecraser: bool = False,
) -> int:
    """Create or update a service, checked against the version the list read unless ``ecraser``."""
    c = Checker()
    nom_ok = c.check("nom", v.required, nom, "Le nom du service")
    c.raise_if_any()
    with db.unit_of_work() as s:
        dup = s.scalar(select(Service.id).where(func.lower(Service.nom) == (nom_ok or "").lower()))
        if dup is not None and dup != service_id:
            raise UserError(f"Un service « {nom_ok} » existe déjà.", field="nom")
        srv = s.get(Service, service_id) if service_id else None
        if service_id and srv is None:
            raise UserError("Ce service n'existe plus.")
        if srv is not None:
            verifier_version(s, srv, version_ligne, charge_le, ecraser=ecraser, libelle=f"Le service « {srv.nom} »")
        if srv is None:
            srv = Service(nom=nom_ok)
            s.add(srv)
        srv.nom = nom_ok or ""
        srv.code = (code or "").strip() or None
        srv.secteur = (secteur or "").strip() or None
        srv.pole_id = pole_id
        s.flush()
        return srv.id


def delete_service(db: Database, service_id: int) -> None:
    with db.unit_of_work() as s:
        srv = s.get(Service, service_id)
        if srv is None:
            raise UserError("Ce service n'existe plus.")
        n = s.scalar(select(func.count()).select_from(Personne).where(Personne.service_id == service_id)) or 0
        if n:
            raise UserError(f"Le service « {srv.nom} » compte encore {n} personne(s) : rattachez-les ailleurs d'abord.")
        avant_suppression(s, Service, service_id)  # the items that named it change: their forms are told
        s.delete(srv)


def delete_pole(db: Database, pole_id: int) -> None:
    with db.unit_of_work() as s:
        p = s.get(Pole, pole_id)
        if p is None:
            raise UserError("Ce pôle n'existe plus.")
        if p.services:
            raise UserError(f"Le pôle « {p.nom} » contient encore {len(p.services)} service(s).")
        s.delete(p)
