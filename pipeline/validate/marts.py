"""Checks on a built edition before it is published: the mart suites, run as SQL in DuckDB on the
marts plus helper columns for the rules that span rows (sums, suppression, rates).

The helpers are SQL over the edition's own tables (``MART_HELPERS``); the rules are the suites'
expectations (``expectations/indicator_values.json``, ``veiligheidsmonitor_values.json``), run by
``suite_sql`` without a row leaving DuckDB (a national edition has millions of cells).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline.kernel.errors import GvbError
from pipeline.kernel.store import connect
from pipeline.reference import reference
from pipeline.validate.suite_sql import run_suite_sql
from pipeline.validate.suites import load_suite

#: a mart cell: what an example of a failed rule names
CELL = ["level", "area_code", "period", "indicator_code"]
#: the column that keeps the mart's row order in the checked tables
POSITION = "_rij"

#: ``_iv_checked``: ``indicator_values`` with ``_rate_ok``, ``_klein_gevoelig``, ``_som_ok`` (eenheid =
#: Σ gemeenten + niet toe te delen = Σ districts + what no district holds, for additive counts where
#: nothing is suppressed; districts only when every district has a figure) and ``_af_te_leiden`` (a
#: suppressed gemeente cell that a published total minus published cells reveals). 'Niet toe te
#: delen' rows: ``<region>-NTD`` is what a source's own eenheid total holds beyond its gemeenten;
#: ``<GM>-ZB`` what a gemeente's total holds beyond its buurten, which no district holds when the
#: gemeente is split over districts (Rotterdam, no district of its own).
MART_HELPERS = """
create or replace temp table _iv_cells as
select
    v.*,
    b.denominator as _noemer,
    coalesce(i.gevoeligheid = 'gevoelig', false) as _gevoelig,
    i.aggregatie = 'som' and v.unit = 'aantal' as _additive,
    v.level = 'niet toe te delen' and v.area_code like '%-NTD' as _eenheid_rest,
    v.level = 'niet toe te delen' and (v.area_code like '%-NTD' or v.district_code is null) as _outside_districts,
    row_number() over () as _rij
from indicator_values as v
left join int_indicator_basis as b using (level, area_code, period, indicator_code)
inner join ref_indicatoren as i using (indicator_code);

create or replace temp table _iv_checked as
with
gemeenten as (
    select indicator_code, period, coalesce(sum(value), 0) as g_total, bool_or(suppressed) as g_hidden
    from _iv_cells
    where _additive and (level = 'gemeente' or _eenheid_rest)
    group by all
),
districts as (
    select
        indicator_code, period, coalesce(sum(value), 0) as d_total, count(value) as d_n,
        bool_or(suppressed) as d_hidden
    from _iv_cells
    where _additive and level = 'district'
    group by all
),
district_rest as (
    select indicator_code, period, coalesce(sum(value), 0) as d_rest
    from _iv_cells
    where _additive and _outside_districts
    group by all
),
sums_broken as (
    select e._rij
    from _iv_cells as e
    left join gemeenten as g using (indicator_code, period)
    left join districts as d using (indicator_code, period)
    left join district_rest as r using (indicator_code, period)
    where e._additive and e.level = 'eenheid' and e.value is not null and (
        (g.g_total is not null and not coalesce(g.g_hidden, true) and abs(g.g_total - e.value) > 1e-6)
        or (
            d.d_n = (select count(*) from ref_districten where eenheid_code = (select region from build_params))
            and not coalesce(d.d_hidden, true)
            and abs(d.d_total + coalesce(r.d_rest, 0) - e.value) > 1e-6
        )
    )
),
-- one hidden cell among the terms of a published eenheid total (its gemeenten and the part of a
-- source's own total in no gemeente)
eenheid_terms as (
    select _rij, suppressed, indicator_code, period,
           count(*) filter (where suppressed) over (partition by indicator_code, period) as hidden
    from _iv_cells
    where level = 'gemeente' or area_code like '%-NTD'
),
-- one hidden cell among the gemeenten of a published district total (Rotterdam's districts excepted)
district_terms as (
    select _rij, suppressed, indicator_code, period, district_code,
           count(*) filter (where suppressed) over (partition by indicator_code, period, district_code) as hidden
    from _iv_cells
    where level = 'gemeente' and district_code is not null
      and district_code not in (select district_code from _rotterdam_districts)
),
-- a published year minus its one published half-year
halves as (
    select _rij, suppressed, area_code, indicator_code, substr(period, 1, 4) as jaar,
           count(*) filter (where suppressed) over (partition by area_code, substr(period, 1, 4), indicator_code) as hidden,
           count(*) over (partition by area_code, substr(period, 1, 4), indicator_code) as n
    from _iv_cells
    where level = 'gemeente' and period_type = 'halfjaar'
),
recoverable as (
    select t._rij from eenheid_terms as t
    where t.suppressed and t.hidden = 1 and exists (
        select 1 from _iv_cells as e
        where e.level = 'eenheid' and not e.suppressed and e.indicator_code = t.indicator_code and e.period = t.period
    )
    union
    select t._rij from district_terms as t
    where t.suppressed and t.hidden = 1 and exists (
        select 1 from _iv_cells as d
        where d.level = 'district' and not d.suppressed and d.indicator_code = t.indicator_code
          and d.period = t.period and d.area_code = t.district_code
    )
    union
    select h._rij from halves as h
    where h.suppressed and h.hidden = 1 and h.n = 2 and exists (
        select 1 from _iv_cells as y
        where y.level = 'gemeente' and y.period_type = 'jaar' and not y.suppressed
          and y.area_code = h.area_code and y.period = h.jaar and y.indicator_code = h.indicator_code
    )
)
select
    c.* exclude (_noemer, _gevoelig, _additive, _eenheid_rest, _outside_districts),
    coalesce(c.rate_per_1000 is null or abs(c.rate_per_1000 - 1000 * c.value / c._noemer) < 1e-3, false) as _rate_ok,
    coalesce(c._gevoelig and c.level in ('gemeente', 'niet toe te delen') and c.value between 1 and 4, false)
        as _klein_gevoelig,
    c._rij not in (select _rij from sums_broken) as _som_ok,
    c._rij in (select _rij from recoverable) as _af_te_leiden
from _iv_cells as c
order by c._rij;
"""

#: ``_vm_checked``: ``veiligheidsmonitor_values`` with ``_binnen_bereik`` and ``_interval_ok``
SURVEY_HELPERS = """
create or replace temp table _vm_checked as
select
    v.*,
    coalesce(v.value is null or (v.value >= 0 and v.value <= i.max_waarde), false) as _binnen_bereik,
    coalesce(v.value is null or (v.lower <= v.value + 1e-9 and v.value <= v.upper + 1e-9), false) as _interval_ok,
    row_number() over () as _rij
from veiligheidsmonitor_values as v
inner join ref_indicatoren as i using (indicator_code)
"""


def checked_marts(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The marts with their helper columns, as temporary tables of ``con``: suite name → table."""
    districts = pa.table({"district_code": sorted(reference().rotterdam_districts)})
    con.register("_rotterdam_districts_arrow", districts)
    con.execute("create or replace temp table _rotterdam_districts as select * from _rotterdam_districts_arrow")
    con.unregister("_rotterdam_districts_arrow")
    for statement in (*MART_HELPERS.split(";"), SURVEY_HELPERS):
        if statement.strip():
            con.execute(statement)
    return {"indicator_values": "_iv_checked", "veiligheidsmonitor_values": "_vm_checked"}


def check_edition(path: Path) -> list[dict]:
    """Run the mart suites on a built edition file; returns the findings (empty = all good)."""
    try:
        con = connect(path, read_only=True)
    except duckdb.Error as exc:
        raise GvbError(f"de gebouwde editie {path} is niet te openen: {exc}") from None
    try:
        findings = []
        for name, table in checked_marts(con).items():
            outcome = run_suite_sql(con, load_suite(name), table, [POSITION], CELL, position=POSITION)
            findings.extend(f.as_json() for f in outcome.findings)
        return findings
    finally:
        con.close()
