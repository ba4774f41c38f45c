"""One action: read, validate (every field at once, status rules), save with its milestones and team,
the editor's single-transaction save, delete, bulk changes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.orm import Session, joinedload

from qualite_app.errors import ConfirmationRequise, UserError, ValidationError
from qualite_app.etablissement.models import Personne, Service
from qualite_app.paqss import rules
from qualite_app.paqss.models import (
    PaqssAction,
    PaqssActionCopilote,
    PaqssActionService,
    PaqssCommentaire,
    PaqssJalon,
    PaqssObjectif,
)
from qualite_app.paqss.services.equipe import sync_team
from qualite_app.paqss.services.numeros import debut_de_creation, next_reference
from qualite_app.paqss.services.preuves import ACTION_TYPE, NATURE_PREUVE, check_preuve
from qualite_app.rules.text import fold
from qualite_app.socle.versions import verifier_version
from qualite_app.storage.base import utcnow
from qualite_app.storage.database import Database
from qualite_app.storage.tables import Lien


class ConfirmationNecessaire(ConfirmationRequise):
    """The change needs the user's confirmation (e.g. réalisée with open milestones); retry with ``confirme=True``."""


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
    #: the version the user opened (optimistic locking) and when (UTC): what others saved since is shown
    version: int | None = None
    charge_le: datetime | None = None
    #: the action as it was read (``get_action``), untouched by the form: a save of that same version writes
    #: straight over it, without reading it again (``directe``); None: read again in the save's transaction
    lu: ActionData | None = field(default=None, repr=False, compare=False)


ACTION_FIELDS = (
    "objectif_id", "titre", "reference", "description", "source", "source_detail", "priorite", "pilote_id",
    "copilote_id", "service_id", "date_debut", "echeance", "echeance_revisee", "statut", "motif_statut",
    "avancement", "resultat_attendu", "indicateur", "indicateur_initial", "indicateur_cible",
    "validation_cme_le", "realisee_le",
)  # fmt: skip


#: an action with all it holds, in one query: its milestones and its team joined to the action's row (a
#: handful of rows each; a second query for the milestones cost a trip to the server and a third of the
#: processor time of opening or saving an action)
_WHOLE = [joinedload(PaqssAction.jalons), joinedload(PaqssAction.autres_copilotes), joinedload(PaqssAction.autres_services)]


def _lecture() -> Any:
    """An action with its milestones and its team in one query of plain columns (no ORM object built: a form
    reads an action to show it, nothing is written through it), milestones in their order (by date, then id)."""
    a, j = PaqssAction.__table__, PaqssJalon.__table__  # type: ignore[attr-defined]
    c, x = PaqssActionCopilote.__table__, PaqssActionService.__table__  # type: ignore[attr-defined]
    return (
        select(
            *(a.c[n] for n in ("id", "version", *ACTION_FIELDS)),
            *(j.c[n].label(f"jalon_{n}") for n in ("id", "libelle", "echeance", "fait", "fait_le")),
            c.c.personne_id.label("copilote_en_plus"),
            x.c.service_id.label("service_en_plus"),
        )
        .select_from(
            a.outerjoin(j, j.c.action_id == a.c.id)
            .outerjoin(c, c.c.action_id == a.c.id)
            .outerjoin(x, x.c.action_id == a.c.id)
        )
        .where(a.c.id == bindparam("aid"))
        .order_by(j.c.echeance, j.c.id)
    )


_LECTURE = _lecture()


def get_action(db: Database, action_id: int) -> ActionData:
    # one statement sees one state of the base: no transaction to open and close around it (two trips to the
    # server fewer on PostgreSQL)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        rows = conn.execute(_LECTURE, {"aid": action_id}).all()
    if not rows:
        raise UserError("Cette action n'existe plus.")
    return data_lue([r._mapping for r in rows])


def data_lue(rows: Sequence[Any]) -> ActionData:
    """An action as ``_LECTURE`` read it (rows: its columns, each milestone × extra co-pilot × extra service)."""
    first = rows[0]
    d = ActionData(**{n: first[n] for n in ACTION_FIELDS}, id=first["id"], version=first["version"], charge_le=utcnow())
    jalons: dict[int, JalonData] = {}
    copilotes: set[int] = set()
    services: set[int] = set()
    for m in rows:  # milestones × extra co-pilots × extra services: each one met once or more
        if m["jalon_id"] is not None and m["jalon_id"] not in jalons:
            jalons[m["jalon_id"]] = JalonData(
                m["jalon_libelle"], m["jalon_echeance"], bool(m["jalon_fait"]), m["jalon_fait_le"], m["jalon_id"]
            )
        if m["copilote_en_plus"] is not None:
            copilotes.add(m["copilote_en_plus"])
        if m["service_en_plus"] is not None:
            services.add(m["service_en_plus"])
    d.jalons, d.autres_copilotes, d.autres_services = list(jalons.values()), sorted(copilotes), sorted(services)
    d.lu = replace(d, jalons=[replace(j) for j in d.jalons], autres_copilotes=[*d.autres_copilotes],
                   autres_services=[*d.autres_services])  # fmt: skip
    return d


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


def validate_action(s: Session, d: ActionData, *, confirme: bool, today: date, current: Any = None) -> ActionData:
    """Check every field at once (messages beside each field) and apply the status rules. ``current``: the
    action as stored (the object, or the ``ActionData`` read), when it is an update: what it already holds (objective, reference, pilots) is known
    to exist and is not looked up again."""
    errors: dict[str, str] = {}
    same = current is not None and current.id == d.id
    titre = (d.titre or "").strip()
    if not titre:
        errors["titre"] = "L'intitulé de l'action est obligatoire."
    elif len(titre) > 300:
        errors["titre"] = (
            "L'intitulé ne doit pas dépasser 300 caractères (mettez le détail dans la description)."
        )
    if d.objectif_id is None or (
        not (same and current.objectif_id == d.objectif_id) and s.get(PaqssObjectif, d.objectif_id) is None  # type: ignore[union-attr]
    ):
        errors["objectif_id"] = "Choisissez l'objectif (axe › objectif) auquel l'action se rattache."
    ref = (d.reference or "").strip()
    if ref and not (same and current.reference == ref):  # type: ignore[union-attr]
        other = s.scalar(select(PaqssAction.id).where(PaqssAction.reference == ref))
        if other is not None and other != d.id:
            errors["reference"] = f"La référence « {ref} » est déjà utilisée par une autre action."
    if d.source not in rules.SOURCES:
        errors["source"] = f"Source inconnue : « {d.source} »."
    if d.priorite not in rules.PRIORITES:
        errors["priorite"] = "La priorité est 1 (haute), 2 (moyenne) ou 3 (basse)."
    for key, pid in (("pilote_id", d.pilote_id), ("copilote_id", d.copilote_id)):
        if same and pid is not None and pid in (current.pilote_id, current.copilote_id):  # type: ignore[union-attr]
            continue
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
    out = ActionData(**{n: getattr(d, n) for n in ACTION_FIELDS}, id=d.id, jalons=d.jalons, version=d.version, charge_le=d.charge_le)
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


def _apply(s: Session, d: ActionData, *, confirme: bool, today: date, ecraser: bool = False) -> PaqssAction:
    stored = None
    if d.id is not None:
        stored = s.get(PaqssAction, d.id, options=_WHOLE)
        if stored is None:
            raise UserError("Cette action a été supprimée entre-temps.")
    objectif, annee, top = None, None, None
    if stored is None and d.objectif_id is not None:  # a creation: its objective and the year it numbers in
        objectif, annee, top, _ = debut_de_creation(s, d.objectif_id, today)
    clean = validate_action(s, d, confirme=confirme, today=today, current=stored)
    if stored is not None:
        a = stored
        verifier_version(s, a, clean.version, clean.charge_le, ecraser=ecraser, libelle=f"L'action {a.reference}", feminin=True)
    else:
        assert clean.objectif_id is not None
        # not in the session yet: its number is chosen last (below), the reference lock held a short while
        a = PaqssAction(objectif_id=clean.objectif_id)
    if not clean.reference and a.reference:
        clean.reference = a.reference
    for name in ACTION_FIELDS:
        if (name != "reference" or clean.reference) and getattr(a, name) != getattr(clean, name):
            setattr(a, name, getattr(clean, name))
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
    if a.reference is None:  # a new action numbered by the application: the last step before the flush
        assert clean.objectif_id is not None
        a.reference = clean.reference = next_reference(s, clean.objectif_id, today, annee, top)
    a.cle_recherche = search_key(a)
    if stored is None:
        a.objectif = objectif  # type: ignore[assignment]  # held: the journal names it without reading it again
        s.add(a)
    return a


def save_action(
    db: Database, data: ActionData, *, confirme: bool = False, today: date | None = None, ecraser: bool = False
) -> int:
    """Create or update an action with its milestones in one transaction (journaled). Refused with
    ``ConflitEdition`` when someone saved it since ``data.version``, unless ``ecraser`` (the user's choice)."""
    from qualite_app.paqss.services.directe import enregistrer_directement

    with db.unit_of_work() as s:
        today = today or date.today()
        aid = enregistrer_directement(s, data, confirme=confirme, today=today, ecraser=ecraser)
        if aid is None:  # milestones or team changed, a version conflict…: the unit of work's path
            a = _apply(s, data, confirme=confirme, today=today, ecraser=ecraser)
            s.flush()
            aid = a.id
        return aid


def enregistrer_action(
    db: Database,
    data: ActionData,
    commentaires: Sequence[str] = (),
    fichiers: Sequence[tuple[str, bytes]] = (),
    *,
    confirme: bool = False,
    today: date | None = None,
    auteur: str | None = None,
    ecraser: bool = False,
) -> int:
    """The editor's *Enregistrer*: the action, its milestones, its new comments and evidence files in ONE
    transaction. A refused file (or comment) refuses the whole save: nothing is written, no action is created."""
    from qualite_app.socle import blobs
    from qualite_app.socle import liens as links

    for name, content in fichiers:
        check_preuve(name, content)
    textes = [t.strip() for t in commentaires if t.strip()]
    if not textes and not fichiers:  # the action alone: the same save as the services'
        return save_action(db, data, confirme=confirme, today=today, ecraser=ecraser)
    with db.unit_of_work() as s:
        a = _apply(s, data, confirme=confirme, today=today or date.today(), ecraser=ecraser)
        s.flush()
        for texte in textes:
            s.add(PaqssCommentaire(action=a, texte=texte, auteur=auteur or str(db.actor)))
        for name, content in fichiers:
            blob = blobs.put(s, content, name)
            links.link(s, ACTION_TYPE, a.id, "blob", blob.id, NATURE_PREUVE)
        s.flush()
        return a.id


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
    a = s.get(PaqssAction, action_id, options=_WHOLE)
    if a is None:
        raise UserError("Une des actions sélectionnées n'existe plus ; rien n'a été modifié.")
    return _data_of(a)


def reappliquer(ouverte: ActionData, mienne: ActionData, actuelle: ActionData) -> ActionData:
    """The user's changes (what differs between the action as opened and as typed) applied over the action
    as it is now: a colleague's changes to other fields are kept, the user's win where both changed."""
    from qualite_app.socle import versions

    return versions.reappliquer(ouverte, mienne, actuelle)  # type: ignore[no-any-return]


def _data_of(a: PaqssAction) -> ActionData:
    d = ActionData(**{n: getattr(a, n) for n in ACTION_FIELDS}, id=a.id, version=a.version, charge_le=utcnow())
    d.jalons = [JalonData(j.libelle, j.echeance, j.fait, j.fait_le, j.id) for j in a.jalons]
    d.autres_copilotes = sorted(c.personne_id for c in a.autres_copilotes)
    d.autres_services = sorted(x.service_id for x in a.autres_services)
    return d
