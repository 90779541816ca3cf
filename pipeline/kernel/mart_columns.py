"""The public mart's column contract: the columns of ``indicator_values`` that are published.

`gvb export` writes them, the GX suite checks them, the dashboard and the reports read them; the
README documents each one (a test checks that). A kernel module: it imports nothing of ours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

#: the documented open-data columns, in order (see README, "indicator_values")
EXPORT_COLUMNS = [
    "edition", "level", "area_code", "area_name", "district_code", "period", "period_type", "indicator_code",
    "indicator_label", "thema", "unit", "value", "display_value", "suppressed", "rate_per_1000", "rate_denominator",
    "rate_population_year", "prev_value", "change_abs", "change_pct", "avg_3y", "change_label", "significant",
    "p_value", "provisional", "benchmark_district_rate", "benchmark_eenheid_rate", "rank", "is_demo",
    "prev_empty_reason", "avg_3y_empty_reason", "rate_empty_reason", "benchmark_district_empty_reason",
    "benchmark_eenheid_empty_reason", "target_value",
]  # fmt: skip

#: the columns of ``notes``, the analysts' duiding that goes with an edition (a table of its own in
#: the open data, never mixed into ``indicator_values``)
NOTE_COLUMNS = [
    "edition", "note_id", "indicator_code", "indicator_label", "area_code", "first_period", "last_period",
    "note_text", "author", "written_on", "written_for_edition",
]  # fmt: skip


#: the columns a published table has (parameter: the table), for :func:`select_list`
COLUMNS_SQL = "select column_name from information_schema.columns where table_name = ?"


def select_list(
    present: Iterable[str], columns: Sequence[str] = EXPORT_COLUMNS, shown: Callable[[str], str] = str
) -> str:
    """``columns`` as a select list over a published table that has the columns ``present`` (see
    ``COLUMNS_SQL``), each as ``shown`` writes it: one an edition published before it was added
    reads as empty (``null as …``), so every edition stays readable."""
    have = set(present)
    return ", ".join(shown(column) if column in have else f"null as {column}" for column in columns)
