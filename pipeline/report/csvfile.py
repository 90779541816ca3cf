"""The gemeente's figures as CSV for Dutch Excel: ``;``-separated, decimal comma, UTF-8 with BOM."""

from __future__ import annotations

import csv
import io

import pandas as pd

from pipeline.report.content import Report
from pipeline.report.excel import HIDDEN_WHEN_SUPPRESSED
from pipeline.report.safe import neutralise
from pipeline.wording import SUPPRESSED_MARKER

HEADER = [
    ("thema", "Thema"),
    ("indicator_code", "Indicatorcode"),
    ("indicator_label", "Indicator"),
    ("period", "Periode"),
    ("display_value", "Waarde"),
    ("suppressed", "Afgeschermd"),
    ("rate_per_1000", "Per 1.000"),
    ("prev_value", "Een jaar eerder"),
    ("change_pct", "Verandering (%)"),
    ("change_label", "Oordeel"),
    ("significant", "Significant"),
    ("avg_3y", "Gemiddelde 3 jaar"),
    ("benchmark_district_rate", "District per 1.000"),
    ("benchmark_eenheid_rate", "Eenheid per 1.000"),
]


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".").replace(".", ",")
    return str(neutralise(str(value)))


def render(report: Report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(f"GVB {report.edition} — {report.name} ({report.gemeente})")]
                    + (["DEMO — fictieve cijfers"] if report.demo else []))  # fmt: skip
    writer.writerow([label for _, label in HEADER])
    for row in report.figures.to_dict("records"):
        values = dict(row)
        if values["suppressed"]:  # as in the PDF and Excel: the marker and nothing beside it to reason from
            values["display_value"] = SUPPRESSED_MARKER
            for key in HIDDEN_WHEN_SUPPRESSED:
                values[key] = None
        writer.writerow([_cell(values[key]) for key, _ in HEADER])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
