"""Table cells for mart values: the shown value and the change, each with its explanation."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import dcc

from dashboard.components.tables import Cell
from pipeline.dutch import number, rate, signed_percent, value_text
from pipeline.wording import SUPPRESSED_EXPLANATION

SUPPRESSED = SUPPRESSED_EXPLANATION[0].upper() + SUPPRESSED_EXPLANATION[1:] + "."


def change_cell(row: Any) -> Cell:
    """Change against a year earlier, with its label; the explanation says whether it matters."""
    if pd.isna(row.change_pct) and pd.isna(row.change_abs):
        return Cell("", None)
    text = signed_percent(row.change_pct) if pd.notna(row.change_pct) else number(row.change_abs, 1)
    label = str(row.change_label or "")
    significance = "significant" if row.significant else "niet significant"
    return Cell(
        f"{text} ({label})",
        row.change_pct if pd.notna(row.change_pct) else None,
        f"{label}; {significance} (p = {number(row.p_value, 3)})" if pd.notna(row.p_value) else label,
    )


def value_cell(row: Any) -> Cell:
    shown = value_text(row.display_value, row.unit)
    if row.suppressed:
        return Cell(shown, -1, SUPPRESSED, focusable=True)
    return Cell(shown, row.value if pd.notna(row.value) else None)


def gemeente_cell(row: Any, query: str) -> Cell:
    """The gemeente's name as a link to its page, keeping the view (``query``); sorts by name."""
    return Cell(dcc.Link(row.area_name, href=f"/gemeente/{row.area_code}{query}"), row.area_name)


def rate_cell(value: Any) -> Cell:
    """A rate per 1.000 (empty when there is none; then it sorts last)."""
    return Cell(rate(value), None if pd.isna(value) else value)
