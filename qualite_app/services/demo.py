"""The fictional demo establishment. Every name, number and address here is invented.

Phone numbers use the ranges ARCEP reserves for fiction (01 99 00 xx xx, 06 39 98 xx xx).
Area modules add their own demo data through ``DEMO_STEPS`` (one line each). A step tells what it
did by returning a *summary*: a function that counts what the base holds, called once every step has
run (a later step may add to an earlier one's tables: never a number kept by hand).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualite_app.models import Etablissement, Personne, Pole, RolePersonne, Service
from qualite_app.services import indicateurs_demo, paqss_demo, rapports
from qualite_app.services.annuaire import search_key
from qualite_app.storage.database import Database

ETABLISSEMENT = {
    "raison_sociale": "Centre hospitalier de Val-de-Brume",
    "pays": "FR",
    "finess_ej": "019990015",
    "finess_et": "019990023",
    "adresse": "12 avenue des Tilleuls",
    "code_postal": "01990",
    "ville": "Val-de-Brume",
    "telephone": "01 99 00 10 00",
    "titre_chef": "Directrice générale",
    "chef_etablissement": "Claire Montvallon",
    "directeur_qualite": "Julien Arsac",
}

# pôle -> [(service, code, secteur)]
POLES: dict[str, list[tuple[str, str, str]]] = {
    "Pôle Urgences – Réanimation": [("Urgences adultes", "URG", "MCO"), ("SMUR", "SMUR", "MCO"), ("Réanimation polyvalente", "REA", "MCO")],
    "Pôle Médecine": [("Médecine interne", "MED", "MCO"), ("Cardiologie", "CARD", "MCO"), ("Gériatrie aiguë", "GER", "MCO"), ("Hospitalisation à domicile", "HAD", "HAD")],
    "Pôle Chirurgie – Bloc": [("Chirurgie viscérale", "CHV", "MCO"), ("Chirurgie orthopédique", "ORTH", "MCO"), ("Bloc opératoire", "BLOC", "MCO"), ("Chirurgie ambulatoire", "AMBU", "MCO")],
    "Pôle Femme – Enfant": [("Maternité", "MAT", "MCO"), ("Pédiatrie", "PED", "MCO")],
    "Pôle Soins de suite et EHPAD": [("Soins médicaux et de réadaptation", "SMR", "SMR"), ("EHPAD Les Glycines", "EHPAD", "EHPAD")],
    "Pôle Psychiatrie": [("Psychiatrie adulte", "PSY", "PSY"), ("Centre médico-psychologique", "CMP", "PSY")],
    "Pôle Médico-technique": [("Pharmacie à usage intérieur", "PUI", "MT"), ("Laboratoire de biologie médicale", "LABO", "MT"), ("Imagerie médicale", "IMG", "MT"), ("Équipe opérationnelle d'hygiène", "EOH", "MT")],
    "Direction et fonctions support": [("Direction générale", "DG", "ADM"), ("Direction qualité et gestion des risques", "DQ", "ADM"), ("Direction des soins", "DS", "ADM"), ("Direction des ressources humaines", "DRH", "ADM"), ("Services techniques et logistiques", "TECH", "ADM"), ("Direction du système d'information", "DSI", "ADM")],
}

# (prénom, nom, fonction, service code, [rôles])
KEY_PEOPLE: list[tuple[str, str, str, str, list[str]]] = [
    ("Claire", "Montvallon", "Directrice générale", "DG", ["Chef d'établissement"]),
    ("Julien", "Arsac", "Directeur qualité et gestion des risques", "DQ", ["Directeur·rice qualité et gestion des risques"]),
    ("Dr Hélène", "Brévanne", "Praticienne hospitalière, médecine interne", "MED", ["Président·e de CME"]),
    ("Dr Olivier", "Castagnède", "Anesthésiste-réanimateur", "REA", ["Vice-président·e de CME", "Chef·fe de pôle"]),
    ("Dr Nadia", "Lestrelle", "Médecin urgentiste", "URG", ["Coordonnateur·rice de la gestion des risques associés aux soins", "Référent·e SSE (situations sanitaires exceptionnelles)"]),
    ("Martine", "Gaudrelle", "Bénévole associative", "DQ", ["Représentant·e des usagers", "Président·e de la CDU"]),
    ("Bernard", "Ollivron", "Bénévole associatif", "DQ", ["Représentant·e des usagers"]),
    ("Sylvie", "Durancel", "Coordinatrice générale des soins", "DS", ["Directeur·rice des soins (coordonnateur·rice général·e des soins)"]),
    ("Dr Thomas", "Pellegrue", "Pharmacien", "PUI", ["Pharmacien·ne gérant·e", "Responsable du système de management de la qualité de la prise en charge médicamenteuse"]),
    ("Dr Camille", "Ferrandiaz", "Praticienne en hygiène", "EOH", ["Praticien·ne en hygiène (EOH)"]),
    ("Dr Malik", "Benhadour", "Biologiste", "LABO", ["Correspondant·e d'hémovigilance"]),
    ("Isabelle", "Quérat", "Ingénieure biomédicale", "TECH", ["Correspondant·e de matériovigilance"]),
    ("Karim", "Delaunoy", "Responsable sécurité des systèmes d'information", "DSI", ["Responsable de la sécurité des systèmes d'information (RSSI)", "Délégué·e à la protection des données (DPO)"]),
    ("Anne-Sophie", "Verlhac", "Directrice des ressources humaines", "DRH", ["Directeur·rice de garde"]),
    ("Gérald", "Mounestier", "Directeur des services techniques", "TECH", ["Directeur·rice de garde"]),
    ("Élodie", "Carrère", "Ingénieure qualité", "DQ", ["Référent·e identitovigilance"]),
    ("Dr Paul", "Escoffier", "Chirurgien orthopédiste", "ORTH", ["Chef·fe de pôle"]),
    ("Dr Léa", "Montagut", "Gynécologue-obstétricienne", "MAT", ["Chef·fe de service"]),
    ("Dr Yves", "Rouquayrol", "Psychiatre", "PSY", ["Chef·fe de pôle"]),
    ("Dr Inès", "Tavernier", "Gériatre", "SMR", ["Chef·fe de service"]),
]

PRENOMS = ["Amandine", "Baptiste", "Céline", "Damien", "Émilie", "François", "Gaëlle", "Hugo", "Inès", "Jérôme", "Laëtitia", "Mathieu", "Noémie", "Pascal", "Romane", "Sébastien", "Thérèse", "Valentin", "Yasmine", "Zoé", "Loïc", "Maëlys", "Cédric", "Agnès"]
NOMS = ["Aubréville", "Bercloux", "Chantegrelet", "Dufrénoy", "Escartefigue", "Fontcalvy", "Garrigou", "Hautecœur", "Issartel", "Jolimont", "Labastrou", "Marcillac", "Nérestan", "Orlhac", "Peyrolle", "Quintard", "Rascagnères", "Sablayrolles", "Trémoulet", "Ustaritz", "Vaissière", "Ybarnégaray", "Lacoustille", "Mirabeau-Roux"]
FONCTIONS_CADRES = ["Cadre de santé", "Cadre supérieur de santé"]
FONCTIONS_SOIGNANTS = ["Infirmier·ère", "Infirmier·ère", "Aide-soignant·e", "Secrétaire médicale", "Praticien·ne hospitalier·ère"]
FONCTIONS_PAR_SERVICE = {
    "MAT": ["Sage-femme", "Auxiliaire de puériculture", "Infirmier·ère"],
    "PED": ["Infirmier·ère puéricultrice", "Auxiliaire de puériculture", "Pédiatre"],
    "BLOC": ["Infirmier·ère de bloc opératoire (IBODE)", "Infirmier·ère anesthésiste (IADE)"],
    "PUI": ["Préparateur·rice en pharmacie", "Pharmacien·ne"],
    "LABO": ["Technicien·ne de laboratoire", "Biologiste"],
    "IMG": ["Manipulateur·rice en radiologie", "Radiologue"],
    "EOH": ["Infirmier·ère hygiéniste"],
    "EHPAD": ["Aide-soignant·e", "Infirmier·ère", "Médecin coordonnateur·rice"],
    "SMUR": ["Médecin urgentiste", "Infirmier·ère", "Ambulancier·ère"],
}


@dataclass
class DemoReport:
    steps: list[str] = field(default_factory=list)


def _phone(rng: random.Random, mobile: bool = False) -> str:
    n = rng.randint(0, 9999)
    return f"06 39 98 {n // 100:02d} {n % 100:02d}" if mobile else f"01 99 00 {n // 100:02d} {n % 100:02d}"


def _ascii(s: str) -> str:
    from qualite_app.rules.text import fold

    return fold(s).replace(" ", "-").replace("'", "")


#: a step's report: a summary counted from the base after all steps, or a fixed line
Summary = Callable[[Session], str] | str


def _structure_summary(s: Session) -> str:
    services = s.scalar(select(func.count(Service.id))) or 0
    personnes = s.scalar(select(func.count(Personne.id))) or 0
    return f"Établissement, {services} services, {personnes} personnes"


def _structure(s: Session, today: date) -> Summary | None:
    if s.scalar(select(Etablissement.id)) is not None:
        return None
    rng = random.Random(2026)
    s.add(Etablissement(**ETABLISSEMENT))
    services: dict[str, Service] = {}
    for pole_name, items in POLES.items():
        pole = Pole(nom=pole_name)
        s.add(pole)
        for nom, code, secteur in items:
            srv = Service(nom=nom, code=code, secteur=secteur, pole=pole)
            s.add(srv)
            services[code] = srv
    s.flush()
    people: list[tuple[str, str, str, str, list[str]]] = list(KEY_PEOPLE)
    used = {(p, n) for p, n, *_ in people}
    codes = [c for c, srv in services.items() if srv.secteur not in ("ADM",)]
    while len(people) < 62:
        p, n = rng.choice(PRENOMS), rng.choice(NOMS)
        if (p, n) in used:
            continue
        used.add((p, n))
        code = rng.choice(codes)
        if len([x for x in people if x[3] == code and x[2].startswith("Cadre")]) == 0:
            fonction, roles = rng.choice(FONCTIONS_CADRES), ["Cadre de santé"]
        else:
            fonction, roles = rng.choice(FONCTIONS_PAR_SERVICE.get(code, FONCTIONS_SOIGNANTS)), []
        people.append((p, n, fonction, code, roles))
    for i, (prenom, nom, fonction, code, roles) in enumerate(people):
        srv = services[code]
        civilite = "Dr" if prenom.startswith("Dr ") else None
        prenom = prenom.removeprefix("Dr ")
        person = Personne(
            civilite=civilite,
            prenom=prenom,
            nom=nom.upper(),
            fonction=fonction,
            service_id=srv.id,
            tel_fixe=f"01 99 00 {10 + i // 100:02d} {i % 100:02d}",
            tel_mobile=_phone(rng, mobile=True) if i < 30 or rng.random() < 0.4 else None,
            dect=str(4000 + i) if rng.random() < 0.8 else None,
            email=f"{_ascii(prenom)}.{_ascii(nom)}@ch-valdebrume.fr",
            actif=True,
        )
        person.roles = [RolePersonne(libelle=r) for r in roles]
        person.cle_recherche = search_key(person, roles, srv.nom)
        s.add(person)
    return _structure_summary


def _chaine_summary(s: Session) -> str:
    from qualite_app.models.links import Lien

    liens = s.scalar(select(func.count(Lien.id)).where(Lien.cible_type == "indicateur")) or 0
    return f"{liens} action(s) PAQSS reliée(s) à leur indicateur"


def _chaine(s: Session, today: date) -> Summary | None:
    """The director's chain: PAQSS actions linked to the indicators that show whether they worked."""
    from qualite_app.models.indicateurs import Indicateur
    from qualite_app.models.links import Lien
    from qualite_app.models.paqss import PaqssAction, PaqssAxe, PaqssObjectif
    from qualite_app.rules import paqss as paqss_rules
    from qualite_app.services.paqss import ACTION_TYPE
    from qualite_app.services.paqss import search_key as action_key

    ind = {i.code: i for i in s.scalars(select(Indicateur).where(Indicateur.code.in_(["CHUTES", "IDENTITO"])))}
    if len(ind) < 2 or s.scalar(select(Lien.id).where(Lien.cible_type == "indicateur")) is not None:
        return None
    objectif = s.scalar(select(PaqssObjectif).join(PaqssAxe).order_by(PaqssAxe.id, PaqssObjectif.id))
    if objectif is None:
        return None
    # the programme starts the month the falls chart carries its note, and ends six months later
    months = indicateurs_demo.calendrier(today).mois
    debut = months[indicateurs_demo.FALLS_PROGRAMME].debut + timedelta(days=2)
    fin = months[indicateurs_demo.FALLS_PROGRAMME + 7].debut - timedelta(days=1)
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
        from qualite_app.models.paqss import PaqssActionCopilote, PaqssActionService

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
    links = [(chutes.id, ind["CHUTES"].id)]
    bracelet = s.scalar(select(PaqssAction).where(PaqssAction.titre.like("Généraliser le bracelet%")))
    if bracelet is not None:
        links.append((bracelet.id, ind["IDENTITO"].id))
    for action_id, indicateur_id in links:
        s.add(Lien(source_type=ACTION_TYPE, source_id=action_id, cible_type="indicateur", cible_id=indicateur_id, nature="suivie par l'indicateur"))
    return _chaine_summary


#: Each area appends its loader: (session, the day the demo is created) -> its summary, or None when already there.
DEMO_STEPS: list[Callable[[Session, date], Summary | None]] = [
    _structure,
    indicateurs_demo.load_demo,
    paqss_demo.demo_step,
    _chaine,
    lambda s, today: rapports.demo_step(s),
]


def load_demo(db: Database, today: date | None = None) -> DemoReport:
    """Create or complete the demo establishment in one transaction. Its dated data (indicator series,
    PAQSS deadlines) are placed relative to ``today`` (default: the real day)."""
    today = today or date.today()
    report = DemoReport()
    with db.unit_of_work() as s:
        done: list[Summary] = []
        for step in DEMO_STEPS:
            summary = step(s, today)
            if summary:
                done.append(summary)
                s.flush()
        # counted only now: a later step may add rows to an earlier step's tables
        report.steps = [line if isinstance(line, str) else line(s) for line in done]
    return report


def is_empty(db: Database) -> bool:
    with db.session() as s:
        return s.scalar(select(Etablissement.id)) is None
