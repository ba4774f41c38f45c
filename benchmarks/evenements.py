"""Adverse events at 100,000 rows. Run from the repository root:

    PYTHONPATH=$PWD QT_QPA_PLATFORM=offscreen python benchmarks/evenements.py [--events 100000] [--import-rows 10000]

(a) the register: open (count + first page, through the Qt model) and filter (text, type, severity) —
    target under 150 ms each;
(b) the monthly statistics over 5 years (by month, type, service, severity) — target under 200 ms;
(c) import of a 10,000-event workbook (preview + commit, journaled) against openpyxl merely reading the
    same workbook in read-only mode — target ≤ 2×.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def best(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def populate(db, n: int, today: date) -> None:  # type: ignore[no-untyped-def]
    from qualite_app.demo import load_demo
    from qualite_app.evenements import demo as ev_demo

    load_demo(db, today)  # the establishment, its services, the demo's 1,500 events
    with db.unit_of_work() as s:
        rows = ev_demo.events(s, today, random.Random(5), n=n - 1500, years=5)
        for r in rows:  # the demo's references already hold EI-YYYY-00001…: the bench's are distinct
            r["reference"] = "B" + str(r["reference"])
        ev_demo.insert_events(s, rows)
    if db.engine.dialect.name == "sqlite":  # as the base is when the application opens it: not a 150 MB WAL
        with db.engine.connect() as c:
            c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def make_workbook(path: Path, n: int, today: date) -> None:
    from openpyxl import Workbook

    rng = random.Random(10)
    types = [
        "Chute",
        "Médicament",
        "Identification du patient",
        "Soins et surveillance",
        "Dispositif médical et équipement",
    ]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Export")
    ws.append(["N° fiche", "Date de l'événement", "Heure", "Catégorie", "Description des faits", "Gravité", "Patient informé",
               "Profession", "Mesures immédiates"])  # fmt: skip
    for i in range(n):
        d = today - timedelta(days=rng.randrange(700))
        ws.append([f"IMP-{i + 1:05d}", d, f"{rng.randrange(24):02d}:{rng.randrange(60):02d}", rng.choice(types),
                   "Événement décrit par le déclarant, sans élément identifiant.", str(rng.randint(1, 5)),
                   rng.choice(["oui", "non", None]), "IDE", "Surveillance renforcée"])  # fmt: skip
    wb.save(path)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--import-rows", type=int, default=10_000)
    args = ap.parse_args()
    from PySide6.QtWidgets import QApplication

    from qualite_app.evenements import imports
    from qualite_app.evenements import services as evenements
    from qualite_app.gui.evenements.model import EvenementTableModel
    from qualite_app.storage.database import Database

    app = QApplication.instance() or QApplication([])
    today = date.today()
    tmp = Path(tempfile.mkdtemp(prefix="bench-ev-"))
    os.environ["QUALITE_DATA_DIR"] = str(tmp / "donnees")
    results: list[tuple[str, float, float]] = []
    with Database.open(tmp / "bench.sqlite") as db:
        t = time.perf_counter()
        populate(db, args.events, today)
        print(
            f"base : {evenements.count_evenements(db):,} événements créés en {time.perf_counter() - t:.1f} s".replace(
                ",", " "
            )
        )
        model = EvenementTableModel(db)
        results.append(("registre : ouverture (compte + 1re page, modèle Qt)", best(model.refresh), 0.150))

        def filtre(f: evenements.EvenementFilter) -> None:
            model.set_filter(f)

        results.append(
            (
                "registre : filtre texte « heparine »",
                best(lambda: filtre(evenements.EvenementFilter(texte="heparine"))),
                0.150,
            )
        )
        results.append(("registre : filtre type + gravité ≥ 4",
                        best(lambda: filtre(evenements.EvenementFilter(type_code="medicament", gravite_min=4))), 0.150))  # fmt: skip
        results.append(("registre : tri par gravité", best(lambda: model.sort(4)), 0.150))
        debut = date(today.year - 5, today.month, 1)
        results.append(
            (
                "statistiques mensuelles sur 5 ans",
                best(lambda: evenements.statistiques(db, debut, today)),
                0.200,
            )
        )
        app.processEvents()

    import shutil

    with Database.open(tmp / "import.sqlite") as db:
        from qualite_app.demo import load_demo

        load_demo(db, today)
    wb = tmp / "export.xlsx"
    make_workbook(wb, args.import_rows, today)

    def read_openpyxl() -> None:
        from openpyxl import load_workbook

        book = load_workbook(wb, read_only=True, data_only=True)
        for _row in book.active.iter_rows(values_only=True):
            pass
        book.close()

    # the machine may be shared: interleave the two measurements, best of three of each (as the baseline)
    reads, imports_ = [], []
    for k in range(3):
        reads.append(best(read_openpyxl, 1))
        target = tmp / f"import-{k}.sqlite"
        shutil.copy(tmp / "import.sqlite", target)
        with Database.open(target) as db:
            t = time.perf_counter()
            done = imports.importer(db, wb)
            imports_.append(time.perf_counter() - t)
            assert done.compte("création") == args.import_rows, done.resume()
    base, took = min(reads), min(imports_)
    print(f"import de {args.import_rows} événements : {took:.2f} s ; lecture openpyxl seule : {base:.2f} s ; "
          f"rapport {took / base:.2f}× (cible ≤ 2×, meilleur de 3 chacun, alternés)")  # fmt: skip
    results.append((f"import {args.import_rows} lignes / lecture openpyxl", took / base, 2.0))

    failed = False
    for label, value, target in results:
        ok = value <= target
        failed |= not ok
        shown = f"{value:.2f}×" if target == 2.0 else f"{value * 1000:.1f} ms"
        goal = "≤ 2×" if target == 2.0 else f"< {target * 1000:.0f} ms"
        print(f"{'OK ' if ok else 'LENT'}  {label:<48} {shown:>10}   (cible {goal})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
