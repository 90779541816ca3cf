"""Coverage: which gemeente-periods a source did not deliver (DESIGN §5, "Coverage").

A source whose contract says an absent gemeente means "not delivered" (police tables, Burgernet)
must have every gemeente of the region for every period it delivers. A gemeente of today's
indeling is delivered for a period when, in one indeling the rows of that period are in, every
code that makes up its area was delivered (Voorne aan Zee in 2022: Brielle, Hellevoetsluis and
Westvoorne; or GM1992 itself in a "gemeente 2026" table).

One definition serves both validation (a blocking finding naming file, gemeente and period) and
the build (the mart shows "geen cijfer" and computes nothing from it).
"""

from __future__ import annotations

from functools import cache

import duckdb
import pandas as pd

from pipeline.kernel.sources import SOURCES, Source
from pipeline.reference import Reference

COLUMNS = ["bron", "periode", "gemeente_code", "ontbreekt", "bron_bestand"]


@cache
def _contributors(ref: Reference, year: int, until_year: int) -> dict[str, frozenset[str]]:
    """Per gemeente of ``until_year``: the codes of ``year`` whose area it (partly) holds."""
    parts: dict[str, set[str]] = {}
    for gemeente in ref.gemeenten.values():
        if gemeente.exists_in(year):
            for current in ref.current_shares(gemeente.code, until_year):
                parts.setdefault(current, set()).add(gemeente.code)
    return {code: frozenset(codes) for code, codes in parts.items()}


def coverage(
    con: duckdb.DuckDBPyConnection, source: Source, relation: str, ref: Reference, region: str, indeling_year: int
) -> pd.DataFrame:
    """One row per delivered period and gemeente of the region (indeling ``indeling_year``):
    ``ontbreekt`` is empty when delivered, else says what is missing."""
    if source.absent_gemeente != "not_delivered":
        return pd.DataFrame(columns=COLUMNS)
    has_indeling = "indeling" in {c.name for c in source.columns}
    year = "try_cast(substr(periode, 1, 4) as integer)"
    if has_indeling:
        year = f"coalesce(indeling, {year})"
    rows = con.execute(
        f"""select periode, {year} as ind, list(distinct gemeente_code), list(distinct bron_bestand)
            from {relation} where gemeente_code is not null and periode is not null group by all"""
    ).fetchall()
    current = sorted(ref.region_members(region, indeling_year))
    names = {code: ref.gemeente(code).naam for code in current}
    by_period: dict[str, list[tuple[int, set[str], set[str]]]] = {}
    for periode, ind, codes, files in rows:
        by_period.setdefault(periode, []).append((ind, set(codes), set(files)))
    out = []
    for periode, groups in sorted(by_period.items()):
        files = ", ".join(sorted({f for _, _, fs in groups for f in fs}))
        main_ind, main_codes, _ = max(groups, key=lambda g: len(g[1]))
        for code in current:
            complete = False
            for ind, codes, _ in groups:
                needed = _contributors(ref, ind, indeling_year).get(code, frozenset())
                if needed and needed <= codes:
                    complete = True
                    break
            if complete:
                out.append((source.name, periode, code, None, files))
                continue
            lacking = sorted(_contributors(ref, main_ind, indeling_year).get(code, frozenset()) - main_codes)
            detail = ""
            if lacking and lacking != [code]:
                detail = ": geen rijen van " + ", ".join(
                    f"{ref.gemeente(c).naam} ({c})" for c in lacking if ref.gemeente(c)
                )
            out.append((source.name, periode, code, f"{names[code]} ({code}) in {periode}{detail}", files))
    return pd.DataFrame(out, columns=COLUMNS)


def coverage_by_source(
    con: duckdb.DuckDBPyConnection, ref: Reference, region: str, indeling_year: int, schema: str = ""
) -> dict[str, pd.DataFrame]:
    """:func:`coverage` of every source that must deliver every gemeente and has rows, by source
    name; ``schema`` is where the ``raw_<bron>`` views are (``raw.`` in a build)."""
    frames = {}
    for source in SOURCES.values():
        frame = coverage(con, source, f"{schema}{source.view}", ref, region, indeling_year)
        if len(frame):
            frames[source.name] = frame
    return frames
