"""Signing identities (local authority, PKCS#12 file, smart card) and the establishment's trust list.

An identity's password or PIN opens it once to check it; it is never stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from qualite_app.errors import UserError
from qualite_app.rapports.entete import entete
from qualite_app.rapports.models import CertificatConfiance, IdentiteSignature
from qualite_app.storage.database import Database

if TYPE_CHECKING:
    from qualite_app.signing.identities import IdentitySpec


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


def naive_utc(d: datetime) -> datetime:
    return d.astimezone(UTC).replace(tzinfo=None) if d.tzinfo else d


def add_trust(s: Any, der: bytes, origine: str) -> None:
    from qualite_app.signing.identities import cert_info

    info = cert_info(der)
    if s.scalar(select(CertificatConfiance.id).where(CertificatConfiance.empreinte == info.sha256)) is None:
        s.add(
            CertificatConfiance(
                nom=info.subject_cn, empreinte=info.sha256, certificat=der, origine=origine, expire_le=naive_utc(info.not_after)
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
            expire_le=naive_utc(info.not_after),
            pkcs12=la.pkcs12,
            certificat_ca=la.ca_certificate,
        )
        s.add(i)
        add_trust(s, la.ca_certificate, f"Autorité locale « {nom} »")
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
            expire_le=naive_utc(info.not_after),
            pkcs12=data,
        )
        s.add(i)
        if faire_confiance:
            for der in content.chain:
                add_trust(s, der, f"Fichier PKCS#12 « {nom} »")
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
            expire_le=naive_utc(info.not_after) if info else None,
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
        add_trust(s, der, origine)
    return next(r for r in liste_confiance(db) if r.empreinte == info.sha256)


def liste_confiance(db: Database) -> list[ConfianceRow]:
    with db.session() as s:
        q = select(CertificatConfiance).order_by(CertificatConfiance.nom)
        return [ConfianceRow(c.id, c.nom, c.empreinte, c.origine, c.expire_le) for c in s.scalars(q)]


def trust_roots(db: Database) -> Sequence[bytes]:
    with db.session() as s:
        return list(s.scalars(select(CertificatConfiance.certificat)))
