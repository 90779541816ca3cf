"""`gvb fetch politie`: one police table, only the region's gemeenten (and wijken) from a month on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from pipeline.fetch.feed import Feed
from pipeline.fetch.run import Fetched, fetch_table
from pipeline.fetch.tables import parse_month, period_clauses, police_table, region_gemeenten, requests_for
from pipeline.kernel.config import Settings
from pipeline.kernel.periods import today as current_date
from pipeline.reference import reference

#: the first month of the police tables
FIRST_MONTH = "2012-01"


def fetch_police(
    settings: Settings,
    table_id: str,
    data: Path,
    since: str = FIRST_MONTH,
    region: str | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Fetched:
    """Fetch into ``data/<bron>/<tabel>_<regio>/``, which ``gvb ingest data`` then reads."""
    table = police_table(table_id)
    region = (region or settings.region).strip().upper()
    ref = reference()
    ref.validate_region(region)
    today = today or current_date()
    start = parse_month(since, today)
    gemeenten = region_gemeenten(ref, region, start[0], today)
    requests = requests_for(table, gemeenten, period_clauses(table, start, today))
    target = data / table.source / f"{table.id}_{region}"
    description = {"bron": table.source, "regio": region, "vanaf": f"{start[0]}-{start[1]:02d}"}
    return fetch_table(Feed(settings, settings.politie_odata), table.id, requests, target, description, progress)
