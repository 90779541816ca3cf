"""How one row of the mart reads, in every output alike: the dashboard, the PDF, Excel and CSV.

The mart holds the numbers and the reasons why a comparison is empty; this module holds the words
around them, so that a change, its judgement and a rate's denominator read the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.presentation.dutch import is_missing, number, signed, signed_percent, value_text

#: the short form of a judgement, where a table has little room
SHORT_LABELS = {"geen significante verandering": "niet significant"}
#: what an empty judgement means: no test applies (no count) or there is nothing to compare with
NO_TEST = "geen toets"
#: what the unit of a change is called, for indicators that are not counts
POINTS = {"percentage": "procentpunt"}


def _get(row: Any, key: str) -> Any:
    return row.get(key) if isinstance(row, Mapping) else getattr(row, key, None)


def change_text(row: Any) -> str:
    """The change against a year earlier: ``+18 %`` for a count, ``+0,5 procentpunt`` for a
    percentage, ``+0,2`` for a score, ``+4`` for a count that was 0; empty when there is none."""
    unit = str(_get(row, "unit"))
    change_pct, change_abs = _get(row, "change_pct"), _get(row, "change_abs")
    if unit == "aantal" and not is_missing(change_pct):
        return signed_percent(change_pct)
    if is_missing(change_abs):
        return ""
    if unit in POINTS:
        return f"{signed(change_abs, 1)} {POINTS[unit]}"
    return signed(change_abs, 0 if unit == "aantal" else 1)


def judgement(row: Any, short: bool = False) -> str:
    """The mart's judgement of the change (``stijging``, ``geen significante verandering`` ...)."""
    label = _get(row, "change_label")
    if is_missing(label) or not label:
        return ""
    return SHORT_LABELS.get(str(label), str(label)) if short else str(label)


def change_with_judgement(row: Any, short: bool = True) -> str:
    """``+71 % (niet significant)``, ``+0,5 procentpunt``; empty when there is no change."""
    text = change_text(row)
    label = judgement(row, short)
    return f"{text} ({label})" if text and label else text


def change_reason(row: Any) -> str:
    """Why the change is empty, or why it has no judgement (for a title or a note)."""
    if change_text(row):
        return "" if judgement(row) else f"{NO_TEST}: voor dit soort cijfer is er geen toets op toeval"
    return empty_reason(row, "prev_value") or "geen vergelijking"


#: the mart's column that says why a figure column is empty
EXPLAINED = {
    "prev_value": "prev_empty_reason",
    "avg_3y": "avg_3y_empty_reason",
    "rate_per_1000": "rate_empty_reason",
    "benchmark_district_rate": "benchmark_district_empty_reason",
    "benchmark_eenheid_rate": "benchmark_eenheid_empty_reason",
}


def empty_reason(row: Any, column: str) -> str:
    """Why ``column`` of the row is empty, from the mart's ``…_empty_reason`` columns."""
    reason = _get(row, EXPLAINED[column])
    return "" if is_missing(reason) else str(reason)


def cell_reason(row: Any, column: str) -> str:
    """Why a figure column of a row is empty, in the short words a table cell has room for (the
    same in Excel, CSV and the PDF); empty when the column has a figure or needs no reason."""
    if not is_missing(_get(row, column)):
        return ""
    if column == "change_label":
        return short_reason(change_reason(row))
    if column == "change_pct" and not is_missing(_get(row, "change_abs")):
        return "zie verschil" if _get(row, "unit") != "aantal" else "was 0"
    if column in ("change_abs", "change_pct"):
        return short_reason(empty_reason(row, "prev_value"))
    if column in EXPLAINED:
        return short_reason(empty_reason(row, column))
    return ""


def short_reason(reason: str) -> str:
    """The short form of an empty cell's reason, for a narrow table cell (the full one goes in its title)."""
    if reason.startswith("geen cijfer"):
        return "geen cijfer"
    if reason == f"{NO_TEST}: voor dit soort cijfer is er geen toets op toeval":
        return NO_TEST
    return reason


def per_1000(denominator: Any) -> str:
    """``per 1.000 inwoners`` / ``per 1.000 jongeren van 12–17 jaar``; empty without a denominator."""
    return "" if is_missing(denominator) or not denominator else f"per 1.000 {denominator}"


def rate_heading(denominators: Any, prefix: str = "") -> str:
    """The heading of a rate column over rows with these denominators: it names the denominator
    when they share one (``Per 1.000 inwoners``) and says "zie per rij" when they do not."""
    present = sorted({str(d) for d in denominators if not is_missing(d) and d})
    if len(present) == 1:
        text = per_1000(present[0])
    elif present:
        text = "per 1.000 (inwoners; Halt: jongeren van 12–17 jaar)"
    else:
        text = "per 1.000 inwoners"
    text = f"{prefix} {text}" if prefix else text
    return text[0].upper() + text[1:]


def population_note(frame: Any) -> str:
    """When a rate of these rows divides by an earlier year's inhabitants (CBS had not yet counted
    1 January of the period's year, so the newest count was carried forward), one sentence saying
    so; empty otherwise, and for an edition from before the mart named its population year."""
    if "rate_population_year" not in frame or frame.empty:
        return ""
    used = frame[frame["rate_population_year"].notna() & frame["rate_per_1000"].notna()]
    pairs = sorted(
        {(int(str(period)[:4]), int(year)) for period, year in zip(used["period"], used["rate_population_year"],
                                                                      strict=True)}
    )  # fmt: skip
    late = [(year, counted) for year, counted in pairs if counted < year]
    if not late:
        return ""
    youths = "rate_denominator" in used and used["rate_denominator"].eq("jongeren van 12–17 jaar").any()
    whom = "de inwoners (en jongeren van 12–17 jaar)" if youths else "de inwoners"
    return " ".join(
        f"Cijfers per 1.000 van {year} delen door {whom} op 1 januari {counted}: het aantal van 1 januari "
        f"{year} heeft het CBS nog niet gepubliceerd."
        for year, counted in late
    )


def has_rates(frame: Any) -> bool:
    """Do any of these rows have a rate per 1.000 (a denominator)? Without, a table has no rate columns."""
    return bool(frame["rate_denominator"].notna().any() or frame["rate_per_1000"].notna().any())


def value_heading(units: Any) -> str:
    """The heading of a value column: ``Aantal`` for counts, ``Percentage`` for percentages."""
    present = {str(u) for u in units if not is_missing(u)}
    if present == {"aantal"}:
        return "Aantal"
    if present == {"percentage"}:
        return "Percentage"
    return "Waarde"


def previous_text(row: Any) -> str:
    """The figure a year earlier, with a percentage's unit."""
    value = _get(row, "prev_value")
    if is_missing(value):
        return ""
    unit = str(_get(row, "unit"))
    return f"{number(value, 1)} %" if unit == "percentage" else number(value, 0 if unit == "aantal" else 1)


def period_position(period: str) -> float:
    """Where a period sits on a time axis: 2024H1 at 2024,25, 2024H2 at 2024,75, the year 2024 at 2024,5."""
    return int(period[:4]) + {"H1": 0.25, "H2": 0.75}.get(period[4:], 0.5)


def year_axis(periods: Sequence[str], max_ticks: int = 6) -> dict[str, Any]:
    """A time axis with the years on its ticks (as text: a tick "2.024" would be a number), at
    most ``max_ticks`` of them so that they fit on a phone, and the periods as points between them."""
    years = sorted({int(p[:4]) for p in periods}) or [2017]
    first, last = years[0], years[-1]
    step = max(1, -(-(last - first + 1) // max_ticks))
    ticks = list(range(last, first - 1, -step))[::-1]  # the latest year always has its tick
    return {
        "type": "linear",
        "range": [first - 0.05, last + 1.05],
        "tickmode": "array",
        "tickvals": [t + 0.5 for t in ticks],
        "ticktext": [str(t) for t in ticks],
        "gridcolor": "#f0f0f0",
        "showgrid": False,
        "zeroline": False,
    }


def in_catalogue_order(frame: Any) -> Any:
    """Rows in the order of the indicator catalogue (totals first, then their parts), not alphabetically."""
    from pipeline.reference import reference

    position = {indicator.code: index for index, indicator in enumerate(reference().indicators)}
    return frame.sort_values("indicator_code", key=lambda codes: codes.map(position), kind="stable")


#: how a Veiligheidsmonitor unit reads in a column heading
SURVEY_UNITS = {"percentage": "Percentage", "rapportcijfer": "Rapportcijfer (1–10)", "score": "Schaalscore (0–10)"}


def survey_value_text(row: Any) -> str:
    """A survey figure with its unit (``45,2 %``, ``6,8``), or why there is none."""
    if _get(row, "withheld"):
        return "onvoldoende respons"
    return value_text(_get(row, "display_value"), str(_get(row, "unit")))


def survey_change_text(row: Any) -> str:
    """The difference with the previous wave (``+1,2 procentpunt``, ``−0,2``) and whether it is
    larger than the combined margin; or why there is none."""
    change = _get(row, "change")
    if _get(row, "withheld"):
        return "onvoldoende respons"
    if is_missing(change):
        return "geen vorige meting" if is_missing(_get(row, "prev_period")) else "onvoldoende respons"
    unit = str(_get(row, "unit"))
    text = f"{signed(change, 1)} {POINTS[unit]}" if unit in POINTS else signed(change, 1)
    return f"{text} ({'significant' if _get(row, 'significant') else 'niet significant'})"


def survey_unit_heading(units: Any) -> str:
    present = {str(u) for u in units if not is_missing(u)}
    return SURVEY_UNITS.get(present.pop(), "Waarde") if len(present) == 1 else "Waarde"


def target_text(row: Any) -> str:
    """The field's own target for this indicator (``streefwaarde 10 %``); empty when there is none."""
    target = _get(row, "target_value")
    if is_missing(target):
        return ""
    unit = str(_get(row, "unit"))
    shown = number(target, 0 if float(target).is_integer() else 1)
    return f"streefwaarde {shown} %" if unit == "percentage" else f"streefwaarde {shown}"


def since_phrase(periods: Sequence[str]) -> str:
    """How far back a series goes, from its own periods: "sinds 2017", "alleen 2024" (one year), or
    "" (none). A heading must not promise years the data do not have."""
    years = sorted({str(period)[:4] for period in periods})
    if not years:
        return ""
    return f"sinds {years[0]}" if len(years) > 1 else f"alleen {years[0]}"
