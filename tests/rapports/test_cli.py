"""``qualite note | sign | verify | identity`` as a user types them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qualite_app.cli import main
from tests.helpers.signature import (
    PASSWORD,
    TestPki,
    append_incremental_update,
    flip_content_byte,
    nss_db,
    pdf_text,
    pdfsig,
    ref,
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def base(demo_file: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("QUALITE_SIGN_PASSWORD", PASSWORD)
    return str(demo_file)


def test_identity_note_sign_verify_round_trip(base: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ca = tmp_path / "ac.pem"
    code, out, err = run(
        capsys, "identity", "create", "--db", base, "--nom", "DQ", "--signataire", "Julien Arsac", "--fonction", "Directeur qualité",
        "--export-ca", str(ca),
    )
    assert code == 0, err
    assert "Identité « DQ » créée" in out and ca.read_bytes().startswith(b"-----BEGIN CERTIFICATE")
    note = tmp_path / "note.pdf"
    code, out, err = run(
        capsys, "note", "--db", base, "--titre", "Inspection ARS prévue", "--categorie", "inspection",
        "--faits", "L'ARS annonce une inspection le 02/12 sur la pharmacie.", "--mesures", "Dossier préparé",
        "--date", "20/11/2026 09:15", "--out", str(note), "--sign", "--identity", "DQ",
    )
    assert code == 0, err
    assert "signée par Julien Arsac" in out and ref(2) in out
    assert "L'ARS annonce une inspection" in pdf_text(note.read_bytes())
    code, out, _ = run(capsys, "verify", "--db", base, str(note))
    assert code == 0 and out.startswith("VERDICT : VALIDE") and "Signataire : Julien Arsac" in out
    # pdfsig with the exported CA says the same
    ps = pdfsig(note, nss_db(tmp_path / "nss", _der(ca.read_bytes())))
    assert ps.signature_valid and ps.certificate_trusted
    # one byte changed: exit 1, the verdict says altered
    bad = tmp_path / "altere.pdf"
    bad.write_bytes(flip_content_byte(note.read_bytes()))
    code, out, _ = run(capsys, "verify", "--db", base, str(bad))
    assert code == 1 and "ALTÉRÉ" in out
    later = tmp_path / "complete.pdf"
    later.write_bytes(append_incremental_update(note.read_bytes()))
    code, out, _ = run(capsys, "verify", "--db", base, str(later))
    assert code == 1 and "MODIFIÉ APRÈS SIGNATURE" in out
    # sign an unsigned PDF, then a second signature on top
    plain = tmp_path / "plain.pdf"
    code, _, err = run(capsys, "note", "--db", base, "--titre", "Sans signature", "--categorie", "autre", "--faits", "x", "--out", str(plain))
    assert code == 0, err
    code, out, _ = run(capsys, "verify", "--db", base, str(plain))
    assert code == 1 and "NON SIGNÉ" in out
    signed = tmp_path / "plain-signe.pdf"
    code, out, err = run(capsys, "sign", "--db", base, str(plain), "--identity", "DQ", "--out", str(signed), "--raison", "Validation")
    assert code == 0, err
    code, out, _ = run(capsys, "verify", "--db", base, str(signed))
    assert code == 0 and "Motif : Validation" in out


def test_pkcs12_import_and_listing(base: str, tmp_path: Path, pki: TestPki, capsys: pytest.CaptureFixture[str]) -> None:
    p12 = tmp_path / "directeur.p12"
    p12.write_bytes(pki.pkcs12(cn="Julien Arsac"))
    code, out, err = run(capsys, "identity", "import", "--db", base, str(p12), "--fonction", "Directeur qualité")
    assert code == 0, err
    assert "Identité « directeur » importée" in out and "n'est pas conservé" in out
    code, out, _ = run(capsys, "identity", "list", "--db", base)
    assert "directeur — Fichier PKCS#12 — Julien Arsac, Directeur qualité" in out
    assert "AC de test du GHT" in out


def test_bad_input_gets_french_messages(base: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    run(capsys, "identity", "create", "--db", base, "--nom", "DQ", "--signataire", "Julien Arsac")
    not_pdf = tmp_path / "image.pdf"
    not_pdf.write_bytes(b"\x89PNG\r\n")
    code, _, err = run(capsys, "verify", "--db", base, str(not_pdf))
    assert code == 2 and "n'est pas un document PDF" in err
    code, _, err = run(capsys, "verify", "--db", base, str(tmp_path / "absent.pdf"))
    assert code == 2 and "Fichier introuvable" in err
    code, _, err = run(capsys, "note", "--db", base, "--titre", "T", "--categorie", "meteo", "--faits", "x", "--out", str(tmp_path / "n.pdf"))
    assert code == 2 and "Catégorie inconnue « meteo »" in err
    code, _, err = run(capsys, "note", "--db", base, "--titre", "T", "--categorie", "crise", "--faits", "x", "--date", "demain", "--out", str(tmp_path / "n.pdf"))
    assert code == 2 and "Date « demain » non reconnue" in err
    code, _, err = run(capsys, "note", "--db", base, "--titre", "T", "--categorie", "crise", "--faits", "x", "--out", str(tmp_path / "n.pdf"), "--sign", "--identity", "Inconnu")
    assert code == 2 and "Identité de signature « Inconnu » inconnue" in err
    monkeypatch.setenv("QUALITE_SIGN_PASSWORD", "faux")
    code, _, err = run(capsys, "note", "--db", base, "--titre", "T", "--categorie", "crise", "--faits", "x", "--out", str(tmp_path / "n.pdf"), "--sign", "--identity", "DQ")
    assert code == 2 and "Mot de passe incorrect" in err
    assert not (tmp_path / "n.pdf").exists()
    monkeypatch.delenv("QUALITE_SIGN_PASSWORD")
    monkeypatch.setattr(sys, "stdin", None)
    code, _, err = run(capsys, "sign", "--db", base, str(not_pdf), "--identity", "DQ", "--out", str(tmp_path / "s.pdf"))
    assert code == 2 and "Mot de passe requis" in err


def test_cli_as_a_subprocess(base: str, tmp_path: Path) -> None:
    """The installed entry point path: ``python -m qualite_app`` with the password from the environment."""
    env = os.environ | {"QUALITE_SIGN_PASSWORD": PASSWORD}
    subprocess.run([sys.executable, "-m", "qualite_app", "identity", "create", "--db", base, "--nom", "DQ", "--signataire", "J. Arsac"], check=True, env=env, capture_output=True)
    out = tmp_path / "n.pdf"
    p = subprocess.run(
        [sys.executable, "-m", "qualite_app", "note", "--db", base, "--titre", "Crise", "--categorie", "crise", "--faits", "Panne", "--out", str(out), "--sign", "--identity", "DQ"],
        env=env, capture_output=True, text=True,
    )
    assert p.returncode == 0, p.stderr
    p = subprocess.run([sys.executable, "-m", "qualite_app", "verify", "--db", base, str(out)], env=env, capture_output=True, text=True)
    assert p.returncode == 0 and "VALIDE" in p.stdout and p.stderr == ""


def _der(pem: bytes) -> bytes:
    from qualite_app.signing.identities import to_der

    return to_der(pem)


# --- issue 8 point 20: no secret on the command line ------------------------------------------------------

SECRET = "secret-visible-dans-ps"


def _every_signing_command(base: str, tmp_path: Path) -> list[list[str]]:
    pdf, p12 = str(tmp_path / "in.pdf"), str(tmp_path / "in.p12")
    out = str(tmp_path / "out.pdf")
    return [
        ["sign", "--db", base, pdf, "--identity", "DQ", "--out", out],
        ["note", "--db", base, "--titre", "T", "--categorie", "crise", "--faits", "x", "--out", out, "--sign", "--identity", "DQ"],
        ["identity", "create", "--db", base, "--nom", "DQ", "--signataire", "Julien Arsac"],
        ["identity", "import", "--db", base, p12],
        ["identity", "token", "--db", base, "--nom", "CPS", "--module", "/x.so", "--cle", "sig", "--verifier"],
        ["report", "paqss", "--db", base, "--out", out, "--sign", "--identity", "DQ"],
        ["report", "dashboard", "--db", base, "--name", "CDU", "--out", out, "--sign", "--identity", "DQ"],
    ]


def test_password_option_is_refused_by_argparse_everywhere(base: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in _every_signing_command(base, tmp_path):
        for extra in (["--password", SECRET], [f"--password={SECRET}"]):
            with pytest.raises(SystemExit) as exc:
                main(argv + extra)
            assert exc.value.code == 2, argv
            err = capsys.readouterr().err
            assert "--password n'existe plus" in err and "--password-file" in err, (argv, err)
            assert SECRET not in err  # the refusal does not print the secret either
        # the help offers the file, never a password on the command line
        with pytest.raises(SystemExit):
            main([*argv[:2], "--help"] if argv[0] in ("identity", "report") else [argv[0], "--help"])
        helptext = capsys.readouterr().out
        assert "--password-file" in helptext and "--password " not in helptext and "--password\n" not in helptext, argv


def test_password_from_a_file_from_the_environment_and_from_the_prompt(
    base: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QUALITE_SIGN_PASSWORD")
    monkeypatch.setattr(sys, "stdin", None)  # no terminal: nothing can be typed
    pwfile = tmp_path / "mdp.txt"
    pwfile.write_text(PASSWORD + "\nla seconde ligne est ignorée\n", encoding="utf-8")
    code, out, err = run(capsys, "identity", "create", "--db", base, "--nom", "DQ", "--signataire", "Julien Arsac", "--password-file", str(pwfile))
    assert code == 0, err
    plain = tmp_path / "plain.pdf"
    assert run(capsys, "note", "--db", base, "--titre", "T", "--categorie", "autre", "--faits", "x", "--out", str(plain))[0] == 0
    # the file: first line, its newline (Windows' too) stripped
    pwfile.write_bytes(PASSWORD.encode() + b"\r\n")
    signed = tmp_path / "s1.pdf"
    code, out, err = run(capsys, "sign", "--db", base, str(plain), "--identity", "DQ", "--out", str(signed), "--password-file", str(pwfile))
    assert code == 0, err
    assert run(capsys, "verify", "--db", base, str(signed))[0] == 0
    # the environment
    monkeypatch.setenv("QUALITE_SIGN_PASSWORD", PASSWORD)
    code, _, err = run(capsys, "sign", "--db", base, str(plain), "--identity", "DQ", "--out", str(tmp_path / "s2.pdf"))
    assert code == 0, err
    monkeypatch.delenv("QUALITE_SIGN_PASSWORD")
    # the signed dashboard too (another module's command)
    code, _, err = run(capsys, "report", "dashboard", "--db", base, "--name", "CDU", "--out", str(tmp_path / "tb.pdf"), "--sign", "--identity", "DQ", "--password-file", str(pwfile))
    assert code == 0, err
    # a missing or unreadable file: a French refusal, nothing signed
    code, _, err = run(capsys, "sign", "--db", base, str(plain), "--identity", "DQ", "--out", str(tmp_path / "s3.pdf"), "--password-file", str(tmp_path / "absent.txt"))
    assert code == 2 and "Fichier de mot de passe introuvable" in err and not (tmp_path / "s3.pdf").exists()
    code, _, err = run(capsys, "sign", "--db", base, str(plain), "--identity", "DQ", "--out", str(tmp_path / "s3.pdf"), "--password-file", str(tmp_path))
    assert code == 2 and "Impossible de lire le fichier de mot de passe" in err and "Is a directory" not in err
    # no file, no variable, no terminal: say how to give it
    code, _, err = run(capsys, "sign", "--db", base, str(plain), "--identity", "DQ", "--out", str(tmp_path / "s3.pdf"))
    assert code == 2 and "--password-file" in err and "QUALITE_SIGN_PASSWORD" in err
    # a terminal: asked without echo (getpass)
    asked: list[str] = []

    class Tty:
        def isatty(self) -> bool:
            return True

    import getpass

    monkeypatch.setattr(sys, "stdin", Tty())
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": asked.append(prompt) or PASSWORD)
    code, _, err = run(capsys, "sign", "--db", base, str(plain), "--identity", "DQ", "--out", str(tmp_path / "s4.pdf"))
    assert code == 0, err
    assert asked and "Mot de passe" in asked[0]


def test_unencrypted_pkcs12_imported_and_used_with_no_password_at_all(
    base: str, tmp_path: Path, pki: TestPki, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 8 point 12 from the command line: no terminal, no variable, no file — nothing to ask."""
    monkeypatch.delenv("QUALITE_SIGN_PASSWORD")
    monkeypatch.setattr(sys, "stdin", None)
    p12 = tmp_path / "ouvert.p12"
    p12.write_bytes(pki.pkcs12_unencrypted(cn="Julien Arsac"))
    code, out, err = run(capsys, "identity", "import", "--db", base, str(p12), "--nom", "DQ")
    assert code == 0, err
    assert "Identité « DQ » importée" in out
    plain = tmp_path / "plain.pdf"
    assert run(capsys, "note", "--db", base, "--titre", "T", "--categorie", "autre", "--faits", "x", "--out", str(plain))[0] == 0
    signed = tmp_path / "signe.pdf"
    code, _, err = run(capsys, "sign", "--db", base, str(plain), "--identity", "DQ", "--out", str(signed))
    assert code == 0, err
    code, out, err = run(capsys, "note", "--db", base, "--titre", "T", "--categorie", "autre", "--faits", "x", "--out", str(tmp_path / "n.pdf"), "--sign", "--identity", "DQ")
    assert code == 0 and "signée par Julien Arsac" in out, err
    # the PAQSS bilan and the dashboard do not ask either (they used to prompt for an empty password)
    code, _, err = run(capsys, "report", "paqss", "--db", base, "--out", str(tmp_path / "bilan.pdf"), "--sign", "--identity", "DQ")
    assert code == 0, err
    code, _, err = run(capsys, "report", "dashboard", "--db", base, "--name", "CDU",
                       "--out", str(tmp_path / "tdb.pdf"), "--sign", "--identity", "DQ")  # fmt: skip
    assert code == 0, err
