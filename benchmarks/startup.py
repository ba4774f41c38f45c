"""Startup time: process start → main window painted, on the demo database, against a bare PySide6 window.

Both are measured in the same run, interleaved, as fresh processes (what a user waits for):
- **application**: ``qualite --db demo.sqlite`` with ``QUALITE_SMOKE_TEST=1`` (``gui/app.py``), which prints
  the wall-clock time of the main window's first paint and quits;
- **baseline**: a Python process that imports PySide6, shows an empty 1280×800 ``QMainWindow`` and
  reports its first paint the same way;
- for the analysis, the same bare window after importing the core (SQLAlchemy, models, a service):
  the floor of any design that paints the database's content in its first frame.

Target (issue 2): application ≤ 1.5 × baseline (medians of "time to first paint").

    python benchmarks/startup.py [--runs 9] [--command dist/qualite/qualite] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_RATIO = 1.5

BARE_WINDOW = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not getattr(self, "done", False):
            self.done = True
            QTimer.singleShot(0, self.report)
        return False

    def report(self):
        print(f"QUALITE_SMOKE_TEST fenetre_peinte={time.time():.6f}", flush=True)
        QApplication.quit()

app = QApplication(sys.argv[:1])
w = QMainWindow()
w.setWindowTitle("Fenêtre nue")
w.resize(1280, 800)
f = FirstPaint(w)
w.installEventFilter(f)
w.show()
sys.exit(app.exec())
"""


def with_bytecode(env: dict[str, str], folder: Path) -> dict[str, str]:
    """``env`` for the processes measured, with their modules' bytecode cached as an installed application
    has it (pip compiles the wheel's modules at install, PyInstaller bundles them): the warm-up writes the
    ``.pyc`` files under ``folder`` (``PYTHONPYCACHEPREFIX``, every program measured alike, nothing written
    in the source tree), and ``PYTHONDONTWRITEBYTECODE`` — set in some shells and CI sandboxes — is dropped.
    Without it every launch compiled the application's modules from source: ≈ 40-50 ms of the first paint
    (17 modules before it) that no user ever waits for, and none for the bare window, whose modules
    (PySide6's) come compiled with their wheel."""
    out = dict(env, PYTHONPYCACHEPREFIX=str(folder))
    out.pop("PYTHONDONTWRITEBYTECODE", None)
    return out


def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds to first paint, seconds until the process has exited)."""
    painted, _filled, ended = measure_filled(cmd, env)
    return painted, ended


def measure_filled(cmd: list[str], env: dict[str, str]) -> tuple[float, float | None, float]:
    """(seconds to first paint, to the home page filled — None if the program does not say —, until
    the process has exited)."""
    painted, filled, _kept, ended = measure_launch(cmd, env)
    return painted, filled, ended


def measure_launch(cmd: list[str], env: dict[str, str]) -> tuple[float, float | None, bool | None, float]:
    """(seconds to first paint, to the home page filled with its real content — painted, never the
    skeleton —, whether that content was the one kept at an earlier launch (``accueil_memoire``), until
    the process has exited)."""
    t0 = time.time()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)
    t_end = time.time()
    if proc.returncode != 0 or "fenetre_peinte=" not in proc.stdout:
        raise SystemExit(f"Échec de {' '.join(cmd)} (code {proc.returncode}) :\n{proc.stdout}\n{proc.stderr}")
    painted = float(proc.stdout.split("fenetre_peinte=")[1].split()[0])
    filled = (
        float(proc.stdout.split("accueil_rempli=")[1].split()[0])
        if "accueil_rempli=" in proc.stdout
        else None
    )
    kept = (
        proc.stdout.split("accueil_memoire=")[1].split()[0] == "oui"
        if "accueil_memoire=" in proc.stdout
        else None
    )
    return painted - t0, None if filled is None else filled - t0, kept, t_end - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=9, help="mesures par programme (après un tour de chauffe)")
    ap.add_argument(
        "--command", help="programme à mesurer (défaut : python -m qualite_app), par ex. dist/qualite/qualite"
    )
    ap.add_argument("--json", type=Path, help="écrire les mesures brutes dans ce fichier")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="qualite-bench-"))
    env = dict(os.environ)
    env.pop("QUALITE_DB", None)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.update(
        QUALITE_DATA_DIR=str(work / "donnees"),
        QUALITE_CONFIG_DIR=str(work / "config"),
        QUALITE_SMOKE_TEST="1",
    )
    env = with_bytecode(env, work / "pycache")
    app_cmd = [args.command] if args.command else [sys.executable, "-m", "qualite_app"]
    demo = work / "demo.sqlite"
    made = subprocess.run(
        [*app_cmd, "demo", "--db", str(demo)], env=env, capture_output=True, text=True, timeout=300
    )
    if made.returncode != 0:
        raise SystemExit(made.stderr)

    programs = {
        "application": [*app_cmd, "--db", str(demo)],
        "fenêtre nue": [sys.executable, "-c", BARE_WINDOW],
        # for the analysis only: the bare window after importing the core (SQLAlchemy, models,
        # services) as the application must before it can show the database's content
        "nue + cœur": [sys.executable, "-c", "import qualite_app.etablissement.identite\n" + BARE_WINDOW],
    }
    for cmd in programs.values():  # warm-up: disk cache, .pyc files, the day's automatic backup
        measure(cmd, env)
    results: dict[str, dict[str, list[float]]] = {k: {"peinte": [], "sortie": []} for k in programs}
    for _ in range(args.runs):
        for name, cmd in programs.items():
            painted, ended = measure(cmd, env)
            results[name]["peinte"].append(painted)
            results[name]["sortie"].append(ended)

    med = {k: {m: statistics.median(v) for m, v in r.items()} for k, r in results.items()}
    ratio = med["application"]["peinte"] / med["fenêtre nue"]["peinte"]
    print(
        f"Démarrage jusqu'à la fenêtre peinte — {args.runs} mesures, médianes (QT_QPA_PLATFORM={env['QT_QPA_PLATFORM']})"
    )
    print(f"  programme : {' '.join(app_cmd)}")
    for name in programs:
        r = results[name]["peinte"]
        print(
            f"  {name:<13} {med[name]['peinte'] * 1000:7.0f} ms  (min {min(r) * 1000:.0f}, max {max(r) * 1000:.0f} ; "
            f"processus terminé : {med[name]['sortie'] * 1000:.0f} ms)"
        )
    best = min(results["application"]["peinte"]) / min(results["fenêtre nue"]["peinte"])
    verdict = "OK" if ratio <= TARGET_RATIO else "AU-DELÀ DE LA CIBLE"
    print(f"  rapport       {ratio:7.2f} ×  (cible ≤ {TARGET_RATIO} ×) : {verdict}")
    print(f"  rapport des minimums {best:.2f} × (moins sensible à la charge de la machine)")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"runs": results, "medians": med, "ratio": ratio, "ratio_min": best},
                indent=2,
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
