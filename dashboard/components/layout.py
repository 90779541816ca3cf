"""What every page shares: the demo banner, the pickers (state in the URL) and error panels."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import data, urls
from dashboard.state import DEFAULT_INDICATOR, ViewState
from pipeline.presentation.dutch import edition_label, period_label
from pipeline.presentation.wording import DEMO_MARK

DEMO_TEXT = DEMO_MARK


def demo_banner(state: ViewState | None) -> html.Div | None:
    if state is None or not state.edition.demo:
        return None
    return html.Div(
        [html.Strong(DEMO_TEXT), " · deze editie is gebouwd uit demogegevens; geen enkel cijfer is echt."],
        className="demo-banner",
        role="note",
    )


def picker(key: str, label: str, options: Sequence[tuple[str, str]], value: str | None) -> html.Label:
    # the label wraps the native <select>: its accessible name without depending on the DOM id
    return html.Label(
        [
            html.Span(label, className="picker-label"),
            dbc.Select(
                id={"type": "state", "key": key},
                options=[{"label": text, "value": code} for code, text in options],
                value=value,
                className="picker-select",
            ),
            shown(key, value),
        ],
        className="picker",
    )


def shown(key: str, value: Any) -> dcc.Store:
    """What the page was rendered with, so a picker only rewrites the URL when the user changed it."""
    return dcc.Store(id={"type": "shown", "key": key}, data=value)


def edition_picker(state: ViewState) -> html.Div:
    options = [(e.code, edition_label(e.code) + (" (demo)" if e.demo else "")) for e in data.editions()]
    return picker("editie", "Editie", options, state.edition.code)


def period_picker(state: ViewState, indicator: str | None = None) -> html.Div:
    """The periods of the edition; with ``indicator``, only those in which it has figures. A period
    from the URL without figures for it stays chosen and says so."""
    periods = data.periods(state.edition, indicator)
    options = [(p, period_label(p)) for p in periods]
    if state.period not in periods:
        options.insert(0, (state.period, f"{period_label(state.period)} (geen cijfers voor deze indicator)"))
    return picker("periode", "Periode", options, state.period)


def figure_indicator(state: ViewState) -> str:
    """The URL's indicator for a page of the mart's figures: a Veiligheidsmonitor indicator (chosen
    on its theme page) is not one of them, so such a page falls back to its default."""
    available = data.indicators(state.edition)["indicator_code"].tolist()
    if state.indicator not in available:
        state.indicator = DEFAULT_INDICATOR if DEFAULT_INDICATOR in available else available[0]
    return state.indicator


def indicator_picker(state: ViewState, themes: set[str] | None = None) -> html.Div:
    frame = data.indicators(state.edition)
    if themes:
        frame = frame[frame["thema"].isin(themes)]
    options = [(r.indicator_code, f"{r.indicator_label} ({r.thema})") for r in data.rows(frame)]
    return picker("indicator", "Indicator", options, state.indicator)


def gemeente_picker(state: ViewState, value: str) -> html.Div:
    frame = data.gemeenten(state.edition)
    return picker("gemeente", "Gemeente", list(zip(frame["area_code"], frame["area_name"], strict=True)), value)


def controls(*pickers: html.Label, label: str = "Keuzes voor deze pagina") -> html.Form:
    return html.Form(list(pickers), className="controls", role="search", **{"aria-label": label})


def page(state: ViewState | None, title: str, *children: Any, lead: str | None = None) -> html.Div:
    header = [html.H1(title, id="page-title")]
    if lead:
        header.append(html.P(lead, className="lead"))
    edition_note = None
    if state is not None:
        edition_note = html.P(
            [
                f"{edition_label(state.edition.code)} · gepubliceerd {str(state.edition.manifest.get('gepubliceerd_op', ''))[:10]}",
                f" · controlegetal {state.edition.checksum}",
            ],
            className="edition-note",
        )
    return html.Div([demo_banner(state), html.Header(header), *children, edition_note], className="page")


def error_panel(status: int, message: str) -> html.Div:
    """The page's content when its URL cannot be shown (the server answers such a GET the same way)."""
    from dashboard.state import ERROR_TITLES

    return html.Div(
        [
            html.H1(ERROR_TITLES[status], id="page-title"),
            html.P(message, className="lead"),
            html.P(["Ga naar het ", html.A("Overzicht", href=urls.OVERZICHT), " of kies een andere editie."]),
            html.P(f"(foutcode {status})", className="muted"),
        ],
        className="page error-page",
        role="alert",
    )


def resolved(parameters: dict[str, Any], gemeente: str | None = None) -> ViewState | html.Div:
    """The view state of a URL, or the error panel to show instead (the page then renders that)."""
    from dashboard.state import BadRequest, NotFound, resolve

    try:
        return resolve(parameters, gemeente=gemeente)
    except (BadRequest, NotFound) as exc:
        return error_panel(exc.status, exc.explain())


def view(render: Callable[[ViewState], Any] | None = None, *, gemeente_from: str | None = None) -> Any:
    """Turn ``render(state)`` into a page layout: Dash calls it with the URL's parameters.

    The URL is resolved into a :class:`ViewState` (a page naming a gemeente in its path says which
    path variable with ``gemeente_from``); a URL that cannot be resolved renders an error panel.
    The result is memoised per URL and per set of published editions: a layout is a pure function
    of both, a newly published edition changes the key (file identity), so nothing stale is shown,
    and Dash never changes a returned component, so sharing them is safe.
    """

    def decorate(render: Callable[[ViewState], Any]) -> Callable[..., Any]:
        from dashboard.components.maps import geo_path

        @functools.lru_cache(maxsize=512)
        def remembered(editions: tuple, geo: Any, arguments: tuple) -> Any:
            parameters = {k: list(v) if isinstance(v, tuple) else v for k, v in arguments}
            gemeente = (parameters.pop(gemeente_from, None) or "") if gemeente_from else None
            state = resolved(parameters, gemeente=gemeente)
            return render(state) if isinstance(state, ViewState) else state

        def layout(**arguments: Any) -> Any:
            key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in arguments.items()))
            return remembered(tuple((e.code, e.token) for e in data.editions()), geo_path(), key)

        layout.__doc__ = render.__doc__
        return layout

    return decorate(render) if render is not None else decorate
