"""Delimited text: the canonical long CSV and partner CSV (``;``, Dutch decimal commas, a title above the header)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from pipeline.ingest.headers import MAX_HEADER_SCAN, find_header_row, header_score, map_header, match_header
from pipeline.ingest.incidents import count_incidents, incident_columns
from pipeline.ingest.limits import check_width
from pipeline.ingest.odata import is_odata_header, read_odata_table
from pipeline.ingest.parsed import DEMO_MARKER, Parsed
from pipeline.ingest.textfile import (
    first_lines,
    parser_message,
    sniff_delimiter,
)
from pipeline.kernel.errors import InputError
from pipeline.kernel.sources import SOURCES


def read_delimited(path: Path, text: str, hint: str | None) -> Parsed:
    name = path.name
    lines = first_lines(text, MAX_HEADER_SCAN + 5)
    demo = any(line.lstrip().startswith("#") and DEMO_MARKER.search(line) for line in lines)
    delimiter = sniff_delimiter(lines)
    rows = [next(csv.reader([line], delimiter=delimiter), []) for line in lines]
    skip = 0
    while skip < len(rows) and (not lines[skip].strip() or lines[skip].lstrip().startswith("#")):
        skip += 1
    header_index = find_header_row(rows, hint)
    if header_index is not None:
        demo = demo or any(DEMO_MARKER.search(line) for line in lines[skip:header_index])
        skip = header_index
    header = rows[skip] if skip < len(rows) else []
    check_width(max((len(r) for r in rows), default=0), name)
    if is_odata_header(header):
        return read_odata_table(path, text, delimiter, skip, hint, demo)
    incidents = incident_columns(header) if hint == "politie_misdrijven" else None
    if incidents is None and _hand_made(header, hint):
        from pipeline.ingest.sheet import read_text_sheet
        from pipeline.ingest.spreadsheet import read_sheets

        fmt = "csv" if delimiter == "," else "csv-nl"
        parsed = read_sheets([read_text_sheet(text, delimiter, name)], name, hint, fmt, default_dutch=delimiter != ",")
        parsed.demo = parsed.demo or demo
        return parsed
    if incidents is None:
        source, mapping = match_header(header, name, hint, row=skip + 1)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            skiprows=skip,
            header=0,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
            quotechar='"',
        )
    except pd.errors.ParserError as exc:
        raise InputError(parser_message(str(exc), skip), file=name) from None
    except (ValueError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"het bestand is niet als tabel te lezen ({exc})", file=name) from None
    if incidents is not None:
        frame["bron_rij"] = frame.index + skip + 2
        return count_incidents(frame, incidents, name, demo, "csv")
    frame.columns = [mapping.get(i, f"_extra_{i}") for i in range(len(frame.columns))]
    frame["bron_rij"] = frame.index + skip + 2
    empty = frame.drop(columns="bron_rij").apply(lambda col: col.str.strip() == "").all(axis=1)
    frame = frame[~empty]
    if frame.empty:
        raise InputError("het bestand bevat alleen een kopregel, geen gegevens", file=name)
    return Parsed(
        source=source,
        format="csv" if delimiter == "," else "csv-nl",
        frame=frame.reset_index(drop=True),
        dutch_numbers=delimiter == ";",
        demo=demo,
    )


def _hand_made(header: list[str], hint: str | None) -> bool:
    """Partner tables (Halt, RIEC, Veiligheidshuis, Burgernet) and every table that is not a
    complete police or survey header are read cell by cell (:mod:`pipeline.ingest.spreadsheet`);
    police tables, which can be millions of rows, go through pandas."""
    if hint is not None:
        return SOURCES[hint].area_column == "gemeente_code"
    headers = [h.strip() for h in header]
    for source in SOURCES.values():
        _, unknown, missing = map_header(headers, source)
        if not unknown and not missing:
            return source.area_column == "gemeente_code"
    best = max(SOURCES.values(), key=lambda s: header_score(headers, s))
    return best.area_column == "gemeente_code"
