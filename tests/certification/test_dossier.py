"""The certification dossier: export → verify → tamper / add / remove a file → verify names it; the index
PDF opened (text, outline); cancel leaves nothing; the index signed through the register."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pypdf
import pytest

from qualite_app.certification import campagnes, dossier, preuves, referentiels, verification
from qualite_app.certification.campagnes import Reponse
from qualite_app.storage.database import Database
from tests.helpers.signature import PASSWORD

from .conftest import Mini, mini_referentiel


def _fill(db: Database, m: Mini) -> None:
    campagnes.repondre(
        db,
        m.campagne_id,
        [m.ids["1.1-01-EE1"], m.ids["1.1-02-EE1"]],
        Reponse("conforme", commentaire="Vu en patient traceur"),
    )
    campagnes.repondre(
        db, m.campagne_id, m.ids["1.1-01-EE2"], Reponse("non_conforme", commentaire="Bracelet absent")
    )
    d = preuves.PreuveData
    preuves.ajouter_fichier(db, b"%PDF-1.4 charte", "Charte: identito<vigilance>.pdf", d("Charte", date(2025, 9, 1), date(2027, 9, 1)),
                            [m.ids["1.1-01"], m.ids["2.1-01"]])  # fmt: skip
    preuves.ajouter_fichier(
        db,
        b"\x89PNG affiche",
        "affiche.png",
        d("Affiche", date(2024, 1, 5), date(2025, 1, 5)),
        [m.ids["1.1-02-EE1"]],
    )
    preuves.ajouter_fichier(db, b"CON file", "CON.txt", d("Nom réservé"), [m.ids["2.1-01"]])


def test_export_then_verify(db: Database, mini: Mini, tmp_path: Path) -> None:
    _fill(db, mini)
    out = tmp_path / "dossier.zip"
    res = dossier.exporter(db, mini.campagne_id, out, le=date(2026, 3, 1))
    assert res.fichiers == 3 and out.exists() and not list(tmp_path.glob(".*partiel"))
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert {"index.pdf", "manifest.json", "SHA256SUMS", "criteres.csv"} <= set(names)
        ev = sorted(n for n in names if n.startswith("preuves/"))
        assert ev[0].startswith(
            "preuves/1 Le patient/1.1 Droits/1.1-01 Critère 1.1-01/Charte_ identito_vigilance_"
        )
        assert any(n.endswith("/_CON.txt") for n in ev)  # Windows-reserved name made safe
        assert len(ev) == 3  # the charter serves two criteria, stored once
        manifest = json.loads(zf.read("manifest.json"))
        charte = next(f for f in manifest["fichiers"] if f["titre"] == "Charte")
        assert charte["criteres"] == ["1.1-01", "2.1-01"]
        csv_text = zf.read("criteres.csv").decode("utf-8-sig")
        assert "1.1-01;Critère 1.1-01;Impératif;50,0;oui" in csv_text
        pdf = zf.read("index.pdf")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(p.extract_text() or "" for p in reader.pages)
    assert (
        "Dossier de certification" in text
        and "Bracelet absent" in text
        and charte["sha256"] in text.replace("\n", "")
    )
    outline = reader.outline
    titles = [o.title for o in outline if not isinstance(o, list)]
    assert any(t.startswith("Chapitre 1") for t in titles)
    flat = json.dumps(_titles(outline), ensure_ascii=False)
    assert "1.1-01 — Critère 1.1-01" in flat  # criteria as third-level bookmarks
    v = verification.verifier(out, db)
    assert not v.manquants and not v.ajoutes and not v.alteres and not v.problemes, v.lignes()
    assert v.registre.startswith("Registre : index DOS-")


def _titles(outline: list) -> list:  # type: ignore[type-arg]
    return [_titles(o) if isinstance(o, list) else o.title for o in outline]


def test_tampered_added_removed_are_named(db: Database, mini: Mini, tmp_path: Path) -> None:
    _fill(db, mini)
    out = tmp_path / "dossier.zip"
    dossier.exporter(db, mini.campagne_id, out)
    folder = tmp_path / "depli"
    with zipfile.ZipFile(out) as zf:
        zf.extractall(folder)
        ev = sorted(n for n in zf.namelist() if n.startswith("preuves/"))
    (folder / ev[0]).write_bytes(b"modifie")
    (folder / ev[1]).unlink()
    (folder / "preuves" / "intrus.pdf").write_bytes(b"%PDF intrus")
    v = verification.verifier(folder, db)
    assert v.alteres == [ev[0]] and v.manquants == [ev[1]] and v.ajoutes == ["preuves/intrus.pdf"]
    assert not v.ok and "VERDICT : DOSSIER NON CONFORME" in v.lignes()[-1]
    # the same in a ZIP, SHA256SUMS rewritten to hide the change: the signed hashes still catch it
    bad = tmp_path / "falsifie.zip"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(bad, "w") as dst:
        for n in src.namelist():
            data = b"falsifie" if n == ev[2] else src.read(n)
            if n == "SHA256SUMS":
                import hashlib

                lines = [ln for ln in src.read(n).decode().splitlines() if not ln.endswith(ev[2])]
                data = (
                    "\n".join([*lines, f"{hashlib.sha256(b'falsifie').hexdigest()}  {ev[2]}"]) + "\n"
                ).encode()
            dst.writestr(n, data)
    v = verification.verifier(bad, db)
    assert v.alteres == [ev[2]]


def test_cancel_leaves_nothing(db: Database, mini: Mini, tmp_path: Path) -> None:
    from qualite_app.rapports import services as rapports

    _fill(db, mini)

    class Stop(Exception):
        pass

    class Progress:
        def step(self, done: int, total: int, text: str = "") -> None:
            if done == 2:
                raise Stop()

    target = tmp_path / "sortie"
    target.mkdir()
    with pytest.raises(Stop):
        dossier.exporter(db, mini.campagne_id, target / "dossier.zip", progress=Progress())
    assert list(target.iterdir()) == []
    assert rapports.lister(db, kind="dossier_certification") == []  # nothing issued either


def test_signed_index(demo_db: Database, local_identity: str, tmp_path: Path) -> None:
    r = referentiels.importer(demo_db, mini_referentiel(), "mini.yaml")
    c = campagnes.creer_campagne(demo_db, "Campagne signée", r.referentiel_id)
    out = tmp_path / "signe.zip"
    res = dossier.exporter(demo_db, c, out, identity=local_identity, password=PASSWORD)
    assert res.signe
    v = verification.verifier(out, demo_db)
    assert v.ok, v.lignes()
    assert v.signature_ok


def test_readiness_report_pdf(demo_db: Database) -> None:
    from qualite_app.certification import preparation

    cid = campagnes.trouver_campagne(demo_db, None)
    row = preparation.emettre_preparation(demo_db, cid)
    reader = pypdf.PdfReader(io.BytesIO(row.pdf))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert row.reference.startswith("CER-") and row.reference in text
    assert "notre lecture des règles de la HAS, pas son texte" in text
    assert "Certifié sous conditions" in text and "Impératifs non atteints (2)" in text
    assert "Seuil appliqué" in text and "Certifié : score global au moins (%) 75" in text
    assert "2.2-06 — Prévention des erreurs médicamenteuses" in text
    assert "Séances d'évaluation menées (2)" in text and "Patient traceur" in text  # the demo's two sessions
    assert "Périmètre Site principal, site de gériatrie ; MCO, SMR, psychiatrie" in text
    assert any(p.images for p in reader.pages[:2])  # the charts
