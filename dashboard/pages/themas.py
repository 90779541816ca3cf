"""Thema's: every indicator of a theme for the eenheid, and the chosen one per gemeente."""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import html

from dashboard import data, urls
from dashboard.components import layout as ui
from dashboard.components.cells import change_cell, gemeente_cell, rate_cell, value_cell
from dashboard.components.notes import notes_section, with_note_links
from dashboard.components.tables import Cell, Column, table
from dashboard.state import ViewState
from pipeline.presentation.dutch import number, period_label
from pipeline.presentation.figures import (
    has_rates,
    in_catalogue_order,
    rate_heading,
    survey_change_text,
    survey_unit_heading,
    survey_value_text,
    value_heading,
)
from pipeline.presentation.wording import THEMES

dash.register_page(__name__, path=urls.THEMAS, name="Thema's", title="Thema's — GVB", order=3)


def theme_links(state: ViewState) -> html.Nav:
    links = []
    for theme, title in THEMES.items():
        slug = theme.replace(" ", "-")
        current = state.thema == theme
        links.append(
            html.A(
                title,
                href=urls.page(urls.THEMAS, state.query(thema=slug)),
                className="toggle" + (" active" if current else ""),
                **({"aria-current": "page"} if current else {}),
            )
        )
    return html.Nav(links, className="toggles theme-nav", **{"aria-label": "Thema's"})


def survey_theme(state: ViewState) -> tuple[list[Any], list[Any]]:
    """The Veiligheidsmonitor like the other themes: a wave and an indicator to choose, the eenheid
    and its districts for context, then every gemeente; each figure with its unit and margin."""
    indicators = data.survey_indicators(state.edition)
    waves = data.survey_waves(state.edition)
    if indicators.empty or not waves:
        return [], [html.P("Deze editie heeft geen cijfers van de Veiligheidsmonitor.")]
    codes = indicators["indicator_code"].tolist()
    indicator = state.indicator if state.indicator in codes else codes[0]
    state.indicator = indicator
    wave = next((w for w in waves if w <= state.period[:4]), waves[-1])
    frame = data.survey(state.edition, wave, indicator)
    label = str(indicators.set_index("indicator_code").loc[indicator, "indicator_label"])
    unit = survey_unit_heading(frame["unit"])
    previous = next(iter(frame["prev_period"].dropna()), None)
    columns = [
        Column("Gebied"),
        Column(unit, True),
        Column("Marge (95 %)", True),
        Column(f"Vorige meting ({previous})" if previous else "Vorige meting", True),
        Column("Verschil", True),
    ]

    def rows(part: pd.DataFrame, link: bool) -> list[list[Any]]:
        query = state.query(thema="veiligheidsbeleving")
        return [
            [
                gemeente_cell(r, query) if link else Cell(r.area_name, r.area_name),
                Cell(survey_value_text(r), None if pd.isna(r.value) else r.value),
                Cell("" if pd.isna(r.margin) or r.withheld else f"± {number(r.margin, 1)}", r.margin),
                Cell(number(r.prev_value, 1) if pd.notna(r.prev_value) else "geen", r.prev_value),
                Cell(survey_change_text(r), None if pd.isna(r.change) else r.change),
            ]
            for r in data.rows(part)
        ]

    context = frame[frame["level"] != "gemeente"]
    gemeenten = frame[frame["level"] == "gemeente"]
    pickers = [
        ui.picker("periode", "Meting", [(w, w) for w in waves], wave),
        ui.picker("indicator", "Indicator", list(zip(codes, indicators["indicator_label"], strict=True)), indicator),
    ]
    body = [
        html.P(
            "Enquêtecijfers met hun marge (95 %-betrouwbaarheid); een verschil met de vorige meting is significant als "
            "het groter is dan de gecombineerde marge.",
            className="muted",
        ),
        html.H2(f"{label}: eenheid en districten, {wave}"),
        table(f"{label}, eenheid en districten, meting {wave}", columns, rows(context, False), id="thema-tabel"),
        html.H2(f"{label} per gemeente, {wave}"),
        table(
            f"{label} per gemeente, meting {wave}",
            [Column("Gemeente"), *columns[1:]],
            rows(gemeenten, True),
            id="thema-gemeenten",
        ),
    ]
    return pickers, body


@ui.view
def layout(state: ViewState) -> html.Div:
    theme = state.thema or "misdrijven"
    state.thema = theme
    body: list[Any]
    pickers: list[Any] = [ui.period_picker(state)]
    if theme == "veiligheidsbeleving":
        pickers, body = survey_theme(state)
    else:
        region_code, region_name = data.region(state.edition)
        eenheid = data.area_values(state.edition, region_code, state.period)
        eenheid = in_catalogue_order(eenheid[eenheid["thema"] == theme])
        codes = set(eenheid["indicator_code"])
        notes = data.notes(state.edition, region_code, state.period)
        notes = notes[notes["indicator_code"].isin(codes)]
        rows = [
            [
                Cell(with_note_links(r.indicator_label, notes, r.indicator_code), r.indicator_label),
                value_cell(r),
                rate_cell(r.rate_per_1000, r),
                change_cell(r),
            ]
            for r in data.rows(eenheid)
        ]
        indicator = (
            state.indicator if state.indicator in codes else (eenheid["indicator_code"].iloc[0] if codes else None)
        )
        body = [
            table(
                f"{THEMES[theme]} in de eenheid, {period_label(state.period)}",
                [
                    Column("Indicator"),
                    Column("Waarde", True),
                    Column(rate_heading(eenheid["rate_denominator"]), True, has_rates(eenheid)),
                    Column("Verandering", True),
                ],
                rows,
                id="thema-tabel",
            ),
        ]
        if indicator:
            state.indicator = indicator
            per = data.values(state.edition, state.period, indicator)
            query = state.query(thema=theme.replace(" ", "-"))
            gemeente_rows = [
                [
                    gemeente_cell(r, query),
                    value_cell(r),
                    rate_cell(r.rate_per_1000, r),
                    change_cell(r),
                ]
                for r in data.rows(per)
            ]
            label = per["indicator_label"].iloc[0] if not per.empty else indicator
            body += [
                html.H2(f"{label} per gemeente"),
                ui.controls(ui.indicator_picker(state, {theme}), label="Indicator per gemeente"),
                table(
                    f"{label} per gemeente, {period_label(state.period)}",
                    [
                        Column("Gemeente"),
                        Column(value_heading(per["unit"]), True),
                        Column(rate_heading(per["rate_denominator"]), True, has_rates(per)),
                        Column("Verandering", True),
                    ],
                    gemeente_rows,
                    id="thema-gemeenten",
                ),
            ]
        body.append(notes_section(notes, {region_code: region_name}))
    return ui.page(
        state,
        f"Thema's: {THEMES[theme]}",
        ui.controls(ui.edition_picker(state), *pickers),
        theme_links(state),
        html.Section(body),
        lead="Alle indicatoren van een thema voor de eenheid, en per gemeente.",
    )
