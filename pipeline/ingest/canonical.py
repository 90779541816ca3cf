"""The big police tables read by DuckDB: millions of rows without a row in Python.

Three layouts of a police table go this way:
- the contract's own CSV (``periode,gebied_code,soort_code,aantal`` with optional ``soort_naam``
  and ``indeling``; comment lines above the header): the police's wijk and national extracts;
- the OData "TypedDataSet" as CSV (``SoortMisdrijf``/``Overlast``, ``RegioS``/``WijkenEnBuurten``,
  ``Perioden``, ``…_1``), read as ``pipeline.ingest.odata`` reads it: keys trimmed, ``2024MM03``
  and ``2024JJ00`` as 2024-03 and 2024, region totals and unpublished cells skipped and noted;
- Parquet in the contract's columns (each text or whole numbers).
DuckDB parses with explicit column types, the blocking rules of the source's suite run over the
parsed rows as SQL (``pipeline.validate.suite_sql``: the same rules ``gvb validate`` runs in GX),
the region's rows are kept, and the rows come back as one Arrow table for the store.

This route only *accepts*. A file that is not plainly one of these (another encoding, a blank
line, a quoted line break, a cell with spaces or lower case, a count with a sign or a point, a
period the contract spells otherwise, an indeling from the title or ``--indeling``) or that breaks
any rule goes the pandas route of ``pipeline.ingest.normalise``, which names every problem with
file, row and column as before. Both routes give the same rows, notes, skipped rows and format for
a file they both accept (``tests/ingest/test_canonical.py``).

Left to pandas on purpose: OData JSON (a feed serves pages of at most 10,000 records), StatLine
website exports (wide by period, a title and notes around the table; the website limits their
size) and partner spreadsheets (small, read cell by cell).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline.ingest.headers import MAX_HEADER_SCAN, match_header
from pipeline.ingest.normalise import (
    AREA_PATTERN,
    REGION_TOTAL,
    Normalised,
    outside_notes,
    own_total_notes,
    unused_total_note,
)
from pipeline.ingest.odata import ODATA_AREA, ODATA_TYPE, is_odata_header, odata_measure
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
#: OData keys (``"1.1.1 "``, ``"GM0599    "``) and counts that Python's strip and DuckDB's trim read alike
_ODATA_CELL = r"^[ -~]*$"
#: the OData periods the contract spells otherwise: ``2024MM03`` is 2024-03, ``2024JJ00`` is 2024
_ODATA_MONTH, _ODATA_YEAR = r"\d{4}MM(0[1-9]|1[0-2])", r"\d{4}JJ00"


@dataclass(frozen=True)
class _Layout:
    """What the head of a file says: its source and format, and how to read its rows."""

    source: Source
    format: str  # as ``ingest_loads`` records it: csv (csv-nl with ``;`` or tabs), odata-csv or parquet
    header: list[str]
    demo: bool
    delimiter: str = ","
    skip: int = 0  # lines above the header
    #: an OData table's columns: type, area, period and measure (as the header spells them)
    odata: tuple[str, str, str, str] | None = None
    #: a Parquet file's columns by their contract names
    renamed: dict[str, str] = field(default_factory=dict)


@dataclass
class _Skipped:
    """Rows a reader leaves out before the rules (an OData table's region totals and empty cells)."""

    notes: list[str] = field(default_factory=list)
    rows: int = 0


def read_canonical(
    path: Path, settings: Settings, ref: Reference, today: dt.date, hint: str | None, indeling: int | None
) -> tuple[Normalised, bool, str] | None:
    """(rows, demo flag, format) of a plainly canonical police table (CSV, the OData CSV or Parquet)
    whose every row keeps every rule; else None."""
    if indeling is not None:
        return None
    layout = _layout(path, hint)
    if layout is None:
        return None
    source = layout.source
    # the parsed rows are held once; DuckDB spills beyond the limit instead of growing with the file
    con = connect(config={"memory_limit": HELPER_MEMORY})
    try:
        if layout.format == "parquet":
            skipped = _read_parquet(con, path, layout)
        else:
            skipped = _read(con, path, layout)
            if skipped is None or not _whole_lines(path, layout.skip, _count(con, "_read") + skipped.rows):
                return None
        if not _plain(con, today):
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
        kept = _kept(con, source, ref, settings.region, today)
        kept.notes[:0] = skipped.notes
        kept.skipped += skipped.rows
        return kept, layout.demo, layout.format
    except duckdb.Error:
        return None  # whatever DuckDB cannot read plainly, the pandas route reads or explains
    finally:
        con.close()


def _layout(path: Path, hint: str | None) -> _Layout | None:
    """The layout of a canonical police table: the contract's CSV, the OData CSV or Parquet."""
    suffix = path.suffix.lower()
    head = head_bytes(path)
    if suffix == ".parquet" or head.startswith(b"PAR1"):
        return _parquet_layout(path, hint)
    if suffix != ".csv" or head.startswith(b"\xef\xbb\xbf"):
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
    demo = any(DEMO_MARKER.search(line) for line in lines[:skip])
    if len(set(header)) != len(header) or not all(header):
        return None
    if is_odata_header(header):
        return _odata_layout(header, hint, delimiter, skip, demo)
    source = _police(hint)
    if source is None:
        return None
    names = [c.name for c in source.columns]
    required = {c.name for c in source.columns if c.required}
    if not set(header) <= set(names) or not required <= set(header):
        return None
    return _Layout(source, "csv" if delimiter == "," else "csv-nl", header, demo, delimiter, skip)


def _police(hint: str | None) -> Source | None:
    """The police source a file of the contract's columns is: the folder's, else misdrijven (as
    ``match_header`` reads the twins)."""
    name = hint if hint in POLICE else ("politie_misdrijven" if hint is None else None)
    return SOURCES[name] if name else None


def _odata_layout(header: list[str], hint: str | None, delimiter: str, skip: int, demo: bool) -> _Layout | None:
    """The OData "TypedDataSet" as CSV: the columns ``pipeline.ingest.odata`` reads, found as it finds them."""
    columns = {c.strip().lower(): c for c in header}
    type_key = next(k for k in ODATA_TYPE if k in columns)
    source = SOURCES[ODATA_TYPE[type_key]]
    if hint and hint != source.name:
        return None  # the pandas route says which source the file holds
    area_key = next(k for k in ODATA_AREA if k in columns)
    measure = odata_measure(header)
    if measure is None:
        return None
    return _Layout(
        source, "odata-csv", header, demo, delimiter, skip,
        odata=(columns[type_key], columns[area_key], columns["perioden"], measure),
    )  # fmt: skip


def _parquet_layout(path: Path, hint: str | None) -> _Layout | None:
    """A Parquet extract in a police source's columns, each column text or whole numbers."""
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
        source, mapping = match_header(schema.names, path.name, hint)
    except Exception:  # unreadable or not a contract's header: the pandas route says why
        return None
    if source.name not in POLICE or len(set(schema.names)) != len(schema.names):
        return None
    if not all(pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_integer(t) for t in schema.types):
        return None  # a float or a date reads otherwise as text in pandas than in DuckDB
    renamed = {mapping[i]: name for i, name in enumerate(schema.names)}
    if any(name.startswith("_extra") for name in renamed):
        return None
    demo = b"DEMO" in (schema.metadata or {}).get(b"gvb", b"")
    return _Layout(source, "parquet", list(schema.names), demo, renamed=renamed)


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return con.execute(f"select count(*) from {table}").fetchall()[0][0]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _read(con: duckdb.DuckDBPyConnection, path: Path, layout: _Layout) -> _Skipped | None:
    """Parse a CSV into ``_read`` (text cells and the file's row number); what was left out, or
    None when an OData table has a cell that the pandas route would read otherwise."""
    columns = {name: "VARCHAR" for name in layout.header}
    reader = """read_csv(?, delim = ?, quote = '"', escape = '"', header = true, skip = ?, columns = ?,
                      strict_mode = true, null_padding = false, auto_detect = false, encoding = 'utf-8')"""
    parameters = [str(path), layout.delimiter, layout.skip, columns]
    numbered = f"(row_number() over () + {layout.skip + 1})::bigint as bron_rij, row_number() over () - 1 as {POSITION}"
    if layout.odata is None:
        header = layout.header
        # soort_naam and indeling are optional in the contract: a file without them has them empty
        soort_naam = "nullif(trim(soort_naam), '')" if "soort_naam" in header else "null::varchar"
        indeling = "indeling" if "indeling" in header else "null::varchar"
        con.execute(
            f"""create temp table _read as
            select periode, gebied_code, soort_code, {soort_naam} as soort_naam, aantal,
                   {indeling} as indeling_text, {numbered}, ? as bron_bestand
            from {reader}""",
            [path.name, *parameters],
        )
        return _Skipped()
    kind, area, period, measure = (_quoted(name) for name in layout.odata)
    con.execute(
        f"""create temp table _odata as
        select trim({kind}) as soort_code, coalesce(trim({area}), '') as gebied_code, trim({period}) as periode,
               trim({measure}) as aantal, {numbered},
               not regexp_matches(coalesce(trim({area}), ''), '^(GM|WK|BU)') as _total,
               coalesce(trim({measure}), '') in ('', '.') as _unpublished,
               coalesce(regexp_full_match({kind}, '{_ODATA_CELL[1:-1]}'), true)
               and coalesce(regexp_full_match({area}, '{_ODATA_CELL[1:-1]}'), true)
               and coalesce(regexp_full_match({period}, '{_ODATA_CELL[1:-1]}'), true)
               and coalesce(regexp_full_match({measure}, '{_ODATA_CELL[1:-1]}'), true) as _ascii
        from {reader}""",
        parameters,
    )
    if con.execute("select count(*) from _odata where not _ascii").fetchall()[0][0]:
        return None
    skipped = _Skipped()
    totals = sorted(row[0] for row in con.execute("select distinct gebied_code from _odata where _total").fetchall())
    total_rows, unpublished, rows = con.execute(
        "select count(*) filter (where _total), count(*) filter (where _unpublished and not _total), count(*) "
        "from _odata"
    ).fetchall()[0]
    if total_rows:
        skipped.notes.append(f"{total_rows} rijen met regiototalen overgeslagen ({', '.join(totals[:5])})")
    if unpublished:
        skipped.notes.append(f"{unpublished} cellen zonder gepubliceerde waarde overgeslagen")
    skipped.rows = con.execute("select count(*) from _odata where _total or _unpublished").fetchall()[0][0]
    if skipped.rows == rows:
        return None  # nothing for gemeenten, wijken or buurten: the pandas route says so
    con.execute(
        f"""create temp table _read as
        select case when regexp_full_match(periode, '{_ODATA_MONTH}') then substr(periode, 1, 4) || '-' || substr(periode, 7, 2)
                    when regexp_full_match(periode, '{_ODATA_YEAR}') then substr(periode, 1, 4)
                    else periode end as periode,
               gebied_code, soort_code, null::varchar as soort_naam, aantal, null::varchar as indeling_text,
               bron_rij, {POSITION}, ? as bron_bestand
        from _odata where not (_total or _unpublished) order by bron_rij""",
        [path.name],
    )
    con.execute("drop table _odata")
    return skipped


def _read_parquet(con: duckdb.DuckDBPyConnection, path: Path, layout: _Layout) -> _Skipped:
    """A Parquet extract into ``_read``: each column as text, as the pandas route reads it."""

    def column(name: str) -> str:
        return f"cast({_quoted(layout.renamed[name])} as varchar)" if name in layout.renamed else "null::varchar"

    con.execute(
        f"""create temp table _read as
        select {column("periode")} as periode, {column("gebied_code")} as gebied_code,
               {column("soort_code")} as soort_code, nullif(trim({column("soort_naam")}), '') as soort_naam,
               {column("aantal")} as aantal, {column("indeling")} as indeling_text,
               row_number() over () as bron_rij, row_number() over () - 1 as {POSITION}, ? as bron_bestand
        from read_parquet(?)""",
        [path.name, str(path)],
    )
    return _Skipped()


def _whole_lines(path: Path, skip: int, rows: int) -> bool:
    """Every line of the file one row: no blank line, no quoted line break (the row numbers are the file's)."""
    with path.open("rb") as fh:
        lines = sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b""))
        fh.seek(-1, 2)
        last = fh.read(1)
    lines += last != b"\n"
    return rows > 0 and lines == skip + 1 + rows


def _plain(con: duckdb.DuckDBPyConnection, today: dt.date) -> bool:
    """Every cell in the contract's own spelling: nothing needs the pandas route's readings
    (spaces, lower case, 1.234, '')."""
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
