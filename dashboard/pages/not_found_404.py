"""The page for a path no other page has (the server answers such a URL with a 404 page too)."""

from __future__ import annotations

from typing import Any

import dash
from dash import html

from dashboard import urls
from dashboard.components import layout as ui

dash.register_page(__name__, path=urls.NIET_GEVONDEN, name="Niet gevonden", title="Niet gevonden — GVB")


def layout(**_: Any) -> html.Div:
    return ui.error_panel(404, "Deze pagina bestaat niet.")
