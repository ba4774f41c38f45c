"""Event statistics counted in SQL (GROUP BY): by month, type, service, severity, over any period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from qualite_app.etablissement.models import Service
from qualite_app.evenements import catalogue
from qualite_app.evenements.models import Evenement
from qualite_app.evenements.services.saisie import pays
from qualite_app.storage.database import Database


@dataclass(frozen=True)
class Statistiques:
    debut: date
    fin: date
    total: int
    eigs: int
    par_mois: list[tuple[str, int]]  # ("2026-03", n), every month of the period (zeros included)
    par_type: list[tuple[str, int]]  # (label, n), most frequent first
    par_service: list[tuple[str, int]]
    par_gravite: list[tuple[str, int]]  # in the scale's order


def month_expr(db: Database, col: Any) -> Any:
    if db.engine.dialect.name == "sqlite":
        return func.strftime("%Y-%m", col)
    return func.to_char(col, "YYYY-MM")


def _bounds(debut: date, fin: date) -> tuple[datetime, datetime]:
    return datetime.combine(debut, time()), datetime.combine(fin + timedelta(days=1), time())


def mois_entre(debut: date, fin: date) -> list[str]:
    out, y, m = [], debut.year, debut.month
    while (y, m) <= (fin.year, fin.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def comptes_mensuels(db: Database, debut: date, fin: date, *, eigs: bool = False) -> list[tuple[str, int]]:
    """Events per month of occurrence over [debut, fin], every month listed (0 when none)."""
    lo, hi = _bounds(debut, fin)
    m = month_expr(db, Evenement.survenu_le)
    q = select(m, func.count()).where(Evenement.survenu_le >= lo, Evenement.survenu_le < hi)
    if eigs:
        q = q.where(Evenement.eigs.is_(True))
    with db.session() as s:
        counts = dict(s.execute(q.group_by(m)).all())
    return [(k, int(counts.get(k, 0))) for k in mois_entre(debut, fin)]


def statistiques(db: Database, debut: date, fin: date) -> Statistiques:
    lo, hi = _bounds(debut, fin)
    period = (Evenement.survenu_le >= lo, Evenement.survenu_le < hi)
    with db.session() as s:
        country = pays(s)
        total = int(s.scalar(select(func.count()).select_from(Evenement).where(*period)) or 0)
        n_eigs = int(
            s.scalar(select(func.count()).select_from(Evenement).where(*period, Evenement.eigs.is_(True)))
            or 0
        )
        by_type = s.execute(
            select(Evenement.type_code, func.count()).where(*period).group_by(Evenement.type_code)
        ).all()
        by_serv = s.execute(
            select(Service.nom, func.count())
            .select_from(Evenement)
            .outerjoin(Service, Evenement.service_id == Service.id)
            .where(*period)
            .group_by(Service.nom)
        ).all()
        by_grav = dict(
            s.execute(
                select(Evenement.gravite, func.count()).where(*period).group_by(Evenement.gravite)
            ).all()
        )
    ech = catalogue.echelle(country)
    par_gravite = [(n.libelle, int(by_grav.get(n.code, 0))) for n in ech.niveaux]
    if by_grav.get(None):
        par_gravite.append(("Non évaluée", int(by_grav[None])))
    return Statistiques(
        debut, fin, total, n_eigs, comptes_mensuels(db, debut, fin),
        sorted(((catalogue.type_label(country, t), int(n)) for t, n in by_type), key=lambda x: (-x[1], x[0])),
        sorted(((nom or "Sans service", int(n)) for nom, n in by_serv), key=lambda x: (-x[1], x[0])),
        par_gravite,
    )  # fmt: skip


#: the indicators fed by the register: code → (label, only EIGS)
INDICATEURS: dict[str, tuple[str, bool]] = {
    "EI-DECL": ("Événements indésirables déclarés", False),
    "EIGS": ("Événements indésirables graves associés aux soins déclarés", True),
}
SOURCE = "Registre des événements indésirables"


def publier_indicateurs(db: Database, debut: date, fin: date) -> dict[str, int]:
    """Write the monthly counts (events by month of occurrence, EIGS) as results of the indicators
    ``EI-DECL`` and ``EIGS`` (created when missing), through the indicators area's public services: its
    control charts (SPC) then watch them — no second implementation. Returns {code: months written}.

    One transaction per indicator (the indicators area writes its own tables); each is all or nothing and
    running it again rewrites the same months (same period = same result)."""
    from qualite_app.errors import UserError
    from qualite_app.indicateurs import services as indicateurs

    out: dict[str, int] = {}
    for code, (label, eigs_only) in INDICATEURS.items():
        try:
            iid = indicateurs.indicateur_id(db, code)
        except UserError:
            iid = indicateurs.save_indicateur(db, indicateurs.IndicateurData(
                code=code, libelle=label, theme="Gestion des risques", type="nombre", unite="EIGS" if eigs_only else "EI",
                sens="neutre" if eigs_only else "hausse", echelle=1.0, definition=f"Compté chaque mois dans le {SOURCE.lower()}.",
            ))  # fmt: skip
        rows = [indicateurs.MesureData(periode=m, valeur=float(n), source=SOURCE)
                for m, n in comptes_mensuels(db, debut, fin, eigs=eigs_only)]  # fmt: skip
        out[code] = indicateurs.save_mesures(db, iid, rows)
    return out
