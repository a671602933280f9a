#!/usr/bin/env bash
# Build a Debian package from the one-folder bundle:
#   packaging/linux/build_deb.sh [BUNDLE_DIR] [OUT_DIR]   (defaults: dist/hearth, dist)
# Then `sudo apt install ./dist/hearth_VERSION_ARCH.deb` puts Hearth in the applications
# menu with its icon and document types, and `sudo apt remove hearth` takes it all away
# (each person's documents index, settings and logs stay in their home folder).
set -euo pipefail
# Whatever the caller's umask (Hearth itself runs with 077), a package's files are for
# every user of the machine.
umask 022
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUNDLE="${1:-$ROOT/dist/hearth}"
OUT="${2:-$ROOT/dist}"
[ -x "$BUNDLE/hearth" ] || { echo "error: no bundle at $BUNDLE (build it with packaging/build.sh)" >&2; exit 1; }
command -v dpkg-deb >/dev/null || { echo "error: dpkg-deb is needed (Debian or Ubuntu)" >&2; exit 1; }

version="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$ROOT/desktop/__init__.py")"
arch="$(dpkg --print-architecture)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
root="$stage/hearth_${version}_${arch}"

mkdir -p "$root/opt" "$root/usr/bin" "$root/usr/share/applications" "$root/DEBIAN"
cp -a "$BUNDLE" "$root/opt/hearth"
ln -s /opt/hearth/hearth "$root/usr/bin/hearth"
cp "$HERE/hearth.desktop" "$root/usr/share/applications/hearth.desktop"
for size in 16 24 32 48 64 128 256 512; do
    mkdir -p "$root/usr/share/icons/hicolor/${size}x${size}/apps"
    cp "$ROOT/resources/icons/hearth-$size.png" "$root/usr/share/icons/hicolor/${size}x${size}/apps/hearth.png"
done
mkdir -p "$root/usr/share/icons/hicolor/scalable/apps"
cp "$ROOT/resources/icons/hearth.svg" "$root/usr/share/icons/hicolor/scalable/apps/hearth.svg"

installed_kb="$(du -sk "$root" | cut -f1)"
cat > "$root/DEBIAN/control" <<CONTROL
Package: hearth
Version: $version
Architecture: $arch
Maintainer: Hearth developers <hearth@localhost>
Installed-Size: $installed_kb
Depends: libgl1, libegl1, libglib2.0-0, libfontconfig1, libdbus-1-3, libxkbcommon0, libxkbcommon-x11-0, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-shape0, libxcb-randr0, libxcb-render-util0, libxcb-image0, libxcb-xinerama0, libxcb-xkb1
Recommends: fonts-noto-cjk, tesseract-ocr, tesseract-ocr-eng, tesseract-ocr-rus, tesseract-ocr-chi-sim
Section: utils
Priority: optional
Homepage: https://localhost/hearth
Description: answers from your own documents, with citations
 Hearth indexes the documents you drop into its window into a local vector
 store and answers questions about them with an Ollama model (local or Ollama
 Cloud), citing the passages it used. It also serves the knowledge base to
 Claude Code over MCP.
CONTROL
# Refresh the menu and icon caches after install and removal.
for script in postinst postrm; do
    cat > "$root/DEBIAN/$script" <<'SCRIPT'
#!/bin/sh
set -e
if command -v update-desktop-database >/dev/null; then update-desktop-database -q /usr/share/applications || true; fi
if command -v gtk-update-icon-cache >/dev/null; then gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true; fi
exit 0
SCRIPT
    chmod 0755 "$root/DEBIAN/$script"
done
chmod 0755 "$root" "$root/DEBIAN"
chmod -R u=rwX,go=rX "$root/opt" "$root/usr" "$root/DEBIAN/control"
mkdir -p "$OUT"
dpkg-deb --root-owner-group --build "$root" "$OUT/hearth_${version}_${arch}.deb" >/dev/null
echo "package: $OUT/hearth_${version}_${arch}.deb ($(du -h "$OUT/hearth_${version}_${arch}.deb" | cut -f1))"
