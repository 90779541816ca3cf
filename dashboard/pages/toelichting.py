"""Toelichting: definitions, sources, the rules numbers follow, edition facts and revisions."""

from __future__ import annotations

from typing import Any

import dash
from dash import html

from dashboard import data, urls
from dashboard.components import layout as ui
from dashboard.components.tables import Column, table
from dashboard.state import ViewState
from pipeline.presentation.dutch import edition_label, number, period_label
from pipeline.presentation.wording import RULES, THEMES
from pipeline.reference import reference

dash.register_page(__name__, path=urls.TOELICHTING, name="Toelichting", title="Toelichting — GVB", order=5)


@ui.view
def layout(state: ViewState) -> html.Div:
    ed = state.edition
    catalogue = reference().indicators
    sections = []
    for theme, title in THEMES.items():
        items = [i for i in catalogue if i.thema == theme]
        if items:
            sections.append(
                html.Section(
                    [
                        html.H3(title),
                        html.Dl([part for i in items for part in (html.Dt(i.label), html.Dd(i.toelichting))]),
                    ]
                )
            )
    manifest = ed.manifest
    inputs = manifest.get("invoer", [])
    source_rows = [
        [i["bron"], i["bestand"], i["geleverd_op"][:10], number(i["rijen"]), i["sha256"][:12]] for i in inputs
    ]
    revisions = data.revisions(ed)
    if revisions.empty:
        revision_part: Any = html.P(
            f"Geen herzieningen sinds de vorige editie ({manifest.get('vorige_editie') or 'geen vorige editie'})."
        )
    else:
        rows = [
            [
                r.area_name,
                r.indicator_label,
                period_label(str(r.period)),
                str(r.previous_display_value),
                str(r.display_value),
            ]
            for r in data.rows(revisions.head(200))
        ]
        revision_part = table(
            f"Herzien sinds editie {manifest.get('vorige_editie')}",
            [Column("Gebied"), Column("Indicator"), Column("Periode"), Column("Was", True), Column("Nu", True)],
            rows,
            id="herzieningen",
        )
    facts = [
        ("Editie", edition_label(ed.code)),
        ("Gepubliceerd", str(manifest.get("gepubliceerd_op", ""))),
        ("gvb-versie", str(manifest.get("gvb_versie", ""))),
        ("Code-checksum", str(manifest.get("code_checksum", ""))[:16]),
        ("Controlegetal cijfers", str(manifest.get("data_checksums", {}).get("indicator_values", ""))[:16]),
        ("Demo", "ja — fictieve cijfers" if ed.demo else "nee"),
    ]
    return ui.page(
        state,
        "Toelichting",
        ui.controls(ui.edition_picker(state)),
        html.Section([html.H2("Regels"), html.Dl([p for name, text in RULES for p in (html.Dt(name), html.Dd(text))])]),
        html.Section([html.H2("Definities"), *sections]),
        html.Section(
            [
                html.H2("Deze editie"),
                html.Dl([p for k, v in facts for p in (html.Dt(k), html.Dd(v))], className="facts"),
            ]
        ),
        html.Section(
            [
                html.H2("Bronbestanden"),
                table(
                    "Bronbestanden van deze editie",
                    [
                        Column("Bron"),
                        Column("Bestand"),
                        Column("Geleverd"),
                        Column("Rijen", True),
                        Column("sha256 (begin)"),
                    ],
                    source_rows,
                    id="bronbestanden",
                ),
            ]
        ),
        html.Section([html.H2("Herzieningen"), revision_part]),
        lead="Wat de cijfers betekenen, waar ze vandaan komen en welke regels ze volgen.",
    )
