"""Cause analyses linked to events: method, participants, chronology, care deviations, contributing
factors by family, synthesis; each decided action becomes a PAQSS action in one click (one transaction),
linked to the analysis. CREX sessions: the events triaged and the one analysed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualite_app.errors import UserError, ValidationError
from qualite_app.evenements import rules
from qualite_app.evenements.models import (
    TYPE_ANALYSE,
    Analyse,
    AnalyseEtape,
    AnalyseEvenement,
    AnalyseFacteur,
    CrexEvenement,
    CrexSeance,
    Evenement,
)
from qualite_app.paqss import services as paqss
from qualite_app.socle.versions import Edition, edition_de, verifier_version
from qualite_app.storage.database import Database


@dataclass
class EtapeData:
    moment: str
    description: str
    ecart: str | None = None


@dataclass
class FacteurData:
    famille: str
    description: str


@dataclass
class AnalyseData(Edition):
    methode: str = "alarm"
    le: date | None = None
    evenement_ids: list[int] = field(default_factory=list)
    participants: str | None = None
    ecarts: str | None = None
    synthese: str | None = None
    sept_m: bool = False
    etapes: list[EtapeData] = field(default_factory=list)
    facteurs: list[FacteurData] = field(default_factory=list)
    crex_seance_id: int | None = None
    id: int | None = None
    reference: str = ""


@dataclass(frozen=True)
class AnalyseRow:
    id: int
    reference: str
    methode: str
    le: date
    evenements: list[str]
    nb_facteurs: int


def _validate(data: AnalyseData, today: date) -> None:
    err: dict[str, str] = {}
    if data.methode not in rules.METHODES:
        err["methode"] = f"Méthode : « {data.methode} » inconnue ({', '.join(rules.METHODES.values())})."
    if data.le is None:
        err["le"] = "Date de l'analyse : obligatoire."
    elif data.le > today:
        err["le"] = f"Date de l'analyse : le {data.le:%d/%m/%Y} est dans le futur."
    if not data.evenement_ids:
        err["evenement_ids"] = "Événements analysés : au moins un."
    allowed = rules.familles(data.methode, data.sept_m)
    for i, f in enumerate(data.facteurs, start=1):
        if f.famille not in allowed:
            err[f"facteurs.{i}"] = (
                f"Facteur {i} : la famille « {rules.famille_label(f.famille)} » n'appartient pas à la méthode "
                f"{rules.methode_label(data.methode)} ({', '.join(allowed.values())})."
            )
        elif not f.description.strip():
            err[f"facteurs.{i}"] = f"Facteur {i} : description vide."
    for i, e in enumerate(data.etapes, start=1):
        if not e.description.strip():
            err[f"etapes.{i}"] = f"Chronologie, étape {i} : description vide."
    if err:
        raise ValidationError(err)


def _next_reference(s: Session, year: int) -> str:
    prefix = f"AN-{year}-"
    n = s.scalar(select(func.count()).where(Analyse.reference.like(prefix + "%"))) or 0
    return f"{prefix}{n + 1:03d}"


def apply_analyse(s: Session, data: AnalyseData, today: date, *, ecraser: bool = False) -> Analyse:
    """Write ``data`` (validated here) into a new or existing analysis of session ``s``; the events move
    to « en analyse » when they were only declared. ``ConflitEdition`` when someone saved the analysis since
    the form opened it (``data.version_ligne``), unless ``ecraser``."""
    _validate(data, today)
    assert data.le is not None
    if data.id is not None:
        a = s.get(Analyse, data.id)
        if a is None:
            raise UserError("Cette analyse n'existe plus.")
        verifier_version(s, a, data.version_ligne, data.charge_le, ecraser=ecraser,
                         libelle=f"L'analyse {a.reference}", feminin=True)  # fmt: skip
    else:
        a = Analyse(reference=_next_reference(s, data.le.year))
        s.add(a)
    a.methode, a.le, a.sept_m, a.crex_seance_id = data.methode, data.le, data.sept_m, data.crex_seance_id
    a.participants = (data.participants or "").strip() or None
    a.ecarts = (data.ecarts or "").strip() or None
    a.synthese = (data.synthese or "").strip() or None
    wanted = list(dict.fromkeys(data.evenement_ids))
    evs = {e.id: e for e in s.scalars(select(Evenement).where(Evenement.id.in_(wanted)))}
    missing = [i for i in wanted if i not in evs]
    if missing:
        raise UserError("Un des événements analysés n'existe plus.")
    a.evenements = [x for x in a.evenements if x.evenement_id in evs]
    have = {x.evenement_id for x in a.evenements}
    a.evenements += [AnalyseEvenement(evenement_id=i) for i in wanted if i not in have]
    for e in evs.values():
        if e.statut == rules.DECLARE:
            e.statut = rules.EN_ANALYSE
    a.etapes = [AnalyseEtape(ordre=i, moment=x.moment.strip(), description=x.description.strip(),
                             ecart=(x.ecart or "").strip() or None) for i, x in enumerate(data.etapes)]  # fmt: skip
    a.facteurs = [AnalyseFacteur(famille=x.famille, description=x.description.strip()) for x in data.facteurs]
    return a


def enregistrer_analyse(db: Database, data: AnalyseData, *, today: date | None = None, ecraser: bool = False) -> int:
    with db.unit_of_work() as s:
        a = apply_analyse(s, data, today or date.today(), ecraser=ecraser)
        s.flush()
        return a.id


def get_analyse(db: Database, analyse_id: int) -> AnalyseData:
    with db.session() as s:
        a = s.get(Analyse, analyse_id)
        if a is None:
            raise UserError("Cette analyse n'existe plus.")
        return AnalyseData(
            a.methode, a.le, [x.evenement_id for x in a.evenements], a.participants, a.ecarts, a.synthese, a.sept_m,
            [EtapeData(x.moment, x.description, x.ecart) for x in a.etapes],
            [FacteurData(x.famille, x.description) for x in a.facteurs], a.crex_seance_id, a.id, a.reference,
            **edition_de(a),
        )  # fmt: skip


def list_analyses(db: Database, evenement_id: int | None = None) -> list[AnalyseRow]:
    with db.session() as s:
        q = select(Analyse).order_by(Analyse.le.desc(), Analyse.id.desc())
        if evenement_id is not None:
            q = q.where(
                Analyse.id.in_(
                    select(AnalyseEvenement.analyse_id).where(AnalyseEvenement.evenement_id == evenement_id)
                )
            )
        return [
            AnalyseRow(
                a.id,
                a.reference,
                a.methode,
                a.le,
                sorted(x.evenement.reference for x in a.evenements),
                len(a.facteurs),
            )  # fmt: skip
            for a in s.scalars(q)
        ]


def decider_action(
    db: Database,
    analyse_id: int,
    titre: str,
    *,
    echeance: date | None = None,
    pilote_id: int | None = None,
    today: date | None = None,
) -> int:
    """One click: the decided action becomes a PAQSS action (source « ei », linked to the analysis), and
    the analysed events move to « actions décidées » — all in one transaction. Returns the action's id."""
    with db.unit_of_work() as s:
        a = s.get(Analyse, analyse_id)
        if a is None:
            raise UserError("Cette analyse n'existe plus.")
        refs = ", ".join(sorted(x.evenement.reference for x in a.evenements))
        action = paqss.action_depuis(
            s, TYPE_ANALYSE, a.id, titre, "ei", source_detail=f"Analyse {a.reference} ({rules.methode_label(a.methode)}) — {refs}"[:300],
            echeance=echeance, pilote_id=pilote_id, today=today,
        )  # fmt: skip
        for x in a.evenements:
            if x.evenement.statut in (rules.DECLARE, rules.EN_ANALYSE):
                x.evenement.statut = rules.ACTIONS_DECIDEES
        return action.id


def rattacher_evenement(db: Database, analyse_id: int, evenement_id: int) -> None:
    """One more event analysed by an analysis (one transaction); it moves to « en analyse » when it was only
    declared. Refused when it is already part of it."""
    with db.unit_of_work() as s:
        a, e = s.get(Analyse, analyse_id), s.get(Evenement, evenement_id)
        if a is None or e is None:
            raise UserError("Cette analyse ou cet événement n'existe plus.")
        if any(x.evenement_id == evenement_id for x in a.evenements):
            raise UserError(f"L'événement {e.reference} fait déjà partie de l'analyse {a.reference}.")
        a.evenements.append(AnalyseEvenement(evenement_id=evenement_id))
        if e.statut == rules.DECLARE:
            e.statut = rules.EN_ANALYSE


def detacher_evenement(db: Database, analyse_id: int, evenement_id: int) -> None:
    """An event taken out of an analysis (one transaction); an analysis keeps at least one event."""
    with db.unit_of_work() as s:
        a = s.get(Analyse, analyse_id)
        lien = next((x for x in a.evenements if x.evenement_id == evenement_id), None) if a is not None else None
        if a is None or lien is None:
            raise UserError("Ce lien entre l'analyse et l'événement n'existe plus.")
        if len(a.evenements) == 1:
            raise UserError(
                f"L'analyse {a.reference} porte sur ce seul événement : une analyse garde au moins un événement "
                "(supprimez l'analyse ou ajoutez-lui d'abord un autre événement)."
            )
        a.evenements.remove(lien)


def actions_de_l_analyse(db: Database, analyse_id: int) -> list[paqss.ActionLiee]:
    return paqss.actions_depuis(db, TYPE_ANALYSE, analyse_id)


def actions_de_l_evenement(db: Database, evenement_id: int) -> list[paqss.ActionLiee]:
    """The PAQSS actions of an event: its own and those of the analyses it was part of."""
    out = {a.id: a for a in paqss.actions_depuis(db, "evenement", evenement_id)}
    for row in list_analyses(db, evenement_id):
        out.update({a.id: a for a in paqss.actions_depuis(db, TYPE_ANALYSE, row.id)})
    return sorted(out.values(), key=lambda a: a.reference)


# --- CREX sessions --------------------------------------------------------------------------------
@dataclass(frozen=True)
class SeanceRow:
    id: int
    le: date
    intitule: str
    tries: list[str]
    retenus: list[str]
    analyse: str | None


def enregistrer_seance(db: Database, le: date, intitule: str, evenement_ids: list[int], retenu_id: int | None = None,
                       compte_rendu: str | None = None) -> int:  # fmt: skip
    """A CREX session with its triaged events (``retenu_id``: the one chosen for analysis)."""
    if retenu_id is not None and retenu_id not in evenement_ids:
        raise ValidationError(
            {"retenu": "L'événement retenu pour analyse doit faire partie des événements triés."}
        )
    with db.unit_of_work() as s:
        seance = CrexSeance(
            le=le, intitule=intitule.strip() or f"CREX du {le:%d/%m/%Y}", compte_rendu=compte_rendu
        )
        s.add(seance)
        s.flush()
        for i in dict.fromkeys(evenement_ids):
            s.add(CrexEvenement(seance_id=seance.id, evenement_id=i, retenu=i == retenu_id))
        return seance.id


def seances(db: Database) -> list[SeanceRow]:
    with db.session() as s:
        out = []
        for se in s.scalars(select(CrexSeance).order_by(CrexSeance.le.desc())):
            rows = s.execute(
                select(Evenement.reference, CrexEvenement.retenu)
                .join(CrexEvenement, CrexEvenement.evenement_id == Evenement.id)
                .where(CrexEvenement.seance_id == se.id)
                .order_by(Evenement.reference)
            ).all()
            an = s.scalar(select(Analyse.reference).where(Analyse.crex_seance_id == se.id).limit(1))
            out.append(
                SeanceRow(se.id, se.le, se.intitule, [r for r, _ in rows], [r for r, k in rows if k], an)
            )
        return out
