"""Demo indicators of the fictional establishment: 30 indicators, 4 years of monthly and quarterly
results and 5 yearly campaigns, each series ending at the last complete period before the day the demo
is created (monthly: the previous month; quarterly: the previous complete quarter; yearly: last year).

Stories to find in the charts (placed by their rank in the series, so they move with it): falls drop
after the prevention programme (18 months before the end: improvement); identity wristbands drift down
over the last year (concern); pain assessment at the emergency department has missing months; the
in-house discharge questionnaire has NR and DI quarters.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualite_app.etablissement.models import Personne, Service
from qualite_app.indicateurs import services as svc
from qualite_app.indicateurs.models import (
    Indicateur,
    IndicateurCible,
    IndicateurMesure,
    IndicateurNote,
    IndicateurRebase,
    TableauDeBord,
)
from qualite_app.rules import periodes

#: length of the demo series: 4 years of months and quarters, 5 yearly campaigns
N_MONTHS, N_QUARTERS, N_YEARS = 48, 16, 5
#: ranks of the stories in the monthly series (0 = first month)
NEW_AUDIT_GRID = 12  # HH-AUDIT: new grid and training, a rebase
NEW_TARGET = 24  # HH-AUDIT: the target rises
FALLS_PROGRAMME = 29  # CHUTES: the prevention programme starts this month, falls drop from the next
PAIN_NOT_AUDITED = (18, 19, 25, 40, 41, 42)  # DOULEUR-URG: missing months
#: the targets apply from this day (before any demo result)
TARGETS_SINCE = date(2020, 1, 1)
#: ranks in the quarterly series: SATISF-INT statuses
QUARTERS_NR, QUARTER_DI = (6, 12), 10


@dataclass(frozen=True)
class Calendrier:
    """The periods of the demo series for a given creation day."""

    mois: list[periodes.Periode]
    trimestres: list[periodes.Periode]
    annees: list[periodes.Periode]


def calendrier(today: date) -> Calendrier:
    """Series end at the last complete period before ``today``."""
    last_month = today.year * 12 + today.month - 2  # months since year 0, the previous month
    first_month = last_month - (N_MONTHS - 1)
    last_quarter = today.year * 4 + (today.month - 1) // 3 - 1  # the previous complete quarter
    first_quarter = last_quarter - (N_QUARTERS - 1)
    return Calendrier(
        mois=periodes.serie(periodes.mois(first_month // 12, first_month % 12 + 1), periodes.mois(last_month // 12, last_month % 12 + 1)),
        trimestres=periodes.serie(
            periodes.parse(f"{first_quarter // 4}-T{first_quarter % 4 + 1}"), periodes.parse(f"{last_quarter // 4}-T{last_quarter % 4 + 1}")
        ),
        annees=[periodes.parse(str(today.year - N_YEARS + k)) for k in range(N_YEARS)],
    )

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

#: national indicators followed, the last 5 yearly campaigns (None = no campaign that year; "DI"/"NR" = status)
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


def _results(code: str, rng: random.Random, cal: Calendrier) -> list[tuple[str, dict[str, object]]]:
    """(period code, fields) for one institutional indicator."""
    out: list[tuple[str, dict[str, object]]] = []
    months, quarters = cal.mois, cal.trimestres
    if code == "CHUTES":
        for k, p in enumerate(months):
            jh = rng.randint(5200, 6400)
            rate = 6.2 if k <= FALLS_PROGRAMME else 3.7  # the prevention programme works from the next month
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
            if code == "DOULEUR-URG" and k in PAIN_NOT_AUDITED:
                continue  # audits not done those months: missing periods
            n = rng.randint(60, 120) if code != "TRANSFUSION" else rng.randint(150, 260)
            prob = base
            if code == "HH-AUDIT" and k >= NEW_AUDIT_GRID:
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
        for p in quarters:
            out.append((p.code, {"valeur": round(rng.gauss(34, 5), 1)}))
    elif code == "CONTENTION":
        for p in quarters:
            n = rng.randint(20, 35)
            out.append((p.code, {"numerateur": float(_binom(rng, n, 0.86)), "denominateur": float(n)}))
    elif code == "SATISF-INT":
        for k, p in enumerate(quarters):
            if k in QUARTERS_NR:
                out.append((p.code, {"statut": "NR", "commentaire": "Questionnaires non saisis ce trimestre."}))
            elif k == QUARTER_DI:
                out.append((p.code, {"statut": "DI", "commentaire": "Moins de 30 questionnaires retournés."}))
            else:
                out.append((p.code, {"valeur": round(rng.gauss(76, 1.5), 1)}))
    return out


def summary(s: Session) -> str:
    """What the base holds, counted once every demo step has run."""
    suivis = s.scalar(select(func.count(Indicateur.id)).where(Indicateur.suivi.is_(True))) or 0
    resultats = s.scalar(select(func.count(IndicateurMesure.id))) or 0
    tableaux = list(s.scalars(select(TableauDeBord.nom).order_by(TableauDeBord.id)))
    return f"{suivis} indicateurs suivis, {resultats} résultats, {len(tableaux)} tableaux de bord ({', '.join(tableaux)})"


def load_demo(s: Session, today: date | None = None) -> Callable[[Session], str] | None:
    """Demo step: idempotent (nothing when indicators already exist). Series end before ``today``."""
    cal = calendrier(today or date.today())
    months = cal.mois
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
        ind = svc.from_catalogue(e)
        ind.responsable_id = people.get("ARSAC")
        s.add(ind)
        inds[code] = ind
    inds["CHUTES"].points_base = 24  # limits frozen on the first 2 years, before the prevention programme
    inds["CHUTES"].definition = "Nombre de chutes déclarées rapporté au nombre de journées d'hospitalisation du mois, × 1 000."
    inds["IDENTITO"].definition = "Audit mensuel un jour donné : patients hospitalisés portant un bracelet lisible et conforme."
    s.flush()
    since = TARGETS_SINCE
    raised = months[NEW_TARGET].debut
    for code, (cible, alerte) in CIBLES.items():
        if code == "HH-AUDIT":
            s.add(IndicateurCible(indicateur_id=inds[code].id, cible=80.0, seuil_alerte=70.0, debut=since, fin=raised - timedelta(days=1)))
            s.add(IndicateurCible(indicateur_id=inds[code].id, cible=cible, seuil_alerte=alerte, debut=raised))
        else:
            s.add(IndicateurCible(indicateur_id=inds[code].id, cible=cible, seuil_alerte=alerte, debut=since))
    rows = []
    for code, *_rest in INSTITUTIONNELS:
        ind = inds[code]
        for per, fields in _results(code, rng, cal):
            m = svc.clean_mesure(svc.MesureData(periode=per, source="Démonstration", **fields), ind.type, ind.echelle)  # type: ignore[arg-type]
            rows.append((ind, m))
    # falls per service (the dashboard's service filter)
    for srv_code, share in (("MED", 0.35), ("GER", 0.4), ("SMR", 0.25)):
        sub = random.Random(srv_code)
        for k, p in enumerate(months):
            jh = round(share * sub.randint(5200, 6400))
            rate = (6.2 if k <= FALLS_PROGRAMME else 3.9) * (1.4 if srv_code == "GER" else 0.9)
            m = svc.MesureData(periode=p.code, numerateur=float(_poisson(sub, rate * jh / 1000)), denominateur=float(jh), service_id=services[srv_code].id, source="Démonstration")
            rows.append((inds["CHUTES"], svc.clean_mesure(m, "taux", 1000)))
    for code, values in NATIONAUX.items():
        ind = inds[code]
        for k, v in enumerate(values):
            if v is None:
                continue
            year = cal.annees[k].code
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
    s.add(IndicateurRebase(indicateur_id=inds["HH-AUDIT"].id, date=months[NEW_AUDIT_GRID].debut, motif="Nouvelle grille d'audit et campagne de formation (changement de méthode)."))
    s.add(IndicateurNote(indicateur_id=inds["CHUTES"].id, date=months[FALLS_PROGRAMME].debut, texte="Programme de prévention des chutes : rondes de nuit, chaussage, tapis"))
    s.add(IndicateurNote(indicateur_id=inds["IDENTITO"].id, date=months[-10].debut, texte="Changement de fournisseur des bracelets"))
    s.add(TableauDeBord(nom="CME", filtres="{}", indicateurs="[]"))
    s.add(TableauDeBord(nom="Hygiène", filtres=json.dumps({"theme": "Hygiène"}, ensure_ascii=False), indicateurs="[]"))
    cdu = ["SATISF-INT", "PLAINTES", "DELAI-PLAINTE", "CONTENTION", "ESATIS48H-MCO", "ESATIS-CA", "ESATIS-SMR", "PSY-ISOLEMENT"]
    s.add(TableauDeBord(nom="CDU", filtres="{}", indicateurs=json.dumps(cdu)))
    return summary


def demo_step(s: Session, today: date) -> Callable[[Session], str] | None:
    return load_demo(s, today)


def ids_by_code(s: Session, codes: list[str]) -> dict[str, int]:
    """For another area's demo step, inside the demo's transaction: the demo indicators' ids by code."""
    return {c: i for c, i in s.execute(select(Indicateur.code, Indicateur.id).where(Indicateur.code.in_(codes)))}
