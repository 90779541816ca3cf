"""The audit of a whole table of figures: which cells it covers, its checksum, and the verdict.

Used twice: by the build (``pipeline.build.suppress``) on the unsuppressed figures while it chooses the
suppressions, and by ``gvb publish`` on the public ``indicator_values`` alone. The audit is
deterministic, so publish reuses the build's verdict when the public table has exactly the
checksum the build audited (same cells, same published values, same hidden cells, same code);
otherwise it audits the public table itself.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from pipeline.build.disclosure.audit import Interval, audit, solver_pool
from pipeline.build.disclosure.relations import Key, Relation, families, family_closure, relations, rows
from pipeline.kernel.errors import GvbError
from pipeline.reference import reference

KEY_COLUMNS = ["level", "area_code", "period", "indicator_code"]
CELL_COLUMNS = ["level", "area_code", "district_code", "period", "period_type", "indicator_code"]
#: the code whose change changes a verdict
_CODE = [
    *sorted((Path(__file__).parent).glob("*.py")),
    Path(__file__).parents[1] / "suppress.py",
    Path(__file__).parents[2] / "reference" / "data" / "district_indeling.csv",
]
#: where the build writes its verdict (not a public table)
VERDICT_TABLE = "int_suppression_audit"


@dataclass(frozen=True)
class Verdict:
    checksum: str
    audited: int  # hidden cells audited
    failing: list[Interval]


def cells_in_scope(cells: pd.DataFrame, filters: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """The cells of sensitive indicators and of the indicators they add up with, in a fixed order
    (the same figures give the same relations, solutions and suppressions)."""
    sensitive = set(indicators.loc[indicators["gevoeligheid"] == "gevoelig", "indicator_code"])
    linked = family_closure(sensitive, families(filters))
    return cells[cells["indicator_code"].isin(linked)].sort_values(KEY_COLUMNS, kind="stable")


def scope(
    cells: pd.DataFrame, filters: pd.DataFrame, indicators: pd.DataFrame
) -> tuple[pd.DataFrame, list[Relation], set[str]]:
    """:func:`cells_in_scope`, their relations, and the sensitive indicator codes.
    ``indicators``: indicator_code, gevoeligheid, aggregatie."""
    sensitive = set(indicators.loc[indicators["gevoeligheid"] == "gevoelig", "indicator_code"])
    in_scope = cells_in_scope(cells, filters, indicators)
    linked = set(in_scope["indicator_code"].unique())
    additive = set(indicators.loc[indicators["aggregatie"] == "som", "indicator_code"])
    filters = filters[filters["indicator_code"].isin(linked)].sort_values(list(filters.columns), kind="stable")
    return in_scope, relations(in_scope, reference(), filters, additive), sensitive


def checksum(cells: pd.DataFrame, published: pd.Series, hidden: pd.Series) -> str:
    """sha256 over what the audit sees: every cell, its published value (or none), whether it is
    hidden, and the code and reference facts the relations come from. Independent of row order."""
    digest = hashlib.sha256()
    for path in _CODE:
        digest.update(path.read_bytes())
    hidden = hidden.fillna(False).astype(bool)
    frame = cells[CELL_COLUMNS].astype("string").fillna("")
    frame["value"] = published.where(published.notna() & ~hidden).astype("Float64").round(9).astype("string")
    frame["value"] = frame["value"].fillna("")
    frame["hidden"] = hidden.astype("string")
    rows = pd.util.hash_pandas_object(frame.reset_index(drop=True), index=False).to_numpy()
    digest.update(str(len(rows)).encode())
    digest.update(np.sort(rows).tobytes())
    return digest.hexdigest()


def audit_values(values: pd.DataFrame, filters: pd.DataFrame, indicators: pd.DataFrame) -> Verdict:
    """The audit of a public table (columns of ``indicator_values``: the cells, ``value``,
    ``suppressed``), from nothing but that table and the public indicator definitions."""
    cells, rels, _ = scope(values, filters, indicators)
    hidden = cells["suppressed"].fillna(False).astype(bool)
    keys = rows(cells, KEY_COLUMNS)
    known = {
        key: float(value)
        for key, value, is_hidden in zip(keys, cells["value"], hidden, strict=True)
        if not is_hidden and value == value and value is not None
    }
    hidden_keys = [key for key, is_hidden in zip(keys, hidden, strict=True) if is_hidden]
    with solver_pool() as pool:
        intervals, broken = audit(rels, known, hidden_keys, pool=pool)
    if broken:
        first = broken[0]
        raise GvbError(
            f"controle op afscherming: {len(broken)} optelling(en) in de tabel kloppen niet, bv. {_cell(first.relation.total)}"
            f" ≠ de som van zijn delen (verschil {first.difference:g})"
        )
    failing = sorted((iv for iv in intervals.values() if not iv.protected), key=lambda iv: iv.cell)
    return Verdict(checksum(cells, cells["value"], hidden), len(hidden_keys), failing)


def _cell(key: Key) -> str:
    level, area, period, indicator = key
    return f"{indicator} {level} {area} {period}"


def describe(interval: Interval) -> str:
    """One failing cell for a message: what it is and what can be derived of it."""
    low, high = f"{interval.low + 0.0:g}", f"{interval.high + 0.0:g}"  # + 0.0: no "-0"
    if interval.low == interval.high:
        derived = f"is exact af te leiden ({low})"
    else:
        derived = f"ligt volgens de gepubliceerde cijfers tussen {low} en {high}"
    return f"{_cell(interval.cell)} {derived}"


def check_edition(con: duckdb.DuckDBPyConnection) -> Verdict:
    """The audit of a built edition's public table; the build's own verdict when it audited the same."""
    values = con.execute(f"select {', '.join(CELL_COLUMNS)}, value, suppressed from indicator_values").df()
    filters = con.execute("select * from ref_indicator_filters").df()
    indicators = con.execute("select indicator_code, gevoeligheid, aggregatie from ref_indicatoren").df()
    cells = cells_in_scope(values, filters, indicators)
    current = checksum(cells, cells["value"], cells["suppressed"])
    tables = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
    if VERDICT_TABLE in tables:
        row = con.execute(f"select checksum, gecontroleerd from {VERDICT_TABLE}").fetchone()
        if row and row[0] == current:
            return Verdict(current, int(row[1]), [])
    return audit_values(values, filters, indicators)
