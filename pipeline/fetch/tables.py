"""What each open-data table holds, and the requests that take only what the region needs.

The police tables live on CBS's "dataderden" catalogue, CBS population on opendata.cbs.nl. Their
keys are space-padded (``"GM0599    "``), so areas are asked with ``startswith``; OData v3 has no
``in``, and a table mixes year (``2024JJ00``) and month (``2024MM03``) periods, so periods are asked
per year (``substringof('2024MM',Perioden)``) or one by one. A long filter is split over several
requests so that no address grows beyond what servers accept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

from pipeline.kernel.errors import GvbError
from pipeline.reference import Reference

#: keep every request's filter below this many characters (servers refuse long addresses)
MAX_FILTER_CHARS = 1200


@dataclass(frozen=True)
class Table:
    id: str
    source: str  # the folder in data_raw/ and the source gvb ingest loads it as
    title: str
    kind: str  # the dimension with the crime or nuisance code
    area: str  # RegioS (gemeenten) or WijkenEnBuurten
    measure: str
    monthly: bool
    #: the level the pipeline takes from the table: gemeenten from the gemeente tables, wijken (for
    #: districts that split a gemeente) from the wijk tables; one level per delivery, since a total
    #: beside its own parts is refused, and the buurten add nothing the wijken do not give
    area_prefixes: tuple[str, ...]

    @property
    def columns(self) -> list[str]:
        return ["ID", self.kind, self.area, "Perioden", self.measure]


POLICE_TABLES = {
    table.id: table
    for table in (
        Table("47013NED", "politie_misdrijven", "misdrijven per gemeente, per maand", "SoortMisdrijf", "RegioS",
              "GeregistreerdeMisdrijven_1", True, ("GM",)),
        Table("47018NED", "politie_misdrijven", "misdrijven per wijk en buurt, per jaar", "SoortMisdrijf",
              "WijkenEnBuurten", "GeregistreerdeMisdrijven_1", False, ("WK",)),
        Table("47022NED", "politie_misdrijven", "misdrijven per wijk en buurt, per maand", "SoortMisdrijf",
              "WijkenEnBuurten", "GeregistreerdeMisdrijven_1", True, ("WK",)),
        Table("47021NED", "politie_incidenten", "overlastregistraties per gemeente, per maand", "Overlast", "RegioS",
              "GeregistreerdeOverlast_1", True, ("GM",)),
        Table("47024NED", "politie_incidenten", "overlastregistraties per wijk en buurt, per maand", "Overlast",
              "WijkenEnBuurten", "GeregistreerdeOverlast_1", True, ("WK",)),
    )
}  # fmt: skip


@dataclass(frozen=True)
class Request:
    """One chain of pages: the first page's query; the feed's ``odata.nextLink`` gives the rest."""

    filter: str
    select: list[str]

    def url(self, base: str, table: str) -> str:
        query = "&".join(
            [
                "$format=json",
                "$filter=" + quote(self.filter, safe="(),'"),
                "$select=" + ",".join(self.select),
            ]
        )
        return f"{base}/{table}/TypedDataSet?{query}"

    def count_url(self, base: str, table: str) -> str:
        """The feed's own count of the records this request gives (OData ``/$count``)."""
        return f"{base}/{table}/TypedDataSet/$count?$filter=" + quote(self.filter, safe="(),'")


def police_table(table_id: str) -> Table:
    key = table_id.strip().upper()
    if key not in POLICE_TABLES:
        known = ", ".join(f"{t.id} ({t.title})" for t in POLICE_TABLES.values())
        raise GvbError(f"onbekende politietabel '{table_id}'; gvb kent {known}")
    return POLICE_TABLES[key]


def parse_month(text: str, today: dt.date) -> tuple[int, int]:
    """``--vanaf 2012-01``: the first month to fetch."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        dt.date(year, month, 1)
    except ValueError:
        raise GvbError(f"--vanaf '{text}' is geen maand; schrijf bijvoorbeeld --vanaf 2012-01") from None
    if (year, month) > (today.year, today.month):
        raise GvbError(f"--vanaf {text} ligt in de toekomst")
    if year < 2010:
        raise GvbError(f"--vanaf {text}: de politietabellen beginnen in 2012")
    return year, month


def period_clauses(table: Table, start: tuple[int, int], today: dt.date) -> list[str]:
    """The periods from ``start`` to now, as few clauses as the key pattern allows."""
    year, month = start
    if not table.monthly:
        return [f"Perioden eq '{y}JJ00'" for y in range(year, today.year + 1)]
    clauses = []
    if month > 1:
        clauses += [f"Perioden eq '{year}MM{m:02d}'" for m in range(month, 13)]
        year += 1
    clauses += [f"substringof('{y}MM',Perioden)" for y in range(year, today.year + 1)]
    return clauses


def area_clauses(table: Table, gemeenten: list[str] | None) -> list[str]:
    """Each gemeente, or its wijken in a wijk table (``None``: every gemeente of the country)."""
    if gemeenten is None:
        return [f"startswith({table.area},'{prefix}')" for prefix in table.area_prefixes]
    return [f"startswith({table.area},'{prefix}{code[2:]}')" for code in gemeenten for prefix in table.area_prefixes]


def region_gemeenten(ref: Reference, region: str, first_year: int, today: dt.date) -> list[str] | None:
    """Every gemeente code that belonged to the region in any year fetched, and those of today."""
    if region == "NL":
        return None
    codes: set[str] = set()
    for year in range(first_year, today.year + 1):
        codes |= ref.region_members(region, year)
    return sorted(codes)


def requests_for(table: Table, gemeenten: list[str] | None, periods: list[str]) -> list[Request]:
    """The requests that together ask exactly the region's areas in the given periods."""
    areas = area_clauses(table, gemeenten)
    period_part = "(" + " or ".join(periods) + ")"
    chunks: list[list[str]] = [[]]
    for clause in areas:
        if chunks[-1] and len(" or ".join(chunks[-1] + [clause])) + len(period_part) > MAX_FILTER_CHARS:
            chunks.append([])
        chunks[-1].append(clause)
    return [Request(f"({' or '.join(chunk)}) and {period_part}", table.columns) for chunk in chunks]
