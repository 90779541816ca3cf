"""Gemeente: every indicator with its comparisons, trends since 2017, the survey, and downloads."""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import html

from dashboard import data, urls
from dashboard.components import charts
from dashboard.components import layout as ui
from dashboard.components.cells import change_cell, figure_cell, rate_cell, reason_cell, value_cell
from dashboard.components.notes import notes_section, with_note_links
from dashboard.components.tables import Cell, Column, table
from dashboard.routes import report_file
from dashboard.state import ViewState
from pipeline.kernel.edition import EDITION_PATTERN
from pipeline.presentation.digest import KINDS, link, news
from pipeline.presentation.dutch import number, period_label, rate
from pipeline.presentation.figures import (
    has_rates,
    in_catalogue_order,
    per_1000,
    population_note,
    previous_text,
    rate_heading,
    since_phrase,
    survey_change_text,
    survey_value_text,
)
from pipeline.presentation.notable import sentences
from pipeline.presentation.wording import THEMES
from pipeline.reference import reference

dash.register_page(
    __name__,
    path_template=urls.GEMEENTE,
    name="Gemeente",
    title=lambda code=None, editie=None, **_: f"{_name(code, editie)} — GVB",
    order=1,
)


def _name(code: str | None, edition: str | None = None) -> str:
    """The gemeente's name for the browser tab, in the edition the URL asks for (its code when unknown)."""
    valid = isinstance(edition, str) and EDITION_PATTERN.fullmatch(edition)
    ed = data.edition(edition if valid else None)
    if ed is None or not code:
        return code or "Gemeente"
    names = data.gemeenten(ed).set_index("area_code")["area_name"]
    return str(names.get(code, code))


def figure_columns(rows: pd.DataFrame) -> list[Column]:
    """The key-figure columns; the rate headers name their denominator (inwoners, jongeren)."""
    denominators = rows["rate_denominator"]
    columns = [
        Column("Indicator"),
        Column("Waarde", True),
        Column("Een jaar eerder", True),
        Column("Verandering", True),
        Column("Gemiddelde 3 jaar ervoor", True),
    ]
    rates = has_rates(rows)  # figures without a denominator (RIEC, Burgernet) have no rate columns
    return [
        *columns,
        Column(rate_heading(denominators), True, rates),
        Column(rate_heading(denominators, "district"), True, rates),
        Column(rate_heading(denominators, "eenheid"), True, rates),
    ]


def key_figures(state: ViewState, code: str, notes: pd.DataFrame) -> list[Any]:
    frame = data.area_values(state.edition, code, state.period)
    sections: list[Any] = []
    for theme, title in THEMES.items():
        rows = in_catalogue_order(frame[frame["thema"] == theme])
        if rows.empty:
            continue
        body = [
            [
                Cell(with_note_links(r.indicator_label, notes, r.indicator_code), r.indicator_label),
                value_cell(r),
                figure_cell(r, "prev_value", "" if r.suppressed else previous_text(r), r.prev_value),
                change_cell(r),
                figure_cell(r, "avg_3y", "" if pd.isna(r.avg_3y) else number(r.avg_3y, 1), r.avg_3y),
                rate_cell(r.rate_per_1000, r),
                rate_cell(r.benchmark_district_rate, r, "benchmark_district_rate"),
                rate_cell(r.benchmark_eenheid_rate, r, "benchmark_eenheid_rate"),
            ]
            for r in data.rows(rows)
        ]
        sections.append(
            html.Section([html.H3(title), table(f"{title}, {period_label(state.period)}", figure_columns(rows), body)])
        )
    if not sections:
        sections.append(html.P("Voor deze periode zijn er geen cijfers."))
    elif note := population_note(frame):
        sections.append(html.P(note, className="muted"))
    return sections


def districts_section(state: ViewState, code: str, name: str) -> html.Section | None:
    """A gemeente split over districts (Rotterdam): the figures of those districts, per 1.000
    inwoners where there is a denominator. A district's figure includes its other gemeenten."""
    split = sorted({r["district_code"] for r in reference().district_indeling if r["gebied_code"][2:6] == code[2:]})
    if not split:
        return None
    frame = in_catalogue_order(data.areas_values(state.edition, tuple(split), state.period))
    frame = frame[frame["value"].notna() | frame["suppressed"]]
    if frame.empty:
        return None
    names = frame.drop_duplicates("area_code").set_index("area_code")["area_name"]
    present = [d for d in split if d in names.index]
    columns = [Column("Indicator"), *[Column(str(names[d]), True) for d in present]]
    rows = []
    for _, part in frame.groupby("indicator_code", sort=False):
        by_district = {r.area_code: r for r in data.rows(part)}
        cells: list[Any] = [str(part["indicator_label"].iloc[0])]
        for d in present:
            r = by_district.get(d)
            if r is None:
                cells.append(reason_cell("geen cijfer"))
            elif r.suppressed or pd.isna(r.rate_per_1000):
                cells.append(value_cell(r))
            else:
                cells.append(Cell(f"{r.display_value} ({rate(r.rate_per_1000)})", r.rate_per_1000))
        rows.append(cells)
    return html.Section(
        [
            html.H2(f"De districten van {name}"),
            html.P(
                f"{name} is verdeeld over {len(present)} districten. Hun cijfers tellen ook de andere gemeenten van "
                "het district mee; tussen haakjes per 1.000 inwoners (Halt: per 1.000 jongeren van 12–17 jaar).",
                className="muted",
            ),
            table(f"Districten van {name}, {period_label(state.period)}", columns, rows, id="districten"),
        ]
    )


def trend_section(state: ViewState, code: str, name: str, district: str | None) -> html.Section:
    """The chosen indicator since 2017: the gemeente's rate beside its district's and the eenheid's
    (counts without a denominator are not comparable between areas: then the gemeente alone)."""
    label = data.indicators(state.edition).set_index("indicator_code").loc[state.indicator, "indicator_label"]
    eenheid = data.areas(state.edition).query("level == 'eenheid'")["area_code"].tolist()
    own = data.trend(state.edition, (code,), state.indicator)
    has_rate = bool(own["rate_per_1000"].notna().any())
    areas = (code, *([district] if district else []), *eenheid) if has_rate else (code,)
    series = data.trend(state.edition, areas, state.indicator)
    series = series[series["period"] >= "2017"]
    series = series.assign(order=series["area_code"].map({a: i for i, a in enumerate(areas)})).sort_values(
        ["order", "period"]
    )
    grain = series["period_type"].iloc[0] if len(series) else "halfjaar"
    denominator = per_1000(next(iter(series["rate_denominator"].dropna()), None)) if has_rate else ""
    names = data.areas(state.edition).drop_duplicates("area_code").set_index("area_code")["area_name"]
    who = (
        name
        if len(areas) == 1
        else (
            f"{name}, district {names.get(district, district)} en de eenheid" if district else f"{name} en de eenheid"
        )
    )
    title = f"{label} in {who}, per {grain}" + (f" ({denominator})" if denominator else "")
    fig = charts.trend_figure(series, title, "rate_per_1000" if has_rate else "value")
    columns, rows = charts.trend_table_rows(series, "rate_per_1000" if has_rate else "display_value")
    note = None
    if series["suppressed"].any():
        shown = "halfjaren" if grain == "halfjaar" else "jaren"
        note = html.P(f"Afgeschermde {shown} zijn in de lijn weggelaten.", className="muted")
    return html.Section(
        [
            html.H2(" ".join(["Ontwikkeling", since_phrase(series["period"])]).strip()),
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
    frame = in_catalogue_order(frame)
    rows = [
        [
            r.indicator_label,
            Cell(survey_value_text(r), None if pd.isna(r.value) else r.value),
            Cell("" if r.withheld or pd.isna(r.margin) else f"± {number(r.margin, 1)}", r.margin),
            Cell(number(r.prev_value, 1) if pd.notna(r.prev_value) else "geen", r.prev_value),
            Cell(survey_change_text(r), None if pd.isna(r.change) else r.change),
        ]
        for r in data.rows(frame)
    ]
    previous = next(iter(frame["prev_period"].dropna()), None)
    columns = [
        Column("Indicator"),
        Column(f"Meting {wave}", True),
        Column("Marge (95 %)", True),
        Column(f"Vorige meting ({previous})" if previous else "Vorige meting", True),
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
                        f"{label} van {name}",
                        href=urls.download(state.edition.code, f"{code}.{extension}"),
                        download="",
                    )
                )
            )
        else:
            links.append(html.Li(f"{label}: nog niet gemaakt voor deze editie", className="muted"))
    return html.Section([html.H2("Downloads"), html.Ul(links, className="downloads")], id="downloads")


def news_section(state: ViewState, code: str, name: str) -> html.Section:
    """What is new for the gemeente in this edition since the previous one (as the e-mailed digest;
    the notable developments stand above it)."""
    ed = state.edition
    before = data.previous_edition(ed)
    items = news(
        ed.code, [], data.revised(ed, code), data.significance(ed, code),
        data.significance(before, code) if before else None, data.notes(ed, code),
        data.note_ids(before) if before else set(), {code: name},
    )  # fmt: skip
    if before:
        intro = f"Wat er voor {name} veranderde in editie {ed.code}, sinds editie {before.code}."
    else:
        intro = f"Nieuw voor {name} in editie {ed.code}; er is geen eerdere gepubliceerde editie om mee te vergelijken."
    body: list[Any] = [html.P(intro)]
    for kind, heading in KINDS.items():
        found = [item for item in items if item.kind == kind]
        if kind == "opvallend":
            continue
        body.append(html.H3(heading))
        if not found:
            body.append(html.P("Niets nieuws."))
            continue
        body.append(
            html.Ul(
                [
                    html.Li([item.text, " ", html.A("bekijk", href=link(item, code, path=urls.gemeente))])
                    for item in found
                ]
            )
        )
    return html.Section([html.H2("Nieuw in deze editie"), *body], id="nieuw")


@ui.view(gemeente_from="code")
def layout(state: ViewState) -> html.Div:
    ui.figure_indicator(state)
    code = state.gemeenten[0]
    gemeenten = data.gemeenten(state.edition).set_index("area_code")
    name = str(gemeenten.loc[code, "area_name"])
    district = gemeenten.loc[code, "district_code"]
    districts = data.areas(state.edition).set_index("area_code")["area_name"]
    district_text = (
        f"district {districts.get(district, district)}" if isinstance(district, str) else "verdeeld over districten"
    )
    notable = sentences(data.notable(state.edition, state.period, code))
    notes = data.notes(state.edition, code, state.period)
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
        news_section(state, code, name),
        html.Section([html.H2(f"Kerncijfers {period_label(state.period)}"), *key_figures(state, code, notes)]),
        notes_section(notes, {code: name}),
        None if isinstance(district, str) else districts_section(state, code, name),
        trend_section(state, code, name, district if isinstance(district, str) else None),
        survey_section(state, code),
        downloads(state, code, name),
        lead=f"Gemeente {name} ({code}), {district_text}, {data.region(state.edition)[1]}.",
    )
