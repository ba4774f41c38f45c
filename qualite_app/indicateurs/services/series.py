"""The series of an indicator for its control chart: results by period, targets, SPC (``rules.spc``),
annotations (limit recalculations, the director's notes, linked PAQSS actions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from qualite_app.errors import UserError, ValidationError
from qualite_app.indicateurs.models import (
    Indicateur,
    IndicateurCible,
    IndicateurMesure,
    IndicateurNote,
    IndicateurRebase,
)
from qualite_app.indicateurs.rules import choose_chart
from qualite_app.paqss import services as paqss_services
from qualite_app.rules import periodes, spc
from qualite_app.rules.periodes import Periode
from qualite_app.storage.database import Database


def add_rebase(db: Database, indicateur_id: int, a_partir_du: date, motif: str) -> int:
    motif = (motif or "").strip()
    if not motif:
        raise ValidationError({"motif": "Indiquez le motif du recalcul des limites (par exemple l'action mise en place)."})
    with db.unit_of_work() as s:
        if s.get(Indicateur, indicateur_id) is None:
            raise UserError("Cet indicateur n'existe plus.")
        if s.scalar(select(IndicateurRebase.id).where(IndicateurRebase.indicateur_id == indicateur_id, IndicateurRebase.date == a_partir_du)):
            raise UserError(f"Les limites sont déjà recalculées au {a_partir_du:%d/%m/%Y}.")
        r = IndicateurRebase(indicateur_id=indicateur_id, date=a_partir_du, motif=motif)
        s.add(r)
        s.flush()
        return r.id


def delete_rebase(db: Database, rebase_id: int) -> int:
    with db.unit_of_work() as s:
        r = s.get(IndicateurRebase, rebase_id)
        if r is None:
            raise UserError("Ce recalcul des limites n'existe plus.")
        s.delete(r)
    return rebase_id


def add_note(db: Database, indicateur_id: int, le: date, texte: str) -> int:
    texte = (texte or "").strip()
    if not texte:
        raise ValidationError({"texte": "L'annotation est vide."})
    with db.unit_of_work() as s:
        n = IndicateurNote(indicateur_id=indicateur_id, date=le, texte=texte)
        s.add(n)
        s.flush()
        return n.id


def delete_note(db: Database, note_id: int) -> None:
    with db.unit_of_work() as s:
        n = s.get(IndicateurNote, note_id)
        if n is not None:
            s.delete(n)


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


def cible_at(cibles: list[tuple[date, date | None, float | None, float | None]], d: date) -> tuple[float | None, float | None]:
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
        result = spc.compute(vals, chart=chart, direction=ind.sens, target=target, baseline=ind.points_base, rebase_at=rebase_idx)
    return Serie(
        ind.id, ind.code, ind.libelle, ind.unite, ind.sens, ind.type, pers, vals, nums, dens, stats, classes, cib, ale,
        result, annotations, ind.points_base,
    )  # fmt: skip


def _period_index(pers: list[Periode], d: date) -> int | None:
    """Index of the period that contains ``d`` (the last one starting on or before it)."""
    k = None
    for i, p in enumerate(pers):
        if p.debut <= d:
            k = i
        else:
            break
    return k


def actions_paqss(db: Database, indicateur_id: int) -> list[tuple[str, str, date]]:
    """(reference, title, start) of the PAQSS actions linked to the indicator that have a start date.

    Through the PAQSS area's public service (``actions_for_indicator``): never its models.
    """
    return [(str(r), str(t), d) for r, t, d in paqss_services.actions_for_indicator(db, indicateur_id) if d is not None]


def serie(db: Database, indicateur_id: int, *, service_id: int | None = None, jusqu_au: date | None = None) -> Serie:
    with db.session() as s:
        ind = s.get(Indicateur, indicateur_id)
        if ind is None:
            raise UserError("Cet indicateur n'existe plus.")
        q = select(IndicateurMesure).where(IndicateurMesure.indicateur_id == indicateur_id)
        q = q.where(IndicateurMesure.service_id.is_(None) if service_id is None else IndicateurMesure.service_id == service_id)
        mesures = list(s.scalars(q))
        cibles = [(c.debut, c.fin, c.cible, c.seuil_alerte) for c in s.scalars(select(IndicateurCible).where(IndicateurCible.indicateur_id == indicateur_id))]
        rebases = [
            (r.id, r.date, r.motif)
            for r in s.scalars(select(IndicateurRebase).where(IndicateurRebase.indicateur_id == indicateur_id).order_by(IndicateurRebase.date))
        ]
        notes = list(s.scalars(select(IndicateurNote).where(IndicateurNote.indicateur_id == indicateur_id).order_by(IndicateurNote.date)))
        out = build_serie(ind, mesures, cibles, rebases, jusqu_au)
    annotate(db, out, [(n.id, n.date, n.texte) for n in notes])
    return out


def annotate(db: Database, out: Serie, notes: list[tuple[int, date, str]]) -> None:
    """Add the director's notes and the linked PAQSS actions to a series' annotations."""
    for nid, d, texte in notes:
        k = _period_index(out.periodes, d)
        if k is not None:
            out.annotations.append(Annotation(k, d, texte, "note", nid))
    for ref, titre, debut in actions_paqss(db, out.indicateur_id):
        k = _period_index(out.periodes, debut)
        if k is not None:
            out.annotations.append(Annotation(k, debut, f"{ref} — {titre}", "action"))
    out.annotations.sort(key=lambda a: (a.index, a.nature))
