"""Charts from one place: matplotlib ``Figure`` objects (never pyplot state), shared by GUI and PDF."""

from __future__ import annotations

import io
from typing import Any

from qualite_app import paths


def new_figure(width_cm: float = 16, height_cm: float = 7) -> Any:
    """A Figure with the house font; import matplotlib only when a chart is first needed."""
    _setup_fonts()
    from matplotlib.figure import Figure

    return Figure(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=100, layout="constrained")


_fonts_ready = False


def _setup_fonts() -> None:
    global _fonts_ready
    if _fonts_ready:
        return
    import matplotlib
    from matplotlib import font_manager

    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        font_manager.fontManager.addfont(str(paths.fonts_dir() / name))
    matplotlib.rcParams["font.family"] = "DejaVu Sans"
    matplotlib.rcParams["axes.formatter.use_locale"] = False
    matplotlib.rcParams["svg.hashsalt"] = "qualite"  # deterministic SVG ids
    _fonts_ready = True


def style_axes(ax: Any) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=8)
    ax.grid(axis="y", color="#dde4ec", linewidth=0.6)
    ax.set_axisbelow(True)


def figure_png(fig: Any, dpi: int = 200) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def figure_flowable(fig: Any, width_mm: float = 170) -> Any:
    """A Figure as a ReportLab flowable (vector SVG would need svglib; PNG at 200 dpi is crisp in print)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Image

    w, h = fig.get_size_inches()
    data = io.BytesIO(figure_png(fig))
    return Image(data, width=width_mm * mm, height=width_mm * mm * h / w)
