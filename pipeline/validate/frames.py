"""The DataFrames Great Expectations validates: canonical rows plus helper columns.

GX checks one column at a time; rules that need the reference data ("does this gemeente code
exist in this period's year?") or other rows ("is this figure ten times last year's?") are
computed here as helper columns (prefixed ``_``) that the suites then check.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from pipeline.ingest.normalise import AREA_PATTERN, PERIOD_KINDS
from pipeline.periods import parse_period
from pipeline.reference import Reference
from pipeline.rollups import rollup_mixed
from pipeline.sources import Source

#: a figure is compared with the same period a year earlier only when one of them is at least this
MIN_FOR_JUMP = 20
#: a code's share is compared with last year's only when both counts are at least this
MIN_FOR_SHARE = 50

ROW_HELPERS = ("_periode_ok", "_gebied_ok", "_periode_index")
TREND_HELPERS = ("_sprongfactor", "_ontbrekende_maanden", "_aandeel_sprong")


def period_index(period: str) -> int | None:
    """Months since year 0 of the last month of a period (comparable across period kinds)."""
    parsed = parse_period(period)
    return None if parsed is None else parsed.end.year * 12 + parsed.end.month


def add_row_helpers(source: Source, frame: pd.DataFrame, ref: Reference, region: str, today: dt.date) -> pd.DataFrame:
    """Row-level helper columns for the blocking rules."""
    frame = frame.copy()
    periods = frame["periode"].astype("string").fillna("")
    parsed = {p: parse_period(p) for p in periods.unique()}
    allowed = PERIOD_KINDS[source.name]
    ok = {p: v is not None and v.kind in allowed and v.start <= today for p, v in parsed.items()}
    # dictionaries, not lambdas: pandas maps a dict in one vectorised lookup
    index_of = {p: v.end.year * 12 + v.end.month if v else 0 for p, v in parsed.items()}
    year_of = {p: v.year if v else 0 for p, v in parsed.items()}
    frame["_periode_ok"] = periods.map(ok).astype("bool")
    frame["_periode_index"] = periods.map(index_of).astype("int64")
    years = periods.map(year_of).astype("int64")
    area = frame[source.area_column].astype("string").fillna("")
    if source.name == "veiligheidsmonitor":
        valid_format = area.str.fullmatch(r"GM\d{4}|RE\d{2}|NL").fillna(False) | area.isin(list(ref.districten))
    else:
        valid_format = area.str.fullmatch(AREA_PATTERN[1:-1]).fillna(False)
    keys = pd.DataFrame({"g": frame["gemeente_code"].astype("string").fillna("").to_numpy(), "y": years.to_numpy()})
    unique = keys.drop_duplicates().copy()
    unique["ok"] = [
        (not g) or (ref.gemeente(g) is not None and ref.gemeente(g).exists_in(int(y)))
        for g, y in unique.itertuples(index=False)
    ]
    exists = keys.merge(unique, on=["g", "y"], how="left")["ok"].to_numpy(dtype=bool)
    frame["_gebied_ok"] = valid_format.to_numpy(dtype=bool) & exists
    if source.name in ("politie_misdrijven", "politie_incidenten"):
        frame["_totaal_gemengd"] = rollup_mixed(frame)
    if source.name == "veiligheidsmonitor":
        catalogue = {i.code: i for i in ref.indicators}
        low = frame["indicator_code"].map(lambda c: catalogue[c].min_waarde if c in catalogue else None)
        high = frame["indicator_code"].map(lambda c: catalogue[c].max_waarde if c in catalogue else None)
        value = frame["waarde"].astype("Float64")
        inside = value.isna() | (
            (low.isna() | (value >= low.astype("Float64"))) & (high.isna() | (value <= high.astype("Float64")))
        )
        frame["_binnen_bereik"] = inside.fillna(True).astype("bool")
    return frame


def add_trend_helpers(source: Source, frame: pd.DataFrame) -> pd.DataFrame:
    """Helper columns for the warnings: jumps against last year, missing months, share jumps."""
    frame = frame.copy()
    for column in TREND_HELPERS:
        frame[column] = np.nan
    if source.name == "veiligheidsmonitor" or frame.empty:
        frame["_ontbrekende_maanden"] = 0
        return frame
    measure = source.measures[0]
    police = source.name in ("politie_misdrijven", "politie_incidenten")
    keys = ["gemeente_code", "periode"]
    # police: a gemeente's total (0.0.0); partners: every measure, the most extreme jump counts
    basis = frame[frame["soort_code"] == "0.0.0"] if police else frame
    measures = [measure] if police else list(source.measures)
    totals = basis.groupby(keys, dropna=False)[measures].sum().astype("float64").reset_index()
    previous = totals.rename(columns={"periode": "vorig", **{m: f"{m}__prev" for m in measures}})
    totals["vorig"] = totals["periode"].map(_same_period_last_year)
    merged = totals.merge(previous, on=["gemeente_code", "vorig"], how="left")
    worst = pd.Series(np.nan, index=merged.index)
    for m in measures:
        cur, prev = merged[m], merged[f"{m}__prev"]
        big = pd.concat([cur, prev], axis=1).max(axis=1) >= MIN_FOR_JUMP
        factor = (cur / prev.where(prev > 0, np.nan)).where(prev > 0, cur)  # from 0 to many: the count itself
        factor = factor.where(big & prev.notna())
        extreme = np.abs(np.log(factor.clip(lower=1e-9))) > np.abs(np.log(worst.clip(lower=1e-9))).fillna(-1)
        worst = factor.where(extreme & factor.notna(), worst)
    merged["_sprongfactor"] = worst
    frame["_sprongfactor"] = _lookup(frame, keys, merged, "_sprongfactor")

    months = frame["periode"].astype("string")
    monthly = months.str.fullmatch(r"\d{4}-\d{2}").fillna(False)
    if monthly.any():
        present = frame.loc[monthly, ["gemeente_code", "periode"]].drop_duplicates()
        present["jaar"] = present["periode"].str.slice(0, 4)
        present["maand"] = present["periode"].str.slice(5, 7).astype("int64")
        last_month = present.groupby("jaar")["maand"].max().rename("laatste")
        first_month = present.groupby("jaar")["maand"].min().rename("eerste")
        counts = present.groupby(["gemeente_code", "jaar"])["maand"].nunique().rename("aanwezig").reset_index()
        counts = counts.join(last_month, on="jaar").join(first_month, on="jaar")
        counts["_ontbrekende_maanden"] = (counts["laatste"] - counts["eerste"] + 1 - counts["aanwezig"]).astype("int64")
        frame["jaar"] = months.str.slice(0, 4)
        frame["_ontbrekende_maanden"] = _lookup(frame, ["gemeente_code", "jaar"], counts, "_ontbrekende_maanden")
        frame = frame.drop(columns=["jaar"])
    frame["_ontbrekende_maanden"] = frame["_ontbrekende_maanden"].fillna(0).astype("int64")

    if police:
        frame["jaar"] = months.str.slice(0, 4)
        detail = frame[frame["soort_code"] != "0.0.0"]
        by_code = detail.groupby(["gemeente_code", "jaar", "soort_code"])[measure].sum().rename("n").reset_index()
        by_code["share"] = by_code["n"] / by_code.groupby(["gemeente_code", "jaar"])["n"].transform("sum")
        # only whole years are compared: a half-delivered year has another seasonal mix
        months_in_year = detail.groupby("jaar")["periode"].nunique()
        whole = {
            year
            for year, n in months_in_year.items()
            if n == 12 or not str(detail.loc[detail["jaar"] == year, "periode"].iloc[0])[4:]
        }
        by_code = by_code[by_code["jaar"].isin(whole)]
        prev = by_code[["gemeente_code", "jaar", "soort_code", "n", "share"]].rename(
            columns={"jaar": "vorig", "n": "n_prev", "share": "share_prev"}
        )
        by_code["vorig"] = (by_code["jaar"].astype(int) - 1).astype(str)
        joined = by_code.merge(prev, on=["gemeente_code", "vorig", "soort_code"], how="left")
        enough = (joined["n"] >= MIN_FOR_SHARE) & (joined["n_prev"] >= MIN_FOR_SHARE)
        joined["_aandeel_sprong"] = (joined["share"] / joined["share_prev"]).where(enough)
        frame["_aandeel_sprong"] = _lookup(frame, ["gemeente_code", "jaar", "soort_code"], joined, "_aandeel_sprong")
        frame = frame.drop(columns=["jaar"])
    return frame


def _lookup(frame: pd.DataFrame, keys: list[str], table: pd.DataFrame, column: str) -> np.ndarray:
    """``column`` of ``table`` for every row of ``frame`` (by ``keys``), without copying the frame."""
    right = table[[*keys, column]].drop_duplicates(subset=keys)
    return frame[keys].merge(right, on=keys, how="left")[column].to_numpy()


def _same_period_last_year(period: str) -> str | None:
    parsed = parse_period(period)
    if parsed is None:
        return None
    if parsed.kind == "month":
        return f"{parsed.year - 1}-{parsed.start.month:02d}"
    if parsed.kind == "half":
        return f"{parsed.year - 1}{period[4:]}"
    return str(parsed.year - 1)


def validation_frame(
    source: Source, rows: pd.DataFrame, ref: Reference, region: str, today: dt.date, with_trends: bool = True
) -> pd.DataFrame:
    """Rows of one source (from the store, or a file about to be loaded) with all helper columns."""
    from pipeline.validate.suites import frame_columns

    frame = add_row_helpers(source, rows, ref, region, today)
    if with_trends:
        frame = add_trend_helpers(source, frame)
    else:
        for column in TREND_HELPERS:
            frame[column] = np.nan
    for column in frame_columns(source):
        if column not in frame:
            frame[column] = pd.NA
    for column in source.columns:
        # integer columns without gaps as numpy int64, so GX sees their type as such
        if column.kind == "count" and frame[column.name].notna().all():
            frame[column.name] = frame[column.name].astype("int64")
    return frame[frame_columns(source)].reset_index(drop=True)
