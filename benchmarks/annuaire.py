"""Directory at 10,000 people: search through the service (what the list shows) vs the bare SQL query.

Usage: .venv/bin/python benchmarks/annuaire.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

N = 10_000


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="bench-annuaire-"))
    os.environ["QUALITE_DATA_DIR"] = str(tmp)
    from sqlalchemy import text

    from qualite_app.demo import load_demo
    from qualite_app.etablissement import annuaire
    from qualite_app.etablissement.models import Personne
    from qualite_app.rules.text import fold
    from qualite_app.storage.database import Database

    db = Database.open(tmp / "bench.sqlite")
    load_demo(db)
    t0 = time.perf_counter()
    with db.unit_of_work() as s:
        for i in range(N):
            p = Personne(nom=f"NOM{i:05d}", prenom=f"Prénom{i % 97}", fonction=["Infirmier·ère", "Cadre de santé", "Médecin"][i % 3], actif=True)
            p.cle_recherche = fold(f"{p.prenom} {p.nom} {p.fonction}")
            s.add(p)
    print(f"insertion de {N} personnes (journalisées) : {time.perf_counter() - t0:.2f} s")

    def timed(fn, repeat: int = 15) -> float:  # type: ignore[no-untyped-def]
        runs = []
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - t)
        return statistics.median(runs)

    def service() -> None:
        annuaire.list_personnes(db, "cadre 12", actifs_seulement=True)

    def bare() -> None:
        with db.engine.connect() as c:
            c.execute(text("SELECT id, nom, prenom FROM personne WHERE cle_recherche LIKE '%cadre%' AND cle_recherche LIKE '%12%' AND actif = 1 ORDER BY nom, prenom")).all()

    def everything() -> None:
        annuaire.list_personnes(db, "")

    s, b, a = timed(service), timed(bare), timed(everything)
    print(f"recherche « cadre 12 » (service, lignes complètes) : {s * 1000:.1f} ms")
    print(f"même filtre, SQL nu : {b * 1000:.1f} ms   rapport : {s / b:.2f}×")
    print(f"liste complète ({N + 62} lignes) : {a * 1000:.1f} ms")
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
