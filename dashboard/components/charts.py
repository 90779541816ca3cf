"""Charts with Dutch number formats, a colour-blind-safe palette and a table alternative each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboard.components.tables import Column, table
from pipeline.presentation.dutch import period_label, rate
from pipeline.presentation.figures import period_position, year_axis
from pipeline.presentation.wording import SUPPRESSED_MARKER

#: Okabe & Ito, safe for the common forms of colour blindness
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
GRAPH_CONFIG = {"displayModeBar": False, "responsive": True, "locale": "nl"}


FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif", "color": "#1a1a1a"}


def layout_dict(title: str, height: int = 320) -> dict[str, Any]:
    """The common chart layout: Dutch separators (``1.234,5``), the palette, quiet grid lines."""
    return {
        "title": {"text": title, "x": 0, "font": {"size": 15}},
        "separators": ",.",
        "height": height,
        "margin": {"l": 50, "r": 10, "t": 40, "b": 40},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "font": FONT,
        "legend": {"orientation": "h", "y": -0.2},
        "colorway": list(PALETTE),
        "yaxis": {"gridcolor": "#e5e5e5", "rangemode": "tozero", "tickformat": ",~r"},
        "xaxis": {"gridcolor": "#f0f0f0"},
    }


def base_layout(fig: go.Figure, title: str, height: int = 320) -> go.Figure:
    layout = layout_dict(title, height)
    axes = {"y": layout.pop("yaxis"), "x": layout.pop("xaxis")}
    fig.update_layout(**layout)
    fig.update_yaxes(**axes["y"])
    fig.update_xaxes(**axes["x"])
    return fig


def trend_figure(series: pd.DataFrame, title: str, value_column: str = "value") -> dict[str, Any]:
    """Lines over time, one per area (``area_name``): half-years as points on a real time axis
    with the years on its ticks; suppressed points are gaps.

    A plain figure dict: building a ``go.Figure`` validates every property and costs more than the
    rest of the page.
    """
    traces = []
    for index, (name, rows) in enumerate(series.groupby("area_name", sort=False)):
        values = rows[value_column].astype("float64")
        traces.append(
            {
                "type": "scatter",
                "x": [period_position(p) for p in rows["period"]],
                "y": [None if pd.isna(v) else float(v) for v in values],
                "customdata": [period_label(p) for p in rows["period"]],
                "name": str(name),
                "mode": "lines+markers",
                "line": {"color": PALETTE[index % len(PALETTE)], "width": 2},
                "marker": {"symbol": ["circle", "square", "diamond", "triangle-up"][index % 4], "size": 7},
                "hovertemplate": "%{customdata}: %{y:,.1f}<extra>" + str(name) + "</extra>",
            }
        )
    layout = layout_dict(title)
    layout["xaxis"] = year_axis(list(series["period"]))
    layout["showlegend"] = len(traces) > 1
    return {"data": traces, "layout": layout}


def graph_with_table(
    fig: go.Figure | dict[str, Any],
    graph_id: str,
    caption: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
) -> html.Figure:
    """A chart plus the same numbers as a table (in a disclosure, for screen readers and print).
    The title is the figure's caption in the page, where it wraps on a phone; a chart's own title
    is one line of SVG that a narrow screen cuts off."""
    if isinstance(fig, go.Figure):
        fig.update_layout(title_text="", margin_t=30 if fig.layout.annotations else 10)  # room for subplot titles
    else:
        fig = {
            **fig,
            "layout": {**fig["layout"], "title": {"text": ""}, "margin": {**fig["layout"]["margin"], "t": 10}},
        }
    return html.Figure(
        [
            html.Figcaption(caption, className="chart-caption"),
            dcc.Graph(id=graph_id, figure=fig, config=GRAPH_CONFIG, className="chart"),
            html.Details(
                [html.Summary(f"Tabel: {caption}"), table(caption, columns, rows, sortable=False)],
                className="chart-table",
            ),
        ],
        className="chart-figure",
        **{"aria-label": caption},
    )


def trend_table_rows(series: pd.DataFrame, column: str = "display_value") -> tuple[list[Column], list[list[Any]]]:
    """A trend as a table: a row per period, a column per area (the chart's own figures)."""
    shown = series.assign(
        shown=[
            SUPPRESSED_MARKER if hidden else (rate(v) if column == "rate_per_1000" else ("" if pd.isna(v) else str(v)))
            for hidden, v in zip(series["suppressed"], series[column], strict=True)
        ]
    )
    pivot = shown.pivot_table(index="period", columns="area_name", values="shown", aggfunc="first", sort=False)
    pivot = pivot.reindex(sorted(pivot.index))
    columns = [Column("Periode")] + [Column(str(c), numeric=True) for c in pivot.columns]
    rows = [[period_label(p), *["" if pd.isna(v) else str(v) for v in pivot.loc[p]]] for p in pivot.index]
    return columns, rows
