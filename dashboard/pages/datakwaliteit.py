"""Datakwaliteit: the last validation of the edition (validatie.json): totals, findings and every check."""

from __future__ import annotations

from typing import Any

import dash
from dash import html

from dashboard import data, urls
from dashboard.components import layout as ui
from dashboard.components.tables import Cell, Column, table
from dashboard.state import ViewState
from pipeline.presentation.dutch import number

dash.register_page(__name__, path=urls.DATAKWALITEIT, name="Datakwaliteit", title="Datakwaliteit — GVB", order=6)

VERDICTS = {
    "schoon": "schoon: alle controles geslaagd",
    "waarschuwingen": "geslaagd met waarschuwingen",
    "blokkerend": "blokkerende fouten",
}


def all_checks(document: dict[str, Any]) -> list[Any]:
    """Every check of the validation per source, with its outcome: the full report, in Dutch."""
    sections: list[Any] = []
    for source in document.get("bronnen", []):
        checks = source.get("controlelijst") or []
        if not checks:
            continue
        failed = sum(1 for c in checks if not c.get("geslaagd"))
        rows = [
            [
                c.get("omschrijving", ""),
                c.get("kolom") or "hele tabel",
                c.get("ernst", ""),
                Cell("geslaagd" if c.get("geslaagd") else "niet geslaagd", 1 if c.get("geslaagd") else 0),
            ]
            for c in checks
        ]
        label = source.get("label", source.get("bron"))
        summary = f"{label}: {len(checks)} controles" + (f", {failed} niet geslaagd" if failed else ", alle geslaagd")
        sections.append(
            html.Details(
                [
                    html.Summary(summary),
                    table(
                        f"Controles op {label}",
                        [Column("Controle"), Column("Kolom"), Column("Ernst"), Column("Uitslag")],
                        rows,
                    ),
                ]
            )
        )
    if not sections:
        return []
    return [html.H2("Alle controles"), *sections]


@ui.view
def layout(state: ViewState) -> html.Div:
    document = data.validation(state.edition)
    if document is None:
        body: list[Any] = [html.P("Voor deze editie is nog geen validatie bewaard; de analist valideert elke editie.")]
    else:
        totals = document.get("totalen", {})
        rows = [
            [
                s.get("label", s.get("bron")),
                Cell(number(s.get("rijen")), s.get("rijen")),
                Cell(number(s.get("controles")), s.get("controles")),
                Cell(number(s.get("geslaagd")), s.get("geslaagd")),
                Cell(number(s.get("waarschuwingen")), s.get("waarschuwingen")),
                Cell(number(s.get("blokkerend")), s.get("blokkerend")),
            ]
            for s in document.get("bronnen", [])
        ]
        findings = [f for s in document.get("bronnen", []) for f in s.get("bevindingen", [])]
        finding_items = []
        for f in findings[:50]:
            examples = [
                f"{e.get('bestand') or ''}, rij {e.get('rij')}, kolom '{e.get('kolom')}': {e.get('waarde')}"
                for e in f.get("voorbeelden", [])[:3]
                if e.get("rij") is not None
            ]
            finding_items.append(
                html.Li(
                    [
                        html.Strong(f"{f.get('ernst')}: "),
                        f"{f.get('omschrijving')} ({f.get('bron')})",
                        html.Ul([html.Li(x) for x in examples]) if examples else None,
                    ]
                )
            )
        body = [
            html.P(
                [
                    html.Strong("Uitslag: "),
                    VERDICTS.get(document.get("uitslag"), str(document.get("uitslag"))),
                    f" · gevalideerd op {str(document.get('gevalideerd_op', ''))[:16].replace('T', ' ')}",
                    f" · {number(totals.get('geslaagd'))} van {number(totals.get('controles'))} controles geslaagd",
                ]
            ),
            table(
                "Controles per bron",
                [
                    Column("Bron"),
                    Column("Rijen", True),
                    Column("Controles", True),
                    Column("Geslaagd", True),
                    Column("Waarschuwingen", True),
                    Column("Blokkerend", True),
                ],
                rows,
                id="controles",
            ),
            html.H2("Bevindingen"),
            html.Ul(finding_items) if finding_items else html.P("Geen bevindingen."),
        ]
        body += all_checks(document)
    return ui.page(
        state,
        "Datakwaliteit",
        ui.controls(ui.edition_picker(state)),
        html.Section(body),
        lead="De controles (Great Expectations) op de aangeleverde bestanden van deze editie, per bron.",
    )
