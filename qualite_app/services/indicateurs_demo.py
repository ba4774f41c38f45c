"""Demo indicators of the fictional establishment: 30 indicators, 4 years of monthly/quarterly/yearly results.

Stories to find in the charts: falls drop after the prevention programme (June 2024: improvement);
identity wristbands drift down over the last year (concern); pain assessment at the emergency
department has missing months; the in-house discharge questionnaire has NR and DI quarters.
"""

from __future__ import annotations

import json
import math
import random
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualite_app.models.indicateurs import (
    Indicateur,
    IndicateurCible,
    IndicateurMesure,
    IndicateurNote,
    IndicateurRebase,
    TableauDeBord,
)
from qualite_app.models.structure import Personne, Service
from qualite_app.rules import periodes
from qualite_app.services import indicateurs as svc

YEARS = (2022, 2023, 2024, 2025)

#: code, libellé, thème, secteur, type, unité, sens, périodicité, échelle, responsable (nom), services
INSTITUTIONNELS: list[tuple[str, str, str, str, str, str, str, str, float, str, list[str]]] = [
    ("CHUTES", "Chutes de patients pour 1 000 journées d'hospitalisation", "Sécurité des soins", "MCO", "taux", "‰ JH", "baisse", "mensuelle", 1000, "CARRÈRE", ["MED", "GER", "SMR"]),
    ("ESCARRES", "Escarres acquises pendant le séjour pour 1 000 journées", "Sécurité des soins", "TOUS", "taux", "‰ JH", "baisse", "mensuelle", 1000, "DURANCEL", ["GER", "SMR"]),
    ("HH-AUDIT", "Conformité de l'hygiène des mains (audit d'observation)", "Hygiène", "TOUS", "taux", "%", "hausse", "mensuelle", 100, "FERRANDIAZ", []),
    ("BMR", "Bactéries multirésistantes acquises pour 1 000 journées", "Hygiène", "MCO", "taux", "‰ JH", "baisse", "mensuelle", 1000, "FERRANDIAZ", ["REA"]),
    ("EI-DECL", "Événements indésirables déclarés", "Gestion des risques", "TOUS", "nombre", "EI", "hausse", "mensuelle", 1, "ARSAC", []),
    ("EIGS", "Événements indésirables graves associés aux soins déclarés", "Gestion des risques", "TOUS", "nombre", "EIGS", "neutre", "mensuelle", 1, "LESTRELLE", []),
    ("ERR-MED", "Erreurs médicamenteuses déclarées", "Médicament", "TOUS", "nombre", "erreurs", "neutre", "mensuelle", 1, "PELLEGRUE", ["PUI"]),
    ("CHECKLIST", "Check-list « sécurité du patient au bloc » complète", "Sécurité des soins", "MCO", "taux", "%", "hausse", "mensuelle", 100, "ESCOFFIER", ["BLOC"]),
    ("IDENTITO", "Patients hospitalisés portant un bracelet d'identification", "Identitovigilance", "TOUS", "taux", "%", "hausse", "mensuelle", 100, "CARRÈRE", []),
    ("DMS-URG", "Durée médiane de passage aux urgences", "Parcours", "MCO", "moyenne", "min", "baisse", "mensuelle", 1, "LESTRELLE", ["URG"]),
    ("DOULEUR-URG", "Douleur évaluée à l'accueil des urgences", "Prise en charge", "MCO", "taux", "%", "hausse", "mensuelle", 100, "LESTRELLE", ["URG"]),
    ("PLAINTES", "Plaintes et réclamations écrites reçues", "Droits des patients", "TOUS", "nombre", "plaintes", "baisse", "mensuelle", 1, "GAUDRELLE", []),
    ("DELAI-PLAINTE", "Délai moyen de réponse aux plaintes", "Droits des patients", "TOUS", "moyenne", "jours", "baisse", "trimestrielle", 1, "ARSAC", []),
    ("CONTENTION", "Mesures de contention tracées avec prescription et réévaluation", "Droits des patients", "PSY", "taux", "%", "hausse", "trimestrielle", 100, "ROUQUAYROL", ["PSY"]),
    ("TRANSFUSION", "Traçabilité des produits sanguins transfusés", "Sécurité des soins", "MCO", "taux", "%", "hausse", "mensuelle", 100, "BENHADOUR", ["LABO"]),
    ("SATISF-INT", "Questionnaire de sortie : satisfaction globale", "Expérience patient", "TOUS", "score", "/100", "hausse", "trimestrielle", 1, "GAUDRELLE", []),
]

#: (code, target, alert threshold)
CIBLES: dict[str, tuple[float, float]] = {
    "CHUTES": (4.0, 5.5),
    "ESCARRES": (1.0, 1.5),
    "HH-AUDIT": (85.0, 75.0),
    "BMR": (0.5, 0.8),
    "EI-DECL": (60.0, 45.0),
    "CHECKLIST": (95.0, 90.0),
    "IDENTITO": (95.0, 90.0),
    "DMS-URG": (180.0, 240.0),
    "DOULEUR-URG": (80.0, 70.0),
    "PLAINTES": (10.0, 15.0),
    "DELAI-PLAINTE": (30.0, 45.0),
    "CONTENTION": (90.0, 80.0),
    "TRANSFUSION": (100.0, 98.0),
    "SATISF-INT": (75.0, 70.0),
    "ICSHA": (80.0, 60.0),
    "ESATIS48H-MCO": (75.0, 70.0),
    "ESATIS-CA": (78.0, 72.0),
    "ESATIS-SMR": (74.0, 70.0),
    "QLS-MCO": (80.0, 70.0),
    "QLS-SMR": (80.0, 70.0),
    "PCC": (85.0, 75.0),
    "VAG": (50.0, 35.0),
    "PCD-MCO": (90.0, 80.0),
    "ETE-ORTHO": (1.0, 1.2),
    "ISO-ORTHO": (1.0, 1.2),
    "HAD-COORD": (85.0, 75.0),
    "PSY-ISOLEMENT": (90.0, 80.0),
    "PSY-SOMA": (80.0, 70.0),
}

#: national indicators followed, yearly results 2021-2025 (None = no campaign that year; "DI"/"NR" = status)
NATIONAUX: dict[str, list[float | str | None]] = {
    "ICSHA": [71.0, 76.0, 82.0, 88.0, 91.0],
    "ESATIS48H-MCO": [72.5, 73.1, 72.8, 74.0, 74.6],
    "ESATIS-CA": [77.0, "DI", 78.2, 79.0, 78.5],
    "ESATIS-SMR": [73.0, 74.5, 73.8, 75.1, 75.0],
    "QLS-MCO": [62.0, None, 71.0, None, 79.0],
    "QLS-SMR": [70.0, None, 74.0, None, 81.0],
    "PCC": [None, 78.0, None, 83.0, None],
    "VAG": [28.0, 31.0, 33.0, 36.0, 41.0],
    "PCD-MCO": [84.0, None, 88.0, None, 91.0],
    "ETE-ORTHO": [1.1, 0.9, 1.0, 0.8, 0.9],
    "ISO-ORTHO": [0.9, 1.3, 1.0, 0.9, 0.8],
    "HAD-COORD": [None, 81.0, None, 86.0, None],
    "PSY-ISOLEMENT": [None, 74.0, None, "NR", 88.0],
    "PSY-SOMA": [66.0, None, 71.0, None, 75.0],
}
CLASSES_NAT = {"ICSHA": ["B", "B", "A", "A", "A"], "ESATIS48H-MCO": ["C", "B", "C", "B", "B"]}


def _months() -> list[periodes.Periode]:
    return periodes.serie(periodes.mois(YEARS[0], 1), periodes.mois(YEARS[-1], 12))


def _quarters() -> list[periodes.Periode]:
    return periodes.serie(periodes.parse(f"{YEARS[0]}-T1"), periodes.parse(f"{YEARS[-1]}-T4"))


def _binom(rng: random.Random, n: int, p: float) -> int:
    x = round(n * p + rng.gauss(0, 1) * math.sqrt(max(n * p * (1 - p), 0.01)))
    return max(0, min(n, x))


def _poisson(rng: random.Random, lam: float) -> int:
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    k, p, lim = 0, 1.0, math.exp(-lam)
    while True:
        p *= rng.random()
        if p <= lim:
            return k
        k += 1


def _results(code: str, rng: random.Random) -> list[tuple[str, dict[str, object]]]:
    """(period code, fields) for one institutional indicator."""
    out: list[tuple[str, dict[str, object]]] = []
    months = _months()
    if code == "CHUTES":
        for p in months:
            jh = rng.randint(5200, 6400)
            rate = 6.2 if p.debut < date(2024, 7, 1) else 3.7  # prevention programme from June 2024
            lam = rate * jh / 1000
            falls = max(0, round(rng.gauss(lam, 0.7 * math.sqrt(lam))))  # a calm series: the change must read clearly
            out.append((p.code, {"numerateur": float(falls), "denominateur": float(jh)}))
    elif code == "ESCARRES":
        for p in months:
            jh = rng.randint(5200, 6400)
            out.append((p.code, {"numerateur": float(_poisson(rng, 1.2 * jh / 1000)), "denominateur": float(jh)}))
    elif code == "BMR":
        for p in months:
            jh = rng.randint(1200, 1600)
            out.append((p.code, {"numerateur": float(_poisson(rng, 0.6 * jh / 1000)), "denominateur": float(jh)}))
    elif code in ("HH-AUDIT", "CHECKLIST", "TRANSFUSION", "DOULEUR-URG", "IDENTITO"):
        base = {"HH-AUDIT": 0.78, "CHECKLIST": 0.93, "TRANSFUSION": 0.985, "DOULEUR-URG": 0.76, "IDENTITO": 0.955}[code]
        for k, p in enumerate(months):
            if code == "DOULEUR-URG" and p.code in ("2023-07", "2023-08", "2024-02", "2025-05", "2025-06", "2025-07"):
                continue  # audits not done those months: missing periods
            n = rng.randint(60, 120) if code != "TRANSFUSION" else rng.randint(150, 260)
            prob = base
            if code == "HH-AUDIT" and p.debut >= date(2023, 1, 1):
                prob = 0.84  # new audit grid and training campaign
            if code == "IDENTITO" and k >= len(months) - 12:
                prob = base - 0.012 * (k - (len(months) - 13))  # slow drift over the last year
            out.append((p.code, {"numerateur": float(_binom(rng, n, prob)), "denominateur": float(n)}))
    elif code in ("EI-DECL", "EIGS", "ERR-MED", "PLAINTES"):
        lam = {"EI-DECL": 52.0, "EIGS": 0.6, "ERR-MED": 9.0, "PLAINTES": 11.0}[code]
        for p in months:
            out.append((p.code, {"valeur": float(_poisson(rng, lam))}))
    elif code == "DMS-URG":
        for p in months:
            winter = 25 if p.debut.month in (12, 1, 2) else 0
            out.append((p.code, {"valeur": round(rng.gauss(205 + winter, 12))}))
    elif code == "DELAI-PLAINTE":
        for p in _quarters():
            out.append((p.code, {"valeur": round(rng.gauss(34, 5), 1)}))
    elif code == "CONTENTION":
        for p in _quarters():
            n = rng.randint(20, 35)
            out.append((p.code, {"numerateur": float(_binom(rng, n, 0.86)), "denominateur": float(n)}))
    elif code == "SATISF-INT":
        for p in _quarters():
            if p.code in ("2023-T3", "2025-T1"):
                out.append((p.code, {"statut": "NR", "commentaire": "Questionnaires non saisis ce trimestre."}))
            elif p.code == "2024-T3":
                out.append((p.code, {"statut": "DI", "commentaire": "Moins de 30 questionnaires retournés."}))
            else:
                out.append((p.code, {"valeur": round(rng.gauss(76, 1.5), 1)}))
    return out


def load_demo(s: Session) -> str | None:
    """Demo step: idempotent (nothing when indicators already exist)."""
    if s.scalar(select(Indicateur.id).limit(1)) is not None:
        return None
    if s.scalar(select(Service.id).limit(1)) is None:
        return None  # the structure step did not run
    rng = random.Random(2024)
    people = {p.nom: p.id for p in s.scalars(select(Personne))}
    services = {srv.code: srv for srv in s.scalars(select(Service)) if srv.code}
    inds: dict[str, Indicateur] = {}
    for code, libelle, theme, secteur, type_, unite, sens, per, echelle, resp, srv_codes in INSTITUTIONNELS:
        ind = Indicateur(
            code=code, libelle=libelle, theme=theme, secteur=secteur, type=type_, unite=unite, sens=sens,
            source="institutionnel", periodicite=per, echelle=echelle, responsable_id=people.get(resp), suivi=True,
            graphique="auto", services=[services[c] for c in srv_codes if c in services],
        )  # fmt: skip
        s.add(ind)
        inds[code] = ind
    for code in NATIONAUX:
        e = svc.catalogue_entry(code)
        assert e is not None, code
        ind = svc._from_catalogue(e)
        ind.responsable_id = people.get("ARSAC")
        s.add(ind)
        inds[code] = ind
    inds["CHUTES"].points_base = 24  # limits frozen on 2022-2023, before the prevention programme
    inds["CHUTES"].definition = "Nombre de chutes déclarées rapporté au nombre de journées d'hospitalisation du mois, × 1 000."
    inds["IDENTITO"].definition = "Audit mensuel un jour donné : patients hospitalisés portant un bracelet lisible et conforme."
    s.flush()
    for code, (cible, alerte) in CIBLES.items():
        if code == "HH-AUDIT":
            s.add(IndicateurCible(indicateur_id=inds[code].id, cible=80.0, seuil_alerte=70.0, debut=date(2020, 1, 1), fin=date(2023, 12, 31)))
            s.add(IndicateurCible(indicateur_id=inds[code].id, cible=cible, seuil_alerte=alerte, debut=date(2024, 1, 1)))
        else:
            s.add(IndicateurCible(indicateur_id=inds[code].id, cible=cible, seuil_alerte=alerte, debut=date(2020, 1, 1)))
    n = 0
    rows = []
    for code, *_rest in INSTITUTIONNELS:
        ind = inds[code]
        for per, fields in _results(code, rng):
            m = svc.clean_mesure(svc.MesureData(periode=per, source="Démonstration", **fields), ind.type, ind.echelle)  # type: ignore[arg-type]
            rows.append((ind, m))
    # falls per service (the dashboard's service filter)
    for srv_code, share in (("MED", 0.35), ("GER", 0.4), ("SMR", 0.25)):
        sub = random.Random(srv_code)
        for p in _months():
            jh = round(share * sub.randint(5200, 6400))
            rate = (6.2 if p.debut < date(2024, 7, 1) else 3.9) * (1.4 if srv_code == "GER" else 0.9)
            m = svc.MesureData(periode=p.code, numerateur=float(_poisson(sub, rate * jh / 1000)), denominateur=float(jh), service_id=services[srv_code].id, source="Démonstration")
            rows.append((inds["CHUTES"], svc.clean_mesure(m, "taux", 1000)))
    for code, values in NATIONAUX.items():
        ind = inds[code]
        for k, v in enumerate(values):
            if v is None:
                continue
            year = str(2021 + k)
            classes = CLASSES_NAT.get(code)
            if isinstance(v, str):
                m = svc.MesureData(periode=year, statut=v, source="Open data HAS (démonstration)")
            else:
                m = svc.MesureData(periode=year, valeur=v, classe=classes[k] if classes else None, source="Open data HAS (démonstration)")
            rows.append((ind, svc.clean_mesure(m, "score" if ind.type == "taux" else ind.type, ind.echelle)))
    for ind, m in rows:
        s.add(
            IndicateurMesure(
                indicateur_id=ind.id, periode=m.periode, periode_debut=periodes.from_code(m.periode).debut,
                service_id=m.service_id, numerateur=m.numerateur, denominateur=m.denominateur, valeur=m.valeur,
                classe=m.classe, statut=m.statut, commentaire=m.commentaire, source=m.source,
            )  # fmt: skip
        )
        n += 1
    s.add(IndicateurRebase(indicateur_id=inds["HH-AUDIT"].id, date=date(2023, 1, 1), motif="Nouvelle grille d'audit et campagne de formation (changement de méthode)."))
    s.add(IndicateurNote(indicateur_id=inds["CHUTES"].id, date=date(2024, 6, 1), texte="Programme de prévention des chutes : rondes de nuit, chaussage, tapis"))
    s.add(IndicateurNote(indicateur_id=inds["IDENTITO"].id, date=date(2025, 3, 1), texte="Changement de fournisseur des bracelets"))
    s.add(TableauDeBord(nom="CME", filtres="{}", indicateurs="[]"))
    s.add(TableauDeBord(nom="Hygiène", filtres=json.dumps({"theme": "Hygiène"}, ensure_ascii=False), indicateurs="[]"))
    cdu = ["SATISF-INT", "PLAINTES", "DELAI-PLAINTE", "CONTENTION", "ESATIS48H-MCO", "ESATIS-CA", "ESATIS-SMR", "PSY-ISOLEMENT"]
    s.add(TableauDeBord(nom="CDU", filtres="{}", indicateurs=json.dumps(cdu)))
    return f"{len(inds)} indicateurs suivis, {n} résultats, 3 tableaux de bord (CME, CDU, Hygiène)"
