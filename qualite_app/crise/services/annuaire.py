"""The crisis directory (24/7 numbers, call-back plan), resources and message templates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from qualite_app.crise import rules
from qualite_app.crise.models import CriseContact, CriseMessage, CrisePlan, CriseRessource
from qualite_app.errors import UserError, ValidationError
from qualite_app.rules.validation import phone
from qualite_app.socle.versions import Edition, champs, verifier_version
from qualite_app.storage.database import Database


@dataclass
class ContactData(Edition):
    fonction: str
    categorie: str = "autre"
    nom: str = ""
    organisme: str = ""
    tel: str = ""
    tel_secours: str = ""
    email: str = ""
    personne_id: int | None = None
    appele_par_id: int | None = None
    roles: str = ""
    notes: str = ""


@dataclass
class RessourceData(Edition):
    libelle: str
    type_ressource: str = "materiel"
    service_id: int | None = None
    quantite: int | None = None
    unite: str = ""
    localisation: str = ""
    notes: str = ""


def _phone(value: str, field: str, errors: dict[str, str]) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if value.replace(" ", "").isdigit() and len(value.replace(" ", "")) <= 6:
        return value.replace(" ", "")  # a short number: 15, 112, a DECT extension
    try:
        return phone(value) or ""
    except ValueError as exc:
        errors[field] = str(exc)
        return value


def save_contact(db: Database, plan_id: int, data: ContactData, contact_id: int | None = None, *,
                 ecraser: bool = False) -> int:  # fmt: skip
    """Create or update a contact of the crisis directory; ``ConflitEdition`` when someone saved it since the
    form opened it (``data.version_ligne``), unless ``ecraser``."""
    errors: dict[str, str] = {}
    if not data.fonction.strip():
        errors["fonction"] = "La fonction du contact est obligatoire (ex. « SAMU — régulation »)."
    if data.categorie not in rules.CATEGORIES_CONTACT:
        errors["categorie"] = f"Catégorie inconnue « {data.categorie} »."
    tel = _phone(data.tel, "tel", errors)
    tel2 = _phone(data.tel_secours, "tel_secours", errors)
    if contact_id is not None and data.appele_par_id == contact_id:
        errors["appele_par_id"] = "Un contact ne peut pas s'appeler lui-même dans le plan de rappel."
    if errors:
        raise ValidationError(errors)
    with db.unit_of_work() as s:
        if s.get(CrisePlan, plan_id) is None:
            raise UserError("Ce plan n'existe plus.")
        c = s.get(CriseContact, contact_id) if contact_id else None
        if contact_id and c is None:
            raise UserError("Ce contact n'existe plus.")
        if c is not None:
            verifier_version(s, c, data.version_ligne, data.charge_le, ecraser=ecraser,
                             libelle=f"Le contact « {c.fonction} »")  # fmt: skip
        if c is None:
            n = len(s.scalars(select(CriseContact.id).where(CriseContact.plan_id == plan_id)).all())
            c = CriseContact(plan_id=plan_id, ordre=n)
            s.add(c)
        c.fonction, c.categorie, c.nom, c.organisme = (
            data.fonction.strip(),
            data.categorie,
            data.nom.strip(),
            data.organisme.strip(),
        )
        c.tel, c.tel_secours, c.email, c.personne_id = tel, tel2, data.email.strip(), data.personne_id
        c.appele_par_id, c.notes = data.appele_par_id, data.notes.strip()
        c.roles = ",".join(x.strip().upper() for x in data.roles.split(",") if x.strip())
        s.flush()
        return c.id


def delete_contact(db: Database, contact_id: int) -> None:
    with db.unit_of_work() as s:
        c = s.get(CriseContact, contact_id)
        if c is not None:
            s.delete(c)


def save_ressource(db: Database, plan_id: int, data: RessourceData, ressource_id: int | None = None, *,
                   ecraser: bool = False) -> int:  # fmt: skip
    """Create or update a resource; ``ConflitEdition`` when someone saved it since the form's version
    (``data.version_ligne``), unless ``ecraser``."""
    errors: dict[str, str] = {}
    if not data.libelle.strip():
        errors["libelle"] = "Le libellé de la ressource est obligatoire."
    if data.type_ressource not in rules.TYPES_RESSOURCE:
        errors["type_ressource"] = f"Type de ressource inconnu « {data.type_ressource} »."
    if data.quantite is not None and data.quantite < 0:
        errors["quantite"] = "La quantité ne peut pas être négative."
    if errors:
        raise ValidationError(errors)
    with db.unit_of_work() as s:
        r = s.get(CriseRessource, ressource_id) if ressource_id else CriseRessource(plan_id=plan_id)
        if r is None:
            raise UserError("Cette ressource n'existe plus.")
        verifier_version(s, r, data.version_ligne, data.charge_le, ecraser=ecraser,
                         libelle=f"La ressource « {r.libelle} »", feminin=True)  # fmt: skip
        for k in champs(RessourceData):
            val = getattr(data, k)
            setattr(r, k, val.strip() if isinstance(val, str) else val)
        s.add(r)
        s.flush()
        return r.id


def save_message(db: Database, plan_id: int, titre: str, texte: str, destinataire: str = "", canal: str = "",
                 message_id: int | None = None, *, version_ligne: int | None = None,
                 charge_le: datetime | None = None, ecraser: bool = False) -> int:  # fmt: skip
    """Create or update a message template, checked against the version the form read unless ``ecraser``."""
    if not titre.strip():
        raise ValidationError({"titre": "Le titre du modèle de message est obligatoire."})
    with db.unit_of_work() as s:
        m = s.get(CriseMessage, message_id) if message_id else CriseMessage(plan_id=plan_id)
        if m is None:
            raise UserError("Ce modèle de message n'existe plus.")
        verifier_version(s, m, version_ligne, charge_le, ecraser=ecraser, libelle=f"Le modèle de message « {m.titre} »")
        m.titre, m.texte, m.destinataire, m.canal = (
            titre.strip(),
            texte.strip(),
            destinataire.strip(),
            canal.strip(),
        )
        s.add(m)
        s.flush()
        return m.id


def delete_ressource(db: Database, ressource_id: int) -> None:
    with db.unit_of_work() as s:
        r = s.get(CriseRessource, ressource_id)
        if r is not None:
            s.delete(r)


def delete_message(db: Database, message_id: int) -> None:
    with db.unit_of_work() as s:
        m = s.get(CriseMessage, message_id)
        if m is not None:
            s.delete(m)
