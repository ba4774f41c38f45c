"""The director's morning at scale: the home page, the global search and every area's page. Run from the
repository root:

    PYTHONPATH=$PWD QT_QPA_PLATFORM=offscreen python benchmarks/scale.py --quick      # the demo base
    PYTHONPATH=$PWD QT_QPA_PLATFORM=offscreen python benchmarks/scale.py [--events 100000] [--db base.sqlite]

One line per measure with its target:
(a) « Aujourd'hui »: ``accueil.attention`` cold (first call of the process, imports included) and warm,
    and each area's share — target: home filled under 100 ms warm;
(b) the window: process start → first paint of the application (header, sidebar, the home page's
    skeleton) against a bare PySide6 window process, measured the same way in the same run
    (``benchmarks/startup.py``) — target ≤ 1.5×; then, in process, the window built and the home page
    filled — target 0.5 s;
(c) a search keystroke: ``recherche.chercher`` for each prefix of a few words — target under 50 ms each;
(d) every area's page: first and later display — targets 150 ms and 50 ms.

``--quick`` measures the demo base (≈ 1,500 events, 90 actions); without it the demo base is grown to
``--events`` events (the events area's own generator) and ``--actions`` PAQSS actions (the PAQSS
benchmark's workbook, imported). The 100,000 indicator results, 2,000 evidence files, 3 campaigns and
5 crisis plans of the full scale base are not generated yet: pass ``--db`` to measure such a base.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

LINES: list[tuple[str, float, float | None]] = []


def report(label: str, seconds: float, target_ms: float | None = None) -> None:
    ms = seconds * 1000
    LINES.append((label, ms, target_ms))
    verdict = "" if target_ms is None else ("  ✓" if ms <= target_ms else "  ✗ DÉPASSÉ")
    cible = f"  (cible {target_ms:.0f} ms)" if target_ms is not None else ""
    print(f"{label:<58} {ms:9.1f} ms{cible}{verdict}", flush=True)


def best(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def _bench_module(name: str):  # type: ignore[no-untyped-def]
    """Another benchmark script of this folder, as a module (its base builders and measures)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"bench_{name}", Path(__file__).with_name(f"{name}.py"))
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def build(folder: Path, events: int, actions: int = 0) -> Path:
    from qualite_app.demo import load_demo
    from qualite_app.storage.database import Database

    path = folder / "scale.sqlite"
    db = Database.open(path)
    today = date.today()
    load_demo(db, today)
    if events > 1500:
        from qualite_app.evenements import demo as ev_demo

        with db.unit_of_work() as s:
            rows = ev_demo.events(s, today, random.Random(5), n=events - 1500, years=5)
            for r in rows:  # distinct from the demo's references
                r["reference"] = "B" + str(r["reference"])
            ev_demo.insert_events(s, rows)
    if actions:  # the PAQSS benchmark's workbook, imported as the director would (journaled)
        from qualite_app.paqss import echanges

        xlsx = folder / f"paqss-{actions}.xlsx"
        _bench_module("paqss").make_workbook(xlsx, actions)
        echanges.import_file(db, xlsx)
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as c:
            c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="the demo base only")
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--actions", type=int, default=10_000, help="PAQSS actions added to the demo's")
    ap.add_argument("--runs", type=int, default=5, help="process start-ups measured (medians)")
    ap.add_argument("--keep", action="store_true", help="keep the built base (reuse it with --db)")
    ap.add_argument("--db", type=Path, help="measure this base (a copy is not made: nothing is written)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    os.environ.setdefault("QUALITE_DATA_DIR", str(tmp / "donnees"))
    if args.db:
        path = args.db
    else:
        t = time.perf_counter()
        path = build(tmp, 1500 if args.quick else args.events, 0 if args.quick else args.actions)
        print(f"Base construite en {time.perf_counter() - t:.1f} s : {path}")

    from PySide6.QtWidgets import QApplication

    # (b) the window's first paint, as fresh processes (benchmarks/startup.py), against a bare PySide6 window
    startup = _bench_module("startup")
    env = dict(os.environ, QUALITE_SMOKE_TEST="1", QUALITE_CONFIG_DIR=str(tmp / "config"))
    env.pop("QUALITE_DB", None)
    programs = {
        "app": [sys.executable, "-m", "qualite_app", "--db", str(path)],
        "bare": [sys.executable, "-c", startup.BARE_WINDOW],
    }
    for cmd in programs.values():  # warm-up: disk cache, .pyc files, the day's automatic backup
        startup.measure(cmd, env)
    runs: dict[str, list[float]] = {k: [] for k in programs}
    for _ in range(args.runs):
        for k, cmd in programs.items():
            runs[k].append(startup.measure(cmd, env)[0])
    bare_s, app_s = statistics.median(runs["bare"]), statistics.median(runs["app"])
    report(f"Processus : fenêtre PySide6 nue peinte (médiane de {args.runs})", bare_s)
    report("Processus : fenêtre de l'application peinte", app_s, bare_s * 1.5 * 1000)
    print(f"{'  rapport à la fenêtre nue':<58} {app_s / bare_s:9.2f} ×  (cible ≤ 1,5 ×)")

    app = QApplication.instance() or QApplication(sys.argv)
    from qualite_app.gui.app import setup_application
    from qualite_app.settings import Settings
    from qualite_app.storage.database import Database

    db = Database.open(path)
    setup_application(app)  # type: ignore[arg-type]
    t0 = time.perf_counter()
    from qualite_app.gui.main_window import MainWindow

    w = MainWindow(db, Settings())
    w.show()
    app.processEvents()
    w.grab()
    painted = time.perf_counter() - t0
    report("En processus : fenêtre construite et peinte (squelette)", painted)
    page = w._pages["accueil"]
    while not page.loaded:
        app.processEvents()
    report("Page « Aujourd'hui » remplie depuis la construction", time.perf_counter() - t0, 500)

    # (a) the home page's data
    from qualite_app.accueil import services as accueil

    report("attention() à chaud (meilleur de 5)", best(lambda: accueil.attention(db)), 100)
    today = date.today()
    for key, source in accueil.SOURCES.items():
        report(f"  dont {key}", best(lambda source=source: source(db, today, None)))  # type: ignore[misc]
    report(
        "Résumé depuis la dernière visite (depuis le 1er du mois)",
        best(lambda: accueil.depuis_derniere_visite(db, today.replace(day=1))),
    )

    def refill() -> None:  # every area, one per turn of the event loop, then the digest
        page.loaded = False
        page._fill()
        while not page.loaded:
            app.processEvents()

    report("Page « Aujourd'hui » : actualisation complète", best(refill), 100)

    # (c) search keystrokes
    from qualite_app.accueil import recherche

    per_key = []
    for word in ("douleur", "securite", "EI-2026-004", "helene", "plan blanc"):
        for i in range(1, len(word) + 1):
            per_key.append(best(lambda q=word[:i]: recherche.chercher(db, q), 3))  # type: ignore[misc]
    report("Recherche : frappe la plus lente", max(per_key), 50)
    report("Recherche : frappe médiane", statistics.median(per_key), 50)

    # (d) every area's page, first and later display
    from qualite_app.gui.pages import PAGES

    for spec in PAGES:
        if spec.key == "accueil":
            continue
        t = time.perf_counter()
        w.page(spec.key)
        app.processEvents()
        first = time.perf_counter() - t
        w.page("accueil")
        app.processEvents()
        t = time.perf_counter()
        w.page(spec.key)
        app.processEvents()
        later = time.perf_counter() - t
        report(f"Page {spec.label} : première ouverture", first, 150)
        report(f"Page {spec.label} : ouverture suivante", later, 50)
    try:
        import resource

        print(
            f"{'Mémoire (RSS max) après toutes les pages':<58} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:9.0f} Mo  (cible 300 Mo)"
        )
    except ImportError:
        pass
    w.close()
    db.close()
    over = [label for label, ms, target in LINES if target is not None and ms > target]
    print(f"\n{len(over)} mesure(s) au-delà de leur cible" + (" : " + " ; ".join(over) if over else "."))
    if args.keep and not args.db:
        print(f"Base conservée : {path} (--db pour la mesurer de nouveau)")
    else:  # the built base and the day's automatic backups of the measured one: hundreds of MB
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
