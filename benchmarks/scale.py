"""The director's morning at hospital scale: the window, the home page, the global search and every area.
Run from the repository root:

    PYTHONPATH=$PWD QT_QPA_PLATFORM=offscreen python benchmarks/scale.py --quick             # the demo base
    PYTHONPATH=$PWD QT_QPA_PLATFORM=offscreen python benchmarks/scale.py --db /tmp/qualite-scale.sqlite

The full base (``--db PATH``: built there the first time — about a minute of CPU —, reused afterwards;
nothing is written in a reused base): the demo establishment (27 services) grown to 100,000 events (the
events area's generator), 10,000 PAQSS actions (the PAQSS benchmark's workbook, imported and journaled),
30 monthly indicators × 27 services × 10 years of results (≈ 100,000 rows, bulk inserted as the services
shape them), 2,000 evidence files, 3 campaigns answered on every element and 5 crisis plans.
``--build-only`` builds (or describes) the base and stops. ``--quick``: the demo base, CI-sized.
``--parts de``: only the parts named (here (d) and (e), a minute instead of several; default: all).

One line per measure with its target:
(a) the window, as fresh processes (``benchmarks/startup.py``): start → first paint of the application
    (header, sidebar, the home page's skeleton) against a bare PySide6 window measured the same way in
    the same run — target ≤ 1.5× —, and start → home page filled with its real content, painted (never the
    skeleton) — target 0.5 s: with the page kept at the previous launch (``accueil/memoire.py``: the base
    unchanged since, the same day), and computed (its kept file removed before each such launch); then,
    in process, the window built and its home page computed the normal way, after the base is opened (what
    a launch on the team's server pays, having no cold path: analysis, no target);
(b) « Aujourd'hui »: ``accueil.attention`` warm and each area's share — target 100 ms;
(c) a search keystroke: ``recherche.chercher`` for each prefix of a few words — target 50 ms;
(d) every area's page, first and later display, once the areas' code has been imported, and their first
    reads run (``Page.prechauffer``), in idle time after the home page (``MainWindow.warmed``) — targets
    150 ms and 50 ms;
(e) opening an item as « Aujourd'hui » and the search do, and filtering the long lists (PAQSS, events,
    Historique) by text — target 150 ms;
(f) the process's peak RSS after all that — target 300 MB.
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


def build(path: Path, events: int, actions: int = 0, *, full: bool = True) -> Path:
    """The scale base at ``path``: the demo establishment grown to ``events`` events and ``actions`` PAQSS
    actions and, when ``full``, to 30 monthly indicators × every service × 10 years of results, 2,000
    evidence files, 3 campaigns and 5 crisis plans. Services where they are fast enough (journaled, as the
    director would), bulk inserts of rows shaped as the services write them for the indicator results."""
    from qualite_app.demo import load_demo
    from qualite_app.storage.database import Database

    db = Database.open(path)
    today = date.today()
    load_demo(db, today)
    step = time.perf_counter()

    def done(what: str) -> None:
        nonlocal step
        print(f"  {what} : {time.perf_counter() - step:.1f} s", flush=True)
        step = time.perf_counter()

    if events > 1500:
        from qualite_app.evenements import demo as ev_demo

        with db.unit_of_work() as s:
            rows = ev_demo.events(s, today, random.Random(5), n=events - 1500, years=5)
            for r in rows:  # distinct from the demo's references
                r["reference"] = "B" + str(r["reference"])
            ev_demo.insert_events(s, rows)
        done(f"{events} événements")
    if actions:  # the PAQSS benchmark's workbook, imported as the director would (journaled)
        from qualite_app.paqss import echanges

        xlsx = path.with_name(f"paqss-{actions}.xlsx")
        _bench_module("paqss").make_workbook(xlsx, actions)
        echanges.import_file(db, xlsx)
        xlsx.unlink()
        done(f"{actions} actions importées")
    if full:
        _grow_indicators(db, today)
        done("résultats d'indicateurs")
        _grow_certification(db, Path(tempfile.mkdtemp(prefix="preuves-")), today)
        done("preuves et campagnes")
        _grow_crisis(db)
        done("plans de crise")
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as c:
            c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


N_INDICATORS, N_MONTHS = 30, 120


def _items(path: Path) -> list[tuple[str, str, int]]:
    """Items to open: the last action, the oldest event, an indicator followed in every service, the
    last risk, the last crisis plan (read-only SQLite)."""
    import sqlite3

    c = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = []
        for area, kind, sql in (
            ("paqss", "action", "SELECT max(id) FROM paqss_action"),
            ("evenements", "evenement", "SELECT min(id) FROM evenement"),
            ("indicateurs", "indicateur", "SELECT max(indicateur_id) FROM indicateur_service"),
            ("risques", "risque", "SELECT max(id) FROM risque"),
            ("crise", "plan", "SELECT max(id) FROM crise_plan"),
        ):
            found = c.execute(sql).fetchone()[0]
            if found is not None:
                out.append((area, kind, int(found)))
        return out
    finally:
        c.close()


def _describe(path: Path) -> None:
    """What the measured base holds (one line)."""
    import sqlite3

    if not path.exists():
        return
    c = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        counts = {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608 (names below)
                  for t in ("paqss_action", "indicateur", "indicateur_mesure", "evenement", "certif_preuve",
                            "certif_campagne", "crise_plan")}  # fmt: skip
    finally:
        c.close()
    print("Base : " + ", ".join(f"{n} {t}" for t, n in counts.items()), flush=True)


def _grow_indicators(db, today: date) -> None:  # type: ignore[no-untyped-def]
    """30 monthly indicators (the demo's, completed) followed in every service, 10 years of monthly
    results per service: ≈ 100,000 rows, inserted in bulk as ``indicateurs.services`` shapes them."""
    from sqlalchemy import insert, select

    from qualite_app.etablissement.models import Service
    from qualite_app.indicateurs.models import (
        Indicateur,
        IndicateurCible,
        IndicateurMesure,
        indicateur_service,
    )
    from qualite_app.rules import periodes

    rng = random.Random(30)
    with db.unit_of_work() as s:
        monthly = list(
            s.scalars(select(Indicateur).where(Indicateur.periodicite == "mensuelle").order_by(Indicateur.id))
        )
        for k in range(N_INDICATORS - len(monthly)):
            taux = k % 2 == 0
            ind = Indicateur(
                code=f"ECH-{k + 1:02d}", libelle=f"Indicateur de service n° {k + 1}", theme=["Hygiène", "Sécurité", "Parcours", "Médicament"][k % 4],
                secteur="TOUS", type="taux" if taux else "moyenne", unite="%" if taux else "min", sens="hausse" if k % 3 else "baisse",
                source="institutionnel", periodicite="mensuelle", echelle=100.0, suivi=True, graphique="auto",
            )  # fmt: skip
            s.add(ind)
            s.flush()
            s.add(
                IndicateurCible(
                    indicateur_id=ind.id,
                    cible=80.0 if taux else 30.0,
                    seuil_alerte=70.0 if taux else 40.0,
                    debut=date(2015, 1, 1),
                )
            )
            monthly.append(ind)
        services = list(s.scalars(select(Service.id).order_by(Service.id)))
        linked = {
            tuple(r)
            for r in s.execute(select(indicateur_service.c.indicateur_id, indicateur_service.c.service_id))
        }
        s.execute(
            insert(indicateur_service),
            [
                {"indicateur_id": i.id, "service_id": sid}
                for i in monthly
                for sid in services
                if (i.id, sid) not in linked
            ],
        )
        have = {
            tuple(r)
            for r in s.execute(
                select(IndicateurMesure.indicateur_id, IndicateurMesure.service_id, IndicateurMesure.periode)
            )
        }
        last = periodes.mois(today.year, today.month)
        months = periodes.serie(periodes.mois(today.year - 10, today.month), last)[-N_MONTHS - 1 : -1]
        rows = []
        for ind in monthly:
            taux = ind.type == "taux"
            for sid in services:
                level = rng.uniform(0.6, 0.95)
                for p in months:
                    if (ind.id, sid, p.code) in have:
                        continue
                    row = {"indicateur_id": ind.id, "periode": p.code, "periode_debut": p.debut, "service_id": sid,
                           "source": "Banc d'essai", "numerateur": None, "denominateur": None}  # fmt: skip
                    if taux:
                        den = rng.randint(20, 120)
                        num = min(den, max(0, round(den * level + rng.gauss(0, 3))))
                        row.update(
                            numerateur=float(num),
                            denominateur=float(den),
                            valeur=round(ind.echelle * num / den, 2),
                        )
                    else:
                        row["valeur"] = round(rng.gauss(32, 4), 1)
                    rows.append(row)
        for k in range(0, len(rows), 10_000):
            s.execute(insert(IndicateurMesure), rows[k : k + 10_000])
    print(f"  {len(monthly)} indicateurs mensuels × {len(services)} services : {len(rows)} résultats ajoutés")


def _grow_certification(db, folder: Path, today: date, files: int = 2000, campaigns: int = 3) -> None:  # type: ignore[no-untyped-def]
    """Up to ``files`` evidence files (small, distinct) dropped criterion by criterion, and up to
    ``campaigns`` campaigns, the new ones answered on every element."""
    from datetime import timedelta

    from qualite_app.certification import campagnes, preuves, referentiels

    camps = campagnes.campagnes(db)
    rid = camps[0].referentiel_id
    nodes = referentiels.noeuds(db, rid)
    crits = [n.id for n in nodes if n.type == "critere"]
    elements = [n.id for n in nodes if n.evaluable]
    missing = files - preuves.compter(db)
    drop = folder / "preuves"
    drop.mkdir(exist_ok=True)
    rng = random.Random(2000)
    k = 0
    while k < missing:
        batch = []
        for _ in range(min(25, missing - k)):
            f = drop / f"preuve_{k:04d}.pdf"
            f.write_bytes(b"%PDF-1.4\n% preuve " + str(k).encode() + rng.randbytes(rng.randint(200, 4000)))
            batch.append(
                preuves.FichierADeposer(
                    f,
                    f.name,
                    f.stat().st_size,
                    f"Preuve d'échelle {k + 1}",
                    today - timedelta(days=rng.randint(61, 900)),
                )
            )
            k += 1
        crit = crits[(k // 25) % len(crits)]
        until = today + timedelta(days=rng.randint(-60, 700)) if rng.random() < 0.5 else None
        preuves.deposer(db, batch, [crit], valide_jusqu_au=until)
        for f in batch:
            f.chemin.unlink()
    values = ("conforme", "conforme", "partiel", "non_conforme")
    for c in range(len(camps), campaigns):
        cid = campagnes.creer_campagne(db, f"Campagne d'échelle {c + 1}", rid)
        by_value: dict[str, list[int]] = {}
        for e in elements:
            by_value.setdefault(rng.choice(values), []).append(e)
        for v, ids in by_value.items():
            campagnes.repondre(db, cid, ids, campagnes.Reponse(v))


def _grow_crisis(db, plans: int = 5) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.crise import modeles
    from qualite_app.crise import services as crise

    keys = sorted(modeles.modeles())
    for k in range(len(crise.plans(db)), plans):
        crise.nouveau_plan_depuis_modele(db, keys[k % len(keys)], f"Plan d'échelle n° {k + 1}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="the demo base only (CI-sized)")
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--actions", type=int, default=10_000, help="PAQSS actions in all (the demo's included)")
    ap.add_argument("--runs", type=int, default=5, help="process start-ups measured (medians)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary base built (reuse it with --db)")
    ap.add_argument(
        "--db",
        type=Path,
        help="the base to measure: reused when the file exists (nothing is written in it), else built there "
        "and kept (a cache, e.g. /tmp/qualite-scale.sqlite)",
    )
    ap.add_argument("--build-only", action="store_true", help="build (or describe) the base, measure nothing")
    ap.add_argument(
        "--parts",
        default="abcdef",
        help="the parts to measure, e.g. « de » for the pages and the items only (default: all, abcdef)",
    )
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    os.environ.setdefault("QUALITE_DATA_DIR", str(tmp / "donnees"))
    path = args.db or tmp / "scale.sqlite"
    if path.exists():
        print(f"Base réutilisée : {path}")
    else:
        t = time.perf_counter()
        if args.quick:
            build(path, 1500, full=False)
        else:
            build(path, args.events, args.actions - 107, full=True)  # the demo holds 107 actions
        print(f"Base construite en {time.perf_counter() - t:.1f} s : {path}")
    _describe(path)
    if args.build_only:
        return 0

    parts = set(args.parts)
    # (a) the window's first paint, as fresh processes (benchmarks/startup.py), against a bare PySide6 window
    if "a" in parts:
        _startup(path, tmp, args.runs)
    _in_process(path, parts)
    if args.keep and not args.db:
        kept = Path(tempfile.gettempdir()) / f"qualite-scale-{os.getpid()}.sqlite"
        path.rename(kept)
        print(f"Base conservée : {kept} (--db pour la mesurer de nouveau)")
    else:  # the built base and the day's automatic backups of the measured one: hundreds of MB
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _startup(path: Path, tmp: Path, runs_count: int) -> None:
    startup = _bench_module("startup")
    env = dict(os.environ, QUALITE_SMOKE_TEST="1", QUALITE_CONFIG_DIR=str(tmp / "config"))
    env = startup.with_bytecode(env, tmp / "pycache")  # as installed: the .pyc written by the warm-up
    env.pop("QUALITE_DB", None)
    programs = {
        "app": [sys.executable, "-m", "qualite_app", "--db", str(path)],
        "bare": [sys.executable, "-c", startup.BARE_WINDOW],
    }
    for cmd in programs.values():  # warm-up: disk cache, .pyc files, the day's automatic backup
        startup.measure(cmd, env)  # (the application's computes « Aujourd'hui » and keeps it)
    from qualite_app.accueil import memoire

    kept_file = memoire.fichier(str(path.resolve()))
    runs: dict[str, list[float]] = {k: [] for k in programs}
    filled: dict[bool, list[float]] = {True: [], False: []}
    hits = 0
    for _ in range(runs_count):
        for k, cmd in programs.items():
            painted, home, kept, _ended = startup.measure_launch(cmd, env)
            runs[k].append(painted)
            if k == "app" and home is not None:
                filled[True].append(home)
                hits += bool(kept)
        # the same launch without the kept page (first launch, or the base changed since): computed
        kept_file.unlink(missing_ok=True)
        _painted, home, _kept, _ended = startup.measure_launch(programs["app"], env)
        if home is not None:
            filled[False].append(home)
    bare_s, app_s = statistics.median(runs["bare"]), statistics.median(runs["app"])
    report(f"Processus : fenêtre PySide6 nue peinte (médiane de {runs_count})", bare_s)
    report("Processus : fenêtre de l'application peinte", app_s, bare_s * 1.5 * 1000)
    print(f"{'  rapport à la fenêtre nue':<58} {app_s / bare_s:9.2f} ×  (cible ≤ 1,5 ×)")
    if filled[True]:
        report(
            f"Processus : « Aujourd'hui » rempli, page gardée ({hits}/{runs_count})",
            statistics.median(filled[True]),
            500,
        )
        print(f"{'  rapport à la fenêtre nue':<58} {statistics.median(filled[True]) / bare_s:9.2f} ×")
    if filled[False]:
        report(
            "Processus : « Aujourd'hui » rempli, calculé (rien de gardé)", statistics.median(filled[False]), 500
        )
        print(f"{'  rapport à la fenêtre nue':<58} {statistics.median(filled[False]) / bare_s:9.2f} ×")


def _in_process(path: Path, parts: set[str]) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    from qualite_app.gui.app import setup_application
    from qualite_app.settings import Settings
    from qualite_app.storage.database import Database

    db = Database.open(path)
    setup_application(app)  # type: ignore[arg-type]
    from qualite_app.accueil import memoire

    memoire.fichier(str(path.resolve())).unlink(missing_ok=True)  # in process: the page computed (its first queries, its imports)
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
    # the normal path (the base opened first, the areas' code not yet imported): what a launch pays on the
    # team's server, or when the base must be migrated first — a launch on a SQLite file computes the page
    # before opening the base (« Processus : … calculé » above, the 0.5 s): no target here
    report("En processus : « Aujourd'hui » par le chemin normal (base ouverte d'abord)", time.perf_counter() - t0)

    if "b" in parts:
        _home(db, app, page)
    if "c" in parts:
        _search(db)
    if "d" in parts:
        _pages(w, app)
    if "e" in parts:
        _items_and_filters(w, app, path)
    if "f" in parts:
        _memory()
    w.close()
    db.close()
    over = [label for label, ms, target in LINES if target is not None and ms > target]
    print(f"\n{len(over)} mesure(s) au-delà de leur cible" + (" : " + " ; ".join(over) if over else "."))


def _home(db, app, page) -> None:  # type: ignore[no-untyped-def]
    # (b) the home page's data
    from qualite_app.accueil import memoire
    from qualite_app.accueil import services as accueil

    report("attention() à chaud (meilleur de 5)", best(lambda: accueil.attention(db)), 100)
    today = date.today()
    for key, source in accueil.SOURCES.items():
        report(f"  dont {key}", best(lambda source=source: source(db, today, None)))  # type: ignore[misc]
    from datetime import timedelta

    report(
        f"  jours suivants calculés d'avance au repos ({memoire.JOURS_D_AVANCE} jours)",
        best(
            lambda: [
                accueil.attention(db, today + timedelta(days=k)) for k in range(1, memoire.JOURS_D_AVANCE + 1)
            ],
            2,
        ),
    )
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


def _search(db) -> None:  # type: ignore[no-untyped-def]
    # (c) search keystrokes
    from qualite_app.accueil import recherche

    per_key = []
    for word in ("douleur", "securite", "EI-2026-004", "helene", "plan blanc"):
        for i in range(1, len(word) + 1):
            per_key.append(best(lambda q=word[:i]: recherche.chercher(db, q), 3))  # type: ignore[misc]
    report("Recherche : frappe la plus lente", max(per_key), 50)
    report("Recherche : frappe médiane", statistics.median(per_key), 50)


def _pages(w, app) -> None:  # type: ignore[no-untyped-def]
    # (d) every area's page, first and later display, once the window has settled (the areas' code is
    # imported in idle time after the home page is filled: ``MainWindow.warmed``)
    t = time.perf_counter()
    while not getattr(w, "warmed", True):
        app.processEvents()
    report("Code des domaines importé au repos (après l'accueil)", time.perf_counter() - t)
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


def _items_and_filters(w, app, path: Path) -> None:  # type: ignore[no-untyped-def]
    # (e) opening an item (as « Aujourd'hui » and the search do) and filtering the long lists
    for area, kind, item in _items(path):
        t = time.perf_counter()
        opened = w.open_item(area, kind, item)
        app.processEvents()
        report(f"Ouvrir un élément : {kind} ({area})", time.perf_counter() - t, 150)
        detail = getattr(opened, "detail", None)  # an indicator: its chart is drawn after the detail's paint
        if detail is not None and hasattr(detail, "chart_pending"):
            while detail.chart_pending():
                app.processEvents()
            report("  puis son graphique dessiné (matplotlib, après l'affichage)", time.perf_counter() - t)
        editor = getattr(opened, "editor", None)
        if editor is not None:
            editor.close()
            app.processEvents()
    for area, box, apply, text in (
        ("paqss", "filters.search", "apply_filters", "douleur"),
        ("evenements", "search", "apply_filter", "chute"),
        ("historique", "search", "refresh_list", "action"),
    ):
        page = w.page(area)
        field = page
        for name in box.split("."):
            field = getattr(field, name)
        for label, value in ((f"« {text} »", text), ("effacé", "")):
            field.blockSignals(True)  # the debounce timers stay idle: the filter is applied once, here
            field.setText(value)
            field.blockSignals(False)
            t = time.perf_counter()
            getattr(page, apply, page.reload)()
            app.processEvents()
            report(f"Filtrer {area} : texte {label}", time.perf_counter() - t, 150)


def _memory() -> None:
    try:
        import resource

        print(
            f"{'Mémoire (RSS max) après toutes les pages':<58} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:9.0f} Mo  (cible 300 Mo)"
        )
    except ImportError:
        pass


if __name__ == "__main__":
    raise SystemExit(main())
