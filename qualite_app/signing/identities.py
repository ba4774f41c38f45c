"""Signing identities: a PKCS#12 file, a PKCS#11 token (smart card such as the CPS), or a local authority.

Nothing here touches the database: callers hand in the stored bytes and the password typed by the user.
Passwords are used to open a key and forgotten at once; they are never stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from qualite_app.errors import UserError

KINDS = {"pkcs12": "Fichier PKCS#12", "pkcs11": "Carte ou jeton PKCS#11", "locale": "Autorité locale"}


@dataclass(frozen=True)
class CertInfo:
    """What the user needs to know about a certificate, in plain values."""

    subject_cn: str
    subject: str
    issuer_cn: str
    serial: str
    not_before: datetime
    not_after: datetime
    sha256: str
    key_usage: frozenset[str]
    is_ca: bool

    @property
    def can_sign_documents(self) -> bool:
        return bool(self.key_usage & {"digital_signature", "non_repudiation"})


def cert_info(der: bytes) -> CertInfo:
    from asn1crypto import x509

    try:
        c = x509.Certificate.load(der)
        subject = c.subject.human_friendly
        tbs = c["tbs_certificate"]
        ku = c.key_usage_value
        return CertInfo(
            subject_cn=_cn(c.subject) or subject,
            subject=subject,
            issuer_cn=_cn(c.issuer) or c.issuer.human_friendly,
            serial=format(c.serial_number, "x"),
            not_before=tbs["validity"]["not_before"].native,
            not_after=tbs["validity"]["not_after"].native,
            sha256=hashlib.sha256(der).hexdigest(),
            key_usage=frozenset(ku.native) if ku is not None else frozenset(),
            is_ca=bool(c.ca),
        )
    except (ValueError, TypeError, KeyError) as exc:
        raise UserError("Ce fichier ne contient pas un certificat lisible.") from exc


def _cn(name: Any) -> str:
    for rdn in name.chosen:
        for ava in rdn:
            if ava["type"].native == "common_name":
                return str(ava["value"].native)
    return ""


def check_signing_certificate(der: bytes, now: datetime | None = None) -> CertInfo:
    """Refuse, in French, a certificate that cannot sign a document today."""
    info = cert_info(der)
    now = now or datetime.now(UTC)
    if info.not_after < now:
        raise UserError(
            f"Le certificat de « {info.subject_cn} » a expiré le {info.not_after.astimezone():%d/%m/%Y} : "
            "il ne peut plus signer. Demandez un nouveau certificat ou créez une nouvelle identité."
        )
    if info.not_before > now:
        raise UserError(
            f"Le certificat de « {info.subject_cn} » n'est valable qu'à partir du {info.not_before.astimezone():%d/%m/%Y}."
        )
    if info.key_usage and not info.can_sign_documents:
        raise UserError(
            f"Le certificat de « {info.subject_cn} » n'autorise pas la signature de documents "
            "(usage « signature numérique » ou « non-répudiation » absent)."
        )
    return info


def to_der(data: bytes) -> bytes:
    """A certificate given as PEM or DER → DER."""
    from asn1crypto import pem

    if pem.detect(data):
        _, _, der = pem.unarmor(data)
        return bytes(der)
    return data


def to_pem(der: bytes) -> bytes:
    from asn1crypto import pem

    return bytes(pem.armor("CERTIFICATE", der))


# --- PKCS#12 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pkcs12Content:
    certificate: bytes  # DER of the signer's certificate
    chain: tuple[bytes, ...]  # DER of the other certificates in the file (issuers)


def pkcs12_needs_password(data: bytes) -> bool:
    """False for a PKCS#12 that opens with no password at all (exported unencrypted)."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        pkcs12.load_key_and_certificates(data, None)
    except (ValueError, TypeError):
        return True
    return False


def pkcs12_passphrase(data: bytes, password: str | None) -> bytes | None:
    """What the loaders get: none for an empty password or an unencrypted file (whatever was typed), else its bytes."""
    if not password or not pkcs12_needs_password(data):
        return None
    return password.encode()


def read_pkcs12(data: bytes, password: str | None, *, label: str = "") -> Pkcs12Content:
    """Open a PKCS#12 file; a wrong password or a file that is not PKCS#12 gets a French message."""
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

    what = f"« {label} »" if label else "ce fichier PKCS#12"
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, pkcs12_passphrase(data, password))
    except ValueError as exc:
        if _looks_like_pkcs12(data):
            raise UserError(f"Mot de passe incorrect pour {what}.") from exc
        raise UserError(f"{what[0].upper()}{what[1:]} n'est pas un fichier PKCS#12 (.p12 / .pfx) lisible.") from exc
    except TypeError as exc:  # encrypted file, no password given
        raise UserError(f"Un mot de passe est nécessaire pour ouvrir {what}.") from exc
    if key is None or cert is None:
        raise UserError(f"{what[0].upper()}{what[1:]} ne contient pas de clé privée et de certificat.")
    return Pkcs12Content(
        cert.public_bytes(Encoding.DER), tuple(c.public_bytes(Encoding.DER) for c in extra or ())
    )


def _looks_like_pkcs12(data: bytes) -> bool:
    from asn1crypto import pkcs12 as a_pkcs12

    try:
        a_pkcs12.Pfx.load(data).native  # noqa: B018 (parse everything)
        return True
    except (ValueError, TypeError, KeyError):
        return False


# --- a local signing authority -------------------------------------------------------------------


@dataclass(frozen=True)
class LocalAuthority:
    ca_certificate: bytes  # DER, to export and give the recipients
    certificate: bytes  # DER of the director's certificate
    pkcs12: bytes  # director's key + certificate + CA certificate, encrypted with the password


def create_local_authority(
    *,
    signataire: str,
    fonction: str,
    etablissement: str,
    password: str,
    years: int = 3,
    now: datetime | None = None,
) -> LocalAuthority:
    """A small CA and the director's certificate (digital signature + non-repudiation), in one PKCS#12."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

    signataire, etablissement = signataire.strip(), (etablissement.strip() or "Établissement")
    if not signataire:
        raise UserError("Indiquez le nom du signataire.")
    if len(password) < 8:
        raise UserError("Le mot de passe doit contenir au moins 8 caractères.")
    if not 1 <= years <= 10:
        raise UserError("La durée de validité doit être comprise entre 1 et 10 ans.")
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    start = now - timedelta(minutes=5)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    org = etablissement[:64]
    ca_name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"Autorité de signature — {etablissement}"[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
        ]
    )
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=365 * (years + 2)))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, signataire[:64])]
    if fonction.strip():
        attrs.append(x509.NameAttribute(NameOID.TITLE, fonction.strip()[:64]))
    attrs += [x509.NameAttribute(NameOID.ORGANIZATION_NAME, org), x509.NameAttribute(NameOID.COUNTRY_NAME, "FR")]
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attrs))
        .issuer_name(ca_name)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        # digital signature + non-repudiation (content commitment), nothing else
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.EMAIL_PROTECTION, ObjectIdentifier("1.3.6.1.5.5.7.3.36")]  # documentSigning
            ),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(leaf_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    enc = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(50_000)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(password.encode())
    )
    p12 = pkcs12.serialize_key_and_certificates(signataire.encode(), leaf_key, leaf, [ca], enc)
    der = serialization.Encoding.DER
    return LocalAuthority(ca.public_bytes(der), leaf.public_bytes(der), p12)


# --- opening a signer ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IdentitySpec:
    """How to reach a key: the stored bytes of a PKCS#12, or where the token and its key are."""

    kind: str  # "pkcs12" | "locale" | "pkcs11"
    name: str
    pkcs12: bytes | None = None
    module: str | None = None
    slot: int | None = None
    token_label: str | None = None
    key_label: str | None = None
    cert_label: str | None = None
    extra_certs: tuple[bytes, ...] = field(default_factory=tuple)


def needs_password(spec: IdentitySpec) -> bool:
    """A card always needs its PIN; a PKCS#12 only when it is encrypted (a local authority always is)."""
    if spec.kind in ("pkcs12", "locale") and spec.pkcs12:
        return pkcs12_needs_password(spec.pkcs12)
    return True


@dataclass
class OpenSigner:
    signer: Any  # pyhanko.sign.signers.Signer
    certificate: bytes  # DER
    info: CertInfo


@contextmanager
def open_signer(spec: IdentitySpec, password: str | None) -> Iterator[OpenSigner]:
    """The pyHanko signer of an identity, its key unlocked with ``password`` (PIN for a token)."""
    if spec.kind in ("pkcs12", "locale"):
        yield _pkcs12_signer(spec, password)
    elif spec.kind == "pkcs11":
        with _pkcs11_signer(spec, password) as s:
            yield s
    else:
        raise UserError(f"Type d'identité inconnu : {spec.kind}.")


def _pkcs12_signer(spec: IdentitySpec, password: str | None) -> OpenSigner:
    from asn1crypto import x509
    from pyhanko.sign import signers

    if not spec.pkcs12:
        raise UserError(f"L'identité « {spec.name} » n'a pas de fichier de clé enregistré.")
    content = read_pkcs12(spec.pkcs12, password, label=spec.name)
    info = check_signing_certificate(content.certificate)
    signer = signers.SimpleSigner.load_pkcs12_data(
        spec.pkcs12, [x509.Certificate.load(c) for c in spec.extra_certs], passphrase=pkcs12_passphrase(spec.pkcs12, password)
    )
    if signer is None:  # pragma: no cover (read_pkcs12 already opened it)
        raise UserError(f"Impossible d'ouvrir la clé de l'identité « {spec.name} ».")
    return OpenSigner(signer, content.certificate, info)


@contextmanager
def _pkcs11_signer(spec: IdentitySpec, pin: str | None) -> Iterator[OpenSigner]:
    import pkcs11
    from pkcs11 import exceptions as p11e
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11 as hk11

    module = spec.module or ""
    if not module or not Path(module).is_file():
        raise UserError(
            f"Le module PKCS#11 « {module or '(non renseigné)'} » est introuvable : vérifiez que le logiciel "
            "du lecteur de carte est installé."
        )
    if not pin:
        raise UserError("Saisissez le code PIN de la carte.")
    try:
        lib = pkcs11.lib(module)
    except (RuntimeError, OSError, p11e.PKCS11Error) as exc:
        raise UserError(f"Le module PKCS#11 « {Path(module).name} » ne peut pas être chargé : {exc}") from exc
    try:
        if spec.slot is not None:
            slots = [s for s in lib.get_slots(token_present=True) if s.slot_id == spec.slot]
            if not slots:
                raise UserError(f"Aucune carte n'est présente dans le lecteur (emplacement {spec.slot}).")
        else:
            tokens = list(lib.get_tokens(token_label=spec.token_label) if spec.token_label else lib.get_tokens())
            if not tokens:
                raise UserError(
                    f"La carte « {spec.token_label} » n'est pas présente." if spec.token_label
                    else "Aucune carte n'est présente dans le lecteur."
                )
    except p11e.PKCS11Error as exc:
        raise UserError(f"Le lecteur de carte ne répond pas : {type(exc).__name__}.") from exc
    try:
        session = hk11.open_pkcs11_session(
            module,
            slot_no=spec.slot,
            token_criteria=TokenCriteria(label=spec.token_label) if spec.token_label and spec.slot is None else None,
            user_pin=pin,
        )
    except p11e.PinIncorrect as exc:
        raise UserError("Code PIN incorrect. Attention : après plusieurs erreurs, la carte se bloque.") from exc
    except (p11e.PinLocked, p11e.PinExpired) as exc:
        raise UserError("La carte est bloquée (trop de codes PIN erronés) : faites-la débloquer.") from exc
    except (p11e.PinLenRange, p11e.PinInvalid) as exc:
        raise UserError("Ce code PIN n'a pas un format accepté par la carte.") from exc
    except (p11e.NoSuchToken, p11e.TokenNotPresent, p11e.TokenNotRecognised) as exc:
        raise UserError("Aucune carte n'est présente dans le lecteur.") from exc
    except p11e.PKCS11Error as exc:
        raise UserError(f"La carte a refusé l'ouverture de session : {type(exc).__name__}.") from exc
    try:
        try:
            signer = hk11.PKCS11Signer(
                session, cert_label=spec.cert_label or spec.key_label, key_label=spec.key_label, bulk_fetch=False
            )
            cert = signer.signing_cert
        except p11e.NoSuchKey as exc:
            raise UserError(f"La clé « {spec.key_label} » ou son certificat est introuvable sur la carte.") from exc
        except p11e.MultipleObjectsReturned as exc:
            raise UserError(f"Plusieurs clés ou certificats portent l'étiquette « {spec.key_label} » : précisez-la.") from exc
        except p11e.PKCS11Error as exc:
            raise UserError(f"La carte a refusé l'accès à la clé : {exc or type(exc).__name__}.") from exc
        der = cert.dump()
        info = check_signing_certificate(der)
        try:
            yield OpenSigner(signer, der, info)
        except p11e.PKCS11Error as exc:
            raise UserError(f"La carte a refusé la signature : {exc or type(exc).__name__}.") from exc
    finally:
        session.close()
