"""The action list: filter, sort and read in ONE SQL query (also the bare SQL of the benchmark),
look an action up by reference, and the timeline (Gantt) rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, overload

from sqlalchemy import func, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from qualite_app.etablissement.models import Personne, Service
from qualite_app.paqss import rules
from qualite_app.paqss.models import (
    PaqssAction,
    PaqssActionCopilote,
    PaqssActionService,
    PaqssAxe,
    PaqssJalon,
    PaqssObjectif,
)
from qualite_app.rules.text import fold
from qualite_app.storage.database import Database


@dataclass(frozen=True, slots=True)
class ActionRow:
    id: int
    reference: str
    titre: str
    axe: str
    objectif: str
    statut: str
    avancement: int
    priorite: int
    source: str
    pilote: str
    copilote: str
    service: str
    date_debut: date | None
    echeance: date | None
    echeance_revisee: date | None
    axe_id: int

    @property
    def echeance_effective(self) -> date | None:
        return self.echeance_revisee or self.echeance

    def en_retard(self, today: date) -> bool:
        return rules.en_retard(self.echeance, self.echeance_revisee, self.statut, today)


@dataclass
class ActionFilter:
    texte: str = ""
    programme_id: int | None = None
    axe_id: int | None = None
    objectif_id: int | None = None
    statuts: frozenset[str] | None = None
    pilote_id: int | None = None  # pilot or co-pilot
    service_id: int | None = None
    source: str | None = None
    priorite: int | None = None
    echeance: str | None = None  # a key of rules.ECHEANCE_FILTRES
    ids: frozenset[int] | None = None


_pil = aliased(Personne, name="pil")
_cop = aliased(Personne, name="cop")
ECHEANCE_DUE = func.coalesce(PaqssAction.echeance_revisee, PaqssAction.echeance)

SORTABLE: dict[str, tuple[Any, ...]] = {
    "reference": (PaqssAction.reference,),
    "titre": (PaqssAction.titre,),
    "axe": (PaqssAxe.ordre, PaqssAxe.id),
    "objectif": (PaqssObjectif.titre,),
    "statut": (PaqssAction.statut,),
    "avancement": (PaqssAction.avancement,),
    "priorite": (PaqssAction.priorite,),
    "source": (PaqssAction.source,),
    "pilote": (_pil.nom, _pil.prenom),
    "copilote": (_cop.nom, _cop.prenom),
    "service": (Service.nom,),
    "date_debut": (PaqssAction.date_debut,),
    "echeance": (ECHEANCE_DUE,),
    "echeance_initiale": (PaqssAction.echeance,),
}


#: sorts on a table joined by an outer join: its columns are empty for the actions that have no such link
_OUTER = frozenset({"pilote", "copilote", "service"})


def _name(p: Any) -> Any:
    return func.trim(func.coalesce(p.prenom, "") + " " + func.coalesce(p.nom, ""))


def _where(q: Any, f: ActionFilter, today: date) -> Any:
    a = PaqssAction
    for word in fold(f.texte).split():
        q = q.where(
            or_(
                a.cle_recherche.contains(word, autoescape=True),
                _pil.cle_recherche.contains(word, autoescape=True),
                _cop.cle_recherche.contains(word, autoescape=True),
            )
        )
    if f.programme_id is not None:
        q = q.where(PaqssAxe.programme_id == f.programme_id)
    if f.axe_id is not None:
        q = q.where(PaqssObjectif.axe_id == f.axe_id)
    if f.objectif_id is not None:
        q = q.where(a.objectif_id == f.objectif_id)
    if f.statuts:
        q = q.where(a.statut.in_(sorted(f.statuts)))
    if f.pilote_id is not None:
        extra_cop = (
            select(PaqssActionCopilote.action_id)
            .where(PaqssActionCopilote.action_id == a.id, PaqssActionCopilote.personne_id == f.pilote_id)
            .exists()
        )
        q = q.where(or_(a.pilote_id == f.pilote_id, a.copilote_id == f.pilote_id, extra_cop))
    if f.service_id is not None:
        extra_srv = (
            select(PaqssActionService.action_id)
            .where(PaqssActionService.action_id == a.id, PaqssActionService.service_id == f.service_id)
            .exists()
        )
        q = q.where(or_(a.service_id == f.service_id, extra_srv))
    if f.source:
        q = q.where(a.source == f.source)
    if f.priorite is not None:
        q = q.where(a.priorite == f.priorite)
    if f.ids is not None:
        q = q.where(a.id.in_(sorted(f.ids)))
    ouvert = a.statut.not_in(sorted(rules.CLOTURES))
    if f.echeance == "en_retard":
        q = q.where(today > ECHEANCE_DUE, ouvert)
    elif f.echeance == "30_jours":
        q = q.where(today <= ECHEANCE_DUE, today + timedelta(days=30) >= ECHEANCE_DUE, ouvert)
    elif f.echeance == "sans_echeance":
        q = q.where(ECHEANCE_DUE.is_(None))
    return q


def action_query(f: ActionFilter, today: date, tri: str = "reference", decroissant: bool = False) -> Any:
    """The one SELECT behind the list (also used by the benchmark as the bare SQL)."""
    a = PaqssAction
    q = (
        select(
            a.id,
            a.reference,
            a.titre,
            func.trim(PaqssAxe.code + " " + PaqssAxe.titre),
            PaqssObjectif.titre,
            a.statut,
            a.avancement,
            a.priorite,
            a.source,
            _name(_pil),
            _name(_cop),
            func.coalesce(Service.nom, ""),
            a.date_debut,
            a.echeance,
            a.echeance_revisee,
            PaqssAxe.id,
        )  # fmt: skip
        .join(PaqssObjectif, a.objectif_id == PaqssObjectif.id)
        .join(PaqssAxe, PaqssObjectif.axe_id == PaqssAxe.id)
        .outerjoin(_pil, a.pilote_id == _pil.id)
        .outerjoin(_cop, a.copilote_id == _cop.id)
        .outerjoin(Service, a.service_id == Service.id)
    )
    return _ordered(_where(q, f, today), tri, decroissant)


def _ordered(q: Any, tri: str, decroissant: bool) -> Any:
    cols = SORTABLE.get(tri, SORTABLE["reference"])
    # empty deadlines and pilots at the end, whatever the order (a column that cannot be empty needs no
    # such term: the database then reads the list in the order of its index, without sorting it)
    nulls_last = [c.is_(None) for c in cols if tri in _OUTER or getattr(c, "nullable", True)]
    return q.order_by(*nulls_last, *[c.desc() if decroissant else c for c in cols], PaqssAction.id)


def list_actions(
    db: Database,
    f: ActionFilter | None = None,
    *,
    tri: str = "reference",
    decroissant: bool = False,
    today: date | None = None,
) -> list[ActionRow]:
    return list(action_rows(db, f, tri=tri, decroissant=decroissant, today=today))


# --- the list on screen: 10,000 actions read without building 10,000 objects ------------------------------
#: columns of a row of ``ActionRows.raw`` (the action's own columns, names by id)
(ID, REFERENCE, TITRE, OBJECTIF_ID, STATUT, AVANCEMENT, PRIORITE, SOURCE, PILOTE_ID, COPILOTE_ID, SERVICE_ID,
 DATE_DEBUT, ECHEANCE, ECHEANCE_REVISEE) = range(14)  # fmt: skip


class ActionRows(Sequence[ActionRow]):
    """The action list as the screen reads it: ``raw`` holds the rows as the database driver returns them
    (the action's own columns: no join per row, no object per row), and the few names they point to
    (axes and objectives, pilots, services) are read once, by id. Indexing gives an ``ActionRow``."""

    def __init__(self, raw: Sequence[Any], objectifs: dict[int, tuple[str, str, int]], personnes: dict[int, str],
                 services: dict[int, str]) -> None:  # fmt: skip
        self.raw, self.objectifs, self.personnes, self.services = raw, objectifs, personnes, services

    def __len__(self) -> int:
        return len(self.raw)

    @overload
    def __getitem__(self, i: int) -> ActionRow: ...
    @overload
    def __getitem__(self, i: slice) -> list[ActionRow]: ...
    def __getitem__(self, i: int | slice) -> ActionRow | list[ActionRow]:
        if isinstance(i, slice):
            return [self._row(r) for r in self.raw[i]]
        return self._row(self.raw[i])

    def _row(self, r: Any) -> ActionRow:
        axe, objectif, axe_id = self.objectifs.get(r[OBJECTIF_ID], ("", "", 0))
        return ActionRow(r[ID], r[REFERENCE], r[TITRE], axe, objectif, r[STATUT], r[AVANCEMENT], r[PRIORITE],
                         r[SOURCE], self.personne(r[PILOTE_ID]), self.personne(r[COPILOTE_ID]),
                         self.services.get(r[SERVICE_ID], ""), r[DATE_DEBUT], r[ECHEANCE], r[ECHEANCE_REVISEE], axe_id)  # fmt: skip

    def axe(self, r: Any) -> str:
        return self.objectifs.get(r[OBJECTIF_ID], ("", "", 0))[0]

    def personne(self, ident: int | None) -> str:
        return self.personnes.get(ident, "") if ident is not None else ""

    def service(self, ident: int | None) -> str:
        return self.services.get(ident, "") if ident is not None else ""

    def extend(self, more: ActionRows) -> None:
        """The next page of the same list, appended (with the names it points to)."""
        if not isinstance(self.raw, list):
            self.raw = list(self.raw)
        self.raw.extend(more.raw)
        self.objectifs.update(more.objectifs)
        self.personnes.update(more.personnes)
        self.services.update(more.services)


def _joined(q: Any, f: ActionFilter, tri: str | None) -> Any:
    """``q`` over the actions, joined to another table only when the filter or the order needs it."""
    a = PaqssAction
    if f.programme_id is not None or f.axe_id is not None or tri in ("axe", "objectif"):
        q = q.join(PaqssObjectif, a.objectif_id == PaqssObjectif.id)
        if f.programme_id is not None or tri == "axe":
            q = q.join(PaqssAxe, PaqssObjectif.axe_id == PaqssAxe.id)
    if fold(f.texte).split() or tri == "pilote":
        q = q.outerjoin(_pil, a.pilote_id == _pil.id)
    if fold(f.texte).split() or tri == "copilote":
        q = q.outerjoin(_cop, a.copilote_id == _cop.id)
    if tri == "service":
        q = q.outerjoin(Service, a.service_id == Service.id)
    return q


def action_rows(
    db: Database,
    f: ActionFilter | None = None,
    *,
    tri: str = "reference",
    decroissant: bool = False,
    today: date | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> ActionRows:
    """The list of ``list_actions`` (same filter, same order) in two queries: the actions' own columns,
    joined to another table only when the filter or the order needs it, then the names they point to.
    ``limit``/``offset``: one page of that list (the screen reads it page by page as it scrolls)."""
    f = f or ActionFilter()
    a = PaqssAction
    q = select(a.id, a.reference, a.titre, a.objectif_id, a.statut, a.avancement, a.priorite, a.source, a.pilote_id,
               a.copilote_id, a.service_id, a.date_debut, a.echeance, a.echeance_revisee)  # fmt: skip
    q = _ordered(_where(_joined(q, f, tri), f, today or date.today()), tri, decroissant)
    if limit is not None:
        q = q.limit(limit).offset(offset)
    o, p = PaqssObjectif, Personne
    with db.engine.connect() as conn:
        raw = conn.execute(q).all()
        # the pilots named in the list (a few hundred at most), not the whole directory
        pilots = sorted(({r[PILOTE_ID] for r in raw} | {r[COPILOTE_ID] for r in raw}) - {None})
        names = union_all(
            select(literal("o"), o.id, func.trim(PaqssAxe.code + " " + PaqssAxe.titre), o.titre, PaqssAxe.id)
            .join(PaqssAxe, o.axe_id == PaqssAxe.id),
            select(literal("p"), p.id, _name(p), literal(""), literal(0)).where(p.id.in_(pilots)),
            select(literal("s"), Service.id, Service.nom, literal(""), literal(0)),
        )  # fmt: skip
        objectifs: dict[int, tuple[str, str, int]] = {}
        personnes: dict[int, str] = {}
        services: dict[int, str] = {}
        for kind, ident, label, titre, axe_id in conn.execute(names):
            if kind == "o":
                objectifs[ident] = (label, titre, axe_id)
            elif kind == "p":
                personnes[ident] = label
            else:
                services[ident] = label
    return ActionRows(raw, objectifs, personnes, services)


def count_actions(db: Database, f: ActionFilter | None = None, *, today: date | None = None) -> int:
    """How many actions ``action_rows`` lists for ``f`` (one SQL aggregate: the list is read by pages)."""
    f = f or ActionFilter()
    q = _where(_joined(select(func.count(PaqssAction.id)), f, None), f, today or date.today())
    with db.engine.connect() as conn:
        return int(conn.execute(q).scalar_one())


def extra_copilot_names(db: Database) -> dict[int, list[str]]:
    """action id -> names of its co-pilots beyond the tandem (by last name), in one query."""
    c = PaqssActionCopilote
    out: dict[int, list[str]] = {}
    with db.engine.connect() as conn:
        q = select(c.action_id, _name(Personne)).join(Personne, c.personne_id == Personne.id)
        for aid, nom in conn.execute(q.order_by(c.action_id, Personne.nom, Personne.prenom)):
            out.setdefault(aid, []).append(nom)
    return out


def action_id_by_reference(db: Database, reference: str) -> int | None:
    with db.session() as s:
        return s.scalar(select(PaqssAction.id).where(PaqssAction.reference == reference.strip()))


@dataclass(frozen=True)
class GanttRow:
    id: int
    axe: str
    reference: str
    titre: str
    debut: date | None
    fin: date | None  # the deadline that counts (revised when there is one)
    echeance_initiale: date | None
    statut: str
    en_retard: bool
    jalons: list[tuple[date, bool, str]]


def timeline(db: Database, f: ActionFilter | None = None, *, today: date | None = None) -> list[GanttRow]:
    """Actions grouped by axis (axis order), each with its milestones; for the Gantt view."""
    today = today or date.today()
    rows = list_actions(db, f, tri="axe", today=today)
    jal: dict[int, list[tuple[date, bool, str]]] = {}
    ids = [r.id for r in rows]
    with db.session() as s:
        for chunk in range(0, len(ids), 900):
            q = select(PaqssJalon.action_id, PaqssJalon.echeance, PaqssJalon.fait, PaqssJalon.libelle).where(
                PaqssJalon.action_id.in_(ids[chunk : chunk + 900]), PaqssJalon.echeance.is_not(None)
            )
            for aid, d, fait, lib in s.execute(q.order_by(PaqssJalon.echeance)):
                if d is not None:  # excluded by the query; keeps the type checker informed
                    jal.setdefault(aid, []).append((d, fait, lib))
    return [
        GanttRow(
            r.id,
            r.axe,
            r.reference,
            r.titre,
            r.date_debut,
            r.echeance_effective,
            r.echeance,
            r.statut,
            r.en_retard(today),
            jal.get(r.id, []),
        )
        for r in sorted(rows, key=lambda x: (x.axe_id, x.date_debut or date.max, x.reference))
    ]
