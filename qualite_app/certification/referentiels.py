"""Référentiels as data: load a YAML file (ours or a CISO Assistant library), validate it, upsert it by URN.

A newer version updates the nodes that survive (answers and evidence stay attached), adds the new ones
and marks the vanished ones « retiré » (kept with their history); an older or identical version is
refused with a message. A level the director changed (``niveau_modifie``) is never overwritten.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from qualite_app.certification import rules
from qualite_app.certification.ciso import from_ciso, is_ciso
from qualite_app.certification.models import CertifNoeud, CertifReferentiel
from qualite_app.errors import UserError, ValidationError
from qualite_app.storage.database import Database

LIVRES = ("has_es_2025.yaml", "qmentum_exemple.yaml")


@dataclass(frozen=True)
class ReferentielRow:
    id: int
    urn: str
    version: str
    nom: str
    editeur: str
    date_publication: date | None
    sha256: str
    criteres: int
    retires: int


@dataclass
class ImportResult:
    referentiel_id: int
    nom: str
    version: str
    ancienne_version: str | None = None
    crees: int = 0
    mis_a_jour: int = 0
    retires: int = 0
    format: str = "qualite"

    def message(self) -> str:
        what = f"« {self.nom} » version {self.version}"
        if self.ancienne_version is None:
            return f"Référentiel {what} importé : {self.crees} nœud(s)."
        return (
            f"Référentiel {what} (remplace la version {self.ancienne_version}) : {self.crees} nœud(s) ajouté(s), "
            f"{self.mis_a_jour} mis à jour, {self.retires} retiré(s) (conservé(s) avec leur historique)."
        )


@dataclass(frozen=True)
class NoeudRow:
    id: int
    parent_id: int | None
    urn: str
    type: str
    ref: str
    titre: str
    niveau: str | None
    cibles: list[str] = field(default_factory=list)
    methodes: list[str] = field(default_factory=list)
    champ: list[str] = field(default_factory=list)
    evaluable: bool = False
    retire: bool = False
    profondeur: int = 1
    description: str | None = None
    ordre: int = 0


def read_document(content: bytes, name: str = "") -> tuple[dict[str, Any], str]:
    """Parse a référentiel file → (our document, format « qualite » or « ciso »)."""
    import yaml

    try:
        loader = getattr(
            yaml, "CSafeLoader", yaml.SafeLoader
        )  # libyaml when present: 10× faster on the HAS file
        doc = yaml.load(content.decode("utf-8-sig"), Loader=loader)  # noqa: S506 - a safe loader
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        where = f" « {name} »" if name else ""
        raise UserError(f"Le fichier{where} n'est pas un YAML lisible : {exc}") from exc
    if is_ciso(doc):
        return from_ciso(doc), "ciso"
    return doc, "qualite"


def importer_fichier(db: Database, path: Path) -> ImportResult:
    try:
        content = Path(path).read_bytes()
    except OSError as exc:
        raise UserError(f"Impossible de lire « {path} » : {exc.strerror or exc}.") from exc
    return importer(db, content, Path(path).name)


def importer(db: Database, content: bytes, name: str = "") -> ImportResult:
    """Validate and upsert a référentiel file, in one transaction; refuse an older or identical version."""
    doc, fmt = read_document(content, name)
    errors = rules.validate_referentiel(doc)
    if errors:
        shown = errors[:12] + ([f"… et {len(errors) - 12} autre(s) problème(s)."] if len(errors) > 12 else [])
        raise ValidationError({f"noeud_{i}": e for i, e in enumerate(shown)})
    with db.unit_of_work() as s:
        return import_in(s, doc, fmt, hashlib.sha256(content).hexdigest())


def import_in(s: Session, doc: dict[str, Any], fmt: str, digest: str) -> ImportResult:
    """The upsert of a validated document inside the caller's transaction (the demo uses it in its own)."""
    ref = s.scalar(select(CertifReferentiel).where(CertifReferentiel.urn == str(doc["urn"])))
    version = str(doc["version"])
    result = ImportResult(0, str(doc["nom"]), version, format=fmt)
    if ref is not None:
        if ref.sha256 == digest or ref.version == version:
            raise UserError(
                f"Le référentiel « {ref.nom} » est déjà chargé dans sa version {ref.version} : rien n'a été importé."
            )
        if rules.version_key(version) < rules.version_key(ref.version):
            raise UserError(
                f"Le fichier porte la version {version} du référentiel « {ref.nom} », plus ancienne que la version "
                f"{ref.version} déjà chargée : rien n'a été importé."
            )
        result.ancienne_version = ref.version
    else:
        ref = CertifReferentiel(urn=str(doc["urn"]))
        s.add(ref)
    ref.version = version
    ref.nom = str(doc["nom"])[:300]
    ref.editeur = str(doc.get("editeur") or "")[:300]
    ref.date_publication = _date(doc.get("date_publication"))
    ref.langue = str(doc.get("langue") or "fr")[:10]
    ref.sha256 = digest
    ref.empreinte_source = str(doc["empreinte_source"])[:64] if doc.get("empreinte_source") else None
    ref.format_source = fmt
    s.flush()
    _upsert_nodes(s, ref, doc["noeuds"], result)
    result.referentiel_id = ref.id
    return result


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _upsert_nodes(s: Any, ref: CertifReferentiel, nodes: list[dict[str, Any]], result: ImportResult) -> None:
    existing = {n.urn: n for n in s.scalars(select(CertifNoeud).where(CertifNoeud.referentiel_id == ref.id))}
    parents = {str(n["parent"]) for n in nodes if n.get("parent")}
    by_urn: dict[str, CertifNoeud] = {}
    for i, n in enumerate(nodes):
        urn = str(n["urn"])
        parent = by_urn.get(str(n.get("parent") or ""))
        if parent is not None and parent.id is None:
            s.flush()  # only parents need their id, when their first child comes (not a flush per node)
        row = existing.get(urn)
        if row is None:
            row = CertifNoeud(referentiel_id=ref.id, urn=urn)
            s.add(row)
            result.crees += 1
        else:
            result.mis_a_jour += 1
        row.parent_id = parent.id if parent is not None else None
        row.profondeur = int(n.get("profondeur") or ((parent.profondeur + 1) if parent is not None else 1))
        row.ordre = i
        row.type = str(n["type"])
        row.ref = str(n.get("ref") or "")[:60]
        row.titre = str(n.get("titre") or n.get("ref") or "")
        row.description = n.get("description")
        if not row.niveau_modifie:
            row.niveau = n.get("niveau")
        row.cibles = list(n.get("cibles") or [])
        row.methodes = list(n.get("methodes") or [])
        row.champ = list(n.get("champ") or [])
        row.evaluable = rules.is_evaluable(n, urn in parents)
        row.retire = False
        row.extras = n.get("extras")
        by_urn[urn] = row
    for urn, row in existing.items():
        if urn not in by_urn and not row.retire:
            row.retire = True
            result.retires += 1


def installer_livres(db: Database, noms: tuple[str, ...] = LIVRES) -> list[ImportResult]:
    """Load the référentiels shipped in resources/referentiels (skipped when already at that version)."""
    from qualite_app.paths import resources_dir

    out = []
    for nom in noms:
        path = resources_dir() / "referentiels" / nom
        try:
            out.append(importer_fichier(db, path))
        except UserError:
            continue  # already loaded
    return out


def lister(db: Database) -> list[ReferentielRow]:
    n = CertifNoeud
    crit = func.sum(case(((n.type == "critere") & n.retire.is_(False), 1), else_=0))
    ret = func.sum(case((n.retire.is_(True), 1), else_=0))
    with db.session() as s:
        counts = {
            rid: (int(c or 0), int(r or 0))
            for rid, c, r in s.execute(select(n.referentiel_id, crit, ret).group_by(n.referentiel_id))
        }
        return [
            ReferentielRow(
                r.id,
                r.urn,
                r.version,
                r.nom,
                r.editeur,
                r.date_publication,
                r.sha256,
                *counts.get(r.id, (0, 0)),
            )
            for r in s.scalars(select(CertifReferentiel).order_by(CertifReferentiel.nom))
        ]


def trouver(db: Database, urn_ou_nom: str) -> int:
    """The référentiel named by its URN, its id or (part of) its name."""
    key = urn_ou_nom.strip().lower()
    rows = lister(db)
    for r in rows:
        if key in (r.urn.lower(), str(r.id), r.nom.lower()):
            return r.id
    matches = [r for r in rows if key in r.nom.lower() or key in r.urn.lower()]
    if len(matches) == 1:
        return matches[0].id
    names = ", ".join(f"« {r.nom} »" for r in rows) or "aucun"
    raise UserError(f"Référentiel « {urn_ou_nom} » introuvable ou ambigu (référentiels chargés : {names}).")


#: (base, référentiel) → (stamp, rows): the structure is read once per change, not per page redraw
_CACHE: dict[tuple[str, int], tuple[tuple[Any, ...], list[NoeudRow]]] = {}


def noeuds(db: Database, referentiel_id: int, *, avec_retires: bool = True) -> list[NoeudRow]:
    """The référentiel's nodes in their order (plain rows, cached until a node changes; the live nodes are
    taken from the same read)."""
    if not avec_retires:
        return [x for x in noeuds(db, referentiel_id) if not x.retire]
    n = CertifNoeud
    with db.session() as s:
        stamp = tuple(
            s.execute(
                select(func.count(), func.max(n.modifie_le)).where(n.referentiel_id == referentiel_id)
            ).one()
        )
        key = (db.engine.url.render_as_string(hide_password=True), referentiel_id)
        hit = _CACHE.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        cols = (n.id, n.parent_id, n.urn, n.type, n.ref, n.titre, n.niveau, n.cibles, n.methodes, n.champ, n.evaluable,
                n.retire, n.profondeur, n.description, n.ordre)  # fmt: skip
        q = select(*cols).where(n.referentiel_id == referentiel_id).order_by(n.ordre, n.id)
        rows = [
            NoeudRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], list(r[7] or []), list(r[8] or []), list(r[9] or []),
                     bool(r[10]), bool(r[11]), r[12], r[13], r[14])
            for r in s.execute(q)
        ]  # fmt: skip
    _CACHE[key] = (stamp, rows)
    return rows


def resume(db: Database, referentiel_id: int) -> dict[str, Any]:
    """Counts by kind and level, for ``qualite referentiel show``."""
    with db.session() as s:
        r = s.get(CertifReferentiel, referentiel_id)
        if r is None:
            raise UserError("Ce référentiel n'existe plus.")
        head = {"urn": r.urn, "version": r.version, "nom": r.nom, "editeur": r.editeur, "sha256": r.sha256,
                "date_publication": r.date_publication.isoformat() if r.date_publication else None, "format": r.format_source}  # fmt: skip
    rows = noeuds(db, referentiel_id)
    live = [n for n in rows if not n.retire]
    return {
        **head,
        "noeuds": len(live),
        "par_type": dict(Counter(n.type for n in live)),
        "par_niveau": dict(Counter(n.niveau for n in live if n.type == "critere" and n.niveau)),
        "evaluables": sum(1 for n in live if n.evaluable),
        "retires": sum(1 for n in rows if n.retire),
    }


def changer_niveau(db: Database, noeud_id: int, niveau: str) -> None:
    """The director reclassifies a criterion (e.g. standard → impératif); a new version keeps the choice."""
    if niveau not in rules.NIVEAUX:
        raise ValidationError(
            {"niveau": f"Niveau « {niveau} » inconnu (possibles : {', '.join(rules.NIVEAUX.values())})."}
        )
    with db.unit_of_work() as s:
        n = s.get(CertifNoeud, noeud_id)
        if n is None:
            raise UserError("Ce critère n'existe plus.")
        if n.type != "critere":
            raise UserError(f"« {n.ref} » n'est pas un critère : seul un critère a un niveau.")
        n.niveau = niveau
        n.niveau_modifie = True
