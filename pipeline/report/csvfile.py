"""The gemeente's figures of every period as CSV for Dutch Excel: ``;``-separated, decimal comma, UTF-8 with BOM."""

from __future__ import annotations

import csv
import io

import pandas as pd

from pipeline.presentation.dutch import value_text
from pipeline.presentation.figures import cell_reason
from pipeline.presentation.wording import DEMO_MARK, SUPPRESSED_MARKER
from pipeline.report.content import Report
from pipeline.report.excel import HIDDEN_WHEN_SUPPRESSED
from pipeline.report.safe import neutralise

HEADER = [
    ("thema", "Thema"),
    ("indicator_code", "Indicatorcode"),
    ("indicator_label", "Indicator"),
    ("period", "Periode"),
    ("display_value", "Waarde"),
    ("unit", "Eenheid"),
    ("suppressed", "Afgeschermd"),
    ("rate_per_1000", "Per 1.000"),
    ("rate_denominator", "Per 1.000 van"),
    ("rate_population_year", "Inwoners geteld op 1 januari"),  # an earlier year: the newest count carried forward
    ("prev_value", "Een jaar eerder"),
    ("change_abs", "Verschil (bij een percentage: procentpunten)"),
    ("change_pct", "Verandering (%)"),
    ("change_label", "Oordeel"),
    ("significant", "Significant"),
    ("avg_3y", "Gemiddelde 3 jaar ervoor"),
    ("benchmark_district_rate", "District per 1.000"),
    ("benchmark_eenheid_rate", "Eenheid per 1.000"),
    ("target_value", "Streefwaarde"),
    ("empty_reasons", "Lege cellen"),
]
#: a row's empty figures say why they are empty (the same words as Excel and the PDF), in "Lege cellen"
EXPLAINED = ("prev_value", "change_abs", "change_pct", "change_label", "avg_3y", "rate_per_1000",
             "benchmark_district_rate", "benchmark_eenheid_rate")  # fmt: skip


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
                    + ([DEMO_MARK] if report.demo else []))  # fmt: skip
    writer.writerow([label for _, label in HEADER])
    labels = dict(HEADER)
    for row in report.series.to_dict("records"):  # every period of the edition, not only its own
        values = dict(row)
        if values["suppressed"]:  # as in the PDF and Excel: the marker and nothing beside it to reason from
            values["display_value"] = SUPPRESSED_MARKER
            for key in HIDDEN_WHEN_SUPPRESSED:
                values[key] = None
        else:
            values["display_value"] = value_text(values["display_value"], values["unit"])  # "10,6 %", as shown
            if values["unit"] != "aantal" and not pd.isna(values["change_abs"]):
                values["change_abs"] = round(float(values["change_abs"]), 1)  # as shown: "+0,5 procentpunt"
        # numbers stay numbers: why a figure is empty is said in one column at the end of the row
        values["empty_reasons"] = (
            "afgeschermd, en daarmee ook de vergelijkingen"
            if values["suppressed"]
            else "; ".join(f"{labels[key]}: {reason}" for key in EXPLAINED if (reason := cell_reason(values, key)))
        )
        writer.writerow([_cell(values[key]) for key, _ in HEADER])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
