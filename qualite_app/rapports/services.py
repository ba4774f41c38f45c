"""Registre des rapports émis: issue (sign, store, register), list, re-verify, export; signing identities
and the establishment's trust list.

Contract used by every report of the application::

    rapports.emettre(db, *, kind, title, pdf, params, data_hash, snapshot=None, identity=None,
                     password=None, recipient=None, replaces=None) -> RapportEmisRow
    rapports.dernier(db, kind) -> RapportEmisRow | None

Signing happens before the transaction: a wrong password, a missing card or an expired certificate raise
``UserError`` and nothing is added to the register. Passwords and PINs are never stored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from qualite_app.errors import UserError
from qualite_app.etablissement.models import Etablissement
from qualite_app.rapports.models import CertificatConfiance, IdentiteSignature, RapportEmis
from qualite_app.storage.base import utcnow
from qualite_app.storage.database import Database
from qualite_app.storage.tables import Blob

if TYPE_CHECKING:
    from qualite_app.rapports.note import NoteData
    from qualite_app.reports.templates import ReportMeta
    from qualite_app.signing.identities import IdentitySpec
    from qualite_app.signing.verify import Verdict

#: kind → French label (areas add theirs with ``KINDS.setdefault``).
KINDS: dict[str, str] = {"note_information": "Note d'information"}
#: kind → prefix of the reference (NI-2026-0001).
PREFIXES: dict[str, str] = {"note_information": "NI"}

DEFAULT_REASON = "Approbation"


# --- rows -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RapportEmisRow:
    id: int
    kind: str
    title: str
    reference: str
    params: dict[str, Any]
    data_hash: str
    snapshot: dict[str, Any] | None
    pdf: bytes
    sha256: str
    emis_le: datetime  # UTC, naive (like every timestamp of the database)
    emis_par: str
    signataire: str | None
    signe_le: datetime | None
    identite: str | None
    destinataire: str
    remplace_id: int | None

    @property
    def signe(self) -> bool:
        return self.signataire is not None


@dataclass(frozen=True)
class RapportListeRow:
    id: int
    kind: str
    kind_label: str
    title: str
    reference: str
    emis_le: datetime
    signataire: str | None
    signe_le: datetime | None
    destinataire: str
    remplace_id: int | None
    sha256: str
    taille: int


@dataclass(frozen=True)
class IdentiteRow:
    id: int
    nom: str
    genre: str
    genre_label: str
    signataire: str
    fonction: str
    expire_le: datetime | None
    empreinte: str | None
    a_ca: bool
    module: str | None
    jeton: str | None
    cle: str | None


@dataclass(frozen=True)
class ConfianceRow:
    id: int
    nom: str
    empreinte: str
    origine: str
    expire_le: datetime | None


def local_time(utc_naive: datetime | None) -> datetime | None:
    """A database timestamp (UTC, naive) in the computer's time zone, for display."""
    if utc_naive is None:
        return None
    return utc_naive.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


# --- the house style header, shared by every report --------------------------------------------------


@dataclass(frozen=True)
class EnteteEtablissement:
    nom: str
    adresse: str
    logo: bytes | None
    destinataire: str
    directeur_qualite: str


def entete(db: Database) -> EnteteEtablissement:
    """The establishment's name, address line, logo (from ``logo_blob_id``) and default recipient."""
    with db.session() as s:
        return _entete(s)


def _entete(s: Session) -> EnteteEtablissement:
    e = s.scalars(select(Etablissement).order_by(Etablissement.id)).first()
    if e is None:
        return EnteteEtablissement("", "", None, "Chef d'établissement", "")
    logo = s.scalar(select(Blob.contenu).where(Blob.id == e.logo_blob_id)) if e.logo_blob_id else None
    adresse = " ".join(x for x in (e.adresse and e.adresse + " –", e.code_postal, e.ville) if x)
    if e.pays == "FR" and e.finess_et:
        adresse = f"{adresse} · FINESS {e.finess_et}" if adresse else f"FINESS {e.finess_et}"
    dest = ", ".join(x for x in (e.chef_etablissement, e.titre_chef or "Chef d'établissement") if x)
    return EnteteEtablissement(e.raison_sociale, adresse, logo, dest, e.directeur_qualite or "")


def house_meta(db: Database, title: str, *, subtitle: str = "", reference: str = "", restricted: bool = False) -> ReportMeta:
    """A ``ReportMeta`` with the establishment's name, address and logo filled in (for every builder)."""
    from qualite_app.reports.templates import ReportMeta

    h = entete(db)
    return ReportMeta(
        title=title,
        subtitle=subtitle,
        etablissement=h.nom,
        address=h.adresse,
        logo=h.logo,
        reference=reference,
        restricted=restricted,
        recipient=h.destinataire,
        author=h.directeur_qualite,
    )


def data_hash(data: Any) -> str:
    """SHA-256 of a JSON-able value in canonical form: the fingerprint of what a report was built from."""
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def prochaine_reference(db: Database, kind: str, when: datetime | None = None) -> str:
    """NI-2026-0003: prefix of the kind, year, rank of the report of this kind in the year."""
    when = when or utcnow()
    prefix = PREFIXES.get(kind, "RAP")
    with db.session() as s:
        start = datetime(when.year, 1, 1)
        n = s.scalar(
            select(func.count(RapportEmis.id)).where(
                RapportEmis.type_rapport == kind, RapportEmis.emis_le >= start, RapportEmis.emis_le < datetime(when.year + 1, 1, 1)
            )
        )
    return f"{prefix}-{when.year}-{(n or 0) + 1:04d}"


# --- issuing ------------------------------------------------------------------------------------------


def emettre(
    db: Database,
    *,
    kind: str,
    title: str,
    pdf: bytes,
    params: dict[str, Any],
    data_hash: str,
    snapshot: dict[str, Any] | None = None,
    identity: str | None = None,
    password: str | None = None,
    recipient: str | None = None,
    replaces: int | None = None,
    reason: str = DEFAULT_REASON,
    reference: str | None = None,
) -> RapportEmisRow:
    """Sign (when ``identity`` names a signing identity) and record a report; returns the register row."""
    from qualite_app.signing.sign import check_pdf

    kind, title = (kind or "").strip(), (title or "").strip()
    if not kind:
        raise UserError("Le type de rapport est obligatoire.")
    if not title:
        raise UserError("Le titre du rapport est obligatoire.")
    check_pdf(pdf, label="Le document à émettre")
    try:
        json.dumps(params)
        json.dumps(snapshot)
    except (TypeError, ValueError) as exc:
        raise UserError(f"Les paramètres du rapport ne sont pas enregistrables : {exc}") from exc
    if replaces is not None:
        with db.session() as s:
            if s.get(RapportEmis, replaces) is None:
                raise UserError(f"Le rapport n° {replaces} à remplacer n'existe pas dans le registre.")
    now = utcnow().replace(microsecond=0)
    signataire: str | None = None
    final = pdf
    if identity:
        final, signataire = _sign_with(db, pdf, identity, password, reason)
    dest = recipient.strip() if recipient and recipient.strip() else entete(db).destinataire
    ref = reference or prochaine_reference(db, kind, now)
    with db.unit_of_work() as s:
        from qualite_app.socle import blobs

        blob = blobs.put(s, final, f"{ref}.pdf", "application/pdf")
        row = RapportEmis(
            type_rapport=kind,
            titre=title[:300],
            reference=ref,
            parametres=params,
            empreinte_donnees=data_hash,
            instantane=snapshot,
            pdf_blob_id=blob.id,
            sha256=blob.sha256,
            emis_le=now,
            emis_par=str(db.actor),
            signataire=signataire,
            signe_le=now if signataire else None,
            identite=identity if signataire else None,
            destinataire=dest[:300],
            remplace_id=replaces,
        )
        s.add(row)
        s.flush()
        rid = row.id
    return get(db, rid)


def _sign_with(db: Database, pdf: bytes, identity: str, password: str | None, reason: str) -> tuple[bytes, str]:
    from qualite_app.signing.identities import needs_password, open_signer
    from qualite_app.signing.sign import Appearance, sign_pdf

    spec, signataire, fonction = identity_spec(db, identity)
    if (password is None or password == "") and needs_password(spec):
        raise UserError(
            "Saisissez le code PIN de la carte." if spec.kind == "pkcs11" else f"Saisissez le mot de passe de l'identité « {identity} »."
        )
    lieu = entete(db).nom
    with open_signer(spec, password) as opened:
        name = signataire or opened.info.subject_cn
        signed = sign_pdf(pdf, opened.signer, Appearance(name, fonction, reason or DEFAULT_REASON, lieu))
    return signed, name


def signer_pdf(db: Database, pdf: bytes, identity: str, password: str | None, reason: str = DEFAULT_REASON) -> bytes:
    """Sign any PDF with a known identity, without recording it in the register (``qualite sign``)."""
    from qualite_app.signing.sign import check_pdf

    check_pdf(pdf)
    return _sign_with(db, pdf, identity, password, reason)[0]


def _row(r: RapportEmis, pdf: bytes) -> RapportEmisRow:
    return RapportEmisRow(
        id=r.id,
        kind=r.type_rapport,
        title=r.titre,
        reference=r.reference,
        params=dict(r.parametres or {}),
        data_hash=r.empreinte_donnees,
        snapshot=r.instantane,
        pdf=pdf,
        sha256=r.sha256,
        emis_le=r.emis_le,
        emis_par=r.emis_par,
        signataire=r.signataire,
        signe_le=r.signe_le,
        identite=r.identite,
        destinataire=r.destinataire,
        remplace_id=r.remplace_id,
    )


def get(db: Database, rapport_id: int) -> RapportEmisRow:
    with db.session() as s:
        r = s.get(RapportEmis, rapport_id)
        if r is None:
            raise UserError(f"Le rapport n° {rapport_id} n'existe pas dans le registre.")
        pdf = s.scalar(select(Blob.contenu).where(Blob.id == r.pdf_blob_id)) or b""
        return _row(r, pdf)


def dernier(db: Database, kind: str) -> RapportEmisRow | None:
    """The latest issued report of a kind (None when none was issued yet)."""
    with db.session() as s:
        rid = s.scalar(
            select(RapportEmis.id).where(RapportEmis.type_rapport == kind).order_by(RapportEmis.emis_le.desc(), RapportEmis.id.desc())
        )
    return get(db, rid) if rid is not None else None


def _filters(kind: str | None, texte: str | None, signe: bool | None) -> list[Any]:
    where: list[Any] = []
    if kind:
        where.append(RapportEmis.type_rapport == kind)
    if texte and texte.strip():
        like = f"%{texte.strip().lower()}%"
        where.append(
            or_(
                func.lower(RapportEmis.titre).like(like),
                func.lower(RapportEmis.reference).like(like),
                func.lower(func.coalesce(RapportEmis.signataire, "")).like(like),
                func.lower(RapportEmis.destinataire).like(like),
            )
        )
    if signe is True:
        where.append(RapportEmis.signataire.is_not(None))
    elif signe is False:
        where.append(RapportEmis.signataire.is_(None))
    return where


def lister(
    db: Database,
    *,
    kind: str | None = None,
    texte: str | None = None,
    signe: bool | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[RapportListeRow]:
    """The register, newest first, filtered and paged in SQL."""
    q = (
        select(
            RapportEmis.id,
            RapportEmis.type_rapport,
            RapportEmis.titre,
            RapportEmis.reference,
            RapportEmis.emis_le,
            RapportEmis.signataire,
            RapportEmis.signe_le,
            RapportEmis.destinataire,
            RapportEmis.remplace_id,
            RapportEmis.sha256,
            Blob.taille,
        )
        .join(Blob, Blob.id == RapportEmis.pdf_blob_id)
        .where(*_filters(kind, texte, signe))
        .order_by(RapportEmis.emis_le.desc(), RapportEmis.id.desc())
        .offset(offset)
    )
    if limit is not None:
        q = q.limit(limit)
    with db.session() as s:
        return [
            RapportListeRow(r[0], r[1], KINDS.get(r[1], r[1]), r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10])
            for r in s.execute(q)
        ]


def compter(db: Database, *, kind: str | None = None, texte: str | None = None, signe: bool | None = None) -> int:
    with db.session() as s:
        return s.scalar(select(func.count(RapportEmis.id)).where(*_filters(kind, texte, signe))) or 0


def kinds_in_register(db: Database) -> list[tuple[str, str]]:
    with db.session() as s:
        kinds = s.scalars(select(RapportEmis.type_rapport).distinct().order_by(RapportEmis.type_rapport)).all()
    return [(k, KINDS.get(k, k)) for k in kinds]


def verifier(db: Database, rapport_id: int) -> Verdict:
    """Re-verify an issued report: its stored bytes against their fingerprint, then its signature."""
    from qualite_app.signing.verify import Verdict, verify_pdf

    r = get(db, rapport_id)
    if hashlib.sha256(r.pdf).hexdigest() != r.sha256:
        return Verdict(endommage="le PDF conservé ne correspond plus à son empreinte d'émission")
    return verify_pdf(r.pdf, trust_roots(db))


def verifier_pdf(db: Database, pdf: bytes) -> Verdict:
    """Verify any PDF against the establishment's trust list (« Vérifier un rapport… », ``qualite verify``)."""
    from qualite_app.signing.verify import verify_pdf

    return verify_pdf(pdf, trust_roots(db))


def exporter(db: Database, rapport_id: int, target: Path) -> Path:
    r = get(db, rapport_id)
    try:
        target.write_bytes(r.pdf)
    except OSError as exc:
        raise UserError(f"Impossible d'écrire « {target} » : {exc.strerror or exc}") from exc
    return target


# --- the note d'information -------------------------------------------------------------------------


def _note_entete(db: Database, reference: str, when: datetime) -> Any:
    from qualite_app.rapports.note import Entete

    h = entete(db)
    return Entete(
        etablissement=h.nom,
        adresse=h.adresse,
        logo=h.logo,
        redacteur=h.directeur_qualite or db.actor.display_name,
        fonction_redacteur="Direction de la qualité et de la gestion des risques",
        destinataire=h.destinataire,
        reference=reference,
        emis_le=when,
    )


def valider_note(note: NoteData) -> NoteData:
    from qualite_app.rapports.note import CATEGORIES
    from qualite_app.rules.checker import Checker

    c = Checker()

    def required(value: str, label: str) -> str:
        if not (value or "").strip():
            raise ValueError(f"{label} est obligatoire.")
        return value.strip()

    def category(value: str) -> str:
        if value not in CATEGORIES:
            raise ValueError(f"Catégorie inconnue « {value} » : choisissez parmi {', '.join(CATEGORIES)}.")
        return value

    c.check("sujet", required, note.sujet, "Le sujet")
    c.check("categorie", category, note.categorie)
    c.check("faits", required, note.faits, "L'exposé des faits")
    c.raise_if_any()
    return note


def generer_note(db: Database, note: NoteData, *, reference: str | None = None) -> bytes:
    """The note's PDF as it will be issued (preview; nothing is written)."""
    from qualite_app.rapports.note import KIND, build_note

    valider_note(note)
    now = local_time(utcnow()) or datetime.now()
    ref = reference or prochaine_reference(db, KIND)
    return build_note(note, _note_entete(db, ref, now.replace(second=0, microsecond=0)))


def emettre_note(
    db: Database,
    note: NoteData,
    *,
    identity: str | None = None,
    password: str | None = None,
    replaces: int | None = None,
    reason: str = DEFAULT_REASON,
) -> RapportEmisRow:
    from qualite_app.rapports.note import KIND, TITLE, categorie_label

    valider_note(note)
    ref = prochaine_reference(db, KIND)
    pdf = generer_note(db, note, reference=ref)
    data = note.as_dict()
    return emettre(
        db,
        kind=KIND,
        title=f"{TITLE} — {note.sujet.strip()}",
        pdf=pdf,
        params={"categorie": categorie_label(note.categorie), "restreinte": note.restreinte},
        data_hash=data_hash(data),
        snapshot=data,
        identity=identity,
        password=password,
        reference=ref,
        replaces=replaces,
        reason=reason,
    )


def note_depuis_registre(db: Database, rapport_id: int) -> NoteData:
    """The data of an issued note, to prepare its correction (a new note that replaces it)."""
    from qualite_app.rapports.note import KIND, NoteData

    r = get(db, rapport_id)
    if r.kind != KIND or not r.snapshot:
        raise UserError(f"Le rapport {r.reference} n'est pas une note d'information : il se corrige depuis sa propre zone.")
    d = dict(r.snapshot)
    when = d.get("survenu_le")
    return NoteData(
        sujet=str(d.get("sujet", "")),
        categorie=str(d.get("categorie", "autre")),
        faits=str(d.get("faits", "")),
        survenu_le=datetime.fromisoformat(when) if when else None,
        mesures=str(d.get("mesures", "")),
        decisions=str(d.get("decisions", "")),
        personnes_informees=str(d.get("personnes_informees", "")),
        pieces_jointes=[str(x) for x in d.get("pieces_jointes", [])],
        restreinte=bool(d.get("restreinte", True)),
    )


# --- signing identities -------------------------------------------------------------------------------


def _check_new_name(s: Any, nom: str) -> str:
    nom = (nom or "").strip()
    if not nom:
        raise UserError("Donnez un nom à l'identité de signature.", field="nom")
    if len(nom) > 100:
        raise UserError("Le nom de l'identité est limité à 100 caractères.", field="nom")
    if s.scalar(select(IdentiteSignature.id).where(func.lower(IdentiteSignature.nom) == nom.lower())) is not None:
        raise UserError(f"Une identité de signature « {nom} » existe déjà.", field="nom")
    return nom


def _identite_row(i: IdentiteSignature) -> IdentiteRow:
    from qualite_app.signing.identities import KINDS as ID_KINDS

    return IdentiteRow(
        i.id, i.nom, i.genre, ID_KINDS.get(i.genre, i.genre), i.signataire, i.fonction, i.expire_le,
        i.empreinte_certificat, i.certificat_ca is not None, i.module_pkcs11, i.jeton, i.cle,
    )


def _naive_utc(d: datetime) -> datetime:
    return d.astimezone(UTC).replace(tzinfo=None) if d.tzinfo else d


def _add_trust(s: Any, der: bytes, origine: str) -> None:
    from qualite_app.signing.identities import cert_info

    info = cert_info(der)
    if s.scalar(select(CertificatConfiance.id).where(CertificatConfiance.empreinte == info.sha256)) is None:
        s.add(
            CertificatConfiance(
                nom=info.subject_cn, empreinte=info.sha256, certificat=der, origine=origine, expire_le=_naive_utc(info.not_after)
            )
        )


def creer_identite_locale(
    db: Database, *, nom: str, signataire: str, fonction: str, password: str, years: int = 3
) -> IdentiteRow:
    """Create the local signing authority and the director's certificate; its CA joins the trust list."""
    from qualite_app.signing.identities import cert_info, create_local_authority

    with db.session() as s:
        nom = _check_new_name(s, nom)
    la = create_local_authority(
        signataire=signataire, fonction=fonction, etablissement=entete(db).nom, password=password, years=years
    )
    info = cert_info(la.certificate)
    with db.unit_of_work() as s:
        i = IdentiteSignature(
            nom=nom,
            genre="locale",
            signataire=signataire.strip(),
            fonction=fonction.strip(),
            certificat=la.certificate,
            empreinte_certificat=info.sha256,
            expire_le=_naive_utc(info.not_after),
            pkcs12=la.pkcs12,
            certificat_ca=la.ca_certificate,
        )
        s.add(i)
        _add_trust(s, la.ca_certificate, f"Autorité locale « {nom} »")
        s.flush()
        return _identite_row(i)


def importer_pkcs12(
    db: Database,
    *,
    nom: str,
    data: bytes,
    password: str | None,
    signataire: str = "",
    fonction: str = "",
    faire_confiance: bool = True,
) -> IdentiteRow:
    """Import a PKCS#12 issued by the establishment's PKI. The password opens it once to check it; it is not kept.

    A file exported without a password opens with none (an empty password, or any typed out of habit).

    With ``faire_confiance`` the issuing certificates contained in the file join the trust list.
    """
    from qualite_app.signing.identities import check_signing_certificate, read_pkcs12

    with db.session() as s:
        nom = _check_new_name(s, nom)
    content = read_pkcs12(data, password, label=nom)
    info = check_signing_certificate(content.certificate)
    with db.unit_of_work() as s:
        i = IdentiteSignature(
            nom=nom,
            genre="pkcs12",
            signataire=(signataire or info.subject_cn).strip(),
            fonction=fonction.strip(),
            certificat=content.certificate,
            empreinte_certificat=info.sha256,
            expire_le=_naive_utc(info.not_after),
            pkcs12=data,
        )
        s.add(i)
        if faire_confiance:
            for der in content.chain:
                _add_trust(s, der, f"Fichier PKCS#12 « {nom} »")
        s.flush()
        return _identite_row(i)


def enregistrer_jeton(
    db: Database,
    *,
    nom: str,
    module: str,
    cle: str,
    slot: int | None = None,
    jeton: str | None = None,
    etiquette_certificat: str | None = None,
    signataire: str = "",
    fonction: str = "",
    pin: str | None = None,
) -> IdentiteRow:
    """Register a smart card / token key. With ``pin`` the card is opened once to read and check the certificate."""
    from qualite_app.signing.identities import IdentitySpec, open_signer

    with db.session() as s:
        nom = _check_new_name(s, nom)
    if not (module or "").strip():
        raise UserError("Indiquez le module PKCS#11 du lecteur de carte (fichier .so / .dll).", field="module")
    if not (cle or "").strip():
        raise UserError("Indiquez l'étiquette de la clé sur la carte.", field="cle")
    der: bytes | None = None
    info = None
    if pin:
        spec = IdentitySpec("pkcs11", nom, module=module, slot=slot, token_label=jeton, key_label=cle, cert_label=etiquette_certificat)
        with open_signer(spec, pin) as opened:
            der, info = opened.certificate, opened.info
    with db.unit_of_work() as s:
        i = IdentiteSignature(
            nom=nom,
            genre="pkcs11",
            signataire=(signataire or (info.subject_cn if info else "")).strip(),
            fonction=fonction.strip(),
            certificat=der,
            empreinte_certificat=info.sha256 if info else None,
            expire_le=_naive_utc(info.not_after) if info else None,
            module_pkcs11=module.strip(),
            emplacement=slot,
            jeton=jeton,
            cle=cle.strip(),
            etiquette_certificat=etiquette_certificat,
        )
        s.add(i)
        s.flush()
        return _identite_row(i)


def lister_identites(db: Database) -> list[IdentiteRow]:
    with db.session() as s:
        return [_identite_row(i) for i in s.scalars(select(IdentiteSignature).where(IdentiteSignature.actif).order_by(IdentiteSignature.nom))]


def mot_de_passe_requis(db: Database, nom: str) -> bool:
    """Does signing with this identity need a password or PIN? (not for an unencrypted PKCS#12)."""
    from qualite_app.signing.identities import needs_password

    return needs_password(identity_spec(db, nom)[0])


def identity_spec(db: Database, nom: str) -> tuple[IdentitySpec, str, str]:
    """How to open the identity called ``nom``: (spec, signer's name, function)."""
    from qualite_app.signing.identities import IdentitySpec

    with db.session() as s:
        i = s.scalar(select(IdentiteSignature).where(IdentiteSignature.nom == nom))
        if i is None or not i.actif:
            known = ", ".join(r.nom for r in lister_identites(db)) or "aucune"
            raise UserError(f"Identité de signature « {nom} » inconnue (identités enregistrées : {known}).")
        spec = IdentitySpec(
            kind=i.genre,
            name=i.nom,
            pkcs12=i.pkcs12,
            module=i.module_pkcs11,
            slot=i.emplacement,
            token_label=i.jeton,
            key_label=i.cle,
            cert_label=i.etiquette_certificat,
            extra_certs=(i.certificat_ca,) if i.certificat_ca else (),
        )
        return spec, i.signataire, i.fonction


def exporter_ca(db: Database, nom: str) -> bytes:
    """The CA certificate of a local authority, PEM, for the recipients to trust it."""
    from qualite_app.signing.identities import to_pem

    with db.session() as s:
        ca = s.scalar(select(IdentiteSignature.certificat_ca).where(IdentiteSignature.nom == nom))
        exists = s.scalar(select(IdentiteSignature.id).where(IdentiteSignature.nom == nom))
    if exists is None:
        raise UserError(f"Identité de signature « {nom} » inconnue.")
    if ca is None:
        raise UserError(f"L'identité « {nom} » n'a pas d'autorité locale : son certificat racine vient de votre PKI.")
    return to_pem(ca)


# --- trust list ---------------------------------------------------------------------------------------


def ajouter_confiance(db: Database, data: bytes, origine: str = "Ajout manuel") -> ConfianceRow:
    from qualite_app.signing.identities import cert_info, to_der

    der = to_der(data)
    info = cert_info(der)
    with db.unit_of_work() as s:
        _add_trust(s, der, origine)
    return next(r for r in liste_confiance(db) if r.empreinte == info.sha256)


def liste_confiance(db: Database) -> list[ConfianceRow]:
    with db.session() as s:
        q = select(CertificatConfiance).order_by(CertificatConfiance.nom)
        return [ConfianceRow(c.id, c.nom, c.empreinte, c.origine, c.expire_le) for c in s.scalars(q)]


def trust_roots(db: Database) -> Sequence[bytes]:
    with db.session() as s:
        return list(s.scalars(select(CertificatConfiance.certificat)))


# --- demo ---------------------------------------------------------------------------------------------

DEMO_IDENTITY = "Directeur qualité (démonstration)"
#: the demo identity's password, shown in the demo summary; real passwords are never stored anywhere.
DEMO_PASSWORD = "demo-2026"


def demo_step(s: Session) -> str | None:
    """A local signing identity and one signed note d'information in the register (fictional)."""
    from qualite_app.rapports.note import KIND, TITLE, Entete, NoteData, build_note, categorie_label
    from qualite_app.signing.identities import IdentitySpec, cert_info, create_local_authority, open_signer
    from qualite_app.signing.sign import Appearance, sign_pdf
    from qualite_app.socle import blobs

    if s.scalar(select(IdentiteSignature.id).where(IdentiteSignature.nom == DEMO_IDENTITY)) is not None:
        return None
    h = _entete(s)
    if not h.nom:
        return None
    signataire = h.directeur_qualite or "Directeur qualité"
    fonction = "Directeur qualité et gestion des risques"
    la = create_local_authority(signataire=signataire, fonction=fonction, etablissement=h.nom, password=DEMO_PASSWORD)
    info = cert_info(la.certificate)
    s.add(
        IdentiteSignature(
            nom=DEMO_IDENTITY, genre="locale", signataire=signataire, fonction=fonction, certificat=la.certificate,
            empreinte_certificat=info.sha256, expire_le=_naive_utc(info.not_after), pkcs12=la.pkcs12, certificat_ca=la.ca_certificate,
        )
    )
    _add_trust(s, la.ca_certificate, f"Autorité locale « {DEMO_IDENTITY} »")
    now = utcnow().replace(microsecond=0)
    note = NoteData(
        sujet="Tension sur les lits de médecine — déclenchement du plan de mobilisation interne",
        categorie="continuite",
        faits=(
            "Depuis trois jours, les urgences adultes comptent plus de 20 patients en attente d'un lit d'aval. "
            "L'épidémie de grippe saisonnière touche aussi 14 % des effectifs soignants du pôle Médecine."
        ),
        survenu_le=(local_time(now) or now).replace(hour=8, minute=0, second=0),
        mesures="Cellule de crise réunie à 9 h. Déprogrammation des hospitalisations non urgentes de chirurgie ambulatoire.",
        decisions="Valider le déclenchement du niveau 1 du PGTHSSE et l'ouverture de 6 lits supplémentaires en gériatrie.",
        personnes_informees="Dr Hélène Brévanne (présidente de CME) ; Sylvie Durancel (coordinatrice générale des soins) ; ARS.",
        pieces_jointes=["Tableau de bord des lits du jour"],
    )
    ref = f"{PREFIXES[KIND]}-{now.year}-{1 + (s.scalar(select(func.count(RapportEmis.id)).where(RapportEmis.type_rapport == KIND)) or 0):04d}"
    pdf = build_note(
        note,
        Entete(
            etablissement=h.nom, adresse=h.adresse, logo=h.logo, redacteur=signataire,
            fonction_redacteur="Direction de la qualité et de la gestion des risques", destinataire=h.destinataire,
            reference=ref, emis_le=(local_time(now) or now).replace(second=0),
        ),
    )
    with open_signer(IdentitySpec("locale", DEMO_IDENTITY, pkcs12=la.pkcs12), DEMO_PASSWORD) as opened:
        signed = sign_pdf(pdf, opened.signer, Appearance(signataire, fonction, DEFAULT_REASON, h.nom))
    blob = blobs.put(s, signed, f"{ref}.pdf", "application/pdf")
    data = note.as_dict()
    s.add(
        RapportEmis(
            type_rapport=KIND, titre=f"{TITLE} — {note.sujet}", reference=ref,
            parametres={"categorie": categorie_label(note.categorie), "restreinte": True}, empreinte_donnees=data_hash(data),
            instantane=data, pdf_blob_id=blob.id, sha256=blob.sha256, emis_le=now, emis_par="démonstration",
            signataire=signataire, signe_le=now, identite=DEMO_IDENTITY, destinataire=h.destinataire,
        )
    )
    return f"Registre des rapports : 1 note signée ; identité « {DEMO_IDENTITY} » (mot de passe de démonstration : {DEMO_PASSWORD})"
