"""What needs attention today, asked of each area's public services (never their tables), and the
digest of the journal since the last visit.

Each area contributes through one small function ``_<area>(db, today, moi)``; an area whose public
service is missing simply contributes nothing (see ``SOURCES``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from qualite_app.accueil import rules
from qualite_app.accueil.rules import Alerte, Resume
from qualite_app.storage.database import Database

#: at most this many lines per kind of alert (the area's own page lists the rest)
PLAFOND = 25
#: PAQSS actions shown one by one (mine first, then the oldest deadline); the rest in one line
PLAFOND_ACTIONS = 60


# --- Événements : EIGS parts to send -----------------------------------------------------------------
def _evenements(db: Database, today: date, moi: int | None) -> list[Alerte]:
    from qualite_app.evenements import rules as ev_rules
    from qualite_app.evenements import services as evenements

    out = []
    for e in evenements.echeances(db, today=today):
        if e.etat not in (ev_rules.EN_RETARD, ev_rules.PROCHE):
            continue
        gravite = rules.RETARD if e.etat == ev_rules.EN_RETARD else rules.PROCHE
        quand = rules.jours_texte(e.echeance, today)
        quoi = f"Transmission {quand}" if gravite == rules.RETARD else f"À transmettre {quand}"
        detail = f"{quoi} (date limite : {e.echeance:%d/%m/%Y})"
        out.append(Alerte("evenements", "evenement", e.evenement_id, e.libelle, detail, e.echeance, gravite))
    return out


# --- PAQSS : actions overdue or due within 15 days -----------------------------------------------------
def _requete_paqss(f: Any, today: date) -> Any:
    """The PAQSS list's own query (oldest deadline first); « 30 jours » narrowed to the home page's horizon."""
    from datetime import timedelta

    from qualite_app.paqss import services as paqss
    from qualite_app.paqss.services.liste import ECHEANCE_DUE

    q = paqss.action_query(f, today, "echeance")
    if f.echeance == "30_jours":
        q = q.where(today + timedelta(days=rules.HORIZON_ACTIONS_JOURS) >= ECHEANCE_DUE)
    return q


def _premieres(db: Database, f: Any, today: date, n: int) -> tuple[list[Any], int]:
    """The first ``n`` actions of the query (oldest deadline first) and how many in all: thousands of
    overdue actions are counted in SQL, not read."""
    from sqlalchemy import func, select

    from qualite_app.paqss import services as paqss

    q = _requete_paqss(f, today)
    with db.engine.connect() as conn:
        rows = [paqss.ActionRow(*r) for r in conn.execute(q.limit(n))]
        total = (
            rows
            and len(rows) == n
            and conn.execute(select(func.count()).select_from(q.order_by(None).subquery())).scalar_one()
        )
    return rows, int(total) if total else len(rows)


def _paqss(db: Database, today: date, moi: int | None) -> list[Alerte]:
    from qualite_app.paqss import services as paqss

    n = PLAFOND_ACTIONS
    late, n_late = _premieres(db, paqss.ActionFilter(echeance="en_retard"), today, n)
    soon, n_soon = _premieres(db, paqss.ActionFilter(echeance="30_jours"), today, n)
    mine_rows: list[Any] = []
    if moi is not None:  # pilot or co-pilot: the PAQSS filter's own meaning
        for quand in ("en_retard", "30_jours"):
            mine_rows += _premieres(db, paqss.ActionFilter(pilote_id=moi, echeance=quand), today, n)[0]
    mine = {r.id for r in mine_rows}
    rows = list({r.id: r for r in mine_rows + late + soon}.values())
    rows.sort(key=lambda r: (r.id not in mine, r.echeance_effective or today))
    out = []
    for r in rows[:n]:
        due = r.echeance_effective
        assert due is not None
        gravite = rules.gravite_echeance(due, today, rules.HORIZON_ACTIONS_JOURS) or rules.PROCHE
        qui = f"pilote : {r.pilote}" if r.pilote else "sans pilote"
        detail = f"{rules.jours_texte(due, today).capitalize()} · {qui} · avancement {r.avancement} %"
        out.append(
            Alerte("paqss", "action", r.id, f"{r.reference} — {r.titre}", detail, due, gravite, r.id in mine)
        )
    shown = rows[:n]
    reste_late = n_late - sum(1 for r in shown if r.en_retard(today))
    reste = reste_late + n_soon - sum(1 for r in shown if not r.en_retard(today))
    if reste > 0:  # one line for the rest: it opens the PAQSS page, whose « En retard » filter lists them all
        out.append(Alerte("paqss", "actions", None, f"… et {reste} autres actions à échéance",
                          f"dont {reste_late} en retard · la liste complète dans le PAQSS (filtre « En retard »)",
                          None, rules.RETARD if reste_late else rules.PROCHE))  # fmt: skip
    return out


# --- Indicateurs : off target, special-cause signal of concern ----------------------------------------
def _indicateurs(db: Database, today: date, moi: int | None) -> list[Alerte]:
    from qualite_app.indicateurs import rules as ind_rules
    from qualite_app.indicateurs import services as indicateurs
    from qualite_app.rules.spc.resultat import CONCERN

    out = []
    for c in indicateurs.cartes(db, jusqu_au=today):
        why = []
        if c.etat in ("hors_cible", "alerte"):
            why.append(f"{ind_rules.ETATS[c.etat].lower()} ({c.valeur_texte} en {c.periode})")
        if c.variation == CONCERN:
            why.append("signal de cause spéciale défavorable")
        if why:
            gravite = (
                rules.PROCHE if c.variation == CONCERN and c.etat == "hors_cible" else rules.A_SURVEILLER
            )
            out.append(
                Alerte(
                    "indicateurs",
                    "indicateur",
                    c.indicateur_id,
                    f"{c.code} — {c.libelle}",
                    " · ".join(why).capitalize(),
                    None,
                    gravite,
                )
            )
    return out


# --- Certification : impératifs not met, evidence expiring before the visit ---------------------------
def _certification(db: Database, today: date, moi: int | None) -> list[Alerte]:
    from qualite_app.certification import campagnes, preuves, scores

    prochaine = campagnes.prochaine_visite(db, today)
    if prochaine is None:
        return []
    camp_id, visite = prochaine
    syn = scores.synthese(db, camp_id, le=today)
    out = [
        Alerte("certification", "critere", c.id, f"Impératif non atteint : {c.ref}", f"{c.titre} · visite du {visite:%d/%m/%Y}", visite, rules.PROCHE)
        for c in syn.imperatifs_non_atteints[:PLAFOND]
    ]  # fmt: skip
    expirant, _total = preuves.expirant_avant(db, visite, PLAFOND)  # soonest first, in SQL
    for pid, titre, fin in expirant:
        quand = (
            f"expirée depuis le {fin:%d/%m/%Y}"
            if fin < today
            else f"expire le {fin:%d/%m/%Y}, avant la visite du {visite:%d/%m/%Y}"
        )
        gravite = rules.RETARD if fin < today else rules.PROCHE
        out.append(
            Alerte("certification", "preuve", pid, f"Preuve : {titre}", quand.capitalize(), fin, gravite)
        )
    return out


# --- Crise : plan review and yearly exercise ----------------------------------------------------------
def _crise(db: Database, today: date, moi: int | None) -> list[Alerte]:
    from qualite_app.crise import services as crise

    out = []
    for plan in crise.echeances_plans(db, today=today):  # the plans in force, one query
        for a in plan.alertes:
            gravite = rules.RETARD if a.gravite == "erreur" else rules.A_SURVEILLER
            due = plan.prochaine_revision if a.sujet == "Révision" else None
            if a.sujet == "Révision" and a.gravite != "erreur" and due is not None:
                gravite = rules.PROCHE
            out.append(
                Alerte(
                    "crise",
                    "plan",
                    plan.plan_id,
                    f"{plan.nom} — {a.sujet.lower()}",
                    a.message[:1].upper() + a.message[1:],
                    due,
                    gravite,
                )
            )
    return out


#: who is asked, in the sidebar's order (reports awaiting signature: no such state in the register yet)
SOURCES: dict[str, Callable[[Database, date, int | None], list[Alerte]]] = {
    "paqss": _paqss,
    "indicateurs": _indicateurs,
    "certification": _certification,
    "evenements": _evenements,
    "crise": _crise,
}


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
    par_type, par_auteur, complet = journal.compter_depuis(db, depuis, sauf=sauf)
    total = sum(n for _t, n in par_type)
    rows = journal.list_entries(db, du=depuis, limite=dernieres + 50) if total else []
    if sauf:
        rows = [r for r in rows if not set(_identites(r.utilisateur)) & set(sauf)]
    return Resume(depuis, total, complet, par_type, par_auteur, rows[:dernieres])
