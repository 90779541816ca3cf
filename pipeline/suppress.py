"""Suppression of sensitive small numbers, enforced in the marts (DESIGN §5).

Primary: a sensitive indicator's count of 1-4 is never published, at gemeente, district or eenheid
level, nor the part of a source's own eenheid total that is in no gemeente ('niet toe te delen', a
term of the eenheid).
Secondary: when a suppressed cell could be recovered by subtraction, the next-smallest cell is
suppressed too, until nothing can be recovered:
- eenheid total minus the published gemeenten (per indicator and period);
- district total minus the published gemeenten of that district (districts with part of Rotterdam
  hold an unpublished Rotterdam share, which already protects them);
- eenheid total minus the published districts (and the part in no gemeente);
- a year minus its published half-year (per gemeente): the year is suppressed then.
Reads ``int_indicator_basis``, writes ``int_onderdrukking``.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from pipeline.reference import reference

SMALL = (1, 4)


def _pick_complement(members: list[tuple[tuple, float]], suppressed: set) -> tuple | None:
    """The next-smallest published cell, preferring non-zero cells (a zero protects little)."""
    candidates = [(value, key[1], key) for key, value in members if key not in suppressed]
    if not candidates:
        return None
    nonzero = [c for c in candidates if c[0] > 0]
    return min(nonzero or candidates)[2]


def compute(basis: pd.DataFrame) -> pd.DataFrame:
    cells = basis[basis["sensitive"]]
    columns = ["level", "area_code", "period", "indicator_code", "suppressed", "reden"]
    if cells.empty:
        return pd.DataFrame(columns=columns)
    reason: dict[tuple, str] = {}
    published_totals: set[tuple] = set()
    eenheid_groups: dict[tuple, list] = {}
    district_groups: dict[tuple, list] = {}
    halves: dict[tuple, list] = {}
    district_cells: dict[tuple, list] = {}  # the districts (and the part in no gemeente) add up to the eenheid
    years: dict[tuple, tuple] = {}
    # their totals include an unpublished Rotterdam share, which already protects them
    rotterdam_districts = reference().rotterdam_districts
    eenheid_code = next(iter(cells.loc[cells["level"] == "eenheid", "area_code"]), None)
    for level, area, period, indicator, value, district, period_type in cells[
        ["level", "area_code", "period", "indicator_code", "value", "district_code", "period_type"]
    ].itertuples(index=False):
        key = (level, area, period, indicator)
        # the part of a source's own eenheid total in no gemeente is one more term of the eenheid
        eenheid_rest = level == "niet toe te delen" and area.endswith("-NTD")
        if level in ("district", "eenheid") and value == value and SMALL[0] <= value <= SMALL[1]:
            # the small-number rule holds at every level: a district or eenheid of 1-4 is hidden too
            reason[key] = "klein aantal (1-4)"
        if level == "district":  # "geen cijfer" (nan) makes the relation unusable: an unknown term
            district_cells.setdefault((period, indicator), []).append((key, float(value)))
        if level != "gemeente" and not eenheid_rest:
            if value != value:  # no figure (not delivered): nothing can be subtracted from it
                continue
            if key not in reason:  # a hidden total gives nothing to subtract from
                published_totals.add(
                    ("eenheid", period, indicator) if level == "eenheid" else ("district", area, period, indicator)
                )
            continue
        value = 0.0 if value != value else float(value)
        if SMALL[0] <= value <= SMALL[1]:
            reason[key] = "klein aantal (1-4)"
        eenheid_groups.setdefault((period, indicator), []).append((key, value))
        if eenheid_rest:
            continue
        if isinstance(district, str) and district not in rotterdam_districts:
            district_groups.setdefault((district, period, indicator), []).append((key, value))
        if period_type == "halfjaar":
            halves.setdefault((indicator, area, period[:4]), []).append(key)
        else:
            years[(indicator, area, period)] = key
    groups = [(("eenheid", p, i), members) for (p, i), members in eenheid_groups.items()]
    rests = {
        (p, i): [m for m in members if m[0][0] == "niet toe te delen"] for (p, i), members in eenheid_groups.items()
    }
    groups += [
        (("eenheid", p, i), members + rests.get((p, i), []))
        for (p, i), members in district_cells.items()
        if all(value == value for _, value in members)
    ]
    groups += [(("district", d, p, i), members) for (d, p, i), members in district_groups.items()]
    changed = True
    while changed:
        changed = False
        suppressed = set(reason)
        for total_key, members in groups:
            if total_key not in published_totals:
                continue
            if sum(1 for key, _ in members if key in suppressed) != 1:
                continue
            complement = _pick_complement(members, suppressed)
            if complement is None:  # nothing left to hide beside it: hide the total itself
                complement = (
                    ("eenheid", eenheid_code, total_key[1], total_key[2]) if total_key[0] == "eenheid" else total_key
                )
                published_totals.discard(total_key)
            reason[complement] = f"aanvullend afgeschermd (anders af te leiden uit het {total_key[0]}totaal)"
            suppressed.add(complement)
            if complement[0] == "district":  # a hidden district gives nothing to subtract from either
                published_totals.discard(("district", complement[1], complement[2], complement[3]))
            changed = True
        for (indicator, area, year), keys in halves.items():
            year_key = years.get((indicator, area, year))
            if len(keys) == 2 and sum(k in suppressed for k in keys) == 1 and year_key and year_key not in suppressed:
                reason[year_key] = "aanvullend afgeschermd (anders af te leiden uit de halfjaren)"
                suppressed.add(year_key)
                changed = True
    rows = [(*key, True, text) for key, text in reason.items()]
    return pd.DataFrame(rows, columns=columns)


def apply(con: duckdb.DuckDBPyConnection) -> None:
    basis = con.execute("select * from int_indicator_basis").df()
    result = compute(basis)
    con.register("onderdrukking", result)
    con.execute(
        "create or replace table int_onderdrukking as "
        "select level::varchar as level, area_code::varchar as area_code, period::varchar as period, "
        "indicator_code::varchar as indicator_code, suppressed::boolean as suppressed, reden::varchar as reden "
        "from onderdrukking"
    )
    con.unregister("onderdrukking")
