"""Issuing the dashboard report: gather the data, build the PDF, and (optionally) sign and register it
through ``services.rapports`` (the signed-reports contract)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from qualite_app.errors import UserError
from qualite_app.etablissement.models import Etablissement
from qualite_app.indicateurs import services as svc
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
    out = []
    for c in cartes:
        s = c.serie
        out.append(
            {
                "code": c.code,
                "valeur": c.valeur,
                "periode": c.periode,
                "statut": c.statut,
                "cible": c.cible,
                "etat": c.etat,
                "variation": c.variation,
                "assurance": c.assurance,
                "serie": None
                if s is None
                else {
                    "periodes": [p.code for p in s.periodes],
                    "valeurs": s.valeurs,
                    "centre": [p.centre for p in s.spc.points],
                    "lic": [p.lcl for p in s.spc.points],
                    "lsc": [p.ucl for p in s.spc.points],
                },
            }
        )
    return {"indicateurs": out}


def data_hash(snap: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(snap, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def build_pdf(db: Database, nom: str, *, periode: str | None = None, issued_at: datetime | None = None) -> tuple[bytes, list[svc.Carte], dict[str, Any], str]:
    from qualite_app.indicateurs.report import DashboardReportData, build

    tableau = svc.get_tableau(db, nom)
    end, label = _jusqu_au(periode)
    cartes = svc.cartes(db, tableau.filtres, jusqu_au=end, garder_series=True)
    with db.session() as s:
        etab = s.scalar(select(Etablissement))
        etab_name = etab.raison_sociale if etab else ""
        logo = None
        if etab is not None and etab.logo_blob_id is not None:
            from qualite_app.storage.tables import Blob

            b = s.get(Blob, etab.logo_blob_id)
            logo = b.contenu if b is not None else None
    snap = snapshot(cartes)
    h = data_hash(snap)
    data = DashboardReportData(
        etablissement=etab_name, tableau=tableau.nom, periode=label, cartes=cartes,
        issued_at=issued_at or datetime.now().replace(microsecond=0), reference=f"TDB-{tableau.nom} · {h[:8]}", logo=logo,
    )  # fmt: skip
    return build(data), cartes, snap, h


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
    pdf, cartes, snap, h = build_pdf(db, nom, periode=periode, issued_at=issued_at)
    out = RapportTableau(pdf, count_pages(pdf), len(cartes), h)
    if identity is None and not register:
        return out
    from qualite_app.rapports import services as rapports  # signing libraries: loaded only to sign

    row = rapports.emettre(
        db,
        kind=KIND,
        title=f"Tableau de bord des indicateurs — {nom}",
        pdf=pdf,
        params={"nom": nom, "periode": periode},
        data_hash=h,
        snapshot=snap,
        identity=identity,
        password=password,
        recipient=recipient,
    )
    out.pdf = row.pdf
    out.rapport_id = row.id
    return out
