"""Where gvb keeps its output and which region it works on: the only reader of the environment.

Everything generated (the DuckDB store, editions, reports, data docs) lives under one folder,
``$GVB_HOME`` (default ``./var``). The region is configuration: ``$GVB_REGIO`` is a police
eenheid code (``RE01``-``RE10``, default ``RE07`` Rotterdam) or ``NL`` for the whole country.
No other module reads ``os.environ`` (a test checks this): what a setting means is written here.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.kernel.errors import GvbError

ROOT = Path(__file__).resolve().parents[2]

DEFAULT_REGION = "RE07"
#: files larger than this are refused before they are read (override: GVB_MAX_FILE_MB)
DEFAULT_MAX_FILE_MB = 1024
#: how GVB_MEMORY is written: a number and a unit, as DuckDB's memory_limit ("1GB", "512MB", "1.5GiB")
MEMORY_PATTERN = re.compile(r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KIB|MIB|GIB|TIB)$", re.IGNORECASE)


@dataclass(frozen=True)
class Limits:
    """What one delivered file may hold before it is refused instead of read (a zip bomb, a
    100 000-column header or a 10 MB line never gets to exhaust memory or time)."""

    unpacked_bytes: int = 512 * 1024 * 1024  # a workbook's members, uncompressed (GVB_MAX_UNPACKED_MB)
    zip_entries: int = 10_000
    rows: int = 20_000_000  # GVB_MAX_ROWS
    columns: int = 1_000
    field_chars: int = 100_000  # one cell of a text file


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    tls: str  # starttls | ssl | geen
    sender: str
    user: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Settings:
    home: Path
    region: str
    max_file_bytes: int
    limits: Limits = Limits()
    sql_seconds: float = 30.0  # `gvb sql`: a query is stopped after this (GVB_SQL_SECONDS)
    sql_rows: int = 10_000  # `gvb sql`: at most this many rows are shown (GVB_SQL_MAX_ROWS)
    #: results worth remembering between builds (the search for suppressions), by checksum of their
    #: input; GVB_CACHE, standard $GVB_HOME/bouw/cache
    cache_dir: Path | None = None
    #: fault-injection tests only: kill the process at this named step of publishing (GVB_FOUT_BIJ)
    fault_point: str | None = None
    #: a fixed "today" (GVB_TODAY, YYYY-MM-DD) for reproducible runs; None is the real date
    today_pinned: dt.date | None = None
    #: the SQL models and the GX suites (GVB_MODELS, GVB_EXPECTATIONS; tests point them elsewhere)
    models_dir: Path = ROOT / "data_marts"
    expectations_dir: Path = ROOT / "expectations"
    #: gemeente boundaries that replace the packaged ones (GVB_GEO, else $GVB_HOME/geo/gemeenten.geojson)
    geo_override: Path | None = None
    #: show a bug's traceback instead of the one-line message (GVB_DEBUG)
    debug: bool = False
    #: the Chromium/Chrome that draws the report charts, when it is not on PATH (BROWSER_PATH, as kaleido)
    browser_path: Path | None = None
    #: what every DuckDB connection of the pipeline may use: memory (GVB_MEMORY, e.g. "2GB"; DuckDB
    #: spills to disk beyond it) and threads (GVB_THREADS); without them see ``store.connect``
    memory: str | None = None
    threads: int | None = None
    #: where advisors open the dashboard, for the deep links in a digest (GVB_DASHBOARD_URL)
    dashboard_url: str = "http://127.0.0.1:8050"
    #: the mail server that `gvb digest --send` uses: GVB_SMTP_HOST, GVB_SMTP_PORT, GVB_SMTP_TLS
    #: (starttls, ssl or geen), GVB_SMTP_USER, GVB_SMTP_PASSWORD and GVB_SMTP_FROM; never in a file
    smtp: Smtp | None = None
    #: the open-data feeds `gvb fetch` reads (OData v3 "ODataFeed", which pages with odata.nextLink):
    #: the police tables on CBS's dataderden (GVB_POLITIE_ODATA) and CBS's own tables such as
    #: population (GVB_CBS_ODATA); a mirror or a test server can stand in for either
    politie_odata: str = "https://dataderden.cbs.nl/ODataFeed/odata"
    cbs_odata: str = "https://opendata.cbs.nl/ODataFeed/odata"
    #: `gvb fetch`: seconds before a request is given up (GVB_FETCH_TIMEOUT), how often a failed page
    #: is asked again (GVB_FETCH_RETRIES) and the first wait between tries, doubled each time (GVB_FETCH_WAIT)
    fetch_timeout: float = 60.0
    fetch_retries: int = 5
    fetch_wait: float = 2.0

    def duckdb_bounds(self) -> dict[str, object]:
        """The ``memory_limit`` and ``threads`` of a DuckDB connection, as configured."""
        bounds: dict[str, object] = {}
        if self.memory:
            bounds["memory_limit"] = self.memory
        if self.threads:
            bounds["threads"] = self.threads
        return bounds

    @property
    def cache(self) -> Path:
        return self.cache_dir or self.home / "bouw" / "cache"

    @property
    def store_path(self) -> Path:
        return self.home / "gvb.duckdb"

    @property
    def lock_path(self) -> Path:
        return self.home / "gvb.lock"


def settings() -> Settings:
    home = Path(os.environ.get("GVB_HOME") or "var").expanduser()
    region = (os.environ.get("GVB_REGIO") or DEFAULT_REGION).strip().upper()
    max_mb = float(os.environ.get("GVB_MAX_FILE_MB") or DEFAULT_MAX_FILE_MB)
    limits = Limits(
        unpacked_bytes=int(float(os.environ.get("GVB_MAX_UNPACKED_MB") or 512) * 1024 * 1024),
        rows=int(os.environ.get("GVB_MAX_ROWS") or Limits.rows),
    )
    return Settings(
        home=home,
        region=region,
        max_file_bytes=int(max_mb * 1024 * 1024),
        limits=limits,
        sql_seconds=float(os.environ.get("GVB_SQL_SECONDS") or 30),
        sql_rows=int(os.environ.get("GVB_SQL_MAX_ROWS") or 10_000),
        cache_dir=Path(os.environ["GVB_CACHE"]).expanduser() if os.environ.get("GVB_CACHE") else None,
        fault_point=os.environ.get("GVB_FOUT_BIJ") or None,
        today_pinned=dt.date.fromisoformat(os.environ["GVB_TODAY"]) if os.environ.get("GVB_TODAY") else None,
        models_dir=Path(os.environ.get("GVB_MODELS") or ROOT / "data_marts"),
        expectations_dir=Path(os.environ.get("GVB_EXPECTATIONS") or ROOT / "expectations"),
        geo_override=_geo(home),
        debug=bool(os.environ.get("GVB_DEBUG")),
        browser_path=Path(os.environ["BROWSER_PATH"]) if os.environ.get("BROWSER_PATH") else None,
        memory=_memory(),
        threads=_threads(),
        dashboard_url=(os.environ.get("GVB_DASHBOARD_URL") or "http://127.0.0.1:8050").rstrip("/"),
        smtp=_smtp(),
        politie_odata=_url("GVB_POLITIE_ODATA", Settings.politie_odata),
        cbs_odata=_url("GVB_CBS_ODATA", Settings.cbs_odata),
        fetch_timeout=_positive("GVB_FETCH_TIMEOUT", Settings.fetch_timeout),
        fetch_retries=int(_positive("GVB_FETCH_RETRIES", Settings.fetch_retries, zero=True)),
        fetch_wait=_positive("GVB_FETCH_WAIT", Settings.fetch_wait, zero=True),
    )


def _url(name: str, default: str) -> str:
    value = (os.environ.get(name) or default).strip().rstrip("/")
    if not re.match(r"^https?://[^\s/]+", value):
        raise GvbError(f"{name}='{value}' is geen adres; schrijf bijvoorbeeld {name}={default}")
    return value


def _positive(name: str, default: float, zero: bool = False) -> float:
    value = (os.environ.get(name) or "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if number < 0 or (number == 0 and not zero):
        raise GvbError(f"{name}='{value}' is geen {'niet-negatief' if zero else 'positief'} getal")
    return number


def _smtp() -> Smtp | None:
    host = (os.environ.get("GVB_SMTP_HOST") or "").strip()
    if not host:
        return None
    tls = (os.environ.get("GVB_SMTP_TLS") or "starttls").strip().lower()
    if tls not in ("starttls", "ssl", "geen"):
        raise GvbError(f"GVB_SMTP_TLS='{tls}' is onbekend; kies starttls, ssl of geen")
    port = (os.environ.get("GVB_SMTP_PORT") or ("465" if tls == "ssl" else "587")).strip()
    if not port.isdigit():
        raise GvbError(f"GVB_SMTP_PORT='{port}' is geen poortnummer")
    sender = (os.environ.get("GVB_SMTP_FROM") or "").strip()
    if "@" not in sender:
        raise GvbError("zet GVB_SMTP_FROM op het afzenderadres (bv. gvb@politie.nl)")
    return Smtp(host, int(port), tls, sender, os.environ.get("GVB_SMTP_USER") or None,
                os.environ.get("GVB_SMTP_PASSWORD") or None)  # fmt: skip


def _memory() -> str | None:
    value = (os.environ.get("GVB_MEMORY") or "").strip()
    if value and not MEMORY_PATTERN.match(value):
        raise GvbError(f"GVB_MEMORY='{value}' is geen geheugengrootte; schrijf bijvoorbeeld GVB_MEMORY=2GB of 512MB")
    return value.replace(" ", "").upper() or None


def _threads() -> int | None:
    value = (os.environ.get("GVB_THREADS") or "").strip()
    if value and not (value.isdigit() and int(value) >= 1):
        raise GvbError(f"GVB_THREADS='{value}' is geen aantal; schrijf bijvoorbeeld GVB_THREADS=2")
    return int(value) if value else None


def _geo(home: Path) -> Path | None:
    configured = os.environ.get("GVB_GEO")
    if configured:
        return Path(configured)
    downloaded = home / "geo" / "gemeenten.geojson"  # `gvb geo download`
    return downloaded if downloaded.is_file() else None


def quiet_third_parties() -> None:
    """What Great Expectations and its progress bars read from the environment: no analytics, no bars."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("TQDM_DISABLE", "1")
