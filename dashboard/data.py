"""Read-only access to the published editions: the only module of the dashboard that runs SQL.

Every query is parameterised (no SQL is built from what a user sent) and cached per edition. The
cache key includes the edition file's identity (inode, size, mtime), so an edition that is
published anew (``os.replace`` by ``gvb publish``) is picked up without a restart. The dashboard
reads the marts ``indicator_values`` and ``veiligheidsmonitor_values``, ``manifest.json`` and the
edition's ``validatie.json``; it never opens the store and never imports Great Expectations.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from pipeline.kernel.config import Settings, settings
from pipeline.kernel.edition import edition_db, published
from pipeline.kernel.mart_columns import COLUMNS_SQL, NOTE_COLUMNS, select_list
from pipeline.kernel.periods import canonical_pattern
from pipeline.kernel.periods import sort_key as period_sort_key
from pipeline.kernel.store import flags_set, quiet
from pipeline.presentation.digest import FIGURE_COLUMNS, REVISION_COLUMNS
from pipeline.presentation.figures import in_catalogue_order
from pipeline.presentation.notable import NOTABLE_ORDER, NOTABLE_SQL
from pipeline.presentation.notes import applying

#: the periods the marts publish: half-years and years (the kernel's canonical forms)
PERIOD_PATTERN = re.compile(canonical_pattern("half", "year"))
GEMEENTE_PATTERN = re.compile(r"^GM\d{4}$")


_configured: Settings | None = None


def use(configured: Settings | None) -> None:
    """The settings the app was built with (``create_app(settings)``); ``None``: the environment's."""
    global _configured
    _configured = configured


@dataclass(frozen=True)
class Edition:
    code: str
    path: Path
    token: tuple[int, int, int]  # inode, size, mtime: changes when the edition is published anew
    manifest: dict[str, Any]

    @property
    def demo(self) -> bool:
        return bool(self.manifest.get("demo"))

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def checksum(self) -> str:
        return str(self.manifest.get("data_checksums", {}).get("indicator_values", ""))[:12]


def _token(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


@functools.lru_cache(maxsize=64)
def _manifest(path: Path, token: tuple[int, int, int]) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def editions() -> list[Edition]:
    """Published editions, newest first (the one list of them: :func:`pipeline.kernel.edition.published`)."""
    found = []
    current = _configured or settings()
    for code in published(current.home):
        database = edition_db(current, code)
        token, manifest_token = _token(database), _token(database.parent / "manifest.json")
        if token is None or manifest_token is None:  # replaced between the listing and now
            continue
        found.append(Edition(code, database, token, _manifest(database.parent / "manifest.json", manifest_token)))
    return found


def edition(code: str | None) -> Edition | None:
    """The edition ``code`` (the newest when ``None``); ``None`` when it is not published."""
    available = editions()
    if code is None:
        return available[0] if available else None
    return next((e for e in available if e.code == code), None)


_connections: dict[Path, tuple[tuple[int, int, int], duckdb.DuckDBPyConnection]] = {}
_lock = threading.Lock()


def _connection(path: Path, token: tuple[int, int, int]) -> duckdb.DuckDBPyConnection:
    with _lock:
        known = _connections.get(path)
        if known and known[0] == token:
            return known[1]
        con = quiet(duckdb.connect(str(path), read_only=True, config={"enable_external_access": False}))
        _connections[path] = (token, con)
        if known:
            known[1].close()
        return con


@functools.lru_cache(maxsize=2048)
def _query(path: Path, token: tuple[int, int, int], sql: str, params: tuple[Any, ...]) -> pd.DataFrame:
    cursor = _connection(path, token).cursor()  # one cursor per query: safe across the server's threads
    try:
        return flags_set(cursor.execute(sql, list(params)).df())
    finally:
        cursor.close()


class Row(dict):
    """A result row whose columns read as attributes (``row.area_name``)."""

    __getattr__ = dict.__getitem__


def rows(frame: pd.DataFrame) -> list[Row]:
    """A frame's rows as :class:`Row` (much cheaper to loop over than ``itertuples``)."""
    return [Row(r) for r in frame.to_dict("records")]


def query(ed: Edition, sql: str, *params: Any) -> pd.DataFrame:
    """A cached, parameterised read of an edition; callers get a copy they may change."""
    return _query(ed.path, ed.token, sql, tuple(params)).copy()


def value_columns(ed: Edition) -> str:
    """The open-data contract of the mart (the columns `gvb export` writes). An edition published
    before a column was added reads it as empty, so older editions stay readable."""
    return select_list(query(ed, COLUMNS_SQL, "indicator_values")["column_name"])


def periods(ed: Edition, indicator: str | None = None) -> list[str]:
    """Periods of the edition, newest first (half-years and years); with ``indicator``, only the
    periods in which it has a figure (shown or hidden) for some gemeente."""
    if indicator is None:
        frame = query(ed, "select distinct period from indicator_values")
    else:
        frame = query(
            ed,
            "select distinct period from indicator_values where indicator_code = ? and level = 'gemeente' "
            "and (value is not null or suppressed)",
            indicator,
        )
    return sorted(frame["period"].tolist(), key=period_sort_key, reverse=True)


def areas(ed: Edition) -> pd.DataFrame:
    """Every area of the edition: level, code, name, district."""
    return query(
        ed,
        """
        select level, area_code, any_value(area_name) as area_name, any_value(district_code) as district_code
        from indicator_values where period = ? group by all order by level, area_name
        """,
        ed.code,
    )


def region(ed: Edition) -> tuple[str, str]:
    """The edition's region: its code (the eenheid's area code in the mart) and its name."""
    frame = query(ed, "select region, region_name from build_params")
    if frame.empty:
        return "RE07", "politie-eenheid Rotterdam"
    return str(frame["region"].iloc[0]), str(frame["region_name"].iloc[0])


def gemeenten(ed: Edition) -> pd.DataFrame:
    frame = areas(ed)
    return frame[frame["level"] == "gemeente"].reset_index(drop=True)


def indicators(ed: Edition) -> pd.DataFrame:
    """The edition's indicators in the catalogue's order (totals first, then their parts)."""
    frame = query(
        ed,
        """
        select indicator_code, any_value(indicator_label) as indicator_label, any_value(thema) as thema,
               any_value(unit) as unit
        from indicator_values group by all order by thema, indicator_code
        """,
    )
    return in_catalogue_order(frame).reset_index(drop=True)


def values(ed: Edition, period: str, indicator: str, level: str = "gemeente") -> pd.DataFrame:
    """One indicator for every area of a level in a period."""
    return query(
        ed,
        f"select {value_columns(ed)} from indicator_values where period = ? and indicator_code = ? and level = ? "
        "order by area_name",
        period,
        indicator,
        level,
    )


def area_values(ed: Edition, area: str, period: str) -> pd.DataFrame:
    """Every indicator of one area in a period."""
    return query(
        ed,
        f"select {value_columns(ed)} from indicator_values where area_code = ? and period = ? "
        "order by thema, indicator_code",
        area,
        period,
    )


def areas_values(ed: Edition, areas: tuple[str, ...], period: str) -> pd.DataFrame:
    """Every indicator of several areas in a period (the districts a gemeente is split over)."""
    placeholders = ", ".join("?" for _ in areas) or "null"
    return query(
        ed,
        f"select {value_columns(ed)} from indicator_values where area_code in ({placeholders}) and period = ? "
        "order by thema, indicator_code, area_name",
        *areas,
        period,
    )


def trend(ed: Edition, areas: tuple[str, ...], indicator: str) -> pd.DataFrame:
    """An indicator over time for some areas: per half-year, or per year when the edition has no
    half-years of it (an edition built from yearly police tables)."""
    placeholders = ", ".join("?" for _ in areas) or "null"
    return query(
        ed,
        f"select {value_columns(ed)} from indicator_values where area_code in ({placeholders}) and indicator_code = ? "
        "qualify period_type = min(period_type) over () order by area_code, period",  # 'halfjaar' < 'jaar'
        *areas,
        indicator,
    )


def notable(ed: Edition, period: str, area: str | None = None) -> pd.DataFrame:
    """Significant rises and falls in a period: for one area, or for every gemeente and the eenheid."""
    condition = "area_code = ?" if area else "level in ('gemeente', 'eenheid')"
    params: tuple[Any, ...] = (period, area) if area else (period,)
    return query(
        ed,
        f"""
        select {value_columns(ed)} from indicator_values
        where period = ? and {condition} and {NOTABLE_SQL}
        order by {NOTABLE_ORDER}
        """,
        *params,
    )


def _has(ed: Edition, table: str) -> bool:
    """Whether the edition has ``table`` (one published before it existed does not)."""
    return bool(
        query(ed, "select count(*) as n from information_schema.tables where table_name = ?", table)["n"].iloc[0]
    )


def notes(ed: Edition, area: str, period: str | None = None) -> pd.DataFrame:
    """The analysts' duiding on ``area`` or on every area (``presentation.notes``); with ``period``,
    only the notes that go with its figures. An edition published before notes existed has none."""
    if not _has(ed, "notes"):
        return pd.DataFrame(columns=NOTE_COLUMNS)
    return applying(query(ed, f"select {', '.join(NOTE_COLUMNS)} from notes order by note_id"), area, period)


def previous_edition(ed: Edition) -> Edition | None:
    """The edition this one was compared with when it was built (its revisions), when still published."""
    if not _has(ed, "vorige_editie"):
        return None
    code = query(ed, "select edition from vorige_editie")["edition"]
    return edition(str(code.iloc[0])) if len(code) and isinstance(code.iloc[0], str) else None


def revised(ed: Edition, area: str) -> pd.DataFrame:
    """The figures of ``area`` that changed since the previous edition (the ``revisions`` mart)."""
    return query(ed, f"select {', '.join(REVISION_COLUMNS)} from revisions where area_code = ?", area)


def significance(ed: Edition, area: str) -> pd.DataFrame:
    """Every figure of ``area`` with whether its change is significant (to compare two editions)."""
    return query(ed, f"select {', '.join(FIGURE_COLUMNS)} from indicator_values where area_code = ?", area)


def note_ids(ed: Edition) -> set[str]:
    return set(query(ed, "select note_id from notes")["note_id"]) if _has(ed, "notes") else set()


def survey_latest(ed: Edition, area: str | None = None) -> pd.DataFrame:
    """The latest Veiligheidsmonitor wave of one area, or of every gemeente (each its own latest)."""
    condition = "area_code = ?" if area else "level = 'gemeente'"
    return query(
        ed,
        f"""
        select * from veiligheidsmonitor_values where {condition}
        qualify period = max(period) over (partition by area_code)
        order by area_name, indicator_code
        """,
        *((area,) if area else ()),
    )


def survey_indicators(ed: Edition) -> pd.DataFrame:
    """The Veiligheidsmonitor's indicators in the edition, in the catalogue's order."""
    frame = query(
        ed,
        "select indicator_code, any_value(indicator_label) as indicator_label, any_value(unit) as unit "
        "from veiligheidsmonitor_values group by all",
    )
    return in_catalogue_order(frame).reset_index(drop=True)


def survey_waves(ed: Edition) -> list[str]:
    """The Veiligheidsmonitor's waves (years) in the edition, newest first."""
    frame = query(ed, "select distinct period from veiligheidsmonitor_values order by period desc")
    return [str(p) for p in frame["period"]]


def survey(ed: Edition, wave: str, indicator: str) -> pd.DataFrame:
    """One indicator of one wave for every area: the eenheid, its districts and the gemeenten."""
    return query(
        ed,
        """
        select * from veiligheidsmonitor_values where period = ? and indicator_code = ?
        order by case level when 'eenheid' then 0 when 'district' then 1 else 2 end, area_name
        """,
        wave,
        indicator,
    )


def revisions(ed: Edition) -> pd.DataFrame:
    return query(ed, "select * from revisions order by 1, 2, 3, 4")


def validation(ed: Edition) -> dict[str, Any] | None:
    """The last validation of this edition (``validatie.json``), or ``None``."""
    path = ed.folder / "validatie.json"
    token = _token(path)
    if token is None:
        return None
    document = _manifest(path, token)
    return document or None


def open_data_csv(ed: Edition, area: str | None = None) -> str:
    """The open-data mart as ``;``-separated text (one gemeente or all), for the download routes."""
    sql = f"select {value_columns(ed)} from indicator_values"
    from pipeline.report.safe import neutralise

    frame = query(ed, sql + " where area_code = ? order by all", area) if area else query(ed, sql + " order by all")
    for column in frame.columns:
        if frame[column].dtype == object or str(frame[column].dtype).startswith("str"):
            frame[column] = frame[column].map(neutralise)
    return frame.to_csv(sep=";", index=False, decimal=",")
