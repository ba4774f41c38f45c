"""An action born elsewhere: a certification finding, an event analysis, a crisis exercise's RETEX, a risk.

The other areas call ``action_depuis`` inside their own unit of work, so that "make it a PAQSS action" is
one click = one transaction: the action, its link to the item it comes from, and whatever the calling area
writes (e.g. the finding marked as handled) commit together or not at all. ``creer_action_depuis`` is the
same in a transaction of its own. ``actions_depuis`` lists the actions an item produced (either link
direction), so each end of the chain can show the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from qualite_app.errors import UserError, ValidationError
from qualite_app.paqss import rules
from qualite_app.paqss.models import PaqssAction, PaqssAxe, PaqssObjectif, PaqssProgramme
from qualite_app.paqss.services.actions import ActionData, _apply
from qualite_app.paqss.services.preuves import ACTION_TYPE
from qualite_app.socle import liens
from qualite_app.storage.database import Database
from qualite_app.storage.tables import Lien

#: the nature of the link from the originating item to the action
NATURE_ORIGINE = "a donné lieu à"


@dataclass(frozen=True)
class ActionLiee:
    id: int
    reference: str
    titre: str
    statut: str
    statut_libelle: str
    avancement: int
    echeance: date | None


def objectif_par_defaut(s: Session) -> int:
    """The first objective of the current programme (most recent start): where an action lands when the
    caller does not choose one."""
    prog = s.scalar(
        select(PaqssProgramme.id).order_by(PaqssProgramme.debut.desc(), PaqssProgramme.id.desc()).limit(1)
    )
    if prog is None:
        raise UserError(
            "Aucun programme PAQSS n'existe : créez-en un dans la page PAQSS avant d'y ajouter une action."
        )
    obj = s.scalar(
        select(PaqssObjectif.id)
        .join(PaqssAxe, PaqssObjectif.axe_id == PaqssAxe.id)
        .where(PaqssAxe.programme_id == prog)
        .order_by(PaqssAxe.ordre, PaqssAxe.id, PaqssObjectif.ordre, PaqssObjectif.id)
        .limit(1)
    )
    if obj is None:
        raise UserError(
            "Le programme PAQSS en cours n'a encore aucun objectif : ajoutez-en un avant d'y créer une action."
        )
    return obj


def action_depuis(
    s: Session,
    origine_type: str,
    origine_id: int,
    titre: str,
    source: str,
    *,
    source_detail: str | None = None,
    description: str | None = None,
    objectif_id: int | None = None,
    pilote_id: int | None = None,
    service_id: int | None = None,
    echeance: date | None = None,
    priorite: int = 2,
    today: date | None = None,
) -> PaqssAction:
    """Create a PAQSS action from an item of another area, linked to it, in the caller's session."""
    if source not in rules.SOURCES:
        raise ValidationError({"source": f"Source inconnue : « {source} »."})
    data = ActionData(
        objectif_id=objectif_id or objectif_par_defaut(s),
        titre=titre,
        description=description,
        source=source,
        source_detail=source_detail,
        pilote_id=pilote_id,
        service_id=service_id,
        echeance=echeance,
        priorite=priorite,
    )
    a = _apply(s, data, confirme=True, today=today or date.today())
    s.flush()
    liens.link(s, origine_type, origine_id, ACTION_TYPE, a.id, NATURE_ORIGINE)
    return a


def creer_action_depuis(
    db: Database, origine_type: str, origine_id: int, titre: str, source: str, **kw: object
) -> int:
    """``action_depuis`` in a transaction of its own; returns the new action's id."""
    with db.unit_of_work() as s:
        return action_depuis(s, origine_type, origine_id, titre, source, **kw).id  # type: ignore[arg-type]


def nombre_actions_depuis(db: Database, origine_type: str, origine_ids: list[int]) -> dict[int, int]:
    """How many PAQSS actions are linked to each of these items (either direction, as ``actions_depuis``
    counts them): two queries for a whole list instead of one per item."""
    if not origine_ids:
        return {}
    fwd = select(Lien.source_id, Lien.cible_id).where(
        Lien.source_type == origine_type, Lien.source_id.in_(origine_ids), Lien.cible_type == ACTION_TYPE
    )
    back = select(Lien.cible_id, Lien.source_id).where(
        Lien.cible_type == origine_type, Lien.cible_id.in_(origine_ids), Lien.source_type == ACTION_TYPE
    )
    with db.session() as s:
        pairs = {(o, a) for q in (fwd, back) for o, a in s.execute(q)}
        existing = set(s.scalars(select(PaqssAction.id).where(PaqssAction.id.in_({a for _o, a in pairs}))))
    out: dict[int, int] = {}
    for o, a in pairs:
        if a in existing:
            out[o] = out.get(o, 0) + 1
    return out


def actions_depuis(db: Database, origine_type: str, origine_id: int) -> list[ActionLiee]:
    """The PAQSS actions linked to an item (in either direction), by reference."""
    fwd = select(Lien.cible_id).where(
        Lien.source_type == origine_type, Lien.source_id == origine_id, Lien.cible_type == ACTION_TYPE
    )
    back = select(Lien.source_id).where(
        Lien.cible_type == origine_type, Lien.cible_id == origine_id, Lien.source_type == ACTION_TYPE
    )
    a = PaqssAction
    q = select(a).where(or_(a.id.in_(fwd), a.id.in_(back))).order_by(a.reference)
    with db.session() as s:
        return [
            ActionLiee(x.id, x.reference, x.titre, x.statut, rules.statut_label(x.statut), x.avancement or 0,
                       x.echeance_revisee or x.echeance)
            for x in s.scalars(q)
        ]  # fmt: skip
