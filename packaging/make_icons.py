"""Render resources/icons/hearth.svg to the PNG sizes desktops ask for (and a .ico for
Windows): `python packaging/make_icons.py`. The PNGs are committed; run this after
changing the SVG."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "hearth.svg"))
    if not renderer.isValid():
        print("hearth.svg is not a valid SVG", file=sys.stderr)
        return 1
    for size in SIZES:
        image = QImage(QSize(size, size), QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        image.save(str(ICONS / f"hearth-{size}.png"))
    QImage(str(ICONS / "hearth-256.png")).save(str(ICONS / "hearth.ico"))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
