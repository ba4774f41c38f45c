"""Indicator definitions: list, read, validate and save (with their targets and services), delete."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from qualite_app.errors import UserError, ValidationError
from qualite_app.etablissement.models import Personne, Service
from qualite_app.indicateurs.models import Indicateur, IndicateurCible, IndicateurMesure
from qualite_app.indicateurs.rules import GRAPHIQUES, SECTEURS, SENS, SOURCES, TYPES
from qualite_app.rules import periodes
from qualite_app.rules.checker import Checker
from qualite_app.rules.validation import required
from qualite_app.socle.versions import Edition, edition_de, verifier_version
from qualite_app.storage.database import Database


@dataclass(frozen=True)
class IndicateurRow:
    id: int
    code: str
    libelle: str
    theme: str
    secteur: str
    type: str
    unite: str
    sens: str
    source: str
    periodicite: str
    suivi: bool
    responsable: str
    nb_resultats: int
    derniere_periode: str


@dataclass
class CibleData:
    debut: date
    cible: float | None = None
    seuil_alerte: float | None = None
    fin: date | None = None
    id: int | None = None


@dataclass
class IndicateurData(Edition):
    code: str = ""
    libelle: str = ""
    description: str | None = None
    theme: str | None = None
    secteur: str = "TOUS"
    type: str = "taux"
    unite: str = "%"
    sens: str = "hausse"
    source: str = "institutionnel"
    periodicite: str = "mensuelle"
    responsable_id: int | None = None
    definition: str | None = None
    notes_calcul: str | None = None
    suivi: bool = True
    graphique: str = "auto"
    echelle: float = 100.0
    points_base: int | None = None
    service_ids: list[int] = field(default_factory=list)
    cibles: list[CibleData] = field(default_factory=list)
    catalogue_code: str | None = None
    id: int | None = None


def list_indicateurs(
    db: Database,
    texte: str = "",
    *,
    theme: str | None = None,
    secteur: str | None = None,
    source: str | None = None,
    suivis_seulement: bool = False,
) -> list[IndicateurRow]:
    stats = (
        select(
            IndicateurMesure.indicateur_id.label("iid"),
            func.count(IndicateurMesure.id).label("n"),
            func.max(IndicateurMesure.periode).label("derniere"),
        )
        .group_by(IndicateurMesure.indicateur_id)
        .subquery()
    )
    q = (
        select(
            Indicateur.id,
            Indicateur.code,
            Indicateur.libelle,
            func.coalesce(Indicateur.theme, ""),
            Indicateur.secteur,
            Indicateur.type,
            Indicateur.unite,
            Indicateur.sens,
            Indicateur.source,
            Indicateur.periodicite,
            Indicateur.suivi,
            func.coalesce(Personne.prenom + " " + Personne.nom, ""),
            func.coalesce(stats.c.n, 0),
            func.coalesce(stats.c.derniere, ""),
        )
        .outerjoin(Personne, Indicateur.responsable_id == Personne.id)
        .outerjoin(stats, stats.c.iid == Indicateur.id)
    )
    for word in texte.split():
        pattern = f"%{word}%"
        q = q.where(Indicateur.code.ilike(pattern) | Indicateur.libelle.ilike(pattern) | Indicateur.theme.ilike(pattern))
    if theme:
        q = q.where(Indicateur.theme == theme)
    if secteur:
        q = q.where(Indicateur.secteur == secteur)
    if source:
        q = q.where(Indicateur.source == source)
    if suivis_seulement:
        q = q.where(Indicateur.suivi.is_(True))
    q = q.order_by(Indicateur.theme, Indicateur.code)
    with db.session() as s:
        return [IndicateurRow(*tuple(r)) for r in s.execute(q)]


def get_indicateur(db: Database, indicateur_id: int) -> IndicateurData:
    with db.session() as s:
        i = s.get(Indicateur, indicateur_id, options=[selectinload(Indicateur.services), selectinload(Indicateur.cibles)])
        if i is None:
            raise UserError("Cet indicateur n'existe plus.")
        return IndicateurData(
            id=i.id,
            code=i.code,
            libelle=i.libelle,
            description=i.description,
            theme=i.theme,
            secteur=i.secteur,
            type=i.type,
            unite=i.unite,
            sens=i.sens,
            source=i.source,
            periodicite=i.periodicite,
            responsable_id=i.responsable_id,
            definition=i.definition,
            notes_calcul=i.notes_calcul,
            suivi=i.suivi,
            graphique=i.graphique,
            echelle=i.echelle,
            points_base=i.points_base,
            catalogue_code=i.catalogue_code,
            service_ids=[x.id for x in i.services],
            cibles=[CibleData(c.debut, c.cible, c.seuil_alerte, c.fin, c.id) for c in i.cibles],
            **edition_de(i),
        )


def indicateur_id(db: Database, code: str) -> int:
    with db.session() as s:
        iid = s.scalar(select(Indicateur.id).where(func.upper(Indicateur.code) == code.strip().upper()))
    if iid is None:
        raise UserError(f"Aucun indicateur de code « {code} ».")
    return iid


def _choice(value: str, allowed: dict[str, str], label: str) -> str:
    if value not in allowed:
        raise ValueError(f"{label} : choisir parmi {', '.join(allowed.values())}.")
    return value


def validate(data: IndicateurData) -> IndicateurData:
    c = Checker()
    code = c.check("code", required, data.code, "Le code")
    libelle = c.check("libelle", required, data.libelle, "Le libellé")
    c.check("secteur", _choice, data.secteur, SECTEURS, "Secteur")
    c.check("type", _choice, data.type, TYPES, "Type")
    c.check("sens", _choice, data.sens, SENS, "Sens d'amélioration")
    c.check("source", _choice, data.source, SOURCES, "Source")
    c.check("periodicite", _choice, data.periodicite, periodes.PERIODICITES, "Périodicité")
    c.check("graphique", _choice, data.graphique, GRAPHIQUES, "Type de graphique")
    if data.echelle is None or data.echelle <= 0:
        c.errors["echelle"] = "L'échelle doit être un nombre positif (100 pour un pourcentage)."
    if data.points_base is not None and data.points_base < 2:
        c.errors["points_base"] = "Les limites se figent sur au moins 2 points."
    cibles = sorted(data.cibles, key=lambda x: x.debut)
    for k, cb in enumerate(cibles):
        if cb.fin is not None and cb.fin < cb.debut:
            c.errors["cibles"] = f"Cible du {cb.debut:%d/%m/%Y} : la fin de validité précède le début."
        if k + 1 < len(cibles) and (cb.fin is None or cb.fin >= cibles[k + 1].debut):
            c.errors["cibles"] = (
                f"Les cibles du {cb.debut:%d/%m/%Y} et du {cibles[k + 1].debut:%d/%m/%Y} se chevauchent : "
                "terminez la première avant le début de la suivante."
            )
        if cb.cible is None and cb.seuil_alerte is None:
            c.errors["cibles"] = f"Cible du {cb.debut:%d/%m/%Y} : indiquez une cible ou un seuil d'alerte."
    c.raise_if_any()
    return IndicateurData(
        **{
            **data.__dict__,
            "code": (code or "").upper(),
            "libelle": libelle or "",
            "theme": (data.theme or "").strip() or None,
            "description": (data.description or "").strip() or None,
            "definition": (data.definition or "").strip() or None,
            "notes_calcul": (data.notes_calcul or "").strip() or None,
            "unite": (data.unite or "").strip(),
            "cibles": cibles,
        }
    )


def save_indicateur(db: Database, data: IndicateurData, *, ecraser: bool = False) -> int:
    """Create or update an indicator with its targets; ``ConflitEdition`` when someone saved it since the
    form opened it (``data.version_ligne``), unless ``ecraser``."""
    clean = validate(data)
    with db.unit_of_work() as s:
        other = s.scalar(select(Indicateur.id).where(func.upper(Indicateur.code) == clean.code))
        if other is not None and other != clean.id:
            raise ValidationError({"code": f"Le code « {clean.code} » est déjà utilisé par un autre indicateur."})
        if clean.id is not None:
            ind = s.get(Indicateur, clean.id, options=[selectinload(Indicateur.services), selectinload(Indicateur.cibles)])
            if ind is None:
                raise UserError("Cet indicateur a été supprimé entre-temps.")
            verifier_version(s, ind, clean.version_ligne, clean.charge_le, ecraser=ecraser, libelle=f"L'indicateur {ind.code}")
        else:
            ind = Indicateur(code=clean.code, libelle=clean.libelle)
            s.add(ind)
        for name in (
            "code", "libelle", "description", "theme", "secteur", "type", "unite", "sens", "source", "periodicite",
            "responsable_id", "definition", "notes_calcul", "suivi", "graphique", "echelle", "points_base", "catalogue_code",
        ):  # fmt: skip
            if getattr(ind, name) != getattr(clean, name):
                setattr(ind, name, getattr(clean, name))
        wanted = set(clean.service_ids)
        if {x.id for x in ind.services} != wanted:
            ind.services = list(s.scalars(select(Service).where(Service.id.in_(wanted)))) if wanted else []
        _sync_cibles(s, ind, clean.cibles)
        s.flush()
        return ind.id


def _sync_cibles(s: Session, ind: Indicateur, cibles: list[CibleData]) -> None:
    existing = {c.id: c for c in ind.cibles}
    keep = set()
    for cb in cibles:
        row = existing.get(cb.id) if cb.id is not None else None
        if row is None:
            row = IndicateurCible(debut=cb.debut)
            ind.cibles.append(row)
        keep.add(id(row))
        for name in ("debut", "fin", "cible", "seuil_alerte"):
            if getattr(row, name) != getattr(cb, name):
                setattr(row, name, getattr(cb, name))
    for row in list(ind.cibles):
        if id(row) not in keep:
            ind.cibles.remove(row)


def delete_indicateur(db: Database, indicateur_id: int) -> None:
    with db.unit_of_work() as s:
        ind = s.get(Indicateur, indicateur_id)
        if ind is None:
            raise UserError("Cet indicateur n'existe plus.")
        s.execute(delete(IndicateurMesure).where(IndicateurMesure.indicateur_id == indicateur_id))
        s.delete(ind)


def filter_choices(db: Database) -> dict[str, list[str]]:
    """Values present in the database for the dashboard filters."""
    with db.session() as s:
        themes = [t for (t,) in s.execute(select(Indicateur.theme).distinct().order_by(Indicateur.theme)) if t]
        secteurs = [t for (t,) in s.execute(select(Indicateur.secteur).distinct().order_by(Indicateur.secteur)) if t]
        sources = [t for (t,) in s.execute(select(Indicateur.source).distinct().order_by(Indicateur.source)) if t]
    return {"theme": themes, "secteur": secteurs, "source": sources}


def services(db: Database) -> list[tuple[int, str]]:
    with db.session() as s:
        return [(i, n) for i, n in s.execute(select(Service.id, Service.nom).order_by(Service.nom))]


def set_points_base(db: Database, indicateur_id: int, points: int | None) -> None:
    if points is not None and points < 2:
        raise ValidationError({"points_base": "Les limites se figent sur au moins 2 points."})
    with db.unit_of_work() as s:
        ind = s.get(Indicateur, indicateur_id)
        if ind is None:
            raise UserError("Cet indicateur n'existe plus.")
        ind.points_base = points
