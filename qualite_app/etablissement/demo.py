"""The fictional demo establishment: structure and directory. Every name, number and address here is
invented. Phone numbers use the ranges ARCEP reserves for fiction (01 99 00 xx xx, 06 39 98 xx xx)."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualite_app.etablissement.annuaire import search_key
from qualite_app.etablissement.models import Etablissement, Personne, Pole, RolePersonne, Service

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




def _phone(rng: random.Random, mobile: bool = False) -> str:
    n = rng.randint(0, 9999)
    return f"06 39 98 {n // 100:02d} {n % 100:02d}" if mobile else f"01 99 00 {n // 100:02d} {n % 100:02d}"


def _ascii(s: str) -> str:
    from qualite_app.rules.text import fold

    return fold(s).replace(" ", "-").replace("'", "")


from qualite_app.demo import Summary  # noqa: E402


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




def demo_step(s: Session, today: date) -> Summary | None:
    return _structure(s, today)
