"""Self-assessment campaigns: one answer per assessable node, evaluation sessions, the answer grid.

Each write is one transaction; the grid is filtered in SQL-fed Python over at most a few thousand nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select

from qualite_app.certification import rules
from qualite_app.certification.models import (
    CertifCampagne,
    CertifNoeud,
    CertifPreuve,
    CertifPreuveCritere,
    CertifReferentiel,
    CertifReponse,
    CertifSession,
)
from qualite_app.errors import UserError, ValidationError
from qualite_app.socle.versions import verifier_version
from qualite_app.storage.base import utcnow
from qualite_app.storage.database import Database


@dataclass(frozen=True)
class CampagneRow:
    id: int
    nom: str
    referentiel_id: int
    referentiel: str
    version: str
    debut: date | None
    fin: date | None
    date_visite: date | None
    sites: str
    secteurs: str
    reponses: int


@dataclass(frozen=True)
class GrilleRow:
    noeud_id: int
    ref: str
    titre: str
    critere_id: int | None
    critere_ref: str
    critere_titre: str
    objectif_ref: str
    chapitre_ref: str
    niveau: str | None
    methodes: list[str]
    cibles: list[str]
    valeur: str | None
    motif_na: str | None
    commentaire: str | None
    evaluateur: str
    date: date | None
    methode: str | None
    preuves: int
    retire: bool
    #: the answer's row version (0: not answered) and when the grid was read: what a form opened from it saw
    version_ligne: int = 0
    charge_le: datetime | None = None


@dataclass(frozen=True)
class GrilleFiltre:
    chapitre: str | None = None  # « 1 »
    objectif: str | None = None  # « 1.1 »
    critere_id: int | None = None
    niveau: str | None = None
    cible: str | None = None
    methode: str | None = None
    repondu: bool | None = None
    avec_preuve: bool | None = None
    texte: str = ""
    valeurs: tuple[str, ...] = field(default_factory=tuple)
    #: only the answers an evaluation session produced
    session_id: int | None = None


@dataclass(frozen=True)
class SessionRow:
    id: int
    methode: str
    date: date
    equipe: str
    service: str
    reponses: int

    @property
    def libelle(self) -> str:
        where = f" — {self.service}" if self.service else ""
        return f"{rules.METHODES.get(self.methode, self.methode)} du {self.date:%d/%m/%Y}{where}"


@dataclass(frozen=True)
class Reponse:
    valeur: str
    commentaire: str | None = None
    motif_na: str | None = None
    evaluateur_id: int | None = None
    date: date | None = None
    methode: str | None = None
    session_id: int | None = None
    #: the answer's version when the form opened it (0: there was none) and when (optimistic locking, see
    #: ``socle.versions.Edition``); checked when one element is answered
    version_ligne: int | None = None
    charge_le: datetime | None = None


def creer_campagne(
    db: Database, nom: str, referentiel_id: int, *, debut: date | None = None, fin: date | None = None,
    date_visite: date | None = None, sites: str = "", secteurs: str = "",
) -> int:  # fmt: skip
    nom = nom.strip()
    if not nom:
        raise ValidationError({"nom": "Le nom de la campagne est obligatoire."})
    if debut and fin and fin < debut:
        raise ValidationError({"fin": f"La fin ({fin:%d/%m/%Y}) précède le début ({debut:%d/%m/%Y})."})
    with db.unit_of_work() as s:
        ref = s.get(CertifReferentiel, referentiel_id)
        if ref is None:
            raise UserError("Ce référentiel n'existe plus.")
        if s.scalar(select(CertifCampagne.id).where(CertifCampagne.nom == nom)) is not None:
            raise ValidationError({"nom": f"Une campagne s'appelle déjà « {nom} »."})
        c = CertifCampagne(nom=nom, referentiel_id=ref.id, version_referentiel=ref.version, debut=debut, fin=fin,
                           date_visite=date_visite, sites=sites, secteurs=secteurs)  # fmt: skip
        s.add(c)
        s.flush()
        return c.id


def modifier_campagne(
    db: Database, campagne_id: int, *, nom: str, debut: date | None, fin: date | None, date_visite: date | None,
    sites: str = "", secteurs: str = "", version_ligne: int | None = None, charge_le: datetime | None = None,
    ecraser: bool = False,
) -> None:  # fmt: skip
    """Name, dates (the visit date drives « expiring before the visit ») and scope of a campaign;
    ``ConflitEdition`` when someone saved it since the form opened it (``version_ligne``, see
    ``socle.versions.Edition``), unless ``ecraser``."""
    nom = nom.strip()
    if not nom:
        raise ValidationError({"nom": "Le nom de la campagne est obligatoire."})
    if debut and fin and fin < debut:
        raise ValidationError({"fin": f"La fin ({fin:%d/%m/%Y}) précède le début ({debut:%d/%m/%Y})."})
    with db.unit_of_work() as s:
        c = s.get(CertifCampagne, campagne_id)
        if c is None:
            raise UserError("Cette campagne n'existe plus.")
        verifier_version(s, c, version_ligne, charge_le, ecraser=ecraser, libelle=f"La campagne « {c.nom} »", feminin=True)
        other = s.scalar(
            select(CertifCampagne.id).where(CertifCampagne.nom == nom, CertifCampagne.id != c.id)
        )
        if other is not None:
            raise ValidationError({"nom": f"Une campagne s'appelle déjà « {nom} »."})
        c.nom, c.debut, c.fin, c.date_visite, c.sites, c.secteurs = (
            nom,
            debut,
            fin,
            date_visite,
            sites,
            secteurs,
        )


def campagnes(db: Database) -> list[CampagneRow]:
    counts = (
        select(CertifReponse.campagne_id, func.count().label("n"))
        .group_by(CertifReponse.campagne_id)
        .subquery()
    )
    q = (
        select(CertifCampagne, CertifReferentiel.nom, func.coalesce(counts.c.n, 0))
        .join(CertifReferentiel, CertifCampagne.referentiel_id == CertifReferentiel.id)
        .outerjoin(counts, counts.c.campagne_id == CertifCampagne.id)
        .order_by(CertifCampagne.debut.desc().nulls_last(), CertifCampagne.id.desc())
    )
    with db.session() as s:
        return [
            CampagneRow(c.id, c.nom, c.referentiel_id, rn, c.version_referentiel, c.debut, c.fin, c.date_visite, c.sites, c.secteurs, n)
            for c, rn, n in s.execute(q)
        ]  # fmt: skip


def prochaine_visite_query(le: date) -> Any:
    """(campaign id, visit date) of the nearest certification visit on or after ``le``: one row at most."""
    return (
        select(CertifCampagne.id, CertifCampagne.date_visite)
        .where(CertifCampagne.date_visite.is_not(None), CertifCampagne.date_visite >= le)
        .order_by(CertifCampagne.date_visite, CertifCampagne.id)
        .limit(1)
    )


def prochaine_visite(db: Database, le: date) -> tuple[int, date] | None:
    """(campaign id, visit date) of the nearest certification visit on or after ``le``, if any: one row."""
    with db.session() as s:
        row = s.execute(prochaine_visite_query(le)).first()
    return (row[0], row[1]) if row and row[1] is not None else None


def campagne(db: Database, campagne_id: int) -> CampagneRow:
    for c in campagnes(db):
        if c.id == campagne_id:
            return c
    raise UserError("Cette campagne n'existe plus.")


def trouver_campagne(db: Database, nom: str | None) -> int:
    """The campaign named (name or id), else the latest one."""
    rows = campagnes(db)
    if not rows:
        raise UserError("Aucune campagne d'autoévaluation dans cette base : créez-en une d'abord.")
    if not nom:
        return rows[0].id
    for c in rows:
        if nom.strip().lower() in (c.nom.lower(), str(c.id)):
            return c.id
    raise UserError(f"Campagne « {nom} » introuvable (campagnes : {', '.join(c.nom for c in rows)}).")


def seuils(db: Database, campagne_id: int) -> rules.Seuils:
    with db.session() as s:
        c = s.get(CertifCampagne, campagne_id)
        if c is None:
            raise UserError("Cette campagne n'existe plus.")
        return rules.Seuils.from_dict(c.seuils)


def regler_seuils(db: Database, campagne_id: int, valeurs: rules.Seuils) -> None:
    for k, v in valeurs.as_dict().items():
        if (
            not isinstance(v, int | float)
            or v < 0
            or (k != "max_imperatifs_sous_conditions" and k != "poids_partiel" and v > 100)
        ):
            raise ValidationError({k: f"Seuil « {k} » : {v} n'est pas un pourcentage entre 0 et 100."})
    if not 0 <= valeurs.poids_partiel <= 1:
        raise ValidationError({"poids_partiel": "Le poids d'une réponse partielle est entre 0 et 1."})
    with db.unit_of_work() as s:
        c = s.get(CertifCampagne, campagne_id)
        if c is None:
            raise UserError("Cette campagne n'existe plus.")
        c.seuils = valeurs.as_dict()


def _check(r: Reponse, ref: str) -> None:
    if r.valeur not in rules.REPONSES:
        raise ValidationError(
            {
                "valeur": f"{ref} : réponse « {r.valeur} » inconnue (possibles : {', '.join(rules.REPONSES.values())})."
            }
        )
    if r.valeur == rules.NA and not (r.motif_na or "").strip():
        raise ValidationError({"motif_na": f"{ref} : « non applicable » demande un motif."})
    if r.methode and r.methode not in rules.METHODES:
        raise ValidationError({"methode": f"{ref} : méthode « {r.methode} » inconnue."})


def repondre(db: Database, campagne_id: int, noeud_ids: list[int] | int, reponse: Reponse | None, *,
             ecraser: bool = False) -> int:  # fmt: skip
    """Answer one or many assessable nodes at once (one transaction); ``None`` clears the answers. One element
    answered from a form (``reponse.version_ligne``): ``ConflitEdition`` when someone answered it since the form
    opened, unless ``ecraser``."""
    ids = [noeud_ids] if isinstance(noeud_ids, int) else list(noeud_ids)
    with db.unit_of_work() as s:
        c = s.get(CertifCampagne, campagne_id)
        if c is None:
            raise UserError("Cette campagne n'existe plus.")
        nodes = {n.id: n for n in s.scalars(select(CertifNoeud).where(CertifNoeud.id.in_(ids)))}
        existing = {
            r.noeud_id: r
            for r in s.scalars(
                select(CertifReponse).where(
                    CertifReponse.campagne_id == c.id, CertifReponse.noeud_id.in_(ids)
                )
            )
        }
        for nid in ids:
            n = nodes.get(nid)
            if n is None or n.referentiel_id != c.referentiel_id:
                raise UserError(
                    "Un des éléments à évaluer n'appartient pas au référentiel de cette campagne."
                )
            if not n.evaluable:
                raise UserError(f"« {n.ref} » ne se cote pas : répondez sur ses éléments d'évaluation.")
            row = existing.get(nid)
            if row is not None and len(ids) == 1 and reponse is not None:
                verifier_version(s, row, reponse.version_ligne, reponse.charge_le, ecraser=ecraser,
                                 libelle=f"La réponse à « {n.ref} »", feminin=True)  # fmt: skip
            if reponse is None:
                if row is not None:
                    s.delete(row)
                continue
            _check(reponse, n.ref)
            if row is None:
                row = CertifReponse(campagne_id=c.id, noeud_id=nid)
                s.add(row)
            row.valeur = reponse.valeur
            row.motif_na = (reponse.motif_na or "").strip() or None if reponse.valeur == rules.NA else None
            row.commentaire = reponse.commentaire if reponse.commentaire is not None else row.commentaire
            row.evaluateur_id = reponse.evaluateur_id or row.evaluateur_id
            row.date = reponse.date or row.date or date.today()
            row.methode = reponse.methode or row.methode
            row.session_id = reponse.session_id or row.session_id
        return len(ids)


def creer_session(db: Database, campagne_id: int, methode: str, le: date, *, equipe: str = "", service: str = "",
                  notes: str | None = None) -> int:  # fmt: skip
    if methode not in rules.METHODES:
        raise ValidationError(
            {"methode": f"Méthode « {methode} » inconnue (possibles : {', '.join(rules.METHODES.values())})."}
        )
    with db.unit_of_work() as s:
        if s.get(CertifCampagne, campagne_id) is None:
            raise UserError("Cette campagne n'existe plus.")
        x = CertifSession(
            campagne_id=campagne_id, methode=methode, date=le, equipe=equipe, service=service, notes=notes
        )
        s.add(x)
        s.flush()
        return x.id


def sessions(db: Database, campagne_id: int) -> list[SessionRow]:
    """The campaign's sessions, newest first, with their number of answers (two plain column queries)."""
    x = CertifSession
    with db.session() as s:
        rows = s.execute(
            select(x.id, x.methode, x.date, x.equipe, x.service)
            .where(x.campagne_id == campagne_id)
            .order_by(x.date.desc(), x.id.desc())
        ).all()
        if not rows:
            return []
        counts: dict[int, int] = dict(
            s.execute(  # type: ignore[arg-type]
                select(CertifReponse.session_id, func.count())
                .where(CertifReponse.session_id.in_([r[0] for r in rows]))
                .group_by(CertifReponse.session_id)
            ).all()
        )
    return [SessionRow(r[0], r[1], r[2], r[3], r[4], counts.get(r[0], 0)) for r in rows]


def supprimer_campagne(db: Database, campagne_id: int) -> None:
    with db.unit_of_work() as s:
        c = s.get(CertifCampagne, campagne_id)
        if c is None:
            raise UserError("Cette campagne n'existe plus.")
        s.execute(delete(CertifReponse).where(CertifReponse.campagne_id == c.id))
        s.delete(c)


def grille(db: Database, campagne_id: int, f: GrilleFiltre = GrilleFiltre()) -> list[GrilleRow]:
    """The answer grid: every assessable node of the campaign's référentiel with its answer."""
    from qualite_app.etablissement.models import Personne

    lu_le = utcnow()
    with db.session() as s:
        c = s.get(CertifCampagne, campagne_id)
        if c is None:
            raise UserError("Cette campagne n'existe plus.")
        referentiel_id = c.referentiel_id
        x = CertifReponse  # plain columns: the grid reads every answer of the campaign
        answers = {
            r.noeud_id: r
            for r in s.execute(
                select(x.noeud_id, x.valeur, x.motif_na, x.commentaire, x.evaluateur_id, x.date, x.methode,
                       x.session_id, x.version).where(x.campagne_id == c.id)
            )
        }  # fmt: skip
        evaluateurs = {r.evaluateur_id for r in answers.values() if r.evaluateur_id}
        people = (
            {p.id: p.audit_label() for p in s.scalars(select(Personne).where(Personne.id.in_(evaluateurs)))}
            if evaluateurs
            else {}
        )
        ev = s.execute(
            select(CertifPreuveCritere.noeud_id, func.count())
            .join(CertifPreuve, CertifPreuve.id == CertifPreuveCritere.preuve_id)
            .group_by(CertifPreuveCritere.noeud_id)
        ).all()
    preuves = dict(ev)
    from qualite_app.certification.referentiels import noeuds

    nodes = {n.id: n for n in noeuds(db, referentiel_id)}
    out: list[GrilleRow] = []
    texte = f.texte.strip().lower()
    for n in sorted(nodes.values(), key=lambda x: (x.ordre, x.id)):
        if not n.evaluable:
            continue
        anc = _ancestors(n, nodes)
        crit = next((a for a in [n, *anc] if a.type in ("critere", "exigence")), None)
        obj = next((a for a in anc if a.type == "objectif"), None)
        chap = next((a for a in anc if a.type in ("chapitre", "section") and a.profondeur == 1), None)
        niveau = crit.niveau if crit is not None else n.niveau
        r = answers.get(n.id)
        nb = preuves.get(n.id, 0) + (preuves.get(crit.id, 0) if crit is not None and crit.id != n.id else 0)
        methodes = list(n.methodes or (crit.methodes if crit else []) or [])
        cibles = list(n.cibles or (crit.cibles if crit else []) or [])
        if f.chapitre and (chap is None or chap.ref != f.chapitre):
            continue
        if f.objectif and (obj is None or obj.ref != f.objectif):
            continue
        if f.critere_id and (crit is None or crit.id != f.critere_id):
            continue
        if (
            (f.niveau and niveau != f.niveau)
            or (f.cible and f.cible not in cibles)
            or (f.methode and f.methode not in methodes)
        ):
            continue
        if (f.repondu is not None and (r is not None) != f.repondu) or (
            f.avec_preuve is not None and (nb > 0) != f.avec_preuve
        ):
            continue
        if f.valeurs and (r is None or r.valeur not in f.valeurs):
            continue
        if f.session_id is not None and (r is None or r.session_id != f.session_id):
            continue
        if texte and texte not in f"{n.ref} {n.titre} {crit.titre if crit else ''}".lower():
            continue
        out.append(GrilleRow(
            n.id, n.ref, n.titre, crit.id if crit else None, crit.ref if crit else "", crit.titre if crit else "",
            obj.ref if obj else "", chap.ref if chap else "", niveau, methodes, cibles, r.valeur if r else None,
            r.motif_na if r else None, r.commentaire if r else None,
            people.get(r.evaluateur_id, "") if r and r.evaluateur_id else "", r.date if r else None,
            r.methode if r else None, nb, n.retire, r.version if r else 0, lu_le,
        ))  # fmt: skip
    return out


def _ancestors(n: Any, nodes: dict[int, Any]) -> list[Any]:
    out = []
    p = nodes.get(n.parent_id) if n.parent_id else None
    while p is not None:
        out.append(p)
        p = nodes.get(p.parent_id) if p.parent_id else None
    return out
