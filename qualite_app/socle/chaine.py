"""An item's chain, both directions: every item it is linked to, whatever the relation — the generic ``lien``
table (actions born from an event, an analysis, a criterion, a risk; indicators following an action; crisis
annexes…), the events an analysis covers (``evenement_analyse_lien``) and the certification evidence (an
action, an indicator or a report proving a criterion, through ``certif_preuve`` / ``certif_preuve_critere``).

One read model for every page's *Liens* panel (``liens_de``), grouped by kind in the order of the chain
(événement → analyse → action PAQSS → indicateur → critère → preuve → risque, plan, rapport…), and one
way to link and unlink (``lier`` / ``delier``), each one transaction, journaled: a criterion ↔ action /
indicator / report is written as certification evidence (``certification.preuves``), an event ↔ analysis
as the analysis' events (``evenements.services``), anything else in the generic table.

Items are named by their table (``paqss_action``, ``certif_noeud``…: what the ``lien`` table stores);
``GENRES`` says, for each, the page that opens it (area, item type of ``MainWindow.open_item``) and the
columns that name it. The tables are read by name in the metadata: no area's models are imported. A panel
costs a handful of queries whatever the number of links: one per relation, then one per kind of linked item.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, and_, or_, select
from sqlalchemy.orm import Session

from qualite_app.errors import UserError
from qualite_app.storage.database import Database
from qualite_app.storage.tables import Lien

NATURE_DEFAUT = "lié à"
NATURE_PREUVE = "preuve du critère"
NATURE_ANALYSE = "analysé dans"
NATURE_ELEMENT = "désigne"


@dataclass(frozen=True)
class Genre:
    table: str
    domaine: str  # the area whose page opens it ("" : not opened from a panel)
    item_type: str  # as ``MainWindow.open_item`` and the global search name it
    libelle: str  # the group's heading
    reference: str | None  # column
    titre: str  # column


#: in the order of the chain
GENRES: tuple[Genre, ...] = (
    Genre("evenement", "evenements", "evenement", "Événements", "reference", "faits"),
    Genre("evenement_analyse", "evenements", "analyse", "Analyses des causes", "reference", "synthese"),
    Genre("paqss_action", "paqss", "action", "Actions PAQSS", "reference", "titre"),
    Genre("indicateur", "indicateurs", "indicateur", "Indicateurs", "code", "libelle"),
    Genre("certif_noeud", "certification", "critere", "Critères de certification", "ref", "titre"),
    Genre("certif_preuve", "certification", "preuve", "Preuves", None, "titre"),
    Genre("blob", "", "fichier", "Fichiers", None, "nom"),
    Genre("risque", "risques", "risque", "Risques", "reference", "danger"),
    Genre("crise_plan", "crise", "plan", "Plans de crise", None, "nom"),
    Genre("crise_fiche", "crise", "fiche", "Fiches réflexes", None, "titre"),
    Genre("crise_exercice", "crise", "exercice", "Exercices de crise", None, "intitule"),
    Genre("crise_constat", "crise", "constat", "Constats d'exercice", None, "texte"),
    Genre("certif_campagne", "certification", "campagne", "Campagnes d'autoévaluation", None, "nom"),
    Genre("rapport_emis", "rapports", "rapport", "Rapports émis", "reference", "titre"),
)
PAR_TABLE = {g.table: g for g in GENRES}
ORDRE = {g.table: i for i, g in enumerate(GENRES)}


def _elements_preuve() -> frozenset[str]:
    """The kinds of items that can stand as certification evidence (``certification.preuves.ELEMENTS``)."""
    from qualite_app.certification import preuves

    return frozenset(preuves.ELEMENTS)


#: the nature of a link given without one, by pair of kinds: (the kind it starts from, the nature)
NATURES_PAR_DEFAUT: dict[frozenset[str], tuple[str, str]] = {
    frozenset({"paqss_action", "indicateur"}): ("paqss_action", "suivie par l'indicateur"),
    frozenset({"paqss_action", "risque"}): ("risque", "a donné lieu à"),
    frozenset({"paqss_action", "evenement"}): ("evenement", "a donné lieu à"),
    frozenset({"paqss_action", "evenement_analyse"}): ("evenement_analyse", "a donné lieu à"),
}
#: relation tables: a panel redraws when a transaction wrote one of them
TABLES_RELATIONS = frozenset({"lien", "certif_preuve", "certif_preuve_critere", "evenement_analyse_lien"})


@dataclass(frozen=True)
class LienVu:
    """One linked item as a panel shows it."""

    table: str
    id: int
    domaine: str
    item_type: str
    reference: str
    titre: str
    nature: str
    #: "sortant": this item → the other ; "entrant": the other → this item
    direction: str
    #: how to undo it (``delier``): "lien:<id>", "preuve:<preuve>:<critère>", "analyse:<analyse>:<événement>"
    cle: str
    deliable: bool = True
    #: why « Délier » is refused here, in French
    pourquoi: str = ""

    @property
    def ouvrable(self) -> bool:
        return bool(self.domaine)


@dataclass(frozen=True)
class GroupeLiens:
    table: str
    libelle: str
    liens: list[LienVu]


def table_de(domaine: str, item_type: str) -> str | None:
    """The table of an item named as the global search and ``open_item`` name it."""
    return next((g.table for g in GENRES if g.domaine == domaine and g.item_type == item_type), None)


def _table(name: str) -> Table | None:
    from qualite_app.areas import load_models
    from qualite_app.storage.base import Base

    if name not in Base.metadata.tables:
        load_models()
    return Base.metadata.tables.get(name)


def _court(text: Any, n: int = 120) -> str:
    t = " ".join(str(text or "").split())
    return t if len(t) <= n else t[: n - 1] + "…"


# --- reading -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Brut:
    table: str
    id: int
    nature: str
    direction: str
    cle: str
    deliable: bool = True
    pourquoi: str = ""


def _generiques(s: Session, t: str, i: int) -> list[_Brut]:
    out = []
    q = select(Lien.id, Lien.source_type, Lien.source_id, Lien.cible_type, Lien.cible_id, Lien.nature).where(
        or_(and_(Lien.source_type == t, Lien.source_id == i), and_(Lien.cible_type == t, Lien.cible_id == i))
    )
    for lid, st, si, ct, ci, nature in s.execute(q):
        sortant = st == t and si == i
        other_t, other_i = (ct, ci) if sortant else (st, si)
        fichier = other_t == "blob"
        out.append(_Brut(other_t, other_i, nature or NATURE_DEFAUT, "sortant" if sortant else "entrant", f"lien:{lid}",
                         not fichier, "Un fichier se retire depuis l'onglet qui l'a déposé (preuves, annexes)." if fichier else ""))  # fmt: skip
    return out


def _preuves(s: Session, t: str, i: int) -> list[_Brut]:
    p, pc = _table("certif_preuve"), _table("certif_preuve_critere")
    if p is None or pc is None:
        return []
    out = []
    if t == "certif_noeud":  # what proves the criterion: items of the app and files
        q = (
            select(p.c.id, p.c.item_type, p.c.item_id)
            .join(pc, pc.c.preuve_id == p.c.id)
            .where(pc.c.noeud_id == i)
        )
        for pid, it, ii in s.execute(q):
            table, ident = (it, ii) if it and ii is not None else ("certif_preuve", pid)
            out.append(_Brut(table, ident, NATURE_PREUVE, "entrant", f"preuve:{pid}:{i}"))
    elif t == "certif_preuve":  # the criteria it serves, the item it points to
        for (nid,) in s.execute(select(pc.c.noeud_id).where(pc.c.preuve_id == i)):
            out.append(_Brut("certif_noeud", nid, NATURE_PREUVE, "sortant", f"preuve:{i}:{nid}"))
        row = s.execute(select(p.c.item_type, p.c.item_id).where(p.c.id == i)).first()
        if row is not None and row[0] and row[1] is not None:
            out.append(_Brut(row[0], row[1], NATURE_ELEMENT, "sortant", "", False,
                             "C'est l'élément que cette preuve désigne : retirez plutôt la preuve du critère."))  # fmt: skip
    else:  # an action, an indicator, a report: the criteria it proves
        q = (
            select(p.c.id, pc.c.noeud_id)
            .join(pc, pc.c.preuve_id == p.c.id)
            .where(p.c.item_type == t, p.c.item_id == i)
        )
        for pid, nid in s.execute(q):
            out.append(_Brut("certif_noeud", nid, NATURE_PREUVE, "sortant", f"preuve:{pid}:{nid}"))
    return out


def _analyses(s: Session, t: str, i: int) -> list[_Brut]:
    ae = _table("evenement_analyse_lien")
    if ae is None:
        return []
    if t == "evenement":
        q = select(ae.c.analyse_id).where(ae.c.evenement_id == i)
        return [
            _Brut("evenement_analyse", a, NATURE_ANALYSE, "sortant", f"analyse:{a}:{i}")
            for (a,) in s.execute(q)
        ]
    q = select(ae.c.evenement_id).where(ae.c.analyse_id == i)
    return [_Brut("evenement", e, NATURE_ANALYSE, "entrant", f"analyse:{i}:{e}") for (e,) in s.execute(q)]


def _noms(s: Session, wanted: dict[str, set[int]]) -> dict[tuple[str, int], tuple[str, str]]:
    """(reference, title) of every item, one query per kind."""
    out: dict[tuple[str, int], tuple[str, str]] = {}
    for table, ids in wanted.items():
        g, t = PAR_TABLE.get(table), _table(table)
        if g is None or t is None:
            continue
        cols = [t.c.id, t.c[g.reference] if g.reference else t.c.id, t.c[g.titre]]
        if table == "certif_noeud":
            cols.append(t.c.type)
        for row in s.execute(select(*cols).where(t.c.id.in_(ids))):
            ref = str(row[1] or "") if g.reference else ""
            titre = _court(row[2])
            if table == "evenement_analyse" and not titre:
                titre = "(synthèse à rédiger)"
            out[(table, row[0])] = (ref, titre)
    return out


def liens_de(db: Database, item_type: str, item_id: int) -> list[GroupeLiens]:
    """Every item linked to (``item_type``, ``item_id``), in both directions and from every relation,
    grouped by kind in the order of the chain; within a group, by reference then title."""
    with db.session() as s:
        bruts = _generiques(s, item_type, item_id)
        if item_type in ("certif_noeud", "certif_preuve") or item_type in _elements_preuve():
            bruts += _preuves(s, item_type, item_id)
        if item_type in ("evenement", "evenement_analyse"):
            bruts += _analyses(s, item_type, item_id)
        wanted: dict[str, set[int]] = defaultdict(set)
        for b in bruts:
            wanted[b.table].add(b.id)
        noms = _noms(s, wanted)
    groupes: dict[str, list[LienVu]] = defaultdict(list)
    seen: set[tuple[str, int, str, str]] = set()
    for b in bruts:
        if (b.table, b.id, b.nature, b.direction) in seen:
            continue
        seen.add((b.table, b.id, b.nature, b.direction))
        g = PAR_TABLE.get(b.table)
        ref, titre = noms.get(
            (b.table, b.id), ("", f"n° {b.id} (introuvable)" if g else f"{b.table} n° {b.id}")
        )
        groupes[b.table].append(LienVu(
            b.table, b.id, g.domaine if g and (b.table, b.id) in noms else "", g.item_type if g else b.table,
            ref, titre, b.nature, b.direction, b.cle, b.deliable and bool(b.cle), b.pourquoi,
        ))  # fmt: skip
    return [
        GroupeLiens(t, PAR_TABLE[t].libelle if t in PAR_TABLE else "Autres éléments",
                    sorted(v, key=lambda x: (x.reference, x.titre, x.id)))
        for t, v in sorted(groupes.items(), key=lambda kv: (ORDRE.get(kv[0], len(ORDRE)), kv[0]))
    ]  # fmt: skip


def compter(groupes: list[GroupeLiens]) -> int:
    return sum(len(g.liens) for g in groupes)


# --- writing -------------------------------------------------------------------------------------------
def _existe(s: Session, table: str, item_id: int) -> bool:
    t = _table(table)
    return t is not None and s.execute(select(t.c.id).where(t.c.id == item_id)).first() is not None


def lier(db: Database, a: tuple[str, int], b: tuple[str, int], nature: str = "") -> str:
    """Link two items (one transaction, journaled); returns the link's key (``LienVu.cle``). A criterion and
    an action / indicator / report: the item becomes evidence of the criterion; an event and an analysis: the
    event joins the analysis; anything else: a generic link of ``nature`` (by default the usual one for the
    two kinds, ``NATURES_PAR_DEFAUT``, else « lié à »). Refused
    with a French message: an item with itself, an unknown kind, a missing item, a link that exists."""
    if a == b:
        raise UserError("Un élément ne peut pas être lié à lui-même.")
    for t, _i in (a, b):
        if t not in PAR_TABLE or t == "blob":
            raise UserError(f"« {t} » : ce type d'élément ne peut pas être lié depuis un panneau de liens.")
    nature = " ".join(nature.split())[:60]
    if not nature and frozenset((a[0], b[0])) in NATURES_PAR_DEFAUT:  # the usual wording, in its direction
        source, nature = NATURES_PAR_DEFAUT[frozenset((a[0], b[0]))]
        a, b = (a, b) if a[0] == source else (b, a)
    nature = nature or NATURE_DEFAUT
    kinds = {a[0], b[0]}
    if "certif_noeud" in kinds and kinds & {*_elements_preuve(), "certif_preuve"}:
        critere, autre = (a, b) if a[0] == "certif_noeud" else (b, a)
        return _lier_preuve(db, critere[1], autre)
    if kinds == {"evenement", "evenement_analyse"}:
        from qualite_app.evenements import services as evenements

        ev, an = (a, b) if a[0] == "evenement" else (b, a)
        evenements.rattacher_evenement(db, an[1], ev[1])
        return f"analyse:{an[1]}:{ev[1]}"
    from qualite_app.socle import liens

    with db.unit_of_work() as s:
        for t, i in (a, b):
            if not _existe(s, t, i):
                raise UserError(
                    f"{PAR_TABLE[t].libelle} : l'élément n° {i} n'existe plus ; rien n'a été lié."
                )
        deja = liens.existing(s, a[0], a[1], b[0], b[1])
        if deja is not None:
            raise UserError(f"Ces deux éléments sont déjà liés (« {deja.nature} ») : rien n'a été ajouté.")
        return f"lien:{liens.link(s, a[0], a[1], b[0], b[1], nature).id}"


def _lier_preuve(db: Database, critere_id: int, autre: tuple[str, int]) -> str:
    from qualite_app.certification import preuves

    with db.session() as s:
        if not _existe(s, autre[0], autre[1]):
            raise UserError(
                f"{PAR_TABLE[autre[0]].libelle} : l'élément n° {autre[1]} n'existe plus ; rien n'a été lié."
            )
        if autre[0] == "certif_preuve":
            pc = _table("certif_preuve_critere")
            assert pc is not None
            if s.execute(
                select(pc.c.preuve_id).where(pc.c.preuve_id == autre[1], pc.c.noeud_id == critere_id)
            ).first():
                raise UserError("Cette preuve sert déjà ce critère : rien n'a été ajouté.")
        ref, titre = _noms(s, {autre[0]: {autre[1]}}).get(autre, ("", ""))
    if autre[0] == "certif_preuve":
        preuves.rattacher(db, autre[1], [critere_id])
        return f"preuve:{autre[1]}:{critere_id}"
    titre_preuve = f"{preuves.ELEMENTS[autre[0]][0]} {ref or titre}".strip()
    pid = preuves.prouver(db, autre[0], autre[1], critere_id, titre_preuve)
    return f"preuve:{pid}:{critere_id}"


def delier(db: Database, cle: str) -> str:
    """Undo the link ``cle`` (``LienVu.cle``), in one transaction, journaled; returns ``cle``."""
    kind, _, rest = cle.partition(":")
    try:
        ids = [int(x) for x in rest.split(":")]
    except ValueError:
        ids = []
    if kind == "lien" and len(ids) == 1:
        with db.unit_of_work() as s:
            lien = s.get(Lien, ids[0])
            if lien is None:
                raise UserError("Ce lien n'existe plus (quelqu'un l'a peut-être déjà retiré).")
            if "blob" in (lien.source_type, lien.cible_type):
                raise UserError("Un fichier se retire depuis l'onglet qui l'a déposé (preuves, annexes).")
            s.delete(lien)
    elif kind == "preuve" and len(ids) == 2:
        from qualite_app.certification import preuves

        preuves.detacher(db, ids[0], ids[1])
    elif kind == "analyse" and len(ids) == 2:
        from qualite_app.evenements import services as evenements

        evenements.detacher_evenement(db, ids[0], ids[1])
    else:
        raise UserError("Ce lien ne peut pas être retiré d'ici.")
    return cle


__all__ = [
    "GENRES", "NATURE_DEFAUT", "NATURE_PREUVE", "TABLES_RELATIONS", "Genre", "GroupeLiens", "LienVu", "compter",
    "delier", "liens_de", "lier", "table_de",
]  # fmt: skip
