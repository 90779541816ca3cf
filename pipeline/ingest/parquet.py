"""Parquet: the canonical extract, typed."""

from __future__ import annotations

from pathlib import Path

from pipeline.ingest.headers import match_header
from pipeline.ingest.parsed import Parsed
from pipeline.kernel.errors import InputError


def read_parquet(path: Path, hint: str | None) -> Parsed:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ...
        raise InputError(f"dit Parquet-bestand is niet te lezen ({type(exc).__name__})", file=path.name) from None
    source, mapping = match_header(table.column_names, path.name, hint)
    frame = table.to_pandas()
    frame.columns = [mapping[i] for i in range(len(frame.columns))]
    for column in frame.columns:
        frame[column] = frame[column].astype("string")
    frame["bron_rij"] = frame.index + 1
    demo = b"DEMO" in (table.schema.metadata or {}).get(b"gvb", b"")
    return Parsed(source, "parquet", frame, dutch_numbers=False, demo=demo)
