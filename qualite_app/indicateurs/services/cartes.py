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
from qualite_app.indicateurs.serie import Carte, carte
from qualite_app.indicateurs.services.series import annotate
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


def suivis_queries() -> tuple[Any, Any, Any, Any]:
    """The dashboard without filters, as plain rows (``serie.cartes_lignes`` reads them; the home page):
    the followed indicators by theme and code (``serie.IND_COLONNES``), their establishment-wide results,
    their targets, their limit recalculations by date."""
    ind = Indicateur
    suivis = select(ind.id).where(ind.suivi.is_(True))
    inds = select(ind.id, ind.code, ind.libelle, ind.theme, ind.secteur, ind.source, ind.unite, ind.sens, ind.graphique,
                  ind.type, ind.echelle, ind.points_base).where(ind.suivi.is_(True)).order_by(ind.theme, ind.code)  # fmt: skip
    m = IndicateurMesure
    mesures = select(m.indicateur_id, m.periode, m.valeur, m.numerateur, m.denominateur, m.statut, m.classe).where(
        m.indicateur_id.in_(suivis), m.service_id.is_(None)
    )
    c = IndicateurCible
    cibles = select(c.indicateur_id, c.debut, c.fin, c.cible, c.seuil_alerte).where(c.indicateur_id.in_(suivis))
    rb = IndicateurRebase
    rebases = select(rb.indicateur_id, rb.id, rb.date, rb.motif).where(rb.indicateur_id.in_(suivis)).order_by(rb.date)
    return inds, mesures, cibles, rebases


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
            card = carte(ind, mesures.get(ind.id, []), cibles.get(ind.id, []), rebases.get(ind.id, []), jusqu_au, garder_series)
            if garder_series:
                assert card.serie is not None
                annotate(db, card.serie, notes.get(ind.id, []))
            out.append(card)
        return out
