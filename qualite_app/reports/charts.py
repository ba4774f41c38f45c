"""Charts from one place: matplotlib ``Figure`` objects (never pyplot state), shared by GUI and PDF."""

from __future__ import annotations

import io
import threading
from typing import Any

from qualite_app import paths


def new_figure(width_cm: float = 16, height_cm: float = 7) -> Any:
    """A Figure with the house font; import matplotlib only when a chart is first needed."""
    _setup_fonts()
    from matplotlib.figure import Figure

    return Figure(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=100, layout="constrained")


_fonts_ready = False
#: the first chart may be drawn by the UI thread (a detail chart) while a worker builds a report:
#: matplotlib's import, font registration and rcParams are set up once, by one thread
_setup_lock = threading.Lock()


def _setup_fonts() -> None:
    global _fonts_ready
    if _fonts_ready:
        return
    with _setup_lock:
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


# --- control charts (indicators): the same Figure in the GUI, the PNG/SVG export and the PDF -------------
SPC_GREY = "#7f7f7f"
ANNOTATION_COLOURS = {"rebase": "#1F3A5F", "note": "#5B6573", "action": "#2A7F8E"}


def spc_figure(serie: Any, width_cm: float = 17, height_cm: float = 8.5, *, annotations: bool = True) -> Any:
    """A control chart of ``serie`` (``services.indicateurs.Serie``): values coloured by variation, centre
    line and limits per segment, target, NR/DI markers, rebases, notes and PAQSS actions."""
    from qualite_app.rules import spc as rules

    _setup_fonts()
    from matplotlib.figure import Figure

    # fixed margins rather than the constrained layout of new_figure(): it costs a third of the drawing time
    fig = Figure(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=100)
    fig.subplots_adjust(left=0.075, right=0.985, top=0.9, bottom=0.2)
    ax = fig.add_subplot(1, 1, 1)
    style_axes(ax)
    res = serie.spc
    n = len(serie.periodes)
    nan = float("nan")
    xs = list(range(n))
    ys = [nan if v is None else v for v in (p.value for p in res.points)]
    if n == 0:
        ax.text(0.5, 0.5, "Aucun résultat saisi", ha="center", va="center", transform=ax.transAxes, color=SPC_GREY)
        ax.set_xticks([])
        ax.set_yticks([])
        return fig
    ax.plot(xs, ys, color=SPC_GREY, linewidth=1.2, zorder=2)
    # bridge gaps with a dotted line so a missing period does not look like the end of the series
    real = [i for i in xs if ys[i] == ys[i]]
    for a, b in zip(real, real[1:], strict=False):
        if b - a > 1:
            ax.plot([a, b], [ys[a], ys[b]], color=SPC_GREY, linewidth=0.8, linestyle=":", zorder=1)
    colours = [rules.COLOURS[p.variation] for p in res.points]
    ax.scatter([x for x in real], [ys[x] for x in real], c=[colours[x] for x in real], s=22, zorder=3, edgecolors="white", linewidths=0.5)
    label_done: set[str] = set()

    def once(label: str) -> str:
        if label in label_done:
            return "_nolegend_"
        label_done.add(label)
        return label

    for k_seg, seg in enumerate(res.segments):
        seg_x = list(range(seg.start, seg.end + 1))
        centre = [res.points[i].centre if res.points[i].centre is not None else nan for i in seg_x]
        name = "Médiane" if res.chart == rules.RUN else "Moyenne"
        ax.plot(seg_x, centre, color="#1F3A5F", linewidth=1.1, label=once(name), zorder=1)
        if res.chart != rules.RUN:
            lo = [res.points[i].lcl if res.points[i].lcl is not None else nan for i in seg_x]
            hi = [res.points[i].ucl if res.points[i].ucl is not None else nan for i in seg_x]
            kw: dict[str, Any] = {"color": "#8a94a3", "linewidth": 0.9, "linestyle": "--", "zorder": 1}
            if res.chart in (rules.P, rules.U):  # limits per point: steps
                ax.step(seg_x, hi, where="mid", label=once("Limites de contrôle"), gid=f"lsc-{k_seg}", **kw)
                ax.step(seg_x, lo, where="mid", gid=f"lic-{k_seg}", **kw)
            else:
                ax.plot(seg_x, hi, label=once("Limites de contrôle"), gid=f"lsc-{k_seg}", **kw)
                ax.plot(seg_x, lo, gid=f"lic-{k_seg}", **kw)
    targets = [nan if c is None else c for c in serie.cibles]
    if any(t == t for t in targets):
        ax.step(xs, targets, where="mid", color="#C62828", linewidth=1.0, linestyle=(0, (6, 3)), label="Cible", zorder=1)
    # NR / NV / DI: no value, but shown
    bottom = ax.get_ylim()[0]
    for i, st in enumerate(serie.statuts):
        if st in ("NR", "DI") or (st and ys[i] != ys[i]):
            ax.annotate(st, (i, bottom), xytext=(0, 2), textcoords="offset points", ha="center", va="bottom", fontsize=7, color="#C62828")
    if annotations:
        top = ax.get_ylim()[1]
        for k, a in enumerate(serie.annotations):
            colour = ANNOTATION_COLOURS.get(a.nature, SPC_GREY)
            ax.axvline(a.index - (0.5 if a.nature == "rebase" else 0), color=colour, linewidth=0.9, linestyle="-" if a.nature == "rebase" else ":", zorder=0)
            prefix = {"rebase": "Nouvelles limites : ", "action": "Action PAQSS ", "note": ""}.get(a.nature, "")
            text = prefix + a.texte
            if len(text) > 42:
                text = text[:41] + "…"
            ax.annotate(
                text, (a.index, top), xytext=(3, -4 - 9 * (k % 3)), textcoords="offset points", fontsize=6.5, color=colour,
                va="top", ha="left", clip_on=False,
            )  # fmt: skip
    if res.provisional:
        ax.text(1, 1.01, "Limites provisoires (moins de 12 points)", transform=ax.transAxes, ha="right", va="bottom", fontsize=7, color="#E46C0A")
    # x axis: about a dozen labels
    every = max(1, round(n / 12))
    ticks = list(range(0, n, every))
    ax.set_xticks(ticks)
    ax.set_xticklabels([serie.periodes[i].court for i in ticks], rotation=0, fontsize=7)
    ax.set_xlim(-0.6, n - 0.4)
    unit = serie.unite if serie.unite not in ("", "ratio") else ""
    if unit:
        ax.set_ylabel(unit, fontsize=8)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=4, fontsize=7, frameon=False)
    return fig


def figure_svg(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()
