"""CBS population (37230ned) from its feed into the reference data, with year and source on each figure.

Two steps, each checked: ``gvb fetch cbs-bevolking --jaar 2026`` fetches the counts around 1 January
of that year for the region's gemeenten into ``data_raw/cbs_bevolking/37230ned_2026/`` (pages and
manifest, like a police table); ``gvb referentie bevolking <map>`` writes them into
``pipeline/reference/data/bevolking.csv``, where a reviewer sees the change in git. Inhabitants on
1 January of a year are, in this order: the year's "begin" figure, the previous year's "end" figure,
January's "begin" or December's "end" (the month figures come earlier, provisionally). The youths
(12-17) follow from the gemeente's share as before; years after the new count that were estimates
carry the new count forward.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pipeline.reference
from pipeline.fetch.feed import Feed
from pipeline.fetch.manifest import read_records
from pipeline.fetch.run import Fetched, fetch_table
from pipeline.fetch.tables import Request, region_gemeenten
from pipeline.kernel.config import Settings
from pipeline.kernel.errors import GvbError, InputError
from pipeline.kernel.files import write_atomically
from pipeline.kernel.periods import today as current_date
from pipeline.reference import POPULATION_COLUMNS, POPULATION_SOURCE, carried_forward, reference

TABLE = "37230ned"
SOURCE = "cbs_bevolking"
BEGIN, END = "BevolkingAanHetBeginVanDePeriode_1", "BevolkingAanHetEindeVanDePeriode_15"


def _periods(year: int) -> list[str]:
    """The periods that can give 1 January ``year``, most final first."""
    return [f"{year}JJ00", f"{year - 1}JJ00", f"{year}MM01", f"{year - 1}MM12"]


def population_requests(year: int, gemeenten: list[str] | None) -> list[Request]:
    periods = " or ".join(f"Perioden eq '{p}'" for p in _periods(year))
    select = ["ID", "RegioS", "Perioden", BEGIN, END]
    if gemeenten is None:
        return [Request(f"startswith(RegioS,'GM') and ({periods})", select)]
    chunks = [gemeenten[i : i + 25] for i in range(0, len(gemeenten), 25)]
    return [
        Request("(" + " or ".join(f"startswith(RegioS,'{code}')" for code in chunk) + f") and ({periods})", select)
        for chunk in chunks
    ]


def fetch_population(
    settings: Settings,
    data: Path,
    year: int | None = None,
    region: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Fetched:
    today = current_date()
    year = year or today.year
    if not 2012 <= year <= today.year + 1:
        raise GvbError(f"--jaar {year}: kies een jaar van 2012 tot en met {today.year + 1}")
    region = (region or settings.region).strip().upper()
    ref = reference()
    ref.validate_region(region)
    gemeenten = region_gemeenten(ref, region, min(year - 1, today.year), today)
    target = data / SOURCE / f"{TABLE}_{year}_{region}"
    description = {"bron": SOURCE, "regio": region, "jaar": year}
    requests = population_requests(year, gemeenten)
    return fetch_table(Feed(settings, settings.cbs_odata), TABLE, requests, target, description, progress)


@dataclass
class PopulationUpdate:
    year: int
    path: Path
    updated: list[str] = field(default_factory=list)  # gemeenten whose figure for the year is now a count
    carried: int = 0  # later estimated rows that now carry this count forward
    unknown: list[str] = field(default_factory=list)  # codes bevolking.csv does not have (a new gemeente)
    missing: list[str] = field(default_factory=list)  # region gemeenten without a figure in the feed


def first_january(records: list[dict], year: int) -> dict[str, tuple[int, str]]:
    """Per gemeente: inhabitants on 1 January ``year`` and the CBS period it was read from."""
    figures: dict[tuple[str, str], dict] = {}
    for record in records:
        figures[(str(record.get("RegioS", "")).strip(), str(record.get("Perioden", "")).strip())] = record
    begin_year, end_before, january, december = _periods(year)
    found: dict[str, tuple[int, str]] = {}
    for code in sorted({code for code, _ in figures}):
        for period, measure, label in (
            (begin_year, BEGIN, f"begin {year}"),
            (end_before, END, f"eind {year - 1}"),
            (january, BEGIN, f"begin januari {year}, voorlopig"),
            (december, END, f"eind december {year - 1}, voorlopig"),
        ):
            value = figures.get((code, period), {}).get(measure)
            if isinstance(value, int | float) and value > 0:
                found[code] = (int(value), label)
                break
    return found


def update_reference(folder: Path, reference_dir: Path | None = None) -> PopulationUpdate:
    """Write the fetched counts into ``bevolking.csv`` (whole, atomically); see the module's docstring."""
    manifest, records = read_records(folder)
    if manifest.get("bron") != SOURCE or str(manifest.get("tabel", "")).lower() != TABLE:
        raise InputError(f"dit is geen opgehaalde CBS-bevolking ({TABLE}); haal die op met gvb fetch cbs-bevolking",
                         file=folder.name)  # fmt: skip
    year = int(manifest["jaar"])
    counts = first_january(records, year)
    if not counts:
        raise InputError(f"de opgehaalde tabel heeft geen inwonertal op 1 januari {year}", file=folder.name)
    path = (reference_dir or pipeline.reference.DATA_DIR) / "bevolking.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    by_code: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_code.setdefault(row["gemeente_code"], []).append(row)
    ref = reference()
    result = PopulationUpdate(year, path)
    result.unknown = sorted(code for code in counts if code not in by_code)
    region = str(manifest.get("regio", "NL"))
    members = ref.region_members(region, year) if region != "NL" else set()
    result.missing = sorted(members - set(counts))
    source = f"{POPULATION_SOURCE} ({manifest.get('gewijzigd', '')[:10]})"
    by_key = {(row["gemeente_code"], int(row["jaar"])): row for row in rows}
    for code, (value, label) in counts.items():
        own = by_code.get(code)
        if own is None:
            continue
        basis = by_key.get((code, year)) or max(own, key=lambda r: int(r["jaar"]))
        share = int(basis["inwoners_12_17"]) / int(basis["inwoners"]) if int(basis["inwoners"]) else 0.0
        row = by_key.get((code, year))
        if row is None:
            row = {"gemeente_code": code, "jaar": str(year)}
            rows.append(row)
            by_key[(code, year)] = row
        row.update(inwoners=str(value), inwoners_12_17=str(round(value * share)), geschat="0", peiljaar=str(year),
                   bron=f"{source}, {label}")  # fmt: skip
        result.updated.append(code)
        for later in own:
            if int(later["jaar"]) > year and later["geschat"] == "1":
                later.update(inwoners=str(value), inwoners_12_17=str(round(value * share)), peiljaar=str(year),
                             bron=carried_forward(year, source))  # fmt: skip
                result.carried += 1
    rows.sort(key=lambda r: (r["gemeente_code"], int(r["jaar"])))
    text = io.StringIO()
    writer = csv.DictWriter(text, POPULATION_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_atomically(path, text.getvalue())
    reference.cache_clear()
    return result
