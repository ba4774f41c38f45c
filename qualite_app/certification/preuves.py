"""The evidence store: files (blobs, deduplicated by SHA-256) or links to items of the app, with the date
the evidence speaks of (not the upload date), a validity end, an owner, a confidentiality, the criteria it
answers (one file can serve many) and its versions (replacing keeps the old files)."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualite_app.certification import rules
from qualite_app.certification.models import (
    CertifNoeud,
    CertifPreuve,
    CertifPreuveCritere,
    CertifPreuveVersion,
)
from qualite_app.errors import UserError, ValidationError
from qualite_app.socle.versions import edition_de, verifier_version
from qualite_app.storage.database import Database
from qualite_app.storage.tables import Blob

MAX_FICHIER = 200 * 1024 * 1024


@dataclass(frozen=True)
class PreuveRow:
    id: int
    titre: str
    nom_fichier: str
    sha256: str
    taille: int
    date_preuve: date | None
    valide_jusqu_au: date | None
    proprietaire: str
    confidentialite: str
    version: int
    depose_le: datetime
    item_type: str | None
    item_id: int | None
    criteres: list[str]

    def expiree(self, le: date) -> bool:
        return rules.expiree(self.valide_jusqu_au, le)


@dataclass(frozen=True)
class PreuveData:
    titre: str
    date_preuve: date | None = None
    valide_jusqu_au: date | None = None
    proprietaire_id: int | None = None
    confidentialite: str = "interne"
    description: str | None = None
    #: the version the form opened and when (optimistic locking, see ``socle.versions.Edition``)
    version_ligne: int | None = None
    charge_le: datetime | None = None


@dataclass(frozen=True)
class FichierADeposer:
    """One file of a drop (folders expanded), shown in the preview before anything is written."""

    chemin: Path
    nom: str
    taille: int
    titre: str
    #: the file's last modification day: the evidence date proposed (not the upload date)
    date: date | None = None


def _check(data: PreuveData) -> None:
    errors = {}
    if not data.titre.strip():
        errors["titre"] = "Le titre de la preuve est obligatoire."
    if data.confidentialite not in rules.CONFIDENTIALITES:
        errors["confidentialite"] = f"Confidentialité « {data.confidentialite} » inconnue."
    if data.date_preuve and data.valide_jusqu_au and data.valide_jusqu_au < data.date_preuve:
        errors["valide_jusqu_au"] = (
            f"« {data.titre} » : la fin de validité ({data.valide_jusqu_au:%d/%m/%Y}) précède la date de la preuve "
            f"({data.date_preuve:%d/%m/%Y})."
        )
    if errors:
        raise ValidationError(errors)


def _check_file(nom: str, contenu: bytes) -> None:
    if not contenu:
        raise UserError(f"« {nom} » est vide : rien n'a été enregistré.")
    if len(contenu) > MAX_FICHIER:
        raise UserError(f"« {nom} » dépasse {MAX_FICHIER // (1024 * 1024)} Mo : rien n'a été enregistré.")


def _new(s: Session, data: PreuveData, noeud_ids: list[int], item: tuple[str, int] | None = None) -> CertifPreuve:
    p = CertifPreuve(
        titre=data.titre.strip()[:300], date_preuve=data.date_preuve, valide_jusqu_au=data.valide_jusqu_au,
        proprietaire_id=data.proprietaire_id, confidentialite=data.confidentialite, description=data.description,
        item_type=item[0] if item else None, item_id=item[1] if item else None,
    )  # fmt: skip
    s.add(p)
    s.flush()
    for nid in dict.fromkeys(noeud_ids):
        if s.get(CertifNoeud, nid) is None:
            raise UserError("Un des critères choisis n'existe plus.")
        p.criteres.append(CertifPreuveCritere(preuve_id=p.id, noeud_id=nid))
    return p


def _put_version(s: Session, p: CertifPreuve, contenu: bytes, nom: str) -> None:
    from qualite_app.socle import blobs

    blob = blobs.put(s, contenu, nom, mimetypes.guess_type(nom)[0])
    p.version = (max((v.version for v in p.versions), default=0)) + 1
    p.blob_id = blob.id
    p.versions.append(CertifPreuveVersion(preuve_id=p.id, version=p.version, blob_id=blob.id, nom=nom[:260]))
    s.expunge(blob)  # written: its bytes need not stay in the session until the commit (a big drop)


def ajouter_fichier(db: Database, contenu: bytes, nom: str, data: PreuveData, noeud_ids: list[int]) -> int:
    """A file as evidence for the given criteria (or elements), in one transaction."""
    _check(data)
    _check_file(nom, contenu)
    with db.unit_of_work() as s:
        p = _new(s, data, noeud_ids)
        _put_version(s, p, contenu, nom)
        return p.id


def ajouter_lien(db: Database, item_type: str, item_id: int, data: PreuveData, noeud_ids: list[int]) -> int:
    """An item of the app (a PAQSS action, an indicator, a signed report…) as evidence."""
    _check(data)
    with db.unit_of_work() as s:
        return _new(s, data, noeud_ids, (item_type, item_id)).id


def remplacer(db: Database, preuve_id: int, contenu: bytes, nom: str, *, date_preuve: date | None = None,
              valide_jusqu_au: date | None = None) -> int:  # fmt: skip
    """A new version of the file; the previous ones stay in the base. Returns the new version number."""
    _check_file(nom, contenu)
    with db.unit_of_work() as s:
        p = s.get(CertifPreuve, preuve_id)
        if p is None:
            raise UserError("Cette preuve n'existe plus.")
        _put_version(s, p, contenu, nom)
        if date_preuve is not None:
            p.date_preuve = date_preuve
        if valide_jusqu_au is not None:
            p.valide_jusqu_au = valide_jusqu_au
        return p.version


def modifier(db: Database, preuve_id: int, data: PreuveData, *, ecraser: bool = False) -> None:
    """Title, evidence date, validity end, owner, confidentiality of a piece of evidence; ``ConflitEdition``
    when someone saved it since the form opened it (``data.version_ligne``), unless ``ecraser``."""
    _check(data)
    with db.unit_of_work() as s:
        p = s.get(CertifPreuve, preuve_id)
        if p is None:
            raise UserError("Cette preuve n'existe plus.")
        verifier_version(s, p, data.version_ligne, data.charge_le, ecraser=ecraser,
                         libelle=f"La preuve « {p.titre} »", feminin=True)  # fmt: skip
        p.titre, p.date_preuve, p.valide_jusqu_au = (
            data.titre.strip()[:300],
            data.date_preuve,
            data.valide_jusqu_au,
        )
        p.proprietaire_id, p.confidentialite, p.description = (
            data.proprietaire_id,
            data.confidentialite,
            data.description,
        )


def donnees(db: Database, preuve_id: int) -> PreuveData:
    with db.session() as s:
        p = s.get(CertifPreuve, preuve_id)
        if p is None:
            raise UserError("Cette preuve n'existe plus.")
        return PreuveData(
            p.titre, p.date_preuve, p.valide_jusqu_au, p.proprietaire_id, p.confidentialite, p.description,
            **edition_de(p),
        )


def rattacher(db: Database, preuve_id: int, noeud_ids: list[int]) -> None:
    """Add criteria served by a piece of evidence (those already linked are kept)."""
    with db.unit_of_work() as s:
        p = s.get(CertifPreuve, preuve_id)
        if p is None:
            raise UserError("Cette preuve n'existe plus.")
        have = {c.noeud_id for c in p.criteres}
        for nid in dict.fromkeys(noeud_ids):
            if nid not in have:
                p.criteres.append(CertifPreuveCritere(preuve_id=p.id, noeud_id=nid))


def apercu_depot(chemins: list[Path]) -> list[FichierADeposer]:
    """What a drop of files and folders would attach (folders walked, hidden files skipped): the preview."""
    out: list[FichierADeposer] = []
    for c in chemins:
        c = Path(c)
        files = sorted(p for p in c.rglob("*") if p.is_file()) if c.is_dir() else [c]
        for f in files:
            if any(part.startswith(".") for part in f.parts[-2:]):
                continue
            try:
                st = f.stat()
            except OSError as exc:
                raise UserError(f"Impossible de lire « {f} » : {exc.strerror or exc}.") from exc
            out.append(FichierADeposer(f, f.name, st.st_size, f.stem.replace("_", " ").strip() or f.name,
                                       datetime.fromtimestamp(st.st_mtime).date()))  # fmt: skip
    return out


def deposer(db: Database, fichiers: list[FichierADeposer], noeud_ids: list[int], *, date_preuve: date | None = None,
            valide_jusqu_au: date | None = None, proprietaire_id: int | None = None) -> list[int]:  # fmt: skip
    """Attach a whole drop in one transaction (all or nothing); files are read one at a time."""
    for f in fichiers:  # checked before anything is written
        if f.taille == 0:
            raise UserError(f"« {f.nom} » est vide : rien n'a été déposé.")
        if f.taille > MAX_FICHIER:
            raise UserError(f"« {f.nom} » dépasse {MAX_FICHIER // (1024 * 1024)} Mo : rien n'a été déposé.")
    with db.unit_of_work() as s:
        ids = []
        for f in fichiers:
            try:
                data = f.chemin.read_bytes()
            except OSError as exc:
                raise UserError(
                    f"Impossible de lire « {f.chemin} » : {exc.strerror or exc}. Rien n'a été déposé."
                ) from exc
            _check_file(f.nom, data)
            pd = PreuveData(f.titre[:300], date_preuve or f.date, valide_jusqu_au, proprietaire_id)
            _check(pd)
            p = _new(s, pd, noeud_ids)
            _put_version(s, p, data, f.nom)
            del data
            ids.append(p.id)
        return ids


def lister(db: Database, noeud_id: int | None = None, *, avec_descendants: bool = True) -> list[PreuveRow]:
    """Every piece of evidence, or those serving a node (and, by default, the nodes beneath it)."""
    from qualite_app.etablissement.models import Personne

    with db.session() as s:
        q = select(CertifPreuve).order_by(CertifPreuve.date_preuve.desc().nulls_last(), CertifPreuve.id)
        if noeud_id is not None:
            ids = {noeud_id}
            if avec_descendants:
                frontier = [noeud_id]
                while frontier:
                    kids = list(s.scalars(select(CertifNoeud.id).where(CertifNoeud.parent_id.in_(frontier))))
                    ids.update(kids)
                    frontier = kids
            q = q.where(
                CertifPreuve.id.in_(
                    select(CertifPreuveCritere.preuve_id).where(CertifPreuveCritere.noeud_id.in_(ids))
                )
            )
        rows = list(s.scalars(q))
        blobs_ = {
            b.id: b
            for b in s.scalars(select(Blob).where(Blob.id.in_([r.blob_id for r in rows if r.blob_id])))
        }
        refs: dict[int, list[str]] = {}
        for pid, ref in s.execute(
            select(CertifPreuveCritere.preuve_id, CertifNoeud.ref).join(CertifNoeud, CertifNoeud.id == CertifPreuveCritere.noeud_id)
            .where(CertifPreuveCritere.preuve_id.in_([r.id for r in rows]))
        ):  # fmt: skip
            refs.setdefault(pid, []).append(ref)
        people = {p.id: p.audit_label() for p in s.scalars(select(Personne))}
        out = []
        for r in rows:
            b = blobs_.get(r.blob_id) if r.blob_id else None
            out.append(PreuveRow(
                r.id, r.titre, b.nom if b else "", b.sha256 if b else "", b.taille if b else 0, r.date_preuve, r.valide_jusqu_au,
                people.get(r.proprietaire_id, "") if r.proprietaire_id else "", r.confidentialite, r.version, r.cree_le,
                r.item_type, r.item_id, sorted(refs.get(r.id, [])),
            ))  # fmt: skip
        return out


def expirant_query(fin: date, limite: int) -> Any:
    """(id, title, valid until) of the first ``limite`` pieces of evidence whose validity ends on or before
    ``fin``, the soonest first: read through the index on the expiry date, never the whole list."""
    return (
        select(CertifPreuve.id, CertifPreuve.titre, CertifPreuve.valide_jusqu_au)
        .where(CertifPreuve.valide_jusqu_au.is_not(None) & (CertifPreuve.valide_jusqu_au <= fin))
        .order_by(CertifPreuve.valide_jusqu_au, CertifPreuve.id)
        .limit(limite)
    )


def expirant_avant(db: Database, fin: date, limite: int) -> tuple[list[tuple[int, str, date]], int]:
    """``expirant_query``'s rows, and how many pieces of evidence expire by ``fin`` in all."""
    cond = CertifPreuve.valide_jusqu_au.is_not(None) & (CertifPreuve.valide_jusqu_au <= fin)
    with db.session() as s:
        rows = s.execute(expirant_query(fin, limite)).all()
        total = len(rows)
        if total == limite:
            total = s.execute(select(func.count()).select_from(CertifPreuve).where(cond)).scalar_one()
        return [(r[0], r[1], r[2]) for r in rows if r[2] is not None], int(total)


def versions(db: Database, preuve_id: int) -> list[tuple[int, str, str, datetime]]:
    """(version, file name, SHA-256, stored at) of every file the evidence has had."""
    with db.session() as s:
        q = (
            select(
                CertifPreuveVersion.version, CertifPreuveVersion.nom, Blob.sha256, CertifPreuveVersion.cree_le
            )
            .join(Blob, Blob.id == CertifPreuveVersion.blob_id)
            .where(CertifPreuveVersion.preuve_id == preuve_id)
            .order_by(CertifPreuveVersion.version)
        )
        return [tuple(r) for r in s.execute(q)]  # type: ignore[misc]


def contenu(db: Database, preuve_id: int) -> tuple[str, bytes]:
    """(file name, bytes) of the current version: « Ouvrir » writes it to a private temporary file."""
    with db.session() as s:
        p = s.get(CertifPreuve, preuve_id)
        if p is None or p.blob_id is None:
            raise UserError("Cette preuve n'a pas de fichier.")
        b = s.get(Blob, p.blob_id)
        assert b is not None
        return b.nom, b.contenu


def compter(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(CertifPreuve)) or 0)


def copie_a_ouvrir(db: Database, preuve_id: int) -> Path:
    """The current file written to a private temporary folder, for the system viewer (« Ouvrir »)."""
    import tempfile

    from qualite_app.certification.rules import safe_name

    nom, data = contenu(db, preuve_id)
    folder = Path(tempfile.mkdtemp(prefix="qualite-preuve-"))  # created 0700
    target = folder / safe_name(nom)
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise UserError(f"Impossible d'écrire la copie de « {nom} » : {exc.strerror or exc}.") from exc
    return target


#: the items of the app that can stand as evidence: type → (label, what the user types)
ELEMENTS: dict[str, tuple[str, str]] = {
    "paqss_action": ("Action PAQSS", "référence (PAQSS-2026-012)"),
    "indicateur": ("Indicateur", "code (ICSHA)"),
    "rapport_emis": ("Rapport émis", "référence au registre (NI-2026-0001)"),
}


def prouver(db: Database, item_type: str, item_id: int, noeud_id: int, titre: str = "") -> int:
    """An item of the app (``ELEMENTS``) as evidence of one criterion, in one transaction: the item's
    existing evidence gains the criterion, or a new evidence pointing to the item is created. Refused
    when the item already proves that criterion. Returns the evidence's id."""
    if item_type not in ELEMENTS:
        raise ValidationError({"item_type": f"Type d'élément « {item_type} » inconnu."})
    with db.unit_of_work() as s:
        if s.get(CertifNoeud, noeud_id) is None:
            raise UserError("Ce critère n'existe plus.")
        p = s.scalar(
            select(CertifPreuve)
            .where(CertifPreuve.item_type == item_type, CertifPreuve.item_id == item_id)
            .order_by(CertifPreuve.id)
            .limit(1)
        )
        if p is not None:
            if any(c.noeud_id == noeud_id for c in p.criteres):
                raise UserError(f"{ELEMENTS[item_type][0]} est déjà une preuve de ce critère.")
            p.criteres.append(CertifPreuveCritere(preuve_id=p.id, noeud_id=noeud_id))
            return p.id
        data = PreuveData((titre.strip() or ELEMENTS[item_type][0])[:300], date.today())
        return _new(s, data, [noeud_id], (item_type, item_id)).id


def detacher(db: Database, preuve_id: int, noeud_id: int) -> None:
    """The evidence no longer serves the criterion (one transaction). Evidence pointing to an item of the app
    that serves no criterion any more is removed (it was only that link); a file stays in the store."""
    with db.unit_of_work() as s:
        p = s.get(CertifPreuve, preuve_id)
        lien = next((c for c in p.criteres if c.noeud_id == noeud_id), None) if p is not None else None
        if p is None or lien is None:
            raise UserError("Ce lien entre la preuve et le critère n'existe plus.")
        p.criteres.remove(lien)
        if not p.criteres and p.blob_id is None and p.item_type is not None:
            s.delete(p)
