"""Generate resources/referentiels/has_es_2025.yaml (HAS ES 2025 référentiel, in our own words).

Facts (ids, levels, scope, the method and target of each évaluation element) were cross-checked with a
public extraction (gmaquinay-hub/gocertif-web, criteria_v2025.json); every title and description below is
OUR paraphrase, short, and no element text is copied: elements carry a generated label (method, target).
One correction: 1.1-07 (external mistreatment) is an impératif here (the extraction says standard, which
gives 93/20 instead of HAS's 92/21; the criterion's own explanation calls its subject « un impératif »).

Run: python tools/referentiels/gen_has_es_2025.py > resources/referentiels/has_es_2025.yaml
"""

from __future__ import annotations

import sys

URN = "urn:qualite:referentiel:has:es:2025"

CHAPITRES = {
    "1": "Le patient",
    "2": "Les équipes de soins",
    "3": "L'établissement",
}
OBJECTIFS = {
    "1.1": "Les droits du patient sont respectés",
    "1.2": "Le patient est informé",
    "1.3": "Le patient prend part à son projet de soins",
    "1.4": "Les patients et leurs représentants participent à la vie de l'établissement",
    "2.1": "Les équipes se coordonnent autour du patient",
    "2.2": "Les risques liés aux pratiques sont maîtrisés",
    "2.3": "Les secteurs à haut risque sont sécurisés",
    "2.4": "Les équipes cultivent la pertinence et l'évaluation",
    "3.1": "La qualité et la sécurité des soins guident le management",
    "3.2": "Les ressources humaines et les compétences sont maîtrisées",
    "3.3": "L'établissement joue son rôle dans le territoire",
    "3.4": "L'établissement s'adapte à l'écoresponsabilité et au numérique",
}
CHAMPS = {
    "T": "tout", "CHIR": "chirurgie_interventionnel", "ENF": "enfants_adolescents", "AGE": "patient_age",
    "USLD": "soins_longue_duree", "PSY": "psychiatrie_sante_mentale", "HAD": "had", "MAT": "maternite",
    "SAMU": "samu_smur", "URG": "urgences", "SC": "soins_critiques", "RT": "radiotherapie", "SMR": "smr",
}
#: method code -> (method, theme)
METHODES = {
    "PT": ("patient_traceur", ""), "PP": ("parcours_traceur", ""), "OBS": ("observation", ""),
    "TC_MEDIC": ("traceur_cible", "médicament"), "TC_IAS": ("traceur_cible", "infections associées aux soins"),
    "TC_TRANSFU": ("traceur_cible", "transfusion"), "TC_INTERV": ("traceur_cible", "secteur interventionnel"),
    "TC_EIG": ("traceur_cible", "événement indésirable grave"), "TC_SAMU": ("traceur_cible", "SAMU / SMUR"),
    "TC_ISOL": ("traceur_cible", "isolement et contention"), "TC_ECT": ("traceur_cible", "électroconvulsivothérapie"),
    "TC_LIB": ("traceur_cible", "liberté d'aller et venir"),
    "AS_MGT": ("audit_systeme", "management de la qualité et des risques"), "AS_ENT": ("audit_systeme", "entretien professionnels"),
    "AS_ENGPAT": ("audit_systeme", "engagement patient"), "AS_RESS": ("audit_systeme", "ressources humaines"),
    "AS_RU": ("audit_systeme", "représentants des usagers"), "AS_CADRES": ("audit_systeme", "encadrement"),
    "AS_NUMPRO": ("audit_systeme", "numérique (professionnels)"), "AS_NUMGOUV": ("audit_systeme", "numérique (gouvernance)"),
    "AS_TERRIT": ("audit_systeme", "ancrage territorial"),
}
CIBLES = {"PAT": "patient", "PRO": "professionnels", "GOUV": "gouvernance", "OBS": "observation",
          "RU": "representants_usagers", "CADRES": "encadrement"}
METHODE_LIB = {"patient_traceur": "patient traceur", "parcours_traceur": "parcours traceur", "traceur_cible": "traceur ciblé",
               "audit_systeme": "audit système", "observation": "observation"}
CIBLE_LIB = {"patient": "patient", "professionnels": "professionnels", "gouvernance": "gouvernance", "observation": "terrain",
             "representants_usagers": "représentants des usagers", "encadrement": "encadrement"}

# id | level (S/I/A) | scope | elements (CODE:TARGET*count) | our short title
DATA = """
1.1-01|I|T|PT:PAT*2 OBS:OBS*4|Intimité et dignité du patient garanties dans un cadre sûr
1.1-02|I|T|PP:PRO*3 OBS:OBS|Un environnement adapté aux patients mineurs
1.1-03|S|T|PT:PAT AS_MGT:GOUV*2 AS_ENT:PRO OBS:OBS|Confidentialité et secret professionnel respectés
1.1-04|S|T|PT:PRO PP:PRO*3 AS_TERRIT:GOUV|Information du patient sur les directives anticipées
1.1-05|I|T|PT:PAT PT:PRO*3|La douleur est anticipée, évaluée et soulagée vite
1.1-06|I|T|PP:PRO PP:PAT*3 AS_ENT:PRO*2|Une prise en charge bientraitante, même sous tension
1.1-07|I|T|AS_ENGPAT:GOUV*2 AS_RESS:GOUV AS_ENT:PRO*2|Repérage et prise en charge des maltraitances subies hors de l'établissement
1.1-08|S|T|PT:PAT AS_ENGPAT:GOUV*4|Accès du patient à son dossier dans les délais
1.1-09|S|T|PP:PRO*5 AS_MGT:GOUV|Décès du patient et accompagnement des proches
1.2-01|S|T|PT:PAT*5 OBS:OBS|Le patient sait ce qu'il faut pour son séjour
1.2-02|S|T|PT:PAT*5 TC_EIG:PRO|Le patient comprend sa prise en charge
1.2-03|S|CHIR|PP:PRO*2 PP:PAT*2|Information et suivi des dispositifs implantés
1.2-04|S|T|PP:PRO*6|Consignes de suivi préparées pour la sortie
1.2-05|S|T|PT:PAT*3 OBS:OBS|Le patient connaît les représentants des usagers et les bénévoles
1.3-01|I|T|PT:PAT*2 PT:PRO*4|Consentement libre et éclairé au projet de soins
1.3-02|S|T|PT:PAT*2 PT:PRO*2|Désignation d'une personne de confiance
1.3-03|S|T|PT:PAT*3 PT:PRO|Une prise en charge ajustée aux besoins du patient
1.3-04|S|T|PP:PRO*3 PP:PAT|Autonomie préservée du patient en situation de handicap
1.3-05|S|T|PP:PRO*3 PP:PAT|Orientation sociale du patient en précarité
1.3-06|S|ENF|PT:PAT*2 PP:PRO*2|Liens familiaux et scolaires du mineur maintenus
1.3-07|S|AGE|PT:PAT*3 PT:PRO*2|Autonomie du patient âgé préservée
1.3-08|S|USLD|PT:PAT*2 PT:PRO*2|Activités et lien social en soins de longue durée
1.3-09|S|PSY|PT:PAT PT:PRO PP:PRO*3 AS_MGT:GOUV|Inclusion sociale du patient avec troubles psychiques
1.3-10|S|T|PT:PAT PT:PRO*2 OBS:OBS|Messages de prévention pour agir sur sa santé
1.3-11|S|T|PT:PAT PT:PRO PP:PRO*2|Proches et aidants associés au projet de soins
1.3-12|S|HAD|PT:PAT*3 PT:PRO PP:PRO PT:PRO|Adhésion du patient et des proches à l'HAD
1.4-01|S|T|PT:PAT*4 PT:PRO OBS:OBS|Le patient peut dire sa satisfaction et son expérience
1.4-02|I|T|AS_ENGPAT:GOUV*3 AS_ENT:PRO*3|Satisfaction et expérience des patients prises en compte
1.4-03|A|T|AS_ENGPAT:GOUV*3 AS_ENT:PRO|Questionnaires de résultats rapportés par les patients soutenus
1.4-04|S|T|AS_ENGPAT:GOUV*3 PP:PRO|Patients partenaires mobilisés dans les parcours
1.4-05|S|T|AS_RU:RU*5|Représentants des usagers impliqués dans la vie de l'établissement
1.4-06|S|T|AS_RU:RU*4|Représentants des usagers bien informés
2.1-01|S|T|PP:PAT*2 PP:PRO*3|Consultations externes et hospitalisation coordonnées
2.1-02|S|T|PP:PRO*4 AS_NUMPRO:PRO|Accès aux informations du patient par le système d'information
2.1-03|S|T|PP:PRO*5|Coordination autour du projet de soins
2.1-04|S|T|TC_MEDIC:PRO*5|Conciliation médicamenteuse pour les patients ciblés
2.1-05|S|T|PP:PRO*5|Démarche palliative coordonnée
2.1-06|S|T|PP:PRO*3 AS_MGT:GOUV|Prévention des troubles nutritionnels
2.1-07|S|CHIR|TC_INTERV:PRO*5|Coordination des équipes des secteurs interventionnels
2.1-08|S|MAT|PT:PAT*2 PP:PRO*4|Accompagnement du projet de parentalité
2.1-09|S|HAD|PP:PRO*4|Coordination de la prise en charge à domicile
2.1-10|S|PSY|PP:PRO*4|Accès aux soins organisé et suivi en psychiatrie
2.1-11|S|PSY|PP:PRO*5|Prévention du passage à l'acte suicidaire
2.1-12|I|PSY|PP:PRO*4|Examen somatique de tout patient hospitalisé en psychiatrie
2.1-13|S|T|PP:PRO*2 PP:PAT OBS:OBS|Transports internes des patients coordonnés
2.1-14|S|T|PP:PRO*3 AS_MGT:GOUV|Lettre de liaison remise à la sortie
2.2-01|S|T|PP:PRO*2 AS_MGT:GOUV*2 AS_NUMPRO:PRO*2|Identification fiable du patient à chaque étape
2.2-02|S|T|TC_MEDIC:PRO*4|Bonnes pratiques de prescription des médicaments
2.2-03|S|T|TC_MEDIC:PRO*6|Bonnes pratiques de dispensation des médicaments
2.2-04|S|T|TC_MEDIC:PRO*4 OBS:OBS|Approvisionnement sûr des produits de santé
2.2-05|I|T|TC_MEDIC:PRO*5|Bonnes pratiques d'administration des médicaments
2.2-06|I|T|TC_MEDIC:PRO*5|Prévention des erreurs médicamenteuses
2.2-07|A|T|TC_MEDIC:PRO*3 AS_ENGPAT:GOUV|Auto-administration de ses médicaments par le patient hospitalisé
2.2-08|I|T|OBS:PRO TC_IAS:PRO*5|Précautions standard d'hygiène appliquées
2.2-09|S|T|PT:PAT TC_IAS:PRO*2 OBS:OBS|Précautions complémentaires d'hygiène appliquées
2.2-10|S|T|TC_IAS:PRO*4|Risque infectieux des dispositifs invasifs maîtrisé
2.2-11|S|T|TC_TRANSFU:PRO*5|Risques transfusionnels maîtrisés
2.2-12|I|T|PP:PRO*5 AS_MGT:GOUV|Urgences vitales prises en charge sans délai
2.2-13|S|T|PP:PRO*5 OBS:OBS|Risques des rayonnements ionisants maîtrisés
2.3-01|S|SAMU|TC_SAMU:PRO*6|Régulation médicale adaptée de chaque appel au SAMU
2.3-02|S|SAMU|TC_SAMU:PRO*4|Dossier préhospitalier du SMUR complet
2.3-03|S|URG|PP:PRO*4 PP:PAT|Orientation aux urgences dans les bons circuits et délais
2.3-04|S|CHIR|PP:PRO TC_INTERV:PRO*3|Prise en charge anesthésique maîtrisée
2.3-05|S|CHIR|TC_INTERV:PRO*4|Antibioprophylaxie des actes invasifs
2.3-06|I|CHIR|TC_INTERV:PRO*3 OBS:OBS|Risques infectieux et d'équipement maîtrisés au bloc
2.3-07|S|CHIR|TC_INTERV:PRO*6|Circuit des dispositifs réutilisables thermosensibles
2.3-08|S|CHIR|PT:PAT PT:PRO PP:PRO*2|Parcours sécurisé en chirurgie ambulatoire
2.3-09|I|CHIR|TC_INTERV:PRO*4|Check-list « sécurité du patient » analysée pour progresser
2.3-10|I|MAT|PP:PRO*5|Prévention des risques obstétricaux majeurs
2.3-11|I|MAT|PP:PRO*6|Sécurité de la prise en charge du nouveau-né
2.3-12|S|SC|PP:PRO*4|Risques maîtrisés en soins critiques
2.3-13|S|SC|PP:PRO*6|Prélèvement et greffe évalués et améliorés
2.3-14|I|PSY|TC_ISOL:PRO*6|Isolement et contention des patients sans consentement encadrés
2.3-15|S|T|TC_ECT:PRO*6|Prévention des risques de l'électroconvulsivothérapie
2.3-16|S|RT|PP:PRO*6|Risques de la radiothérapie maîtrisés
2.4-01|S|T|AS_MGT:GOUV AS_ENT:PRO*4|Protocoles à jour des recommandations de bonne pratique
2.4-02|I|T|TC_MEDIC:PRO*6|Antibiothérapie justifiée et réévaluée
2.4-03|S|T|PT:PAT TC_LIB:PRO*4|Mesures restrictives de liberté justifiées et réévaluées
2.4-04|S|T|AS_MGT:GOUV AS_ENT:PRO*3|Réflexion des équipes sur des soins écoresponsables
2.4-05|S|SMR|PP:PRO*5|Pertinence de l'admission et du séjour en SMR
2.4-06|S|T|PP:PRO*2 AS_MGT:GOUV*2|Pratiques améliorées à partir des indicateurs cliniques
2.4-07|S|CHIR|TC_INTERV:PRO*4|Indicateurs des secteurs interventionnels analysés
2.4-08|S|SC|PP:PRO*3 AS_MGT:GOUV|Pratiques des soins critiques évaluées et améliorées
2.4-09|S|T|PP:PRO*4|Qualité des examens d'imagerie et de biologie analysée
3.1-01|S|T|AS_MGT:GOUV*3 AS_CADRES:CADRES AS_ENT:PRO AS_MGT:GOUV|Politique qualité et sécurité des soins déployée
3.1-02|S|T|AS_MGT:GOUV*3 AS_CADRES:CADRES AS_ENT:PRO*2|Culture qualité et sécurité soutenue
3.1-03|A|T|PP:PRO AS_MGT:GOUV*3|Médecins et équipes médicales accrédités
3.1-04|I|T|TC_EIG:PRO*4 AS_ENT:PRO|Déclaration et analyse des événements indésirables encouragées
3.1-05|I|T|AS_MGT:GOUV*5 AS_ENT:PRO|Situations sanitaires exceptionnelles maîtrisées
3.1-06|S|T|AS_MGT:GOUV*3 AS_ENT:PRO*2|Questionnement éthique promu et soutenu
3.1-07|S|T|AS_NUMGOUV:GOUV*5 AS_NUMPRO:PRO|Risques de sécurité numérique maîtrisés
3.1-08|S|T|AS_NUMGOUV:GOUV*4 AS_NUMPRO:PRO|Identification sûre des utilisateurs du système d'information
3.1-09|S|T|AS_NUMGOUV:GOUV*3 AS_NUMPRO:PRO*3|Données du patient protégées
3.2-01|S|T|AS_ENT:PRO*4|Continuité des soins dans toutes les unités
3.2-02|S|T|AS_RESS:GOUV*6|Effectifs pilotés au regard de la qualité des soins
3.2-03|S|T|AS_RESS:GOUV AS_CADRES:CADRES*2 AS_ENT:PRO*3|Compétences des équipes vérifiées et entretenues
3.2-04|A|T|AS_RESS:GOUV*4|Formation à la gestion des risques par la simulation
3.2-05|S|T|AS_CADRES:CADRES*4|Responsables d'équipe formés et soutenus
3.2-06|S|T|AS_CADRES:CADRES AS_RESS:GOUV AS_ENT:PRO*4|Santé des professionnels protégée
3.2-07|S|T|AS_RESS:GOUV*2 AS_ENT:PRO OBS:OBS|Sécurité des professionnels assurée
3.2-08|S|T|AS_RESS:GOUV*3 AS_ENT:PRO*3|Politique de qualité de vie au travail
3.2-09|S|T|AS_RESS:GOUV AS_ENT:PRO*4 OBS:OBS|Environnement favorable à la qualité de vie au travail
3.2-10|S|T|AS_RESS:GOUV*3 AS_ENT:PRO*2|Conflits et difficultés relationnelles prévenus et traités
3.2-11|S|T|AS_RESS:GOUV AS_ENT:PRO*3|Travail en équipe encouragé
3.3-01|S|T|AS_TERRIT:GOUV*4|Coordination des parcours dans le territoire
3.3-02|S|T|AS_TERRIT:GOUV*4 PP:PRO|Orientation du patient vers le bon parcours
3.3-03|S|PSY|AS_TERRIT:GOUV*4|Participation au projet territorial de santé mentale
3.3-04|S|T|AS_TERRIT:GOUV*6|Prises en charge non programmées organisées
3.3-05|I|T|AS_TERRIT:GOUV*6|Transferts évitables des personnes âgées prévenus
3.3-06|S|T|AS_ENGPAT:GOUV*2 AS_TERRIT:GOUV*3|Établissement facile à joindre
3.3-07|S|T|AS_TERRIT:GOUV*5|Recherche clinique encouragée
3.3-08|S|T|AS_TERRIT:GOUV*6|Mission d'enseignement dans le territoire
3.4-01|S|T|OBS:OBS AS_MGT:GOUV*3 AS_ENT:PRO|Locaux et équipements entretenus
3.4-02|S|T|AS_MGT:GOUV*2 AS_ENT:PRO*3|Engagement dans des soins écoresponsables
3.4-03|S|T|AS_MGT:GOUV*5 OBS:OBS|Action pour la transition écologique
3.4-04|S|T|AS_TERRIT:GOUV*4 PP:PRO*2|La télésanté au service du parcours
3.4-05|S|T|AS_NUMGOUV:GOUV*5 AS_NUMPRO:PRO|Dispositifs médicaux numériques pilotés, dont l'intelligence artificielle
3.4-06|A|T|AS_NUMGOUV:GOUV*4|Outils innovants sans finalité médicale maîtrisés
"""

NIVEAUX = {"S": "standard", "I": "imperatif", "A": "avance"}


def q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def rows() -> list[tuple[str, str, str, list[tuple[str, str]], str]]:
    out = []
    for line in DATA.strip().splitlines():
        ref, lvl, champ, ees, titre = line.split("|")
        elements: list[tuple[str, str]] = []
        for tok in ees.split():
            code, _, rest = tok.partition(":")
            cible, _, n = rest.partition("*")
            elements += [(code, cible)] * int(n or 1)
        out.append((ref, NIVEAUX[lvl], CHAMPS[champ], elements, titre))
    return out


def main() -> None:
    w = sys.stdout.write
    data = rows()
    w("# Référentiel de certification des établissements de santé, HAS, cycle 2025 — reformulé par nous.\n")
    w("# Identifiants, niveaux, champs, méthodes et cibles vérifiés sur une extraction publique ; intitulés\n")
    w("# rédigés par nous (aucun texte officiel copié). Éléments d'évaluation : libellé généré (méthode, cible),\n")
    w("# à compléter par l'établissement. 1.1-07 classé impératif (92 / 21 / 5 comme la HAS).\n")
    w(f"urn: {URN}\nversion: \"2025.1\"\nnom: \"HAS — Certification des établissements de santé 2025\"\n")
    w("editeur: \"Haute Autorité de santé (reformulation Qualité & Risques)\"\ndate_publication: 2025-01-01\n")
    w("langue: fr\ntype: has_es\nnoeuds:\n")
    for ch, lib in CHAPITRES.items():
        w(f"  - {{urn: {URN}:{ch}, profondeur: 1, type: chapitre, ref: \"{ch}\", titre: {q(lib)}}}\n")
        for ob, olib in OBJECTIFS.items():
            if not ob.startswith(ch + "."):
                continue
            w(f"  - {{urn: {URN}:{ob}, parent: {URN}:{ch}, profondeur: 2, type: objectif, ref: \"{ob}\", titre: {q(olib)}}}\n")
            for ref, niveau, champ, elements, titre in data:
                if not ref.startswith(ob + "-"):
                    continue
                methodes = sorted({METHODES[c][0] for c, _ in elements})
                cibles = sorted({CIBLES[t] for _, t in elements})
                w(f"  - urn: {URN}:{ref}\n    parent: {URN}:{ob}\n    profondeur: 3\n    type: critere\n")
                w(f"    ref: \"{ref}\"\n    titre: {q(titre)}\n    niveau: {niveau}\n    champ: [{champ}]\n")
                w(f"    cibles: [{', '.join(cibles)}]\n    methodes: [{', '.join(methodes)}]\n")
                for i, (code, cible) in enumerate(elements, start=1):
                    m, theme = METHODES[code]
                    c = CIBLES[cible]
                    lib = f"Élément {i} — {METHODE_LIB[m]}" + (f" ({theme})" if theme else "") + f", {CIBLE_LIB[c]}"
                    w(f"  - {{urn: {URN}:{ref}:ee{i:02d}, parent: {URN}:{ref}, profondeur: 4, type: element, "
                      f"ref: \"{ref}-EE{i:02d}\", titre: {q(lib)}, methodes: [{m}], cibles: [{c}]}}\n")


if __name__ == "__main__":
    main()
