"""Table cells for mart values: the shown value and the change, each with its explanation."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import dcc, html

from dashboard import urls
from dashboard.components.tables import Cell
from pipeline.presentation.dutch import number, rate, value_text
from pipeline.presentation.figures import change_reason, change_text, empty_reason, judgement, short_reason, target_text
from pipeline.presentation.wording import SUPPRESSED_EXPLANATION, SUPPRESSED_MARKER

SUPPRESSED = SUPPRESSED_EXPLANATION[0].upper() + SUPPRESSED_EXPLANATION[1:] + "."


def change_cell(row: Any) -> Cell:
    """Change against a year earlier with its judgement (short form); the explanation says why it
    is empty, what the judgement means and the p-value."""
    text = change_text(row)
    sort = row.change_pct if pd.notna(row.change_pct) else (row.change_abs if pd.notna(row.change_abs) else None)
    if not text:
        return reason_cell(change_reason(row))
    label = judgement(row)
    if not label:
        return Cell(text, sort, change_reason(row))
    explanation = f"{label} (p = {number(row.p_value, 3)})" if pd.notna(row.p_value) else label
    shown = html.Span([text, " ", html.Span(judgement(row, short=True), className="judgement")])
    return Cell(shown, sort, explanation)


def reason_cell(reason: str) -> Cell:
    """An empty figure that says why it is empty (it sorts last). A comparison of a hidden figure is
    hidden too: it shows a dash that says so; any other reason is shown in words."""
    if not reason:
        return Cell("", None)
    if reason == SUPPRESSED_MARKER:
        shown = [html.Span("–", **{"aria-hidden": "true"}), html.Span(SUPPRESSED_MARKER, className="visually-hidden")]
        return Cell(html.Span(shown, className="reason"), None, SUPPRESSED)
    short = short_reason(reason)
    return Cell(html.Span(short, className="reason"), None, reason if short != reason else None)


def figure_cell(row: Any, column: str, text: str, sort: Any) -> Cell:
    """A comparison figure (``prev_value``, ``avg_3y``, a rate): its text, or the reason it is empty."""
    if text:
        return Cell(text, sort)
    return reason_cell(empty_reason(row, column))


def value_cell(row: Any) -> Cell:
    shown = value_text(row.display_value, row.unit)
    if row.suppressed:
        return Cell(shown, -1, SUPPRESSED, focusable=True)
    target = target_text(row)
    if target:  # the field's own target beside the figure (Burgernetdekking: 10 % of inhabitants)
        return Cell(html.Span([shown, " ", html.Span(target, className="judgement")]), row.value, None)
    return Cell(shown, row.value if pd.notna(row.value) else None)


def gemeente_cell(row: Any, query: str) -> Cell:
    """The gemeente's name as a link to its page, keeping the view (``query``); sorts by name."""
    return Cell(dcc.Link(row.area_name, href=urls.gemeente(row.area_code, query)), row.area_name)


def rate_cell(value: Any, row: Any = None, column: str = "rate_per_1000") -> Cell:
    """A rate per 1.000; when there is none, the reason from the row (it then sorts last)."""
    if row is None:
        return Cell(rate(value), None if pd.isna(value) else value)
    return figure_cell(row, column, rate(value), None if pd.isna(value) else value)
