"""The series of an indicator and its dashboard card computed from plain rows (pure: no SQLAlchemy, no
model) — the services (``services.series``, ``services.cartes``) read the rows, and so does the home page's
cold path (``accueil/rapide.py``) without the core."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from qualite_app.indicateurs.rules import choose_chart, etat, fr
from qualite_app.rules import periodes, spc
from qualite_app.rules.periodes import Periode


# --- series and SPC ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Annotation:
    index: int
    date: date
    texte: str
    nature: str  # "rebase", "note", "action"
    id: int | None = None


@dataclass
class Serie:
    indicateur_id: int
    code: str
    libelle: str
    unite: str
    sens: str
    type: str
    periodes: list[Periode]
    valeurs: list[float | None]
    numerateurs: list[float | None]
    denominateurs: list[float | None]
    statuts: list[str | None]
    classes: list[str | None]
    cibles: list[float | None]
    alertes: list[float | None]
    spc: spc.SpcResult
    annotations: list[Annotation] = field(default_factory=list)
    points_base: int | None = None

    @property
    def labels(self) -> list[str]:
        return [p.libelle for p in self.periodes]

    @property
    def derniere(self) -> int | None:
        """Index of the latest period that has a result (value or status)."""
        for i in range(len(self.periodes) - 1, -1, -1):
            if self.valeurs[i] is not None or self.statuts[i] or self.classes[i]:
                return i
        return None

    def lecture(self) -> str:
        return spc.reading(self.spc, self.labels)


def cible_at(
    cibles: list[tuple[date, date | None, float | None, float | None]], d: date
) -> tuple[float | None, float | None]:
    for debut, fin, cible, alerte in cibles:
        if debut <= d and (fin is None or d <= fin):
            return cible, alerte
    return None, None


def build_serie(
    ind: Any,
    mesures: list[Any],
    cibles: list[tuple[date, date | None, float | None, float | None]],
    rebases: list[tuple[int, date, str]],
    jusqu_au: date | None = None,
) -> Serie:
    """``ind`` has code/libelle/…; ``mesures`` rows have periode, valeur, numerateur, denominateur, statut, classe."""
    by_code: dict[str, Any] = {}
    for m in mesures:
        by_code[m.periode] = m
    pers = sorted({periodes.from_code(c) for c in by_code})
    if jusqu_au is not None:
        pers = [p for p in pers if p.debut <= jusqu_au]
    if pers and len({p.nature for p in pers}) == 1:
        pers = periodes.serie(pers[0], pers[-1])  # missing periods keep their place
    vals: list[float | None] = []
    nums: list[float | None] = []
    dens: list[float | None] = []
    stats: list[str | None] = []
    classes: list[str | None] = []
    cib: list[float | None] = []
    ale: list[float | None] = []
    for p in pers:
        m = by_code.get(p.code)
        if m is not None and m.statut not in ("NR", "DI") and m.valeur is not None:
            vals.append(m.valeur)
            nums.append(m.numerateur)
            dens.append(m.denominateur)
        else:
            vals.append(None)
            nums.append(None)
            dens.append(None)
        stats.append(m.statut if m is not None else None)
        classes.append(m.classe if m is not None else None)
        c, a = cible_at(cibles, p.debut)
        cib.append(c)
        ale.append(a)
    n_real = sum(v is not None for v in vals)
    chart = choose_chart(ind.graphique, ind.type, ind.unite, ind.echelle, nums, dens, n_real)
    rebase_idx = []
    annotations = []
    for rid, d, motif in rebases:
        k = next((i for i, p in enumerate(pers) if p.debut >= d), None)
        if k is not None:
            rebase_idx.append(k)
            annotations.append(Annotation(k, d, motif, "rebase", rid))
    target = next((c for c in reversed(cib) if c is not None), None) if cib else None
    if chart in (spc.P, spc.U):
        result = spc.compute(
            chart=chart, numerators=nums, denominators=dens, scale=ind.echelle if ind.type == "taux" else 1.0,
            direction=ind.sens, target=target, baseline=ind.points_base, rebase_at=rebase_idx,
        )  # fmt: skip
    else:
        result = spc.compute(
            vals,
            chart=chart,
            direction=ind.sens,
            target=target,
            baseline=ind.points_base,
            rebase_at=rebase_idx,
        )
    return Serie(
        ind.id, ind.code, ind.libelle, ind.unite, ind.sens, ind.type, pers, vals, nums, dens, stats, classes, cib, ale,
        result, annotations, ind.points_base,
    )  # fmt: skip


@dataclass(frozen=True)
class Carte:
    indicateur_id: int
    code: str
    libelle: str
    theme: str
    secteur: str
    source: str
    unite: str
    sens: str
    valeur: float | None
    periode: str  # label of the latest period with a result
    statut: str | None  # NR / NV / DI of the latest result
    classe: str | None
    cible: float | None
    seuil_alerte: float | None
    etat: str
    sparkline: tuple[float | None, ...]
    variation: str
    variation_cote: str | None
    assurance: str | None
    provisoire: bool
    graphique: str
    serie: Serie | None = None

    @property
    def valeur_texte(self) -> str:
        if self.valeur is None:
            return self.statut or self.classe or "—"
        unit = self.unite if self.unite not in ("", "ratio") else ""
        txt = fr(self.valeur, 0 if float(self.valeur).is_integer() else 1)
        if unit == "%":
            return f"{txt}\u00a0%"
        return f"{txt}\u00a0{unit}".strip() if unit else txt


def carte(ind: Any, mesures: list[Any], cibles: list[tuple[date, date | None, float | None, float | None]],
          rebases: list[tuple[int, date, str]], jusqu_au: date | None, garder_serie: bool = False) -> Carte:  # fmt: skip
    """The card of ``ind`` (id, code, libelle, theme, secteur, source, unite, sens, graphique, type, echelle,
    points_base) from its results, targets and limit recalculations (rows of the service's queries)."""
    sr = build_serie(ind, mesures, cibles, rebases, jusqu_au)
    k = sr.derniere
    val = sr.valeurs[k] if k is not None else None
    cible, alerte = (
        cible_at(cibles, sr.periodes[k].debut)
        if k is not None
        else cible_at(cibles, jusqu_au or date.today())
    )
    return Carte(
        ind.id, ind.code, ind.libelle, ind.theme or "", ind.secteur, ind.source, ind.unite, ind.sens, val,
        sr.periodes[k].libelle if k is not None else "", sr.statuts[k] if k is not None else None,
        sr.classes[k] if k is not None else None, cible, alerte, etat(val, cible, alerte, ind.sens),
        tuple(sr.valeurs[-24:]), sr.spc.variation, sr.spc.variation_side, sr.spc.assurance,
        sr.spc.provisional, sr.spc.chart, sr if garder_serie else None,
    )  # fmt: skip


class _Ind(NamedTuple):
    """The columns of an indicator ``carte`` reads (``services.cartes.suivis_queries``)."""

    id: int
    code: str
    libelle: str
    theme: str | None
    secteur: str
    source: str
    unite: str
    sens: str
    graphique: str
    type: str
    echelle: float
    points_base: int | None


class _Mesure(NamedTuple):
    indicateur_id: int
    periode: str
    valeur: float | None
    numerateur: float | None
    denominateur: float | None
    statut: str | None
    classe: str | None


def cartes_lignes(
    inds: list[Any], mesures: list[Any], cibles: list[Any], rebases: list[Any], jusqu_au: date | None
) -> list[Carte]:
    """The cards of the followed indicators from the rows of ``services.cartes.suivis_queries``, in their order."""
    par_mesure: dict[int, list[Any]] = defaultdict(list)
    for r in mesures:
        par_mesure[r[0]].append(_Mesure(*r))
    par_cible: dict[int, list[tuple[date, date | None, float | None, float | None]]] = defaultdict(list)
    for r in cibles:
        par_cible[r[0]].append(tuple(r[1:]))  # type: ignore[arg-type]
    par_rebase: dict[int, list[tuple[int, date, str]]] = defaultdict(list)
    for r in rebases:
        par_rebase[r[0]].append((r[1], r[2], r[3]))
    return [
        carte(
            ind, par_mesure.get(ind.id, []), par_cible.get(ind.id, []), par_rebase.get(ind.id, []), jusqu_au
        )
        for ind in (_Ind(*r) for r in inds)
    ]
