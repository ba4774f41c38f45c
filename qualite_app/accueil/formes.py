"""« Aujourd'hui » in pure Python: each area's contribution as a **plan** — a generator that asks for the rows
of named statements (``yield (name, parameters)`` receives the rows, as tuples) and turns them into ``Alerte``s
with the area's own pure rules. No SQLAlchemy, no model here: the same plans are run

- by the services (``services.attention``): each statement built with SQLAlchemy (``requetes.py``) and run
  on the base's engine;
- before SQLAlchemy is even imported (``rapide.py``): each statement as precompiled for the base's dialect
  (``precompiler.py``, ``requetes_<dialect>.json``), run on a raw driver connection.

One logic, two executors: what the page shows does not depend on which one ran."""

from __future__ import annotations

from collections.abc import Callable, Generator
from datetime import date
from typing import Any

from qualite_app.accueil import rules
from qualite_app.accueil.rules import Alerte

#: at most this many lines per kind of alert (the area's own page lists the rest)
PLAFOND = 25
#: PAQSS actions shown one by one (mine first, then the oldest deadline); the rest in one line
PLAFOND_ACTIONS = 60
#: the digest counts at most this many journal lines (``socle.journal.compter_depuis``)
LIMITE_JOURNAL = 5000

Lignes = list[tuple[Any, ...]]
Plan = Generator[tuple[str, dict[str, Any]], Lignes, Any]


def conduire(plan: Plan, lire: Callable[[str, dict[str, Any]], Lignes]) -> Any:
    """Run ``plan``, each statement it asks for read by ``lire(name, parameters)``; its result."""
    try:
        demande = next(plan)
        while True:
            demande = plan.send(lire(*demande))
    except StopIteration as fin:
        return fin.value


# --- Événements : EIGS parts to send -----------------------------------------------------------------
def evenements(today: date, moi: int | None) -> Plan:
    from qualite_app.evenements import rules as ev_rules

    rows = yield ("eigs", {})
    out = []
    for e in ev_rules.echeances_lignes(rows, today):
        if e.etat not in (ev_rules.EN_RETARD, ev_rules.PROCHE):
            continue
        gravite = rules.RETARD if e.etat == ev_rules.EN_RETARD else rules.PROCHE
        quand = rules.jours_texte(e.echeance, today)
        quoi = f"Transmission {quand}" if gravite == rules.RETARD else f"À transmettre {quand}"
        detail = f"{quoi} (date limite : {e.echeance:%d/%m/%Y})"
        out.append(Alerte("evenements", "evenement", e.evenement_id, e.libelle, detail, e.echeance, gravite))
    return out


# --- PAQSS : actions overdue or due within 15 days -----------------------------------------------------
#: columns of a row of the PAQSS list's query (``paqss.action_query``)
_ID, _REFERENCE, _TITRE, _STATUT, _AVANCEMENT, _PILOTE, _ECHEANCE, _REVISEE = 0, 1, 2, 5, 6, 9, 13, 14


def _premieres(
    nom: str, params: dict[str, Any], n: int
) -> Generator[tuple[str, dict[str, Any]], Lignes, tuple[Lignes, int]]:
    """The first ``n`` actions of the statement (oldest deadline first) and how many in all: thousands of
    overdue actions are counted in SQL, not read."""
    rows = yield (nom, params)
    if len(rows) == n:
        return rows, int((yield (nom + "_n", params))[0][0])
    return rows, len(rows)


def paqss(today: date, moi: int | None) -> Plan:
    from qualite_app.paqss import rules as paqss_rules

    n = PLAFOND_ACTIONS
    late, n_late = yield from _premieres("paqss_retard", {"today": today, "n": n}, n)
    soon, n_soon = yield from _premieres("paqss_proche", {"today": today, "n": n}, n)
    mine_rows: Lignes = []
    if moi is not None:  # pilot or co-pilot: the PAQSS filter's own meaning
        for quand in ("retard", "proche"):
            mine_rows += (
                yield from _premieres(f"paqss_{quand}_moi", {"today": today, "n": n, "moi": moi}, n)
            )[0]
    mine = {r[_ID] for r in mine_rows}
    rows = list({r[_ID]: r for r in mine_rows + late + soon}.values())
    rows.sort(key=lambda r: (r[_ID] not in mine, r[_REVISEE] or r[_ECHEANCE] or today))

    def en_retard(r: tuple[Any, ...]) -> bool:
        return paqss_rules.en_retard(r[_ECHEANCE], r[_REVISEE], r[_STATUT], today)

    out = []
    for r in rows[:n]:
        due = r[_REVISEE] or r[_ECHEANCE]
        assert due is not None
        gravite = rules.gravite_echeance(due, today, rules.HORIZON_ACTIONS_JOURS) or rules.PROCHE
        qui = f"pilote : {r[_PILOTE]}" if r[_PILOTE] else "sans pilote"
        detail = f"{rules.jours_texte(due, today).capitalize()} · {qui} · avancement {r[_AVANCEMENT]} %"
        out.append(Alerte("paqss", "action", r[_ID], f"{r[_REFERENCE]} — {r[_TITRE]}", detail, due, gravite,
                          r[_ID] in mine))  # fmt: skip
    shown = rows[:n]
    reste_late = n_late - sum(1 for r in shown if en_retard(r))
    reste = reste_late + n_soon - sum(1 for r in shown if not en_retard(r))
    if reste > 0:  # one line for the rest: it opens the PAQSS page, whose « En retard » filter lists them all
        out.append(Alerte("paqss", "actions", None, f"… et {reste} autres actions à échéance",
                          f"dont {reste_late} en retard · la liste complète dans le PAQSS (filtre « En retard »)",
                          None, rules.RETARD if reste_late else rules.PROCHE))  # fmt: skip
    return out


# --- Indicateurs : off target, special-cause signal of concern ----------------------------------------
def indicateurs(today: date, moi: int | None) -> Plan:
    from qualite_app.indicateurs import rules as ind_rules
    from qualite_app.indicateurs.serie import cartes_lignes
    from qualite_app.rules.spc.resultat import CONCERN

    inds = yield ("ind_suivis", {})
    mesures = yield ("ind_mesures", {})
    cibles = yield ("ind_cibles", {})
    rebases = yield ("ind_rebases", {})
    out = []
    for c in cartes_lignes(inds, mesures, cibles, rebases, today):
        why = []
        if c.etat in ("hors_cible", "alerte"):
            why.append(f"{ind_rules.ETATS[c.etat].lower()} ({c.valeur_texte} en {c.periode})")
        if c.variation == CONCERN:
            why.append("signal de cause spéciale défavorable")
        if why:
            gravite = (
                rules.PROCHE if c.variation == CONCERN and c.etat == "hors_cible" else rules.A_SURVEILLER
            )
            titre = f"{c.code} — {c.libelle}"
            out.append(Alerte("indicateurs", "indicateur", c.indicateur_id, titre, " · ".join(why).capitalize(),
                              None, gravite))  # fmt: skip
    return out


# --- Certification : impératifs not met, evidence expiring before the visit ---------------------------
def certification(today: date, moi: int | None) -> Plan:
    from qualite_app.certification import rules as cert_rules

    prochaine = yield ("certif_visite", {"today": today})
    if not prochaine or prochaine[0][1] is None:
        return []
    camp, visite = prochaine[0]
    seuils = yield ("certif_seuils", {"camp": camp})
    noeuds = yield ("certif_noeuds", {"camp": camp})
    reponses = yield ("certif_reponses", {"camp": camp})
    unmet = cert_rules.imperatifs_non_atteints(seuils[0][0] if seuils else None, noeuds, reponses)
    out = [
        Alerte("certification", "critere", cid, f"Impératif non atteint : {ref}", f"{titre} · visite du {visite:%d/%m/%Y}", visite, rules.PROCHE)
        for cid, ref, titre in unmet[:PLAFOND]
    ]  # fmt: skip
    for pid, titre, fin in (yield ("certif_expirant", {"visite": visite})):  # soonest first, in SQL
        if fin is None:
            continue
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
def crise(today: date, moi: int | None) -> Plan:
    from qualite_app.crise import rules as crise_rules

    out = []
    for row in (yield ("crise_plans", {})):  # the plans in force, one query
        plan = crise_rules.echeances_plan(row, today)
        for a in plan.alertes:
            gravite = rules.RETARD if a.gravite == "erreur" else rules.A_SURVEILLER
            due = plan.prochaine_revision if a.sujet == "Révision" else None
            if a.sujet == "Révision" and a.gravite != "erreur" and due is not None:
                gravite = rules.PROCHE
            titre = f"{plan.nom} — {a.sujet.lower()}"
            out.append(
                Alerte(
                    "crise", "plan", plan.plan_id, titre, a.message[:1].upper() + a.message[1:], due, gravite
                )
            )
    return out


#: who is asked, in the sidebar's order (reports awaiting signature: no such state in the register yet)
PLANS: dict[str, Callable[[date, int | None], Plan]] = {
    "paqss": paqss,
    "indicateurs": indicateurs,
    "certification": certification,
    "evenements": evenements,
    "crise": crise,
}


# --- who I am, and the journal since the last visit -----------------------------------------------------
def moi(nom_affiche: str) -> Plan:
    """The person of the directory whose name is the user's display name (``rules.personne_de``)."""
    from qualite_app.rules.text import choix_personnes

    if not nom_affiche.strip():
        return None
    return rules.personne_de(nom_affiche, choix_personnes((yield ("personnes", {}))))


def journal(depuis: date, sauf: tuple[str, ...] = ()) -> Plan:
    """(by item type, by author, complete) of the journal since ``depuis`` (``socle.journal.compter_depuis``),
    ``sauf`` (at most two names) left out."""
    from qualite_app.rules.formats import debut_utc
    from qualite_app.socle.comptes import sommes

    if len(sauf) > 2:
        raise ValueError(sauf)
    params = {"lo": debut_utc(depuis), "sauf": sauf}
    combien = (yield (f"journal_combien_{len(sauf)}", params))[0][0]
    if not combien:
        return [], [], True
    complet = combien <= LIMITE_JOURNAL
    pairs = yield (f"journal_{'tout' if complet else 'recent'}_{len(sauf)}", params)
    return (*sommes(pairs), complet)
