# Sourced by run-tests and run-app: system packages (when root), then a virtual environment with the project.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  wanted=$(grep -v '^\s*#' packaging/apt-packages.txt | sed '/^\s*$/d')
  missing=""
  for p in $wanted; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    echo "Installation des paquets système :$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
fi
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
.venv/bin/python -m pip install -q -e ".[dev]" 2>&1 | grep -v '^WARNING: Location' || true
.venv/bin/python -c "import qualite_app, PySide6" || { echo "Installation incomplète"; exit 1; }
# matplotlib builds its font cache on first use (tens of seconds on a new machine): do it now, not in a chart.
.venv/bin/python -c "import matplotlib.font_manager" 2>/dev/null || true
