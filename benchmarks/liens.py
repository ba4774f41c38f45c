"""The *Liens* panel of an item with many links: ``socle.chaine.liens_de`` (every relation, both directions,
labels read one query per kind) against the former reading of an action's links (``paqss.links``: one
``session.get`` per link), on the same action, in the same run. Queries counted, time as the median.

Usage: .venv/bin/python benchmarks/liens.py [--liens 500]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--liens",
        type=int,
        default=500,
        help="links added to one action (at most one per action, indicator, risk of the demo)",
    )
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-liens-"))
    os.environ["QUALITE_DATA_DIR"] = str(tmp)
    from sqlalchemy import event

    from qualite_app.demo import load_demo
    from qualite_app.paqss import services as paqss
    from qualite_app.socle import chaine, liens
    from qualite_app.storage.database import Database

    try:
        db = Database.open(tmp / "bench.sqlite")
        load_demo(db)
        actions = [r.id for r in paqss.list_actions(db)]
        from qualite_app.indicateurs import services as indicateurs
        from qualite_app.risques import services as risques

        others = [("paqss_action", a) for a in actions[1:]]
        others += [("indicateur", i.id) for i in indicateurs.list_indicateurs(db)]
        others += [("risque", r.id) for r in risques.list_risques(db)]
        target = actions[0]
        with db.unit_of_work() as s:  # one link per pair of items: at most one per other item of the demo
            for t, i in others[: args.liens]:
                liens.link(s, "paqss_action", target, t, i)
        n = chaine.compter(chaine.liens_de(db, "paqss_action", target))
        print(f"une action et ses {n} éléments liés (actions, indicateurs et risques de la démo)")

        def measure(fn):  # type: ignore[no-untyped-def]
            count = [0]

            def on(*_a):  # type: ignore[no-untyped-def]
                count[0] += 1

            event.listen(db.engine, "before_cursor_execute", on)
            fn()
            event.remove(db.engine, "before_cursor_execute", on)
            runs = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                fn()
                runs.append(time.perf_counter() - t0)
            return count[0], statistics.median(runs)

        q_new, t_new = measure(lambda: chaine.liens_de(db, "paqss_action", target))
        q_old, t_old = measure(lambda: paqss.links(db, target))
        print(
            f"panneau Liens (chaine.liens_de) : {q_new} requêtes, {t_new * 1000:.1f} ms (médiane de {args.repeat})"
        )
        print(f"ancienne lecture (paqss.links)  : {q_old} requêtes, {t_old * 1000:.1f} ms")
        print(f"rapport : {t_old / t_new:.1f}× plus rapide, {q_old / max(1, q_new):.0f}× moins de requêtes")
        db.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
