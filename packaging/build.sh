#!/usr/bin/env bash
# Builds the one-folder bundle dist/qualite/ with PyInstaller, then proves that it starts:
# --version, `info` on a new database, and the main window painted offscreen on the demo database
# with every area's page built (QUALITE_SMOKE_TEST=pages: a module missing from the bundle fails here).
#
#   bash packaging/build.sh                 # uses (or creates) the project's .venv
#   PYTHON=/path/to/venv/bin/python bash packaging/build.sh   # an existing environment with the project
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ -z "${PYTHON:-}" ]; then
  source tools/_setup.sh          # system packages, .venv, the project and its dependencies
  PYTHON="$ROOT/.venv/bin/python"
fi

echo "== PyInstaller (extra « bundle » de pyproject.toml)"
mapfile -t BUNDLE_REQS < <("$PYTHON" -c 'import tomllib; [print(r) for r in tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["bundle"]]')
"$PYTHON" -m pip install -q "${BUNDLE_REQS[@]}"

if [ ! -f resources/icons/qualite-256.png ] || [ resources/icons/qualite.svg -nt resources/icons/qualite-256.png ]; then
  echo "== icône PNG"
  QT_QPA_PLATFORM=offscreen "$PYTHON" tools/render_icon.py
fi

echo "== construction de dist/qualite/"
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" packaging/qualite.spec
cp packaging/qualite.desktop resources/icons/qualite.svg resources/icons/qualite-256.png dist/qualite/

echo "== vérification du bundle"
INTERNAL=dist/qualite/_internal
for f in db/env.py ui resources/fonts/DejaVuSans.ttf resources/icons/qualite.svg \
         PySide6/Qt/plugins/platforms/libqxcb.so PySide6/Qt/plugins/platforms/libqoffscreen.so \
         PySide6/Qt/plugins/iconengines/libqsvgicon.so PySide6/Qt/plugins/imageformats/libqsvg.so; do
  [ -e "$INTERNAL/$f" ] || { echo "Bundle incomplet : $f manque" >&2; exit 1; }
done
CHECK="$(mktemp -d)"
trap 'rm -rf "$CHECK"' EXIT
export QUALITE_DATA_DIR="$CHECK/donnees" QUALITE_CONFIG_DIR="$CHECK/config"
unset QUALITE_DB
BIN="$ROOT/dist/qualite/qualite"
(
  cd "$CHECK"   # nothing may come from the source tree
  "$BIN" --version
  "$BIN" info --db "$CHECK/x.sqlite" > "$CHECK/info.txt"; head -3 "$CHECK/info.txt"
  "$BIN" demo --db "$CHECK/demo.sqlite" >/dev/null
  QT_QPA_PLATFORM=offscreen QUALITE_SMOKE_TEST=pages "$BIN" --db "$CHECK/demo.sqlite"
)
echo "Bundle prêt : dist/qualite/ ($(du -sh dist/qualite | cut -f1)). Lancer : dist/qualite/qualite"
