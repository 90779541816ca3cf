"""Thema's: every indicator of a theme for the eenheid, and the chosen one per gemeente."""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import html

from dashboard import data
from dashboard.components import layout as ui
from dashboard.components.cells import change_cell, gemeente_cell, rate_cell, value_cell
from dashboard.components.tables import Cell, Column, table
from dashboard.state import ViewState
from pipeline.dutch import number, period_label, signed
from pipeline.wording import THEMES

dash.register_page(__name__, path="/themas", name="Thema's", title="Thema's — GVB", order=3)


def theme_links(state: ViewState) -> html.Nav:
    links = []
    for theme, title in THEMES.items():
        slug = theme.replace(" ", "-")
        current = state.thema == theme
        links.append(
            html.A(
                title,
                href=f"/themas{state.query(thema=slug)}",
                className="toggle" + (" active" if current else ""),
                **({"aria-current": "page"} if current else {}),
            )
        )
    return html.Nav(links, className="toggles theme-nav", **{"aria-label": "Thema's"})


def survey_theme(state: ViewState) -> list[Any]:
    rows = [
        [
            s.area_name,
            s.indicator_label,
            Cell("onvoldoende respons" if s.withheld else s.display_value, s.value),
            Cell("" if pd.isna(s.margin) or s.withheld else f"± {number(s.margin, 1)}", s.margin),
            Cell("" if pd.isna(s.change) else signed(s.change, 1), s.change),
            str(s.period),
        ]
        for s in data.rows(data.survey_latest(state.edition))  # every gemeente in one query
    ]
    columns = [
        Column("Gemeente"),
        Column("Indicator"),
        Column("Waarde", True),
        Column("Marge", True),
        Column("Verschil", True),
        Column("Meting"),
    ]
    return [table("Veiligheidsmonitor, laatste meting per gemeente", columns, rows, id="thema-tabel")]


@ui.view
def layout(state: ViewState) -> html.Div:
    theme = state.thema or "misdrijven"
    state.thema = theme
    body: list[Any]
    if theme == "veiligheidsbeleving":
        body = survey_theme(state)
    else:
        eenheid = data.area_values(state.edition, "RE07", state.period)
        eenheid = eenheid[eenheid["thema"] == theme]
        rows = [
            [r.indicator_label, value_cell(r), rate_cell(r.rate_per_1000), change_cell(r)] for r in data.rows(eenheid)
        ]
        codes = set(eenheid["indicator_code"])
        indicator = (
            state.indicator if state.indicator in codes else (eenheid["indicator_code"].iloc[0] if codes else None)
        )
        body = [
            table(
                f"{THEMES[theme]} in de eenheid, {period_label(state.period)}",
                [Column("Indicator"), Column("Waarde", True), Column("Per 1.000", True), Column("Verandering", True)],
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
                    rate_cell(r.rate_per_1000),
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
                        Column("Waarde", True),
                        Column("Per 1.000", True),
                        Column("Verandering", True),
                    ],
                    gemeente_rows,
                    id="thema-gemeenten",
                ),
            ]
    return ui.page(
        state,
        f"Thema's: {THEMES[theme]}",
        ui.controls(ui.edition_picker(state), ui.period_picker(state)),
        theme_links(state),
        html.Section(body),
        lead="Alle indicatoren van een thema voor de eenheid, en per gemeente.",
    )
