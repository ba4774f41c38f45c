"""Dashboard cards: one per followed indicator matching the filters, computed in a handful of queries."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from qualite_app.etablissement.models import Service
from qualite_app.indicateurs.models import (
    Indicateur,
    IndicateurCible,
    IndicateurMesure,
    IndicateurNote,
    IndicateurRebase,
)
from qualite_app.indicateurs.rules import etat, fr
from qualite_app.indicateurs.services.series import Serie, annotate, build_serie, cible_at
from qualite_app.storage.database import Database


@dataclass(frozen=True)
class Filtres:
    theme: str | None = None
    secteur: str | None = None
    source: str | None = None
    service_id: int | None = None
    codes: tuple[str, ...] = ()

    def to_json(self) -> str:
        return json.dumps({"theme": self.theme, "secteur": self.secteur, "source": self.source, "service_id": self.service_id}, ensure_ascii=False)


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


def cartes(db: Database, filtres: Filtres | None = None, *, jusqu_au: date | None = None, garder_series: bool = False) -> list[Carte]:
    """The dashboard: one card per followed indicator matching the filters; a handful of queries in all."""
    f = filtres or Filtres()
    with db.session() as s:
        q = select(Indicateur).where(Indicateur.suivi.is_(True)).order_by(Indicateur.theme, Indicateur.code)
        if f.theme:
            q = q.where(Indicateur.theme == f.theme)
        if f.secteur:
            q = q.where(Indicateur.secteur == f.secteur)
        if f.source:
            q = q.where(Indicateur.source == f.source)
        if f.codes:
            q = q.where(Indicateur.code.in_(f.codes))
        inds = list(s.scalars(q))
        ids = [i.id for i in inds]
        if not ids:
            return []
        mq = select(
            IndicateurMesure.indicateur_id,
            IndicateurMesure.periode,
            IndicateurMesure.valeur,
            IndicateurMesure.numerateur,
            IndicateurMesure.denominateur,
            IndicateurMesure.statut,
            IndicateurMesure.classe,
        ).where(IndicateurMesure.indicateur_id.in_(ids))
        if f.service_id is not None:
            mq = mq.where(IndicateurMesure.service_id == f.service_id)
        else:
            mq = mq.where(IndicateurMesure.service_id.is_(None))
        mesures: dict[int, list[Any]] = defaultdict(list)
        for r in s.execute(mq):
            mesures[r.indicateur_id].append(r)
        cibles: dict[int, list[tuple[date, date | None, float | None, float | None]]] = defaultdict(list)
        for c in s.execute(select(IndicateurCible.indicateur_id, IndicateurCible.debut, IndicateurCible.fin, IndicateurCible.cible, IndicateurCible.seuil_alerte).where(IndicateurCible.indicateur_id.in_(ids))):
            cibles[c[0]].append(tuple(c[1:]))  # type: ignore[arg-type]
        rebases: dict[int, list[tuple[int, date, str]]] = defaultdict(list)
        for rb in s.execute(select(IndicateurRebase.indicateur_id, IndicateurRebase.id, IndicateurRebase.date, IndicateurRebase.motif).where(IndicateurRebase.indicateur_id.in_(ids)).order_by(IndicateurRebase.date)):
            rebases[rb[0]].append((rb[1], rb[2], rb[3]))
        if f.service_id is not None:
            linked = {
                i for (i,) in s.execute(
                    select(Indicateur.id).join(Indicateur.services).where(Service.id == f.service_id, Indicateur.id.in_(ids))
                )
            }  # fmt: skip
            inds = [i for i in inds if i.id in linked or mesures.get(i.id)]
        notes: dict[int, list[tuple[int, date, str]]] = defaultdict(list)
        if garder_series:
            for nt in s.execute(select(IndicateurNote.indicateur_id, IndicateurNote.id, IndicateurNote.date, IndicateurNote.texte).where(IndicateurNote.indicateur_id.in_(ids)).order_by(IndicateurNote.date)):
                notes[nt[0]].append((nt[1], nt[2], nt[3]))
        out = []
        for ind in inds:
            sr = build_serie(ind, mesures.get(ind.id, []), cibles.get(ind.id, []), rebases.get(ind.id, []), jusqu_au)
            if garder_series:
                annotate(db, sr, notes.get(ind.id, []))
            k = sr.derniere
            val = sr.valeurs[k] if k is not None else None
            cible, alerte = cible_at(cibles.get(ind.id, []), sr.periodes[k].debut) if k is not None else cible_at(cibles.get(ind.id, []), jusqu_au or date.today())
            out.append(
                Carte(
                    ind.id, ind.code, ind.libelle, ind.theme or "", ind.secteur, ind.source, ind.unite, ind.sens, val,
                    sr.periodes[k].libelle if k is not None else "", sr.statuts[k] if k is not None else None,
                    sr.classes[k] if k is not None else None, cible, alerte, etat(val, cible, alerte, ind.sens),
                    tuple(sr.valeurs[-24:]), sr.spc.variation, sr.spc.variation_side, sr.spc.assurance,
                    sr.spc.provisional, sr.spc.chart, sr if garder_series else None,
                )  # fmt: skip
            )
        return out
