"""The indicators' vocabularies: code → label (pure data, shared by services, forms and the journal)."""

from __future__ import annotations

SECTEURS = {"TOUS": "Tous secteurs", "MCO": "MCO", "SMR": "SMR", "HAD": "HAD", "PSY": "Psychiatrie", "EHPAD": "EHPAD"}
TYPES = {"taux": "Taux (numérateur / dénominateur)", "nombre": "Nombre", "score": "Score sur 100", "moyenne": "Moyenne", "classe": "Classe (A à E)"}
SENS = {"hausse": "Plus haut = mieux", "baisse": "Plus bas = mieux", "neutre": "Sans sens"}
SOURCES = {"IQSS": "IQSS (national)", "e-Satis": "e-Satis (national)", "institutionnel": "Institutionnel", "CPOM": "Contractuel CPOM", "CAQES": "Contractuel CAQES"}
GRAPHIQUES = {"auto": "Automatique", "xmr": "Valeurs individuelles (XmR)", "p": "Proportions (p)", "u": "Taux (u)", "run": "Graphique de séquences (médiane)"}
STATUTS = {"NR": "Non recueilli", "NV": "Non validé", "DI": "Données insuffisantes"}
