"""Render the application icon (``resources/icons/qualite.svg``) to PNG with Qt's SVG renderer.

The PNG is what the ``.desktop`` file and the bundle use where SVG is not accepted.
Run again after changing the SVG:  ``python tools/render_icon.py [--size 256] [--preview out.png]``.
``--preview`` also draws every icon of the folder on one sheet (light and navy backgrounds) to look at.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"


def render(svg: Path, size: int) -> QImage:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"SVG illisible : {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def preview(out: Path) -> None:
    svgs = sorted(ICONS.glob("*.svg"))
    cell = 96
    sheet = QImage(cell * len(svgs), cell * 2, QImage.Format.Format_ARGB32_Premultiplied)
    sheet.fill(QColor("#F4F6F9"))
    p = QPainter(sheet)
    p.fillRect(0, cell, sheet.width(), cell, QColor("#1F3A5F"))
    for i, svg in enumerate(svgs):
        for row, size in ((0, 64), (1, 24)):
            img = render(svg, size)
            p.drawImage((i * cell) + (cell - size) // 2, row * cell + (cell - size) // 2, img)
    p.end()
    sheet.save(str(out))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--preview", type=Path)
    args = ap.parse_args()
    _app = QGuiApplication(sys.argv[:1])
    out = ICONS / f"qualite-{args.size}.png"
    if not render(ICONS / "qualite.svg", args.size).save(str(out)):
        raise SystemExit(f"Écriture impossible : {out}")
    print(out)
    if args.preview:
        preview(args.preview)
        print(args.preview)
    return 0


if __name__ == "__main__":
    sys.exit(main())
