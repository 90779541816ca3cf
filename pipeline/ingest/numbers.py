"""Numbers as partners write them: ``1.234`` and ``12,5`` in Dutch files, ``1234`` and ``12.5`` elsewhere."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

_DUTCH_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")
#: cells meaning "no figure": CBS's "." (secret/unknown) and "x", empty cells
MISSING_MARKERS = {"", ".", "x", "X", "..", "n.v.t.", "nvt"}
#: a partner that suppressed itself ("<5", "x", "*", "[geheim]"): refused, gvb suppresses
SUPPRESSION_MARKERS = re.compile(r"^(<\s*\d+|≤\s*\d+|\*+|\[?geheim\]?|afgeschermd|x)$", re.IGNORECASE)


def to_decimal_text(values: pd.Series, dutch: bool) -> pd.Series:
    """Normalise number text to ``1234.5`` notation (still text) so it can be checked and cast."""
    text = values.astype("string").str.strip().str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
    if dutch:
        thousands = text.str.match(_DUTCH_THOUSANDS.pattern).fillna(False)
        text = text.where(~thousands, text.str.replace(".", "", regex=False))
        text = text.str.replace(",", ".", regex=False)
    return text


def parse_counts(values: pd.Series, dutch: bool) -> tuple[pd.Series, pd.Series]:
    """Counts as Int64 plus a reason per row that is not a non-negative integer (else <NA>)."""
    text = to_decimal_text(values, dutch)
    # "12.0" from spreadsheets is an integer; "-" is CBS's nil (zero)
    text = text.str.replace(r"^(-?\d+)\.0+$", r"\1", regex=True)
    text = text.where(text != "-", "0")
    reason = pd.Series(pd.NA, index=values.index, dtype="string")
    missing = text.isna() | text.isin(MISSING_MARKERS)
    is_int = text.str.fullmatch(r"\d+").fillna(False)
    negative = text.str.fullmatch(r"-\d+(\.\d+)?").fillna(False)
    fraction = text.str.fullmatch(r"\d*\.\d+").fillna(False)
    reason = reason.mask(missing, "leeg; een aantal is verplicht")
    reason = reason.mask(~missing & negative, "negatief aantal")
    reason = reason.mask(~missing & fraction, "geen geheel getal")
    reason = reason.mask(~missing & ~is_int & ~negative & ~fraction, "geen getal")
    counts = pd.Series(pd.NA, index=values.index, dtype="Int64")
    huge = is_int & (text.str.lstrip("0").str.len() > 13)  # beyond int64 long before; no count is that big
    ok = is_int & ~missing & ~huge
    if ok.any():
        counts[ok] = text[ok].astype("int64")
    reason = reason.mask(huge.fillna(False), "onwaarschijnlijk groot aantal")
    too_big = counts.notna() & (counts > 10**12)
    reason = reason.mask(too_big, "onwaarschijnlijk groot aantal")
    return counts, reason


def parse_decimals(values: pd.Series, dutch: bool, allow_missing: bool = True) -> tuple[pd.Series, pd.Series]:
    """Decimals as Float64 plus a reason per row that is not a number (missing markers allowed)."""
    text = to_decimal_text(values, dutch)
    missing = text.isna() | text.isin(MISSING_MARKERS)
    numeric = text.str.fullmatch(r"-?\d+(\.\d+)?|-?\.\d+").fillna(False)
    reason = pd.Series(pd.NA, index=values.index, dtype="string")
    reason = reason.mask(~missing & ~numeric, "geen getal")
    if not allow_missing:
        reason = reason.mask(missing, "leeg; een getal is verplicht")
    result = pd.Series(np.nan, index=values.index, dtype="Float64")
    ok = numeric & ~missing
    if ok.any():
        result[ok] = text[ok].astype("float64")
    result[~ok] = pd.NA
    return result, reason
