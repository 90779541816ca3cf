"""A folder that ``gvb fetch`` wrote: the feed's pages, read as one OData delivery.

Every page is checked against the manifest first (present, same sha256, same row count), so a
page changed or lost after fetching refuses the folder instead of loading part of a table.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.fetch.manifest import read_pages
from pipeline.ingest.odata import is_odata_header, odata_frame
from pipeline.ingest.parsed import Parsed
from pipeline.ingest.statline import indeling_of_title
from pipeline.kernel.errors import InputError
from pipeline.kernel.sources import SOURCES


def read_fetched(folder: Path, hint: str | None, max_rows: int) -> Parsed:
    manifest, pages = read_pages(folder)
    source = manifest.get("bron")
    if source not in SOURCES:
        raise InputError(f"een opgehaalde tabel van bron '{source}' is geen levering voor gvb ingest", file=folder.name)
    if int(manifest.get("rijen", 0)) > max_rows:
        raise InputError(
            f"de opgehaalde tabel heeft {manifest['rijen']:n} rijen, meer dan de grens van {max_rows:n} (GVB_MAX_ROWS); "
            "haal minder op met --vanaf",
            file=folder.name,
        )
    # page by page into typed columns: a national table never exists as millions of Python dicts
    frames = [pd.DataFrame.from_records(values).astype("string") for values in pages if values]
    if not frames:
        raise InputError("de opgehaalde tabel heeft geen rijen voor de regio en perioden", file=folder.name)
    frame = pd.concat(frames, ignore_index=True)
    if not is_odata_header(list(frame.columns)):
        raise InputError("de opgehaalde pagina's hebben niet de OData-kolommen van een politietabel", file=folder.name)
    parsed = odata_frame(frame, folder.name, hint or source, False, "odata-feed", row_offset=1)
    # the indeling the table's explanation states (47022NED: "volgens de buurtindeling van 2024"), else its title's
    parsed.indeling = manifest.get("indeling") or indeling_of_title(str(manifest.get("titel", "")))
    parsed.notes.append(
        f"opgehaald uit {manifest.get('tabel')} (tabel gewijzigd {manifest.get('gewijzigd')}, opgehaald "
        f"{manifest.get('opgehaald_op')}, {len(manifest['paginas'])} pagina's)"
    )
    if parsed.indeling:
        parsed.notes.append(f"gebieden in de indeling van {parsed.indeling} (volgens de beschrijving van de tabel)")
    return parsed
