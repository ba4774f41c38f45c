"""Print the plan: the binder, the pocket cards and the main courante, previewed or issued through the
register (``rapports.emettre``: numbering, letterhead, signature, register in one transaction)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from qualite_app.crise import donnees as v
from qualite_app.crise import services as crise
from qualite_app.errors import UserError
from qualite_app.storage.database import Database


def _etab(db: Database) -> str:
    from qualite_app.rapports import services as rapports

    return rapports.entete(db).nom


def donnees_classeur(
    db: Database, plan_id: int, *, recto_verso: bool = False, today: date | None = None
) -> v.ClasseurData:
    return v.ClasseurData(_etab(db), crise.contenu(db, plan_id), today or date.today(), recto_verso,
                          tuple(crise.contenus_annexes(db, plan_id)))  # fmt: skip


def donnees_cartes(
    db: Database, plan_id: int, roles: list[str] | None = None, *, today: date | None = None
) -> v.CartesData:
    plan = crise.contenu(db, plan_id)
    wanted = tuple(r.strip().upper() for r in roles or [] if r.strip())
    unknown = sorted(set(wanted) - {r.code for r in plan.roles})
    if unknown:
        raise UserError(
            f"Rôle(s) inconnu(s) dans ce plan : {', '.join(unknown)} (rôles : {', '.join(r.code for r in plan.roles)})."
        )
    return v.CartesData(_etab(db), plan, today or date.today(), wanted)


def donnees_journal(db: Database, activation_id: int) -> v.JournalData:
    return v.JournalData(_etab(db), crise.activation(db, activation_id), tuple(crise.entrees(db, activation_id)),
                         tuple(crise.coches_detail(db, activation_id)))  # fmt: skip


def _renderer(kind: str) -> Any:
    if kind == "classeur":
        from qualite_app.crise.classeur import CLASSEUR

        return CLASSEUR
    if kind == "cartes":
        from qualite_app.crise.cartes import CARTES

        return CARTES
    from qualite_app.crise.journal import MAIN_COURANTE

    return MAIN_COURANTE


def apercu(db: Database, kind: str, data: Any, *, progression: Callable[[int], None] | None = None) -> bytes:
    """The PDF as it would be issued (letterhead, next reference); nothing is written. ``progression`` is
    called with each page laid out (the binder), and may raise to cancel."""
    from qualite_app.crise.mise_en_page import PROGRESSION
    from qualite_app.rapports import services as rapports

    token = PROGRESSION.set(progression)
    try:
        return rapports.apercu(db, _renderer(kind), data)
    finally:
        PROGRESSION.reset(token)


def pages_estimees(data: v.ClasseurData) -> int:
    """About how many pages the binder will have (for a progress bar): 1.5 per fiche plus the rest."""
    return int(len(data.plan.fiches) * (2 if data.recto_verso else 1.5)) + 30


def emettre(db: Database, kind: str, data: Any, *, identity: str | None = None, password: str | None = None,
            recipient: str | None = None) -> Any:  # fmt: skip
    """Build, sign when an identity is given, and record in the register; returns the register row."""
    from qualite_app.rapports import services as rapports

    return rapports.emettre(
        db, _renderer(kind), data, identity=identity, password=password, recipient=recipient
    )


def produire(db: Database, kind: str, data: Any, *, enregistrer: bool, identity: str | None = None,
             password: str | None = None, recipient: str | None = None) -> tuple[bytes, Any]:  # fmt: skip
    """(PDF, register row or None): issued when signed or asked to, else a preview."""
    if enregistrer or identity:
        row = emettre(db, kind, data, identity=identity, password=password, recipient=recipient)
        return row.pdf, row
    return apercu(db, kind, data), None
