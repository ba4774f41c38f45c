"""Gather one part of an EIGS declaration for its printable PDF (``fiche_eigs_pdf``); preview or issue."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from qualite_app.errors import UserError
from qualite_app.evenements import catalogue, rules
from qualite_app.evenements.fiche_eigs_pdf import FicheEigsData
from qualite_app.evenements.services import eigs, saisie
from qualite_app.storage.database import Database

RUBRIQUES = {
    1: [("nature_circonstances", "Nature de l'événement et circonstances de survenue"),
        ("premieres_mesures", "Premières mesures prises pour le patient et ses proches"),
        ("information_patient", "Information du patient, de la famille ou de la personne de confiance")],
    2: [("prise_en_charge", "Prise en charge du patient et de l'événement"),
        ("causes_immediates", "Causes immédiates"), ("causes_profondes", "Causes profondes"),
        ("barrieres", "Barrières de sécurité (ayant fonctionné / ayant manqué)"),
        ("mesures_prises", "Mesures prises"), ("mesures_prevues", "Mesures envisagées (avec échéances et évaluation)"),
        ("analyse_realisee", "Analyse approfondie réalisée (méthode, date, participants)")],
}  # fmt: skip


def gather(db: Database, evenement_id: int, partie: int, *, today: date | None = None) -> FicheEigsData:
    today = today or date.today()
    d = eigs.get_eigs(db, evenement_id)
    if d is None:
        raise UserError("Cet événement n'est pas classé EIGS.")
    e = saisie.get_evenement(db, evenement_id)
    from qualite_app.etablissement import identite

    et = identite.get(db)
    country = saisie.pays_etablissement(db)
    service = next((n for i, n in saisie_services(db) if i == e.service_id), "")
    due = rules.echeances_eigs(evenement_id, e.reference or "", d.connaissance_le, d.partie1_envoyee_le,  # type: ignore[arg-type]
                               d.partie2_envoyee_le, today)[partie - 1]  # fmt: skip
    informe = {True: "Oui", False: "Non", None: "Non renseigné"}[e.informe]
    return FicheEigsData(
        et.raison_sociale if et else "", e.reference or "", partie, today, e.survenu_le, d.connaissance_le,  # type: ignore[arg-type]
        due.echeance, due.envoyee_le, service, catalogue.type_label(country, e.type_code),
        catalogue.echelle(country).libelle(e.gravite) if e.gravite else "", informe,
        [(label, getattr(d, name) or "") for name, label in RUBRIQUES[partie]],
    )  # fmt: skip


def saisie_services(db: Database) -> list[tuple[int, str]]:
    from qualite_app.evenements.services.registre import choix_services

    return choix_services(db)


def fiche_pdf(db: Database, evenement_id: int, partie: int, *, today: date | None = None) -> bytes:
    from qualite_app.evenements.fiche_eigs_pdf import FICHE_EIGS
    from qualite_app.rapports import services as rapports

    data = gather(db, evenement_id, partie, today=today)
    return rapports.apercu(db, FICHE_EIGS, data, issued_at=datetime.combine(data.today, time(12)))


def emettre_fiche(db: Database, evenement_id: int, partie: int, *, identity: str | None = None,
                  password: str | None = None, today: date | None = None) -> Any:  # fmt: skip
    from qualite_app.evenements.fiche_eigs_pdf import FICHE_EIGS
    from qualite_app.rapports import services as rapports

    data = gather(db, evenement_id, partie, today=today)
    return rapports.emettre(db, FICHE_EIGS, data, identity=identity, password=password,
                            recipient="Agence régionale de santé (portail de signalement)")  # fmt: skip
