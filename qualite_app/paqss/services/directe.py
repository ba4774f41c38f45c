"""An action's save that changes the action's own row only, written without the ORM's unit of work
(``storage.directe``): a creation without milestones nor extra team, or a change whose milestones and extra
team are those stored — the saves a team makes by the hundred (issue 13). The same validation, status rules,
numbering, optimistic version, journal lines, search index and ChangeSet as ``actions._apply``; anything
else (milestones or team changed, a version conflict to explain, an action gone) returns None and the caller
takes ``_apply`` in the same transaction."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from sqlalchemy.orm import Session

from qualite_app.paqss.models import PaqssAction
from qualite_app.paqss.services.actions import (
    _LECTURE,
    ACTION_FIELDS,
    ActionData,
    data_lue,
    search_key,
    validate_action,
)
from qualite_app.paqss.services.numeros import debut_de_creation, next_reference
from qualite_app.socle.versions import conflit
from qualite_app.storage import directe


def _meme_equipe(d: ActionData, stored: ActionData) -> bool:
    """The extra co-pilots and services as ``validate_action`` keeps them are those stored."""
    tandem = {d.pilote_id, d.copilote_id}
    copilotes = sorted({p for p in d.autres_copilotes if p not in tandem})
    services = sorted({x for x in d.autres_services if x != d.service_id})
    return copilotes == stored.autres_copilotes and services == stored.autres_services


def _memes_jalons(d: ActionData, stored: ActionData, today: date) -> bool:
    """Every milestone is a stored one, each holding what ``_apply`` would write: none added, removed or changed."""
    have = {j.id: (j.libelle, j.echeance, bool(j.fait), j.fait_le) for j in stored.jalons}
    seen = set()
    for j in d.jalons:
        if j.id is None or j.id in seen or j.id not in have:
            return False
        seen.add(j.id)
        if have[j.id] != (
            (j.libelle or "").strip(),
            j.echeance,
            bool(j.fait),
            (j.fait_le or today) if j.fait else None,
        ):
            return False
    return len(seen) == len(have)


def enregistrer_directement(
    s: Session, d: ActionData, *, confirme: bool, today: date, ecraser: bool
) -> int | None:
    """Save ``d`` when only the action's row changes (its id), else None (nothing written: ``_apply`` saves it).
    Refused as ``_apply`` refuses: ``ValidationError``, ``ConfirmationNecessaire``, ``ConflitEdition``."""
    if d.id is None:
        if d.jalons or d.autres_copilotes or d.autres_services or d.objectif_id is None:
            return None
        objectif, annee, top, ident = debut_de_creation(s, d.objectif_id, today, reserver_id=True)
        clean = validate_action(s, d, confirme=confirme, today=today)
        values = {n: getattr(clean, n) for n in ACTION_FIELDS}
        if not values["reference"]:
            values["reference"] = next_reference(s, d.objectif_id, today, annee, top)
        values["cle_recherche"] = search_key(SimpleNamespace(**values))
        return directe.inserer(s, PaqssAction, values, ident)
    lu = d.lu
    # the form's action as it was read, at the version it still has unless someone saved since: written over
    # without reading it again; no row matched (saved meanwhile, or refused by the server): read below
    if (
        lu is not None
        and lu.id == d.id
        and lu.version is not None
        and lu.version == d.version
        and _modifier(s, d, lu, confirme=confirme, today=today, ou_rien=True)
    ):
        return d.id
    rows = directe.lire(s, _LECTURE, {"aid": d.id})
    if not rows:
        return None  # gone: ``_apply`` says so
    stored = data_lue(rows)
    if d.version is not None and d.version != stored.version and not ecraser:
        # saved by someone else since it was opened: refused, with what they changed (a field's error first)
        validate_action(s, d, confirme=confirme, today=today, current=stored)
        raise conflit(
            s,
            PaqssAction.__tablename__,
            d.id,
            d.charge_le,
            libelle=f"L'action {stored.reference}",
            feminin=True,
        )
    return d.id if _modifier(s, d, stored, confirme=confirme, today=today) else None


def _modifier(
    s: Session, d: ActionData, stored: ActionData, *, confirme: bool, today: date, ou_rien: bool = False
) -> bool:
    """Write ``d`` over ``stored`` (the action as read, at ``stored.version``) when only the action's row
    changes; False when its milestones or team changed (nothing written), or, with ``ou_rien``, when the row is
    no longer at that version."""
    assert d.id is not None
    if not _meme_equipe(d, stored) or not _memes_jalons(d, stored, today):
        return False
    clean = validate_action(s, d, confirme=confirme, today=today, current=stored)
    avant = {n: getattr(stored, n) for n in ACTION_FIELDS}
    apres = {n: getattr(clean, n) for n in ACTION_FIELDS}
    if not apres["reference"]:
        apres["reference"] = avant["reference"]
    apres["cle_recherche"] = search_key(SimpleNamespace(**apres))
    return directe.modifier(s, PaqssAction, d.id, avant, apres, stored.version, ou_rien=ou_rien)
