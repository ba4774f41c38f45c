"""The action's team beyond the tandem: extra co-pilots and services, kept in sync (each change journaled)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from qualite_app.etablissement.models import Personne, Service
from qualite_app.paqss.models import PaqssAction, PaqssActionCopilote, PaqssActionService


def sync_team(s: Session, a: PaqssAction, copilotes: list[int], services: list[int]) -> bool:
    """Add / remove the extra co-pilots and services so they match the lists (each change journaled); whether
    anything changed."""
    changed = False
    for c in [c for c in a.autres_copilotes if c.personne_id not in copilotes]:
        s.delete(c)  # explicit, so the removal is journaled (a delete-orphan alone is not)
        a.autres_copilotes.remove(c)
        changed = True
    have = {c.personne_id for c in a.autres_copilotes}
    for pid in copilotes:
        if pid not in have:
            a.autres_copilotes.append(PaqssActionCopilote(personne=s.get(Personne, pid)))
            changed = True
    for x in [x for x in a.autres_services if x.service_id not in services]:
        s.delete(x)
        a.autres_services.remove(x)
        changed = True
    have = {x.service_id for x in a.autres_services}
    for sid in services:
        if sid not in have:
            a.autres_services.append(PaqssActionService(service=s.get(Service, sid)))
            changed = True
    return changed
