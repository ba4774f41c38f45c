"""The register of issued reports (the contract issues 4 and 5 call), and the note d'information's PDF."""

from __future__ import annotations

import io
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from qualite_app.errors import UserError, ValidationError
from qualite_app.rapports import services as rapports
from qualite_app.rapports.note import NoteData
from qualite_app.storage.database import Database
from qualite_app.storage.tables import JournalAudit
from tests.helpers.signature import PASSWORD, pdf_text, pdffonts, ref

NOTE = NoteData(
    sujet="Chute d'un patient en gériatrie — « R&D » <urgent> 🚑",
    categorie="eig",
    faits="Le 21/11 à 14 h 30, un patient de 87 ans a chuté dans sa chambre.\n\nFracture du col du fémur suspectée.",
    survenu_le=datetime(2026, 11, 21, 14, 30),
    mesures="Transfert aux urgences ; famille prévenue ; déclaration EIGS (partie 1) faite à l'ARS.",
    decisions="Valider la revue de morbidité-mortalité sous 15 jours.",
    personnes_informees="Dr Hélène Brévanne (présidente de CME), ARS Auvergne-Rhône-Alpes.",
    pieces_jointes=["Fiche de signalement n° 2026-118", "Chronologie des faits"],
)


def _unsigned_pdf(db: Database) -> bytes:
    return rapports.generer_note(db, NOTE)


def test_emettre_contract_unsigned_and_dernier(demo_db: Database) -> None:
    assert rapports.dernier(demo_db, "indicateurs") is None
    pdf = _unsigned_pdf(demo_db)
    row = rapports.emettre_pdf(
        demo_db, kind="indicateurs", title="Tableau de bord T3", pdf=pdf, params={"periode": "2026-T3"},
        data_hash="f" * 64, snapshot={"valeurs": [1, 2, 3]},
    )
    assert isinstance(row.id, int) and row.pdf == pdf
    import hashlib

    assert row.sha256 == hashlib.sha256(pdf).hexdigest()
    assert isinstance(row.emis_le, datetime) and row.snapshot == {"valeurs": [1, 2, 3]}
    assert row.signataire is None and row.destinataire == "Claire Montvallon, Directrice générale"
    assert row.reference.startswith("RAP-")
    second = rapports.emettre_pdf(
        demo_db, kind="indicateurs", title="Tableau de bord T3 (corrigé)", pdf=pdf + b"\n", params={}, data_hash="e" * 64,
        replaces=row.id, recipient="Comité de direction",
    )
    last = rapports.dernier(demo_db, "indicateurs")
    assert last is not None and last.id == second.id and last.remplace_id == row.id
    assert last.destinataire == "Comité de direction"
    # the journal records the issue
    with demo_db.session() as s:
        kinds = set(s.scalars(select(JournalAudit.entite_type).where(JournalAudit.entite_table == "rapport_emis")))
    assert kinds == {"Rapport émis"}


def test_register_lists_filters_and_counts_in_sql(demo_db: Database, local_identity: str) -> None:
    assert rapports.compter(demo_db) == 1  # the demo's signed note
    rapports.emettre_note(demo_db, NOTE, identity=local_identity, password=PASSWORD)
    rapports.emettre_pdf(demo_db, kind="paqss", title="Bilan du PAQSS", pdf=_unsigned_pdf(demo_db), params={}, data_hash="a")
    assert rapports.compter(demo_db) == 3
    assert [r.kind for r in rapports.lister(demo_db, kind="note_information")] == ["note_information"] * 2
    assert [r.title for r in rapports.lister(demo_db, texte="paqss")] == ["Bilan du PAQSS"]
    signed = rapports.lister(demo_db, signe=True)
    assert len(signed) == 2 and signed[0].signataire == "Julien Arsac" and signed[0].reference == ref(2)
    assert [r.reference for r in rapports.lister(demo_db, texte="mobilisation")] == [ref(1)]
    assert rapports.compter(demo_db, signe=False) == 1
    assert ("note_information", "Note d'information") in rapports.kinds_in_register(demo_db)
    assert len(rapports.lister(demo_db, limit=1)) == 1


def test_reverification_and_export(demo_db: Database, local_identity: str, tmp_path: Path) -> None:
    row = rapports.emettre_note(demo_db, NOTE, identity=local_identity, password=PASSWORD)
    assert rapports.verifier(demo_db, row.id).ok
    out = rapports.exporter(demo_db, row.id, tmp_path / "note.pdf")
    assert out.read_bytes() == row.pdf
    with pytest.raises(UserError, match="n'existe pas"):
        rapports.get(demo_db, 999)


def test_bad_documents_are_refused_and_nothing_is_added(demo_db: Database, local_identity: str) -> None:
    import pypdf

    before = rapports.compter(demo_db)
    with pytest.raises(UserError, match="n'est pas un document PDF"):
        rapports.emettre_pdf(demo_db, kind="x", title="X", pdf=b"GIF89a", params={}, data_hash="")
    w = pypdf.PdfWriter()
    w.add_blank_page(200, 200)
    w.encrypt("secret")
    buf = io.BytesIO()
    w.write(buf)
    with pytest.raises(UserError, match="chiffré"):
        rapports.emettre_pdf(demo_db, kind="x", title="X", pdf=buf.getvalue(), params={}, data_hash="", identity=local_identity, password=PASSWORD)
    with pytest.raises(UserError, match="titre"):
        rapports.emettre_pdf(demo_db, kind="x", title=" ", pdf=_unsigned_pdf(demo_db), params={}, data_hash="")
    with pytest.raises(UserError, match="n° 42"):
        rapports.emettre_pdf(demo_db, kind="x", title="X", pdf=_unsigned_pdf(demo_db), params={}, data_hash="", replaces=42)
    with pytest.raises(UserError, match="Mot de passe incorrect"):
        rapports.emettre_note(demo_db, NOTE, identity=local_identity, password="faux")
    with pytest.raises(ValidationError) as err:
        rapports.emettre_note(demo_db, NoteData(sujet=" ", categorie="inconnue", faits=""))
    assert set(err.value.errors) == {"sujet", "categorie", "faits"}
    assert rapports.compter(demo_db) == before


def test_note_pdf_text_accents_escaping_and_embedded_fonts(demo_db: Database, local_identity: str, tmp_path: Path) -> None:
    row = rapports.emettre_note(demo_db, NOTE, identity=local_identity, password=PASSWORD)
    text = pdf_text(row.pdf)
    for expected in (
        "Note d'information au chef",
        "Chute d'un patient en gériatrie — « R&D » <urgent>",
        "Événement indésirable grave",
        "21/11/2026 14:30",
        "un patient de 87 ans a chuté",
        "déclaration EIGS (partie 1) faite à l'ARS",
        "Valider la revue de morbidité-mortalité",
        "Dr Hélène Brévanne",
        "Fiche de signalement n° 2026-118",
        "DIFFUSION RESTREINTE",
        "Claire Montvallon, Directrice générale",
        ref(2),
        "Centre hospitalier de Val-de-Brume",
        "Page 1 / ",
    ):
        assert expected in text, expected
    f = tmp_path / "note.pdf"
    f.write_bytes(row.pdf)
    fonts = pdffonts(f)
    assert fonts and all(emb for _, emb in fonts), fonts
    assert not any("Helvetica" in name for name, _ in fonts)
    pages = subprocess.run(["pdfinfo", str(f)], capture_output=True, text=True, check=True).stdout
    assert "Pages:          " in pages


def test_logo_of_the_establishment_appears_on_the_note(demo_db: Database) -> None:
    from qualite_app.etablissement import identite as etablissement

    png = _png_logo()
    etablissement.set_logo(demo_db, png, "logo.png", "image/png")
    assert rapports.entete(demo_db).logo == png
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(rapports.generer_note(demo_db, NOTE)))
    images = [img for p in reader.pages for img in p.images]
    assert images, "le logo de l'établissement doit figurer sur la note"


def test_outline_and_toc_for_long_reports(demo_db: Database) -> None:
    import pypdf
    from reportlab.platypus import PageBreak, Paragraph

    from qualite_app.reports import styles as st
    from qualite_app.reports import templates as tpl

    ss = st.stylesheet()
    meta = rapports.house_meta(demo_db, "Rapport annuel")
    story = tpl.title_block(meta) + tpl.table_of_contents()
    for i in range(1, 4):
        story += [PageBreak(), Paragraph(f"Chapitre {i} & « suite »", ss["H1"]), Paragraph("Section é", ss["H2"])]
    reader = pypdf.PdfReader(io.BytesIO(tpl.render(meta, story)))
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert titles == ["Chapitre 1 & « suite »", "Chapitre 2 & « suite »", "Chapitre 3 & « suite »"]
    first = reader.pages[0].extract_text()
    assert "Chapitre 3 & « suite »" in first  # the table of contents on page 1


def _png_logo() -> bytes:
    import struct
    import zlib

    w, h = 40, 20
    raw = b"".join(b"\x00" + bytes([31, 58, 95]) * w for _ in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def test_demo_register_holds_a_valid_signed_note(demo_db: Database) -> None:
    last = rapports.dernier(demo_db, "note_information")
    assert last is not None and last.signataire == "Julien Arsac" and last.reference == ref(1)
    assert rapports.verifier(demo_db, last.id).ok
    assert rapports.DEMO_IDENTITY in [i.nom for i in rapports.lister_identites(demo_db)]
    from qualite_app import demo

    assert demo.load_demo(demo_db).steps == []  # idempotent
    assert rapports.compter(demo_db) == 1
