"""The canonical police CSV read by DuckDB: millions of rows without a row in Python.

A police table in the contract's own form (``periode,gebied_code,soort_code,aantal`` with
optional ``soort_naam`` and ``indeling``; comment lines above the header) is what the police's
wijk-level extracts and national files are. DuckDB parses it with explicit column types, the
blocking rules of the source's suite run over the parsed rows as SQL (``pipeline.validate.suite_sql``:
the same rules ``gvb validate`` runs in GX), the region's rows are kept, and the rows come back as
one Arrow table for the store.

This route only *accepts*. A file that is not plainly canonical (another encoding, a blank line,
a quoted line break, a cell with spaces or lower case, a count with a sign or a point, an indeling
from the title or ``--indeling``) or that breaks any rule goes the pandas route of
``pipeline.ingest.normalise``, which names every problem with file, row and column as before.
Both routes give the same rows and notes for a file they both accept
(``tests/ingest/test_canonical.py``).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline.ingest.headers import MAX_HEADER_SCAN
from pipeline.ingest.normalise import (
    AREA_PATTERN,
    REGION_TOTAL,
    Normalised,
    outside_notes,
    own_total_notes,
    unused_total_note,
)
from pipeline.ingest.parsed import DEMO_MARKER
from pipeline.ingest.textfile import SNIFF_BYTES, head_bytes, sniff_delimiter
from pipeline.kernel.config import Settings
from pipeline.kernel.sources import SOURCES, Source
from pipeline.kernel.store import connect
from pipeline.reference import Reference
from pipeline.validate.frames import HELPER_MEMORY, POSITION, blocking_outcome, checked_relation
from pipeline.validate.suites import load_suite

POLICE = ("politie_misdrijven", "politie_incidenten")
#: a count of 13 digits or more is refused as improbable by the pandas route (see ``parse_counts``)
COUNT_PATTERN = r"^[0-9]{1,12}$"


def read_canonical(
    path: Path, settings: Settings, ref: Reference, today: dt.date, hint: str | None, indeling: int | None
) -> tuple[Normalised, bool] | None:
    """(rows, demo flag) of a plainly canonical police CSV whose every row keeps every rule; else None."""
    if indeling is not None or path.suffix.lower() != ".csv":
        return None
    layout = _layout(path, hint)
    if layout is None:
        return None
    source, delimiter, skip, header, demo = layout
    # the parsed rows are held once; DuckDB spills beyond the limit instead of growing with the file
    con = connect(config={"memory_limit": HELPER_MEMORY})
    try:
        rows = _read(con, path, source, delimiter, skip, header)
        if not _plain(con, path, skip, rows, today):
            return None
        con.execute(
            f"""create temp view _canon as
            select * exclude (gebied_code, aantal, indeling_text), cast(aantal as bigint) as aantal,
                   cast(indeling_text as integer) as indeling, {_gemeente_sql()} as gemeente_code,
                   gebied_code, '' as bron_sha256, 0 as load_id, now()::timestamp as geladen_op
            from _read"""
        )
        checked = checked_relation(con, source, "_canon", ref, today)
        con.execute("drop view _canon")
        con.execute("drop table _read")
        if blocking_outcome(con, load_suite(source.name), checked).findings:
            return None
        return _kept(con, source, ref, settings.region, today), demo
    except duckdb.Error:
        return None  # whatever DuckDB cannot read plainly, the pandas route reads or explains
    finally:
        con.close()


def _layout(path: Path, hint: str | None) -> tuple[Source, str, int, list[str], bool] | None:
    """(source, delimiter, lines above the header, header, demo flag) of a canonical police CSV."""
    head = head_bytes(path)
    if head.startswith(b"\xef\xbb\xbf"):
        return None  # a BOM: the pandas route strips it
    try:  # a multi-byte character cut at the end of the sample is fine; DuckDB checks the rest
        text = (head.decode("utf-8") if len(head) < SNIFF_BYTES else head[:-4].decode("utf-8")) if b"\n" in head else ""
    except UnicodeDecodeError:
        return None
    lines = text.splitlines()[: MAX_HEADER_SCAN + 1]
    skip = 0
    while skip < len(lines) and lines[skip].lstrip().startswith("#"):
        skip += 1
    if skip >= len(lines) - 1:
        return None
    delimiter = sniff_delimiter(lines)
    header = next(csv.reader([lines[skip]], delimiter=delimiter), [])
    name = hint if hint in POLICE else ("politie_misdrijven" if hint is None else None)
    if name is None:
        return None
    source = SOURCES[name]
    names = [c.name for c in source.columns]
    required = {c.name for c in source.columns if c.required}
    if len(set(header)) != len(header) or not set(header) <= set(names) or not required <= set(header):
        return None
    demo = any(DEMO_MARKER.search(line) for line in lines[:skip])
    return source, delimiter, skip, header, demo


def _read(
    con: duckdb.DuckDBPyConnection, path: Path, source: Source, delimiter: str, skip: int, header: list[str]
) -> int:
    """Parse the file into ``_read`` (text cells and the file's row number); the number of rows."""
    columns = {name: "VARCHAR" for name in header}
    # soort_naam and indeling are optional in the contract: a file without them has them empty
    optional = {
        "soort_naam": "nullif(trim(soort_naam), '')" if "soort_naam" in header else "null::varchar",
        "indeling": "indeling" if "indeling" in header else "null::varchar",
    }
    con.execute(
        f"""create temp table _read as
        select periode, gebied_code, soort_code, {optional["soort_naam"]} as soort_naam, aantal,
               {optional["indeling"]} as indeling_text,
               (row_number() over () + {skip + 1})::bigint as bron_rij,
               row_number() over () - 1 as {POSITION}, ? as bron_bestand
        from read_csv(?, delim = ?, quote = '"', escape = '"', header = true, skip = ?, columns = ?,
                      strict_mode = true, null_padding = false, auto_detect = false, encoding = 'utf-8')""",
        [path.name, str(path), delimiter, skip, columns],
    )
    return con.execute("select count(*) from _read").fetchall()[0][0]


def _plain(con: duckdb.DuckDBPyConnection, path: Path, skip: int, rows: int, today: dt.date) -> bool:
    """Every line one row, every cell in the contract's own spelling: then the row numbers are the
    file's and nothing needs the pandas route's readings (spaces, lower case, 1.234, '')."""
    with path.open("rb") as fh:
        lines = sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b""))
        fh.seek(-1, 2)
        last = fh.read(1)
    lines += last != b"\n"
    if lines != skip + 1 + rows or rows == 0:
        return False
    bad = con.execute(
        f"""select count(*) from _read where not (
            coalesce(regexp_full_match(aantal, '{COUNT_PATTERN[1:-1]}'), false)
            and coalesce(gebied_code = upper(replace(trim(gebied_code), ' ', '')), false)
            and (indeling_text is null or (regexp_full_match(indeling_text, '\\d{{4}}')
                 and cast(indeling_text as integer) between 2012 and {today.year})))"""
    ).fetchall()[0][0]
    return bad == 0


def _gemeente_sql() -> str:
    """A row's gemeente: the GM code a GM/WK/BU code lies in; none for a region total (RE07, NL)."""
    return (
        f"case when regexp_full_match(gebied_code, '{AREA_PATTERN[1:-1]}') "
        f"and not regexp_full_match(gebied_code, '{REGION_TOTAL}') then 'GM' || substr(gebied_code, 3, 4) end"
    )


def _kept(con: duckdb.DuckDBPyConnection, source: Source, ref: Reference, region: str, today: dt.date) -> Normalised:
    """The rows of the region, with the notes on what was skipped and on the file's own totals."""
    assert re.fullmatch(REGION_TOTAL, region), region  # a checked setting, written into a view below
    con.execute(
        "create temp table _years as select distinct coalesce(indeling, cast(substr(periode, 1, 4) as integer)) as y "
        "from _v_checked"
    )
    years = [row[0] for row in con.execute("select y from _years order by y").fetchall()]
    members = [(year, code) for year in years for code in sorted(ref.region_members(region, year))]
    same = [(year, ref.same_region_as_now(region, year, today.year)) for year in years]
    con.register("_members_arrow", pa.table({"y": [y for y, _ in members], "code": [c for _, c in members]}))
    con.register("_same_arrow", pa.table({"y": [y for y, _ in same], "same": [s for _, s in same]}))
    con.execute(
        f"""create temp view _placed as
        select c.*, coalesce(c.indeling, cast(substr(c.periode, 1, 4) as integer)) as _year,
               regexp_full_match(c.gebied_code, '{REGION_TOTAL}') as _region_total,
               case
                   when regexp_full_match(c.gebied_code, '{REGION_TOTAL}')
                       then c.gebied_code <> '{region}' or not s.same
                   else m.code is null
               end as _outside
        from _v_checked c
        left join _same_arrow s on s.y = coalesce(c.indeling, cast(substr(c.periode, 1, 4) as integer))
        left join _members_arrow m
          on m.y = coalesce(c.indeling, cast(substr(c.periode, 1, 4) as integer)) and m.code = c.gemeente_code"""
    )
    notes: list[str] = []
    unused = con.execute(
        "select distinct _year from _placed where _region_total and not coalesce((select same from _same_arrow "
        "where y = _year), false) order by 1"
    ).fetchall()
    if con.execute(
        "select count(*) from _placed where _region_total and gebied_code = ? and _outside", [region]
    ).fetchall()[0][0]:
        notes.append(unused_total_note(region, [row[0] for row in unused]))
    outside = [
        row[0]
        for row in con.execute(
            "select distinct gemeente_code from _placed where _outside and gemeente_code is not null"
        ).fetchall()
    ]
    places, others = con.execute(
        "select count(*) filter (where gemeente_code is not null), count(*) filter (where gemeente_code is null) "
        "from _placed where _outside"
    ).fetchall()[0]
    notes += outside_notes(ref, region, outside, int(places), int(others))
    totals = con.execute(
        """select o.periode, o.soort_code, o.aantal, coalesce(p.n, 0)::bigint
        from _placed o
        left join (select periode, soort_code, sum(aantal) as n from _placed where not _outside
                   and gemeente_code is not null group by all) p using (periode, soort_code)
        where not o._outside and o.gebied_code = ? order by o.bron_rij""",
        [region],
    ).fetchall()
    notes += own_total_notes([(p, s, int(a), int(n)) for p, s, a, n in totals], region)
    columns = [c.name for c in source.columns] + ["gemeente_code", "bron_rij"]
    table = con.sql(f"select {', '.join(columns)} from _placed where not _outside order by bron_rij").to_arrow_table()
    return Normalised(source, table, notes, int(places) + int(others), checked=True)
