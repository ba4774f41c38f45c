"""Benchmark of the indicator dashboards (issue 5, report speed: issue 14).

Baselines: 40 indicators × 60 monthly periods — dashboard shown (cards with sparklines and SPC state)
< 0.5 s; SPC on 10,000 points < 20 ms; the 40-indicator report < 3 s (issue 14; it was 7.6 s when its
control charts were matplotlib rasters). The report is also given as a ratio to a same-run baseline: an
« empty » house-style report of the same page count (``benchmarks/rapport_vide.py``); and its charts are
measured alone: the 40 vector charts the report draws (``reports.spc_vector.SpcChart``) against the same 40
charts rendered by matplotlib as the report did before (``charts.spc_figure`` rasterised at 125 dpi).

Run from the repository root:
    PYTHONPATH=$PWD QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/dashboard.py
Prints one line per measurement and writes benchmarks/results/dashboard.json.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BASELINES = {"tableau_de_bord_s": 0.5, "spc_10000_ms": 20.0, "rapport_40_s": 3.0}
N_IND, N_PER = 40, 60


def build_database(folder: Path):  # type: ignore[no-untyped-def]
    from qualite_app.etablissement.models import Etablissement
    from qualite_app.indicateurs.models import Indicateur, IndicateurCible, IndicateurMesure, TableauDeBord
    from qualite_app.rules import periodes
    from qualite_app.storage.database import Actor, Database

    os.environ["QUALITE_DATA_DIR"] = str(folder / "donnees")
    db = Database.open(folder / "bench.sqlite", actor=Actor("bench", "Banc d'essai"))
    rng = random.Random(40)
    pers = periodes.serie(periodes.mois(2021, 1), periodes.mois(2025, 12))[:N_PER]
    with db.unit_of_work() as s:
        s.add(Etablissement(raison_sociale="Établissement du banc d'essai", finess_ej="019990015"))
        for k in range(N_IND):
            taux = k % 2 == 0
            ind = Indicateur(
                code=f"B{k:02d}", libelle=f"Indicateur de mesure n° {k + 1}", theme=["Hygiène", "Sécurité", "Parcours", "Médicament"][k % 4],
                secteur="TOUS", type="taux" if taux else "moyenne", unite="%" if taux else "min", sens="hausse" if k % 3 else "baisse",
                source="institutionnel", periodicite="mensuelle", echelle=100.0, suivi=True, graphique="auto",
            )  # fmt: skip
            s.add(ind)
            s.flush()
            s.add(IndicateurCible(indicateur_id=ind.id, cible=80.0 if taux else 30.0, seuil_alerte=70.0 if taux else 40.0, debut=date(2020, 1, 1)))
            for i, p in enumerate(pers):
                shift = 0.06 if i > 40 and k % 5 == 0 else 0.0
                if taux:
                    den = rng.randint(80, 160)
                    num = min(den, round(den * (0.78 + shift) + rng.gauss(0, 3)))
                    s.add(IndicateurMesure(indicateur_id=ind.id, periode=p.code, periode_debut=p.debut, numerateur=float(num), denominateur=float(den), valeur=100.0 * num / den))
                else:
                    s.add(IndicateurMesure(indicateur_id=ind.id, periode=p.code, periode_debut=p.debut, valeur=round(rng.gauss(32, 4), 1)))
        s.add(TableauDeBord(nom="Banc", filtres="{}", indicateurs="[]"))
    return db


def bench_dashboard(db) -> list[float]:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from qualite_app.gui.app import setup_application
    from qualite_app.gui.context import AppContext, ChangeBus
    from qualite_app.gui.indicateurs.dashboard import DashboardView
    from qualite_app.settings import Settings

    app = QApplication.instance() or QApplication([])
    setup_application(app)  # type: ignore[arg-type]
    ctx = AppContext(db, ChangeBus(), Settings())
    times = []
    for _ in range(5):
        t = time.perf_counter()
        view = DashboardView(ctx)
        view.resize(1400, 900)
        view.show()
        app.processEvents()
        view.repaint()  # paint every visible card (sparklines, icons) now
        times.append(time.perf_counter() - t)
        assert len(view.cards) == N_IND
        view.close()
        view.deleteLater()
        app.processEvents()
    return times


def bench_spc() -> dict[str, float]:
    from qualite_app.rules import spc

    rng = random.Random(10_000)
    vals = [rng.gauss(50, 5) for _ in range(10_000)]
    dens = [rng.randint(80, 160) for _ in range(10_000)]
    nums = [round(d * 0.3 + rng.gauss(0, 3)) for d in dens]
    out = {}
    for name, fn in (
        ("xmr", lambda: spc.compute(vals, direction=spc.HAUSSE, target=55)),
        ("p", lambda: spc.compute(chart=spc.P, numerators=nums, denominators=dens, scale=100, direction=spc.HAUSSE)),
        ("run", lambda: spc.compute(vals, chart=spc.RUN)),
    ):
        runs = []
        for _ in range(15):
            t = time.perf_counter()
            fn()
            runs.append((time.perf_counter() - t) * 1000)
        out[name] = statistics.median(runs)
        out[name + "_min"] = min(runs)
    return out


def bench_report(db, repeat: int = 3) -> tuple[list[float], int]:  # type: ignore[no-untyped-def]
    """The report built ``repeat`` times (the first includes ReportLab's and the fonts' first use)."""
    from qualite_app.indicateurs import rapport as rap

    times, pages = [], 0
    for _ in range(repeat):
        t = time.perf_counter()
        out = rap.emettre_tableau(db, "Banc")
        times.append(time.perf_counter() - t)
        pages = out.pages
    return times, pages


def bench_charts(db) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(vector, matplotlib raster) seconds to draw the report's 40 control charts onto a PDF canvas."""
    import io

    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from qualite_app.indicateurs import services as svc
    from qualite_app.indicateurs.report import VARIATION
    from qualite_app.reports import charts
    from qualite_app.reports import styles as st
    from qualite_app.reports.spc_vector import SpcChart

    st.stylesheet()
    series = [c.serie for c in svc.cartes(db, svc.get_tableau(db, "Banc").filtres, garder_series=True)]
    width = 210 * mm - 2 * st.PAGE_MARGIN

    def vectors() -> None:
        canv = Canvas(io.BytesIO())
        for s in series:
            chart = SpcChart(s, width, width * 8.2 / 17.4, point_labels=VARIATION)
            chart.wrapOn(canv, width, 800)
            chart.drawOn(canv, 0, 0)
            canv.showPage()
        canv.save()

    def rasters() -> None:  # what the report did until issue 14
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from PIL import Image as PILImage
        from reportlab.lib.utils import ImageReader

        canv = Canvas(io.BytesIO())
        for s in series:
            fig = charts.spc_figure(s, width_cm=17.4, height_cm=8.2)
            fig.set_dpi(125)
            agg = FigureCanvasAgg(fig)
            agg.draw()
            w, h = agg.get_width_height()
            pil = PILImage.frombuffer("RGBA", (w, h), agg.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
            canv.drawImage(ImageReader(pil), 0, 0, width, width * h / w)
            canv.showPage()
        canv.save()

    out = []
    for fn in (vectors, rasters):
        fn()  # imports and first use outside the measure
        runs = []
        for _ in range(3):
            t = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - t)
        out.append(min(runs))
    return out[0], out[1]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        db = build_database(Path(tmp))
        print(f"Base de test : {N_IND} indicateurs × {N_PER} périodes en {time.perf_counter() - t:.1f} s")
        dash = bench_dashboard(db)
        spc_ms = bench_spc()
        report_runs, pages = bench_report(db)
        from benchmarks.rapport_vide import temps_rapport_vide

        empty_s = temps_rapport_vide(pages)
        charts_vector_s, charts_raster_s = bench_charts(db)
        db.close()
    report_s = min(report_runs)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    results = {
        "tableau_de_bord_s": statistics.median(dash),
        "tableau_de_bord_premier_s": dash[0],
        "spc_10000_ms": spc_ms["xmr"],
        "spc_10000_p_ms": spc_ms["p"],
        "spc_10000_run_ms": spc_ms["run"],
        "spc_10000_min_ms": spc_ms["xmr_min"],
        "rapport_40_s": report_s,
        "rapport_40_premier_s": report_runs[0],
        "rapport_vide_meme_nombre_de_pages_s": empty_s,
        "rapport_40_sur_rapport_vide": report_s / empty_s,
        "graphiques_40_vectoriels_s": charts_vector_s,
        "graphiques_40_matplotlib_s": charts_raster_s,
        "rapport_pages": pages,
        "charge_systeme": load,
    }
    print(f"Tableau de bord affiché (40 cartes) : médiane {results['tableau_de_bord_s'] * 1000:.0f} ms, premier {dash[0] * 1000:.0f} ms  (référence < 500 ms)")
    print(f"SPC sur 10 000 points : XmR {spc_ms['xmr']:.1f} ms (min {spc_ms['xmr_min']:.1f}), p {spc_ms['p']:.1f} ms, séquences {spc_ms['run']:.1f} ms  (référence < 20 ms)")
    print(
        f"Rapport de 40 indicateurs : {report_s:.2f} s (meilleur de {len(report_runs)}, premier {report_runs[0]:.2f} s), "
        f"{pages} pages  (cible < 3 s)"
    )
    print(
        f"  rapport vide de {pages} pages (même gabarit, référence du même passage) : {empty_s:.2f} s "
        f"→ rapport = {report_s / empty_s:.1f} × le rapport vide"
    )
    print(
        f"  les 40 courbes seules : vectorielles {charts_vector_s:.2f} s, matplotlib en image (avant) "
        f"{charts_raster_s:.2f} s → {charts_raster_s / charts_vector_s:.0f} × plus rapides"
    )
    print(f"Charge du système pendant la mesure : {load:.2f}")
    ok = all(results[k] < v for k, v in BASELINES.items())
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "dashboard.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print("Toutes les références sont tenues." if ok else "ATTENTION : une référence n'est pas tenue.")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
