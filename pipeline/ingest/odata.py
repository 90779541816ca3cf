"""The police/CBS OData "TypedDataSet", as JSON or as CSV: keys padded with spaces, ``2024MM03`` periods."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from pipeline.ingest.parsed import DEMO_MARKER, Parsed
from pipeline.ingest.statline import indeling_of_title
from pipeline.ingest.textfile import (
    parser_message,
)
from pipeline.kernel.errors import InputError, Problem
from pipeline.kernel.sources import SOURCES

ODATA_TYPE = {
    "soortmisdrijf": "politie_misdrijven",
    "overlast": "politie_incidenten",
    "soortoverlast": "politie_incidenten",
}
ODATA_AREA = {"regios", "wijkenenbuurten"}


def is_odata_header(header: list[str]) -> bool:
    keys = {h.strip().lower() for h in header}
    return "perioden" in keys and bool(keys & set(ODATA_TYPE)) and bool(keys & ODATA_AREA)


def odata_measure(header: list[str]) -> str | None:
    """The column with the counts: ``GeregistreerdeMisdrijven_1`` or another ``…_1``."""
    return next((c for c in header if c.lower().startswith("geregistreerde") or c.endswith("_1")), None)


def odata_frame(records: pd.DataFrame, name: str, hint: str | None, demo: bool, fmt: str, row_offset: int) -> Parsed:
    columns = {c.strip().lower(): c for c in records.columns}
    type_key = next(k for k in ODATA_TYPE if k in columns)
    source = SOURCES[ODATA_TYPE[type_key]]
    if hint and hint != source.name:
        raise InputError(f"dit bestand bevat {source.label}, maar staat in de map van bron {hint}", file=name)
    area_key = next(k for k in ODATA_AREA if k in columns)
    measure = odata_measure(list(records.columns))
    if measure is None:
        raise InputError(
            "OData-tabel zonder meetkolom (verwacht bijvoorbeeld 'GeregistreerdeMisdrijven_1')",
            file=name,
            problems=[Problem("schema", "kolom met aantallen ontbreekt", column="GeregistreerdeMisdrijven_1")],
        )
    frame = pd.DataFrame(
        {
            "soort_code": records[columns[type_key]].astype("string").str.strip(),
            "gebied_code": records[columns[area_key]].astype("string").str.strip(),
            "periode_raw": records[columns["perioden"]].astype("string").str.strip(),
            "aantal": records[measure].astype("string").str.strip(),
        }
    )
    frame["bron_rij"] = records.index + row_offset
    notes = []
    area = frame["gebied_code"].fillna("")
    totals = ~area.str.match(r"^(GM|WK|BU)")
    if totals.any():
        codes = ", ".join(sorted(set(area[totals]))[:5])
        notes.append(f"{int(totals.sum())} rijen met regiototalen overgeslagen ({codes})")
    unpublished = frame["aantal"].isna() | frame["aantal"].isin(["", "."])
    if (unpublished & ~totals).any():
        notes.append(f"{int((unpublished & ~totals).sum())} cellen zonder gepubliceerde waarde overgeslagen")
    skipped = int((totals | unpublished).sum())
    frame = frame[~(totals | unpublished)]
    if frame.empty:
        raise InputError("het bestand bevat geen gegevens voor gemeenten, wijken of buurten", file=name)
    frame["periode"] = frame.pop("periode_raw")
    frame["aantal"] = frame["aantal"].astype("string")
    return Parsed(
        source, fmt, frame.reset_index(drop=True), dutch_numbers=False, demo=demo, notes=notes, skipped=skipped
    )


def read_odata_table(path: Path, text: str, delimiter: str, skip: int, hint: str | None, demo: bool) -> Parsed:
    try:
        records = pd.read_csv(
            io.StringIO(text), sep=delimiter, skiprows=skip, header=0, dtype=str, keep_default_na=False
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise InputError(parser_message(str(exc), skip), file=path.name) from None
    return odata_frame(records, path.name, hint, demo, "odata-csv", row_offset=skip + 2)


def read_odata_json(path: Path, text: str, hint: str | None) -> Parsed:
    name = path.name
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"ongeldige JSON op regel {exc.lineno}, kolom {exc.colno}: {exc.msg}", file=name) from None
    values = document.get("value") if isinstance(document, dict) else document
    if isinstance(document, dict) and "d" in document and isinstance(document["d"], dict):
        values = document["d"].get("results")
    if not isinstance(values, list) or not values or not all(isinstance(v, dict) for v in values):
        raise InputError("JSON zonder OData-records (verwacht een lijst 'value' met records)", file=name)
    demo = bool(
        isinstance(document, dict)
        and (document.get("gvb_demo") or DEMO_MARKER.search(str(document.get("odata.metadata", ""))))
    )
    records = pd.DataFrame.from_records(values)
    if not is_odata_header(list(records.columns)):
        raise InputError(
            "onbekend formaat: JSON-records zonder de OData-kolommen Perioden, SoortMisdrijf/Overlast "
            "en RegioS/WijkenEnBuurten",
            file=name,
        )
    parsed = odata_frame(records.astype("string"), name, hint, demo, "odata-json", row_offset=1)
    parsed.indeling = indeling_of_title(_odata_title(document))
    if parsed.indeling:
        parsed.notes.append(f"gebieden in de indeling van {parsed.indeling} (volgens de titel van de tabel)")
    return parsed


def _odata_title(document: object) -> str:
    """The table's title when a feed's page carries it ("Title", or "TableInfos" as the feed gives them)."""
    if not isinstance(document, dict):
        return ""
    infos = document.get("TableInfos")
    if isinstance(infos, dict):
        infos = infos.get("value")
    if isinstance(infos, list) and infos and isinstance(infos[0], dict):
        return str(infos[0].get("Title", ""))
    return str(document.get("Title", ""))
