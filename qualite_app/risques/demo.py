"""A fictional risk map: 60 risks over 8 processes, gross and residual criticality, owners, barriers,
review dates, and a few planned actions in the PAQSS."""

from __future__ import annotations

import contextlib
import random
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualite_app.etablissement.models import Personne
from qualite_app.risques import rules
from qualite_app.risques.models import TYPE_RISQUE, Risque
from qualite_app.risques.services import RisqueData, apply

PROCESSUS: dict[str, list[str]] = {
    "Prise en charge médicamenteuse": ["Erreur de prescription", "Erreur de dispensation", "Erreur d'administration",
        "Rupture de stock d'un médicament vital", "Mauvaise conservation de la chaîne du froid", "Défaut de conciliation à l'entrée",
        "Confusion entre médicaments d'aspect proche", "Erreur de calcul de dose en pédiatrie"],
    "Bloc opératoire": ["Erreur de côté ou de site", "Oubli de corps étranger", "Défaut de stérilisation",
        "Panne du respirateur d'anesthésie", "Retard de prise en charge en urgence", "Brûlure par bistouri électrique",
        "Défaut de la check-list"],
    "Urgences": ["Saturation des box", "Retard de tri", "Agression d'un professionnel", "Fugue d'un patient désorienté",
        "Erreur d'orientation", "Défaut de réévaluation en attente", "Transfert sans transmissions", "Erreur d'identité à l'accueil"],
    "Identification du patient": ["Absence de bracelet", "Doublon d'identité", "Erreur d'étiquetage de prélèvement",
        "Homonymie non signalée", "Erreur d'identité en imagerie", "Identité provisoire non fusionnée", "Erreur à la transfusion"],
    "Hygiène et infections": ["Infection du site opératoire", "Transmission croisée d'une BMR", "Défaut d'hygiène des mains",
        "Contamination de l'eau (légionelles)", "Défaut de bionettoyage", "Accident d'exposition au sang", "Épidémie de grippe"],
    "Parcours du patient âgé": ["Chute", "Dénutrition", "Escarre", "Confusion post-opératoire", "Iatrogénie médicamenteuse",
        "Contention inadaptée", "Sortie mal préparée", "Perte d'autonomie liée à l'alitement"],
    "Système d'information": ["Indisponibilité du dossier patient", "Cyberattaque", "Perte de données", "Erreur de paramétrage",
        "Accès non autorisé au dossier", "Panne du réseau", "Défaut de sauvegarde"],
    "Logistique et fonctions support": ["Panne électrique", "Défaut d'approvisionnement en oxygène", "Incendie",
        "Panne d'ascenseur", "Rupture de linge", "Défaut du transport interne", "Canicule dans les services",
        "Défaut de maintenance biomédicale"],
}  # fmt: skip
BARRIERES = ["Protocole validé et diffusé", "Formation annuelle des équipes", "Double contrôle", "Audit semestriel",
             "Maintenance préventive", "Alerte informatique", "Check-list"]  # fmt: skip


def _summary(s: Session) -> str:
    n = s.scalar(select(func.count(Risque.id))) or 0
    p = s.scalar(select(func.count(func.distinct(Risque.processus)))) or 0
    return f"Cartographie des risques : {n} risques sur {p} processus"


def demo_step(s: Session, today: date) -> object:
    if s.scalar(select(Risque.id).limit(1)) is not None:
        return None
    from qualite_app.errors import UserError
    from qualite_app.paqss import services as paqss

    rng = random.Random(60)
    owners: list[int | None] = [
        *s.scalars(select(Personne.id).where(Personne.fonction.like("Cadre%")).limit(12))
    ] or [None]
    n = planned = 0
    for proc, dangers in PROCESSUS.items():
        for danger in dangers:
            if n == 60:
                break
            n += 1
            g, f = rng.choice([2, 3, 3, 4, 4, 5]), rng.choice([1, 2, 2, 3, 3, 4, 5])
            gr, fr = g if rng.random() < 0.7 else max(1, g - 1), max(1, f - rng.choice([0, 1, 1, 2]))
            r = apply(s, RisqueData(processus=proc, danger=danger, gravite=g, frequence=f, gravite_residuelle=gr,
                                    frequence_residuelle=fr, cause="Facteurs humains et organisationnels",
                                    consequence="Dommage pour le patient ou interruption de l'activité",
                                    proprietaire_id=rng.choice(owners), barrieres=" ; ".join(rng.sample(BARRIERES, 2)),
                                    revue_le=today + timedelta(days=rng.randrange(-30, 330)), reference=rules.reference(n)))  # fmt: skip
            s.flush()
            if g * f >= 16 and planned < 8:  # the most critical risks have a planned action in the PAQSS
                planned += 1
                with contextlib.suppress(UserError):  # no PAQSS programme in this base
                    paqss.action_depuis(s, TYPE_RISQUE, r.id, f"Réduire le risque : {danger.lower()}", "risques",
                                        source_detail=f"Risque {r.reference}", echeance=today + timedelta(days=180), today=today)  # fmt: skip
    return _summary
