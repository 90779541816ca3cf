"""Overzicht: the eenheid's headline figures, a map per gemeente, the ranking and what changed."""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import html

from dashboard import data
from dashboard.components import layout as ui
from dashboard.components import maps
from dashboard.components.cells import change_cell, gemeente_cell, rate_cell, value_cell
from dashboard.components.tables import Cell, Column, table
from dashboard.state import ViewState
from pipeline.dutch import number, period_label, signed_percent, value_text
from pipeline.notable import sentences

dash.register_page(__name__, path="/", name="Overzicht", title="Overzicht — GVB", order=0)

HEADLINES = ("M_TOTAAL", "M_HIC", "M_WONINGINBRAAK", "M_GEWELD", "I_TOTAAL", "H_VERWIJZINGEN")
NOTABLE_SHOWN = 10


def headline_cards(state: ViewState) -> html.Section:
    cards = []
    frame = data.area_values(state.edition, "RE07", state.period)
    frame = frame[frame["indicator_code"].isin(HEADLINES)].set_index("indicator_code")
    for code in HEADLINES:
        if code not in frame.index:
            continue
        row = frame.loc[code]
        change = signed_percent(row.change_pct) if pd.notna(row.change_pct) else ""
        cards.append(
            html.Div(
                [
                    html.H3(row.indicator_label, className="card-title"),
                    html.P(value_text(row.display_value, row.unit), className="card-value"),
                    html.P(
                        [
                            f"{change} t.o.v. een jaar eerder" if change else "geen vergelijking",
                            *(
                                [
                                    html.Span(
                                        f" · {row.change_label}",
                                        className=f"label-{row.change_label.replace(' ', '-')}",
                                    )
                                ]
                                if pd.notna(row.change_label)
                                else []
                            ),
                        ],
                        className="card-change",
                    ),
                ],
                className="card",
            )
        )
    return html.Section(
        [html.H2(f"Politie-eenheid Rotterdam, {period_label(state.period)}"), html.Div(cards, className="cards")],
        **{"aria-labelledby": "page-title"},
    )


def map_section(state: ViewState) -> html.Section:
    frame = data.values(state.edition, state.period, state.indicator)
    if frame.empty:
        return html.Section(html.P("Voor deze indicator en periode zijn er geen cijfers per gemeente."))
    label = frame["indicator_label"].iloc[0]
    per_1000 = frame["rate_per_1000"].notna().any()
    measure = "rate_per_1000" if per_1000 else "value"
    unit = "per 1.000 inwoners" if per_1000 else str(frame["unit"].iloc[0])
    if per_1000 and label.startswith("Halt"):
        unit = "per 1.000 jongeren van 12–17"
    title = f"{label}, {period_label(state.period)} ({unit})"
    query = state.query()
    choices = html.Nav(
        [
            html.A(
                "Tegelkaart",
                href=f"/{state.query(kaart='tegels')}",
                className="toggle" + (" active" if state.kaart == "tegels" else ""),
                **({"aria-current": "true"} if state.kaart == "tegels" else {}),
            ),
            html.A(
                "Geografische kaart",
                href=f"/{state.query(kaart='geografisch')}",
                className="toggle" + (" active" if state.kaart == "geografisch" else ""),
                **({"aria-current": "true"} if state.kaart == "geografisch" else {}),
            ),
        ],
        className="toggles",
        **{"aria-label": "Soort kaart"},
    )
    figure = maps.choropleth(frame, measure, unit, title) if state.kaart == "geografisch" else None
    if state.kaart == "geografisch" and figure is None:
        shown: Any = [
            html.P(
                "Er zijn geen gemeentegrenzen ingesteld (GVB_GEO); de tegelkaart staat hieronder.", className="muted"
            ),
            maps.tile_map(frame, measure, unit, query, title),
        ]
    elif figure is not None:
        shown = [
            maps.choropleth_graph(figure, {"type": "map", "name": "overzicht"}),
            html.P(
                "Klik op een gemeente om haar pagina te openen; de ranglijst hiernaast bevat dezelfde cijfers met links.",
                className="muted",
            ),
        ]
    else:
        shown = [maps.tile_map(frame, measure, unit, query, title)]
    ranked = frame.sort_values(measure, ascending=False, na_position="last")
    rows = [
        [
            gemeente_cell(r, query),
            value_cell(r),
            rate_cell(r.rate_per_1000),
            change_cell(r),
            Cell(number(r.rank) if pd.notna(r.rank) else "", r.rank if pd.notna(r.rank) else None),
        ]
        for r in data.rows(ranked)
    ]
    columns = [
        Column("Gemeente"),
        Column("Aantal", True),
        Column("Per 1.000", True),
        Column("Verandering", True),
        Column("Rang", True),
    ]
    ranking = table(f"Ranglijst: {title}", columns, rows, id="ranglijst")
    return html.Section(
        [
            html.H2("Per gemeente"),
            choices,
            html.Div(
                [html.Div(shown, className="map-col"), html.Div(ranking, className="rank-col")], className="two-col"
            ),
        ],
    )


def notable_section(state: ViewState) -> html.Section:
    frame = data.notable(state.edition, state.period)
    items = sentences(frame)
    body: list[Any]
    if not items:
        body = [html.P("Geen significante veranderingen ten opzichte van een jaar eerder.")]
    else:
        body = [html.Ul([html.Li(s) for s in items[:NOTABLE_SHOWN]], className="notable")]
        if len(items) > NOTABLE_SHOWN:
            body.append(
                html.Details(
                    [
                        html.Summary(f"Alle {len(items)} opvallende ontwikkelingen"),
                        html.Ul([html.Li(s) for s in items[NOTABLE_SHOWN:]], className="notable"),
                    ]
                )
            )
    return html.Section([html.H2("Opvallende ontwikkelingen"), *body], id="opvallend")


@ui.view
def layout(state: ViewState) -> html.Div:
    return ui.page(
        state,
        "Overzicht",
        ui.controls(ui.edition_picker(state), ui.period_picker(state), ui.indicator_picker(state)),
        headline_cards(state),
        notable_section(state),
        map_section(state),
        lead="Hoe staat de eenheid ervoor, en wat veranderde er ten opzichte van een jaar eerder?",
    )
