"""Team mode on a local PostgreSQL server. Run from the repository root, with a server for tests:

    eval "$(bash tools/pg-test-server start)"
    PYTHONPATH=$PWD QT_QPA_PLATFORM=offscreen python benchmarks/equipe.py [--actions 10000] [--writers 8] [--each 250]
    ... benchmarks/equipe.py --blobs        # evidence files: bytea (what the application does) vs large objects
    ... benchmarks/equipe.py --only-c       # (c) and (c') alone (e.g. on a second server with fsync on: QUALITE_PG_FSYNC=on
                                            #  QUALITE_PG_PORT=54339 QUALITE_PG_DIR=/tmp/pg-fsync bash tools/pg-test-server start)

(a) the PAQSS list with 10,000 actions, opened in the GUI's table model (query + model reset), first and
    later opening — target under 150 ms; the same on SQLite as the baseline of the same run;
(b) a save round trip (read the action, change it, save it journaled) — target under 30 ms;
(c) 8 processes creating actions concurrently — target at least 200 saves/s in total, no lost update (every
    action present, journal chain intact). Also printed: the client's and the server's processor time per
    save (the server's: the writers' own server processes and the server's auxiliary ones, not other bases'
    nor the sampler's), the statements per save when the server has pg_stat_statements, and how often a writer
    was found waiting for a lock (pg_locks sampled every 100 ms): what is serialized;
(c') 8 processes modifying existing actions concurrently, as a user does (read the action, change its
    progress, save it: the round trip (b)), many of them the same actions as another writer's, so that real
    version conflicts occur: the conflicts detected are counted (nothing written for them), and at the end no
    update is lost — every successful save is in the journal (its action, the value its writer had read as the
    old value, its value as the new one: a save over a change it did not see would show another), each line
    starts from the value the previous one left, and every action holds the value of its last successful save.

Statements per save are printed when the server preloads pg_stat_statements, e.g. a second server of one's own:
    QUALITE_PG_PORT=54349 QUALITE_PG_DIR=/tmp/pg-stat bash tools/pg-test-server start
    echo "shared_preload_libraries = 'pg_stat_statements'" >> /tmp/pg-stat/data/postgresql.conf, restart it
    (pg_ctl -D /tmp/pg-stat/data restart, as its owner), and QUALITE_TEST_PG=…:54349/postgres.

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
        from qualite_app.storage.transfert import apres_chargement

        apres_chargement(db.engine)  # as ``qualite migrer-vers`` leaves a base it filled


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
        assert model.total >= n  # the list reads its rows by pages of 200 (fetchMore) and counts them all in SQL
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


#: saves each writer makes on its own connection before it is timed: an application opened in the morning has
#: compiled its statements (SQLAlchemy's cache is the engine's; psycopg prepares a statement after its fifth
#: run) long before its hundredth save; what is measured is the saves of a working day, not its first ones
WARM = 5


def _as_an_open_application() -> None:
    """What the application has done before a user's first save (its pages are built on every area's models):
    every area's models loaded and the mappers configured — else a process's first conflict (whose message
    reads the journal, which names every area's items) pays it, ≈ 0.6 s, inside the measure."""
    from sqlalchemy.orm import configure_mappers

    from qualite_app.areas import load_models

    load_models()
    configure_mappers()


def _writer(url: str, objectif: int, k: int, each: int) -> tuple[float, float, float]:
    """``WARM`` then ``each`` creations; returns wall, processor and server time of the ``each``."""
    from qualite_app.paqss import services as paqss
    from qualite_app.storage.database import Actor, Database

    _as_an_open_application()
    with Database.open(url, actor=Actor(f"pilote{k}", f"Pilote {k}")) as db:
        for n in range(WARM):
            paqss.save_action(db, paqss.ActionData(objectif_id=objectif, titre=f"Chauffe {k}-{n}", echeance=date(2027, 1, 1)))
        b0 = _backend_cpu(db)
        t0, c0 = time.perf_counter(), time.process_time()
        for n in range(each):
            paqss.save_action(db, paqss.ActionData(objectif_id=objectif, titre=f"Charge {k}-{n}", echeance=date(2027, 1, 1 + n % 28)))
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        return wall, cpu, _backend_cpu(db) - b0


def _modifier(url: str, ids: list[int], k: int, each: int) -> tuple[float, float, float, list[tuple[int, int, int]], int]:
    """(c'): ``each`` times, open an action (among ``ids``, shared with the other writers), change its progress,
    save it (after ``WARM`` such saves, not timed). Returns wall, processor and server time of the ``each``, the
    successful saves of all (action, value read, value saved) and the conflicts of the ``each``."""
    import random

    from qualite_app.errors import ConflitEdition, translate
    from qualite_app.paqss import services as paqss
    from qualite_app.storage.database import Actor, Database

    rnd = random.Random(k)
    done: list[tuple[int, int, int]] = []
    conflicts = 0
    _as_an_open_application()
    with Database.open(url, actor=Actor(f"pilote{k}", f"Pilote {k}")) as db:
        for n in range(WARM + each):
            if n == WARM:
                b0 = _backend_cpu(db)
                t0, c0 = time.perf_counter(), time.process_time()
                conflicts = 0
            aid = rnd.choice(ids)
            d = paqss.get_action(db, aid)
            read = d.avancement
            d.avancement = 1 + (read + rnd.randrange(1, 97)) % 99  # 1–99, never the value read
            try:
                paqss.save_action(db, d)
            except ConflitEdition:  # someone saved it since it was read: refused, nothing written
                conflicts += 1
                continue
            except Exception as exc:  # the UPDATE … WHERE version lost the race at the very end: the same
                known = translate(exc)
                if known is None or "même moment" not in known.message:
                    raise
                conflicts += 1
                continue
            done.append((aid, read, d.avancement))
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        return wall, cpu, _backend_cpu(db) - b0, done, conflicts


class _LockSampler(threading.Thread):
    """Samples the server every 100 ms: how many sessions of the base wait for a lock (its own server
    process is left out of the server's processor time)."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.stop, self.samples, self.waiting = url, threading.Event(), 0, 0

    def run(self) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        u = make_url(self.url)
        with psycopg.connect(u.set(drivername="postgresql").render_as_string(hide_password=False), autocommit=True) as c:
            q = "SELECT count(*) FILTER (WHERE NOT granted) FROM pg_locks WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND locktype IN ('advisory', 'transactionid', 'tuple', 'relation')"
            while not self.stop.wait(0.1):
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


def _auxiliary_pids(url: str) -> list[int]:
    """The server's own processes (WAL writer, checkpointer, autovacuum…), not the client sessions: those of
    this server only, not of another one running on the machine."""
    from sqlalchemy import create_engine, text

    eng = create_engine(url)
    try:
        with eng.connect() as c:
            return list(c.execute(text("SELECT pid FROM pg_stat_activity WHERE backend_type <> 'client backend'")).scalars())
    finally:
        eng.dispose()


def _server_cpu(pids: list[int]) -> float:
    """Processor seconds used so far by these server processes."""
    return sum(_proc_cpu(Path(f"/proc/{pid}/stat")) for pid in pids)


def _statements(url: str) -> int | None:
    """Statements executed so far in this base (None when the server has no pg_stat_statements)."""
    from sqlalchemy import create_engine, text

    eng = create_engine(url)
    try:
        with eng.connect() as c:
            if not c.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'")).first():
                try:
                    c.execute(text("CREATE EXTENSION pg_stat_statements"))
                    c.commit()
                except Exception:  # not preloaded on this server
                    return None
            return int(c.execute(text("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d "
                                      "ON d.oid = s.dbid WHERE d.datname = current_database()")).scalar() or 0)  # fmt: skip
    except Exception:
        return None
    finally:
        eng.dispose()


def _cpu_lines(writers: int, total: int, wall: float, cpu: float, server: float, statements: int | None) -> str:
    cores = os.cpu_count() or 1
    per = server / total
    st = f" ; {statements / total:.1f} instructions SQL par enregistrement" if statements is not None else ""
    return (f"    processeur par enregistrement : client {cpu * 1000:.1f} ms, serveur {per * 1000:.2f} ms{st}\n"
            f"    à lui seul, le serveur de cette machine ({cores} cœurs) suffirait à ≈ {cores / max(per, 1e-9):.0f} "
            f"enregistrements/s ; ici les {writers} postes clients partagent ces mêmes cœurs (chez un établissement, "
            f"chaque poste a les siens : ≈ {writers / max(cpu, 1e-9):.0f}/s pour {writers} postes à {cpu * 1000:.1f} ms chacun)")  # fmt: skip


def _concurrent(pg: str, writers: int, each: int) -> bool:
    from qualite_app.paqss import services as paqss
    from qualite_app.socle import journal
    from qualite_app.storage.database import Database

    with Database.open(pg) as db:
        obj = paqss.objectif_choices(db, paqss.programme_courant(db))[0][0]
        before = paqss.summary(db).total
    aux = _auxiliary_pids(pg)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(writers) as pool:
        pool.starmap(_writer, [(pg, obj, k, 1) for k in range(writers)])  # started and warmed up
        sampler = _LockSampler(pg)
        sampler.start()
        n0 = _statements(pg)
        t0, s0 = time.perf_counter(), _server_cpu(aux)
        res = pool.starmap(_writer, [(pg, obj, k, each) for k in range(writers)])
        wall, server = time.perf_counter() - t0, _server_cpu(aux) - s0
        n1 = _statements(pg)
        server += sum(b for _w, _c, b in res)
        sampler.stop.set()
        sampler.join()
    total = writers * each
    with Database.open(pg) as db:
        after = paqss.summary(db).total - 2 * writers * WARM - writers  # less the warm-up creations
        intact = journal.verify(db).intact
    cpu = sum(c for _w, c, _b in res) / total
    waiting = sampler.waiting / max(sampler.samples, 1)
    statements = n1 - n0 - 1 if n0 is not None and n1 is not None else None  # less the count's own statement
    print(f"(c) {writers} rédacteurs × {each} créations : {total / wall:.0f} enregistrements/s au total (cible ≥ 200), "
          f"{after - before}/{total} actions présentes, journal {'intact' if intact else 'ROMPU'} ; en moyenne "
          f"{waiting:.2f} rédacteur(s) en attente d'un verrou ({sampler.samples} échantillons)")  # fmt: skip
    print(_cpu_lines(writers, total, wall, cpu, server, statements))
    return after - before == total and intact


def _concurrent_updates(pg: str, writers: int, each: int, shared: int = 40) -> bool:
    """(c'): ``shared`` actions modified by all the writers at once (each picks at random among them)."""
    from collections import Counter

    from sqlalchemy import select

    from qualite_app.paqss import services as paqss
    from qualite_app.socle import journal
    from qualite_app.storage.database import Database
    from qualite_app.storage.tables import JournalAudit

    with Database.open(pg) as db:
        obj = paqss.objectif_choices(db, paqss.programme_courant(db))[0][0]
        ids = [paqss.save_action(db, paqss.ActionData(objectif_id=obj, titre=f"Partagée {n}", statut="en_cours", avancement=50, echeance=date(2027, 6, 1)))
               for n in range(shared)]  # fmt: skip
    aux = _auxiliary_pids(pg)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(writers) as pool:
        pool.starmap(_writer, [(pg, obj, k, 1) for k in range(writers)])  # started and warmed up
        with Database.open(pg) as db, db.session() as s:
            start = s.scalar(select(JournalAudit.id).order_by(JournalAudit.id.desc()).limit(1)) or 0
        n0 = _statements(pg)
        t0, s0 = time.perf_counter(), _server_cpu(aux)
        res = pool.starmap(_modifier, [(pg, ids, k, each) for k in range(writers)])
        wall, server = time.perf_counter() - t0, _server_cpu(aux) - s0
        n1 = _statements(pg)
        server += sum(r[2] for r in res)
    saved = [x for r in res for x in r[3]]
    conflicts = sum(r[4] for r in res)
    cpu = sum(r[1] for r in res) / (writers * each)
    with Database.open(pg) as db:
        with db.session() as s:
            rows = s.execute(select(JournalAudit.entite_id, JournalAudit.ancienne_valeur, JournalAudit.nouvelle_valeur)
                              .where(JournalAudit.id > start, JournalAudit.entite_table == "paqss_action",
                                     JournalAudit.champ == "Avancement (%)").order_by(JournalAudit.id)).all()  # fmt: skip
            lines = [(int(str(e)), int(str(o)), int(str(n))) for e, o, n in rows]
        final = {a.id: a.avancement for a in paqss.list_actions(db) if a.id in set(ids)}
        intact = journal.verify(db).intact
    # every successful save once, starting from the value its writer read (else it overwrote unseen: lost)
    in_journal = Counter(lines) == Counter(saved)
    last: dict[int, int] = {}
    chained = True
    for e, o, n in lines:  # each line starts from the value the previous one left: no save based on a stale read
        if e in last and o != last[e]:
            chained = False
        last[e] = n
    kept = all(final[a] == v for a, v in last.items())  # the value of the last successful save is the one kept
    ok = in_journal and chained and kept and intact
    statements = n1 - n0 - 1 if n0 is not None and n1 is not None else None
    print(f"(c') {writers} rédacteurs × {each} modifications (lire, changer l'avancement, enregistrer) de {shared} actions "
          f"partagées : {len(saved) / wall:.0f} enregistrements/s réussis au total (cible ≥ 200), {(writers * each) / wall:.0f} "
          f"tentatives/s ; {conflicts} conflits de version détectés (rien d'écrit pour eux) ; "
          f"{'aucune mise à jour perdue' if in_journal and chained and kept else 'MISE À JOUR PERDUE'} "
          f"({len(saved)} enregistrements réussis, tous au journal partant de la valeur lue : {'oui' if in_journal else 'NON'} ; chaque ligne part de la "
          f"valeur précédente : {'oui' if chained else 'NON'} ; valeurs finales = dernier enregistrement : {'oui' if kept else 'NON'}) ; "
          f"journal {'intact' if intact else 'ROMPU'}")  # fmt: skip
    print(_cpu_lines(writers, writers * each, wall, cpu, server, statements))
    return ok


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
    ap.add_argument("--only-c", action="store_true", help="seulement (c) et (c'), sur une base de démonstration")
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
            from qualite_app.storage.transfert import apres_chargement

            with Database.open(pg) as db:
                load_demo(db)
                apres_chargement(db.engine)  # as ``qualite migrer-vers`` leaves a base it filled
            ok = _concurrent(pg, args.writers, args.each)
            return 0 if _concurrent_updates(pg, args.writers, args.each) and ok else 1
        for url in (sqlite, pg):
            _fill(url, args.actions)
        for label, url in (("SQLite (référence)", sqlite), ("PostgreSQL", pg)):
            first, later = _list_times(url, args.actions)
            print(f"(a) liste PAQSS {args.actions} actions, {label} : première ouverture {first * 1000:.0f} ms, suivantes {later * 1000:.0f} ms (cible < 150 ms)")
        for label, url in (("SQLite (référence)", sqlite), ("PostgreSQL", pg)):
            print(f"(b) aller-retour d'enregistrement, {label} : {_round_trips(url) * 1000:.1f} ms (médiane ; cible < 30 ms)")
        ok = _concurrent(pg, args.writers, args.each)
        return 0 if _concurrent_updates(pg, args.writers, args.each) and ok else 1
    finally:
        with eng.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    raise SystemExit(main())
