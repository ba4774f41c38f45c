"""The a-priori risk map's use cases — the only writer of its tables: risks (gross and residual
criticality), the local zone cut-offs, the heat map, a planned action → PAQSS in one click."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualite_app.errors import UserError, ValidationError
from qualite_app.etablissement.models import Personne
from qualite_app.paqss import services as paqss
from qualite_app.risques import rules
from qualite_app.risques.models import TYPE_RISQUE, Risque, RisqueSeuils
from qualite_app.rules.text import fold
from qualite_app.socle.versions import Edition, champs, edition_de, verifier_version
from qualite_app.storage.base import utcnow
from qualite_app.storage.database import Database


@dataclass
class RisqueData(Edition):
    processus: str = ""
    danger: str = ""
    gravite: int | None = None
    frequence: int | None = None
    activite: str | None = None
    cause: str | None = None
    consequence: str | None = None
    maitrise: int | None = None
    gravite_residuelle: int | None = None
    frequence_residuelle: int | None = None
    maitrise_residuelle: int | None = None
    proprietaire_id: int | None = None
    barrieres: str | None = None
    revue_le: date | None = None
    reference: str | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class RisqueRow:
    id: int
    reference: str
    processus: str
    activite: str
    danger: str
    gravite: int
    frequence: int
    criticite: int | None
    zone: str | None
    gravite_residuelle: int | None
    frequence_residuelle: int | None
    criticite_residuelle: int | None
    zone_residuelle: str | None
    proprietaire: str
    revue_le: date | None


@dataclass(frozen=True)
class Carte:
    """The heat map: ``brute[g-1][f-1]`` and ``residuelle[g-1][f-1]`` counts, and the cut-offs."""

    brute: list[list[int]]
    residuelle: list[list[int]]
    seuils: rules.Seuils
    total: int


def _seuils(s: Session) -> rules.Seuils:
    row = s.scalar(select(RisqueSeuils).order_by(RisqueSeuils.id).limit(1))
    return rules.Seuils(row.tolerable, row.inacceptable, row.avec_maitrise) if row else rules.Seuils()


def seuils(db: Database) -> rules.Seuils:
    with db.session() as s:
        return _seuils(s)


def seuils_ouverts(db: Database) -> tuple[rules.Seuils, dict[str, Any]]:
    """The cut-offs as their form opens them, with the row version read (``rules.Seuils`` stays pure: the
    version travels beside it, to ``enregistrer_seuils(..., **edition)``); version 0 while the defaults
    apply (no row yet: whoever saves first creates it, the other is told)."""
    with db.session() as s:
        row = s.scalar(select(RisqueSeuils).order_by(RisqueSeuils.id).limit(1))
        return _seuils(s), (edition_de(row) if row is not None else {"version_ligne": 0, "charge_le": utcnow()})


def enregistrer_seuils(db: Database, value: rules.Seuils, *, version_ligne: int | None = None,
                       charge_le: datetime | None = None, ecraser: bool = False) -> int:  # fmt: skip
    """Save the cut-offs; ``ConflitEdition`` when someone saved them since the version the form read
    (``seuils_ouverts``), unless ``ecraser``."""
    err = value.erreurs()
    if err:
        raise ValidationError(err)
    with db.unit_of_work() as s:
        row = s.scalar(select(RisqueSeuils).order_by(RisqueSeuils.id).limit(1))
        if row is not None:
            verifier_version(s, row, version_ligne, charge_le, ecraser=ecraser,
                             libelle="La grille des seuils de criticité", feminin=True)  # fmt: skip
        if row is None:
            row = RisqueSeuils()
            s.add(row)
        row.tolerable, row.inacceptable, row.avec_maitrise = (
            value.tolerable,
            value.inacceptable,
            value.avec_maitrise,
        )
        s.flush()
        return row.id


def validate(data: RisqueData, where: str = "") -> RisqueData:
    err: dict[str, str] = {}
    out = RisqueData(**{f.name: getattr(data, f.name) for f in fields(RisqueData)})
    out.processus, out.danger = (data.processus or "").strip(), (data.danger or "").strip()
    for name in ("activite", "cause", "consequence", "barrieres", "reference"):
        setattr(out, name, (getattr(data, name) or "").strip() or None)
    if not out.processus:
        err["processus"] = f"{where}Processus : obligatoire."
    if not out.danger:
        err["danger"] = f"{where}Danger : obligatoire."
    checks = [("gravite", "Gravité brute", 5, True), ("frequence", "Fréquence brute", 5, True),
              ("maitrise", "Maîtrise brute", 4, False), ("gravite_residuelle", "Gravité résiduelle", 5, False),
              ("frequence_residuelle", "Fréquence résiduelle", 5, False), ("maitrise_residuelle", "Maîtrise résiduelle", 4, False)]  # fmt: skip
    for name, label, maxi, needed in checks:
        msg = rules.erreur_echelle(getattr(data, name), label, maxi, obligatoire=needed)
        if msg:
            err[name] = where + msg
    if (data.gravite_residuelle is None) != (data.frequence_residuelle is None):
        err["frequence_residuelle"] = (
            f"{where}Criticité résiduelle : donnez la gravité ET la fréquence résiduelles."
        )
    if err:
        raise ValidationError(err)
    return out


def apply(s: Session, data: RisqueData, *, ecraser: bool = False) -> Risque:
    """Write validated ``data`` into a new or existing risk (``ConflitEdition`` when someone saved it since
    ``data.version_ligne``, unless ``ecraser``)."""
    if data.id is not None:
        r = s.get(Risque, data.id)
        if r is None:
            raise UserError("Ce risque n'existe plus.")
        verifier_version(s, r, data.version_ligne, data.charge_le, ecraser=ecraser, libelle=f"Le risque {r.reference}")
    else:
        with s.no_autoflush:
            n = (s.scalar(select(func.count()).select_from(Risque)) or 0) + 1
            while data.reference is None and s.scalar(
                select(Risque.id).where(Risque.reference == rules.reference(n))
            ):
                n += 1
        r = Risque(reference=data.reference or rules.reference(n))
    for name in champs(RisqueData):
        if name not in ("id", "reference"):
            setattr(r, name, getattr(data, name))
    if data.reference:
        r.reference = data.reference
    r.cle_recherche = fold(
        " ".join(x for x in (r.reference, r.processus, r.activite, r.danger, r.cause, r.consequence) if x)
    )
    s.add(r)
    return r


def enregistrer_risque(db: Database, data: RisqueData, *, ecraser: bool = False) -> int:
    clean = validate(data)
    with db.unit_of_work() as s:
        r = apply(s, clean, ecraser=ecraser)
        s.flush()
        return r.id


def get_risque(db: Database, risque_id: int) -> RisqueData:
    with db.session() as s:
        r = s.get(Risque, risque_id)
        if r is None:
            raise UserError("Ce risque n'existe plus.")
        return RisqueData(**{n: getattr(r, n) for n in champs(RisqueData)}, **edition_de(r))


def supprimer_risque(db: Database, risque_id: int) -> None:
    with db.unit_of_work() as s:
        r = s.get(Risque, risque_id)
        if r is not None:
            s.delete(r)


def list_risques(
    db: Database,
    *,
    texte: str = "",
    processus: str | None = None,
    cellule: tuple[int, int] | None = None,
    residuelle: bool = False,
) -> list[RisqueRow]:
    """Risks by decreasing gross criticality; ``cellule`` = (G, F) of a heat-map cell (gross or residual)."""
    with db.session() as s:
        seuils_ = _seuils(s)
        q = select(Risque, Personne.prenom, Personne.nom).outerjoin(
            Personne, Risque.proprietaire_id == Personne.id
        )
        for word in fold(texte).split():
            q = q.where(Risque.cle_recherche.contains(word, autoescape=True))
        if processus:
            q = q.where(Risque.processus == processus)
        if cellule is not None:
            g_col, f_col = (
                (Risque.gravite_residuelle, Risque.frequence_residuelle)
                if residuelle
                else (Risque.gravite, Risque.frequence)
            )
            q = q.where(g_col == cellule[0], f_col == cellule[1])
        out = []
        for r, prenom, nom in s.execute(q.order_by(Risque.processus, Risque.reference)):
            c = rules.criticite(r.gravite, r.frequence, r.maitrise, avec_maitrise=seuils_.avec_maitrise)
            cr = rules.criticite(r.gravite_residuelle, r.frequence_residuelle, r.maitrise_residuelle,
                                 avec_maitrise=seuils_.avec_maitrise)  # fmt: skip
            out.append(RisqueRow(r.id, r.reference, r.processus, r.activite or "", r.danger, r.gravite, r.frequence, c,
                                 rules.zone(c, seuils_), r.gravite_residuelle, r.frequence_residuelle, cr,
                                 rules.zone(cr, seuils_), f"{prenom or ''} {nom or ''}".strip(), r.revue_le))  # fmt: skip
        out.sort(key=lambda x: (-(x.criticite or 0), x.reference))
        return out


def carte(db: Database, processus: str | None = None) -> Carte:
    """The 5×5 counts, gross and residual, counted in SQL (GROUP BY)."""
    with db.session() as s:

        def grid(g: object, f: object) -> list[list[int]]:
            q = select(g, f, func.count()).group_by(g, f)  # type: ignore[call-overload]
            if processus:
                q = q.where(Risque.processus == processus)
            counts = {(a, b): n for a, b, n in s.execute(q)}
            return rules.heatmap([k for k, n in counts.items() for _ in range(n)])

        total_q = select(func.count()).select_from(Risque)
        if processus:
            total_q = total_q.where(Risque.processus == processus)
        return Carte(grid(Risque.gravite, Risque.frequence),
                     grid(Risque.gravite_residuelle, Risque.frequence_residuelle), _seuils(s),
                     int(s.scalar(total_q) or 0))  # fmt: skip


def processus(db: Database) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(Risque.processus).distinct().order_by(Risque.processus)))


def planifier_action(
    db: Database, risque_id: int, titre: str, *, echeance: date | None = None, pilote_id: int | None = None,
    today: date | None = None,
) -> int:  # fmt: skip
    """A planned action on a risk becomes a PAQSS action (source « risques »), linked, in one transaction."""
    with db.unit_of_work() as s:
        r = s.get(Risque, risque_id)
        if r is None:
            raise UserError("Ce risque n'existe plus.")
        a = paqss.action_depuis(s, TYPE_RISQUE, r.id, titre, "risques", source_detail=f"Risque {r.reference} — {r.danger}"[:300],
                                echeance=echeance, pilote_id=pilote_id or r.proprietaire_id, today=today)  # fmt: skip
        return a.id


def actions_du_risque(db: Database, risque_id: int) -> list[paqss.ActionLiee]:
    return paqss.actions_depuis(db, TYPE_RISQUE, risque_id)


def nombre_actions(db: Database, risque_ids: list[int]) -> dict[int, int]:
    """risk id → how many PAQSS actions treat it (those with none are absent), for a whole list."""
    return paqss.nombre_actions_depuis(db, TYPE_RISQUE, risque_ids)
