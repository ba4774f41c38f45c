"""Team mode on a local PostgreSQL server. Run from the repository root, with a server for tests:

    eval "$(bash tools/pg-test-server start)"
    PYTHONPATH=$PWD QT_QPA_PLATFORM=offscreen python benchmarks/equipe.py [--actions 10000] [--writers 8] [--each 250]

(a) the PAQSS list with 10,000 actions, opened in the GUI's table model (query + model reset), first and
    later opening — target under 150 ms; the same on SQLite as the baseline of the same run;
(b) a save round trip (read the action, change it, save it journaled) — target under 30 ms;
(c) 8 processes saving concurrently — target at least 200 saves/s in total, no lost update (every action
    present, journal chain intact).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _fill(url: str, n: int) -> None:
    """n actions through the import (journaled), as a director's real programme would arrive."""
    from benchmarks.paqss import make_workbook
    from qualite_app.demo import load_demo
    from qualite_app.paqss import echanges as ex
    from qualite_app.storage.database import Database

    with Database.open(url) as db:
        load_demo(db)
        xlsx = Path(tempfile.mkdtemp()) / "paqss.xlsx"
        make_workbook(xlsx, n)
        _pv, res = ex.import_file(db, xlsx, ignorer_erreurs=True)
        assert res is not None


def _list_times(url: str, n: int, repeat: int = 5) -> tuple[float, float]:
    from PySide6.QtWidgets import QApplication

    from qualite_app.gui.paqss.model import ActionTableModel
    from qualite_app.storage.database import Database

    _app = QApplication.instance() or QApplication([])
    with Database.open(url) as db:
        t0 = time.perf_counter()
        model = ActionTableModel(db)
        model.refresh()
        first = time.perf_counter() - t0
        later = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            model.refresh()
            later.append(time.perf_counter() - t0)
        assert model.rowCount() >= n
    return first, min(later)


def _round_trips(url: str, n: int = 30) -> float:
    from qualite_app.paqss import services as paqss
    from qualite_app.storage.database import Database

    with Database.open(url) as db:
        ids = [a.id for a in paqss.list_actions(db)[:n]]
        times = []
        for k, aid in enumerate(ids):
            t0 = time.perf_counter()
            d = paqss.get_action(db, aid)
            d.avancement = (d.avancement + 10 + k) % 100
            paqss.save_action(db, d, confirme=True)
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _writer(url: str, objectif: int, k: int, each: int) -> float:
    from qualite_app.paqss import services as paqss
    from qualite_app.storage.database import Actor, Database

    with Database.open(url, actor=Actor(f"pilote{k}", f"Pilote {k}")) as db:
        t0 = time.perf_counter()
        for n in range(each):
            paqss.save_action(db, paqss.ActionData(objectif_id=objectif, titre=f"Charge {k}-{n}", echeance=date(2027, 1, 1 + n % 28)))
        return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--actions", type=int, default=10_000)
    ap.add_argument("--writers", type=int, default=8)
    ap.add_argument("--each", type=int, default=250)
    args = ap.parse_args()
    admin = os.environ.get("QUALITE_TEST_PG")
    if not admin:
        print("QUALITE_TEST_PG manquant : eval \"$(bash tools/pg-test-server start)\"", file=sys.stderr)
        return 2
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"bench_{uuid.uuid4().hex[:8]}"
    eng = create_engine(admin, isolation_level="AUTOCOMMIT")
    with eng.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    pg = make_url(admin).set(database=name).render_as_string(hide_password=False)
    sqlite = str(Path(tempfile.mkdtemp()) / "bench.sqlite")
    os.environ["QUALITE_DATA_DIR"] = tempfile.mkdtemp()
    try:
        for url in (sqlite, pg):
            _fill(url, args.actions)
        for label, url in (("SQLite (référence)", sqlite), ("PostgreSQL", pg)):
            first, later = _list_times(url, args.actions)
            print(f"(a) liste PAQSS {args.actions} actions, {label} : première ouverture {first * 1000:.0f} ms, suivantes {later * 1000:.0f} ms (cible < 150 ms)")
        for label, url in (("SQLite (référence)", sqlite), ("PostgreSQL", pg)):
            print(f"(b) aller-retour d'enregistrement, {label} : {_round_trips(url) * 1000:.1f} ms (médiane ; cible < 30 ms)")
        from qualite_app.paqss import services as paqss
        from qualite_app.socle import journal
        from qualite_app.storage.database import Database

        with Database.open(pg) as db:
            obj = paqss.objectif_choices(db, paqss.programme_courant(db))[0][0]
            before = paqss.summary(db).total
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(args.writers) as pool:
            t0 = time.perf_counter()
            pool.starmap(_writer, [(pg, obj, k, args.each) for k in range(args.writers)])
            wall = time.perf_counter() - t0
        total = args.writers * args.each
        with Database.open(pg) as db:
            after = paqss.summary(db).total
            intact = journal.verify(db).intact
        print(f"(c) {args.writers} rédacteurs × {args.each} : {total / wall:.0f} enregistrements/s au total "
              f"(cible ≥ 200), {after - before}/{total} actions présentes, journal {'intact' if intact else 'ROMPU'}")  # fmt: skip
        return 0 if after - before == total and intact else 1
    finally:
        with eng.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    raise SystemExit(main())
