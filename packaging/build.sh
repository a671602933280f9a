#!/usr/bin/env bash
# Build the one-folder bundle: dist/hearth/hearth (run from anywhere; needs ./bootstrap.sh
# to have made the virtual environment). Prints the bundle's size at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
[ -x "$PY" ] || { echo "error: run ./bootstrap.sh test (or app) first to create .venv" >&2; exit 1; }
command -v strip >/dev/null || { echo "error: strip is missing: install binutils" >&2; exit 1; }
"$PY" -m pip install --quiet "pyinstaller==6.22.3"
# The bundle holds exactly the locked, hash-checked dependency set.
"$PY" -m pip install --quiet --require-hashes --no-deps -r packaging/requirements.lock
if [ -x scripts/build_translations.sh ]; then scripts/build_translations.sh; fi
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/hearth.spec
"$PY" packaging/strip_binaries.py dist/hearth
echo "bundle: dist/hearth ($(du -sh dist/hearth | cut -f1))"
