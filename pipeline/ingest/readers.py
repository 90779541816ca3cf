"""Which reader reads a delivery: told by the file's bytes, not its name. Each reader turns a file
into a table of text cells with the source's canonical column names plus ``bron_rij`` (the row or
line number in the file).

One module per format: ``delimited`` (canonical long CSV, partner CSV with ``;`` and decimal
commas), ``odata`` (police/CBS TypedDataSet, JSON or CSV), ``statline`` (website exports),
``workbook`` (.xlsx/.xls/.ods via ``sheet`` and ``spreadsheet``) and ``parquet``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from pipeline.ingest.delimited import read_delimited
from pipeline.ingest.limits import reading_with
from pipeline.ingest.odata import read_odata_json
from pipeline.ingest.parquet import read_parquet
from pipeline.ingest.parsed import Parsed
from pipeline.ingest.statline import long_statline_header, looks_like_statline, read_statline, read_statline_long
from pipeline.ingest.textfile import detect_encoding, first_lines, head_bytes, read_text
from pipeline.ingest.workbook import read_workbook
from pipeline.kernel.config import Limits
from pipeline.kernel.errors import InputError


def read_delivery(
    path: Path, hint: str | None = None, indeling: int | None = None, limits: Limits | None = None
) -> Parsed:
    """Detect the format of ``path`` and read it; ``indeling`` overrides the indeling a file states."""
    try:
        with reading_with(limits or Limits()):
            parsed = _read_any(path, hint, indeling)
    except csv.Error as exc:  # a field beyond the limit, a NUL in a quoted field
        message = str(exc)
        if "field larger than field limit" in message:
            message = f"een veld is langer dan {(limits or Limits()).field_chars} tekens"
        raise InputError(f"het bestand is niet als tabel te lezen: {message}", file=path.name) from None
    if indeling is not None:
        if not any(c.name == "indeling" for c in parsed.source.columns):
            raise InputError(
                f"--indeling geldt voor politietabellen; bron {parsed.source.name} heeft gemeentecodes per periode",
                file=path.name,
            )
        parsed.indeling = indeling
    return parsed


def _read_any(path: Path, hint: str | None, indeling: int | None) -> Parsed:
    head = head_bytes(path)
    name = path.name
    if not head.strip():
        raise InputError("het bestand is leeg", file=name)
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        if suffix == ".ods" or b"opendocument.spreadsheet" in head[:256]:
            return read_workbook(path, hint, "ods")
        return read_workbook(path, hint, "xlsx")
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # Excel 97-2003, or an .xlsx with a password
        return read_workbook(path, hint, "xls")
    if suffix in {".xlsx", ".xlsm", ".xls", ".ods"}:
        kind = "LibreOffice-bestand (.ods)" if suffix == ".ods" else "Excel-bestand (.xlsx)"
        raise InputError(f"deze werkmap is beschadigd of geen {kind}", file=name)
    if suffix == ".parquet" or head.startswith(b"PAR1"):
        return read_parquet(path, hint)
    encoding = detect_encoding(path, head)
    text = read_text(path, encoding)
    stripped = text.lstrip("\ufeff \r\n\t")
    if stripped.startswith("{") or stripped.startswith("["):
        return read_odata_json(path, text, hint)
    lines = first_lines(text)
    long_header = long_statline_header(lines)
    if long_header is not None:
        return read_statline_long(path, text, long_header, hint, indeling)
    if looks_like_statline(lines):
        return read_statline(path, text, hint, indeling)
    return read_delimited(path, text, hint)
