"""Real PAdES signatures: PKCS#12, SoftHSM2 token, local authority; pyHanko and poppler's pdfsig agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualite_app.errors import UserError
from qualite_app.rapports import services as rapports
from qualite_app.storage.database import Database
from tests.helpers.signature import (
    PASSWORD,
    TestPki,
    Token,
    append_incremental_update,
    flip_content_byte,
    issue,
    nss_db,
    pdf_text,
    pdfsig,
    report,
)


def _check_both_verifiers(db: Database, row: rapports.RapportEmisRow, tmp_path: Path, signer: str, *cas: bytes) -> None:
    v = rapports.verifier(db, row.id)
    assert v.ok, v.texte()
    assert v.signatures[0].signataire == signer
    assert v.signatures[0].intact and v.signatures[0].approuve and v.signatures[0].couvre_tout
    f = tmp_path / "signe.pdf"
    f.write_bytes(row.pdf)
    ps = pdfsig(f, nss_db(tmp_path / "nss", *cas))
    assert ps.signature_valid, ps.output
    assert ps.certificate_trusted, ps.output
    assert ps.total_document_signed, ps.output
    assert ps.signer == signer


def test_local_authority_signature_is_valid_and_trusted_for_both_verifiers(demo_db: Database, local_identity: str, tmp_path: Path) -> None:
    row = issue(demo_db, local_identity, PASSWORD)
    assert row.signataire == "Julien Arsac" and row.signe_le is not None
    ca = rapports.exporter_ca(demo_db, local_identity)
    assert ca.startswith(b"-----BEGIN CERTIFICATE-----")
    from qualite_app.signing.identities import cert_info, to_der

    info = cert_info(to_der(ca))
    assert info.is_ca and "Val-de-Brume" in info.subject_cn
    _check_both_verifiers(demo_db, row, tmp_path, "Julien Arsac", to_der(ca))
    # the visible block: a signature widget with an appearance, on the last page, where the slot was left free
    import io

    import pypdf

    from qualite_app.signing.sign import BOX_MM, MM

    last = pypdf.PdfReader(io.BytesIO(row.pdf)).pages[-1]
    widgets = [a.get_object() for a in last.get("/Annots", [])]
    sig = next(w for w in widgets if w.get("/FT") == "/Sig")
    assert "/AP" in sig
    x1, y1, _x2, _y2 = (float(v) for v in sig["/Rect"])
    assert abs(x1 - BOX_MM[0] * MM) < 1 and abs(y1 - BOX_MM[1] * MM) < 1
    assert "Synthèse : 12 événements" in pdf_text(row.pdf)


def test_signing_is_an_incremental_update(demo_db: Database, local_identity: str) -> None:
    pdf = report(demo_db)
    signed = rapports.signer_pdf(demo_db, pdf, local_identity, PASSWORD)
    assert signed.startswith(pdf) and len(signed) > len(pdf)


def test_local_certificate_has_signing_key_usages_only(demo_db: Database, local_identity: str) -> None:
    from qualite_app.signing.identities import cert_info

    spec, _, _ = rapports.identity_spec(demo_db, local_identity)
    from qualite_app.signing.identities import read_pkcs12

    with pytest.raises(UserError, match="Mot de passe incorrect"):
        read_pkcs12(spec.pkcs12 or b"", "pas le bon")
    content = read_pkcs12(spec.pkcs12 or b"", PASSWORD)
    info = cert_info(content.certificate)
    assert info.key_usage == {"digital_signature", "non_repudiation"}
    assert not info.is_ca


def test_pkcs12_identity_signature(demo_db: Database, pki: TestPki, tmp_path: Path) -> None:
    p12 = pki.pkcs12(cn="Julien Arsac (PKI)")
    row = rapports.importer_pkcs12(demo_db, nom="Certificat PKI", data=p12, password=PASSWORD)
    assert row.genre == "pkcs12" and row.signataire == "Julien Arsac (PKI)"
    assert pki.ca_der in rapports.trust_roots(demo_db)
    issued = issue(demo_db, "Certificat PKI", PASSWORD)
    _check_both_verifiers(demo_db, issued, tmp_path, "Julien Arsac (PKI)", pki.ca_der)


def test_softhsm_token_signature(demo_db: Database, softhsm: Token, pki: TestPki, tmp_path: Path) -> None:
    row = rapports.enregistrer_jeton(
        demo_db, nom="Carte CPS", module=softhsm.module, cle=softhsm.key_label, jeton=softhsm.label, fonction="Coordonnatrice des risques", pin=softhsm.pin
    )
    assert row.signataire == "Dr Nadia Lestrelle"
    rapports.ajouter_confiance(demo_db, pki.ca_der, "AC du GHT")
    issued = issue(demo_db, "Carte CPS", softhsm.pin)
    assert issued.signataire == "Dr Nadia Lestrelle"
    _check_both_verifiers(demo_db, issued, tmp_path, "Dr Nadia Lestrelle", pki.ca_der)


def test_token_wrong_pin_and_missing_token(demo_db: Database, softhsm: Token) -> None:
    before = rapports.compter(demo_db)
    rapports.enregistrer_jeton(demo_db, nom="Carte CPS", module=softhsm.module, cle=softhsm.key_label, jeton=softhsm.label)
    with pytest.raises(UserError, match="Code PIN incorrect"):
        issue(demo_db, "Carte CPS", "0000")
    rapports.enregistrer_jeton(demo_db, nom="Autre carte", module=softhsm.module, cle="signature", jeton="ABSENTE")
    with pytest.raises(UserError, match="pas présente"):
        issue(demo_db, "Autre carte", "1234")
    rapports.enregistrer_jeton(demo_db, nom="Mauvais module", module="/nulle/part/libcps.so", cle="signature")
    with pytest.raises(UserError, match="introuvable"):
        issue(demo_db, "Mauvais module", "1234")
    assert rapports.compter(demo_db) == before


def test_one_flipped_byte_is_reported_by_both_verifiers(demo_db: Database, local_identity: str, tmp_path: Path) -> None:
    row = issue(demo_db, local_identity, PASSWORD)
    bad = flip_content_byte(row.pdf)
    assert bad != row.pdf
    v = rapports.verifier_pdf(demo_db, bad)
    assert not v.ok and not v.intact
    assert "ALTÉRÉ" in v.texte()
    f = tmp_path / "altere.pdf"
    f.write_bytes(bad)
    ps = pdfsig(f, nss_db(tmp_path / "nss", *rapports.trust_roots(demo_db)))
    assert not ps.signature_valid, ps.output


def test_incremental_update_after_signing_is_reported(demo_db: Database, local_identity: str, tmp_path: Path) -> None:
    row = issue(demo_db, local_identity, PASSWORD)
    later = append_incremental_update(row.pdf)
    assert later.startswith(row.pdf)
    v = rapports.verifier_pdf(demo_db, later)
    assert v.intact  # the signed bytes are untouched…
    assert v.modifie_apres and not v.ok  # …but something was added after
    assert "MODIFIÉ APRÈS SIGNATURE" in v.texte()
    f = tmp_path / "ajout.pdf"
    f.write_bytes(later)
    ps = pdfsig(f, nss_db(tmp_path / "nss", *rapports.trust_roots(demo_db)))
    assert ps.signature_valid and not ps.total_document_signed, ps.output


def test_untrusted_signer_is_reported(demo_db: Database, pki: TestPki) -> None:
    p12 = pki.pkcs12(cn="Inconnu")
    rapports.importer_pkcs12(demo_db, nom="Sans confiance", data=p12, password=PASSWORD, faire_confiance=False)
    row = issue(demo_db, "Sans confiance", PASSWORD)
    v = rapports.verifier(demo_db, row.id)
    assert v.intact and not v.approuve and not v.ok
    assert "NON RECONNU" in v.texte()


def test_bad_certificates_and_passwords_add_nothing(demo_db: Database, pki: TestPki, local_identity: str) -> None:
    from datetime import UTC, datetime, timedelta

    before = rapports.compter(demo_db)
    identities_before = [i.nom for i in rapports.lister_identites(demo_db)]
    with pytest.raises(UserError, match="Mot de passe incorrect"):
        issue(demo_db, local_identity, "mauvais-mot-de-passe")
    with pytest.raises(UserError, match="mot de passe"):
        issue(demo_db, local_identity, "")
    expired = pki.pkcs12(start=datetime.now(UTC) - timedelta(days=800), days=365)
    with pytest.raises(UserError, match="a expiré"):
        rapports.importer_pkcs12(demo_db, nom="Périmé", data=expired, password=PASSWORD)
    no_sign = pki.pkcs12(key_usage="encipherment")
    with pytest.raises(UserError, match="n'autorise pas la signature"):
        rapports.importer_pkcs12(demo_db, nom="Chiffrement", data=no_sign, password=PASSWORD)
    with pytest.raises(UserError, match="Mot de passe incorrect"):
        rapports.importer_pkcs12(demo_db, nom="X", data=pki.pkcs12(), password="faux")
    with pytest.raises(UserError, match="PKCS#12"):
        rapports.importer_pkcs12(demo_db, nom="Y", data=b"pas un p12", password="x")
    with pytest.raises(UserError, match="inconnue"):
        issue(demo_db, "Personne", PASSWORD)
    assert rapports.compter(demo_db) == before
    assert [i.nom for i in rapports.lister_identites(demo_db)] == identities_before


def test_an_identity_that_has_expired_since_cannot_sign() -> None:
    from datetime import UTC, datetime, timedelta

    from qualite_app.signing.identities import IdentitySpec, create_local_authority, open_signer

    old = create_local_authority(
        signataire="Ancien directeur", fonction="", etablissement="CH", password=PASSWORD, years=1,
        now=datetime.now(UTC) - timedelta(days=800),
    )
    with pytest.raises(UserError, match="a expiré le"), open_signer(IdentitySpec("locale", "ancien", pkcs12=old.pkcs12), PASSWORD):
        pass
    with pytest.raises(UserError, match="au moins 8 caractères"):
        create_local_authority(signataire="X", fonction="", etablissement="CH", password="court")


def test_second_signature_on_top_keeps_both_valid(demo_db: Database, local_identity: str, pki: TestPki, tmp_path: Path) -> None:
    rapports.importer_pkcs12(demo_db, nom="Présidente de CME", data=pki.pkcs12(cn="Dr Hélène Brévanne"), password=PASSWORD)
    first = issue(demo_db, local_identity, PASSWORD)
    both = rapports.signer_pdf(demo_db, first.pdf, "Présidente de CME", PASSWORD, reason="Avis favorable")
    v = rapports.verifier_pdf(demo_db, both)
    assert [s.signataire for s in v.signatures] == ["Julien Arsac", "Dr Hélène Brévanne"]
    assert [s.field for s in v.signatures] == ["Signature1", "Signature2"]
    assert v.signatures[0].modification == "FORM_FILLING" and v.signatures[1].couvre_tout
    assert v.ok, v.texte()
    f = tmp_path / "deux.pdf"
    f.write_bytes(both)
    ps = pdfsig(f, nss_db(tmp_path / "nss", *rapports.trust_roots(demo_db)))
    assert ps.output.count("Signature is Valid.") == 2, ps.output


def test_unencrypted_pkcs12_is_imported_and_signs_without_a_password(demo_db: Database, pki: TestPki) -> None:
    """Issue 8 point 12: a PKCS#12 with no password (empty password → none for the loader)."""
    from qualite_app.signing.identities import pkcs12_needs_password

    p12 = pki.pkcs12_unencrypted(cn="Dr Hélène Brévanne")
    assert not pkcs12_needs_password(p12) and pkcs12_needs_password(pki.pkcs12())
    row = rapports.importer_pkcs12(demo_db, nom="Sans mot de passe", data=p12, password="")
    assert row.signataire == "Dr Hélène Brévanne"
    assert "AC de test du GHT" in [t.nom for t in rapports.liste_confiance(demo_db)]
    rapports.importer_pkcs12(demo_db, nom="Sans mot de passe 2", data=p12, password=None)
    # a password typed out of habit for a file that has none is not a reason to refuse it
    rapports.importer_pkcs12(demo_db, nom="Sans mot de passe 3", data=p12, password="tapé par habitude")
    for password in ("", None):
        issued = issue(demo_db, "Sans mot de passe", password)  # type: ignore[arg-type]
        v = rapports.verifier(demo_db, issued.id)
        assert v.ok and v.signatures[0].signataire == "Dr Hélène Brévanne", v.texte()
    # an encrypted one still needs its password
    rapports.importer_pkcs12(demo_db, nom="Chiffré", data=pki.pkcs12(), password=PASSWORD)
    with pytest.raises(UserError, match="mot de passe"):
        issue(demo_db, "Chiffré", "")


def test_a_signing_failure_is_said_in_french(demo_db: Database, local_identity: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 8 point 2, signing side: pyHanko's English message does not reach the user."""
    from pyhanko.sign import signers
    from pyhanko.sign.general import SigningError

    def fail(*a: object, **k: object) -> None:
        raise SigningError("Signer does not have a signing certificate")

    monkeypatch.setattr(signers.PdfSigner, "sign_pdf", fail)
    with pytest.raises(UserError) as exc:
        issue(demo_db, local_identity, PASSWORD)
    assert "La signature a échoué" in exc.value.message and "Signer does not" not in exc.value.message
