"""Downloads: every gemeente's report for the edition, and the mart as open data (CSV)."""

from __future__ import annotations

from typing import Any

import dash
from dash import html

from dashboard import data, urls
from dashboard.components import layout as ui
from dashboard.components.tables import Cell, Column, table
from dashboard.routes import report_file
from dashboard.state import ViewState
from pipeline.presentation.dutch import edition_label

dash.register_page(__name__, path=urls.DOWNLOADS, name="Downloads", title="Downloads — GVB", order=4)


@ui.view
def layout(state: ViewState) -> html.Div:
    ed = state.edition
    rows = []
    for r in data.gemeenten(ed).itertuples():
        cells: list[Any] = [Cell(r.area_name, r.area_name)]
        for extension, label in (("pdf", "PDF"), ("xlsx", "Excel"), ("csv", "CSV")):
            if extension == "csv" or report_file(ed, r.area_code, extension):
                cells.append(
                    html.A(
                        f"{label} {r.area_name}", href=urls.download(ed.code, f"{r.area_code}.{extension}"), download=""
                    )
                )
            else:
                cells.append(html.Span("nog niet gemaakt", className="muted"))
        rows.append(cells)
    return ui.page(
        state,
        "Downloads",
        ui.controls(ui.edition_picker(state)),
        html.Section(
            [
                html.H2("Open data"),
                html.P(
                    [
                        "Alle cijfers van deze editie, van alle gebieden en perioden, in één bestand (;-gescheiden, "
                        "UTF-8, kolomnamen zoals beschreven in de Toelichting): ",
                        html.A(
                            f"indicator_values {ed.code} (CSV)",
                            href=urls.download(ed.code, "indicator_values.csv"),
                            download="",
                        ),
                        ". Afgeschermde cijfers staan er niet in.",
                    ]
                ),
            ]
        ),
        html.Section(
            [
                html.H2("Rapporten per gemeente"),
                html.P(
                    "PDF en Excel worden bij elke editie gemaakt; staat er 'nog niet gemaakt', dan volgen ze nog. De "
                    "CSV bevat de cijfers van de gemeente in alle perioden van de editie.",
                    className="muted",
                ),
                table(
                    f"Rapporten {edition_label(ed.code)}",
                    [Column("Gemeente"), Column("PDF"), Column("Excel"), Column("CSV")],
                    rows,
                    sortable=False,
                    id="rapporten",
                ),
            ]
        ),
        lead="Rapporten om door te sturen en cijfers om mee te werken.",
    )
