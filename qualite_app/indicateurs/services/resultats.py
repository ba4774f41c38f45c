"""Results of an indicator: list, validate (``clean_mesure``), save all or nothing, delete."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualite_app.errors import UserError
from qualite_app.etablissement.models import Service
from qualite_app.indicateurs.models import Indicateur, IndicateurMesure
from qualite_app.indicateurs.rules import CLASSES, STATUTS, erreur_nombre, fr
from qualite_app.rules import periodes
from qualite_app.storage.database import Database


@dataclass(frozen=True)
class MesureRow:
    id: int
    periode: str
    periode_libelle: str
    service_id: int | None
    service: str
    numerateur: float | None
    denominateur: float | None
    valeur: float | None
    classe: str | None
    statut: str | None
    commentaire: str | None
    source: str | None


@dataclass
class MesureData:
    periode: str
    valeur: float | None = None
    numerateur: float | None = None
    denominateur: float | None = None
    classe: str | None = None
    statut: str | None = None
    commentaire: str | None = None
    source: str | None = None
    service_id: int | None = None


def list_mesures(db: Database, indicateur_id: int, *, service_id: int | None = None, tous_services: bool = False) -> list[MesureRow]:
    q = (
        select(
            IndicateurMesure.id,
            IndicateurMesure.periode,
            IndicateurMesure.service_id,
            func.coalesce(Service.nom, ""),
            IndicateurMesure.numerateur,
            IndicateurMesure.denominateur,
            IndicateurMesure.valeur,
            IndicateurMesure.classe,
            IndicateurMesure.statut,
            IndicateurMesure.commentaire,
            IndicateurMesure.source,
        )
        .outerjoin(Service, IndicateurMesure.service_id == Service.id)
        .where(IndicateurMesure.indicateur_id == indicateur_id)
        .order_by(IndicateurMesure.periode_debut, Service.nom)
    )
    if not tous_services:
        q = q.where(IndicateurMesure.service_id.is_(None) if service_id is None else IndicateurMesure.service_id == service_id)
    with db.session() as s:
        return [
            MesureRow(r[0], r[1], periodes.from_code(r[1]).libelle, r[2], r[3] or "Établissement", *r[4:]) for r in s.execute(q)
        ]


def clean_mesure(m: MesureData, ind_type: str, echelle: float, where: str = "", *, unite: str = "") -> MesureData:
    """Validate one result; computes the value from numerator/denominator when it is missing.

    Every number is finite and within the indicator's range (``erreur_nombre``): nothing else can be stored.
    """
    prefix = f"{where} : " if where else ""
    try:
        per = periodes.parse(m.periode)
    except ValueError as exc:
        raise UserError(prefix + str(exc)) from None
    statut = (m.statut or "").strip().upper() or None
    if statut is not None and statut not in STATUTS:
        raise UserError(prefix + f"statut « {m.statut} » inconnu (NR, NV ou DI, ou vide).")
    classe = (m.classe or "").strip().upper() or None
    if classe is not None and classe not in CLASSES:
        raise UserError(prefix + f"classe « {m.classe} » inconnue (A à E).")
    num, den, val = m.numerateur, m.denominateur, m.valeur
    for champ, label, v in (("numerateur", "Numérateur", num), ("denominateur", "Dénominateur", den), ("valeur", "Valeur", val)):
        err = erreur_nombre(champ, v, ind_type, echelle, unite)
        if err:
            raise UserError(prefix + f"{label} : {err}")
    if ind_type == "taux" and num is not None and den is not None and echelle == 100 and num > den:
        raise UserError(prefix + f"le numérateur ({fr(num, 0)}) dépasse le dénominateur ({fr(den, 0)}).")
    if val is None and num is not None and den:
        val = round(echelle * num / den, 6) if ind_type == "taux" else round(num / den, 6)
        err = erreur_nombre("valeur", val, ind_type, echelle, unite)
        if err:
            raise UserError(prefix + f"valeur calculée (numérateur / dénominateur) : {err}")
    if statut is None and val is None and classe is None:
        raise UserError(prefix + "indiquez une valeur, un numérateur et un dénominateur, une classe ou un statut (NR, NV, DI).")
    if statut in ("NR", "DI"):
        val = None  # shown in the table, never plotted
    return MesureData(
        periode=per.code,
        valeur=val,
        numerateur=num,
        denominateur=den,
        classe=classe,
        statut=statut,
        commentaire=(m.commentaire or "").strip() or None,
        source=m.source,
        service_id=m.service_id,
    )


def save_mesures(db: Database, indicateur_id: int, rows: list[MesureData]) -> int:
    """Insert or update results (same period and service = the same result); all or nothing."""
    with db.unit_of_work() as s:
        ind = s.get(Indicateur, indicateur_id)
        if ind is None:
            raise UserError("Cet indicateur n'existe plus.")
        clean = [clean_mesure(m, ind.type, ind.echelle, f"Période « {m.periode} »", unite=ind.unite) for m in rows]
        return upsert_mesures(s, ind, clean)


def upsert_mesures(s: Session, ind: Indicateur, rows: list[MesureData]) -> int:
    existing = {
        (m.periode, m.service_id): m
        for m in s.scalars(select(IndicateurMesure).where(IndicateurMesure.indicateur_id == ind.id))
    }
    n = 0
    for m in rows:
        row = existing.get((m.periode, m.service_id))
        if row is None:
            row = IndicateurMesure(indicateur=ind, periode=m.periode, periode_debut=periodes.from_code(m.periode).debut, service_id=m.service_id)
            s.add(row)
            existing[(m.periode, m.service_id)] = row
        for name in ("valeur", "numerateur", "denominateur", "classe", "statut", "commentaire", "source"):
            if getattr(row, name) != getattr(m, name):
                setattr(row, name, getattr(m, name))
        n += 1
    s.flush()
    return n


def delete_mesures(db: Database, mesure_ids: list[int]) -> int:
    """Delete results; returns how many were deleted."""
    n = 0
    with db.unit_of_work() as s:
        for m in s.scalars(select(IndicateurMesure).where(IndicateurMesure.id.in_(mesure_ids))):
            s.delete(m)
            n += 1
    return n
