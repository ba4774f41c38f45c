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
    if db.engine.dialect.name == "sqlite":  # stored as « 2026-03-15 14:30:00.000000 »: the text's first 7
        return func.substr(col, 1, 7)  # characters, 2.5× faster than strftime over 100,000 rows
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
        counts: dict[str, int] = {k: n for k, n in s.execute(q.group_by(m))}
    return [(k, int(counts.get(k, 0))) for k in mois_entre(debut, fin)]


def statistiques(db: Database, debut: date, fin: date) -> Statistiques:
    """Every count of the period from two scans: the months (``comptes_mensuels``) and one GROUP BY over
    (type, service, severity, EIGS) whose few thousand groups are summed here by type, service, severity."""
    from collections import Counter

    lo, hi = _bounds(debut, fin)
    q = (
        select(Evenement.type_code, Evenement.service_id, Evenement.gravite, Evenement.eigs, func.count())
        .where(Evenement.survenu_le >= lo, Evenement.survenu_le < hi)
        .group_by(Evenement.type_code, Evenement.service_id, Evenement.gravite, Evenement.eigs)
    )
    by_type: Counter[str] = Counter()
    by_serv: Counter[int | None] = Counter()
    by_grav: Counter[str | None] = Counter()
    total = n_eigs = 0
    with db.session() as s:
        country = pays(s)
        for tcode, sid, grav, eigs, n in s.execute(q):
            by_type[tcode] += n
            by_serv[sid] += n
            by_grav[grav] += n
            total += n
            n_eigs += n if eigs else 0
        names = dict(s.execute(select(Service.id, Service.nom)).all())
    ech = catalogue.echelle(country)
    par_gravite = [(n.libelle, int(by_grav.get(n.code, 0))) for n in ech.niveaux]
    if by_grav.get(None):
        par_gravite.append(("Non évaluée", int(by_grav[None])))
    return Statistiques(
        debut, fin, total, n_eigs, comptes_mensuels(db, debut, fin),
        sorted(((catalogue.type_label(country, t), int(n)) for t, n in by_type.items()), key=lambda x: (-x[1], x[0])),
        sorted((((names.get(sid) if sid is not None else None) or "Sans service", int(n)) for sid, n in by_serv.items()),
               key=lambda x: (-x[1], x[0])),
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
