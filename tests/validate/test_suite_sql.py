"""The suites' rules run as SQL give exactly the findings Great Expectations gives on the same rows.

Ingest checks every file with the blocking rules of its source's suite in SQL (``suite_sql``);
``gvb validate`` runs the same suite in GX. Both must refuse the same rows for the same reasons,
naming the same rows: here every blocking rule of every delivered source is broken on purpose and
both routes are compared finding by finding.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from pipeline.ingest.normalise import normalise
from pipeline.ingest.readers import read_delivery
from pipeline.kernel.config import settings
from pipeline.kernel.sources import SOURCES
from pipeline.kernel.store import connect
from pipeline.reference import reference
from pipeline.validate.frames import POSITION, checked_rows, validation_frame
from pipeline.validate.gx_runtime import new_context, run_suite
from pipeline.validate.suite_sql import run_suite_sql
from pipeline.validate.suites import load_suite

TODAY = dt.date(2026, 11, 24)
FILES = {
    "politie_misdrijven": "politie_misdrijven/*wijk*.csv",
    "politie_incidenten": "politie_incidenten/*wijk*.csv",
    "halt": "halt/*2024.xlsx",
    "riec": "riec/*2023.csv",
    "veiligheidshuis": "veiligheidshuis/*2025.csv",
    "burgernet": "burgernet/*2021.csv",
    "veiligheidsmonitor": "veiligheidsmonitor/*2023.csv",
}


@pytest.fixture(scope="module")
def context():
    return new_context()


def _clean_rows(demo_dir: Path, source_name: str, gvb_home: Path) -> pd.DataFrame:
    path = next(demo_dir.glob(FILES[source_name]))
    normalised = normalise(read_delivery(path, path.parent.name), path.name, reference(), settings().region, TODAY)
    assert normalised.source.name == source_name
    return normalised.frame.head(400).copy()


def _broken(rows: pd.DataFrame, source_name: str) -> pd.DataFrame:
    """The same rows with every blocking rule of the source broken at least once."""
    source = SOURCES[source_name]
    rows = rows.copy()
    rows.loc[1, "periode"] = None
    rows.loc[2, "periode"] = "2024-13"
    rows.loc[3, "periode"] = "2099-01" if "month" in _kinds(source_name) else "2099H1"
    rows.loc[4, source.area_column] = "GM9999"
    rows.loc[5, source.area_column] = "XX12"
    for column in source.columns:
        if column.kind == "count":
            rows.loc[6, column.name] = -3
            rows.loc[7, column.name] = None
        if column.values:
            rows.loc[8, column.name] = "onzin"
    if source_name in ("politie_misdrijven", "politie_incidenten"):
        rows.loc[9, "soort_code"] = "9.9.9"
        rows.loc[10, "soort_code"] = None
        # a gemeente's total beside one of its own wijken, same period and code
        wijk = rows[rows["gebied_code"].str.startswith("WK")].iloc[0]
        total = wijk.copy()
        total["gebied_code"] = "GM" + wijk["gebied_code"][2:6]
        rows = pd.concat([rows, total.to_frame().T.astype(rows.dtypes.to_dict())], ignore_index=True)
    if source_name == "veiligheidsmonitor":
        rows.loc[9, "indicator_code"] = "VM_ONBEKEND"
        rows.loc[10, "waarde"] = 150.0
        rows.loc[11, "marge"] = -1.0
    # a key delivered twice
    rows = pd.concat([rows, rows.iloc[[20, 21]]], ignore_index=True)
    return rows


def _kinds(source_name: str) -> set[str]:
    from pipeline.kernel.sources import PERIOD_KINDS

    return set(PERIOD_KINDS[source_name])


def _with_lineage(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.assign(load_id=0, bron_bestand="levering.csv", bron_sha256="abc", geladen_op=pd.Timestamp("2026-11-24"))


def _gx(context, source_name: str, rows: pd.DataFrame) -> list[tuple]:
    frame = validation_frame(SOURCES[source_name], _with_lineage(rows), reference(), TODAY, with_trends=False)
    outcome = run_suite(context, load_suite(source_name), frame, only_blocking=True)
    return _comparable(outcome)


def _sql(source_name: str, rows: pd.DataFrame) -> list[tuple]:
    con = connect()
    try:
        relation = checked_rows(con, SOURCES[source_name], _with_lineage(rows), reference(), TODAY)
        outcome = run_suite_sql(
            con,
            load_suite(source_name),
            relation,
            order_by=[POSITION],
            index_columns=["bron_bestand", "bron_rij"],
            only_blocking=True,
            position=POSITION,
        )
    finally:
        con.close()
    return _comparable(outcome)


def _comparable(outcome) -> list[tuple]:
    return sorted(
        (
            f.expectation,
            f.kolom,
            f.regel,
            f.omschrijving,
            f.aantal,
            tuple(tuple(sorted(e.items())) for e in f.voorbeelden),
        )
        for f in outcome.findings
    )


@pytest.mark.parametrize("source_name", sorted(FILES))
def test_sql_and_gx_refuse_the_same_rows_for_the_same_reasons(
    source_name: str, demo_dir: Path, gvb_home: Path, context
) -> None:
    clean = _clean_rows(demo_dir, source_name, gvb_home)
    assert _sql(source_name, clean) == [] == _gx(context, source_name, clean)
    broken = _broken(clean, source_name)
    sql = _sql(source_name, broken)
    assert sql == _gx(context, source_name, broken)
    # and the planted faults were found: the route is not merely agreeing on nothing
    rules = {finding[2] for finding in sql}
    assert {"perioden", "codes", "aantallen", "dubbele rijen", "schema"} <= rules
    assert any(finding[4] and finding[5] for finding in sql)
    if source_name.startswith("politie"):
        assert "totaal gemengd met delen" in rules


def test_a_count_that_is_not_a_whole_number_is_refused_by_both(demo_dir: Path, gvb_home: Path, context) -> None:
    rows = _clean_rows(demo_dir, "halt", gvb_home)
    rows["aantal"] = rows["aantal"].astype("float64") + 0.5
    sql = _sql("halt", rows)
    assert (
        [f[0] for f in sql] == [f[0] for f in _gx(context, "halt", rows)] == ["expect_column_values_to_be_in_type_list"]
    )


def test_the_mart_suites_give_the_same_findings_in_sql_and_gx(home: Path, run_gvb_in, context) -> None:
    """The check before publishing runs the mart suites as SQL; GX finds the same on planted faults."""
    import duckdb

    from pipeline.validate.marts import CELL, POSITION, checked_marts

    run_gvb_in(home, "build", "--edition", "2025H1")
    con = duckdb.connect(str(home / "bouw" / "gvb_2025H1.duckdb"))
    try:
        con.execute("select setseed(0.5)")
        # hidden cells shown, published cells hidden, sums and rates broken, a small sensitive count shown
        con.execute(
            """create or replace table indicator_values as
            select v.* exclude (r) replace (
                case when r < 0.03 then not v.suppressed else v.suppressed end as suppressed,
                case when r < 0.03 and v.suppressed then b.value
                     when r < 0.03 then null
                     when r < 0.04 and v.value is not null then v.value + 1 else v.value end as value,
                case when r between 0.04 and 0.05 then v.rate_per_1000 + 0.5 else v.rate_per_1000 end as rate_per_1000,
                case when r between 0.05 and 0.051 then 'onbekend' else v.change_label end as change_label)
            from (select *, random() as r from indicator_values) v
            left join int_indicator_basis b using (level, area_code, period, indicator_code)"""
        )
        con.execute("insert into indicator_values select * from indicator_values limit 3")  # duplicate cells
        tables = checked_marts(con)
        for name, table in tables.items():
            sql = _comparable(run_suite_sql(con, load_suite(name), table, [POSITION], CELL, position=POSITION))
            frame = con.execute(f"select * exclude ({POSITION}) from {table} order by {POSITION}").df()
            assert sql == _comparable(run_suite(context, load_suite(name), frame)), name
            if name == "indicator_values":
                found = {finding[1] for finding in sql}
                assert {"_som_ok", "_rate_ok", "_af_te_leiden", "_klein_gevoelig", "change_label"} <= found
                assert "level,area_code,period,indicator_code" in found
    finally:
        con.close()
