"""Checks on a built edition before it is published: the mart suites run on DataFrames of the
marts with helper columns for the rules that span rows (sums, suppression, rates)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from pipeline.errors import GvbError

INDICATOR_VALUE_HELPERS = ("_rate_ok", "_som_ok", "_klein_gevoelig", "_af_te_leiden")
SURVEY_HELPERS = ("_binnen_bereik", "_interval_ok")


def indicator_values_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = con.execute(
        """
        select
            v.*,
            b.denominator as _noemer,
            i.gevoeligheid = 'gevoelig' as _gevoelig,
            i.aggregatie as _aggregatie
        from indicator_values v
        left join int_indicator_basis b using (level, area_code, period, indicator_code)
        join ref_indicatoren i using (indicator_code)
        """
    ).df()
    expected_rate = 1000 * frame["value"] / frame["_noemer"]
    frame["_rate_ok"] = (
        frame["rate_per_1000"].isna() | ((frame["rate_per_1000"] - expected_rate).abs() < 1e-3)
    ).astype(bool)
    frame["_klein_gevoelig"] = (
        (frame["_gevoelig"] & (frame["level"] == "gemeente") & frame["value"].between(1, 4)).fillna(False).astype(bool)
    )
    n_districts = con.execute(
        "select count(*) from ref_districten where eenheid_code = (select region from build_params)"
    ).fetchall()[0][0]
    frame["_som_ok"] = _sums_ok(frame, n_districts)
    frame["_af_te_leiden"] = _recoverable(frame)
    return frame.drop(columns=["_noemer", "_gevoelig", "_aggregatie"])


def _sums_ok(frame: pd.DataFrame, n_districts: int) -> pd.Series:
    """eenheid = Σ gemeenten = Σ districts for additive counts where nothing is suppressed."""
    ok = pd.Series(True, index=frame.index)
    additive = (frame["_aggregatie"] == "som") & (frame["unit"] == "aantal")
    gemeenten = frame[additive & (frame["level"] == "gemeente")]
    by_gemeente = gemeenten.groupby(["indicator_code", "period"]).agg(
        total=("value", "sum"), hidden=("suppressed", "any")
    )
    districts = frame[additive & (frame["level"] == "district")]
    by_district = districts.groupby(["indicator_code", "period"]).agg(
        total=("value", "sum"), n=("area_code", "nunique")
    )
    eenheid = frame[additive & (frame["level"] == "eenheid")]
    for index, row in eenheid.iterrows():
        key = (row["indicator_code"], row["period"])
        if key in by_gemeente.index and not by_gemeente.loc[key, "hidden"]:
            ok[index] = abs(by_gemeente.loc[key, "total"] - row["value"]) < 1e-6
        if ok[index] and key in by_district.index and by_district.loc[key, "n"] == n_districts:
            ok[index] = abs(by_district.loc[key, "total"] - row["value"]) < 1e-6
    return ok


def _recoverable(frame: pd.DataFrame) -> pd.Series:
    """True for a suppressed gemeente cell that a published total minus published cells reveals."""
    from pipeline.suppress import ROTTERDAM_DISTRICTS

    flagged = pd.Series(False, index=frame.index)
    gemeenten = frame[frame["level"] == "gemeente"]
    totals = set(
        zip(frame.loc[frame["level"] != "gemeente", "area_code"], frame.loc[frame["level"] != "gemeente", "period"],
            frame.loc[frame["level"] != "gemeente", "indicator_code"], strict=True)
    )  # fmt: skip
    eenheid_code = frame.loc[frame["level"] == "eenheid", "area_code"]
    eenheid_code = eenheid_code.iloc[0] if len(eenheid_code) else None
    groupings = [(gemeenten, ["indicator_code", "period"], lambda key: (eenheid_code, key[1], key[0]))]
    in_district = gemeenten[gemeenten["district_code"].notna() & ~gemeenten["district_code"].isin(ROTTERDAM_DISTRICTS)]
    groupings.append((in_district, ["indicator_code", "period", "district_code"], lambda key: (key[2], key[1], key[0])))
    for data, keys, total_of in groupings:
        hidden = data.groupby(keys)["suppressed"].transform("sum")
        for index in data.index[(hidden == 1) & data["suppressed"]]:
            key = tuple(data.loc[index, keys])
            if total_of(key) in totals:
                flagged[index] = True
    halves = gemeenten[gemeenten["period_type"] == "halfjaar"].assign(jaar=lambda f: f["period"].str.slice(0, 4))
    published_years = set(
        zip(gemeenten.loc[(gemeenten["period_type"] == "jaar") & ~gemeenten["suppressed"], "area_code"],
            gemeenten.loc[(gemeenten["period_type"] == "jaar") & ~gemeenten["suppressed"], "period"],
            gemeenten.loc[(gemeenten["period_type"] == "jaar") & ~gemeenten["suppressed"], "indicator_code"], strict=True)
    )  # fmt: skip
    counts = halves.groupby(["area_code", "jaar", "indicator_code"])["suppressed"].agg(["sum", "count"])
    for index in halves.index[halves["suppressed"]]:
        key = (halves.loc[index, "area_code"], halves.loc[index, "jaar"], halves.loc[index, "indicator_code"])
        if counts.loc[key, "sum"] == 1 and counts.loc[key, "count"] == 2 and key in published_years:
            flagged[index] = True
    return flagged


def survey_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = con.execute(
        "select v.*, i.max_waarde as _max from veiligheidsmonitor_values v join ref_indicatoren i using (indicator_code)"
    ).df()
    frame["_binnen_bereik"] = (
        frame["value"].isna() | ((frame["value"] >= 0) & (frame["value"] <= frame["_max"]))
    ).astype(bool)
    frame["_interval_ok"] = (
        frame["value"].isna() | ((frame["lower"] <= frame["value"] + 1e-9) & (frame["value"] <= frame["upper"] + 1e-9))
    ).astype(bool)
    return frame.drop(columns=["_max"])


def check_edition(path: Path) -> list[dict]:
    """Run the mart suites on a built edition file; returns the findings (empty = all good)."""
    from pipeline.validate.gx_runtime import new_context, run_suite
    from pipeline.validate.suites import load_suite

    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise GvbError(f"de gebouwde editie {path} is niet te openen: {exc}") from None
    try:
        frames = {"indicator_values": indicator_values_frame(con), "veiligheidsmonitor_values": survey_frame(con)}
    finally:
        con.close()
    context = new_context()
    findings = []
    for name, frame in frames.items():
        outcome = run_suite(context, load_suite(name), frame)
        findings.extend(f.as_json() for f in outcome.findings)
    return findings
