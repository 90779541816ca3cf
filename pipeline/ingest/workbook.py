"""Workbooks (.xlsx, .xls, .ods): the sheet that holds the delivery, read cell by cell (see ``sheet``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.ingest.headers import find_header_row
from pipeline.ingest.incidents import count_incidents, incident_columns
from pipeline.ingest.parsed import DEMO_MARKER, Parsed


def read_workbook(path: Path, hint: str | None, fmt: str) -> Parsed:
    from pipeline.ingest import sheet as sheets
    from pipeline.ingest.spreadsheet import read_sheets

    read = {"xlsx": sheets.read_xlsx, "xls": sheets.read_xls, "ods": sheets.read_ods}[fmt]
    workbook = read(path)
    if hint == "politie_misdrijven":  # one row per incident: counted, not read as a table
        for sheet in workbook:
            rows = [[c.text for c in row] for row in sheet.rows]
            header_index = find_header_row(rows, hint)
            if header_index is not None and incident_columns(rows[header_index]) is not None:
                return _incident_sheet(rows, header_index, path.name, sheet.name, fmt)
    return read_sheets(workbook, path.name, hint, fmt, default_dutch=True)


def _incident_sheet(rows: list[list[str]], header_index: int, name: str, sheet_name: str, fmt: str) -> Parsed:
    header = rows[header_index]
    while header and not header[-1]:
        header = header[:-1]
    demo = any(DEMO_MARKER.search(" ".join(r)) for r in rows[:header_index]) or bool(DEMO_MARKER.search(sheet_name))
    body = [(offset, row) for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2)]
    kept = [(offset, row) for offset, row in body if any(c.strip() for c in row)]
    frame = pd.DataFrame([[*row[: len(header)], *[""] * (len(header) - len(row))] for _, row in kept], columns=header)
    frame["bron_rij"] = [offset for offset, _ in kept]
    return count_incidents(frame, incident_columns(header), name, demo, fmt)
