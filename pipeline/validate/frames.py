"""The DataFrames Great Expectations validates: canonical rows plus helper columns.

GX checks one column at a time; rules that need the reference data ("does this gemeente code
exist in this period's year?") or other rows ("is this figure ten times last year's?") are
computed here as helper columns (prefixed ``_``) that the suites then check.

The helpers are computed in DuckDB SQL: over the store's ``raw_<bron>`` views for ``gvb validate``
(one batch per calendar year, pulled one at a time) and over a registered DataFrame for the
blocking check of a file at ingest. Both routes run the same query, so a rule is written once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from pipeline.ingest.normalise import AREA_PATTERN
from pipeline.kernel.periods import CANONICAL, canonical_pattern
from pipeline.kernel.sources import LINEAGE, PERIOD_KINDS, Source
from pipeline.kernel.store import connect
from pipeline.reference import Reference
from pipeline.validate.gx_runtime import SuiteOutcome
from pipeline.validate.suite_sql import run_suite_sql

#: a figure is compared with the same period a year earlier only when one of them is at least this
MIN_FOR_JUMP = 20
#: a code's share is compared with last year's only when both counts are at least this
MIN_FOR_SHARE = 50
#: years are validated together until a batch holds this many rows (see ``store_batches``); GX
#: holds a few copies of a batch, so this bounds the memory of ``gvb validate``
BATCH_ROWS = 200_000
#: DuckDB's memory for the helper query of a file at ingest (beyond this it spills to disk)
HELPER_MEMORY = "1GB"
#: the column that keeps a file's row order in :func:`checked_rows`
POSITION = "_pos"

ROW_HELPERS = ("_periode_ok", "_gebied_ok", "_periode_index")
TREND_HELPERS = ("_sprongfactor", "_editie_sprong", "_ontbrekende_maanden", "_aandeel_sprong")
POLICE = ("politie_misdrijven", "politie_incidenten")


def register_reference(con: duckdb.DuckDBPyConnection, ref: Reference) -> None:
    """The reference facts the helper query joins with, as temporary tables of ``con``."""
    gemeenten = pa.table(
        {
            "code": [g.code for g in ref.gemeenten.values()],
            "eerste_jaar": [g.eerste_jaar for g in ref.gemeenten.values()],
            "laatste_jaar": [g.laatste_jaar for g in ref.gemeenten.values()],
        }
    )
    ranges = pa.table(
        {
            "code": [i.code for i in ref.indicators],
            "min_waarde": pa.array([i.min_waarde for i in ref.indicators], pa.float64()),
            "max_waarde": pa.array([i.max_waarde for i in ref.indicators], pa.float64()),
        }
    )
    districts = pa.table({"code": sorted(ref.districten)})
    for name, table in (("gemeenten", gemeenten), ("bereik", ranges), ("districten", districts)):
        con.register(f"_v_{name}_arrow", table)
        con.execute(f"create or replace temp table _v_{name} as select * from _v_{name}_arrow")
        con.unregister(f"_v_{name}_arrow")
    register_previous_edition(con, None, None)


def register_previous_edition(con: duckdb.DuckDBPyConnection, totals: Path | None, source: Source | None) -> None:
    """A source's figures as the previous edition saw them (see ``edition_totals``); empty without one."""
    if totals is None or source is None:
        con.execute("create or replace temp table _v_vorige_editie (_gm varchar, _per varchar, maat varchar, n double)")
        return
    import pyarrow.parquet as pq

    # read here, not by DuckDB: the read-only store connection has no file access by design
    table = pq.read_table(totals, columns=["_gm", "_per", "maat", "n"], filters=[("bron", "=", source.name)])
    con.register("_v_vorige_editie_arrow", table)
    con.execute("create or replace temp table _v_vorige_editie as select * from _v_vorige_editie_arrow")
    con.unregister("_v_vorige_editie_arrow")


def _period_sql(column: str, kind_column: str | None = None) -> dict[str, str]:
    """SQL expressions for a canonical period: its kind, year, first and last month."""
    p = column
    kind = (
        kind_column
        or "case "
        + " ".join(f"when regexp_full_match({p}, '{pattern}') then '{kind}'" for kind, pattern in CANONICAL.items())
        + " end"
    )
    year = f"try_cast(substr({p}, 1, 4) as integer)"
    first_month = f"case {kind} when 'month' then cast(substr({p}, 6, 2) as integer) when 'half' then case when {p}[6] = '2' then 7 else 1 end else 1 end"
    last_month = f"case {kind} when 'month' then cast(substr({p}, 6, 2) as integer) when 'half' then case when {p}[6] = '2' then 12 else 6 end else 12 end"
    return {"kind": kind, "year": year, "first_month": first_month, "last_month": last_month}


def helper_query(
    source: Source,
    relation: str,
    columns: list[str],
    today: dt.date,
    with_trends: bool,
    carry: list[str] | None = None,
    keep: tuple[str, ...] = (),
) -> str:
    """A query over ``relation`` (rows of ``source``) with every helper column the suite checks.

    The row's own columns come along (or only those in ``carry``), plus those in ``keep`` and
    ``_jaar`` (the period's calendar year) used to cut per-year batches.

    Why this is composed here and not a ``.sql`` file the linter sees: its shape follows the source
    contract (which column holds the area, which period kinds are allowed, the police-only total
    and roll-up checks, the survey's value ranges, the trend helpers only for ``gvb validate``), so
    a file would need a template language, which is string-built SQL again. Every value in it comes
    from our own contracts (``Source``, ``PERIOD_KINDS``, the canonical period patterns), never
    from a delivery; the rows themselves are only ever read from ``relation``. The rules on these
    helpers are the suites' expectations, run by GX (``gvb validate``) or as SQL (``suite_sql``, at ingest).
    """
    # every rule on a period or an area is worked out once per distinct value, then joined back:
    # a national store has 7 million rows but only a few hundred periods and a few thousand areas
    period = _period_sql("_per")
    known = _period_sql("_per", "_kind")
    allowed = ", ".join(f"'{k}'" for k in sorted(PERIOD_KINDS[source.name]))
    # the delivery a row came with (a file being checked at ingest is one delivery)
    load = "r.load_id" if "load_id" in columns else "0"
    # a file that states its indeling has its gemeente codes in that year's indeling
    gm_year = "coalesce(b.indeling, p._year)" if "indeling" in columns else "p._year"
    if source.name == "veiligheidsmonitor":
        area_format = "(regexp_full_match(area, 'GM\\d{4}|RE\\d{2}|NL') or area in (select code from _v_districten))"
    else:
        area_format = f"regexp_full_match(area, '{AREA_PATTERN[1:-1]}')"
    ctes = [
        f"""base as (
            select r.*, coalesce(r.periode, '') as _per, coalesce(r.gemeente_code, '') as _gm,
                   coalesce(substr(r.periode, 1, 4), '') as _jaar, coalesce(r.{source.area_column}, '') as _area, {load} as _load
            from {relation} as r
        ),
        kinds as (
            select _per, {period["kind"]} as _kind, coalesce({period["year"]}, 0) as _year
            from (select distinct _per from base)
        ),
        periods as (
            select _per, _kind, _year,
                   coalesce(_kind in ({allowed}) and make_date(_year, {known["first_month"]}, 1) <= date '{today.isoformat()}', false) as _periode_ok,
                   case when _kind is null then 0 else _year * 12 + {known["last_month"]} end as _periode_index
            from kinds
        ),
        areas as (select area, coalesce({area_format}, false) as _area_ok from (select distinct _area as area from base)),
        places as (
            select d._gm, d._year, d._gm = '' or exists (
                select 1 from _v_gemeenten g
                where g.code = d._gm and d._year between g.eerste_jaar and coalesce(g.laatste_jaar, 9999)
            ) as _gm_ok
            from (select distinct b._gm, {gm_year} as _year from base b join periods p using (_per)) d
        ),
        rows_ as (
            select b.*, p._kind, p._year, p._periode_ok, p._periode_index, a._area_ok and pl._gm_ok as _gebied_ok
            from base b
            join periods p using (_per)
            join areas a on a.area = b._area
            join places pl on pl._gm = b._gm and pl._year = {gm_year}
        )"""
    ]  # fmt: skip
    selects = ["r._periode_ok", "r._periode_index", "r._gebied_ok"]
    joins = []
    if source.name in POLICE:
        ctes.append(
            # a total next to its own parts is a mistake within one delivery; two deliveries (a gemeente
            # table and a buurt table) may stand beside each other
            """finer_gm as (select distinct _load, _per, soort_code, _gm from rows_ where coalesce(left(gebied_code, 2), '') <> 'GM'),
            finer_wk as (select distinct _load, _per, soort_code, 'WK' || substr(gebied_code, 3, 6) as wk from rows_ where left(gebied_code, 2) = 'BU'),
            own_parts as (select _load, _per, soort_code, sum(aantal)::double as n from rows_ where _gm <> '' group by all)"""
        )
        # a delivery's own total of the region (RE07, NL: the rows without a gemeente) against its gemeenten
        joins.append(
            "left join own_parts op on r._gm = '' and op._load = r._load and op._per = r._per and op.soort_code = r.soort_code"
        )
        selects.append("case when r._gm = '' then r.aantal - coalesce(op.n, 0) end::bigint as _totaal_verschil")
        joins.append(
            "left join finer_gm fg on fg._load = r._load and fg._per = r._per and fg.soort_code = r.soort_code and fg._gm = r._gm"
        )
        joins.append(
            "left join finer_wk fw on fw._load = r._load and fw._per = r._per and fw.soort_code = r.soort_code and fw.wk = r.gebied_code"
        )
        selects.append(
            "(coalesce(left(r.gebied_code, 2), '') = 'GM' and fg._gm is not null) or (left(r.gebied_code, 2) = 'WK' and fw.wk is not null) as _totaal_gemengd"
        )
    if source.name == "veiligheidsmonitor":
        joins.append("left join _v_bereik b on b.code = r.indicator_code")
        selects.append(
            "coalesce(r.waarde is null or ((b.min_waarde is null or r.waarde >= b.min_waarde) and (b.max_waarde is null or r.waarde <= b.max_waarde)), true) as _binnen_bereik"
        )
    if with_trends and source.name != "veiligheidsmonitor":
        _trend_ctes(source, ctes, joins, selects)
    else:
        selects += [
            "null::double as _sprongfactor",
            "null::double as _editie_sprong",
            "0::bigint as _ontbrekende_maanden",
            "null::double as _aandeel_sprong",
        ]
    # helpers that need no join are computed in rows_; the final select keeps the frame's columns
    final = [f'r."{name}"' for name in carry or []]
    for name in frame_columns(source) if carry is None else []:
        if name.startswith("_"):
            continue
        final.append(f'r."{name}"' if name in columns else f'null as "{name}"')
    final += [f'r."{name}"' for name in keep]
    select_list = ",\n       ".join(final + selects)
    join_sql = "\n".join(joins)
    return f"with {', '.join(ctes)}\nselect {select_list}, r._jaar\nfrom rows_ as r\n{join_sql}"


def totals_sql(source: Source, relation: str) -> str:
    """A gemeente's figure per period and measure (``_gm, _per, maat, n``) over rows with ``_gm``/``_per``.

    Police: the gemeente total (soort 0.0.0) of the first measure; partners: every measure.
    """
    police = source.name in POLICE
    measures = [source.measures[0]] if police else list(source.measures)
    basis = "where soort_code = '0.0.0'" if police else ""
    return " union all ".join(
        f"select _gm, _per, '{m}' as maat, coalesce(sum({m}), 0)::double as n from {relation} {basis} group by all"
        for m in measures
    )


def _ratio_cte(name: str, column: str, other: str, period_match: str) -> str:
    """``name``: per gemeente and period the most extreme ratio of a figure (``totals t``) to the
    same measure in ``other`` (``p``), when one of both is at least MIN_FOR_JUMP; from 0 to many the
    ratio is the count itself."""
    ratio = "case when p.n > 0 then t.n / p.n else t.n end"
    return f"""{name} as (
            select t._gm, t._per, arg_max({ratio}, abs(ln(greatest({ratio}, 1e-9)))) as {column}
            from totals t
            join {other} on p._gm = t._gm and p.maat = t.maat and {period_match}
            where greatest(t.n, p.n) >= {MIN_FOR_JUMP}
            group by all
        )"""


def _trend_ctes(source: Source, ctes: list[str], joins: list[str], selects: list[str]) -> None:
    """Helpers for the warnings: jumps against last year, missing months, share jumps."""
    police = source.name in POLICE
    last_year = (
        f"case when regexp_full_match(t._per, '{canonical_pattern()}') "
        "then cast(cast(substr(t._per, 1, 4) as integer) - 1 as varchar) || substr(t._per, 5) end"
    )
    ctes.append(
        f"""totals as ({totals_sql(source, "rows_")}),
        {_ratio_cte("jumps", "_sprongfactor", "totals p", f"p._per = {last_year}")},
        -- the same figures as the previous edition saw them (empty when there is none)
        {_ratio_cte("revisions", "_editie_sprong", "_v_vorige_editie p", "p._per = t._per")},
        present as (
            select distinct _gm, _jaar, cast(substr(_per, 6, 2) as integer) as maand
            from rows_ where regexp_full_match(_per, '{CANONICAL['month']}')
        ),
        span as (select _jaar, min(maand) as eerste, max(maand) as laatste from present group by all),
        missing as (
            select p._gm, p._jaar, any_value(s.laatste - s.eerste + 1) - count(distinct p.maand) as _ontbrekende_maanden
            from present p join span s using (_jaar) group by all
        )"""
    )  # fmt: skip
    joins.append("left join jumps j on j._gm = r._gm and j._per = r._per")
    joins.append("left join revisions v on v._gm = r._gm and v._per = r._per")
    joins.append("left join missing m on m._gm = r._gm and m._jaar = r._jaar")
    selects.append("j._sprongfactor")
    selects.append("v._editie_sprong")
    selects.append("coalesce(m._ontbrekende_maanden, 0)::bigint as _ontbrekende_maanden")
    if not police:
        selects.append("null::double as _aandeel_sprong")
        return
    measure = source.measures[0]
    ctes.append(
        f"""by_code as (
            select _gm, _jaar, soort_code, sum({measure})::double as n
            from rows_ where soort_code <> '0.0.0' group by all
        ),
        -- only whole years are compared: a half-delivered year has another seasonal mix
        whole as (
            select _jaar from rows_ where soort_code <> '0.0.0' group by all
            having count(distinct _per) = 12 or bool_or(length(_per) = 4)
        ),
        shares as (
            select b.*, n / sum(n) over (partition by _gm, _jaar) as share
            from by_code b where _jaar in (select _jaar from whole)
        ),
        share_jumps as (
            select c._gm, c._jaar, c.soort_code, c.share / p.share as _aandeel_sprong
            from shares c join shares p
              on p._gm = c._gm and p.soort_code = c.soort_code
             and p._jaar = cast(cast(c._jaar as integer) - 1 as varchar)
            where c.n >= {MIN_FOR_SHARE} and p.n >= {MIN_FOR_SHARE}
        )"""
    )  # fmt: skip
    joins.append("left join share_jumps sj on sj._gm = r._gm and sj._jaar = r._jaar and sj.soort_code = r.soort_code")
    selects.append("sj._aandeel_sprong")


def _fetch(con: duckdb.DuckDBPyConnection, source: Source, sql: str, params: list | None = None) -> pd.DataFrame:
    table = con.sql(sql, params=params).to_arrow_table()
    frame = table.to_pandas(types_mapper=_types)
    for column in frame.columns:
        # integer columns without gaps as numpy int64, so GX sees their type as such
        if isinstance(frame[column].dtype, pd.Int64Dtype) and frame[column].notna().all():
            frame[column] = frame[column].astype("int64")
    return frame


def _types(arrow_type: pa.DataType) -> object:
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type) or pa.types.is_string_view(arrow_type):
        return pd.StringDtype("pyarrow")
    if pa.types.is_integer(arrow_type):
        return pd.Int64Dtype()
    return None


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    return [row[0] for row in con.execute(f"describe {relation}").fetchall()]


def validation_frame(
    source: Source, rows: pd.DataFrame, ref: Reference, today: dt.date, with_trends: bool = True
) -> pd.DataFrame:
    """A file's rows with all helper columns, in the suite's column order, as GX checks them."""
    frame = rows.reset_index(drop=True)
    # only the helper columns come back from DuckDB (by position): the rows are not copied twice
    con = connect(config={"memory_limit": HELPER_MEMORY, "preserve_insertion_order": False})
    try:
        register_reference(con, ref)
        con.register("_v_rows", frame.assign(_pos=np.arange(len(frame))))
        sql = helper_query(source, "_v_rows", _columns(con, "_v_rows"), today, with_trends, carry=["_pos"])
        helpers = _fetch(con, source, f"select * exclude (_jaar, _pos) from ({sql}) order by _pos")
    finally:
        con.close()
    frame = frame.copy(deep=False)
    for column in helpers.columns:
        frame[column] = helpers[column].to_numpy()
    for column in frame_columns(source):
        if column not in frame:
            frame[column] = pd.NA
        elif isinstance(frame[column].dtype, pd.Int64Dtype) and frame[column].notna().all():
            frame[column] = frame[column].astype("int64")  # so GX sees the type as int64
    return frame[frame_columns(source)]


def checked_rows(
    con: duckdb.DuckDBPyConnection, source: Source, rows: pd.DataFrame, ref: Reference, today: dt.date
) -> str:
    """A file's rows with the helper columns of the blocking rules, as a temporary table of ``con``.

    The same rows and helpers as :func:`validation_frame`, kept in DuckDB for ``suite_sql``; the
    column ``POSITION`` is the row's place in the file's frame (the order GX names rows in)."""
    con.register("_v_rows", rows.reset_index(drop=True).assign(**{POSITION: np.arange(len(rows))}))
    try:
        return checked_relation(con, source, "_v_rows", ref, today)
    finally:
        con.unregister("_v_rows")


def checked_relation(
    con: duckdb.DuckDBPyConnection, source: Source, relation: str, ref: Reference, today: dt.date
) -> str:
    """:func:`checked_rows` for rows that are already a relation of ``con`` (with ``POSITION``)."""
    register_reference(con, ref)
    sql = helper_query(source, relation, _columns(con, relation), today, with_trends=False, keep=(POSITION,))
    con.execute(f"create or replace temp table _v_checked as select * exclude (_jaar) from ({sql})")
    return "_v_checked"


def blocking_outcome(con: duckdb.DuckDBPyConnection, suite: dict, checked: str) -> SuiteOutcome:
    """The blocking rules of a source's ``suite``, as SQL, over rows made by :func:`checked_relation`."""
    return run_suite_sql(
        con, suite, checked, order_by=[POSITION], index_columns=["bron_bestand", "bron_rij"],
        only_blocking=True, position=POSITION,
    )  # fmt: skip


@dataclass(frozen=True)
class PlannedBatch:
    """One batch of a source's validation: its label, its bounds (first and last year, first and
    last period), whether it holds the newest periods, and what it depends on: the deliveries
    (load, rows) of its years and of the year before (the trend helpers look one year back)."""

    label: str
    bounds: tuple[str, str, str, str]
    last: bool
    depends_on: str


def batch_plan(con: duckdb.DuckDBPyConnection, source: Source, batch_rows: int = BATCH_ROWS) -> list[PlannedBatch]:
    """The batches :func:`store_batches` would make of a source, from a cheap count of its rows."""
    year = "coalesce(substr(periode, 1, 4), '')"
    counts = con.execute(
        f"select {year}, coalesce(periode, ''), count(*) from {source.view} group by 1, 2 order by 1, 2"
    ).fetchall()
    loads: dict[str, list] = {
        y: deliveries
        for y, deliveries in con.execute(
            f"select y, list((load_id, n) order by load_id) from "
            f"(select {year} as y, load_id, count(*) as n from {source.view} group by all) group by y"
        ).fetchall()
    }
    batches = _cut(counts, batch_rows)
    plan = []
    for number, (label, bounds) in enumerate(batches):
        first = int(bounds[0]) - 1 if bounds[0].isdigit() else bounds[0]
        years = [y for y in sorted(loads) if str(first) <= y <= bounds[1]]
        depends_on = repr([(y, [tuple(d) for d in loads[y]]) for y in years])
        plan.append(PlannedBatch(label, bounds, number == len(batches) - 1, depends_on))
    return plan


def store_batches(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    ref: Reference,
    today: dt.date,
    previous: Path | None = None,
    batch_rows: int = BATCH_ROWS,
    wanted: list[PlannedBatch] | None = None,
) -> Iterator[tuple[str, pd.DataFrame, bool]]:
    """Validation frames of a source in the store, cut on calendar years, oldest first; True with
    the last one (the batch with the newest periods).

    A batch is one year, or consecutive years together until it holds about ``batch_rows`` rows:
    every GX run has a fixed cost, so a small source is checked in one batch, and the big police
    sources per year or part of a year. The label is the year or the span (``2012-2016``), or for
    a year cut in parts its periods (``2024-01 t/m 2024-05``). ``wanted``: only these batches of
    the :func:`batch_plan` (the others' results are carried forward); nothing is computed without.

    The helper columns are computed once for the whole source (trends look across years) into a
    temporary table; the batches are then pulled one at a time to keep memory flat.
    """
    plan = batch_plan(con, source, batch_rows) if wanted is None else wanted
    if not plan:
        return
    register_reference(con, ref)
    register_previous_edition(con, previous, source)
    sql = helper_query(source, source.view, _columns(con, source.view), today, with_trends=True)
    con.execute(f"create or replace temp table _v_frame as {sql}")
    try:
        query = (
            "select * exclude (_jaar) from _v_frame where _jaar between ? and ? "
            "and coalesce(periode, '') between ? and ? order by load_id, bron_rij"
        )
        for batch in plan:
            yield batch.label, _fetch(con, source, query, list(batch.bounds)), batch.last
    finally:
        con.execute("drop table if exists _v_frame")


def _cut(counts: list[tuple[str, str, int]], batch_rows: int) -> list[tuple[str, tuple[str, str, str, str]]]:
    """Batches of (year, period, rows) sorted by both: (label, (first year, last year, first period,
    last period)). Whole years go together up to ``batch_rows``; a bigger year is cut between its
    periods (a national police year: half a million rows, too many for one GX run in little memory)."""
    per_year: dict[str, list[tuple[str, int]]] = {}
    for year, period, rows in counts:
        per_year.setdefault(year, []).append((period, rows))
    batches: list[tuple[str, tuple[str, str, str, str]]] = []
    span: list[str] = []
    size = 0

    def close() -> None:
        nonlocal span, size
        if span:
            label = span[0] if span[0] == span[-1] else f"{span[0]}-{span[-1]}"
            batches.append((label, (span[0], span[-1], "", "\uffff")))
        span, size = [], 0

    for year, periods in per_year.items():
        rows = sum(n for _, n in periods)
        if rows > batch_rows:
            close()
            part: list[tuple[str, int]] = []
            for period, n in [*periods, (None, 0)]:
                if period is not None and (not part or sum(m for _, m in part) + n <= batch_rows):
                    part.append((period, n))
                    continue
                label = part[0][0] if len(part) == 1 else f"{part[0][0]} t/m {part[-1][0]}"
                batches.append((label, (year, year, part[0][0], part[-1][0])))
                part = [(period, n)] if period is not None else []
            continue
        if size + rows > batch_rows:
            close()
        span.append(year)
        size += rows
    close()
    return batches


def frame_columns(source: Source) -> list[str]:
    """The columns of the validation frame of a source, in order."""
    columns = [c.name for c in source.columns]
    if "gemeente_code" not in columns:
        columns.append("gemeente_code")
    columns += [name for name, _, _ in LINEAGE]
    columns += list(ROW_HELPERS)
    if source.name in ("politie_misdrijven", "politie_incidenten"):
        columns += ["_totaal_gemengd", "_totaal_verschil"]
    if source.name == "veiligheidsmonitor":
        columns.append("_binnen_bereik")
    return columns + list(TREND_HELPERS)
