"""The *Bilan du PAQSS*: read the PDF back (text, fonts), then issue it signed through the register."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from qualite_app.paqss import bilan as paqss_bilan
from qualite_app.paqss import rules
from qualite_app.paqss import services as paqss
from qualite_app.paqss.bilan_data import ActionBilan, AxeBilan, BilanData
from qualite_app.storage.database import Database


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_report_lists_axes_and_overdue_actions(demo_db: Database, tmp_path: Path) -> None:
    pid = paqss.programme_courant(demo_db)
    assert pid is not None
    pdf, digest, snap = paqss_bilan.bilan_pdf(demo_db, pid, with_previous=False)
    text = " ".join(_text(pdf).split())
    for axe in paqss.tree(demo_db)[0].axes:
        assert axe.titre in text
    late = paqss.list_actions(demo_db, paqss.ActionFilter(echeance="en_retard"))
    assert late
    assert f"Actions en retard ({len(late)})" in text
    for a in late:
        assert a.reference in text
    assert "Premier bilan émis" in text
    assert len(snap) == paqss.summary(demo_db).total and len(digest) == 64
    if shutil.which("pdffonts"):
        f = tmp_path / "bilan.pdf"
        f.write_bytes(pdf)
        fonts = subprocess.run(["pdffonts", str(f)], capture_output=True, text=True, check=True).stdout
        assert "Helvetica" not in fonts and "DejaVu" in fonts


def test_report_escapes_user_text(db: Database, structure: dict[str, int]) -> None:
    paqss.save_action(
        db, paqss.ActionData(objectif_id=structure["objectif"], titre="Audit <urgences> & bloc")
    )
    pdf, _, _ = paqss_bilan.bilan_pdf(db, structure["programme"], with_previous=False)
    assert "Audit <urgences> & bloc" in _text(pdf)


def test_report_shows_extra_copilots_after_the_tandem(db: Database, structure: dict[str, int], tmp_path: Path) -> None:
    from qualite_app.etablissement import annuaire

    tiers = annuaire.save_personne(db, annuaire.PersonneData(nom="CAZALS", prenom="Inès"))
    paqss.save_action(
        db,
        paqss.ActionData(objectif_id=structure["objectif"], titre="Sécuriser le circuit du médicament",
                         pilote_id=structure["medecin"], copilote_id=structure["admin"], autres_copilotes=[tiers]),
    )  # fmt: skip
    pdf, _, _ = paqss_bilan.bilan_pdf(db, structure["programme"], with_previous=False)
    (tmp_path / "equipe.pdf").write_bytes(pdf)
    assert "Hélène BRÉVANNE / Julien ARSAC + Inès CAZALS" in " ".join(_text(pdf).split())


def test_signed_bilan_is_registered_and_the_next_one_shows_changes(demo_db: Database) -> None:
    rapports = pytest.importorskip("qualite_app.rapports.services")
    pid = paqss.programme_courant(demo_db)
    assert pid is not None
    identity = None
    if hasattr(rapports, "creer_identite_locale"):
        rapports.creer_identite_locale(
            demo_db,
            nom="Directeur qualité",
            signataire="Julien Arsac",
            fonction="Directeur qualité",
            password="secret-1234",
        )
        identity = "Directeur qualité"
    row = paqss_bilan.emettre_bilan(
        demo_db, pid, identity=identity, password="secret-1234" if identity else None, recipient="CME"
    )
    assert row.pdf.startswith(b"%PDF")
    if identity:
        assert b"/ByteRange" in row.pdf  # a PAdES signature
    assert rapports.dernier(demo_db, "paqss").id == row.id
    assert row.snapshot and len(row.snapshot) == paqss.summary(demo_db).total

    target = next(a for a in paqss.list_actions(demo_db) if a.statut == rules.EN_COURS)
    paqss.bulk_update(demo_db, [target.id], statut=rules.REPORTEE, motif="Travaux du service")
    pdf, _, _ = paqss_bilan.bilan_pdf(demo_db, pid)
    text = " ".join(_text(pdf).split())
    assert "Bilan précédent émis le" in text
    assert target.reference in text.split("Évolutions depuis le bilan précédent")[-1]
    assert "Reportée" in text


def _big_bilan(n: int) -> BilanData:
    """A programme of ``n`` actions over three axes, a quarter of them overdue (builder input, no database)."""
    from datetime import date, timedelta
    from types import SimpleNamespace

    today = date(2026, 6, 15)
    statuts = list(rules.STATUTS)
    axes = [AxeBilan(f"A{k} – Axe de travail n° {k} : qualité et sécurité des soins", dict.fromkeys(statuts, 0)) for k in (1, 2, 3)]
    data = BilanData(
        "Centre hospitalier d'essai", "PAQSS 2026", "01/01/2026 – 31/12/2026", None, None, None, today,
        SimpleNamespace(par_statut={}, total=n, en_retard=0, taux_annee=None, annee=2026), axes, [],
        [("2026-01", 10), ("2026-03", 250), ("2026-05", 700)],
    )  # fmt: skip
    for i in range(n):
        st = statuts[i % len(statuts)]
        late = 40 + i % 300 if i % 4 == 0 else 0
        a = ActionBilan(
            f"ACT-{i:05d}", f"Sécuriser le circuit du médicament dans l'unité de soins n° {i} avec l'équipe de pharmacie",
            "Hélène BRÉVANNE / Julien ARSAC", today - timedelta(days=late) if late else today + timedelta(days=30), st, 50, late,
        )  # fmt: skip
        axe = axes[i % 3]
        axe.actions.append(a)
        axe.par_statut[st] += 1
        if late:
            data.retards.append((a, axe.titre))
    data.summary.par_statut = {s: sum(ax.par_statut[s] for ax in axes) for s in statuts}
    data.summary.en_retard = len(data.retards)
    return data


def test_bilan_of_thousands_of_actions_reads_back_whole(tmp_path: Path) -> None:
    """Issue 14: above ``FAST_TABLE`` actions the lists are one line per action (``LongTable``), the charts
    vectors; nothing is lost: every action, the contents' page numbers, the outline, the red overdue rows."""
    from reportlab.lib.rl_accel import fp_str

    from qualite_app.paqss.report import FAST_TABLE, build
    from qualite_app.reports import styles as st
    from tests.helpers import pdf as read

    n = FAST_TABLE + 700  # and more than FAST_TABLE // 3 overdue: both lists one line per action
    pdf = build(_big_bilan(n))
    pages = read.pages_text(pdf)
    whole = " ".join(pages)
    assert all(f"ACT-{i:05d}" in whole for i in range(n))
    overdue = (n + 3) // 4
    assert f"Actions en retard ({overdue})" in whole
    assert whole.count("ACT-") == n + overdue  # each action once in its axis, the overdue ones again in their list
    assert "Sécuriser le circuit du médicament" in whole and "avec l'équipe de pharmacie" not in whole  # one line, shortened
    # the charts: vector, their labels as text (statuses, axis title, totals, months, today)
    assert read.image_names(pdf) == set()
    for label in ("Nombre d'actions", "À lancer", "Abandonnée", "Actions réalisées (cumul)", "05/2026", "15/06/2026"):
        assert label in pages[1], label
    # the contents and the outline give the pages where the headings are
    outline = read.outline(pdf)
    titles = [t for t, _ in outline]
    assert titles[:4] == ["Synthèse", "Avancement par axe", "Progression dans le temps", f"Actions en retard ({overdue})"]
    assert "Actions par axe" in titles and titles[-1].startswith("A3 – ")
    assert read.toc_numbers(pages[0]) == [page for _, page in outline]
    for title, page in outline:
        assert title in pages[page - 1], title
    by_axis = dict(outline)["Actions par axe"]
    for text in pages[by_axis - 1 : by_axis + 2]:  # the header repeated on each page of the long lists
        assert "Référence Action Pilote(s) Échéance Statut Avanc." in text
    red = f"{fp_str(st.BAD.red, st.BAD.green, st.BAD.blue)} rg"
    assert all(red in read.page_content(pdf, i) for i in range(by_axis - 1, len(pages)))  # overdue rows in red
    fonts = read.fonts(pdf, tmp_path)
    if fonts is not None:
        assert fonts and all("DejaVuSans" in name and embedded for name, embedded in fonts), fonts
    assert build(_big_bilan(n)) == pdf  # deterministic
