"""`gvb export`: a public mart of an edition as open data (CSV or Parquet): ``indicator_values`` or ``notes``."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import duckdb

from pipeline.kernel.config import Settings
from pipeline.kernel.edition import edition_db, edition_period
from pipeline.kernel.errors import GvbError
from pipeline.kernel.files import staged_file
from pipeline.kernel.mart_columns import COLUMNS_SQL, EXPORT_COLUMNS, NOTE_COLUMNS, select_list
from pipeline.kernel.store import connect


def open_edition(settings: Settings, edition: str) -> duckdb.DuckDBPyConnection:
    edition_period(edition)
    path = edition_db(settings, edition)
    if not path.exists():
        raise GvbError(
            f"editie {edition} bestaat niet in {settings.home}; bouw hem met 'gvb build --edition {edition}'"
        )
    return connect(path, read_only=True)


#: the tables `gvb export` writes: their columns and their order
EXPORTS = {
    "indicator_values": (EXPORT_COLUMNS, "indicator_code, level, area_code, period_type, period"),
    "notes": (NOTE_COLUMNS, "note_id"),
}


def _neutralised(con: duckdb.DuckDBPyConnection, table: str, column: str) -> str:
    kind = con.execute(f"select typeof({column}) from {table} limit 1").fetchall()
    if not kind or kind[0][0] != "VARCHAR":
        return column
    return f"case when regexp_matches({column}, '^[-=+@\\t\\r]') then chr(39) || {column} else {column} end as {column}"


def export_table(settings: Settings, edition: str, fmt: str, target: str, table: str = "indicator_values") -> int:
    """Write ``table`` of an edition (one of ``EXPORTS``) to ``target`` ('-': standard output); its rows."""
    if table not in EXPORTS:
        raise GvbError(f"onbekende tabel '{table}'; kies {' of '.join(EXPORTS)}")
    con = open_edition(settings, edition)
    try:
        present = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
        if table not in present:
            raise GvbError(
                f"editie {edition} heeft geen tabel {table}; bouw haar opnieuw met 'gvb publish --edition {edition}'"
            )
        names, order = EXPORTS[table]
        have = [row[0] for row in con.execute(COLUMNS_SQL, [table]).fetchall()]
        # text a spreadsheet would evaluate gets an apostrophe in CSV (formula injection)
        shown = (lambda column: _neutralised(con, table, column)) if fmt == "csv" else str
        columns = select_list(have, names, shown)  # an edition from before a column was added: that column empty
        query = f"select {columns} from {table} order by {order}"
        rows = con.execute(f"select count(*) from ({query})").fetchall()[0][0]
        if target == "-":
            if fmt != "csv":
                raise GvbError("naar standaarduitvoer kan alleen CSV")
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "export.csv"
                con.execute(f"copy ({query}) to ? (header, delimiter ',')", [str(path)])
                sys.stdout.write(path.read_text(encoding="utf-8"))
            return rows
        options = "(format parquet)" if fmt == "parquet" else "(header, delimiter ',')"
        with staged_file(Path(target)) as temporary:  # a path is a parameter, never SQL
            con.execute(f"copy ({query}) to ? {options}", [str(temporary)])
        return rows
    finally:
        con.close()
