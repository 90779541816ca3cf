"""Writing demo deliveries in the formats partners and the police really use."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from pipeline.presentation.wording import DEMO_MARK

DEMO_LINE = f"{DEMO_MARK}, gegenereerd door gvb demo-data; geen echte gegevens"
_FIXED_TIME = dt.datetime(2000, 1, 1)


def dutch_decimal(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]], delimiter: str = ",") -> int:
    """CSV with a leading ``#`` comment line that marks the file as demo data."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(f"# {DEMO_LINE}\n")
        writer = csv.writer(fh, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def write_xlsx(path: Path, sheet: str, title: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """A workbook as partners send it: a title row, an empty row, then the table."""
    import openpyxl
    from openpyxl.styles import Font

    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append([f"{title} — {DEMO_LINE}"])
    worksheet["A1"].font = Font(bold=True)
    worksheet.append([])
    worksheet.append(list(header))
    count = 0
    for row in rows:
        worksheet.append(list(row))
        count += 1
    worksheet.freeze_panes = "A4"
    notes = workbook.create_sheet("Toelichting")
    notes.append([DEMO_LINE])
    notes.append(["Dit werkblad bevat geen gegevens; het staat er zoals partners het vaak meesturen."])
    workbook.properties.creator = "gvb demo-data"
    workbook.properties.title = DEMO_MARK
    workbook.properties.created = _FIXED_TIME
    workbook.properties.modified = _FIXED_TIME
    workbook.save(path)
    _make_reproducible(path)
    return count


def _make_reproducible(path: Path) -> None:
    """Same content, same bytes: fix the zip timestamps and the 'modified' property openpyxl stamps."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            target.writestr(zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


def write_odata_json(path: Path, table: str, rows: list[dict[str, object]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "odata.metadata": f"https://example.invalid/ODataApi/OData/{table}/$metadata#TypedDataSet ({DEMO_MARK})",
        "gvb_demo": True,
        "gvb_note": DEMO_LINE,
        "value": rows,
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=0), encoding="utf-8")
    return len(rows)


def write_statline(
    path: Path, title: str, fixed: str, periods: Sequence[str], rows: Iterable[tuple[str, Sequence[str]]]
) -> int:
    """A StatLine website export: title lines, ``;``-separated, quoted, wide by period."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow([f"{title} — {DEMO_LINE}"])
        writer.writerow([fixed])
        writer.writerow([""])
        writer.writerow(["Onderwerp", *["Geregistreerde misdrijven"] * len(periods)])
        writer.writerow(["Perioden", *periods])
        writer.writerow(["Regio's", *["aantal"] * len(periods)])
        for label, values in rows:
            writer.writerow([label, *values])
            count += 1
        writer.writerow(["Bron: DEMO (gvb demo-data), geen echte bron"])
    return count
