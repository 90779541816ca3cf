"""The embedded DuckDB store: opening it (read-only or for writing), its ingest schema and views."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from pipeline.kernel.config import Settings, settings
from pipeline.kernel.errors import GvbError, StoreBusyError
from pipeline.kernel.sources import LINEAGE, SOURCES, Source

LOADS_TABLE = "ingest_loads"
#: the analysts' notes (``pipeline.ingest.duiding``): the latest delivery of the notes file, whole
NOTES_TABLE, NOTES_VIEW, NOTES_SOURCE = "load_duiding", "raw_duiding", "duiding"
NOTES_COLUMNS = (
    ("id", "VARCHAR"), ("indicator_code", "VARCHAR"), ("gebied", "VARCHAR"), ("eerste_periode", "VARCHAR"),
    ("laatste_periode", "VARCHAR"), ("tekst", "VARCHAR"), ("auteur", "VARCHAR"), ("datum", "DATE"),
    ("editie", "VARCHAR"), ("ingetrokken", "VARCHAR"),
)  # fmt: skip
#: what a DuckDB connection may hold in memory when neither GVB_MEMORY nor its caller says
DEFAULT_MEMORY = "1GB"


def connect(
    path: Path | str = ":memory:", read_only: bool = False, config: dict[str, object] | None = None
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection of the pipeline, within the configured memory and threads (GVB_MEMORY,
    GVB_THREADS win over what the caller asks), without a progress bar.

    Without GVB_MEMORY a connection keeps to the caller's limit or to ``DEFAULT_MEMORY``: DuckDB's
    own default is most of the machine, and a national store would take it. Beyond the limit DuckDB
    spills to disk: beside a store file, or in ``$GVB_HOME/tmp`` for a connection without one."""
    current = settings()
    options = dict(config or {})
    bounds = {"memory_limit": options.pop("memory_limit", DEFAULT_MEMORY), **current.duckdb_bounds()}
    if "threads" in options:
        bounds.setdefault("threads", options.pop("threads"))
    if "temp_directory" in options or str(path) == ":memory:":
        bounds["temp_directory"] = options.pop("temp_directory", str(current.home / "tmp"))
    con = duckdb.connect(str(path), read_only=read_only, config=options)
    # set after opening, not as the connection's configuration: a second connection to the same
    # file in this process (the dashboard's, a test's) may then differ without being refused
    for name, value in bounds.items():
        con.execute(f"set {name} = '{str(value).replace(chr(39), chr(39) * 2)}'")
    return quiet(con)


def quiet(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """No DuckDB progress bar in our output: gvb shows its own."""
    # inside Jupyter without ipywidgets DuckDB refuses to touch the setting; its default is fine there
    with contextlib.suppress(duckdb.Error):
        con.execute("set enable_progress_bar = false")
    return con


def frame(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    """A query's result as pandas with Arrow-backed strings (several times faster than ``.df()``)."""
    table = con.sql(sql).to_arrow_table()
    return table.to_pandas(types_mapper=_arrow_types)


def flags_set(frame: pd.DataFrame) -> pd.DataFrame:
    """Nullable booleans as plain ones: a flag without a value is not set (for ``if row.suppressed``)."""
    for column in frame.columns:
        if str(frame[column].dtype) == "boolean":
            frame[column] = frame[column].fillna(False).astype(bool)
    return frame


def _arrow_types(arrow_type: pa.DataType) -> object:
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type) or pa.types.is_string_view(arrow_type):
        return pd.StringDtype("pyarrow")
    return None


def _connect(path: Path, read_only: bool, config: dict | None = None) -> duckdb.DuckDBPyConnection:
    try:
        return connect(path, read_only, config)
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" in text.lower():
            raise StoreBusyError(
                f"de opslag {path} is in gebruik door een ander gvb-proces; wacht tot dat klaar is en probeer opnieuw"
            ) from None
        raise GvbError(f"de opslag {path} is niet te openen: {text.splitlines()[0]}") from None
    except duckdb.Error as exc:
        raise GvbError(f"de opslag {path} is niet te openen: {str(exc).splitlines()[0]}") from None


@contextmanager
def open_store(settings: Settings, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the store; for writing the schema is created first if needed."""
    path = settings.store_path
    if read_only:
        if not path.exists():
            raise GvbError(f"er is nog geen opslag in {settings.home}; laad eerst bestanden met 'gvb ingest'")
        con = _connect(path, True, {"enable_external_access": False})
    else:
        settings.home.mkdir(parents=True, exist_ok=True)
        con = _connect(path, False)
        ensure_schema(con)
    try:
        yield con
    finally:
        con.close()


def table_columns(source: Source) -> list[tuple[str, str]]:
    columns = [(c.name, c.sql_type) for c in source.columns]
    if "gemeente_code" not in {c.name for c in source.columns}:
        columns.append(("gemeente_code", "VARCHAR"))
    return columns + [(name, sql_type) for name, sql_type, _ in LINEAGE]


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"""
        create table if not exists {LOADS_TABLE} (
            load_id integer primary key,
            bron varchar not null,
            bestand varchar not null,
            pad varchar not null,
            sha256 varchar not null,
            formaat varchar not null,
            rijen bigint not null,
            overgeslagen bigint not null,
            periode_van varchar,
            periode_tot varchar,
            demo boolean not null,
            geladen_op timestamp not null,
            opmerkingen varchar
        )
        """
    )
    notes = ", ".join(f"{name} {sql_type}" for name, sql_type in (*NOTES_COLUMNS, *((n, t) for n, t, _ in LINEAGE)))
    con.execute(f"create table if not exists {NOTES_TABLE} ({notes})")
    con.execute(f"create or replace view {NOTES_VIEW} as select * from {NOTES_TABLE}")
    for source in SOURCES.values():
        columns = ",\n            ".join(f"{name} {sql_type}" for name, sql_type in table_columns(source))
        con.execute(f"create table if not exists {source.table} (\n            {columns}\n        )")
        # a store made by an older gvb gets the columns a contract gained since (empty for old rows)
        present = {row[0] for row in con.execute(f"describe {source.table}").fetchall()}
        for name, sql_type in table_columns(source):
            if name not in present:
                con.execute(f"alter table {source.table} add column {name} {sql_type}")
        con.execute(f"create or replace view {source.view} as select * from {source.table}")
