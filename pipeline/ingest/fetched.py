"""A folder that ``gvb fetch`` wrote: the feed's pages, read as one OData delivery.

Every page is checked against the manifest first (present, same sha256, same row count), so a
page changed or lost after fetching refuses the folder instead of loading part of a table.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.fetch.manifest import read_records
from pipeline.ingest.odata import is_odata_header, odata_frame
from pipeline.ingest.parsed import Parsed
from pipeline.ingest.statline import indeling_of_title
from pipeline.kernel.errors import InputError
from pipeline.kernel.sources import SOURCES


def read_fetched(folder: Path, hint: str | None) -> Parsed:
    manifest, records = read_records(folder)
    source = manifest.get("bron")
    if source not in SOURCES:
        raise InputError(f"een opgehaalde tabel van bron '{source}' is geen levering voor gvb ingest", file=folder.name)
    if not records:
        raise InputError("de opgehaalde tabel heeft geen rijen voor de regio en perioden", file=folder.name)
    frame = pd.DataFrame.from_records(records)
    if not is_odata_header(list(frame.columns)):
        raise InputError("de opgehaalde pagina's hebben niet de OData-kolommen van een politietabel", file=folder.name)
    parsed = odata_frame(frame.astype("string"), folder.name, hint or source, False, "odata-feed", row_offset=1)
    parsed.indeling = indeling_of_title(str(manifest.get("titel", "")))
    parsed.notes.append(
        f"opgehaald uit {manifest.get('tabel')} (tabel gewijzigd {manifest.get('gewijzigd')}, opgehaald "
        f"{manifest.get('opgehaald_op')}, {len(manifest['paginas'])} pagina's)"
    )
    if parsed.indeling:
        parsed.notes.append(f"gebieden in de indeling van {parsed.indeling} (volgens de titel van de tabel)")
    return parsed
