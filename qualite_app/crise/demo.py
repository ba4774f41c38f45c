"""The demo crisis plan of the fictional establishment: a PGTHSSE from the shipped template (both levels,
12 roles with holders and deputies, 25 fiches réflexes over 4 scenarios), a crisis directory with its
call-back plan, resources, a past exercise with its RETEX and 3 PAQSS actions, and one closed activation
with its main courante. Every name and number is invented (01 99 00 … numbers are reserved for fiction)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualite_app.crise import modeles
from qualite_app.crise.models import (
    CriseActivation,
    CriseCoche,
    CriseConstat,
    CriseContact,
    CriseEntree,
    CriseExercice,
    CrisePlan,
    CriseRessource,
    CriseRevision,
    CriseSuppleant,
)
from qualite_app.demo import Summary
from qualite_app.etablissement.models import Personne, Service

NOM = "PGTHSSE — Centre hospitalier"
# role code → (holder, deputies) by family name
TITULAIRES: dict[str, tuple[str, list[str]]] = {
    "DIR": ("Montvallon", ["Verlhac", "Mounestier"]),
    "CME": ("Brévanne", ["Castagnède"]),
    "DS": ("Durancel", ["Tavernier"]),
    "URG": ("Lestrelle", ["Escoffier"]),
    "REA": ("Castagnède", ["Lestrelle"]),
    "PHARMA": ("Pellegrue", ["Benhadour"]),
    "LOG": ("Mounestier", ["Quérat"]),
    "SI": ("Delaunoy", ["Quérat"]),
    "RH": ("Verlhac", ["Durancel"]),
    "COM": ("Arsac", ["Carrère"]),
    "QGR": ("Arsac", ["Ferrandiaz"]),
    "MC": ("Carrère", ["Montagut"]),
}
EXTERNES = [
    (
        "autorite",
        "ARS — point focal régional (24 h/24)",
        "",
        "Agence régionale de santé",
        "01 99 00 31 00",
        "01 99 00 31 01",
        "DIR,QGR",
    ),
    ("autorite", "SAMU — régulation", "", "SAMU du département", "15", "01 99 00 31 15", "DIR,URG,REA,DS"),
    (
        "autorite",
        "Préfecture — service interministériel de défense",
        "",
        "Préfecture",
        "01 99 00 31 20",
        "",
        "DIR,COM",
    ),
    ("autorite", "Pompiers — centre opérationnel", "", "SDIS", "18", "", "LOG"),
    (
        "etablissement",
        "Centre hospitalier voisin — administrateur de garde",
        "",
        "CH des Deux-Rives",
        "01 99 00 32 00",
        "",
        "DIR,REA",
    ),
    ("etablissement", "Clinique du Parc — direction", "", "Clinique du Parc", "01 99 00 32 10", "", "CME"),
    (
        "fournisseur",
        "Oxygène médical — astreinte",
        "",
        "Gaz Médicaux de l'Ouest",
        "01 99 00 33 00",
        "",
        "LOG,PHARMA",
    ),
    (
        "fournisseur",
        "Grossiste répartiteur — urgence",
        "",
        "Répartition Santé Sud",
        "01 99 00 33 10",
        "",
        "PHARMA",
    ),
    (
        "fournisseur",
        "Prestataire informatique — astreinte",
        "",
        "InfoSanté Services",
        "01 99 00 33 20",
        "",
        "SI",
    ),
    ("interne", "Standard téléphonique", "", "", "9", "01 99 00 00 00", "COM,RH"),
    ("interne", "Cadre de santé de garde", "", "", "4100", "", "DS,URG"),
]


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn").upper()


def demo_step(s: Session, today: date) -> Summary | None:
    if s.scalar(select(CrisePlan.id).where(CrisePlan.nom == NOM)) is not None:
        return None
    people = {_fold(p.nom): p for p in s.scalars(select(Personne))}
    if not people:
        return None
    plan = _plan(s, today, people)
    _annuaire(s, plan, people)
    _ressources(s, plan)
    _exercice(s, plan, today)
    _activation(s, plan, today)
    return _summary


def _plan(s: Session, today: date, people: dict[str, Personne]) -> CrisePlan:
    from qualite_app.crise.services.plans import instancier

    p = instancier(s, modeles.modele("pgthsse"), NOM, today - timedelta(days=700))
    p.version, p.adopte_le = "3", today - timedelta(days=300)
    p.avis_directoire_le, p.avis_cme_le, p.avis_cse_le = (today - timedelta(days=d) for d in (320, 315, 310))
    p.revisions.append(
        CriseRevision(
            version="2",
            le=today - timedelta(days=660),
            objet="Ajout du module cyberattaque et des fiches de mode dégradé",
        )
    )
    p.revisions.append(
        CriseRevision(
            version="3",
            le=p.adopte_le,
            objet="Révision annuelle après le RETEX ; mise à jour de l'annuaire de crise",
        )
    )
    for r in p.roles:
        holder, deputies = TITULAIRES[r.code]
        r.titulaire_id = people[_fold(holder)].id
        r.suppleants = [
            CriseSuppleant(personne_id=people[_fold(d)].id, ordre=i) for i, d in enumerate(deputies)
        ]
    s.flush()
    return p


def _annuaire(s: Session, p: CrisePlan, people: dict[str, Personne]) -> None:
    for c in list(p.contacts):  # the template's placeholders: replaced by the filled-in directory
        s.delete(c)
    s.flush()
    by_role: dict[str, CriseContact] = {}
    n = 0
    for r in p.roles:
        holder = people[_fold(TITULAIRES[r.code][0])]
        if any(c.personne_id == holder.id for c in by_role.values()):
            by_role[r.code] = next(c for c in by_role.values() if c.personne_id == holder.id)
            by_role[r.code].roles += f",{r.code}"
            continue
        c = CriseContact(plan_id=p.id, ordre=n, categorie="cellule", fonction=r.libelle, nom=holder.nom_complet,
                         tel=holder.tel_mobile or holder.tel_fixe or "", tel_secours=holder.dect or "", personne_id=holder.id,
                         roles=r.code, email=holder.email or "")  # fmt: skip
        s.add(c)
        by_role[r.code] = c
        n += 1
    for cat, fonction, nom, org, tel, tel2, roles in EXTERNES:
        s.add(
            CriseContact(
                plan_id=p.id,
                ordre=n,
                categorie=cat,
                fonction=fonction,
                nom=nom,
                organisme=org,
                tel=tel,
                tel_secours=tel2,
                roles=roles,
            )
        )
        n += 1
    s.flush()
    # call-back plan: the director calls the medical lead, the nursing director and logistics; they call their teams
    for caller, called in (("DIR", "CME"), ("DIR", "DS"), ("DIR", "LOG"), ("DIR", "COM"), ("CME", "URG"), ("CME", "REA"),
                           ("CME", "PHARMA"), ("DS", "RH"), ("LOG", "SI"), ("COM", "MC")):  # fmt: skip
        if by_role[called] is not by_role[caller]:
            by_role[called].appele_par_id = by_role[caller].id


def _ressources(s: Session, p: CrisePlan) -> None:
    services = {x.code: x for x in s.scalars(select(Service))}
    lits = [("MED", 8), ("CARD", 4), ("SMR", 10), ("GER", 6), ("ORTH", 4), ("AMBU", 12)]
    for code, n in lits:
        srv = services.get(code)
        if srv is not None:
            s.add(CriseRessource(plan_id=p.id, type_ressource="lits", libelle=f"Lits libérables — {srv.nom}", service_id=srv.id,
                                 quantite=n, unite="lits", localisation=srv.nom, notes="Sorties anticipées validées par le chef de service"))  # fmt: skip
    for t, lib, q, u, loc in (
        ("stock", "Lot de crise « afflux de victimes »", 4, "lots", "Pharmacie — réserve sécurisée"),
        ("stock", "Masques FFP2", 12000, "unités", "Magasin central"),
        ("stock", "Tenues de protection NRC", 24, "tenues", "Urgences — local dédié"),
        ("salle", "Salle de crise", 1, "salle", "Bâtiment administratif, 1er étage"),
        ("salle", "Accueil des familles", 1, "salle", "Hall principal — salle polyvalente"),
        ("materiel", "Brancards de réserve", 20, "brancards", "Sous-sol, zone logistique"),
        ("materiel", "Groupe électrogène mobile", 1, "groupe", "Services techniques"),
    ):
        s.add(
            CriseRessource(plan_id=p.id, type_ressource=t, libelle=lib, quantite=q, unite=u, localisation=loc)
        )


def _exercice(s: Session, p: CrisePlan, today: date) -> None:
    from qualite_app.crise.services.exercices import action_du_constat

    amavi = next(x for x in p.scenarios if x.code == "AMAVI")
    le = today - timedelta(days=75)
    e = CriseExercice(
        plan_id=p.id, scenario_id=amavi.id, intitule="Exercice « accident de car » avec le SAMU", le=le, type_exercice="grandeur_reelle",
        participants="Cellule de crise, urgences, bloc, SAMU, pompiers ; 22 plastrons",
        debrief_chaud="Tri mis en place en 12 minutes ; saturation du standard ; badges d'accès de la salle de crise introuvables.",
        retex="Le tri et l'accueil des victimes ont fonctionné. Trois faiblesses : plan de rappel non à jour, standard saturé, "
              "accès à la salle de crise.", retex_le=le + timedelta(days=21),
    )  # fmt: skip
    s.add(e)
    s.flush()
    constats = [
        ("Zone de tri opérationnelle en 12 minutes", True),
        ("Le plan de rappel du personnel comptait 14 numéros erronés", False),
        ("Le standard a été saturé pendant 40 minutes : pas de ligne dédiée à la cellule", False),
        ("Les badges d'accès à la salle de crise n'étaient pas au poste de sécurité", False),
    ]
    for i, (texte, fort) in enumerate(constats):
        c = CriseConstat(exercice_id=e.id, texte=texte, point_fort=fort, ordre=i)
        s.add(c)
        s.flush()
        if not fort:
            action_du_constat(s, c.id, echeance=today + timedelta(days=60 + 30 * i), today=e.retex_le)


def _activation(s: Session, p: CrisePlan, today: date) -> None:
    reb = next(x for x in p.scenarios if x.code == "EPI-CLIM")
    start = datetime.combine(today - timedelta(days=40), time(7, 45))
    a = CriseActivation(plan_id=p.id, niveau_id=p.niveaux[0].id, scenario_id=reb.id, declenchee_le=start,
                        decidee_par="Claire MONTVALLON", declencheur="Épidémie de grippe : 23 patients en attente d'un lit d'aval aux urgences",
                        levee_le=start + timedelta(days=2, hours=3), levee_par="Claire MONTVALLON",
                        motif_levee="Moins de 8 patients en attente depuis 48 heures")  # fmt: skip
    s.add(a)
    s.flush()
    lines = [
        (0, "decision", "Claire MONTVALLON", "Déclenchement du niveau 1 (plan de mobilisation interne)"),
        (10, "message", "Élodie CARRÈRE", "ARS et SAMU informés par téléphone"),
        (25, "fait", "Nadia LESTRELLE", "23 patients en attente, dont 9 de plus de 75 ans"),
        (
            40,
            "decision",
            "Hélène BRÉVANNE",
            "Déprogrammation des hospitalisations non urgentes de chirurgie ambulatoire",
        ),
        (55, "action", "Sylvie DURANCEL", "Ouverture de 6 lits supplémentaires en gériatrie"),
        (70, "fait", "Anne-Sophie VERLHAC", "8 agents rappelés, 6 présents"),
        (150, "message", "Julien ARSAC", "Note d'information au personnel diffusée"),
    ]
    entries: list[CriseEntree] = []
    for i, (minutes, cat, who, text) in enumerate(lines, start=1):
        e = CriseEntree(
            activation_id=a.id,
            numero=i,
            horodatage=start + timedelta(minutes=minutes),
            auteur=who,
            categorie=cat,
            texte=text,
        )
        s.add(e)
        entries.append(e)
    s.flush()
    n = len(entries)
    extra = [
        CriseEntree(activation_id=a.id, numero=n + 1, horodatage=start + timedelta(minutes=160), auteur="Élodie CARRÈRE", categorie="correction",
                    texte="8 agents rappelés, 7 présents", corrige_id=entries[5].id),
        CriseEntree(activation_id=a.id, numero=n + 2, horodatage=start + timedelta(hours=4), auteur="Élodie CARRÈRE", categorie="point",
                    texte="Situation : 15 patients en attente · Actions : 6 lits ouverts · Besoins : 2 IDE de nuit",
                    conditions="15 patients en attente", actions="6 lits ouverts en gériatrie", besoins="2 IDE de nuit"),
        CriseEntree(activation_id=a.id, numero=n + 3, horodatage=a.levee_le, auteur="Claire MONTVALLON", categorie="decision",  # type: ignore[arg-type]
                    texte="Levée décidée par Claire MONTVALLON : moins de 8 patients en attente depuis 48 heures"),
    ]  # fmt: skip
    s.add_all(extra)
    dir_fiche = next(f for f in p.fiches if f.role is not None and f.role.code == "DIR" and not f.scenarios)
    for k, t in enumerate(dir_fiche.taches[:4]):
        s.add(
            CriseCoche(
                activation_id=a.id,
                tache_id=t.id,
                cochee_le=start + timedelta(minutes=5 + 10 * k),
                par="Claire MONTVALLON",
            )
        )
    s.flush()


def _summary(s: Session) -> str:
    plan = s.scalars(select(CrisePlan).where(CrisePlan.nom == NOM)).first()
    if plan is None:
        return "Crise : aucun plan"
    entries = s.scalar(select(func.count(CriseEntree.id))) or 0
    return (f"Crise : {plan.nom} v{plan.version}, {len(plan.niveaux)} niveaux, {len(plan.roles)} rôles, {len(plan.fiches)} fiches réflexes, "
            f"{len(plan.contacts)} contacts, 1 exercice et son RETEX, {entries} entrées de main courante")  # fmt: skip
