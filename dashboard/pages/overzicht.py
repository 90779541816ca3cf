"""Overzicht: the eenheid's headline figures, a map per gemeente, the ranking and what changed."""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import html

from dashboard import data, urls
from dashboard.components import layout as ui
from dashboard.components import maps
from dashboard.components.cells import change_cell, figure_cell, gemeente_cell, rate_cell, value_cell
from dashboard.components.notes import note_links, notes_section
from dashboard.components.tables import Column, table
from dashboard.state import ViewState
from pipeline.presentation.dutch import number, period_label, value_text
from pipeline.presentation.figures import (
    change_reason,
    change_text,
    has_rates,
    judgement,
    per_1000,
    population_note,
    rate_heading,
    value_heading,
)
from pipeline.presentation.notable import sentences

dash.register_page(__name__, path=urls.OVERZICHT, name="Overzicht", title="Overzicht — GVB", order=0)

HEADLINES = ("M_TOTAAL", "M_HIC", "M_WONINGINBRAAK", "M_GEWELD", "I_TOTAAL", "H_VERWIJZINGEN")
NOTABLE_SHOWN = 10


def headline_cards(state: ViewState, notes: pd.DataFrame) -> html.Section:
    cards = []
    code, region = data.region(state.edition)
    frame = data.area_values(state.edition, code, state.period)
    frame = frame[frame["indicator_code"].isin(HEADLINES)].set_index("indicator_code")
    for code in HEADLINES:
        if code not in frame.index:
            continue
        row = frame.loc[code]
        change = change_text(row)
        label = judgement(row, short=True)
        cards.append(
            html.Div(
                [
                    html.H3(row.indicator_label, className="card-title"),
                    html.P(value_text(row.display_value, row.unit), className="card-value"),
                    html.P(
                        [
                            f"{change} t.o.v. een jaar eerder"
                            if change
                            else f"geen vergelijking: {change_reason(row)}",
                            *(
                                [html.Span(f" · {label}", className=f"label-{label.replace(' ', '-')}")]
                                if label
                                else []
                            ),
                        ],
                        className="card-change",
                    ),
                    *(
                        [html.P(links, className="card-notes")]
                        if (links := note_links(notes, code, row.indicator_label))
                        else []
                    ),
                ],
                className="card",
            )
        )
    return html.Section(
        [html.H2(f"{region[0].upper()}{region[1:]}, {period_label(state.period)}"), html.Div(cards, className="cards")],
        **{"aria-labelledby": "page-title"},
    )


def map_section(state: ViewState) -> html.Section:
    frame = data.values(state.edition, state.period, state.indicator)
    if frame.empty or not (frame["value"].notna() | frame["suppressed"]).any():
        return html.Section(no_figures(state), id="per-gemeente")
    label = frame["indicator_label"].iloc[0]
    has_rate = frame["rate_per_1000"].notna().any()
    measure = "rate_per_1000" if has_rate else "value"
    unit = per_1000(frame["rate_denominator"].dropna().iloc[0]) if has_rate else str(frame["unit"].iloc[0])
    title = f"{label}, {period_label(state.period)} ({unit})"
    query = state.query()
    choices = html.Nav(
        [
            html.A(
                "Tegelkaart",
                href=urls.page(urls.OVERZICHT, state.query(kaart="tegels")),
                className="toggle" + (" active" if state.kaart == "tegels" else ""),
                **({"aria-current": "true"} if state.kaart == "tegels" else {}),
            ),
            html.A(
                "Geografische kaart",
                href=urls.page(urls.OVERZICHT, state.query(kaart="geografisch")),
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
            html.P("De gemeentegrenzen zijn niet te lezen; de tegelkaart staat hieronder.", className="muted"),
            maps.tile_map(frame, measure, unit, query, title),
        ]
    elif figure is not None:
        shown = [
            maps.choropleth_graph(figure, {"type": "map", "name": "overzicht"}),
            html.P(
                "Klik op een gemeente om haar pagina te openen; de ranglijst hiernaast bevat dezelfde cijfers met links. "
                + maps.ATTRIBUTION
                + ".",
                className="muted",
            ),
        ]
    else:
        shown = [maps.tile_map(frame, measure, unit, query, title)]
    ranked = frame.sort_values(measure, ascending=False, na_position="last")
    rows = [
        [
            gemeente_cell(r, query),
            figure_cell(r, "rate_per_1000", number(r.rank) if pd.notna(r.rank) else "", r.rank),
            value_cell(r),
            rate_cell(r.rate_per_1000, r),
            change_cell(r),
        ]
        for r in data.rows(ranked)
    ]
    columns = [
        Column("Gemeente"),
        Column("Rang", True),
        Column(value_heading(frame["unit"]), True),
        Column(rate_heading(frame["rate_denominator"]), True, has_rates(frame)),
        Column("Verandering", True),
    ]
    ranking = table(f"Ranglijst: {title}", columns, rows, id="ranglijst")
    return html.Section(
        [
            html.H2("Per gemeente"),
            choices,
            html.Div(
                [html.Div(shown, className="map-col"), html.Div(ranking, className="rank-col")], className="two-col"
            ),
            *([html.P(note, className="muted")] if (note := population_note(frame)) else []),
        ],
    )


def no_figures(state: ViewState) -> list[Any]:
    """What the map and ranking say when the indicator has no figures per gemeente in the period."""
    label = data.indicators(state.edition).set_index("indicator_code")["indicator_label"].get(state.indicator)
    periods = data.periods(state.edition, state.indicator)
    body: list[Any] = [
        html.H2("Per gemeente"),
        html.P(f"Voor {label or state.indicator} zijn er in {period_label(state.period)} geen cijfers per gemeente."),
    ]
    if periods:
        body.append(
            html.P(
                [
                    "De nieuwste periode met cijfers is ",
                    html.A(period_label(periods[0]), href=urls.page(urls.OVERZICHT, state.query(periode=periods[0]))),
                    ".",
                ]
            )
        )
    return body


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
    ui.figure_indicator(state)
    region_code, region_name = data.region(state.edition)
    notes = data.notes(state.edition, region_code, state.period)
    return ui.page(
        state,
        "Overzicht",
        ui.controls(ui.edition_picker(state), ui.period_picker(state, state.indicator), ui.indicator_picker(state)),
        headline_cards(state, notes),
        notable_section(state),
        notes_section(notes, {region_code: region_name}),
        map_section(state),
        lead="Hoe staat de eenheid ervoor, en wat veranderde er ten opzichte van een jaar eerder?",
    )
