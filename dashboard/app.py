"""The Dash app: ``create_app()`` builds it; pages live in ``dashboard/pages`` (one file each).

The shell is small: a skip link, the navigation built from the page registry, the page container
and a footer. The whole view state is in the URL; the pickers only rewrite it (one callback here).
Plain Flask routes on ``app.server`` serve downloads; every page URL is checked before Dash
answers, so an unknown gemeente or a malformed parameter is a real 404/400 page.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html
from flask import Response, g, request

from dashboard import data, guard, routes, urls
from pipeline.kernel.config import Settings, settings
from pipeline.reference import reference

HERE = Path(__file__).resolve().parent

INDEX = """<!DOCTYPE html>
<html lang="nl">
<head>
{%metas%}
<title>{%title%}</title>
{%favicon%}
{%css%}
</head>
<body>
{%app_entry%}
<div id="dash-scripts">
{%config%}
{%scripts%}
{%renderer%}
</div>
</body>
</html>"""


def page_request(path: str, search: str = "") -> dict[str, Any]:
    """The callback request a browser sends to render the page at ``path`` + ``search``.

    For tests and the load benchmark, which ask the server for pages as the browser does.
    """
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }


def _shell() -> html.Div:
    newest = data.edition(None)  # the region of what is published (else the configured one)
    region_name = data.region(newest)[1] if newest else reference().region_name(settings().region)
    links = []
    for page in dash.page_registry.values():
        if page["path"] in urls.NAVIGATION:
            links.append(
                (urls.NAVIGATION.index(page["path"]), dcc.Link(page["name"], href=page["path"], className="nav-link"))
            )
    return html.Div(
        [
            html.A("Direct naar de inhoud", href="#inhoud", className="skip-link"),
            html.Header(
                [
                    dcc.Link(
                        [html.Span("GVB", className="brand-mark"), " Gezamenlijk Veiligheidsbeeld"],
                        href=urls.OVERZICHT,
                        className="brand",
                    ),
                    html.Nav(
                        [link for _, link in sorted(links, key=lambda item: item[0])],
                        className="main-nav",
                        **{"aria-label": "Hoofdmenu"},
                    ),
                ],
                className="site-header",
            ),
            dcc.Store(id="gezond", data=0),
            dcc.Store(id="gezond-antwoord"),
            html.Main(
                dcc.Loading(dash.page_container, type="dot", delay_show=300, color="#0072B2"),
                id="inhoud",
                tabIndex=-1,
            ),
            html.Footer(
                [
                    f"{region_name[0].upper()}{region_name[1:]} en partners · ",
                    dcc.Link("Toelichting", href=urls.TOELICHTING),
                    " · ",
                    dcc.Link("Datakwaliteit", href=urls.DATAKWALITEIT),
                ],
                className="site-footer",
            ),
        ]
    )


def create_app(settings: Settings | None = None) -> dash.Dash:
    """A new app that reads the editions under ``settings.home`` (default: the environment's
    settings, read per request); tests build their own, ``gvb serve`` and gunicorn use :data:`server`."""
    data.use(settings)
    app = dash.Dash(
        "dashboard",
        use_pages=True,
        pages_folder=str(HERE / "pages"),
        assets_folder=str(HERE / "assets"),
        serve_locally=True,
        title="GVB — Gezamenlijk Veiligheidsbeeld",
        update_title=None,
        suppress_callback_exceptions=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.index_string = INDEX
    app.layout = _shell
    routes.register(app.server)
    app.server.before_request(_start_timer)
    app.server.before_request(guard.check_path)
    app.server.before_request(lambda: guard.check_callback(app.callback_map))
    app.server.before_request(_check_page_url)
    app.server.after_request(_server_timing)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    return app


def _start_timer() -> None:
    g.gvb_started = time.perf_counter()


def _server_timing(response: Response) -> Response:
    """How long the server worked on a request (read by benchmarks/dashboard_load.py and devtools)."""
    started = getattr(g, "gvb_started", None)
    if started is not None:
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
    return response


def _check_page_url() -> Response | None:
    """A page URL naming something unknown is a 404, a malformed one a 400 — before Dash answers."""
    if request.method != "GET" or request.path.startswith(routes.NOT_PAGES):
        return None
    return routes.check_page(request.path, request.args)


@dash.callback(
    Output("_pages_location", "pathname", allow_duplicate=True),
    Output("_pages_location", "search", allow_duplicate=True),
    Input({"type": "state", "key": ALL}, "value"),
    State({"type": "shown", "key": ALL}, "data"),
    State("_pages_location", "pathname"),
    State("_pages_location", "search"),
    prevent_initial_call=True,
)
def picker_to_url(values: list[Any], rendered: list[Any], pathname: str, search: str) -> tuple[str, str]:
    """A picker changed: write its value into the URL (the page then renders from the URL).

    Dash also calls this when a page with pickers is rendered; nothing changed then, and the
    URL is left alone (else the page would be rendered twice).
    """
    changed = ctx.triggered_id
    if not changed or not isinstance(changed, dict):
        raise dash.exceptions.PreventUpdate
    key = changed["key"]
    value = next((v for i, v in zip(ctx.inputs_list[0], values, strict=False) if i["id"] == changed), None)
    was = next((d for i, d in zip(ctx.states_list[0], rendered, strict=False) if i["id"]["key"] == key), None)
    if value == was:
        raise dash.exceptions.PreventUpdate
    query = dict(parse_qsl((search or "").lstrip("?")))
    if isinstance(value, list):
        value = ",".join(str(v) for v in value)
    if key == "gemeente":
        return urls.gemeente(value), "?" + urlencode(query, safe=",")
    if key == "editie":
        query.pop("periode", None)  # another edition has other periods; start at its own
    if value in (None, ""):
        query.pop(key, None)
    else:
        query[key] = str(value)
    return pathname, ("?" + urlencode(query, safe=",")) if query else ""


@dash.callback(
    Output("_pages_location", "pathname", allow_duplicate=True),
    Input({"type": "map", "name": ALL}, "clickData"),
    prevent_initial_call=True,
)
def map_click_opens_gemeente(clicks: list[Any]) -> str:
    """Clicking a gemeente on the geographic map opens its page."""
    for click in clicks:
        points = (click or {}).get("points") or []
        if points and str(points[0].get("location", "")).startswith("GM"):
            return urls.gemeente(points[0]["location"])
    raise dash.exceptions.PreventUpdate


@dash.callback(Output("gezond-antwoord", "data"), Input("gezond", "data"))
def health(value: Any) -> Any:
    """A callback that does nothing: the baseline of the load benchmark (and a liveness check)."""
    return value
