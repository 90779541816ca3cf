""" "Opvallende ontwikkelingen": the significant changes of the mart as short Dutch sentences."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from pipeline.presentation.dutch import number, period_label, value_text

#: which mart rows are "opvallend": a significant rise or fall of a figure that is shown
NOTABLE_SQL = (
    "significant and not suppressed and change_label in ('stijging', 'daling', 'sterke stijging', 'sterke daling')"
)
#: the biggest changes first
NOTABLE_ORDER = "abs(change_pct) desc nulls last, area_name, indicator_code"


def sentence(row: Mapping[str, Any]) -> str:
    """E.g. "Woninginbraak in Dordrecht: 212 in het eerste halfjaar 2025, 18 % minder dan een jaar eerder
    (significant)." Only for rows the mart marks as a significant rise or fall."""
    period = period_label(str(row["period"]))
    when = f"het {period}" if "halfjaar" in period else str(period)
    change = float(row["change_pct"]) if pd.notna(row["change_pct"]) else None
    value = value_text(row["display_value"], str(row["unit"]))
    if row["unit"] == "percentage" or change is None:
        points = float(row["change_abs"])
        direction = "hoger" if points > 0 else "lager"
        difference = f"{number(abs(points), 1)} procentpunt {direction} dan een jaar eerder"
    else:
        direction = "meer" if change > 0 else "minder"
        difference = f"{number(abs(round(change)))} % {direction} dan een jaar eerder"
    strength = "sterke " if str(row["change_label"]).startswith("sterke") else ""
    note = f"{strength}{'stijging' if (change or float(row['change_abs'])) > 0 else 'daling'}, significant"
    return f"{row['indicator_label']} in {row['area_name']}: {value} in {when}, {difference} ({note})."


def sentences(frame: pd.DataFrame, limit: int | None = None) -> list[str]:
    return [sentence(row) for row in (frame.head(limit) if limit else frame).to_dict("records")]
