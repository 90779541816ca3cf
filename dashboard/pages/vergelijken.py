"""Vergelijken: several gemeenten side by side, as a table and as small multiples."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import html
from plotly.subplots import make_subplots

from dashboard import data, urls
from dashboard.components import charts
from dashboard.components import layout as ui
from dashboard.components.cells import change_cell, gemeente_cell, rate_cell, value_cell
from dashboard.components.tables import Column, table
from dashboard.state import ViewState
from pipeline.presentation.dutch import period_label
from pipeline.presentation.figures import (
    has_rates,
    per_1000,
    period_position,
    rate_heading,
    since_phrase,
    value_heading,
    year_axis,
)

dash.register_page(__name__, path=urls.VERGELIJKEN, name="Vergelijken", title="Vergelijken — GVB", order=2)

DEFAULT_SET = ("GM0599", "GM0505", "GM0606")
MAX_PANELS = 9


def small_multiples(series: pd.DataFrame, names: list[str], title: str) -> go.Figure:
    columns = 3
    rows = (len(names) + columns - 1) // columns
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=names, shared_yaxes=True)
    for index, name in enumerate(names):
        part = series[series["area_name"] == name]
        fig.add_trace(
            go.Scatter(
                x=[period_position(p) for p in part["period"]],
                y=part["rate_per_1000"] if part["rate_per_1000"].notna().any() else part["value"],
                mode="lines+markers",
                marker={"size": 4},
                name=name,
                line={"color": charts.PALETTE[0], "width": 2},
                showlegend=False,
                customdata=[period_label(p) for p in part["period"]],
                hovertemplate="%{customdata}: %{y:,.2f}<extra>" + name + "</extra>",
            ),
            row=index // columns + 1,
            col=index % columns + 1,
        )
    fig = charts.base_layout(fig, title, height=220 * rows + 80)
    fig.update_layout(margin={"t": 80})
    fig.update_xaxes(showticklabels=True, tickangle=0, **year_axis(list(series["period"]), max_ticks=3))
    return fig


@ui.view
def layout(state: ViewState) -> html.Div:
    ui.figure_indicator(state)
    gemeenten = data.gemeenten(state.edition)
    chosen = state.gemeenten or [c for c in DEFAULT_SET if c in set(gemeenten["area_code"])]
    checklist = html.Fieldset(
        [
            html.Legend("Gemeenten"),
            dbc.Checklist(
                id={"type": "state", "key": "gemeenten"},
                options=[{"label": r.area_name, "value": r.area_code} for r in data.rows(gemeenten)],
                value=chosen,
                inline=True,
                className="gemeente-checklist",
            ),
            ui.shown("gemeenten", chosen),
        ],
        className="fieldset",
    )
    values = data.values(state.edition, state.period, state.indicator)
    values = values[values["area_code"].isin(chosen)]
    label = values["indicator_label"].iloc[0] if not values.empty else state.indicator
    query = state.query()
    rows = [
        [
            gemeente_cell(r, query),
            value_cell(r),
            rate_cell(r.rate_per_1000, r),
            change_cell(r),
            rate_cell(r.benchmark_eenheid_rate, r, "benchmark_eenheid_rate"),
        ]
        for r in data.rows(values)
    ]
    columns = [
        Column("Gemeente"),
        Column(value_heading(values["unit"]), True),
        Column(rate_heading(values["rate_denominator"]), True, has_rates(values)),
        Column("Verandering", True),
        Column(rate_heading(values["rate_denominator"], "eenheid"), True, has_rates(values)),
    ]
    title = f"{label}, {period_label(state.period)}"
    series = data.trend(state.edition, tuple(chosen[:MAX_PANELS]), state.indicator)
    series = series[series["period"] >= "2017"]
    names = [n for n in values["area_name"].tolist() if n in set(series["area_name"])][:MAX_PANELS]
    grain = series["period_type"].iloc[0] if len(series) else "halfjaar"
    denominator = per_1000(next(iter(values["rate_denominator"].dropna()), None))
    chart_title = f"{label} per {grain} {since_phrase(series['period'])}".strip() + (
        f" ({denominator})" if denominator else ""
    )
    trend_columns, trend_rows = charts.trend_table_rows(series)
    return ui.page(
        state,
        "Vergelijken",
        ui.controls(ui.edition_picker(state), ui.period_picker(state, state.indicator), ui.indicator_picker(state)),
        checklist,
        html.Section([html.H2(title), table(title, columns, rows, id="vergelijking")]),
        html.Section(
            [
                html.H2("Ontwikkeling naast elkaar"),
                charts.graph_with_table(
                    small_multiples(series, names, chart_title),
                    "kleine-veelvouden",
                    chart_title,
                    trend_columns,
                    trend_rows,
                )
                if names
                else html.P("Kies een of meer gemeenten."),
            ]
        ),
        lead="Zet gemeenten naast elkaar: dezelfde indicator, dezelfde periode, per 1.000 inwoners (Halt: per 1.000 "
        "jongeren van 12–17 jaar).",
    )
