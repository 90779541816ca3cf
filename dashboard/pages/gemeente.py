"""Gemeente: every indicator with its comparisons, trends since 2017, the survey, and downloads."""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import html

from dashboard import data
from dashboard.components import charts
from dashboard.components import layout as ui
from dashboard.components.cells import change_cell, rate_cell, value_cell
from dashboard.components.tables import Cell, Column, table
from dashboard.routes import report_file
from dashboard.state import ViewState
from pipeline.dutch import number, period_label, signed
from pipeline.notable import sentences
from pipeline.wording import THEMES

dash.register_page(
    __name__,
    path_template="/gemeente/<code>",
    name="Gemeente",
    title=lambda code=None, **_: f"{_name(code)} — GVB",
    order=1,
)


def _name(code: str | None) -> str:
    """The gemeente's name for the browser tab (its code when it is unknown)."""
    ed = data.edition(None)
    if ed is None or not code:
        return code or "Gemeente"
    names = data.gemeenten(ed).set_index("area_code")["area_name"]
    return str(names.get(code, code))


FIGURE_COLUMNS = [
    Column("Indicator"),
    Column("Waarde", True),
    Column("Een jaar eerder", True),
    Column("Verandering", True),
    Column("Gemiddelde 3 jaar", True),
    Column("Per 1.000", True),
    Column("District per 1.000", True),
    Column("Eenheid per 1.000", True),
]


def key_figures(state: ViewState, code: str) -> list[Any]:
    frame = data.area_values(state.edition, code, state.period)
    sections: list[Any] = []
    for theme, title in THEMES.items():
        rows = frame[frame["thema"] == theme]
        if rows.empty:
            continue
        body = [
            [
                Cell(r.indicator_label, r.indicator_label),
                value_cell(r),
                Cell("" if r.suppressed or pd.isna(r.prev_value) else number(r.prev_value), r.prev_value),
                change_cell(r),
                Cell("" if pd.isna(r.avg_3y) else number(r.avg_3y, 1), r.avg_3y),
                rate_cell(r.rate_per_1000),
                rate_cell(r.benchmark_district_rate),
                rate_cell(r.benchmark_eenheid_rate),
            ]
            for r in data.rows(rows)
        ]
        sections.append(
            html.Section([html.H3(title), table(f"{title}, {period_label(state.period)}", FIGURE_COLUMNS, body)])
        )
    if not sections:
        sections.append(html.P("Voor deze periode zijn er geen cijfers."))
    return sections


def trend_section(state: ViewState, code: str, name: str) -> html.Section:
    label = data.indicators(state.edition).set_index("indicator_code").loc[state.indicator, "indicator_label"]
    series = data.trend(state.edition, (code,), state.indicator)
    series = series[series["period"] >= "2017"]
    grain = series["period_type"].iloc[0] if len(series) else "halfjaar"
    title = f"{label} in {name}, per {grain}"
    fig = charts.trend_figure(series, title)
    columns, rows = charts.trend_table_rows(series)
    note = None
    if series["suppressed"].any():
        shown = "halfjaren" if grain == "halfjaar" else "jaren"
        note = html.P(f"Afgeschermde {shown} zijn in de lijn weggelaten.", className="muted")
    return html.Section(
        [
            html.H2("Ontwikkeling sinds 2017"),
            ui.controls(ui.indicator_picker(state), label="Indicator van de grafiek"),
            charts.graph_with_table(fig, "trend-gemeente", title, columns, rows),
            note,
        ]
    )


def survey_section(state: ViewState, code: str) -> html.Section:
    frame = data.survey_latest(state.edition, code)
    if frame.empty:
        return html.Section([html.H2("Veiligheidsmonitor"), html.P("Geen enquêtecijfers voor deze gemeente.")])
    wave = str(frame["period"].iloc[0])
    rows = []
    for r in data.rows(frame):
        shown = "onvoldoende respons" if r.withheld else str(r.display_value)
        margin = "" if r.withheld or pd.isna(r.margin) else f"± {number(r.margin, 1)}"
        change = "" if pd.isna(r.change) else signed(r.change, 1) + (" (significant)" if r.significant else "")
        rows.append(
            [
                r.indicator_label,
                Cell(shown, r.value),
                Cell(margin, r.margin),
                Cell(number(r.prev_value, 1) if pd.notna(r.prev_value) else "", r.prev_value),
                Cell(change, r.change),
            ]
        )
    columns = [
        Column("Indicator"),
        Column(f"{wave}", True),
        Column("Marge", True),
        Column("Vorige meting", True),
        Column("Verschil", True),
    ]
    return html.Section(
        [
            html.H2(f"Veiligheidsmonitor {wave}"),
            html.P(
                "Enquêtecijfers met hun marge (95 %-betrouwbaarheid); een verschil is significant als het groter is "
                "dan de gecombineerde marge.",
                className="muted",
            ),
            table(f"Veiligheidsmonitor {wave}", columns, rows),
        ]
    )


def downloads(state: ViewState, code: str, name: str) -> html.Section:
    links = []
    for extension, label in (("pdf", "PDF-rapport"), ("xlsx", "Excel"), ("csv", "CSV (alle cijfers)")):
        available = extension == "csv" or report_file(state.edition, code, extension) is not None
        if available:
            links.append(
                html.Li(
                    html.A(
                        f"{label} van {name}", href=f"/download/{state.edition.code}/{code}.{extension}", download=""
                    )
                )
            )
        else:
            links.append(html.Li(f"{label}: nog niet gemaakt voor deze editie", className="muted"))
    return html.Section([html.H2("Downloads"), html.Ul(links, className="downloads")], id="downloads")


@ui.view(gemeente_from="code")
def layout(state: ViewState) -> html.Div:
    code = state.gemeenten[0]
    gemeenten = data.gemeenten(state.edition).set_index("area_code")
    name = str(gemeenten.loc[code, "area_name"])
    district = gemeenten.loc[code, "district_code"]
    districts = data.areas(state.edition).set_index("area_code")["area_name"]
    district_text = (
        f"district {districts.get(district, district)}" if isinstance(district, str) else "verdeeld over districten"
    )
    notable = sentences(data.notable(state.edition, state.period, code))
    return ui.page(
        state,
        name,
        ui.controls(ui.gemeente_picker(state, code), ui.edition_picker(state), ui.period_picker(state)),
        html.Section(
            [
                html.H2("Opvallende ontwikkelingen"),
                html.Ul([html.Li(s) for s in notable], className="notable")
                if notable
                else html.P("Geen significante veranderingen ten opzichte van een jaar eerder."),
            ],
            id="opvallend",
        ),
        html.Section([html.H2(f"Kerncijfers {period_label(state.period)}"), *key_figures(state, code)]),
        trend_section(state, code, name),
        survey_section(state, code),
        downloads(state, code, name),
        lead=f"Gemeente {name} ({code}), {district_text}, politie-eenheid Rotterdam.",
    )
