"""Test PKI, SoftHSM2 token, NSS database for pdfsig, and small PDF helpers for the signed-report tests."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from qualite_app.rapports import services as rapports
from qualite_app.storage.database import Database

PASSWORD = "motdepasse-test"


def ref(n: int, prefix: str = "NI") -> str:
    """Reference of the n-th report of the year (the demo register already holds note n° 1)."""
    from qualite_app.storage.base import utcnow

    return f"{prefix}-{utcnow().year}-{n:04d}"


# --- a test PKI (the establishment's "real" PKI, independent of our local authority) ----------------


@dataclass
class TestPki:
    __test__ = False  # not a test class

    ca_der: bytes
    ca_key: object

    def leaf(
        self,
        cn: str = "Julien Arsac",
        *,
        days: int = 365,
        start: datetime | None = None,
        key_usage: str = "signature",
        rsa: bool = False,
    ) -> tuple[object, bytes]:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.asymmetric import rsa as rsa_mod
        from cryptography.x509.oid import NameOID

        ca = x509.load_der_x509_certificate(self.ca_der)
        key = rsa_mod.generate_private_key(65537, 2048) if rsa else ec.generate_private_key(ec.SECP256R1())
        start = start or datetime.now(UTC) - timedelta(minutes=5)
        ku = (
            x509.KeyUsage(True, True, False, False, False, False, False, False, False)
            if key_usage == "signature"
            else x509.KeyUsage(False, False, True, False, False, False, False, False, False)  # key encipherment only
        )
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "CH de Test")]))
            .issuer_name(ca.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(ku, critical=True)
            .sign(self.ca_key, hashes.SHA256())  # type: ignore[arg-type]
        )
        return key, cert.public_bytes(serialization.Encoding.DER)

    def pkcs12(self, password: str = PASSWORD, **kw: object) -> bytes:
        from cryptography import x509
        from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

        key, der = self.leaf(**kw)  # type: ignore[arg-type]
        return pkcs12.serialize_key_and_certificates(
            b"test", key, x509.load_der_x509_certificate(der), [x509.load_der_x509_certificate(self.ca_der)], BestAvailableEncryption(password.encode())  # type: ignore[arg-type]
        )


    def pkcs12_unencrypted(self, **kw: object) -> bytes:
        """A PKCS#12 with no password at all (``NoEncryption``), as some tools export it."""
        from cryptography import x509
        from cryptography.hazmat.primitives.serialization import NoEncryption, pkcs12

        key, der = self.leaf(**kw)  # type: ignore[arg-type]
        return pkcs12.serialize_key_and_certificates(
            b"test", key, x509.load_der_x509_certificate(der), [x509.load_der_x509_certificate(self.ca_der)], NoEncryption()  # type: ignore[arg-type]
        )


def _make_pki() -> TestPki:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "AC de test du GHT"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "GHT de Test")])
    now = datetime.now(UTC) - timedelta(days=1)
    ca = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .sign(key, hashes.SHA256())
    )
    return TestPki(ca.public_bytes(serialization.Encoding.DER), key)


@pytest.fixture(scope="session")
def pki() -> TestPki:
    return _make_pki()


@pytest.fixture
def local_identity(demo_db: Database) -> str:
    """The demo establishment with a local signing authority named « Directeur qualité »."""
    from qualite_app.rapports import services as rapports

    rapports.creer_identite_locale(
        demo_db, nom="Directeur qualité", signataire="Julien Arsac", fonction="Directeur qualité", password=PASSWORD
    )
    return "Directeur qualité"


# --- SoftHSM2 ------------------------------------------------------------------------------------------

SOFTHSM_MODULES = [
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
]


@dataclass
class Token:
    module: str
    label: str
    pin: str
    key_label: str
    cert_der: bytes


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory: pytest.TempPathFactory, pki: TestPki) -> Iterator[Token]:
    """A real SoftHSM2 token holding the director's key and certificate (as a CPS card would).

    One token for the whole session: a PKCS#11 library is initialised once per process and keeps
    the configuration (token folder) it read then.
    """
    tmp_path = tmp_path_factory.mktemp("softhsm")
    module = next((m for m in SOFTHSM_MODULES if Path(m).is_file()), None)
    util = shutil.which("softhsm2-util")
    if module is None or util is None:
        pytest.fail("SoftHSM2 absent : installez le paquet softhsm2 (packaging/apt-packages.txt)")
    tokens = tmp_path / "jetons"
    tokens.mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    env = dict(os.environ)
    subprocess.run([util, "--init-token", "--free", "--label", "CPS-TEST", "--pin", "1234", "--so-pin", "87654321"], check=True, env=env, capture_output=True)
    from cryptography.hazmat.primitives import serialization

    key, der = pki.leaf("Dr Nadia Lestrelle", rsa=True)
    pem = tmp_path / "cle.pem"
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))  # type: ignore[attr-defined]
    subprocess.run([util, "--import", str(pem), "--token", "CPS-TEST", "--label", "signature", "--id", "01", "--pin", "1234"], check=True, env=env, capture_output=True)
    pem.unlink()
    import pkcs11
    from asn1crypto import x509 as ax509
    from pkcs11 import Attribute, CertificateType, ObjectClass

    parsed = ax509.Certificate.load(der)
    lib = pkcs11.lib(module)
    tok = lib.get_token(token_label="CPS-TEST")
    with tok.open(rw=True, user_pin="1234") as s:
        s.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: "signature",
                Attribute.ID: b"\x01",
                Attribute.VALUE: der,
                Attribute.SUBJECT: parsed.subject.dump(),
                Attribute.ISSUER: parsed.issuer.dump(),
                Attribute.SERIAL_NUMBER: parsed["tbs_certificate"]["serial_number"].dump(),
            }
        )
    yield Token(module, "CPS-TEST", "1234", "signature", der)


# --- poppler's pdfsig with an NSS database ---------------------------------------------------------------


def nss_db(folder: Path, *ca_ders: bytes) -> str:
    from qualite_app.signing.identities import to_pem

    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["certutil", "-N", "-d", f"sql:{folder}", "--empty-password"], check=True, capture_output=True)
    for i, der in enumerate(ca_ders):
        pem = folder / f"ca{i}.pem"
        pem.write_bytes(to_pem(der))
        subprocess.run(["certutil", "-A", "-d", f"sql:{folder}", "-n", f"ca{i}", "-t", "CT,C,C", "-i", str(pem)], check=True, capture_output=True)
    return f"sql:{folder}"


@dataclass
class PdfSig:
    output: str
    signature_valid: bool
    certificate_trusted: bool
    total_document_signed: bool
    signer: str


def pdfsig(pdf: Path, nssdir: str) -> PdfSig:
    """Run pdfsig and read its verdict from the text: its exit code is 0 even when a signature fails."""
    if shutil.which("pdfsig") is None:
        pytest.fail("pdfsig absent : installez poppler-utils")
    p = subprocess.run(["pdfsig", "-nssdir", nssdir, str(pdf)], capture_output=True, text=True, timeout=60)
    out = p.stdout + p.stderr
    signer = re.search(r"Signer Certificate Common Name: (.*)", out)
    return PdfSig(
        output=out,
        signature_valid="Signature Validation: Signature is Valid." in out,
        certificate_trusted="Certificate Validation: Certificate is Trusted." in out,
        total_document_signed="- Total document signed" in out,
        signer=signer.group(1).strip() if signer else "",
    )


# --- PDF helpers ---------------------------------------------------------------------------------------


def flip_content_byte(pdf: bytes) -> bytes:
    """Flip one byte inside the first page's content stream (inside the signed range, structure intact)."""
    start = pdf.index(b"stream\n") + len(b"stream\n")  # ReportLab writes the page streams first
    pos = start + 20
    data = bytearray(pdf)
    data[pos] ^= 0x01
    return bytes(data)


def append_incremental_update(pdf: bytes) -> bytes:
    """Add a page annotation-free content change in a new incremental revision (as a forger would)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    w = IncrementalPdfFileWriter(io.BytesIO(pdf))
    info = w.root
    info["/Lang"] = generic.TextStringObject("en")  # change a document-level entry after signing
    w.update_root()
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def pdf_text(pdf: bytes) -> str:
    import pypdf

    return "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def pdffonts(path: Path) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font of the PDF, read from poppler's pdffonts."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    rows = []
    for line in out:
        parts = line.split()
        # columns from the right: object ID (2), uni, sub, emb
        emb = parts[-5]
        rows.append((parts[0], emb == "yes"))
    return rows


def append_after_eof(pdf: bytes) -> bytes:
    """The issue's repro: ``(cat signed.pdf; printf '\\n%% ajout\\n1 0 obj\\n<<>>\\nendobj\\n') > a.pdf``."""
    return pdf + b"\n% ajout\n1 0 obj\n<<>>\nendobj\n"


def append_one_byte(pdf: bytes) -> bytes:
    """One byte after ``%%EOF``, no PDF structure at all."""
    return pdf + b"x"


def tamper_register(db: Database, rapport_id: int, pdf: bytes) -> None:
    """What anyone with sqlite3 can do: replace a stored report and its fingerprints (the register's own check passes)."""
    import hashlib

    from sqlalchemy import text

    digest = hashlib.sha256(pdf).hexdigest()
    with db.engine.begin() as c:
        blob = c.execute(text("SELECT pdf_blob_id FROM rapport_emis WHERE id = :i"), {"i": rapport_id}).scalar_one()
        c.execute(text("UPDATE blob SET contenu = :p, sha256 = :h, taille = :n WHERE id = :b"), {"p": pdf, "h": digest, "n": len(pdf), "b": blob})
        c.execute(text("UPDATE rapport_emis SET sha256 = :h WHERE id = :i"), {"h": digest, "i": rapport_id})


def sign_with_test_pki(pdf: bytes, pki: TestPki, *, md_algorithm: str = "sha256", **leaf: object) -> bytes:
    """Sign with pyHanko directly, bypassing our own refusals (expired certificate, weak hash…): what another tool may produce."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12_data(pki.pkcs12(**leaf), [], passphrase=PASSWORD.encode())
    meta = signers.PdfSignatureMetadata(field_name="Signature1", md_algorithm=md_algorithm)
    w = IncrementalPdfFileWriter(io.BytesIO(pdf))
    return bytes(signers.PdfSigner(meta, signer=signer).sign_pdf(w).getvalue())


def report(db: Database) -> bytes:
    from reportlab.platypus import Paragraph

    from qualite_app.reports import styles as st
    from qualite_app.reports import templates as tpl

    meta = rapports.house_meta(db, "Bilan trimestriel des événements indésirables", restricted=True)
    story = tpl.title_block(meta) + [Paragraph("Synthèse : 12 événements, dont 1 grave.", st.stylesheet()["Corps"]), tpl.signature_slot()]
    return tpl.render(meta, story)



def issue(db: Database, identity: str, password: str) -> rapports.RapportEmisRow:
    return rapports.emettre_pdf(
        db, kind="bilan_ei", title="Bilan trimestriel", pdf=report(db), params={"trimestre": "T3"}, data_hash="abc",
        identity=identity, password=password,
    )

