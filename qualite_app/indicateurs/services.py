"""Indicators: catalogue, definitions and targets, results, SPC series, dashboard cards, saved dashboards."""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from qualite_app import paths
from qualite_app.errors import UserError, ValidationError
from qualite_app.etablissement.models import Personne, Service
from qualite_app.indicateurs.models import (
    Indicateur,
    IndicateurCible,
    IndicateurMesure,
    IndicateurNote,
    IndicateurRebase,
    TableauDeBord,
)
from qualite_app.indicateurs.rules import GRAPHIQUES, SECTEURS, SENS, SOURCES, STATUTS, TYPES  # noqa: E402,F401
from qualite_app.rules import periodes, spc
from qualite_app.rules.checker import Checker
from qualite_app.rules.periodes import Periode
from qualite_app.rules.validation import required
from qualite_app.storage.database import Database

CLASSES = ("A", "B", "C", "D", "E")

ETATS = {
    "atteinte": "Cible atteinte",
    "alerte": "Alerte",
    "hors_cible": "Hors cible",
    "sans_donnee": "Pas de donnée",
    "sans_cible": "Sans cible",
}
ETAT_COULEURS = {"atteinte": "#2E7D32", "alerte": "#E6A100", "hors_cible": "#C62828", "sans_donnee": "#8A94A3", "sans_cible": "#5B6573"}

#: fewer real points than this: a run chart (median, Anhøj) rather than Shewhart limits
RUN_CHART_BELOW = 8


# --- catalogue -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    libelle: str
    secteur: str
    type: str
    unite: str
    sens: str
    source: str
    periodicite: str
    theme: str
    definition: str = ""
    alias: tuple[str, ...] = ()


@cache
def catalogue() -> tuple[CatalogueEntry, ...]:
    """The national catalogue shipped in ``resources/catalogues/indicateurs.yaml``, validated on load."""
    import yaml

    path = paths.resources_dir() / "catalogues" / "indicateurs.yaml"
    with path.open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    out = []
    seen: set[str] = set()
    for i, item in enumerate(data.get("indicateurs", []), start=1):
        try:
            e = CatalogueEntry(
                code=str(item["code"]),
                libelle=str(item["libelle"]),
                secteur=str(item.get("secteur", "TOUS")),
                type=str(item.get("type", "taux")),
                unite=str(item.get("unite", "%")),
                sens=str(item.get("sens", "hausse")),
                source=str(item.get("source", "IQSS")),
                periodicite=str(item.get("periodicite", "annuelle")),
                theme=str(item.get("theme", "")),
                definition=str(item.get("definition", "") or ""),
                alias=tuple(str(a) for a in item.get("alias", []) or []),
            )
        except KeyError as exc:
            raise RuntimeError(f"Catalogue des indicateurs, entrée {i} : champ {exc} manquant.") from exc
        if e.code in seen or e.secteur not in SECTEURS or e.type not in TYPES or e.sens not in SENS:
            raise RuntimeError(f"Catalogue des indicateurs, entrée {i} ({e.code}) invalide.")
        seen.add(e.code)
        out.append(e)
    return tuple(out)


def catalogue_entry(code: str) -> CatalogueEntry | None:
    return next((e for e in catalogue() if e.code == code), None)


def suivre_catalogue(db: Database, codes: Iterable[str]) -> list[str]:
    """Create (or mark as followed) the catalogue indicators ``codes``; returns the codes created."""
    created = []
    with db.unit_of_work() as s:
        for code in codes:
            e = catalogue_entry(code)
            if e is None:
                raise UserError(f"L'indicateur « {code} » n'est pas dans le catalogue national.")
            ind = s.scalar(select(Indicateur).where(Indicateur.code == code))
            if ind is not None:
                ind.suivi = True
                continue
            s.add(_from_catalogue(e))
            created.append(code)
    return created


def _from_catalogue(e: CatalogueEntry) -> Indicateur:
    return Indicateur(
        code=e.code,
        libelle=e.libelle,
        secteur=e.secteur,
        type=e.type,
        unite=e.unite,
        sens=e.sens,
        source=e.source,
        periodicite=e.periodicite,
        theme=e.theme or None,
        definition=e.definition or None,
        catalogue_code=e.code,
        suivi=True,
        echelle=100.0,
        graphique="auto",
    )


# --- numbers -------------------------------------------------------------------------------------------
_SPACES = re.compile(r"[\s\u00a0\u202f]")


def parse_nombre(value: object, label: str = "La valeur") -> float | None:
    """« 12,5 », « 1 234,5 », « 87 % », 12.5 → float; empty → None; ValueError with a French message.

    Only finite numbers: « inf », « nan », « 1e999 » (which Python reads as infinity) are refused.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{label} doit être un nombre.")
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
    else:
        text = _SPACES.sub("", str(value)).rstrip("%").strip()
        if not text or text in ("-", "—"):
            return None
        if text.count(",") == 1 and "." in text and text.index(".") < text.index(","):
            text = text.replace(".", "")  # 1.234,5
        text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{label} « {value} » n'est pas un nombre (exemple : 12,5).") from None
    if not math.isfinite(number):
        raise ValueError(f"{label} « {str(value)[:20]} » n'est pas un nombre fini (exemple : 12,5).")
    return number


#: beyond this size a result is a typing error, and sums of squares over a series would overflow
VALEUR_MAX = 1e12
_SUR_N = re.compile(r"^/\s*(\d+)$")


def _bornes_valeur(ind_type: str, echelle: float, unite: str) -> tuple[float | None, float | None, str]:
    """(min, max, unit shown) of an indicator's value, from its type, scale and unit."""
    u = (unite or "").strip().lower()
    sur = _SUR_N.match(u)
    if u in ("proportion", "0-1", "0–1") or (ind_type == "taux" and echelle == 1 and u in ("", "proportion")):
        return 0.0, 1.0, ""
    # a share of a population: 0-100 %; a percentage of a target (« % de l'objectif », ICSHA) may exceed 100
    if (u in ("%", "pourcentage") and ind_type in ("taux", "score")) or (ind_type == "taux" and echelle == 100 and u == ""):
        return 0.0, 100.0, " %"
    if sur and ind_type in ("taux", "score"):
        return 0.0, float(sur.group(1)), f" (sur {sur.group(1)})"
    if ind_type in ("taux", "nombre"):
        return 0.0, None, ""
    return None, None, ""


def erreur_nombre(champ: str, v: float | None, ind_type: str, echelle: float, unite: str = "") -> str | None:
    """Why ``v`` cannot be the ``champ`` (valeur, numerateur, denominateur) of this indicator, or None if it can."""
    if v is None:
        return None
    if not math.isfinite(v):
        return "n'est pas un nombre fini."
    if abs(v) > VALEUR_MAX:
        return f"{fr(v, 0)} : nombre trop grand (au plus {fr(VALEUR_MAX, 0)})."
    if champ == "denominateur":
        return None if v > 0 else f"le dénominateur doit être supérieur à 0 (lu : {fr(v, 2)})."
    if champ == "numerateur":
        return None if v >= 0 or ind_type not in ("taux", "nombre") else f"un numérateur ne peut pas être négatif (lu : {fr(v, 2)})."
    low, high, shown = _bornes_valeur(ind_type, echelle, unite)
    if low is not None and high is not None and not low <= v <= high:
        return f"{fr(v, 2)}{shown} n'est pas entre {fr(low, 0)} et {fr(high, 0)}{shown}."
    if low is not None and v < low:
        return f"{'un nombre' if ind_type == 'nombre' else 'un taux'} ne peut pas être négatif (lu : {fr(v, 2)})."
    return None


def fr(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "—"
    if float(value).is_integer() and decimals <= 1 and abs(value) >= 100:
        decimals = 0
    s = f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")
    return s


# --- indicators ----------------------------------------------------------------------------------------
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
class IndicateurData:
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


def save_indicateur(db: Database, data: IndicateurData) -> int:
    clean = validate(data)
    with db.unit_of_work() as s:
        other = s.scalar(select(Indicateur.id).where(func.upper(Indicateur.code) == clean.code))
        if other is not None and other != clean.id:
            raise ValidationError({"code": f"Le code « {clean.code} » est déjà utilisé par un autre indicateur."})
        if clean.id is not None:
            ind = s.get(Indicateur, clean.id, options=[selectinload(Indicateur.services), selectinload(Indicateur.cibles)])
            if ind is None:
                raise UserError("Cet indicateur a été supprimé entre-temps.")
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


# --- results -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MesureRow:
    id: int
    periode: str
    periode_libelle: str
    service_id: int | None
    service: str
    numerateur: float | None
    denominateur: float | None
    valeur: float | None
    classe: str | None
    statut: str | None
    commentaire: str | None
    source: str | None


@dataclass
class MesureData:
    periode: str
    valeur: float | None = None
    numerateur: float | None = None
    denominateur: float | None = None
    classe: str | None = None
    statut: str | None = None
    commentaire: str | None = None
    source: str | None = None
    service_id: int | None = None


def list_mesures(db: Database, indicateur_id: int, *, service_id: int | None = None, tous_services: bool = False) -> list[MesureRow]:
    q = (
        select(
            IndicateurMesure.id,
            IndicateurMesure.periode,
            IndicateurMesure.service_id,
            func.coalesce(Service.nom, ""),
            IndicateurMesure.numerateur,
            IndicateurMesure.denominateur,
            IndicateurMesure.valeur,
            IndicateurMesure.classe,
            IndicateurMesure.statut,
            IndicateurMesure.commentaire,
            IndicateurMesure.source,
        )
        .outerjoin(Service, IndicateurMesure.service_id == Service.id)
        .where(IndicateurMesure.indicateur_id == indicateur_id)
        .order_by(IndicateurMesure.periode_debut, Service.nom)
    )
    if not tous_services:
        q = q.where(IndicateurMesure.service_id.is_(None) if service_id is None else IndicateurMesure.service_id == service_id)
    with db.session() as s:
        return [
            MesureRow(r[0], r[1], periodes.from_code(r[1]).libelle, r[2], r[3] or "Établissement", *r[4:]) for r in s.execute(q)
        ]


def clean_mesure(m: MesureData, ind_type: str, echelle: float, where: str = "", *, unite: str = "") -> MesureData:
    """Validate one result; computes the value from numerator/denominator when it is missing.

    Every number is finite and within the indicator's range (``erreur_nombre``): nothing else can be stored.
    """
    prefix = f"{where} : " if where else ""
    try:
        per = periodes.parse(m.periode)
    except ValueError as exc:
        raise UserError(prefix + str(exc)) from None
    statut = (m.statut or "").strip().upper() or None
    if statut is not None and statut not in STATUTS:
        raise UserError(prefix + f"statut « {m.statut} » inconnu (NR, NV ou DI, ou vide).")
    classe = (m.classe or "").strip().upper() or None
    if classe is not None and classe not in CLASSES:
        raise UserError(prefix + f"classe « {m.classe} » inconnue (A à E).")
    num, den, val = m.numerateur, m.denominateur, m.valeur
    for champ, label, v in (("numerateur", "Numérateur", num), ("denominateur", "Dénominateur", den), ("valeur", "Valeur", val)):
        err = erreur_nombre(champ, v, ind_type, echelle, unite)
        if err:
            raise UserError(prefix + f"{label} : {err}")
    if ind_type == "taux" and num is not None and den is not None and echelle == 100 and num > den:
        raise UserError(prefix + f"le numérateur ({fr(num, 0)}) dépasse le dénominateur ({fr(den, 0)}).")
    if val is None and num is not None and den:
        val = round(echelle * num / den, 6) if ind_type == "taux" else round(num / den, 6)
        err = erreur_nombre("valeur", val, ind_type, echelle, unite)
        if err:
            raise UserError(prefix + f"valeur calculée (numérateur / dénominateur) : {err}")
    if statut is None and val is None and classe is None:
        raise UserError(prefix + "indiquez une valeur, un numérateur et un dénominateur, une classe ou un statut (NR, NV, DI).")
    if statut in ("NR", "DI"):
        val = None  # shown in the table, never plotted
    return MesureData(
        periode=per.code,
        valeur=val,
        numerateur=num,
        denominateur=den,
        classe=classe,
        statut=statut,
        commentaire=(m.commentaire or "").strip() or None,
        source=m.source,
        service_id=m.service_id,
    )


def save_mesures(db: Database, indicateur_id: int, rows: list[MesureData]) -> int:
    """Insert or update results (same period and service = the same result); all or nothing."""
    with db.unit_of_work() as s:
        ind = s.get(Indicateur, indicateur_id)
        if ind is None:
            raise UserError("Cet indicateur n'existe plus.")
        clean = [clean_mesure(m, ind.type, ind.echelle, f"Période « {m.periode} »", unite=ind.unite) for m in rows]
        return _upsert(s, ind, clean)


def _upsert(s: Session, ind: Indicateur, rows: list[MesureData]) -> int:
    existing = {
        (m.periode, m.service_id): m
        for m in s.scalars(select(IndicateurMesure).where(IndicateurMesure.indicateur_id == ind.id))
    }
    n = 0
    for m in rows:
        row = existing.get((m.periode, m.service_id))
        if row is None:
            row = IndicateurMesure(indicateur=ind, periode=m.periode, periode_debut=periodes.from_code(m.periode).debut, service_id=m.service_id)
            s.add(row)
            existing[(m.periode, m.service_id)] = row
        for name in ("valeur", "numerateur", "denominateur", "classe", "statut", "commentaire", "source"):
            if getattr(row, name) != getattr(m, name):
                setattr(row, name, getattr(m, name))
        n += 1
    s.flush()
    return n


def delete_mesures(db: Database, mesure_ids: list[int]) -> int:
    """Delete results; returns how many were deleted."""
    n = 0
    with db.unit_of_work() as s:
        for m in s.scalars(select(IndicateurMesure).where(IndicateurMesure.id.in_(mesure_ids))):
            s.delete(m)
            n += 1
    return n


# --- rebases and notes ---------------------------------------------------------------------------------
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


def set_points_base(db: Database, indicateur_id: int, points: int | None) -> None:
    if points is not None and points < 2:
        raise ValidationError({"points_base": "Les limites se figent sur au moins 2 points."})
    with db.unit_of_work() as s:
        ind = s.get(Indicateur, indicateur_id)
        if ind is None:
            raise UserError("Cet indicateur n'existe plus.")
        ind.points_base = points


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


def _cible_at(cibles: list[tuple[date, date | None, float | None, float | None]], d: date) -> tuple[float | None, float | None]:
    for debut, fin, cible, alerte in cibles:
        if debut <= d and (fin is None or d <= fin):
            return cible, alerte
    return None, None


def choose_chart(graphique: str, type_: str, unite: str, echelle: float, nums: list[float | None], dens: list[float | None], n_real: int) -> str:
    if graphique != "auto":
        return graphique
    if n_real < RUN_CHART_BELOW:
        return spc.RUN
    has_counts = n_real > 0 and sum(1 for a, b in zip(nums, dens, strict=True) if a is not None and b) == n_real
    if type_ == "taux" and has_counts:
        proportion = echelle == 100 and all(a <= b for a, b in zip(nums, dens, strict=True) if a is not None and b)
        return spc.P if proportion else spc.U
    return spc.XMR


def _build_serie(
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
        c, a = _cible_at(cibles, p.debut)
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
    """PAQSS actions linked to the indicator, when the PAQSS area is installed."""
    try:
        from qualite_app.services import paqss  # type: ignore[attr-defined]
    except ImportError:
        return []
    fn = getattr(paqss, "actions_for_indicator", None)
    if fn is None:
        return []
    return [(str(r), str(t), d) for r, t, d in fn(db, indicateur_id) if d is not None]


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
        out = _build_serie(ind, mesures, cibles, rebases, jusqu_au)
    _annotate(db, out, [(n.id, n.date, n.texte) for n in notes])
    return out


def _annotate(db: Database, out: Serie, notes: list[tuple[int, date, str]]) -> None:
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


# --- dashboard cards -----------------------------------------------------------------------------------
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


def etat(valeur: float | None, cible: float | None, alerte: float | None, sens: str) -> str:
    if valeur is None:
        return "sans_donnee"
    if sens == "neutre" or (cible is None and alerte is None):
        return "sans_cible"
    better = (lambda a, b: a >= b) if sens == "hausse" else (lambda a, b: a <= b)
    if cible is not None and better(valeur, cible):
        return "atteinte"
    if alerte is not None and better(valeur, alerte):
        return "alerte" if cible is not None else "atteinte"
    return "hors_cible" if cible is not None or alerte is not None else "sans_cible"


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
            sr = _build_serie(ind, mesures.get(ind.id, []), cibles.get(ind.id, []), rebases.get(ind.id, []), jusqu_au)
            if garder_series:
                _annotate(db, sr, notes.get(ind.id, []))
            k = sr.derniere
            val = sr.valeurs[k] if k is not None else None
            cible, alerte = _cible_at(cibles.get(ind.id, []), sr.periodes[k].debut) if k is not None else _cible_at(cibles.get(ind.id, []), jusqu_au or date.today())
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


# --- saved dashboards ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class TableauRow:
    id: int
    nom: str
    filtres: Filtres


def _filtres_from(row: TableauDeBord) -> Filtres:
    try:
        d = json.loads(row.filtres or "{}")
        codes = tuple(json.loads(row.indicateurs or "[]"))
    except ValueError:
        d, codes = {}, ()
    return Filtres(d.get("theme"), d.get("secteur"), d.get("source"), d.get("service_id"), codes)


def list_tableaux(db: Database) -> list[TableauRow]:
    with db.session() as s:
        return [TableauRow(t.id, t.nom, _filtres_from(t)) for t in s.scalars(select(TableauDeBord).order_by(TableauDeBord.nom))]


def get_tableau(db: Database, nom: str) -> TableauRow:
    with db.session() as s:
        t = s.scalar(select(TableauDeBord).where(func.lower(TableauDeBord.nom) == nom.strip().lower()))
        if t is None:
            noms = ", ".join(x.nom for x in s.scalars(select(TableauDeBord).order_by(TableauDeBord.nom))) or "aucun"
            raise UserError(f"Aucun tableau de bord nommé « {nom} » (tableaux enregistrés : {noms}).")
        return TableauRow(t.id, t.nom, _filtres_from(t))


def save_tableau(db: Database, nom: str, filtres: Filtres) -> int:
    nom = (nom or "").strip()
    if not nom:
        raise ValidationError({"nom": "Donnez un nom au tableau de bord (par exemple « CME »)."})
    with db.unit_of_work() as s:
        t = s.scalar(select(TableauDeBord).where(func.lower(TableauDeBord.nom) == nom.lower()))
        if t is None:
            t = TableauDeBord(nom=nom)
            s.add(t)
        t.filtres = filtres.to_json()
        t.indicateurs = json.dumps(list(filtres.codes), ensure_ascii=False)
        s.flush()
        return t.id


def delete_tableau(db: Database, tableau_id: int) -> None:
    with db.unit_of_work() as s:
        t = s.get(TableauDeBord, tableau_id)
        if t is not None:
            s.delete(t)
