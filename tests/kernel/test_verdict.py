"""Issue 8, points 1 and 2: the verdict is computed from what the signature covers, and it is said in French.

Any byte of the file outside the last signature's ByteRange (bytes after ``%%EOF``, one stray byte, an
incremental update) makes the verdict « MODIFIÉ APRÈS SIGNATURE » — in the core, ``qualite verify``, the
register's « Re-vérifier » and the GUI's « Vérifier un rapport… », which all read the same ``Verdict``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from qualite_app.cli import main
from qualite_app.rapports import services as rapports
from qualite_app.storage.database import Database
from tests.helpers.signature import (
    PASSWORD,
    TestPki,
    append_after_eof,
    append_incremental_update,
    append_one_byte,
    flip_content_byte,
    sign_with_test_pki,
    tamper_register,
)

ADDITIONS: dict[str, Callable[[bytes], bytes]] = {
    "objet-apres-eof": append_after_eof,
    "un-octet": append_one_byte,
    "revision-incrementale": append_incremental_update,
}
MODIFIED = "VERDICT : MODIFIÉ APRÈS SIGNATURE"


def _signed(db: Database, identity: str) -> rapports.RapportEmisRow:
    from tests.helpers.signature import issue as _issue

    return _issue(db, identity, PASSWORD)


@pytest.mark.parametrize("add", ADDITIONS.values(), ids=ADDITIONS.keys())
def test_any_byte_outside_the_signature_makes_it_modified(
    demo_db: Database, local_identity: str, add: Callable[[bytes], bytes]
) -> None:
    row = _signed(demo_db, local_identity)
    assert rapports.verifier_pdf(demo_db, row.pdf).ok
    later = add(row.pdf)
    assert later.startswith(row.pdf) and len(later) > len(row.pdf)
    v = rapports.verifier_pdf(demo_db, later)
    assert v.intact  # the signed bytes themselves are untouched…
    assert v.modifie_apres and not v.ok  # …but the file holds more than what was signed
    assert not v.signatures[-1].couvre_tout
    assert v.lignes()[0].startswith(MODIFIED), v.texte()
    assert "rien d'ajouté" not in v.texte()
    assert "Ajouts après signature : aucun" not in v.texte()


@pytest.mark.parametrize("add", ADDITIONS.values(), ids=ADDITIONS.keys())
def test_cli_verify_exits_non_zero_when_bytes_were_added(
    demo_file: Path,
    local_identity_file: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    add: Callable[[bytes], bytes],
) -> None:
    signed = tmp_path / "signe.pdf"
    assert (
        main(
            [
                "note",
                "--db",
                str(demo_file),
                "--titre",
                "Crise",
                "--categorie",
                "crise",
                "--faits",
                "Panne",
                "--out",
                str(signed),
                "--sign",
                "--identity",
                local_identity_file,
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["verify", "--db", str(demo_file), str(signed)]) == 0
    capsys.readouterr()
    a = tmp_path / "a.pdf"
    a.write_bytes(add(signed.read_bytes()))
    code = main(["verify", "--db", str(demo_file), str(a)])
    out = capsys.readouterr().out
    assert code == 1
    assert out.startswith(MODIFIED), out
    assert "VALIDE" not in out


def test_register_reverification_uses_the_same_verdict(demo_db: Database, local_identity: str) -> None:
    row = _signed(demo_db, local_identity)
    assert rapports.verifier(demo_db, row.id).ok
    tamper_register(
        demo_db, row.id, append_after_eof(row.pdf)
    )  # fingerprints updated: only the coverage can tell
    v = rapports.verifier(demo_db, row.id)
    assert not v.ok and v.lignes()[0].startswith(MODIFIED), v.texte()


@pytest.fixture
def local_identity_file(demo_file: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("QUALITE_SIGN_PASSWORD", PASSWORD)
    with Database.open(demo_file) as d:
        rapports.creer_identite_locale(
            d, nom="DQ", signataire="Julien Arsac", fonction="Directeur qualité", password=PASSWORD
        )
    return "DQ"


# --- point 2: French words only ------------------------------------------------------------------------

ENGLISH = re.compile(
    r"\b[a-z]+_[a-z_]+\b|\b[A-Z]+_[A-Z_]+\b|failure|failed|certificate|chain|error|invalid|expired|trusted|revoked|"
    r"constraint|untouched|hash\b|signature is|not yet|out of bounds|\bpoe\b|generic",
    re.IGNORECASE,
)


def _plain_report(db: Database) -> bytes:
    from tests.helpers.signature import report as _report

    return _report(db)


def _assert_french(text: str) -> None:
    hit = ENGLISH.search(text)
    assert hit is None, f"anglais « {hit.group(0) if hit else ''} » dans :\n{text}"


def test_untrusted_expired_not_yet_valid_weak_and_tampered_verdicts_are_french(
    demo_db: Database, pki: TestPki
) -> None:
    pdf = _plain_report(demo_db)
    now = datetime.now(UTC)
    cases = {
        "inconnu": (sign_with_test_pki(pdf, pki), "liste de confiance"),
        "expire": (sign_with_test_pki(pdf, pki, start=now - timedelta(days=800), days=365), "a expiré le"),
        "pas-encore": (
            sign_with_test_pki(pdf, pki, start=now + timedelta(days=10), days=365),
            "valable qu'à partir du",
        ),
        "usage": (sign_with_test_pki(pdf, pki, key_usage="encipherment"), "n'autorise pas la signature"),
        "sha1": (sign_with_test_pki(pdf, pki, md_algorithm="sha1"), "algorithme"),
        "altere": (flip_content_byte(sign_with_test_pki(pdf, pki)), "ALTÉRÉ"),
    }
    trusted = [pki.ca_der]
    from qualite_app.signing.verify import verify_pdf

    for name, (signed, expected) in cases.items():
        v = verify_pdf(signed, [] if name == "inconnu" else trusted)
        text = v.texte()
        assert not v.ok, name
        assert expected in text, f"{name} :\n{text}"
        _assert_french(text)


def test_every_pyhanko_code_has_french_words() -> None:
    from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate
    from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel

    from qualite_app.signing.verify import GENERIC_PROBLEM, en_francais

    for enum in (AdESFailure, AdESIndeterminate, ModificationLevel, SignatureCoverageLevel):
        for member in enum:
            words = en_francais(member)
            assert words and not words.startswith(GENERIC_PROBLEM), (
                f"{enum.__name__}.{member.name} non traduit"
            )
            _assert_french(words)
    # a code a future pyHanko may add: a French sentence, the raw code only in parentheses at the end
    words = en_francais("BRAND_NEW_FAILURE")
    assert words.startswith(GENERIC_PROBLEM) and words.endswith("(BRAND_NEW_FAILURE)")
    _assert_french(words.removesuffix(" (BRAND_NEW_FAILURE)"))
