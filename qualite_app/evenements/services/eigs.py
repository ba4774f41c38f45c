"""EIGS: classify an event, fill the two parts, record when each part was sent, list the deadlines
(home page, CLI, iCalendar). The deadline arithmetic is in ``evenements.rules``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from qualite_app.errors import UserError, ValidationError
from qualite_app.evenements import rules
from qualite_app.evenements.models import DeclarationEigs, Evenement
from qualite_app.socle.versions import Edition, champs, edition_de, verifier_version
from qualite_app.storage.database import Database

PARTIE1 = ("nature_circonstances", "premieres_mesures", "information_patient")
PARTIE2 = ("prise_en_charge", "causes_immediates", "causes_profondes", "barrieres", "mesures_prises",
           "mesures_prevues", "analyse_realisee")  # fmt: skip


@dataclass
class EigsData(Edition):
    evenement_id: int
    connaissance_le: date | None = None
    nature_circonstances: str | None = None
    premieres_mesures: str | None = None
    information_patient: str | None = None
    partie1_envoyee_le: date | None = None
    prise_en_charge: str | None = None
    causes_immediates: str | None = None
    causes_profondes: str | None = None
    barrieres: str | None = None
    mesures_prises: str | None = None
    mesures_prevues: str | None = None
    analyse_realisee: str | None = None
    partie2_envoyee_le: date | None = None


def classer_eigs(
    db: Database, evenement_id: int, connaissance_le: date | None = None, *, today: date | None = None
) -> list[rules.Echeance]:
    """Mark an event as an EIGS (the declaration is created, dated from the day the establishment learnt
    of it: by default the declaration date); returns its two deadlines."""
    today = today or date.today()
    with db.unit_of_work() as s:
        ev = s.get(Evenement, evenement_id)
        if ev is None:
            raise UserError("Cet événement n'existe plus.")
        known = connaissance_le or ev.declare_le
        if known > today:
            raise ValidationError(
                {
                    "connaissance_le": f"{ev.reference} : la date de connaissance ({known:%d/%m/%Y}) est dans le futur."
                }
            )
        ev.eigs = True
        if ev.declaration_eigs is None:
            ev.declaration_eigs = DeclarationEigs(connaissance_le=known, nature_circonstances=ev.faits,
                                                  premieres_mesures=ev.mesures_immediates)  # fmt: skip
        else:
            ev.declaration_eigs.connaissance_le = known
        d = ev.declaration_eigs
        return rules.echeances_eigs(
            ev.id, ev.reference, d.connaissance_le, d.partie1_envoyee_le, d.partie2_envoyee_le, today
        )


def declasser_eigs(db: Database, evenement_id: int) -> None:
    """No longer an EIGS (a classification error): the declaration is removed, the journal keeps it."""
    with db.unit_of_work() as s:
        ev = s.get(Evenement, evenement_id)
        if ev is None:
            raise UserError("Cet événement n'existe plus.")
        if ev.declaration_eigs is not None and (
            ev.declaration_eigs.partie1_envoyee_le or ev.declaration_eigs.partie2_envoyee_le
        ):
            raise UserError(f"{ev.reference} : une partie de la déclaration d'EIGS a déjà été envoyée ; "
                            "elle ne peut plus être retirée.")  # fmt: skip
        ev.eigs = False
        ev.declaration_eigs = None


def get_eigs(db: Database, evenement_id: int) -> EigsData | None:
    with db.session() as s:
        d = s.scalar(select(DeclarationEigs).where(DeclarationEigs.evenement_id == evenement_id))
        if d is None:
            return None
        return EigsData(**{n: getattr(d, n) for n in champs(EigsData)}, **edition_de(d))


def enregistrer_eigs(db: Database, data: EigsData, *, today: date | None = None, ecraser: bool = False) -> int:
    """Save the two parts' content and sent dates (one transaction). A part cannot be marked sent
    with its content empty, nor part 2 before part 1. ``ConflitEdition`` when someone saved the declaration
    since the form opened it (``data.version_ligne``), unless ``ecraser``. Returns the event's id."""
    today = today or date.today()
    err: dict[str, str] = {}
    txt = {n: (getattr(data, n) or "").strip() or None for n in (*PARTIE1, *PARTIE2)}
    if data.connaissance_le is None:
        err["connaissance_le"] = "Date de connaissance de l'EIGS : obligatoire."
    for name, label in (("partie1_envoyee_le", "Partie 1"), ("partie2_envoyee_le", "Partie 2")):
        when = getattr(data, name)
        if when is not None and when > today:
            err[name] = f"{label} envoyée le {when:%d/%m/%Y} : date dans le futur."
    if data.partie1_envoyee_le and not txt["nature_circonstances"]:
        err["nature_circonstances"] = (
            "Partie 1 : la nature et les circonstances sont à décrire avant l'envoi."
        )
    if data.partie2_envoyee_le:
        if not data.partie1_envoyee_le:
            err["partie2_envoyee_le"] = "Partie 2 : la partie 1 doit avoir été envoyée avant."
        elif data.partie2_envoyee_le < data.partie1_envoyee_le:
            err["partie2_envoyee_le"] = "Partie 2 : envoyée avant la partie 1 ?"
        if not (txt["causes_immediates"] or txt["causes_profondes"]):
            err["causes_profondes"] = (
                "Partie 2 : les causes (immédiates ou profondes) sont à décrire avant l'envoi."
            )
    if err:
        raise ValidationError(err)
    with db.unit_of_work() as s:
        ev = s.get(Evenement, data.evenement_id)
        if ev is None:
            raise UserError("Cet événement n'existe plus.")
        d = ev.declaration_eigs
        if d is not None:
            verifier_version(s, d, data.version_ligne, data.charge_le, ecraser=ecraser,
                             libelle=f"La déclaration d'EIGS de {ev.reference}", feminin=True)  # fmt: skip
        if d is None:
            ev.eigs = True
            d = ev.declaration_eigs = DeclarationEigs(connaissance_le=data.connaissance_le)
        d.connaissance_le = data.connaissance_le  # type: ignore[assignment]
        for name, value in txt.items():
            setattr(d, name, value)
        d.partie1_envoyee_le = data.partie1_envoyee_le
        d.partie2_envoyee_le = data.partie2_envoyee_le
        return ev.id


def echeances_query() -> Any:
    """The EIGS declarations' dates (``rules.echeances_lignes`` reads them): one query."""
    d = DeclarationEigs
    return (
        select(
            Evenement.id, Evenement.reference, d.connaissance_le, d.partie1_envoyee_le, d.partie2_envoyee_le
        )
        .select_from(d)
        .join(Evenement, d.evenement_id == Evenement.id)
        .where(Evenement.eigs.is_(True))
    )


def echeances(db: Database, *, today: date | None = None, a_envoyer: bool = True) -> list[rules.Echeance]:
    """Every EIGS part's deadline, overdue first; by default only the parts still to send."""
    today = today or date.today()
    with db.session() as s:
        return rules.echeances_lignes([tuple(r) for r in s.execute(echeances_query())], today, a_envoyer)


def exporter_ical(db: Database, out: Path, *, today: date | None = None) -> int:
    """The EIGS parts still to send as an iCalendar file (one all-day event each); returns how many."""
    from qualite_app.exchange.ical import Deadline, write_ics

    rows = echeances(db, today=today)
    deadlines = [
        Deadline(f"eigs-{e.evenement_id}-p{e.partie}@qualite", e.echeance, e.libelle,
                 f"Partie {e.partie} de la déclaration de l'EIGS {e.reference} à transmettre sur le portail "
                 f"de signalement au plus tard le {e.echeance:%d/%m/%Y}.", "EIGS")
        for e in rows
    ]  # fmt: skip
    write_ics(deadlines, out, calendrier="Échéances EIGS")
    return len(deadlines)
