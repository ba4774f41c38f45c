"""PAQSS structure: programmes › axes › objectives (create, rename, the tree with action counts)
and the choices the editor offers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from qualite_app.errors import UserError, ValidationError
from qualite_app.paqss.models import PaqssAction, PaqssAxe, PaqssObjectif, PaqssProgramme
from qualite_app.socle.versions import verifier_version
from qualite_app.storage.base import utcnow
from qualite_app.storage.database import Database


@dataclass(frozen=True)
class ObjectifNode:
    id: int
    code: str
    titre: str
    n_actions: int
    #: the row version read with the tree and when (optimistic locking of a rename)
    version_ligne: int | None = None
    charge_le: datetime | None = None

    def edition(self) -> dict[str, Any]:
        return {"version_ligne": self.version_ligne, "charge_le": self.charge_le}


@dataclass(frozen=True)
class AxeNode:
    id: int
    code: str
    titre: str
    objectifs: list[ObjectifNode]
    version_ligne: int | None = None
    charge_le: datetime | None = None

    def edition(self) -> dict[str, Any]:
        return {"version_ligne": self.version_ligne, "charge_le": self.charge_le}

    @property
    def n_actions(self) -> int:
        return sum(o.n_actions for o in self.objectifs)


@dataclass(frozen=True)
class ProgrammeNode:
    id: int
    nom: str
    debut: date | None
    fin: date | None
    axes: list[AxeNode]
    version_ligne: int | None = None
    charge_le: datetime | None = None

    def edition(self) -> dict[str, Any]:
        return {"version_ligne": self.version_ligne, "charge_le": self.charge_le}


def programmes(db: Database) -> list[tuple[int, str]]:
    with db.session() as s:
        return [
            (i, n)
            for i, n in s.execute(
                select(PaqssProgramme.id, PaqssProgramme.nom).order_by(
                    PaqssProgramme.debut.desc(), PaqssProgramme.id.desc()
                )
            )
        ]


def programme_courant(db: Database) -> int | None:
    """The most recent programme (by period start), or None when there is none."""
    p = programmes(db)
    return p[0][0] if p else None


def save_programme(
    db: Database,
    nom: str,
    debut: date | None = None,
    fin: date | None = None,
    *,
    adopte_le: date | None = None,
    avis_cme_le: date | None = None,
    cdu_informee_le: date | None = None,
    description: str | None = None,
    id: int | None = None,
    version_ligne: int | None = None,
    charge_le: datetime | None = None,
    ecraser: bool = False,
) -> int:
    """Create or update a programme; ``ConflitEdition`` when someone saved it since the version the form read
    (``version_ligne``, ``charge_le``), unless ``ecraser``."""
    errors = {}
    if not nom.strip():
        errors["nom"] = "Le nom du programme est obligatoire."
    if debut and fin and fin < debut:
        errors["fin"] = "La fin de période est antérieure au début."
    if errors:
        raise ValidationError(errors)
    with db.unit_of_work() as s:
        p = s.get(PaqssProgramme, id) if id else PaqssProgramme(nom=nom.strip())
        if p is None:
            raise UserError("Ce programme a été supprimé entre-temps.")
        verifier_version(s, p, version_ligne, charge_le, ecraser=ecraser, libelle=f"Le programme « {p.nom} »")
        s.add(p)
        p.nom, p.debut, p.fin = nom.strip(), debut, fin
        p.adopte_le, p.avis_cme_le, p.cdu_informee_le = adopte_le, avis_cme_le, cdu_informee_le
        p.description = (description or "").strip() or None
        s.flush()
        return p.id


def rename_programme(
    db: Database,
    programme_id: int,
    nom: str,
    *,
    version_ligne: int | None = None,
    charge_le: datetime | None = None,
    ecraser: bool = False,
) -> None:
    if not nom.strip():
        raise ValidationError({"nom": "Le nom du programme est obligatoire."})
    with db.unit_of_work() as s:
        p = s.get(PaqssProgramme, programme_id)
        if p is None:
            raise UserError("Ce programme a été supprimé entre-temps.")
        verifier_version(s, p, version_ligne, charge_le, ecraser=ecraser, libelle=f"Le programme « {p.nom} »")
        p.nom = nom.strip()


def save_axe(
    db: Database, programme_id: int, titre: str, code: str = "", *, id: int | None = None, **edition: Any
) -> int:
    """Create or rename an axis (``version_ligne``, ``charge_le``, ``ecraser``: see ``save_programme``)."""
    return _save_node(db, PaqssAxe, "programme_id", programme_id, titre, code, id, "l'axe", "Cet axe", "L'axe", **edition)


def save_objectif(
    db: Database, axe_id: int, titre: str, code: str = "", *, id: int | None = None, **edition: Any
) -> int:
    """Create or rename an objective (``version_ligne``, ``charge_le``, ``ecraser``: see ``save_programme``)."""
    return _save_node(db, PaqssObjectif, "axe_id", axe_id, titre, code, id, "l'objectif", "Cet objectif", "L'objectif", **edition)


def _save_node(
    db: Database,
    model: Any,
    parent_key: str,
    parent_id: int,
    titre: str,
    code: str,
    id: int | None,
    de: str,
    ce: str,
    le: str,
    *,
    version_ligne: int | None = None,
    charge_le: datetime | None = None,
    ecraser: bool = False,
) -> int:
    """Create (last in order under its parent) or rename an axis or an objective (checked against the version
    the tree read)."""
    if not titre.strip():
        raise ValidationError({"titre": f"Le titre de {de} est obligatoire."})
    with db.unit_of_work() as s:
        if id:
            node = s.get(model, id)
            if node is None:
                raise UserError(f"{ce} a été supprimé entre-temps.")
            nom = f"{node.code} {node.titre}".strip()
            verifier_version(s, node, version_ligne, charge_le, ecraser=ecraser, libelle=f"{le} « {nom} »")
        else:
            n = s.scalar(select(func.count()).where(getattr(model, parent_key) == parent_id)) or 0
            node = model(**{parent_key: parent_id}, ordre=n + 1)
            s.add(node)
        node.titre, node.code = titre.strip(), code.strip()
        s.flush()
        return int(node.id)


def tree(db: Database) -> list[ProgrammeNode]:
    """Programmes › axes › objectifs with action counts (three queries, whatever the size)."""
    with db.session() as s:
        lu = utcnow()
        counts = dict(
            s.execute(select(PaqssAction.objectif_id, func.count()).group_by(PaqssAction.objectif_id)).all()
        )
        objs: dict[int, list[ObjectifNode]] = {}
        for o in s.execute(
            select(
                PaqssObjectif.id, PaqssObjectif.axe_id, PaqssObjectif.code, PaqssObjectif.titre, PaqssObjectif.version
            ).order_by(PaqssObjectif.ordre, PaqssObjectif.id)
        ):
            objs.setdefault(o.axe_id, []).append(
                ObjectifNode(o.id, o.code, o.titre, counts.get(o.id, 0), o.version, lu)
            )
        axes: dict[int, list[AxeNode]] = {}
        for a in s.execute(
            select(PaqssAxe.id, PaqssAxe.programme_id, PaqssAxe.code, PaqssAxe.titre, PaqssAxe.version).order_by(
                PaqssAxe.ordre, PaqssAxe.id
            )
        ):
            axes.setdefault(a.programme_id, []).append(
                AxeNode(a.id, a.code, a.titre, objs.get(a.id, []), a.version, lu)
            )
        return [
            ProgrammeNode(p.id, p.nom, p.debut, p.fin, axes.get(p.id, []), p.version, lu)
            for p in s.scalars(
                select(PaqssProgramme).order_by(PaqssProgramme.debut.desc(), PaqssProgramme.id.desc())
            )
        ]


def objectif_choices(db: Database, programme_id: int | None = None) -> list[tuple[int, str]]:
    """(objectif id, "Axe › Objectif") for the editor."""
    q = (
        select(PaqssObjectif.id, PaqssAxe.code, PaqssAxe.titre, PaqssObjectif.code, PaqssObjectif.titre)
        .join(PaqssAxe, PaqssObjectif.axe_id == PaqssAxe.id)
        .order_by(PaqssAxe.ordre, PaqssAxe.id, PaqssObjectif.ordre, PaqssObjectif.id)
    )
    if programme_id is not None:
        q = q.where(PaqssAxe.programme_id == programme_id)
    with db.session() as s:
        return [
            (i, f"{ac} {at} › {oc} {ot}".replace("  ", " ").strip()) for i, ac, at, oc, ot in s.execute(q)
        ]


def service_choices(db: Database) -> list[tuple[int, str]]:
    from qualite_app.etablissement.identite import choix_services

    return choix_services(db)
