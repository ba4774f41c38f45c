"""The demo PAQSS of the fictional establishment: 6 axes, ~80 actions in every status, tandem pilots.

Dates are relative to the day the demo is loaded, so that some actions are always overdue.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualite_app.etablissement.models import Personne, Service
from qualite_app.paqss import rules
from qualite_app.paqss.models import (
    PaqssAction,
    PaqssAxe,
    PaqssCommentaire,
    PaqssJalon,
    PaqssObjectif,
    PaqssProgramme,
)
from qualite_app.paqss.services import search_key

# axe -> [(objectif, source, [actions])]
AXES: list[tuple[str, str, list[tuple[str, str, list[str]]]]] = [
    ("A1", "Culture de sécurité et gestion des risques", [
        ("Développer la déclaration et l'analyse des événements indésirables", "ei", [
            "Former les nouveaux arrivants à la déclaration des EI",
            "Mettre en place un CREX dans chaque pôle",
            "Publier un retour d'expérience trimestriel aux équipes",
            "Analyser chaque EIGS selon la méthode ALARM sous 3 mois",
            "Mesurer la culture de sécurité (enquête HSOPSC)",
            "Désigner un référent gestion des risques par pôle",
            "Suivre les actions issues des RMM dans un tableau partagé",
        ]),
        ("Piloter les risques a priori", "risques", [
            "Mettre à jour la cartographie des risques du bloc opératoire",
            "Conduire une analyse AMDEC du circuit des prélèvements",
            "Réviser la cartographie des risques de la maternité",
            "Intégrer les risques numériques à la cartographie",
        ]),
        ("Renforcer l'identitovigilance", "certification", [
            "Généraliser le bracelet d'identification aux urgences",
            "Auditer la vérification de l'identité avant un acte à risque",
            "Former les agents d'accueil à l'INS",
            "Réduire les doublons d'identité dans le DPI",
            "Sécuriser l'identification des nouveau-nés en maternité",
        ]),
    ]),
    ("A2", "Prise en charge médicamenteuse", [
        ("Sécuriser le circuit du médicament", "certification", [
            "Déployer la conciliation médicamenteuse à l'admission en gériatrie",
            "Sécuriser le stockage des médicaments à haut risque",
            "Informatiser la prescription en SMR",
            "Mettre en place la double vérification des chimiothérapies",
            "Auditer l'administration des anticoagulants",
            "Sécuriser l'approvisionnement des services en urgence vitale",
        ]),
        ("Lutter contre l'antibiorésistance", "iqss", [
            "Réévaluer l'antibiothérapie à 72 heures",
            "Publier le guide local d'antibiothérapie",
            "Suivre la consommation d'antibiotiques par service",
        ]),
        ("Réduire les erreurs médicamenteuses", "ei", [
            "Conduire une RMM sur les erreurs d'administration d'insuline",
            "Former les IDE aux never events médicamenteux",
            "Étiqueter les seringues en réanimation",
            "Créer une fiche réflexe « erreur médicamenteuse »",
        ]),
    ]),
    ("A3", "Droits et expérience du patient", [
        ("Améliorer l'information du patient", "iqss", [
            "Améliorer le score e-Satis sur l'information à la sortie",
            "Remettre la lettre de liaison le jour de la sortie",
            "Réviser le livret d'accueil avec les représentants des usagers",
            "Former les équipes à l'annonce d'un dommage associé aux soins",
        ]),
        ("Respecter les droits et la dignité", "plainte", [
            "Réduire le délai de réponse aux réclamations à 15 jours",
            "Tenir le registre des contentions et isolements",
            "Recueillir les directives anticipées en gériatrie",
            "Garantir la confidentialité aux urgences",
            "Associer la CDU au suivi des plaintes",
            "Rendre accessible la médiation médicale",
        ]),
        ("Prendre en charge la douleur", "audit", [
            "Tracer l'évaluation de la douleur à chaque poste",
            "Conduire un audit sur la douleur post-opératoire",
            "Former des référents douleur dans chaque service",
        ]),
    ]),
    ("A4", "Prévention des infections associées aux soins", [
        ("Améliorer l'hygiène des mains", "iqss", [
            "Augmenter la consommation de SHA (ICSHA)",
            "Organiser la journée mondiale de l'hygiène des mains",
            "Auditer le port de bijoux chez les soignants",
            "Installer des distributeurs de SHA à l'entrée des chambres",
            "Vacciner les professionnels contre la grippe",
        ]),
        ("Prévenir les infections sur dispositifs invasifs", "audit", [
            "Auditer la pose et l'entretien des cathéters veineux",
            "Réduire la durée de sondage urinaire",
            "Mettre en place la check-list de pose de voie centrale",
        ]),
        ("Maîtriser les BHRe et épidémies", "ei", [
            "Réviser la procédure de dépistage des BHRe",
            "Former aux précautions complémentaires contact",
            "Tester la cellule de gestion d'une épidémie de gastro-entérite",
        ]),
    ]),
    ("A5", "Parcours patient et coordination", [
        ("Fluidifier le parcours aux urgences", "cpom", [
            "Réduire le temps de passage aux urgences des plus de 75 ans",
            "Mettre en place une filière gériatrique directe",
            "Créer une cellule d'ordonnancement des lits",
            "Ouvrir une unité d'hospitalisation de courte durée",
        ]),
        ("Sécuriser la prise en charge au bloc", "certification", [
            "Fiabiliser la check-list « Sécurité du patient au bloc »",
            "Auditer le time-out avant incision",
            "Réduire les annulations de dernière minute en ambulatoire",
            "Appeler les patients à J+1 en chirurgie ambulatoire",
            "Former les équipes à la gestion des risques en équipe (CRM)",
        ]),
        ("Coordonner la sortie et la ville", "iqss", [
            "Envoyer la lettre de liaison par messagerie sécurisée",
            "Développer l'HAD en sortie de médecine",
            "Organiser la sortie le week-end en médecine interne",
            "Évaluer le parcours par la méthode du patient traceur",
        ]),
    ]),
    ("A6", "Management, ressources humaines et résilience", [
        ("Préparer les situations sanitaires exceptionnelles", "retex", [
            "Mettre à jour le plan de gestion des tensions hospitalières",
            "Organiser un exercice afflux massif de victimes",
            "Mettre en œuvre les actions du RETEX de l'exercice NRBC",
            "Former la cellule de crise à la main courante",
            "Réviser l'annuaire de crise 24 h / 24",
        ]),
        ("Renforcer la cybersécurité", "inspection", [
            "Tester la procédure dégradée en cas de cyberattaque",
            "Sensibiliser les agents à l'hameçonnage",
            "Sauvegarder hors ligne les données du DPI",
            "Réaliser un audit de cybersécurité par un prestataire qualifié",
        ]),
        ("Qualité de vie au travail et compétences", "autre", [
            "Mettre à jour le document unique (DUERP)",
            "Former les encadrants au management par la qualité",
            "Conduire l'enquête QVT et restituer les résultats",
            "Accueillir et tutorer les nouveaux infirmiers",
            "Évaluer les pratiques professionnelles en gériatrie (EPP)",
            "Prévenir les troubles musculo-squelettiques en EHPAD",
        ]),
    ]),
]  # fmt: skip

JALONS = [
    "Rédaction du document",
    "Validation en COPIL qualité",
    "Formation des équipes",
    "Audit de suivi",
    "Présentation en CME",
]
COMMENTAIRES = [
    "Point fait en COPIL qualité : l'action avance comme prévu.",
    "Le pilote signale un manque de temps médical ; à rediscuter en CME.",
    "Les premiers résultats sont encourageants.",
    "Report demandé en raison de la période estivale.",
    "Document transmis à la direction des soins pour relecture.",
]
MOTIFS = {
    rules.ABANDONNEE: "Action remplacée par le projet régional porté par l'ARS.",
    rules.REPORTEE: "Report lié au déménagement du service prévu au prochain exercice.",
}


def summary(s: Session) -> str:
    """What the base holds, counted once every demo step has run (a later step adds the falls programme)."""
    axes = s.scalar(select(func.count(PaqssAxe.id))) or 0
    actions = s.scalar(select(func.count(PaqssAction.id))) or 0
    return f"PAQSS : {axes} axes, {actions} actions"


def _actions_step(s: Session, today: date | None = None) -> Callable[[Session], str] | None:
    """Create the demo PAQSS once (idempotent: nothing when a programme exists or nobody is in the directory).
    Dates are relative to ``today``."""
    if s.scalar(select(PaqssProgramme.id)) is not None:
        return None
    people = s.execute(
        select(Personne.id, Personne.civilite, Personne.nom, Personne.prenom).order_by(Personne.id)
    ).all()
    if not people:
        return None
    rng = random.Random(4)
    today = today or date.today()
    medecins = [p.id for p in people if p.civilite == "Dr"]
    autres = [p.id for p in people if p.civilite != "Dr"]
    services = [i for (i,) in s.execute(select(Service.id).order_by(Service.id))]
    auteurs = [f"{p.prenom} {p.nom}" for p in people[:8]]
    debut = date(today.year - 1, 1, 1)
    prog = PaqssProgramme(
        nom=f"PAQSS {debut.year}–{debut.year + 3}",
        debut=debut,
        fin=date(debut.year + 3, 12, 31),
        adopte_le=date(debut.year - 1, 12, 12),
        avis_cme_le=date(debut.year - 1, 11, 28),
        cdu_informee_le=date(debut.year - 1, 12, 5),
        description="Programme d'actions qualité et sécurité des soins aligné sur le CPOM et la certification.",
    )
    s.add(prog)
    statuts = (
        [rules.EN_COURS] * 36
        + [rules.REALISEE] * 22
        + [rules.A_LANCER] * 14
        + [rules.REPORTEE] * 6
        + [rules.ABANDONNEE] * 4
    )
    rng.shuffle(statuts)
    counters: dict[int, int] = {}
    n = 0
    for ai, (code, titre, objectifs) in enumerate(AXES, start=1):
        axe = PaqssAxe(code=code, titre=titre, ordre=ai)
        prog.axes.append(axe)
        for oi, (otitre, source, actions) in enumerate(objectifs, start=1):
            obj = PaqssObjectif(code=f"{code}.{oi}", titre=otitre, ordre=oi)
            axe.objectifs.append(obj)
            for atitre in actions:
                statut = statuts[n % len(statuts)]
                n += 1
                start = today - timedelta(days=rng.randint(30, 560))
                due = start + timedelta(days=rng.randint(90, 540))
                revised = None
                if statut == rules.REPORTEE or (statut == rules.EN_COURS and rng.random() < 0.2):
                    revised = due + timedelta(days=rng.randint(60, 240))
                avancement = {
                    rules.A_LANCER: 0,
                    rules.REALISEE: 100,
                    rules.ABANDONNEE: rng.choice([0, 10, 20]),
                }.get(statut, rng.choice([10, 20, 30, 40, 50, 60, 70, 80, 90]))
                counters[start.year] = counters.get(start.year, 0) + 1
                tandem = rng.random() < 0.65
                a = PaqssAction(
                    reference=f"PAQSS-{start.year}-{counters[start.year]:03d}",
                    titre=atitre,
                    description=f"{atitre}. Action issue de l'objectif « {otitre} ».",
                    source=source,
                    source_detail=None,
                    priorite=rng.choice([1, 2, 2, 3]),
                    pilote_id=rng.choice(medecins) if tandem else rng.choice(autres),
                    copilote_id=rng.choice(autres) if tandem else None,
                    service_id=rng.choice(services) if services else None,
                    date_debut=start,
                    echeance=due,
                    echeance_revisee=revised,
                    statut=statut,
                    motif_statut=MOTIFS.get(statut),
                    avancement=avancement,
                    resultat_attendu="Pratique conforme dans au moins 90 % des dossiers audités."
                    if rng.random() < 0.5
                    else None,
                    indicateur="Taux de conformité à l'audit" if rng.random() < 0.4 else None,
                    indicateur_initial="62 %" if rng.random() < 0.4 else None,
                    indicateur_cible="90 %" if rng.random() < 0.4 else None,
                    validation_cme_le=prog.avis_cme_le if rng.random() < 0.5 else None,
                    realisee_le=min(due, today - timedelta(days=rng.randint(1, 25)))
                    if statut == rules.REALISEE
                    else None,
                )
                for k, lib in enumerate(rng.sample(JALONS, rng.randint(0, 3))):
                    jd = start + timedelta(days=30 * (k + 1) + rng.randint(0, 20))
                    fait = statut == rules.REALISEE or (jd < today and rng.random() < 0.7)
                    a.jalons.append(
                        PaqssJalon(
                            libelle=lib, echeance=jd, fait=fait, fait_le=min(jd, today) if fait else None
                        )
                    )
                for txt in rng.sample(COMMENTAIRES, rng.randint(0, 2)):
                    a.commentaires.append(PaqssCommentaire(auteur=rng.choice(auteurs), texte=txt))
                a.cle_recherche = search_key(a)
                obj.actions.append(a)
    return summary


def _chaine_summary(s: Session) -> str:
    from qualite_app.storage.tables import Lien

    liens = s.scalar(select(func.count(Lien.id)).where(Lien.cible_type == "indicateur")) or 0
    return f"{liens} action(s) PAQSS reliée(s) à leur indicateur"


def _chaine(s: Session, today: date) -> Callable[[Session], str] | None:
    """The director's chain: PAQSS actions linked to the indicators that show whether they worked."""
    from qualite_app.paqss import rules as paqss_rules
    from qualite_app.paqss.models import PaqssAction, PaqssAxe, PaqssObjectif
    from qualite_app.paqss.services import ACTION_TYPE
    from qualite_app.paqss.services import search_key as action_key
    from qualite_app.storage.tables import Lien

    ind = _indicateurs_demo().ids_by_code(s, ["CHUTES", "IDENTITO"])
    if len(ind) < 2 or s.scalar(select(Lien.id).where(Lien.cible_type == "indicateur")) is not None:
        return None
    objectif = s.scalar(select(PaqssObjectif).join(PaqssAxe).order_by(PaqssAxe.id, PaqssObjectif.id))
    if objectif is None:
        return None
    # the programme starts the month the falls chart carries its note, and ends six months later
    months = _indicateurs_demo().calendrier(today).mois
    debut = months[_indicateurs_demo().FALLS_PROGRAMME].debut + timedelta(days=2)
    fin = months[_indicateurs_demo().FALLS_PROGRAMME + 7].debut - timedelta(days=1)
    chutes = s.scalar(select(PaqssAction).where(PaqssAction.reference.like("PAQSS-%-CHUTES")))
    if chutes is None:
        chutes = PaqssAction(
            objectif_id=objectif.id,
            reference=f"PAQSS-{debut.year}-CHUTES",
            titre="Déployer le programme de prévention des chutes en médecine, gériatrie et SMR",
            description="Évaluation du risque de chute à l'admission, chaussage, rondes de nuit, analyse de chaque chute grave en CREX.",
            source="risques",
            priorite=1,
            date_debut=debut,
            echeance=fin,
            statut=paqss_rules.REALISEE,
            avancement=100,
            realisee_le=fin - timedelta(days=15),
            indicateur="Chutes pour 1 000 journées d'hospitalisation",
            indicateur_initial="5,2 ‰",
            indicateur_cible="4,0 ‰",
            pilote_id=s.scalar(select(Personne.id).where(Personne.nom == "TAVERNIER")),
            copilote_id=s.scalar(select(Personne.id).where(Personne.nom == "CARRÈRE")),
        )
        chutes.cle_recherche = action_key(chutes)
        s.add(chutes)
        s.flush()
        # a programme carried by more than the tandem: the cadres of the units concerned
        from qualite_app.paqss.models import PaqssActionCopilote, PaqssActionService

        services = {c: i for c, i in s.execute(select(Service.code, Service.id).where(Service.code.in_(["MED", "GER", "SMR"])))}
        chutes.service_id = services.get("GER")
        for code in ("MED", "SMR"):
            if code in services:
                s.add(PaqssActionService(action_id=chutes.id, service_id=services[code]))
        cadres = s.scalars(
            select(Personne.id).where(Personne.fonction.like("Cadre%"), Personne.service_id.in_(list(services.values()))).limit(2)
        ).all()
        for personne_id in cadres:
            s.add(PaqssActionCopilote(action_id=chutes.id, personne_id=personne_id))
    links = [(chutes.id, ind["CHUTES"])]
    bracelet = s.scalar(select(PaqssAction).where(PaqssAction.titre.like("Généraliser le bracelet%")))
    if bracelet is not None:
        links.append((bracelet.id, ind["IDENTITO"]))
    for action_id, indicateur_id in links:
        s.add(Lien(source_type=ACTION_TYPE, source_id=action_id, cible_type="indicateur", cible_id=indicateur_id, nature="suivie par l'indicateur"))
    return _chaine_summary




def _indicateurs_demo():  # type: ignore[no-untyped-def]
    from qualite_app.indicateurs import demo

    return demo


def demo_step(s: Session, today: date) -> list[Callable[[Session], str]] | None:
    """The programme's actions, then the chain to the indicators (after the indicators' step)."""
    out = [x for x in (_actions_step(s, today), _chaine(s, today)) if x]
    return out or None
