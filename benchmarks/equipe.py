"""Team mode on a local PostgreSQL server. Run from the repository root, with a server for tests:

    eval "$(bash tools/pg-test-server start)"
    PYTHONPATH=$PWD QT_QPA_PLATFORM=offscreen python benchmarks/equipe.py [--actions 10000] [--writers 8] [--each 250]
    ... benchmarks/equipe.py --blobs        # evidence files: bytea (what the application does) vs large objects
    ... benchmarks/equipe.py --only-c       # (c) alone (e.g. on a second server with fsync on: QUALITE_PG_FSYNC=on
                                            #  QUALITE_PG_PORT=54339 QUALITE_PG_DIR=/tmp/pg-fsync bash tools/pg-test-server start)

(a) the PAQSS list with 10,000 actions, opened in the GUI's table model (query + model reset), first and
    later opening — target under 150 ms; the same on SQLite as the baseline of the same run;
(b) a save round trip (read the action, change it, save it journaled) — target under 30 ms;
(c) 8 processes saving concurrently — target at least 200 saves/s in total, no lost update (every action
    present, journal chain intact). Also printed: the client's processor time per save, and how often a
    writer was found waiting for a lock (the server's pg_locks sampled every 20 ms): what is serialized.

The machine's speed is printed first (a fixed Python loop): figures of a busy or slow machine are read
against it, and against SQLite measured in the same run.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

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


def _backend_cpu(db: Any) -> float:
    """Processor seconds used so far by this client's server process (the local server's /proc)."""
    from sqlalchemy import text

    with db.session() as s:
        pid = s.execute(text("SELECT pg_backend_pid()")).scalar()
    return _proc_cpu(Path(f"/proc/{pid}/stat"))


def _writer(url: str, objectif: int, k: int, each: int) -> tuple[float, float, float]:
    from qualite_app.paqss import services as paqss
    from qualite_app.storage.database import Actor, Database

    with Database.open(url, actor=Actor(f"pilote{k}", f"Pilote {k}")) as db:
        b0 = _backend_cpu(db)
        t0, c0 = time.perf_counter(), time.process_time()
        for n in range(each):
            paqss.save_action(db, paqss.ActionData(objectif_id=objectif, titre=f"Charge {k}-{n}", echeance=date(2027, 1, 1 + n % 28)))
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        return wall, cpu, _backend_cpu(db) - b0


class _LockSampler(threading.Thread):
    """Samples the server every 20 ms: how many sessions of the base are working, how many wait for a lock."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.stop, self.samples, self.waiting = url, threading.Event(), 0, 0

    def run(self) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        u = make_url(self.url)
        with psycopg.connect(u.set(drivername="postgresql").render_as_string(hide_password=False), autocommit=True) as c:
            q = "SELECT count(*) FILTER (WHERE NOT granted) FROM pg_locks WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND locktype IN ('advisory', 'transactionid', 'tuple', 'relation')"
            while not self.stop.wait(0.02):
                row = c.execute(q).fetchone()
                self.samples += 1
                self.waiting += int(row[0]) if row else 0


def _proc_cpu(stat: Path) -> float:
    """utime + stime of a process, in seconds (Linux /proc; 0 when unreadable)."""
    try:
        rest = stat.read_text().rsplit(")", 1)[1].split()
        return (int(rest[11]) + int(rest[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError, AttributeError):
        return 0.0


def _server_cpu() -> float:
    """Processor seconds used so far by the local server's long-lived processes (WAL writer, checkpointer…)."""
    total = 0.0
    for p in Path("/proc").glob("[0-9]*/stat"):
        try:
            if "(postgres)" in p.read_text(errors="replace")[:64]:
                total += _proc_cpu(p)
        except OSError:  # the process ended meanwhile
            continue
    return total


def _concurrent(pg: str, writers: int, each: int) -> bool:
    from qualite_app.paqss import services as paqss
    from qualite_app.socle import journal
    from qualite_app.storage.database import Database

    with Database.open(pg) as db:
        obj = paqss.objectif_choices(db, paqss.programme_courant(db))[0][0]
        before = paqss.summary(db).total
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(writers) as pool:
        pool.starmap(_writer, [(pg, obj, k, 1) for k in range(writers)])  # started and warmed up
        sampler = _LockSampler(pg)
        sampler.start()
        t0, s0 = time.perf_counter(), _server_cpu()
        res = pool.starmap(_writer, [(pg, obj, k, each) for k in range(writers)])
        wall, server = time.perf_counter() - t0, _server_cpu() - s0
        server += sum(b for _w, _c, b in res)
        sampler.stop.set()
        sampler.join()
    total = writers * each
    with Database.open(pg) as db:
        after = paqss.summary(db).total - writers
        intact = journal.verify(db).intact
    cpu = sum(c for _w, c, _b in res) / total
    waiting = sampler.waiting / max(sampler.samples, 1)
    print(f"(c) {writers} rédacteurs × {each} : {total / wall:.0f} enregistrements/s au total (cible ≥ 200), "
          f"{after - before}/{total} actions présentes, journal {'intact' if intact else 'ROMPU'} ; "
          f"processeur client {cpu * 1000:.1f} ms par enregistrement ; en moyenne {waiting:.2f} rédacteur(s) "
          f"en attente d'un verrou ({sampler.samples} échantillons)")  # fmt: skip
    if server > 0:
        per = server / total
        cores = os.cpu_count() or 1
        print(f"    processeur du serveur {per * 1000:.2f} ms par enregistrement : à lui seul, le serveur de cette machine "
              f"({cores} cœurs) suffirait à ≈ {cores / per:.0f} enregistrements/s ; ici les {writers} postes clients "
              f"partagent ces mêmes cœurs (chez un établissement, chaque poste a les siens : "
              f"≈ {writers / max(cpu, 1e-9):.0f}/s pour {writers} postes à {cpu * 1000:.1f} ms chacun)")  # fmt: skip
    return after - before == total and intact


def _blobs(url: str) -> None:
    """Evidence files on the server: bytea in the blob table (what the application does) vs large objects
    (pg_largeobject, an oid in the row): write (with the deduplication check by SHA-256), read, dedup hit."""
    import hashlib

    import psycopg
    from sqlalchemy.engine import make_url

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as c:
        c.execute("CREATE TABLE banc_bytea (id serial PRIMARY KEY, sha256 varchar(64) UNIQUE, contenu bytea)")
        c.execute("CREATE TABLE banc_lo (id serial PRIMARY KEY, sha256 varchar(64) UNIQUE, contenu oid)")
        c.commit()
        for n, size in ((200, 1_000_000), (2000, 50_000)):
            files = [os.urandom(size) for _ in range(n)]
            digests = [hashlib.sha256(f).hexdigest() for f in files]
            out = []
            for kind, insert, read in (
                ("bytea", "INSERT INTO banc_bytea (sha256, contenu) VALUES (%s, %s)", "SELECT contenu FROM banc_bytea WHERE sha256 = %s"),
                ("objets larges", "INSERT INTO banc_lo (sha256, contenu) VALUES (%s, lo_from_bytea(0, %s))", "SELECT lo_get(contenu) FROM banc_lo WHERE sha256 = %s"),
            ):  # fmt: skip
                table = "banc_bytea" if kind == "bytea" else "banc_lo"
                t0 = time.perf_counter()
                for f, d in zip(files, digests, strict=True):  # one file per transaction, as a user adds them
                    if c.execute(f"SELECT id FROM {table} WHERE sha256 = %s", (d,)).fetchone() is None:
                        c.execute(insert, (d, f))
                    c.commit()
                write = time.perf_counter() - t0
                t0 = time.perf_counter()
                for d in digests:
                    row = c.execute(read, (d,)).fetchone()
                    assert row is not None and len(row[0]) == size
                c.commit()
                rd = time.perf_counter() - t0
                t0 = time.perf_counter()
                for d in digests:  # the same files added again: found by their hash, nothing written
                    assert c.execute(f"SELECT id FROM {table} WHERE sha256 = %s", (d,)).fetchone() is not None
                c.commit()
                dedup = time.perf_counter() - t0
                mb = n * size / 1e6
                out.append(f"{kind} : écriture {write:.2f} s ({mb / write:.0f} Mo/s), lecture {rd:.2f} s ({mb / rd:.0f} Mo/s), doublons {dedup * 1000:.0f} ms")
                c.execute(f"TRUNCATE {table}")
                if kind != "bytea":
                    c.execute("SELECT lo_unlink(l.oid) FROM pg_largeobject_metadata l")
                c.commit()
            print(f"(blobs) {n} × {size // 1000} Ko — " + " ; ".join(out))


def _machine() -> str:
    t0 = time.perf_counter()
    for _ in range(5):
        sum(range(1_000_000))
    return f"machine : boucle de référence {(time.perf_counter() - t0) / 5 * 1000:.0f} ms (≈ 12–15 ms sur un poste récent au repos), charge {os.getloadavg()[0]:.1f}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--actions", type=int, default=10_000)
    ap.add_argument("--writers", type=int, default=8)
    ap.add_argument("--each", type=int, default=250)
    ap.add_argument("--blobs", action="store_true", help="fichiers de preuve : bytea contre objets larges")
    ap.add_argument("--only-c", action="store_true", help="seulement (c), sur une base de démonstration")
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
    print(_machine())
    try:
        if args.blobs:
            _blobs(pg)
            return 0
        if args.only_c:
            from qualite_app.demo import load_demo
            from qualite_app.storage.database import Database

            with Database.open(pg) as db:
                load_demo(db)
            return 0 if _concurrent(pg, args.writers, args.each) else 1
        for url in (sqlite, pg):
            _fill(url, args.actions)
        for label, url in (("SQLite (référence)", sqlite), ("PostgreSQL", pg)):
            first, later = _list_times(url, args.actions)
            print(f"(a) liste PAQSS {args.actions} actions, {label} : première ouverture {first * 1000:.0f} ms, suivantes {later * 1000:.0f} ms (cible < 150 ms)")
        for label, url in (("SQLite (référence)", sqlite), ("PostgreSQL", pg)):
            print(f"(b) aller-retour d'enregistrement, {label} : {_round_trips(url) * 1000:.1f} ms (médiane ; cible < 30 ms)")
        return 0 if _concurrent(pg, args.writers, args.each) else 1
    finally:
        with eng.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    raise SystemExit(main())
