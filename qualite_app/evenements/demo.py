"""Three years of fictional adverse events (~1,500), 4 EIGS at every stage of their calendar, 12 cause
analyses (ALARM, RMM, CREX/ORION) with factors and the PAQSS actions they produced.

Dates are relative to the day the demo is loaded: one EIGS always has its part 2 overdue, another is
due in ten days. The events are inserted in bulk (Core) and journaled by ``journal_bulk_insert``, so the
demo stays fast; nothing in the texts identifies a patient.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session

from qualite_app.etablissement.models import Service
from qualite_app.evenements import catalogue, rules
from qualite_app.evenements.models import TYPE_ANALYSE, CrexEvenement, CrexSeance, DeclarationEigs, Evenement
from qualite_app.evenements.services.analyses import AnalyseData, EtapeData, FacteurData, apply_analyse
from qualite_app.evenements.services.saisie import PREFIXE, pays, search_key

N_EVENEMENTS = 1500
#: type → (weight, [facts])
FAITS: dict[str, tuple[int, list[str]]] = {
    "chute": (28, ["Patient retrouvé au sol près du lit, sans témoin.", "Chute lors d'un transfert fauteuil-lit.",
                   "Chute aux sanitaires la nuit, appel malade non utilisé.", "Glissade dans le couloir sur sol mouillé."]),
    "medicament": (22, ["Dose d'anticoagulant administrée deux fois.", "Oubli d'administration d'un antibiotique.",
                        "Erreur de débit sur une pompe à perfusion.", "Médicament à haut risque stocké hors armoire sécurisée.",
                        "Prescription non adaptée à la fonction rénale."]),
    "identite": (10, ["Bracelet d'identification absent à l'arrivée au bloc.", "Étiquettes d'un autre patient sur un tube de prélèvement.",
                      "Doublon d'identité créé à l'admission."]),
    "soins": (12, ["Escarre apparue pendant le séjour.", "Surveillance post-opératoire non tracée pendant quatre heures.",
                   "Retard de prise en charge d'une douleur thoracique."]),
    "infection": (5, ["Infection du site opératoire après pose de prothèse.", "Bactérie multirésistante découverte sans isolement."]),
    "acte_invasif": (3, ["Compresse retrouvée au comptage final, reprise du comptage.", "Marquage du site opératoire absent."]),
    "dispositif": (7, ["Panne du scope en salle de réveil.", "Lit électrique bloqué en position haute."]),
    "violence": (6, ["Agression verbale d'un soignant aux urgences.", "Fugue d'un patient désorienté."]),
    "organisation": (5, ["Transport vers l'imagerie annulé sans prévenir le service.", "Transmissions incomplètes au changement d'équipe."]),
    "systeme_information": (2, ["Dossier patient informatisé indisponible deux heures."]),
}  # fmt: skip
GRAVITES = {"1": 38, "2": 30, "3": 19, "4": 10, "5": 3}
ROLES = [
    "Infirmier·ère",
    "Aide-soignant·e",
    "Médecin",
    "Cadre de santé",
    "Pharmacien·ne",
    "Manipulateur·rice radio",
    "Sage-femme",
]
MESURES = [
    "Examen médical et surveillance renforcée.",
    "Information du médecin de garde.",
    "Mise en sécurité du matériel.",
    None,
]


def events(
    s: Session, today: date, rng: random.Random, n: int = N_EVENEMENTS, years: int = 3
) -> list[dict[str, object]]:
    """``n`` fictional events over the last ``years`` years, as rows for a bulk insert (also the benchmark's)."""
    country = pays(s)
    care = select(Service.id, Service.nom).where(or_(Service.secteur.is_(None), Service.secteur != "ADM"))
    services: list[tuple[int | None, str | None]] = [(i, n) for i, n in s.execute(care)] or [
        (None, None)
    ]  # care units
    ech = catalogue.echelle(country)
    codes = [t for t in FAITS if t in {x.code for x in catalogue.types(country)}] or [
        catalogue.types(country)[0].code
    ]
    weights = [FAITS.get(t, (1, []))[0] for t in codes]
    start = today - timedelta(days=years * 365)
    rows = []
    counters: dict[int, int] = {}
    moments = sorted(start + timedelta(days=rng.randrange(years * 365 - 2)) for _ in range(n))
    for day in moments:
        t = rng.choices(codes, weights)[0]
        grav = (
            rng.choices(list(GRAVITES), list(GRAVITES.values()))[0]
            if country == "FR"
            else rng.choice(ech.codes())
        )
        survenu = datetime.combine(day, datetime.min.time()) + timedelta(minutes=rng.randrange(24 * 60))
        declare = min(day + timedelta(days=rng.choice([0, 0, 1, 1, 2, 3, 7])), today)
        counters[declare.year] = counters.get(declare.year, 0) + 1
        age = (today - day).days
        statut = rules.CLOTURE if age > 120 else rng.choice([rules.DECLARE, rules.EN_ANALYSE, rules.CLOTURE])
        sid, snom = rng.choice(services)
        row: dict[str, object] = dict(
            reference=rules.reference(PREFIXE, declare.year, counters[declare.year]), survenu_le=survenu,
            declare_le=declare, service_id=sid, lieu=None, type_code=t, sous_type_code=None,
            faits=rng.choice(FAITS.get(t, (1, ["Événement décrit par le déclarant."]))[1]),
            mesures_immediates=rng.choice(MESURES), consequences=None, echelle=country, gravite=grav,
            gravite_rang=ech.rang(grav), informe=rng.random() < 0.6 if int(ech.rang(grav) or 0) >= 3 else None,
            declarant_role=rng.choice(ROLES), statut=statut, eigs=False, source_import=None,
        )  # fmt: skip
        row["cle_recherche"] = search_key(Evenement(**row), snom)  # type: ignore[arg-type]
        rows.append(row)
    rows.sort(key=lambda r: str(r["reference"]))
    return rows


def insert_events(s: Session, rows: list[dict[str, object]]) -> list[int]:
    from qualite_app.storage.base import utcnow
    from qualite_app.storage.journal_core import journal_bulk_insert

    now = utcnow()
    for r in rows:
        r["cree_le"] = r["modifie_le"] = now
    s.execute(insert(Evenement), rows)
    ids = dict(s.execute(select(Evenement.reference, Evenement.id)).all())
    out = [ids[str(r["reference"])] for r in rows]
    journal_bulk_insert(s, Evenement, rows, out, label=lambda v: str(v["reference"]))
    return out


def _eigs_plans(today: date) -> list[tuple[date, date | None, date | None]]:
    """4 EIGS (known on, part 1 sent on, part 2 sent on): part 2 overdue; part 2 due in 10 days; both parts
    sent; just classified (part 1 due in 5 days)."""
    due10 = today + timedelta(days=10)
    return [
        (today - timedelta(days=130), today - timedelta(days=127), None),
        (rules.add_months(due10, -3) - timedelta(days=3), rules.add_months(due10, -3), None),
        (today - timedelta(days=300), today - timedelta(days=298), today - timedelta(days=215)),
        (today - timedelta(days=2), None, None),
    ]


def _eigs_rows(rows: list[dict[str, object]], today: date) -> list[str]:
    """Make 4 serious rows the EIGS, before they are inserted (their dates, severity and status as the
    registry would hold them: no « correction » in their history); returns their references."""
    last: dict[int, int] = {}
    for r in rows:
        year, n = int(str(r["reference"]).split("-")[1]), int(str(r["reference"]).rsplit("-", 1)[1])
        last[year] = max(last.get(year, 0), n)
    serious = [r for r in rows[-300:-100] if int(r["gravite_rang"] or 0) >= 4][:4]  # type: ignore[call-overload]
    refs = []
    for r, (known, _p1, p2) in zip(serious, _eigs_plans(today), strict=False):
        last[known.year] = last.get(known.year, 0) + 1
        r["reference"] = rules.reference(PREFIXE, known.year, last[known.year])
        r["survenu_le"] = datetime.combine(known - timedelta(days=1), datetime.min.time()) + timedelta(
            hours=15
        )
        r["declare_le"], r["eigs"] = known, True
        r["statut"] = rules.CLOTURE if p2 else rules.DECLARE
        refs.append(str(r["reference"]))
    return refs


def _eigs(s: Session, today: date, refs: list[str]) -> list[Evenement]:
    """The two-part declarations of the EIGS rows."""
    serious = [s.scalars(select(Evenement).where(Evenement.reference == ref)).one() for ref in refs]
    for ev, (known, p1, p2) in zip(serious, _eigs_plans(today), strict=False):
        ev.declaration_eigs = DeclarationEigs(
            connaissance_le=known, nature_circonstances=ev.faits, premieres_mesures=ev.mesures_immediates,
            information_patient="La famille a été reçue par le médecin responsable le jour même." if p1 else None,
            partie1_envoyee_le=p1, partie2_envoyee_le=p2,
            causes_profondes="Charge de travail de nuit, absence de double contrôle." if p2 else None,
            analyse_realisee="Analyse ALARM en RMM." if p2 else None,
        )  # fmt: skip
    return serious


ANALYSES = [
    ("alarm", [("equipe", "Transmissions orales incomplètes au changement d'équipe"),
               ("organisation", "Une infirmière pour vingt-huit patients la nuit"), ("patient", "Patient désorienté")],
     "Mettre en place des transmissions ciblées écrites au changement d'équipe"),
    ("rmm", [("tache", "Protocole d'anticoagulation non à jour"), ("individu", "Professionnel nouvellement arrivé")],
     "Actualiser et diffuser le protocole d'anticoagulation"),
    ("orion", [("environnement", "Éclairage de nuit insuffisant"), ("patient", "Chaussage inadapté")],
     "Installer un éclairage de nuit automatique dans les chambres"),
    ("alarm", [("tache", "Absence de double vérification des médicaments à haut risque"),
               ("contexte", "Pénurie de pharmaciens")], "Instaurer la double vérification des médicaments à haut risque"),
    ("rmm", [("equipe", "Communication difficile entre urgences et réanimation"), ("organisation", "Pas de cellule de lits")],
     "Formaliser le transfert urgences-réanimation"),
    ("orion", [("individu", "Méconnaissance du bracelet d'identification"), ("organisation", "Bracelets non disponibles la nuit")],
     "Mettre à disposition des bracelets aux urgences 24 h sur 24"),
    ("alarm", [("environnement", "Sol glissant après le bionettoyage"), ("tache", "Signalétique absente")],
     "Revoir les horaires de bionettoyage des couloirs"),
    ("rmm", [("patient", "Comorbidités lourdes"), ("equipe", "Avis spécialisé tardif")],
     "Définir un délai d'avis spécialisé en médecine"),
    ("orion", [("organisation", "Planification des transports défaillante")], "Créer un circuit de régulation des brancardages"),
    ("alarm", [("individu", "Fatigue en fin de garde"), ("organisation", "Gardes de 24 heures")],
     "Évaluer l'organisation des gardes de chirurgie"),
    ("rmm", [("tache", "Check-list de bloc incomplète")], "Auditer l'usage de la check-list au bloc opératoire"),
    ("alarm", [("equipe", "Rôles non définis en cas d'urgence vitale"), ("contexte", "Formation AFGSU non renouvelée")],
     "Planifier les recyclages AFGSU des équipes"),
]  # fmt: skip


def _analyses(s: Session, today: date, rng: random.Random, ids: list[int], eigs: list[Evenement]) -> None:
    from qualite_app.errors import UserError
    from qualite_app.paqss import services as paqss

    try:
        paqss.objectif_par_defaut(s)
        has_programme = True
    except UserError:  # no PAQSS demo: the analyses without their actions
        has_programme = False
    for n, (methode, facteurs, action) in enumerate(ANALYSES):
        le = today - timedelta(days=25 + 60 * (len(ANALYSES) - n - 1) // 2)
        pool = ids[-400:]
        analysed = eigs[:3]  # the EIGS just classified is not analysed yet
        events = [analysed[n].id] if n < len(analysed) else rng.sample(pool, rng.choice([1, 1, 2]))
        if n < len(analysed):  # an EIGS is analysed within weeks of being known
            le = min(today, analysed[n].declare_le + timedelta(days=20))
        seance_id = None
        if methode == "orion":
            seance = CrexSeance(le=le, intitule=f"CREX du {le:%d/%m/%Y}")
            s.add(seance)
            s.flush()
            seance_id = seance.id
            for i in dict.fromkeys([*events, *rng.sample(pool, 3)]):
                s.add(CrexEvenement(seance_id=seance.id, evenement_id=i, retenu=i in events))
        data = AnalyseData(
            methode, le, events, "Cadre de santé, infirmier·ère, médecin du service, gestionnaire de risques",
            "Écart entre le protocole et la pratique observée.", f"Facteurs principaux : {facteurs[0][1].lower()}.",
            etapes=[EtapeData("J0 21 h 00", "Prise en charge par l'équipe de nuit"),
                    EtapeData("J0 23 h 30", "Survenue de l'événement", "Surveillance non réalisée à l'heure prévue"),
                    EtapeData("J1 08 h 00", "Information du médecin et de l'encadrement")],
            facteurs=[FacteurData(f, d) for f, d in facteurs], crex_seance_id=seance_id,
        )  # fmt: skip
        a = apply_analyse(s, data, today)
        s.flush()
        if has_programme:
            act = paqss.action_depuis(s, TYPE_ANALYSE, a.id, action, "ei", source_detail=f"Analyse {a.reference}",
                                      echeance=le + timedelta(days=rng.choice([90, 120, 180])), today=le)  # fmt: skip
            act.date_debut = le
            for x in a.evenements:
                s.get(Evenement, x.evenement_id).statut = rules.ACTIONS_DECIDEES  # type: ignore[union-attr]


def _summary(s: Session) -> str:
    n = s.scalar(select(func.count(Evenement.id))) or 0
    e = s.scalar(select(func.count(Evenement.id)).where(Evenement.eigs.is_(True))) or 0
    from qualite_app.evenements.models import Analyse

    a = s.scalar(select(func.count(Analyse.id))) or 0
    return f"{n} événements indésirables sur trois ans, dont {e} EIGS ; {a} analyses des causes"


def demo_step(s: Session, today: date) -> object:
    if s.scalar(select(Evenement.id).limit(1)) is not None:
        return None
    rng = random.Random(1223)
    rows = events(s, today, rng)
    refs = _eigs_rows(rows, today)
    ids = insert_events(s, rows)
    serious = _eigs(s, today, refs)
    s.flush()
    _analyses(s, today, rng, ids, serious)
    return _summary
