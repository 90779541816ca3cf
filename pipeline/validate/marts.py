"""Checks on a built edition before it is published: the mart suites run on DataFrames of the
marts with helper columns for the rules that span rows (sums, suppression, rates)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from pipeline.kernel.errors import GvbError
from pipeline.kernel.store import connect
from pipeline.validate.suites import load_suite


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
        (frame["_gevoelig"] & frame["level"].isin(["gemeente", "niet toe te delen"]) & frame["value"].between(1, 4))
        .fillna(False)
        .astype(bool)
    )
    n_districts = con.execute(
        "select count(*) from ref_districten where eenheid_code = (select region from build_params)"
    ).fetchall()[0][0]
    frame["_som_ok"] = _sums_ok(frame, n_districts)
    frame["_af_te_leiden"] = _recoverable(frame)
    return frame.drop(columns=["_noemer", "_gevoelig", "_aggregatie"])


def _sums_ok(frame: pd.DataFrame, n_districts: int) -> pd.Series:
    """eenheid = Σ gemeenten + niet toe te delen = Σ districts + the parts no district holds, for
    additive counts where nothing is suppressed (districts only when every district has a figure).

    'Niet toe te delen' rows: ``<region>-NTD`` is what a source's own eenheid total holds beyond its
    gemeenten; ``<GM>-ZB`` what a gemeente's total holds beyond its buurten, which no district holds
    when the gemeente is split over districts (Rotterdam, no district of its own)."""
    keys = ["indicator_code", "period"]
    additive = (frame["_aggregatie"] == "som") & (frame["unit"] == "aantal")
    rest = frame["level"] == "niet toe te delen"
    eenheid_rest = rest & frame["area_code"].str.endswith("-NTD")
    outside_districts = eenheid_rest | (rest & frame["district_code"].isna())

    gemeenten = (
        frame[additive & ((frame["level"] == "gemeente") | eenheid_rest)]
        .groupby(keys)
        .agg(g_total=("value", "sum"), g_hidden=("suppressed", "any"))
    )
    districts = (
        frame[additive & (frame["level"] == "district")]
        .groupby(keys)
        .agg(d_total=("value", "sum"), d_n=("value", "count"), d_hidden=("suppressed", "any"))
    )
    # an eenheid without a figure (a gemeente not delivered) has nothing to add up to
    eenheid = frame.loc[additive & (frame["level"] == "eenheid") & frame["value"].notna(), [*keys, "value"]]
    eenheid = eenheid.reset_index()
    merged = (
        eenheid.merge(gemeenten, on=keys, how="left")
        .merge(districts, on=keys, how="left")
        .merge(frame[additive & outside_districts].groupby(keys).agg(d_rest=("value", "sum")), on=keys, how="left")
    )
    bad_g = (
        merged["g_total"].notna()
        & ~merged["g_hidden"].fillna(True).astype(bool)
        & ((merged["g_total"] - merged["value"]).abs() > 1e-6)
    )
    complete = (merged["d_n"] == n_districts) & ~merged["d_hidden"].fillna(True).astype(bool)
    d_total = merged["d_total"] + merged["d_rest"].fillna(0)
    bad_d = complete & ((d_total - merged["value"]).abs() > 1e-6)
    ok = pd.Series(True, index=frame.index)
    ok[merged.loc[bad_g | bad_d, "index"].to_numpy()] = False
    return ok


def _recoverable(frame: pd.DataFrame) -> pd.Series:
    """True for a suppressed gemeente cell that a published total minus published cells reveals."""
    from pipeline.reference import reference

    g = frame[frame["level"] == "gemeente"].reset_index()
    flagged = pd.Series(False, index=frame.index)
    published = frame[(frame["level"] != "gemeente") & ~frame["suppressed"]]
    eenheid = published.loc[published["level"] == "eenheid", ["indicator_code", "period"]].assign(_total=True)
    districts = (
        published.loc[published["level"] == "district", ["indicator_code", "period", "area_code"]]
        .rename(columns={"area_code": "district_code"})
        .assign(_total=True)
    )
    # one hidden cell among the terms of a published eenheid total: its gemeenten and the part of a
    # source's own total in no gemeente
    terms = frame[(frame["level"] == "gemeente") | frame["area_code"].str.endswith("-NTD")].reset_index()
    terms["_hidden_e"] = terms.groupby(["indicator_code", "period"])["suppressed"].transform("sum")
    e = terms.merge(eenheid, on=["indicator_code", "period"], how="left")
    hit = e["suppressed"] & (e["_hidden_e"] == 1) & e["_total"].fillna(False).astype(bool)
    flagged[e.loc[hit, "index"].to_numpy()] = True
    # one hidden cell among the gemeenten of a published district total (Rotterdam's districts excepted)
    in_district = g[g["district_code"].notna() & ~g["district_code"].isin(reference().rotterdam_districts)].copy()
    in_district["_hidden_d"] = in_district.groupby(["indicator_code", "period", "district_code"])[
        "suppressed"
    ].transform("sum")
    d = in_district.merge(districts, on=["indicator_code", "period", "district_code"], how="left")
    hit = d["suppressed"] & (d["_hidden_d"] == 1) & d["_total"].fillna(False).astype(bool)
    flagged[d.loc[hit, "index"].to_numpy()] = True
    # a published year minus its one published half-year
    halves = g[g["period_type"] == "halfjaar"].assign(jaar=lambda f: f["period"].str.slice(0, 4))
    stats = halves.groupby(["area_code", "jaar", "indicator_code"])["suppressed"].agg(["sum", "count"]).reset_index()
    years = (
        g.loc[(g["period_type"] == "jaar") & ~g["suppressed"], ["area_code", "period", "indicator_code"]]
        .rename(columns={"period": "jaar"})
        .assign(_year=True)
    )
    h = halves.merge(stats, on=["area_code", "jaar", "indicator_code"]).merge(
        years, on=["area_code", "jaar", "indicator_code"], how="left"
    )
    hit = h["suppressed"] & (h["sum"] == 1) & (h["count"] == 2) & h["_year"].fillna(False).astype(bool)
    flagged[h.loc[hit, "index"].to_numpy()] = True
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

    try:
        con = connect(path, read_only=True)
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
