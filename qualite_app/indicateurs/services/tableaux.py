"""Saved dashboards: a name and the filters of the cards (theme, sector, source, service, codes)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from qualite_app.errors import UserError, ValidationError
from qualite_app.indicateurs.models import TableauDeBord
from qualite_app.indicateurs.services.cartes import Filtres
from qualite_app.socle.versions import verifier_version
from qualite_app.storage.base import utcnow
from qualite_app.storage.database import Database


@dataclass(frozen=True)
class TableauRow:
    id: int
    nom: str
    filtres: Filtres
    #: the row version read with the list and when (what saving it again is checked against)
    version_ligne: int | None = None
    charge_le: datetime | None = None

    def edition(self) -> dict[str, Any]:
        return {"version_ligne": self.version_ligne, "charge_le": self.charge_le}


def _filtres_from(row: TableauDeBord) -> Filtres:
    try:
        d = json.loads(row.filtres or "{}")
        codes = tuple(json.loads(row.indicateurs or "[]"))
    except ValueError:
        d, codes = {}, ()
    return Filtres(d.get("theme"), d.get("secteur"), d.get("source"), d.get("service_id"), codes)


def list_tableaux(db: Database) -> list[TableauRow]:
    with db.session() as s:
        lu = utcnow()
        return [TableauRow(t.id, t.nom, _filtres_from(t), t.version, lu)
                for t in s.scalars(select(TableauDeBord).order_by(TableauDeBord.nom))]  # fmt: skip


def get_tableau(db: Database, nom: str) -> TableauRow:
    with db.session() as s:
        t = s.scalar(select(TableauDeBord).where(func.lower(TableauDeBord.nom) == nom.strip().lower()))
        if t is None:
            noms = ", ".join(x.nom for x in s.scalars(select(TableauDeBord).order_by(TableauDeBord.nom))) or "aucun"
            raise UserError(f"Aucun tableau de bord nommé « {nom} » (tableaux enregistrés : {noms}).")
        return TableauRow(t.id, t.nom, _filtres_from(t), t.version, utcnow())


def save_tableau(db: Database, nom: str, filtres: Filtres, *, version_ligne: int | None = None,
                 charge_le: datetime | None = None, ecraser: bool = False) -> int:  # fmt: skip
    """Save the filters under ``nom`` (a new dashboard, or the one of that name replaced). ``version_ligne``: the
    version of that dashboard as the list read it, 0 when the list had none of that name; ``ConflitEdition``
    when someone saved (or created) it since, unless ``ecraser``. None: not checked (a script)."""
    nom = (nom or "").strip()
    if not nom:
        raise ValidationError({"nom": "Donnez un nom au tableau de bord (par exemple « CME »)."})
    with db.unit_of_work() as s:
        t = s.scalar(select(TableauDeBord).where(func.lower(TableauDeBord.nom) == nom.lower()))
        if t is not None:
            verifier_version(s, t, version_ligne, charge_le, ecraser=ecraser, libelle=f"Le tableau de bord « {t.nom} »")
        if t is None:
            t = TableauDeBord(nom=nom)
            s.add(t)
        t.filtres = filtres.to_json()
        t.indicateurs = json.dumps(list(filtres.codes), ensure_ascii=False)
        s.flush()
        return t.id


def delete_tableau(db: Database, tableau_id: int) -> None:
    with db.unit_of_work() as s:
        t = s.get(TableauDeBord, tableau_id)
        if t is not None:
            s.delete(t)
