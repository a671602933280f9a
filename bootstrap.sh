#!/usr/bin/env bash
# Hearth set-up for a fresh Debian or Ubuntu machine.
#
#   ./bootstrap.sh app    install everything, then launch Hearth
#   ./bootstrap.sh test   install everything, then run the whole test suite headless
#
# Both steps are idempotent: a second run only checks what is already there.
set -euo pipefail
cd "$(dirname "$0")"

mode="${1:-}"
case "$mode" in
  app|test) shift ;;
  *) echo "usage: ./bootstrap.sh app|test [args...]" >&2; exit 2 ;;
esac

# Qt needs these libraries even offscreen; the xcb ones are for a real window (and Xvfb for
# screenshots); the CJK font draws Chinese text; Tesseract reads scanned Russian and English.
qt_packages=(libgl1 libegl1 libglib2.0-0 libfontconfig1 libdbus-1-3 libxkbcommon0
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
  libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxcb-xkb1
  fonts-noto-cjk fonts-dejavu-core
  tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus tesseract-ocr-chi-sim)
# The accessibility tests read the window over AT-SPI: a private D-Bus session, the AT-SPI
# bus and the system Python's bindings (pyatspi).
test_packages=(xvfb xauth x11-utils desktop-file-utils
  dbus at-spi2-core python3-gi gir1.2-atspi-2.0 python3-pyatspi)
# packaging/build.sh strips the bundle's libraries with binutils' strip.
build_packages=(binutils)

missing=()
want=("${qt_packages[@]}" "${build_packages[@]}")
[ "$mode" = test ] && want+=("${test_packages[@]}")
# npm installs the Claude Code CLI for its end-to-end tests (below).
if [ "$mode" = test ] && ! command -v npm >/dev/null; then
  want+=(nodejs npm)
fi
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing system packages: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=.venv/.hearth-installed
extras=""
[ "$mode" = test ] && extras="[dev]"
if [ ! -f "$stamp$extras" ] || [ pyproject.toml -nt "$stamp$extras" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".$extras"
  touch "$stamp$extras"
fi

if [ "$mode" = app ]; then
  exec .venv/bin/hearth "$@"
fi

# The end-to-end Claude Code tests drive the real CLI from npm at pinned versions (the same
# as in tests/integration/cli/test_claude_code_real.py), each in its own
# .venv/node/claude-code-VERSION: nothing is installed globally. Node.js and npm come from
# the distribution (above).
claude_code_versions=(2.1.197 2.1.332)
for version in "${claude_code_versions[@]}"; do
  prefix=.venv/node/claude-code-$version
  if [ "$("$prefix/node_modules/.bin/claude" --version 2>/dev/null || true)" = "$version (Claude Code)" ]; then
    continue
  fi
  echo "Installing Claude Code $version into $prefix" >&2
  npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    "@anthropic-ai/claude-code@$version" >&2
done

exec ./scripts/check "$@"
