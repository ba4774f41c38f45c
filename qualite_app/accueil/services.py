"""What needs attention today, asked of each area's public services (never their tables), and the
digest of the journal since the last visit.

Each area contributes through a plan of ``formes`` (pure: statements asked by name, rows shaped into
lines) run here on the base's engine with the statements of ``requetes``; the very same plans run before
SQLAlchemy is imported on the precompiled statements (``rapide.py``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from qualite_app.accueil import formes, rules
from qualite_app.accueil.rules import Alerte, Resume
from qualite_app.storage.database import Database


def executer(db: Database, plan: formes.Plan) -> Any:
    """Run a plan of ``formes`` on the base: each statement it asks for built by ``requetes`` and read on
    one connection."""
    from qualite_app.accueil import requetes

    with db.engine.connect() as conn:
        return formes.conduire(plan, lambda nom, params: requetes.lire(conn, nom, params))


def _source(
    plan: Callable[[date, int | None], formes.Plan],
) -> Callable[[Database, date, int | None], list[Alerte]]:
    def source(db: Database, today: date, moi: int | None) -> list[Alerte]:
        return list(executer(db, plan(today, moi)))

    source.__name__ = f"_{plan.__name__}"
    return source


#: who is asked, in the sidebar's order (reports awaiting signature: no such state in the register yet)
SOURCES: dict[str, Callable[[Database, date, int | None], list[Alerte]]] = {
    k: _source(plan) for k, plan in formes.PLANS.items()
}


def moi(db: Database, nom_affiche: str) -> int | None:
    """The person of the directory whose name is the user's display name (Préférences), if any."""
    return executer(db, formes.moi(nom_affiche)) if nom_affiche.strip() else None


def attention(db: Database, today: date | None = None, moi: int | None = None) -> list[Alerte]:
    """Everything that needs attention today, ranked (overdue first, mine first, nearest date first)."""
    today = today or date.today()
    out: list[Alerte] = []
    for source in SOURCES.values():
        out += source(db, today, moi)
    return rules.classer(out)


# --- since the last visit -------------------------------------------------------------------------------
def _identites(auteur: str) -> tuple[str, ...]:
    """« Nom affiché (login) » → both; a bare name or login → itself."""
    if auteur.endswith(")") and " (" in auteur:
        nom, _, login = auteur[:-1].rpartition(" (")
        return (nom, login)
    return (auteur,)


def depuis_derniere_visite(
    db: Database, depuis: date, *, sauf_auteur: str | None = None, dernieres: int = 8
) -> Resume:
    """The journal since ``depuis`` (inclusive), counted in SQL; ``sauf_auteur`` (a login, a display name
    or the journal's « name (login) ») leaves out one's own changes: in team mode, what the others did."""
    from qualite_app.socle import journal

    sauf = _identites(sauf_auteur) if sauf_auteur else ()
    par_type, par_auteur, complet = executer(db, formes.journal(depuis, sauf))
    total = sum(n for _t, n in par_type)
    rows = journal.list_entries(db, du=depuis, limite=dernieres + 50) if total else []
    if sauf:
        rows = [r for r in rows if not set(_identites(r.utilisateur)) & set(sauf)]
    return Resume(depuis, total, complet, par_type, par_auteur, rows[:dernieres])
