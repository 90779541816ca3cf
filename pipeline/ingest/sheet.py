"""Worksheets as partners make them, read cell by cell with what a cell *is*, not only what it says.

Excel (.xlsx, .xls), LibreOffice (.ods) and delimited text all become a :class:`Sheet`: rows of
:class:`Cell`, each knowing whether it is a number, a percentage (the value is the fraction
0.119 that Excel shows as 11,9 %), a date (what Excel made of "12-14" or "2024-1"), a formula and
its last computed result, and which cells are merged. :mod:`pipeline.ingest.spreadsheet` decides
what the cells mean.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.ingest.limits import check_package, check_rows, check_width
from pipeline.kernel.errors import InputError


@dataclass(frozen=True, slots=True)
class Cell:
    text: str = ""  # the cell as typed (text cells) or as a plain number/date text
    number: float | None = None  # numeric cells
    percent: bool = False  # a numeric cell formatted as a percentage: ``number`` is the fraction
    date: dt.datetime | None = None  # a cell Excel or LibreOffice stores as a date
    formula: bool = False  # a formula; ``number``/``text`` hold its stored result, if any
    no_result: bool = False  # a formula without a stored result (the file was never recalculated)

    @property
    def empty(self) -> bool:
        return not self.text and self.number is None and self.date is None and not self.no_result


EMPTY = Cell()


@dataclass
class Sheet:
    name: str
    rows: list[list[Cell]]
    #: merged ranges as (first row, first column, last row, last column), 0-based and inclusive
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


def column_letter(index: int) -> str:
    """0 → A, 26 → AA: the column as the partner sees it in Excel."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _number_text(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _value_cell(value: object, number_format: str = "") -> Cell:
    if value is None or (isinstance(value, str) and not value.strip()):
        return EMPTY
    if isinstance(value, bool):
        return Cell(text="1" if value else "0", number=float(value))
    if isinstance(value, dt.datetime | dt.date):
        moment = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
        return Cell(text=f"{moment.day}-{moment.month}-{moment.year}", date=moment)
    if isinstance(value, dt.time):
        return Cell(text=value.isoformat())
    if isinstance(value, int | float):
        return Cell(text=_number_text(value), number=float(value), percent="%" in (number_format or ""))
    return Cell(text=str(value).strip())


# -- .xlsx ----------------------------------------------------------------------------------------
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell [^>]*ref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')


def read_xlsx(path: Path) -> list[Sheet]:
    import openpyxl
    from openpyxl.utils.cell import range_boundaries

    name = path.name
    check_package(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise InputError(
            f"deze werkmap is beschadigd of geen geldig .xlsx-bestand ({type(exc).__name__})", file=name
        ) from None
    except Exception as exc:  # openpyxl raises many types for broken packages
        raise InputError(f"deze werkmap is niet te openen ({type(exc).__name__})", file=name) from None
    sheets: list[Sheet] = []
    formulas: dict[str, list[tuple[int, int]]] = {}
    try:
        for worksheet in workbook.worksheets:
            rows: list[list[Cell]] = []
            # never trust the sheet's <dimension>: some writers state A1:G100 on a 553-row sheet
            if hasattr(worksheet, "reset_dimensions"):
                worksheet.reset_dimensions()
            for row in worksheet.iter_rows():
                if len(rows) % 10_000 == 0:
                    check_rows(len(rows), name)
                check_width(len(row), name, len(rows) + 1)
                cells = []
                for cell in row:
                    value = getattr(cell, "value", None)
                    if getattr(cell, "data_type", None) == "f":
                        formulas.setdefault(worksheet.title, []).append((len(rows), len(cells)))
                        cells.append(Cell(text=str(value), formula=True, no_result=True))
                        continue
                    cells.append(_value_cell(value, getattr(cell, "number_format", "")))
                rows.append(cells)
            merged = []
            source = getattr(worksheet, "_worksheet_path", None)
            if source:
                with zipfile.ZipFile(path) as package:
                    for ref in _MERGE.findall(package.read(source)):
                        first_col, first_row, last_col, last_row = range_boundaries(ref.decode())
                        merged.append((first_row - 1, first_col - 1, last_row - 1, last_col - 1))
            sheets.append(Sheet(worksheet.title, _trim(rows), merged))
    except InputError:
        raise
    except Exception as exc:  # XML with entities (refused by defusedxml), broken parts, ...
        raise InputError(f"deze werkmap is niet te lezen ({type(exc).__name__})", file=name) from None
    finally:
        workbook.close()
    if formulas:
        _fill_formula_results(path, sheets, formulas)
    return sheets


def _fill_formula_results(path: Path, sheets: list[Sheet], formulas: dict[str, list[tuple[int, int]]]) -> None:
    """The result Excel stored with each formula (none when the file was never opened in Excel)."""
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in sheets:
            places = formulas.get(sheet.name)
            if not places:
                continue
            values = [list(r) for r in workbook[sheet.name].iter_rows()]
            for r, c in places:
                cell = values[r][c] if r < len(values) and c < len(values[r]) else None
                value = getattr(cell, "value", None)
                if value is None or r >= len(sheet.rows):
                    continue
                result = _value_cell(value, getattr(cell, "number_format", ""))
                sheet.rows[r][c] = Cell(result.text, result.number, result.percent, result.date, formula=True)
    finally:
        workbook.close()


# -- .xls (Excel 97-2003) -------------------------------------------------------------------------
def read_xls(path: Path) -> list[Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception:  # xlrd: XLRDError, CompDocError, ...; an encrypted .xlsx is an OLE file as well
        raise InputError(
            "deze werkmap is met een wachtwoord beveiligd of een beschadigd .xls-bestand; "
            "sla hem op als .xlsx zonder wachtwoord",
            file=path.name,
        ) from None
    sheets = []
    try:
        for index in range(book.nsheets):
            worksheet = book.sheet_by_index(index)
            rows = []
            check_rows(worksheet.nrows, path.name)
            check_width(worksheet.ncols, path.name)
            for r in range(worksheet.nrows):
                cells = []
                for c in range(worksheet.ncols):
                    cell = worksheet.cell(r, c)
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        moment = xlrd.xldate_as_datetime(cell.value, book.datemode)
                        cells.append(_value_cell(moment))
                    elif cell.ctype in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_BOOLEAN):
                        fmt = book.format_map.get(book.xf_list[cell.xf_index].format_key)
                        cells.append(_value_cell(float(cell.value), fmt.format_str if fmt else ""))
                    elif cell.ctype == xlrd.XL_CELL_TEXT:
                        cells.append(_value_cell(cell.value))
                    else:
                        cells.append(EMPTY)
                rows.append(cells)
            merged = [(r1, c1, r2 - 1, c2 - 1) for r1, r2, c1, c2 in worksheet.merged_cells]
            sheets.append(Sheet(worksheet.name, _trim(rows), merged))
    finally:
        book.release_resources()
    return sheets


# -- .ods (LibreOffice) ---------------------------------------------------------------------------
MAX_ODS_REPEAT = 10_000  # rows or columns repeated only to fill the sheet are not data


def read_ods(path: Path) -> list[Sheet]:
    from odf import teletype
    from odf.namespaces import OFFICENS, TABLENS
    from odf.opendocument import load
    from odf.table import Table, TableRow

    check_package(path)
    try:
        document = load(str(path))
    except Exception as exc:  # odfpy raises zip, XML and KeyError alike
        raise InputError(f"dit .ods-bestand is niet te openen ({type(exc).__name__})", file=path.name) from None
    sheets = []
    for table in document.spreadsheet.getElementsByType(Table):
        rows: list[list[Cell]] = []
        merged = []
        pending_empty = 0
        for row in table.getElementsByType(TableRow):
            repeat = int(row.attributes.get((TABLENS, "number-rows-repeated"), 1))
            cells: list[Cell] = []
            for cell in row.childNodes:
                if cell.qname[1] not in ("table-cell", "covered-table-cell"):
                    continue
                count = int(cell.attributes.get((TABLENS, "number-columns-repeated"), 1))
                kind = cell.attributes.get((OFFICENS, "value-type"))
                text = "\n".join(teletype.extractText(p) for p in cell.childNodes if p.qname[1] == "p").strip()
                formula = (TABLENS, "formula") in cell.attributes
                if kind in ("float", "currency", "percentage"):
                    value = float(cell.attributes.get((OFFICENS, "value")))
                    parsed = Cell(_number_text(value), value, percent=kind == "percentage", formula=formula)
                elif kind == "date":
                    raw = cell.attributes.get((OFFICENS, "date-value"))
                    moment = dt.datetime.fromisoformat(raw)
                    parsed = Cell(f"{moment.day}-{moment.month}-{moment.year}", date=moment, formula=formula)
                elif kind == "boolean":
                    value = cell.attributes.get((OFFICENS, "boolean-value")) == "true"
                    parsed = Cell("1" if value else "0", float(value), formula=formula)
                else:
                    parsed = Cell(text, formula=formula) if text else EMPTY
                span_cols = int(cell.attributes.get((TABLENS, "number-columns-spanned"), 1))
                span_rows = int(cell.attributes.get((TABLENS, "number-rows-spanned"), 1))
                if span_cols > 1 or span_rows > 1:
                    first_row = len(rows) + pending_empty
                    merged.append((first_row, len(cells), first_row + span_rows - 1, len(cells) + span_cols - 1))
                if parsed.empty and count > MAX_ODS_REPEAT:
                    continue
                cells.extend([parsed] * count)
            while cells and cells[-1].empty:
                cells.pop()
            if not cells:
                pending_empty += min(repeat, MAX_ODS_REPEAT)
                continue
            rows.extend([[] for _ in range(pending_empty)])
            pending_empty = 0
            rows.extend([list(cells) for _ in range(min(repeat, MAX_ODS_REPEAT))])
            check_rows(len(rows), path.name)
            check_width(len(cells), path.name, len(rows))
        sheets.append(Sheet(table.getAttribute("name") or "", _trim(rows), merged))
    return sheets


# -- delimited text -------------------------------------------------------------------------------
def read_text_sheet(text: str, delimiter: str, name: str) -> Sheet:
    rows = [
        [Cell(text=c.strip()) if c.strip() else EMPTY for c in row]
        for row in csv.reader(io.StringIO(text), delimiter=delimiter)
    ]
    return Sheet(name, _trim(rows))


def _trim(rows: list[list[Cell]]) -> list[list[Cell]]:
    for row in rows:
        while row and row[-1].empty:
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows
