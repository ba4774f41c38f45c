"""The statements the home page's plans (``formes.py``) ask for, by name: SQLAlchemy Core ``select()``s built
by each area's public services (never their tables here). ``services.py`` runs them on the base's engine;
``precompiler.py`` compiles them once for each dialect, for the cold path (``rapide.py``).

A builder's parameters are the plan's (``today``, ``moi``, ``camp``…): a statement's shape never depends on
their values (only its bound parameters do), which is what lets it be compiled in advance."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from qualite_app.accueil import formes, rules


def _paqss(echeance: str, today: date, n: int, moi: int | None = None, compter: bool = False) -> Any:
    """The PAQSS list's own query (oldest deadline first); « 30 jours » narrowed to the home page's horizon."""
    from sqlalchemy import func, select

    from qualite_app.paqss import services as paqss
    from qualite_app.paqss.services.liste import ECHEANCE_DUE

    q = paqss.action_query(paqss.ActionFilter(pilote_id=moi, echeance=echeance), today, "echeance")
    if echeance == "30_jours":
        q = q.where(today + timedelta(days=rules.HORIZON_ACTIONS_JOURS) >= ECHEANCE_DUE)
    if compter:
        return select(func.count()).select_from(q.order_by(None).subquery())
    return q.limit(n)


def _eigs() -> Any:
    from qualite_app.evenements import services as evenements

    return evenements.echeances_query()


def _ind(k: int) -> Callable[[], Any]:
    def build() -> Any:
        from qualite_app.indicateurs.services.cartes import suivis_queries

        return suivis_queries()[k]

    return build


def _certif(k: int) -> Callable[[int], Any]:
    def build(camp: int) -> Any:
        from qualite_app.certification.scores import imperatifs_queries

        return imperatifs_queries(camp)[k]

    return build


def _visite(today: date) -> Any:
    from qualite_app.certification.campagnes import prochaine_visite_query

    return prochaine_visite_query(today)


def _expirant(visite: date) -> Any:
    from qualite_app.certification.preuves import expirant_query

    return expirant_query(visite, formes.PLAFOND)


def _crise() -> Any:
    from qualite_app.crise import services as crise

    return crise.echeances_plans_query()


def _personnes() -> Any:
    from qualite_app.etablissement.annuaire import choices_query

    return choices_query()


def _journal(k: int) -> Callable[[datetime, tuple[str, ...]], Any]:
    def build(lo: datetime, sauf: tuple[str, ...]) -> Any:
        from qualite_app.socle.journal import compter_queries

        return compter_queries(lo, sauf, formes.LIMITE_JOURNAL)[k]

    return build


#: name → builder; every name a plan of ``formes`` may ask for
STATEMENTS: dict[str, Callable[..., Any]] = {
    "paqss_retard": lambda today, n: _paqss("en_retard", today, n),
    "paqss_retard_n": lambda today, n: _paqss("en_retard", today, n, compter=True),
    "paqss_proche": lambda today, n: _paqss("30_jours", today, n),
    "paqss_proche_n": lambda today, n: _paqss("30_jours", today, n, compter=True),
    "paqss_retard_moi": lambda today, n, moi: _paqss("en_retard", today, n, moi),
    "paqss_retard_moi_n": lambda today, n, moi: _paqss("en_retard", today, n, moi, compter=True),
    "paqss_proche_moi": lambda today, n, moi: _paqss("30_jours", today, n, moi),
    "paqss_proche_moi_n": lambda today, n, moi: _paqss("30_jours", today, n, moi, compter=True),
    "eigs": _eigs,
    "ind_suivis": _ind(0),
    "ind_mesures": _ind(1),
    "ind_cibles": _ind(2),
    "ind_rebases": _ind(3),
    "certif_visite": _visite,
    "certif_seuils": _certif(0),
    "certif_noeuds": _certif(1),
    "certif_reponses": _certif(2),
    "certif_expirant": _expirant,
    "crise_plans": _crise,
    "personnes": _personnes,
    **{
        f"journal_{quoi}_{n}": _journal(k)
        for k, quoi in enumerate(("combien", "tout", "recent"))
        for n in range(3)
    },
}


def construire(nom: str, params: dict[str, Any]) -> Any:
    """The statement ``nom`` for these parameters."""
    return STATEMENTS[nom](**params)


def lire(conn: Any, nom: str, params: dict[str, Any]) -> formes.Lignes:
    """The rows of the statement ``nom`` on the SQLAlchemy connection ``conn``, as tuples."""
    return [tuple(r) for r in conn.execute(construire(nom, params))]
