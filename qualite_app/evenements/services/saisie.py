"""Declaring and correcting one event: validation (French messages naming the field), the one-transaction
save, the status workflow. A changed severity or type is journaled (old → new) by the session itself."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualite_app.errors import UserError, ValidationError
from qualite_app.etablissement.models import Etablissement, Service
from qualite_app.evenements import catalogue, rules
from qualite_app.evenements.models import Evenement
from qualite_app.rules.text import fold
from qualite_app.socle.versions import Edition, champs, edition_de, verifier_version
from qualite_app.storage.database import Database

PREFIXE = "EI"


@dataclass
class EvenementData(Edition):
    survenu_le: datetime | None = None
    declare_le: date | None = None
    service_id: int | None = None
    lieu: str | None = None
    type_code: str = ""
    sous_type_code: str | None = None
    faits: str = ""
    mesures_immediates: str | None = None
    consequences: str | None = None
    gravite: str | None = None
    informe: bool | None = None
    declarant_role: str | None = None
    statut: str = rules.DECLARE
    reference: str | None = None  # given by an import; else numbered at creation
    source_import: str | None = None
    id: int | None = None


def pays(s: Session) -> str:
    """The establishment's country (its scale and lists): "FR" until an establishment says otherwise."""
    return s.scalar(select(Etablissement.pays).order_by(Etablissement.id).limit(1)) or "FR"


def pays_etablissement(db: Database) -> str:
    with db.session() as s:
        return pays(s)


def search_key(e: Evenement | EvenementData, service: str | None = None) -> str:
    parts = [e.reference, e.lieu, e.faits, e.consequences, e.mesures_immediates, e.declarant_role, service]
    return fold(" ".join(p for p in parts if p))


def validate(data: EvenementData, country: str, today: date, where: str = "") -> EvenementData:
    """A clean copy of ``data`` or ``ValidationError`` (each message names the field; ``where`` names the row)."""
    err: dict[str, str] = {}
    out = EvenementData(**{f.name: getattr(data, f.name) for f in fields(EvenementData)})
    for name in (
        "lieu",
        "sous_type_code",
        "mesures_immediates",
        "consequences",
        "declarant_role",
        "reference",
        "gravite",
    ):
        setattr(out, name, (getattr(data, name) or "").strip() or None)
    out.faits = (data.faits or "").strip()
    if data.survenu_le is None:
        err["survenu_le"] = f"{where}Date de survenue : obligatoire (jj/mm/aaaa hh:mm)."
    elif data.survenu_le.date() > today:
        err["survenu_le"] = f"{where}Date de survenue : le {data.survenu_le:%d/%m/%Y} est dans le futur."
    out.declare_le = data.declare_le or today
    if data.survenu_le is not None and out.declare_le < data.survenu_le.date():
        err["declare_le"] = f"{where}Date de déclaration : le {out.declare_le:%d/%m/%Y} précède la survenue."
    types = {t.code: t for t in catalogue.types(country)}
    if not data.type_code:
        err["type_code"] = f"{where}Type : obligatoire."
    elif data.type_code not in types:
        err["type_code"] = f"{where}Type : « {data.type_code} » n'est pas dans la liste ({', '.join(types)})."
    elif out.sous_type_code and out.sous_type_code not in types[data.type_code].sous_types:
        err["sous_type_code"] = (
            f"{where}Sous-type : « {out.sous_type_code} » n'existe pas pour le type « {types[data.type_code].libelle} »."
        )
    if not out.faits:
        err["faits"] = (
            f"{where}Description des faits : obligatoire (sans nom ni élément identifiant le patient)."
        )
    ech = catalogue.echelle(country)
    if out.gravite is not None:
        niveau = ech.niveau(out.gravite)
        if niveau is None:
            err["gravite"] = (
                f"{where}Gravité : « {out.gravite} » n'est pas sur l'échelle {ech.nom} ({', '.join(ech.codes())})."
            )
        else:
            out.gravite = niveau.code
    if data.statut not in rules.STATUTS:
        err["statut"] = f"{where}Statut inconnu : « {data.statut} »."
    if err:
        raise ValidationError(err)
    return out


def next_reference(s: Session, year: int) -> str:
    prefix = f"{PREFIXE}-{year}-"
    last = s.scalar(
        select(Evenement.reference)
        .where(Evenement.reference.like(prefix + "%"))
        .order_by(Evenement.reference.desc())
        .limit(1)
    )
    n = int(last.rsplit("-", 1)[1]) + 1 if last and last.rsplit("-", 1)[1].isdigit() else 1
    return rules.reference(PREFIXE, year, n)


def apply(s: Session, data: EvenementData, country: str, *, ecraser: bool = False) -> Evenement:
    """Write validated ``data`` into a new or existing event of session ``s`` (``ConflitEdition`` when someone
    saved it since ``data.version_ligne``, unless ``ecraser``)."""
    if data.id is not None:
        ev = s.get(Evenement, data.id)
        if ev is None:
            raise UserError("Cet événement n'existe plus (supprimé entre-temps).")
        verifier_version(s, ev, data.version_ligne, data.charge_le, ecraser=ecraser, libelle=f"L'événement {ev.reference}")
        if data.statut != ev.statut and not rules.transition_permise(ev.statut, data.statut):
            raise ValidationError({"statut": f"Statut : passage de « {rules.statut_label(ev.statut)} » à "
                                             f"« {rules.statut_label(data.statut)} » impossible."})  # fmt: skip
    else:
        ev = Evenement(echelle=country)
    assert data.declare_le is not None
    with s.no_autoflush:
        ev.reference = data.reference or ev.reference or next_reference(s, data.declare_le.year)
    for name in ("survenu_le", "declare_le", "service_id", "lieu", "type_code", "sous_type_code", "faits",
                 "mesures_immediates", "consequences", "gravite", "informe", "declarant_role", "statut", "source_import"):  # fmt: skip
        if name == "source_import" and data.source_import is None:
            continue
        setattr(ev, name, getattr(data, name))
    ev.gravite_rang = catalogue.echelle(ev.echelle).rang(ev.gravite)
    with s.no_autoflush:
        service = s.get(Service, ev.service_id) if ev.service_id else None
    ev.cle_recherche = search_key(ev, service.nom if service else None)
    s.add(ev)
    return ev


def enregistrer_evenement(db: Database, data: EvenementData, *, today: date | None = None, ecraser: bool = False) -> int:
    """Declare (no id) or correct (id) an event, in one transaction; returns its id."""
    with db.unit_of_work() as s:
        country = pays(s)
        if data.id is not None:
            ev = s.get(Evenement, data.id)
            if ev is not None:
                country = ev.echelle
        clean = validate(data, country, today or date.today())
        ev = apply(s, clean, country, ecraser=ecraser)
        s.flush()
        return ev.id


def get_evenement(db: Database, evenement_id: int) -> EvenementData:
    with db.session() as s:
        ev = s.get(Evenement, evenement_id)
        if ev is None:
            raise UserError("Cet événement n'existe plus.")
        return EvenementData(**{n: getattr(ev, n) for n in champs(EvenementData)}, **edition_de(ev))


def changer_statut(db: Database, evenement_id: int, statut: str) -> None:
    with db.unit_of_work() as s:
        ev = s.get(Evenement, evenement_id)
        if ev is None:
            raise UserError("Cet événement n'existe plus.")
        if not rules.transition_permise(ev.statut, statut):
            raise ValidationError({"statut": f"{ev.reference} : passage de « {rules.statut_label(ev.statut)} » à "
                                             f"« {rules.statut_label(statut)} » impossible."})  # fmt: skip
        ev.statut = statut


def supprimer_evenement(db: Database, evenement_id: int) -> None:
    with db.unit_of_work() as s:
        ev = s.get(Evenement, evenement_id)
        if ev is not None:
            s.delete(ev)


def corrections(db: Database, evenement_id: int) -> list[tuple[datetime, str, str, str, str]]:
    """The event's corrections read back from the journal, newest first: (when, who, field, before, after) —
    a changed severity or classification keeps its old value there and is shown with the event."""
    from qualite_app.socle import journal

    rows = journal.list_entries(db, item=("evenement", evenement_id), limite=200)
    return [(r.horodatage, r.utilisateur, f"{r.entite_type} — {r.champ}" if r.entite_type != Evenement.__audit_type__ else r.champ,
             r.ancienne_valeur, r.nouvelle_valeur) for r in rows if r.action == "modification"]  # fmt: skip
