"""Issuing the dashboard report: gather the data, build the PDF, and (optionally) sign and register it
through the register's one path ``rapports.emettre`` (the report contract, ``reports.base``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from qualite_app.errors import UserError
from qualite_app.indicateurs import services as svc
from qualite_app.reports.base import data_hash
from qualite_app.rules import periodes
from qualite_app.storage.database import Database

KIND = "tableau_de_bord"


@dataclass
class RapportTableau:
    pdf: bytes
    pages: int
    indicateurs: int
    data_hash: str
    rapport_id: int | None = None


def _jusqu_au(periode: str | None) -> tuple[date | None, str]:
    if not periode:
        return None, "aux dernières données disponibles"
    try:
        p = periodes.parse(periode)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    end = date.fromordinal(p.suivante().debut.toordinal() - 1)
    return end, f"jusqu'à {p.libelle}"


def snapshot(cartes: list[svc.Carte]) -> dict[str, Any]:
    """What the report shows, as plain data: hashed into the register so a later check can prove it."""
    from qualite_app.indicateurs.report import snapshot_of

    return snapshot_of(cartes)


def _data(db: Database, nom: str, periode: str | None, issued_at: datetime | None) -> tuple[Any, list[svc.Carte], dict[str, Any], str]:
    from qualite_app.indicateurs.report import DashboardReportData
    from qualite_app.rapports import services as rapports

    tableau = svc.get_tableau(db, nom)
    end, label = _jusqu_au(periode)
    cartes = svc.cartes(db, tableau.filtres, jusqu_au=end, garder_series=True)
    snap = snapshot(cartes)
    h = data_hash(snap)
    lh = rapports.entete(db).letterhead
    data = DashboardReportData(
        etablissement=lh.etablissement, tableau=tableau.nom, periode=label, cartes=cartes,
        issued_at=issued_at or datetime.now().replace(microsecond=0), reference=f"TDB-{tableau.nom} · {h[:8]}", logo=lh.logo,
        params={"nom": nom, "periode": periode},
    )  # fmt: skip
    return data, cartes, snap, h


def build_pdf(db: Database, nom: str, *, periode: str | None = None, issued_at: datetime | None = None) -> tuple[bytes, list[svc.Carte], dict[str, Any], str]:
    """The report with the establishment's letterhead, outside the register (reference: the dashboard and its data hash)."""
    from qualite_app.indicateurs.report import TABLEAU_DE_BORD
    from qualite_app.rapports import services as rapports

    data, cartes, snap, h = _data(db, nom, periode, issued_at)
    return rapports.apercu(db, TABLEAU_DE_BORD, data, reference=data.reference, issued_at=data.issued_at), cartes, snap, h


def count_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def emettre_tableau(
    db: Database,
    nom: str,
    *,
    periode: str | None = None,
    identity: str | None = None,
    password: str | None = None,
    recipient: str | None = None,
    register: bool = False,
    issued_at: datetime | None = None,
) -> RapportTableau:
    """Build the report; with ``identity`` (or ``register``) sign it and record it in the register."""
    from qualite_app.indicateurs.report import TABLEAU_DE_BORD
    from qualite_app.rapports import services as rapports

    if identity is None and not register:
        pdf, cartes, _snap, h = build_pdf(db, nom, periode=periode, issued_at=issued_at)
        return RapportTableau(pdf, count_pages(pdf), len(cartes), h)
    data, cartes, _snap, h = _data(db, nom, periode, issued_at)
    row = rapports.emettre(db, TABLEAU_DE_BORD, data, identity=identity, password=password, recipient=recipient, issued_at=issued_at)
    return RapportTableau(row.pdf, count_pages(row.pdf), len(cartes), h, rapport_id=row.id)
