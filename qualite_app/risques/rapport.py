"""The risk-map report: gather (``carte_data``), preview, issue through the register (signed)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from qualite_app.risques import services as risques
from qualite_app.risques.carte_data import CarteData, LigneRisque
from qualite_app.storage.database import Database


def gather(db: Database, *, today: date | None = None) -> CarteData:
    from qualite_app.etablissement import identite

    today = today or date.today()
    c = risques.carte(db)
    e = identite.get(db)
    rows = risques.list_risques(db)
    actions = risques.nombre_actions(db, [r.id for r in rows])
    lignes = [
        LigneRisque(
            r.reference,
            r.processus,
            r.danger,
            r.gravite,
            r.frequence,
            r.criticite,
            r.zone,
            r.criticite_residuelle,
            r.zone_residuelle,
            r.proprietaire,
            r.revue_le,
            actions.get(r.id, 0),
        )  # fmt: skip
        for r in rows
    ]
    lignes.sort(key=lambda x: (x.processus, -(x.criticite or 0), x.reference))
    return CarteData(e.raison_sociale if e else "", today, c.seuils.tolerable, c.seuils.inacceptable,
                     c.seuils.avec_maitrise, c.brute, c.residuelle, lignes)  # fmt: skip


def carte_pdf(db: Database, *, today: date | None = None) -> bytes:
    from qualite_app.rapports import services as rapports
    from qualite_app.risques.report import CARTE

    data = gather(db, today=today)
    return rapports.apercu(db, CARTE, data, issued_at=datetime.combine(data.today, time(12)))


def emettre_carte(db: Database, *, identity: str | None = None, password: str | None = None,
                  recipient: str | None = None, today: date | None = None) -> Any:  # fmt: skip
    from qualite_app.rapports import services as rapports
    from qualite_app.risques.report import CARTE

    return rapports.emettre(
        db, CARTE, gather(db, today=today), identity=identity, password=password, recipient=recipient
    )
