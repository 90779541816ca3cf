"""The gemeente's figures as an Excel workbook: an overview, a sheet per theme, definitions.

Formatted headers, frozen panes, Dutch number formats (Excel shows ``#.##0`` with the reader's
separators), suppressed cells as the text "afgeschermd" with a note, every text cell neutralised.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.presentation.dutch import edition_label, period_label
from pipeline.presentation.figures import cell_reason, has_rates, in_catalogue_order, population_note, rate_heading
from pipeline.presentation.notes import ALL_AREAS, note_periods
from pipeline.presentation.wording import DEMO_MARK, SHEET_NAMES, SUPPRESSED_EXPLANATION, SUPPRESSED_MARKER, THEMES
from pipeline.report.content import Report
from pipeline.report.safe import neutralise

INTEGER = "#,##0"
DECIMAL = "#,##0.0"
RATE = "#,##0.00"
PERCENT_CHANGE = "+0%;-0%;0%"
POINTS = '+#,##0.0" pp";-#,##0.0" pp";0.0" pp"'
SIGNED = "+#,##0;-#,##0;0"
SIGNED_DECIMAL = "+#,##0.0;-#,##0.0;0.0"
HEADER_FILL = PatternFill("solid", fgColor="0B4F8A")
HEADER_FONT = Font(bold=True, color="FFFFFF")
REASON_FONT = Font(italic=True, color="595959")
SUPPRESSED_NOTE = SUPPRESSED_EXPLANATION[0].upper() + SUPPRESSED_EXPLANATION[1:] + "."
#: shown as empty next to "afgeschermd", in every format alike
HIDDEN_WHEN_SUPPRESSED = ("prev_value", "change_abs", "change_pct", "change_label", "avg_3y", "rate_per_1000")


def columns(frame: pd.DataFrame, with_period: bool = False) -> list[tuple[str, str, str | None, int]]:
    """The figure columns (header, mart column, number format, width); rate headers name their
    denominator, and a percentage's change is in percentage points ("Verschil")."""
    denominators = frame["rate_denominator"]
    return [
        ("Indicator", "indicator_label", None, 38),
        *([("Periode", "period_text", None, 22)] if with_period else []),
        ("Waarde", "value", INTEGER, 12),
        ("Een jaar eerder", "prev_value", INTEGER, 14),
        ("Verschil", "change_abs", SIGNED, 12),
        ("Verandering (%)", "change_pct", PERCENT_CHANGE, 14),
        ("Oordeel", "change_label", None, 28),
        ("Gemiddelde 3 jaar ervoor", "avg_3y", DECIMAL, 16),
        *(
            [
                (rate_heading(denominators), "rate_per_1000", RATE, 18),
                (rate_heading(denominators, "district"), "benchmark_district_rate", RATE, 22),
                (rate_heading(denominators, "eenheid"), "benchmark_eenheid_rate", RATE, 22),
            ]
            if has_rates(frame)  # figures without a denominator (RIEC, Burgernet) have no rate columns
            else []
        ),
        # the field's own target (Burgernetdekking: 10 % of inhabitants), where an indicator has one
        *([("Streefwaarde", "target_value", DECIMAL, 12)] if frame["target_value"].notna().any() else []),
    ]


def _text(sheet: Worksheet, row: int, column: int, value: Any) -> None:
    cell = sheet.cell(row=row, column=column, value=neutralise(value))
    cell.data_type = "s"  # text stays text, whatever it starts with


def _header(sheet: Worksheet, row: int, labels: list[str], widths: list[int]) -> None:
    for column, (label, width) in enumerate(zip(labels, widths, strict=True), start=1):
        cell = sheet.cell(row=row, column=column, value=label)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=row + 1, column=2)


def _title(sheet: Worksheet, report: Report, title: str) -> int:
    sheet["A1"] = f"{edition_label(report.edition)} — {report.name} ({report.gemeente})"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = f"{title} · controlegetal {report.checksum}" + (f" · {DEMO_MARK}" if report.demo else "")
    sheet["A2"].font = Font(italic=True, color="595959")
    return 4


def _reason(sheet: Worksheet, row: int, column: int, reason: str) -> None:
    """An empty figure's reason, in grey italics where the figure would be."""
    _text(sheet, row, column, reason)
    cell = sheet.cell(row=row, column=column)
    cell.font, cell.alignment = REASON_FONT, Alignment(horizontal="right")


def _figures(sheet: Worksheet, frame: pd.DataFrame, first_row: int, with_period: bool = False) -> None:
    spec = columns(frame, with_period)
    if with_period:
        frame = frame.assign(period_text=frame["period"].map(period_label))
    _header(sheet, first_row, [c[0] for c in spec], [c[3] for c in spec])
    for offset, row in enumerate(frame.to_dict("records"), start=1):
        r = first_row + offset
        for column, (_, key, number_format, _) in enumerate(spec, start=1):
            value = row[key]
            if key == "value" and row["suppressed"]:
                _text(sheet, r, column, SUPPRESSED_MARKER)
                sheet.cell(row=r, column=column).comment = Comment(SUPPRESSED_NOTE, "GVB")
                sheet.cell(row=r, column=column).alignment = Alignment(horizontal="right")
                continue
            if row["suppressed"] and key in HIDDEN_WHEN_SUPPRESSED:
                continue
            if value is None or pd.isna(value):
                reason = cell_reason(row, key)
                if reason:
                    _reason(sheet, r, column, reason)
                continue
            if number_format is None:
                _text(sheet, r, column, str(value))
                continue
            if key == "change_pct":
                value = float(value) / 100
            elif key == "change_abs" and row["unit"] == "percentage":
                number_format = POINTS
            elif key == "change_abs" and row["unit"] != "aantal":
                number_format = SIGNED_DECIMAL
            elif row["unit"] != "aantal" and key in ("value", "prev_value", "avg_3y"):
                number_format = DECIMAL
            cell = sheet.cell(row=r, column=column, value=float(value))
            cell.number_format = number_format


def render(report: Report) -> bytes:
    workbook = Workbook()
    overview = workbook.active
    overview.title = "Overzicht"
    row = _title(overview, report, "Overzicht")
    _text(overview, row, 1, "Opvallende ontwikkelingen")
    overview.cell(row=row, column=1).font = Font(bold=True)
    for sentence in report.notable or ["Geen significante veranderingen ten opzichte van een jaar eerder."]:
        row += 1
        _text(overview, row, 1, sentence)
    if report.notes:
        row += 2
        _text(overview, row, 1, f"Duiding bij de cijfers: {len(report.notes)} notitie(s), zie het werkblad Duiding")
        overview.cell(row=row, column=1).font = Font(bold=True)
    if note := population_note(report.figures):  # a rate on an earlier year's inhabitants says so
        row += 2
        _text(overview, row, 1, note)
    row += 2
    headline = report.figures[report.figures["indicator_code"].isin(
        ["M_TOTAAL", "M_HIC", "M_WONINGINBRAAK", "M_GEWELD", "I_TOTAAL", "H_VERWIJZINGEN"])]  # fmt: skip
    _figures(overview, headline, row)
    overview.freeze_panes = None
    overview.column_dimensions["A"].width = 60
    for theme, title in THEMES.items():
        frame = report.theme(theme)
        if frame.empty:
            continue
        sheet = workbook.create_sheet(SHEET_NAMES.get(theme, title))
        _figures(sheet, frame, _title(sheet, report, title))
    series = workbook.create_sheet("Tijdreeks")
    _figures(series, report.series, _title(series, report, "Alle perioden van deze editie"), with_period=True)
    if not report.survey.empty:
        sheet = workbook.create_sheet("Veiligheidsmonitor")
        first = _title(sheet, report, f"Veiligheidsmonitor {report.survey['period'].iloc[0]}")
        survey = in_catalogue_order(report.survey)
        previous = next(iter(survey["prev_period"].dropna()), None)
        labels = [
            "Indicator",
            "Eenheid",
            "Waarde",
            "Marge (±)",
            "Ondergrens",
            "Bovengrens",
            f"Vorige meting ({previous})" if previous else "Vorige meting",
            "Verschil (bij een percentage: procentpunten)",
            "Significant",
        ]
        _header(sheet, first, labels, [40, 14, 10, 10, 11, 11, 16, 20, 11])
        for offset, s in enumerate(survey.to_dict("records"), start=1):
            r = first + offset
            _text(sheet, r, 1, s["indicator_label"])
            _text(sheet, r, 2, s["unit"])
            if s["withheld"]:
                _reason(sheet, r, 3, "onvoldoende respons")
                continue
            for column, key in enumerate(["value", "margin", "lower", "upper", "prev_value", "change"], start=3):
                if s[key] is not None and not pd.isna(s[key]):
                    sheet.cell(row=r, column=column, value=float(s[key])).number_format = DECIMAL
                elif key in ("prev_value", "change"):
                    _reason(sheet, r, column, "geen vorige meting")
            if not pd.isna(s["significant"]):
                _text(sheet, r, 9, "ja" if s["significant"] else "nee")
    if report.notes:
        sheet = workbook.create_sheet("Duiding")
        first = _title(sheet, report, "Duiding: toelichting van de analisten bij de cijfers")
        _header(sheet, first, ["Indicator", "Gebied", "Perioden", "Duiding", "Auteur", "Geschreven voor editie"],
                [28, 18, 26, 80, 20, 12])  # fmt: skip
        for offset, n in enumerate(report.notes, start=1):
            area = (
                "alle gebieden"
                if n["area_code"] == ALL_AREAS
                else report.area_names.get(n["area_code"], n["area_code"])
            )
            values = [n["indicator_label"], area, note_periods(n["first_period"], n["last_period"]), n["note_text"],
                      n["author"], n["written_for_edition"]]  # fmt: skip
            for column, value in enumerate(values, start=1):
                _text(sheet, first + offset, column, value)
            sheet.cell(row=first + offset, column=4).alignment = Alignment(wrap_text=True, vertical="top")
    definitions = workbook.create_sheet("Definities")
    first = _title(definitions, report, "Definities")
    _header(definitions, first, ["Indicator", "Code", "Thema", "Eenheid", "Toelichting"], [34, 22, 22, 12, 100])
    for offset, d in enumerate(report.definitions, start=1):
        for column, key in enumerate(["label", "code", "thema", "eenheid", "toelichting"], start=1):
            _text(definitions, first + offset, column, d[key])
    workbook.properties.title = f"GVB {report.edition} {report.name}"
    workbook.properties.creator = "gvb"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
