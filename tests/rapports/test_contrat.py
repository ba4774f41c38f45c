"""The report contract: every kind is a Renderer declared in AREAS, issued through ONE path
(``rapports.emettre``), numbered in the inserting transaction, unique in the database, and carries
the establishment's letterhead (logo, name, address, FINESS)."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from qualite_app.areas import AREAS, resolve
from qualite_app.errors import UserError
from qualite_app.rapports import registre
from qualite_app.rapports import services as rapports
from qualite_app.rapports.models import RapportEmis
from qualite_app.rapports.note import NoteData
from qualite_app.reports.base import Renderer, data_hash, data_hash_matches
from qualite_app.storage.database import Database
from tests.helpers.signature import PASSWORD, pdf_text, ref

NOTE = NoteData(sujet="Panne du groupe électrogène", categorie="continuite", faits="Bascule manuelle à 3 h 10.")
ROOT = Path(__file__).resolve().parents[2]


def _set_letterhead(db: Database) -> bytes:
    from qualite_app.etablissement import identite as etablissement
    from qualite_app.etablissement.models import Etablissement

    with db.unit_of_work() as s:
        e = s.scalars(select(Etablissement)).first()
        assert e is not None
        e.adresse, e.code_postal, e.ville, e.pays, e.finess_et = "12 rue des Tilleuls", "38000", "Grenoble", "FR", "380000123"
    png = _png()
    etablissement.set_logo(db, png, "logo.png", "image/png")
    return png


def _png() -> bytes:
    import struct
    import zlib

    raw = b"".join(b"\x00" + bytes([31, 58, 95]) * 30 for _ in range(15))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 30, 15, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _issue_each_kind(db: Database) -> dict[str, rapports.RapportEmisRow]:
    from qualite_app.evenements import cdu, fiche_eigs
    from qualite_app.evenements import services as evenements
    from qualite_app.indicateurs import rapport as tableau
    from qualite_app.paqss import bilan
    from qualite_app.paqss import services as paqss
    from qualite_app.risques import rapport as carte

    note = rapports.emettre_note(db, NOTE)
    b = bilan.emettre_bilan(db, paqss.programme_courant(db))
    t = tableau.emettre_tableau(db, "CDU", register=True)
    assert t.rapport_id is not None
    from qualite_app.certification import campagnes, dossier, preparation
    from qualite_app.certification.report import INDEX_DOSSIER

    cid = campagnes.trouver_campagne(db, None)
    index = rapports.emettre(db, INDEX_DOSSIER, dossier.gather(db, cid)[0])
    prep = preparation.emettre_preparation(db, cid)
    today = date.today()
    c = cdu.emettre_cdu(db, f"{today.year}-T{(today.month - 1) // 3 + 1}")
    e = fiche_eigs.emettre_fiche(db, evenements.echeances(db)[0].evenement_id, 2)
    r = carte.emettre_carte(db)
    return {"note_information": note, "paqss": b, "tableau_de_bord": rapports.get(db, t.rapport_id),
            "dossier_certification": index, "preparation_certification": prep, "cdu": c, "eigs": e,
            "risques": r}  # fmt: skip


# --- kinds ----------------------------------------------------------------------------------------


def test_every_report_kind_is_a_renderer_declared_in_areas() -> None:
    from qualite_app.evenements import fiche_eigs_pdf
    from qualite_app.evenements import report as evenements_report
    from qualite_app.risques import report as risques_report

    declared = [resolve(t) for a in AREAS for t in a.reports]
    areas = {
        "dossier_certification", "preparation_certification", "classeur_crise", "cartes_crise", "main_courante",
        *(r.kind for r in (evenements_report.CDU, fiche_eigs_pdf.FICHE_EIGS, risques_report.CARTE)),
    }  # fmt: skip
    assert {r.kind for r in declared} == {"note_information", "paqss", "tableau_de_bord", *areas}
    assert all(isinstance(r, Renderer) for r in declared)
    assert len({r.prefix for r in declared}) == len(declared), "un préfixe de référence par type de rapport"
    assert rapports.kind_label("paqss") == "Bilan du PAQSS" and rapports.kind_label("inconnu") == "inconnu"


def test_one_data_hash_and_old_dashboard_rows_still_match() -> None:
    import hashlib
    import json

    snap = {"indicateurs": [{"code": "ICSHA", "valeur": 92.5}]}
    spaced = hashlib.sha256(json.dumps(snap, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
    assert data_hash_matches(snap, data_hash(snap)) and data_hash_matches(snap, spaced)
    assert not data_hash_matches(snap, data_hash({"indicateurs": []}))
    assert rapports.data_hash is data_hash
    sources = [p for p in (ROOT / "qualite_app").rglob("*.py") if re.search(r"^def data_hash\b", p.read_text("utf-8"), re.M)]
    assert [p.relative_to(ROOT).as_posix() for p in sources] == ["qualite_app/reports/base.py"]


# --- the one path ---------------------------------------------------------------------------------


def test_every_kind_goes_through_the_one_issuing_path(demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real = registre.issue_in

    def spy(s, renderer, data, **kw):  # type: ignore[no-untyped-def]
        seen.append(renderer.kind)
        return real(s, renderer, data, **kw)

    monkeypatch.setattr(registre, "issue_in", spy)
    rows = _issue_each_kind(demo_db)
    assert seen == ["note_information", "paqss", "tableau_de_bord", "dossier_certification", "preparation_certification",
                    "cdu", "eigs", "risques"]  # fmt: skip
    for kind, row in rows.items():
        assert row.kind == kind and rapports.donnees_intactes(demo_db, row.id)


def test_only_the_register_writes_register_rows() -> None:
    writers = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "qualite_app").rglob("*.py")
        if re.search(r"(?<!class )\bRapportEmis\(", p.read_text("utf-8"))
    ]
    assert writers == ["qualite_app/rapports/registre.py"]


def test_builders_never_import_services() -> None:
    for module in ("paqss/report.py", "paqss/bilan_data.py", "indicateurs/report.py", "rapports/note.py", "reports/base.py",
                   "evenements/report.py", "evenements/cdu_data.py", "evenements/fiche_eigs_pdf.py", "risques/report.py",
                   "risques/carte_data.py"):  # fmt: skip
        text = (ROOT / "qualite_app" / module).read_text("utf-8")
        assert not re.search(r"import .*services|services import|from qualite_app\.(paqss|indicateurs)\.bilan\b", text), module
        assert "sqlalchemy" not in text, module


# --- letterhead -----------------------------------------------------------------------------------


def test_letterhead_on_every_report_kind(demo_db: Database) -> None:
    import pypdf

    _set_letterhead(demo_db)
    name = rapports.entete(demo_db).nom
    assert name
    for kind, row in _issue_each_kind(demo_db).items():
        text = " ".join(pdf_text(row.pdf).split())
        for expected in (name, "12 rue des Tilleuls", "38000 Grenoble", "FINESS 380000123", row.reference):
            assert expected in text, (kind, expected)
        pages = pypdf.PdfReader(io.BytesIO(row.pdf)).pages
        assert pages[0].images, f"le logo de l'établissement doit figurer sur « {kind} »"
        assert all(name in " ".join((p.extract_text() or "").split()) for p in pages), f"en-tête de chaque page de « {kind} »"


# --- unique references ----------------------------------------------------------------------------


def test_references_are_numbered_per_prefix_in_the_transaction(demo_db: Database) -> None:
    pdf = rapports.generer_note(demo_db, NOTE)
    a = rapports.emettre_pdf(demo_db, kind="bilan_ei", title="A", pdf=pdf, params={}, data_hash="")
    b = rapports.emettre_pdf(demo_db, kind="autre", title="B", pdf=pdf + b"\n", params={}, data_hash="")
    assert (a.reference, b.reference) == (ref(1, "RAP"), ref(2, "RAP"))  # two kinds, one prefix: no collision
    note = rapports.emettre_note(demo_db, NOTE)
    assert note.reference == ref(2)  # the demo holds NI n° 1
    refs = [r.reference for r in rapports.lister(demo_db)]
    assert len(refs) == len(set(refs))


def test_a_failed_issue_writes_nothing_and_uses_no_number(demo_db: Database, local_identity: str) -> None:
    before = rapports.compter(demo_db)
    with pytest.raises(UserError):
        rapports.emettre_note(demo_db, NOTE, identity=local_identity, password="faux")
    assert rapports.compter(demo_db) == before
    assert rapports.emettre_note(demo_db, NOTE, identity=local_identity, password=PASSWORD).reference == ref(2)


def test_a_number_taken_by_hand_is_skipped(demo_db: Database) -> None:
    row = rapports.dernier(demo_db, "note_information")
    assert row is not None
    taken = ref(7)
    with demo_db.unit_of_work() as s:
        blob = s.scalar(select(RapportEmis.pdf_blob_id).where(RapportEmis.id == row.id))
        s.execute(insert(RapportEmis).values(type_rapport="note_information", titre="Saisie", reference=taken, pdf_blob_id=blob, sha256=row.sha256))
    assert rapports.emettre_note(demo_db, NOTE).reference == ref(8)


def test_a_number_taken_meanwhile_is_numbered_again(demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another writer inserts between the read of the next number and the insert: the unique index refuses,
    the register numbers again; the service never surfaces a constraint violation."""
    real = registre.next_reference
    stale = iter([ref(1)])  # the demo's note already holds NI n° 1

    def racing(s, prefix, year):  # type: ignore[no-untyped-def]
        return next(stale, None) or real(s, prefix, year)

    monkeypatch.setattr(registre, "next_reference", racing)
    row = rapports.emettre_note(demo_db, NOTE)
    assert row.reference == ref(2) and rapports.compter(demo_db) == 2
    monkeypatch.setattr(registre, "next_reference", lambda s, prefix, year: ref(1))
    with pytest.raises(UserError, match="numéroté"):
        rapports.emettre_note(demo_db, NOTE)
    assert rapports.compter(demo_db) == 2


def test_the_database_refuses_a_duplicate_reference(demo_db: Database) -> None:
    row = rapports.dernier(demo_db, "note_information")
    assert row is not None
    with pytest.raises(IntegrityError), demo_db.unit_of_work() as s:
        blob = s.scalar(select(RapportEmis.pdf_blob_id).where(RapportEmis.id == row.id))
        s.execute(
            insert(RapportEmis).values(type_rapport="note_information", titre="Doublon", reference=row.reference, pdf_blob_id=blob, sha256=row.sha256)
        )
    assert rapports.compter(demo_db) == 1


def test_migration_0008_renumbers_duplicates_and_keeps_every_row(tmp_path: Path) -> None:
    import json
    import sqlite3

    from alembic import command
    from sqlalchemy import create_engine

    from qualite_app.storage import migrate
    from qualite_app.storage.engine import sqlite_url

    path = tmp_path / "avant.sqlite"
    engine = create_engine(sqlite_url(path))
    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0007_journal_parent")
    engine.dispose()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO blob (id, sha256, nom, mime, taille, contenu, cree_le) VALUES (1, 'x', 'a.pdf', 'application/pdf', 1, x'25', '2026-01-01')")
    rows = [
        (1, "paqss", "RAP-2026-0001", "2026-02-01"),
        (2, "tableau_de_bord", "RAP-2026-0001", "2026-03-01"),  # the old shared prefix
        (3, "paqss", "RAP-2026-0002", "2026-04-01"),
        (4, "note_information", "", "2025-05-01"),
        (5, "note_information", "NI-2026-0001", "2026-05-01"),
    ]
    for rid, kind, reference, when in rows:
        con.execute(
            "INSERT INTO rapport_emis (id, type_rapport, titre, reference, parametres, empreinte_donnees, pdf_blob_id, sha256, emis_le, "
            "emis_par, destinataire, remplace_id) VALUES (?, ?, 'T', ?, '{\"p\": 1}', '', 1, 'x', ?, 'u', 'd', ?)",
            (rid, kind, reference, when, 1 if rid == 3 else None),
        )
    con.commit()
    con.close()
    with Database.open(path) as db:
        assert db.revision() == migrate.head_revision()
    con = sqlite3.connect(path)
    got = {r[0]: r[1:] for r in con.execute("SELECT id, reference, parametres, remplace_id FROM rapport_emis")}
    assert {k: v[0] for k, v in got.items()} == {1: "RAP-2026-0001", 2: "RAP-2026-0003", 3: "RAP-2026-0002", 4: "RAP-2025-0001", 5: "NI-2026-0001"}
    assert json.loads(got[2][1]) == {"p": 1, "reference_initiale": "RAP-2026-0001"}
    assert got[3][2] == 1  # the table was not recreated: links kept
    with pytest.raises(sqlite3.IntegrityError):
        con.execute("UPDATE rapport_emis SET reference = 'NI-2026-0001' WHERE id = 1")
    con.close()


def test_issued_at_is_the_headers_date(demo_db: Database) -> None:
    when = datetime(2026, 6, 30, 9, 0)
    row = rapports.emettre(demo_db, registre.renderers()["note_information"], NOTE, issued_at=when)
    assert "30/06/2026" in pdf_text(row.pdf)
