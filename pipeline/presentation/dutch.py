"""Dutch number and period formats: ``1.234``, ``12,5``, ``12,5 %``, "eerste halfjaar 2025"."""

from __future__ import annotations

from typing import Any

import pandas as pd

MINUS = "−"  # a real minus sign reads better than a hyphen


def is_missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def number(value: Any, digits: int = 0) -> str:
    """``1234.5`` → ``1.234,5`` (with ``digits`` decimals); empty for a missing value."""
    if is_missing(value):
        return ""
    text = f"{abs(float(value)):,.{digits}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return (MINUS if float(value) < 0 and text.strip("0,.") else "") + text


def rate(value: Any) -> str:
    """A rate per 1.000 with one decimal (two below 1)."""
    if is_missing(value):
        return ""
    return number(value, 2 if abs(float(value)) < 1 else 1)


def percent(value: Any, digits: int = 1) -> str:
    return "" if is_missing(value) else f"{number(value, digits)} %"


def signed_percent(value: Any) -> str:
    """A change in %: ``+18 %`` or ``−18 %``."""
    if is_missing(value):
        return ""
    rounded = round(float(value))
    return ("+" if rounded > 0 else "") + f"{number(rounded)} %"


def signed(value: Any, digits: int = 0) -> str:
    if is_missing(value):
        return ""
    return ("+" if float(value) > 0 else "") + number(value, digits)


_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")  # fmt: skip


def period_label(period: str) -> str:
    """``2025H1`` → "eerste halfjaar 2025"; ``2024-03`` → "maart 2024"; ``2024`` → "2024"."""
    if len(period) == 7 and period[4] == "-" and period[5:].isdigit() and 1 <= int(period[5:]) <= 12:
        return f"{_MONTHS[int(period[5:]) - 1]} {period[:4]}"
    if period.endswith("H1"):
        return f"eerste halfjaar {period[:4]}"
    if period.endswith("H2"):
        return f"tweede halfjaar {period[:4]}"
    return period


def edition_label(edition: str) -> str:
    """``2025H1`` → "GVB eerste halfjaar 2025"; ``2024`` → "GVB 2024"."""
    return f"GVB {period_label(edition)}"


def value_text(display_value: Any, unit: str) -> str:
    """The mart's display value with the unit where it helps (``12,5 %``)."""
    text = "" if is_missing(display_value) else str(display_value)
    if unit == "percentage" and text and text[0].isdigit():
        return f"{text} %"
    return text
