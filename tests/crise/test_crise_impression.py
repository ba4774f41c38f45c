"""The printed products opened with pypdf: the binder (outline, pages, footer on every page, embedded fonts,
each fiche on its own page, odd pages in recto-verso), the pocket cards (4 per sheet), the signed log, the CLI."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest

from qualite_app import cli
from qualite_app.crise import impression
from qualite_app.crise import services as crise
from qualite_app.storage.database import Database
from tests.crise.conftest import TODAY
from tests.helpers.signature import PASSWORD, pdffonts


def _pages(pdf: bytes) -> list[str]:
    return [" ".join((pg.extract_text() or "").split()) for pg in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def _outline(pdf: bytes) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []

    def walk(items: list, level: int) -> None:  # type: ignore[type-arg]
        for it in items:
            if isinstance(it, list):
                walk(it, level + 1)
            else:
                out.append((level, it.title))

    walk(pypdf.PdfReader(io.BytesIO(pdf)).outline, 0)
    return out


def test_binder_outline_footer_fonts_and_one_fiche_per_page(db: Database, plan: int, tmp_path: Path) -> None:
    pdf = impression.apercu(db, "classeur", impression.donnees_classeur(db, plan, today=TODAY))
    pages = _pages(pdf)
    n = len(pages)
    assert n > 40
    for i, text in enumerate(pages, start=1):
        assert f"Page {i} / {n}" in text, i
        assert "PGTHSSE Hôpital test · version 1" in text and "Diffusion restreinte" in text, i
    top = [t for lvl, t in _outline(pdf) if lvl == 0]
    for section in (
        "Niveaux et déclenchement",
        "Cellule de crise",
        "Fiches réflexes",
        "Scénarios",
        "Annuaire de crise",
        "Ressources",
        "Annexes",
    ):
        assert section in top
    fiches = crise.contenu(db, plan).fiches
    assert [t for lvl, t in _outline(pdf) if lvl == 1 and t in {f.titre for f in fiches}] == [
        f.titre for f in fiches
    ]
    starts = []
    for f in fiches:
        holding = [i for i, t in enumerate(pages, start=1) if f"{f.titre} Rôle " in t]
        assert len(holding) == 1, f.titre
        starts.append(holding[0])
        assert pages[holding[0] - 1].count("Poste tenu par") == 1  # never two fiches on a page
    assert starts == sorted(starts)
    assert "\u2610" in pages[starts[0] - 1] and "Heure" in pages[starts[0] - 1]  # tick boxes and time columns
    path = tmp_path / "classeur.pdf"
    path.write_bytes(pdf)
    fonts = pdffonts(path)
    assert fonts and all(emb for _name, emb in fonts) and all("DejaVu" in name for name, _ in fonts)


def test_recto_verso_puts_every_fiche_on_an_odd_page(db: Database, plan: int) -> None:
    pdf = impression.apercu(
        db, "classeur", impression.donnees_classeur(db, plan, recto_verso=True, today=TODAY)
    )
    pages = _pages(pdf)
    starts = [i for i, t in enumerate(pages, start=1) if "Poste tenu par" in t]
    assert len(starts) == 25 and all(i % 2 == 1 for i in starts)
    assert any("Page laissée blanche intentionnellement" in t for t in pages)


def test_directory_sorted_by_function_with_big_numbers(db: Database, plan: int) -> None:
    crise.save_contact(
        db, plan, crise.ContactData("Régulation SAMU", "autorite", organisme="SAMU 38", tel="15")
    )
    crise.save_contact(
        db,
        plan,
        crise.ContactData("Administrateur de garde", "cellule", "Claire MONTVALLON", tel="0612345678"),
    )
    crise.save_contact(
        db, plan, crise.ContactData("Cadre de garde", "cellule", "Élodie CARRÈRE", tel="0698765432")
    )
    pages = _pages(impression.apercu(db, "classeur", impression.donnees_classeur(db, plan, today=TODAY)))
    text = next(t for t in pages if "Téléphone 24 h/24" in t)
    assert "06 12 34 56 78" in text
    assert (
        text.index("Administrateur de garde") < text.index("Cadre de garde") < text.index("Régulation SAMU")
    )


def test_cards_four_per_sheet(db: Database, plan: int) -> None:
    crise.save_contact(db, plan, crise.ContactData("Régulation SAMU", "autorite", tel="15", roles="URG"))
    data = impression.donnees_cartes(db, plan)
    pdf = impression.apercu(db, "cartes", data)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 3 + 1  # 12 roles, 4 per sheet, then the slip
    roles = crise.contenu(db, plan).roles
    for k, page in enumerate(reader.pages[:3]):
        assert abs(float(page.mediabox.width) - 595.28) < 1  # A4
        text = " ".join((page.extract_text() or "").split())
        assert sum(r.libelle in text for r in roles[k * 4 : k * 4 + 4]) == 4
        assert text.count("Diffusion restreinte") == 4 and text.count("Première heure") == 4
    assert "Régulation SAMU" in (reader.pages[0].extract_text() or "") + (
        reader.pages[1].extract_text() or ""
    )
    one = impression.apercu(db, "cartes", impression.donnees_cartes(db, plan, ["urg"]))
    assert len(pypdf.PdfReader(io.BytesIO(one)).pages) == 2
    with pytest.raises(Exception, match="inconnu"):
        impression.donnees_cartes(db, plan, ["XYZ"])


def test_signed_binder_and_log_go_through_the_register(demo_db: Database, local_identity: str) -> None:
    from qualite_app.rapports import services as rapports

    pid = crise.trouver_plan(demo_db, None)
    row = impression.emettre(
        demo_db,
        "classeur",
        impression.donnees_classeur(demo_db, pid),
        identity=local_identity,
        password=PASSWORD,
    )
    assert b"/ByteRange" in row.pdf and row.kind == "classeur_crise" and row.reference.startswith("CRI-")
    assert rapports.donnees_intactes(demo_db, row.id)
    name = rapports.entete(demo_db).nom
    assert name and all(row.reference in t and name in t for t in _pages(row.pdf))
    act = crise.activations(demo_db)[0]
    log = impression.emettre(
        demo_db,
        "journal",
        impression.donnees_journal(demo_db, act.id),
        identity=local_identity,
        password=PASSWORD,
    )
    text = " ".join(_pages(log.pdf))
    assert (
        log.reference.startswith("MC-")
        and "corrigée par l'entrée n°" in text
        and "Points de situation" in text
    )


def test_cli_binder_cards_and_log(
    db: Database, plan: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    act = crise.activer(
        db, plan, niveau_id=None, scenario_id=None, declencheur="Panne", decidee_par="Direction"
    )
    crise.lever(db, act, levee_par="Direction")
    path = db.location
    db.close()
    out = tmp_path / "classeur.pdf"
    assert cli.main(["binder", "--out", str(out), "--recto-verso", "--register", "--db", str(path)]) == 0
    said = capsys.readouterr().out
    assert re.search(r"Classeur de crise émis \(non signé\) : CRI-\d{4}-0001, \d+ pages", said)
    assert len(pypdf.PdfReader(out).pages) > 40
    assert (
        cli.main(
            [
                "cards",
                "--plan",
                "PGTHSSE Hôpital test",
                "--role",
                "DIR",
                "--out",
                str(tmp_path / "c.pdf"),
                "--db",
                str(path),
            ]
        )
        == 0
    )
    assert "Cartes réflexes : 2 page(s)" in capsys.readouterr().out
    assert cli.main(["crise", "main-courante", "--out", str(tmp_path / "mc.pdf"), "--db", str(path)]) == 0
    assert cli.main(["binder", "--plan", "Inconnu", "--out", str(tmp_path / "x.pdf"), "--db", str(path)]) != 0
    assert "introuvable" in capsys.readouterr().err


def test_table_of_contents_gives_the_page_of_every_fiche_over_several_pages(db: Database, plan: int) -> None:
    """The contents are drawn after the single layout pass, on the pages reserved for them: every number right."""
    base = crise.contenu(db, plan).fiches
    for k in range(40):
        data = crise.get_fiche(db, base[k % len(base)].id)
        data.titre = f"Variante {k:02d} — {data.titre}"
        crise.save_fiche(db, plan, data)
    pdf = impression.apercu(db, "classeur", impression.donnees_classeur(db, plan, today=TODAY))
    pages = _pages(pdf)
    toc = [i for i, t in enumerate(pages, start=1) if "Sommaire" in t.split("Page ")[0][:400] or i in (3, 4)]
    contents = " ".join(pages[i - 1] for i in toc)
    assert "Variante 39" in contents  # the contents run over more than one page
    for f in crise.contenu(db, plan).fiches:
        start = next(i for i, t in enumerate(pages, start=1) if f"{f.titre} Rôle " in t)
        assert re.search(re.escape(f.titre) + r"[ .]*" + str(start) + r"\b", contents), f.titre


def test_quebec_plan_binder_and_cards(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = db.location
    db.close()
    assert (
        cli.main(
            ["crise", "nouveau", "Plan de mesures d'urgence", "--modele", "codes_quebec", "--db", str(path)]
        )
        == 0
    )
    assert "créé depuis le modèle" in capsys.readouterr().out
    assert cli.main(["crise", "plans", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Plan de mesures d'urgence (v1)  [en vigueur]" in out and "aucun titulaire désigné" in out
    binder = tmp_path / "pmu.pdf"
    assert cli.main(["binder", "--out", str(binder), "--db", str(path)]) == 0
    text = " ".join(" ".join((pg.extract_text() or "") for pg in pypdf.PdfReader(binder).pages).split())
    assert (
        "Code orange — afflux massif de victimes (ORANGE)" in text
        and "Plan de mesures d'urgence (Québec)" in text
    )
    assert cli.main(["cards", "--out", str(tmp_path / "c.pdf"), "--db", str(path)]) == 0
    assert len(pypdf.PdfReader(tmp_path / "c.pdf").pages) == 2 + 1  # 6 roles, then the slip


def _png(w: int = 60, h: int = 40) -> bytes:
    import struct
    import zlib

    raw = b"".join(b"\x00" + bytes([42, 127, 142]) * w for _ in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )


def test_site_map_appendix_printed_on_its_own_page(db: Database, plan: int) -> None:
    from qualite_app.errors import UserError

    with pytest.raises(UserError, match="n'est pas une image PNG ou JPEG"):
        crise.ajouter_annexe(db, plan, b"%PDF-1.7 ...", "plan.pdf")
    lien = crise.ajouter_annexe(db, plan, _png(), "Plan du rez-de-chaussée.png")
    assert [a.nom for a in crise.annexes(db, plan)] == ["Plan du rez-de-chaussée.png"]
    data = impression.donnees_classeur(db, plan, today=TODAY)
    pdf = impression.apercu(db, "classeur", data)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    page = next(
        pg for pg in reader.pages if "Plan du rez-de-chaussée" in (pg.extract_text() or "") and pg.images
    )
    assert page.images and "Page " in (page.extract_text() or "")
    from qualite_app.crise.classeur import CLASSEUR

    snap = CLASSEUR.snapshot(data)
    assert snap["annexes"][0][1].startswith("sha256:")  # the register keeps the image's fingerprint
    crise.retirer_annexe(db, lien)
    assert crise.annexes(db, plan) == []


def test_cli_adds_an_appendix(
    db: Database, plan: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "Plan des urgences.png"
    f.write_bytes(_png())
    path = db.location
    db.close()
    assert cli.main(["crise", "annexe", str(f), "--db", str(path)]) == 0
    assert "« Plan des urgences.png » ajouté aux annexes du classeur (1 annexe(s))" in capsys.readouterr().out
    (tmp_path / "faux.png").write_bytes(b"pas une image")
    assert cli.main(["crise", "annexe", str(tmp_path / "faux.png"), "--db", str(path)]) != 0
    assert "n'est pas une image PNG ou JPEG" in capsys.readouterr().err
