"""The register: filter, sort and page in SQL (one query for a page, one for the count), so that
100,000 events open as fast as 100. EIGS rows carry their next deadline for the list's colours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from qualite_app.etablissement.models import Service
from qualite_app.evenements import catalogue, rules
from qualite_app.evenements.models import DeclarationEigs, Evenement
from qualite_app.rules.text import fold
from qualite_app.storage.database import Database


@dataclass(frozen=True, slots=True)
class EvenementRow:
    id: int
    reference: str
    survenu_le: datetime
    declare_le: date
    service: str
    type_code: str
    type_libelle: str
    gravite: str | None
    gravite_libelle: str
    statut: str
    eigs: bool
    #: the next EIGS part to send (None: not an EIGS or both parts sent)
    prochaine_echeance: rules.Echeance | None = None


@dataclass
class EvenementFilter:
    texte: str = ""
    debut: date | None = None
    fin: date | None = None
    service_id: int | None = None
    type_code: str | None = None
    gravite_min: int | None = None  # rank on the scale (1 = least serious)
    statuts: frozenset[str] | None = None
    eigs: bool = False  # only EIGS


E = Evenement
SORTABLE: dict[str, tuple[Any, ...]] = {
    "reference": (E.reference,),
    "survenu_le": (E.survenu_le,),
    "declare_le": (E.declare_le,),
    "service": (Service.nom,),
    "type": (E.type_code,),
    "gravite": (E.gravite_rang,),
    "statut": (E.statut,),
    "eigs": (E.eigs,),
}


def _where(q: Any, f: EvenementFilter) -> Any:
    for word in fold(f.texte).split():
        q = q.where(E.cle_recherche.contains(word, autoescape=True))
    if f.debut is not None:
        q = q.where(E.survenu_le >= datetime.combine(f.debut, time()))
    if f.fin is not None:
        q = q.where(E.survenu_le < datetime.combine(f.fin, time()) + timedelta(days=1))
    if f.service_id is not None:
        q = q.where(E.service_id == f.service_id)
    if f.type_code:
        q = q.where(E.type_code == f.type_code)
    if f.gravite_min is not None:
        q = q.where(E.gravite_rang >= f.gravite_min)
    if f.statuts:
        q = q.where(E.statut.in_(sorted(f.statuts)))
    if f.eigs:  # through the declarations (a few rows, indexed), not a scan of the register
        q = q.where(E.id.in_(select(DeclarationEigs.evenement_id)), E.eigs.is_(True))
    return q


def list_query(f: EvenementFilter, tri: str = "survenu_le", desc: bool = True) -> Any:
    """The page query (also the bare SQL the benchmark times)."""
    d = DeclarationEigs
    q = (
        select(
            E.id,
            E.reference,
            E.survenu_le,
            E.declare_le,
            Service.nom,
            E.type_code,
            E.gravite,
            E.echelle,
            E.statut,
            E.eigs,
            d.connaissance_le,
            d.partie1_envoyee_le,
            d.partie2_envoyee_le,
        )  # fmt: skip
        .outerjoin(Service, E.service_id == Service.id)
        .outerjoin(d, d.evenement_id == E.id)
    )
    q = _where(q, f)
    cols = SORTABLE.get(tri, SORTABLE["survenu_le"])
    order = [c.desc() if desc else c.asc() for c in cols]
    return q.order_by(*order, E.id.desc() if desc else E.id.asc())


def list_evenements(
    db: Database,
    f: EvenementFilter | None = None,
    *,
    tri: str = "survenu_le",
    desc: bool = True,
    limit: int | None = 500,
    offset: int = 0,
    today: date | None = None,
) -> list[EvenementRow]:
    f = f or EvenementFilter()
    today = today or date.today()
    q = list_query(f, tri, desc)
    if limit is not None:
        q = q.limit(limit).offset(offset)
    labels: dict[str, dict[str, str]] = {}
    scales: dict[str, Any] = {}
    out = []
    with db.session() as s:
        for i, ref, surv, decl, serv, tcode, grav, ech, statut, eigs, conn, p1, p2 in s.execute(q):
            if ech not in labels:
                labels[ech] = {t.code: t.libelle for t in catalogue.types(ech)}
                scales[ech] = catalogue.echelle(ech)
            nxt = None
            if eigs and conn is not None:
                pending = [
                    x for x in rules.echeances_eigs(i, ref, conn, p1, p2, today) if x.envoyee_le is None
                ]
                nxt = pending[0] if pending else None
            out.append(EvenementRow(i, ref, surv, decl, serv or "", tcode, labels[ech].get(tcode, tcode), grav,
                                    scales[ech].libelle(grav) if grav else "", statut, bool(eigs), nxt))  # fmt: skip
    return out


def count_evenements(db: Database, f: EvenementFilter | None = None) -> int:
    q = _where(select(func.count()).select_from(E), f or EvenementFilter())
    with db.session() as s:
        return int(s.scalar(q) or 0)


def id_par_reference(db: Database, reference: str) -> int | None:
    with db.session() as s:
        return s.scalar(select(E.id).where(E.reference == reference.strip()))


def choix_services(db: Database) -> list[tuple[int, str]]:
    from qualite_app.etablissement.identite import choix_services

    return choix_services(db)
