"""The series of an indicator for its control chart: results by period, targets, SPC (``rules.spc``),
annotations (limit recalculations, the director's notes, linked PAQSS actions)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from qualite_app.errors import UserError, ValidationError
from qualite_app.indicateurs.models import (
    Indicateur,
    IndicateurCible,
    IndicateurMesure,
    IndicateurNote,
    IndicateurRebase,
)
from qualite_app.indicateurs.serie import Annotation, Serie, build_serie, cible_at  # noqa: F401 (the public names)
from qualite_app.paqss import services as paqss_services
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
