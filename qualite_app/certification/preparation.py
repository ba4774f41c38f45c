"""The readiness report (« Préparation de la visite de certification »): gather, preview, issue through the
register (numbered, letterhead, signed when an identity is given)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from qualite_app.certification.dossier import gather
from qualite_app.certification.dossier_data import DossierData
from qualite_app.storage.database import Database


def donnees(db: Database, campagne_id: int, *, le: date | None = None) -> DossierData:
    return gather(db, campagne_id, le=le)[0]


def apercu_preparation(db: Database, campagne_id: int, *, le: date | None = None) -> bytes:
    from qualite_app.certification.report import PREPARATION
    from qualite_app.rapports import services as rapports

    data = donnees(db, campagne_id, le=le)
    return rapports.apercu(db, PREPARATION, data, issued_at=datetime.combine(data.le, time(12)))


def emettre_preparation(
    db: Database, campagne_id: int, *, identity: str | None = None, password: str | None = None,
    recipient: str | None = None, le: date | None = None,
) -> Any:  # fmt: skip
    from qualite_app.certification.report import PREPARATION
    from qualite_app.rapports import services as rapports

    return rapports.emettre(db, PREPARATION, donnees(db, campagne_id, le=le), identity=identity, password=password,
                            recipient=recipient)  # fmt: skip
