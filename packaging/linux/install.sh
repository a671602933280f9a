#!/usr/bin/env bash
# Put the Hearth bundle into your applications menu (no root needed):
#   packaging/linux/install.sh [BUNDLE_DIR]     install (default BUNDLE_DIR: dist/hearth)
#   packaging/linux/install.sh --uninstall      remove the program (your documents index,
#                                               settings and logs stay; see the README)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATA_HOME="${XDG_DATA_HOME:-$HOME/.local/share}"
OPT="$HOME/.local/opt/hearth"
BIN="$HOME/.local/bin"
APPS="$DATA_HOME/applications"
ICONS="$DATA_HOME/icons/hicolor"

refresh() {
    command -v update-desktop-database >/dev/null && update-desktop-database -q "$APPS" || true
    command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$ICONS" || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$OPT" "$APPS/hearth.desktop" "$BIN/hearth"
    find "$ICONS" -name hearth.png -path '*/apps/*' -delete 2>/dev/null || true
    refresh
    echo "Hearth was removed. Your data is still in ~/.local/share/Hearth and ~/.config/Hearth."
    exit 0
fi

BUNDLE="${1:-$ROOT/dist/hearth}"
[ -x "$BUNDLE/hearth" ] || { echo "error: no bundle at $BUNDLE (build it with packaging/build.sh)" >&2; exit 1; }
mkdir -p "$OPT" "$BIN" "$APPS"
rm -rf "$OPT"
cp -a "$BUNDLE" "$OPT"
ln -sf "$OPT/hearth" "$BIN/hearth"
for size in 16 24 32 48 64 128 256 512; do
    mkdir -p "$ICONS/${size}x${size}/apps"
    cp "$ROOT/resources/icons/hearth-$size.png" "$ICONS/${size}x${size}/apps/hearth.png"
done
sed -e "s|^Exec=hearth|Exec=$OPT/hearth|" -e "s|^TryExec=hearth|TryExec=$OPT/hearth|" \
    "$HERE/hearth.desktop" > "$APPS/hearth.desktop"
refresh
echo "Hearth is installed: find it in your applications menu, or run $BIN/hearth."
