"""The statistics charts of the area (by month, type, service, severity): one matplotlib Figure, the same
in the page and in an export. Pure: data → Figure (matplotlib imported when first drawn)."""

from __future__ import annotations

from typing import Any

from qualite_app.reports import charts
from qualite_app.rules.periodes import MOIS_COURT


def _short(label: str, n: int = 28) -> str:
    return label if len(label) <= n else label[: n - 1] + "…"


def figure(st: Any, *, width_cm: float = 30, height_cm: float = 17) -> Any:
    """Four panels: events per month (EIGS on top), by type, by severity, the ten services declaring most."""
    fig = charts.new_figure(width_cm, height_cm)
    grid = fig.add_gridspec(2, 3)
    ax = fig.add_subplot(grid[0, :])
    months = [m for m, _ in st.par_mois]
    xs = range(len(months))
    ax.bar(xs, [n for _, n in st.par_mois], color="#2A7F8E", width=0.75)
    step = max(1, len(months) // 12)
    ax.set_xticks(list(xs)[::step], [f"{MOIS_COURT[int(m[5:]) - 1]} {m[2:4]}" for m in months][::step])
    ax.set_title(
        f"Événements par mois de survenue — {st.total} au total, dont {st.eigs} EIGS", fontsize=9, loc="left"
    )
    charts.style_axes(ax)
    for col, (title, items, colour) in enumerate((
        ("Par type", st.par_type[:10], "#1F3A5F"),
        ("Par gravité", st.par_gravite, "#C62828"),
        ("Services (les 10 premiers)", st.par_service[:10], "#5B6573"),
    )):  # fmt: skip
        a = fig.add_subplot(grid[1, col])
        labels = [_short(lab) for lab, _ in items][::-1]
        a.barh(labels, [n for _, n in items][::-1], color=colour, height=0.6)
        a.set_title(title, fontsize=9, loc="left")
        a.tick_params(axis="y", labelsize=7)
        charts.style_axes(a)
        a.grid(axis="y", visible=False)
        a.grid(axis="x", color="#dde4ec", linewidth=0.6)
    return fig
