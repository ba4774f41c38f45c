"""Benchmark of the indicator dashboards (issue 5).

Baselines: 40 indicators × 60 monthly periods — dashboard shown (cards with sparklines and SPC state)
< 0.5 s; SPC on 10,000 points < 20 ms; the 40-indicator report < 10 s.

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

BASELINES = {"tableau_de_bord_s": 0.5, "spc_10000_ms": 20.0, "rapport_40_s": 10.0}
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


def bench_report(db) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    from qualite_app.indicateurs import rapport as rap

    t = time.perf_counter()
    out = rap.emettre_tableau(db, "Banc")
    return time.perf_counter() - t, out.pages


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        db = build_database(Path(tmp))
        print(f"Base de test : {N_IND} indicateurs × {N_PER} périodes en {time.perf_counter() - t:.1f} s")
        dash = bench_dashboard(db)
        spc_ms = bench_spc()
        report_s, pages = bench_report(db)
        db.close()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    results = {
        "tableau_de_bord_s": statistics.median(dash),
        "tableau_de_bord_premier_s": dash[0],
        "spc_10000_ms": spc_ms["xmr"],
        "spc_10000_p_ms": spc_ms["p"],
        "spc_10000_run_ms": spc_ms["run"],
        "spc_10000_min_ms": spc_ms["xmr_min"],
        "rapport_40_s": report_s,
        "rapport_pages": pages,
        "charge_systeme": load,
    }
    print(f"Tableau de bord affiché (40 cartes) : médiane {results['tableau_de_bord_s'] * 1000:.0f} ms, premier {dash[0] * 1000:.0f} ms  (référence < 500 ms)")
    print(f"SPC sur 10 000 points : XmR {spc_ms['xmr']:.1f} ms (min {spc_ms['xmr_min']:.1f}), p {spc_ms['p']:.1f} ms, séquences {spc_ms['run']:.1f} ms  (référence < 20 ms)")
    print(f"Rapport de 40 indicateurs : {report_s:.1f} s, {pages} pages  (référence < 10 s)")
    print(f"Charge du système pendant la mesure : {load:.2f}")
    ok = all(results[k] < v for k, v in BASELINES.items())
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "dashboard.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print("Toutes les références sont tenues." if ok else "ATTENTION : une référence n'est pas tenue.")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
