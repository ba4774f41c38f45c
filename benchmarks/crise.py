"""Crisis plans: the printed binder and the main courante. Run from the repository root:

    PYTHONPATH=$PWD QT_QPA_PLATFORM=offscreen python benchmarks/crise.py [--pages 200]

(a) a ~200-page binder (the PGTHSSE template plus copies of its fiches réflexes) built by ReportLab —
    target under 5 s — against LibreOffice headless converting the same content, written as a DOCX with
    python-docx, to PDF in the same run — target at least 5× faster;
(b) one main-courante entry typed in the page (Enter): committed and the log redrawn — target under 50 ms.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _none_stays_alive() -> None:
    """PySide6 6.12 on CPython 3.11 drops one reference to None at every call of a void Qt method (and to
    True/False at some bool returns): they are immortal only from CPython 3.12. After some 25,000 such
    calls the interpreter aborts with « none_dealloc » / « bool_dealloc ». Give them enough references."""
    if sys.version_info < (3, 12):
        import ctypes

        for singleton in (None, True, False):
            ctypes.c_ssize_t.from_address(id(singleton)).value += 1 << 30


def best(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def make_plan(db, fiches_wanted: int) -> int:  # type: ignore[no-untyped-def]
    from qualite_app.crise import services as crise

    pid = crise.nouveau_plan_depuis_modele(db, "pgthsse", "PGTHSSE — banc d'essai")
    plan = crise.contenu(db, pid)
    base = list(plan.fiches)
    k = 0
    while len(crise.contenu(db, pid).fiches) < fiches_wanted:
        f = base[k % len(base)]
        data = crise.get_fiche(db, f.id)
        data.titre = f"{data.titre} (variante {k // len(base) + 1})"
        crise.save_fiche(db, pid, data)
        k += 1
    for i in range(60):
        crise.save_contact(
            db,
            pid,
            crise.ContactData(
                f"Contact {i:02d}", "interne", f"Personne {i}", tel=f"01 99 00 4{i // 10} {i % 10}0"
            ),
        )
    return pid


def write_docx(plan, path: Path) -> None:  # type: ignore[no-untyped-def]
    """The same content as the binder, as a word processor would hold it (headings, tables, page breaks)."""
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    from qualite_app.crise import rules

    doc = Document()
    doc.styles["Normal"].font.size = Pt(12)
    doc.add_heading(f"Classeur de crise — {plan.nom}", 0)
    doc.add_paragraph(f"Version {plan.version} — Diffusion restreinte")
    doc.add_page_break()
    doc.add_heading("Niveaux et déclenchement", 1)
    for n in plan.niveaux:
        doc.add_heading(n.nom, 2)
        t = doc.add_table(rows=2, cols=2, style="Table Grid")
        t.cell(0, 0).text, t.cell(0, 1).text = "Déclenchement", n.declenchement
        t.cell(1, 0).text, t.cell(1, 1).text = "Levée", n.levee
    doc.add_page_break()
    doc.add_heading("Cellule de crise", 1)
    t = doc.add_table(rows=1, cols=3, style="Table Grid")
    t.rows[0].cells[0].text, t.rows[0].cells[1].text, t.rows[0].cells[2].text = (
        "Rôle",
        "Titulaire",
        "Suppléants",
    )
    for r in plan.roles:
        c = t.add_row().cells
        c[0].text, c[1].text, c[2].text = r.libelle, r.titulaire.nom if r.titulaire else "NON DÉSIGNÉ", ""
    for f in plan.fiches:
        doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        doc.add_heading(f.titre, 1)
        t = doc.add_table(rows=4, cols=2, style="Table Grid")
        for i, (k, val) in enumerate(
            (
                ("Rôle", f.role_libelle),
                ("Mission", f.mission),
                ("Rend compte à", f.rend_compte_a),
                ("Où se rendre", f.lieu),
            )
        ):
            t.cell(i, 0).text, t.cell(i, 1).text = k, val
        doc.add_heading("Poste tenu par", 3)
        t = doc.add_table(rows=3, cols=5, style="Table Grid")
        for j, h in enumerate(("Nom", "Date", "Début", "Fin", "Init.")):
            t.cell(0, j).text = h
        for code, label in rules.PHASES.items():
            ts = [x for x in f.taches if x.phase == code]
            if not ts:
                continue
            t = doc.add_table(rows=1, cols=5, style="Table Grid")
            for j, h in enumerate(("", label, "Qui", "Heure", "Init.")):
                t.cell(0, j).text = h
            for x in ts:
                c = t.add_row().cells
                c[0].text, c[1].text, c[2].text = "☐", x.texte, x.qui
    doc.add_page_break()
    doc.add_heading("Annuaire de crise", 1)
    t = doc.add_table(rows=1, cols=4, style="Table Grid")
    for c in plan.contacts:
        row = t.add_row().cells
        row[0].text, row[1].text, row[2].text, row[3].text = c.fonction, c.nom, c.tel, c.tel_secours
    doc.save(str(path))


def libreoffice(docx: Path, outdir: Path) -> tuple[float, int]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return float("nan"), 0
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    cmd = [
        soffice,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        str(docx),
    ]
    subprocess.run(cmd, capture_output=True, timeout=300)  # first start creates the profile: not timed
    times = []
    for _ in range(2):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, timeout=300, check=True)
        times.append(time.perf_counter() - t)
    import pypdf

    return min(times), len(pypdf.PdfReader(outdir / (docx.stem + ".pdf")).pages)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=200)
    args = ap.parse_args()
    import pypdf

    from qualite_app.crise import impression
    from qualite_app.storage.database import Actor, Database

    folder = Path(tempfile.mkdtemp(prefix="bench-crise-"))
    db = Database.open(folder / "crise.sqlite", actor=Actor("banc", "Banc d'essai"))
    pid = make_plan(db, int((args.pages - 30) / 1.04))
    data = impression.donnees_classeur(db, pid)
    pdf = b""

    def build() -> None:
        nonlocal pdf
        pdf = impression.apercu(db, "classeur", data)

    t_rl = best(build)
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    print(
        f"(a) classeur ReportLab : {pages} pages, {len(data.plan.fiches)} fiches — {t_rl:.2f} s (cible < 5 s)"
    )
    try:
        import docx  # noqa: F401
    except ImportError:
        print(
            "    python-docx absent : pip install python-docx (extra « dev ») pour la comparaison LibreOffice"
        )
    else:
        docx_path = folder / "classeur.docx"
        t_docx = best(lambda: write_docx(data.plan, docx_path), repeat=1)
        t_lo, lo_pages = libreoffice(docx_path, folder)
        print(
            f"    DOCX écrit par python-docx en {t_docx:.2f} s ; LibreOffice --convert-to pdf : {lo_pages} pages en {t_lo:.2f} s"
        )
        print(f"    ReportLab {t_lo / t_rl:.1f}× plus rapide que LibreOffice (cible ≥ 5×)")

    # (b) a log entry typed in the page
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from qualite_app.crise import services as crise
    from qualite_app.gui.context import AppContext, ChangeBus
    from qualite_app.gui.crise.page import CrisePage
    from qualite_app.settings import Settings

    _none_stays_alive()
    app = QApplication.instance() or QApplication(sys.argv)
    ctx = AppContext(db, ChangeBus(), Settings())
    page = CrisePage(ctx)
    page.resize(1400, 860)
    page.show()
    plan = crise.contenu(db, pid)
    crise.activer(
        db,
        pid,
        niveau_id=plan.niveaux[1].id,
        scenario_id=None,
        declencheur="Banc d'essai",
        decidee_par="Banc",
    )
    page.reload()
    app.processEvents()
    mc = page.mc_tab
    times = []
    for i in range(200):
        mc.saisie.setText(f"Entrée n° {i} : 3 victimes supplémentaires orientées vers le bloc")
        t = time.perf_counter()
        QTest.keyClick(mc.saisie, Qt.Key.Key_Return)
        app.processEvents()  # the ChangeSet reaches the page (queued) and the log is redrawn
        times.append(time.perf_counter() - t)
    assert mc.table.rowCount() == 201
    print(f"(b) entrée de main courante écrite et affichée : médiane {statistics.median(times) * 1000:.1f} ms, "
          f"95e centile {sorted(times)[int(len(times) * 0.95)] * 1000:.1f} ms sur 200 entrées (cible < 50 ms)")  # fmt: skip
    page.close()
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
