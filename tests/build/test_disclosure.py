"""Suppression that survives arithmetic: the relations among published cells, the audit of how
tightly a hidden cell can be derived, and the choice of secondary suppressions."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.build.disclosure.relations import families
from pipeline.build.disclosure.table import audit_values
from pipeline.build.run import indicator_filters
from pipeline.build.suppress import compute
from pipeline.reference import reference

HALT_PARTS = ["H_VERNIELING", "H_VERMOGEN", "H_GEWELD", "H_VUURWERK", "H_LEERPLICHT", "H_OVERIG"]


def _definitions() -> tuple[pd.DataFrame, pd.DataFrame]:
    ref = reference()
    indicators = pd.DataFrame(
        [(i.code, i.gevoeligheid, i.aggregatie) for i in ref.indicators],
        columns=["indicator_code", "gevoeligheid", "aggregatie"],
    )
    return indicator_filters(ref), indicators


def _table(cells: list[tuple[str, str, str | None, str, str, float | None, bool]]) -> pd.DataFrame:
    """(level, area, district, period, indicator, value, suppressed) → an indicator_values-like table."""
    return pd.DataFrame(
        [
            (level, area, district, period, "jaar" if len(period) == 4 else "halfjaar", indicator,
             None if hidden else value, hidden)
            for level, area, district, period, indicator, value, hidden in cells
        ],
        columns=["level", "area_code", "district_code", "period", "period_type", "indicator_code", "value",
                 "suppressed"],
    )  # fmt: skip


def test_families_follow_the_indicator_definitions() -> None:
    filters, _ = _definitions()
    found = {total: (parts, remainder) for total, parts, remainder in families(filters)}
    assert found["H_VERWIJZINGEN"] == (tuple(sorted(HALT_PARTS)), False)
    assert found["V_PERSONEN"][1] is False and len(found["V_PERSONEN"][0]) == 5
    # RIEC's theme "Overig" is not published on its own: the total is at least its parts
    assert found["R_SIGNALEN"] == (
        ("R_SIGNALEN_DRUGS", "R_SIGNALEN_MENSENHANDEL", "R_SIGNALEN_VASTGOED", "R_SIGNALEN_WITWASSEN"),
        True,
    )
    assert found["M_GEWELD"] == (
        ("M_BEDREIGING", "M_MISHANDELING", "M_MOORD", "M_OPENLIJK_GEWELD", "M_ZEDEN"),
        False,
    )
    assert found["M_HIC"] == (("M_GEWELD", "M_OVERVAL", "M_STRAATROOF", "M_WONINGINBRAAK"), False)


def test_a_total_indicator_minus_its_visible_parts_is_caught() -> None:
    """The issue's example: Schiedam Halt vuurwerk = 35 − (7 + 8 + 5 + 6 + 5) = 4."""
    values = dict(zip(HALT_PARTS, [7, 8, 5, 4, 6, 5], strict=True))
    cells = [("gemeente", "GM0606", "RE07-RN", "2026H1", "H_VERWIJZINGEN", 35.0, False)]
    cells += [
        ("gemeente", "GM0606", "RE07-RN", "2026H1", code, float(v), code == "H_VUURWERK") for code, v in values.items()
    ]
    verdict = audit_values(_table(cells), *_definitions())
    assert verdict.audited == 1
    (interval,) = verdict.failing
    assert interval.cell == ("gemeente", "GM0606", "2026H1", "H_VUURWERK")
    assert (interval.low, interval.high) == (4, 4)


def test_hidden_parts_that_add_up_to_a_small_number_are_caught() -> None:
    """Two hidden delictgroepen that together are 3: each lies in 0..3, too narrow."""
    values = dict(zip(HALT_PARTS, [7, 8, 2, 1, 6, 5], strict=True))
    cells = [("gemeente", "GM0606", "RE07-RN", "2026H1", "H_VERWIJZINGEN", 29.0, False)]
    cells += [("gemeente", "GM0606", "RE07-RN", "2026H1", c, float(v), v < 5) for c, v in values.items()]
    verdict = audit_values(_table(cells), *_definitions())
    assert [(iv.cell[3], iv.low, iv.high) for iv in verdict.failing] == [("H_GEWELD", 0, 3), ("H_VUURWERK", 0, 3)]
    # a third hidden part of 6 gives both room enough
    cells = [c if c[4] != "H_LEERPLICHT" else (*c[:5], 6.0, True) for c in cells]
    assert audit_values(_table(cells), *_definitions()).failing == []


def test_the_year_minus_a_published_half_year_is_caught() -> None:
    cells = [
        ("gemeente", "GM0606", "RE07-RN", "2025", "V_TOPX", 11.0, False),
        ("gemeente", "GM0606", "RE07-RN", "2025H1", "V_TOPX", 3.0, True),
        ("gemeente", "GM0606", "RE07-RN", "2025H2", "V_TOPX", 8.0, False),
    ]
    (interval,) = audit_values(_table(cells), *_definitions()).failing
    assert interval.cell[2] == "2025H1" and interval.low == interval.high == 3


def test_the_eenheid_minus_its_gemeenten_and_a_district_minus_its_gemeenten_are_caught() -> None:
    cells = [
        ("eenheid", "RE07", None, "2025", "R_CASUSSEN_DRUGS", 20.0, False),
        ("gemeente", "GM0505", "RE07-ZHZ", "2025", "R_CASUSSEN_DRUGS", 17.0, False),
        ("gemeente", "GM0642", "RE07-ZHZ", "2025", "R_CASUSSEN_DRUGS", 3.0, True),
        ("district", "RE07-ZHZ", "RE07-ZHZ", "2025", "R_CASUSSEN_DRUGS", 20.0, False),
    ]
    (interval,) = audit_values(_table(cells), *_definitions()).failing
    assert interval.cell[1] == "GM0642" and interval.low == interval.high == 3


def test_a_rotterdam_district_holds_an_unpublished_part_of_rotterdam() -> None:
    """A district with wijken of Rotterdam is its gemeenten plus a share of Rotterdam nobody sees:
    a hidden gemeente there is not pinned down by the district total alone."""
    rotterdam_districts = sorted(reference().rotterdam_districts)
    district = next(d for d in rotterdam_districts if d == "RE07-RN")
    cells = [
        ("district", district, district, "2025", "M_ZEDEN", 40.0, False),
        ("gemeente", "GM0606", district, "2025", "M_ZEDEN", 3.0, True),
        ("gemeente", "GM0622", district, "2025", "M_ZEDEN", 12.0, False),
        ("gemeente", "GM0599", None, "2025", "M_ZEDEN", 500.0, False),
    ]
    assert audit_values(_table(cells), *_definitions()).failing == []
    # without Rotterdam in the district the same cell is 40 - 12
    cells[-1] = ("gemeente", "GM0599", "RE07-RS", "2025", "M_ZEDEN", 500.0, False)
    (interval,) = audit_values(_table(cells), *_definitions()).failing
    assert interval.low == interval.high == 28


def test_suppression_leaves_nothing_derivable_and_hides_no_more_than_needed() -> None:
    """Primary cells, then complements chosen by the audit, until every hidden cell has room."""
    basis = []
    for period, parts in (("2025H1", [7, 8, 3, 6, 12, 5]), ("2025H2", [9, 6, 5, 10, 2, 7])):
        for area, district, scale in (("GM0606", "RE07-RN", 1), ("GM0622", "RE07-RN", 2)):
            for code, value in zip(HALT_PARTS, parts, strict=True):
                basis.append(("gemeente", area, district, period, code, float(value * scale), False))
            basis.append(("gemeente", area, district, period, "H_VERWIJZINGEN", float(sum(parts) * scale), False))
    for code in (*HALT_PARTS, "H_VERWIJZINGEN"):
        for area, district in (("GM0606", "RE07-RN"), ("GM0622", "RE07-RN")):
            year = sum(v for lvl, a, d, p, c, v, _ in basis if a == area and c == code)
            basis.append(("gemeente", area, district, "2025", code, year, False))
    table = _table(basis)
    result, checksum, audited = compute(table, *_definitions())
    hidden = set(result[["level", "area_code", "period", "indicator_code"]].itertuples(index=False, name=None))
    assert ("gemeente", "GM0606", "2025H1", "H_GEWELD") in hidden  # the 3
    assert ("gemeente", "GM0606", "2025H2", "H_LEERPLICHT") in hidden  # the 2
    assert len(hidden) > 2 and audited == len(hidden)
    assert len(hidden) < len(table) / 3
    public = table.copy()
    keys = list(public[["level", "area_code", "period", "indicator_code"]].itertuples(index=False, name=None))
    public["suppressed"] = [key in hidden for key in keys]
    public.loc[public["suppressed"], "value"] = None
    verdict = audit_values(public, *_definitions())
    assert verdict.failing == [] and verdict.audited == len(hidden)
    assert verdict.checksum == checksum  # what publish compares with the build's verdict


@pytest.mark.parametrize("small", [1, 4])
def test_small_numbers_at_every_level_are_hidden(small: int) -> None:
    cells = [
        ("eenheid", "RE07", None, "2025", "R_SIGNALEN_VASTGOED", float(small), False),
        ("gemeente", "GM0505", "RE07-ZHZ", "2025", "R_SIGNALEN_VASTGOED", float(small), False),
    ]
    result, _, _ = compute(_table(cells), *_definitions())
    assert set(result["level"]) == {"eenheid", "gemeente"}


_SAME_IN_EVERY_PROCESS = """
import hashlib, os, sys
import numpy as np
sys.path.insert(0, "tests/build")
from test_disclosure import HALT_PARTS, _definitions, _table
from pipeline.build.suppress import compute
from pipeline.reference import reference

rng = np.random.default_rng(7)
areas = [(f"GM{600 + i:04d}", "RE07-RN" if i % 2 else "RE07-ZHZ") for i in range(12)]
figures = {}  # (area, district, period, code) -> value, with every sum the mart publishes
for year in ("2024", "2025"):
    for area, district in areas:
        for half in ("H1", "H2"):
            parts = rng.integers(0, 14, len(HALT_PARTS))
            for code, value in zip(HALT_PARTS, parts):
                figures[area, district, year + half, code] = float(value)
for (area, district, period, code), value in list(figures.items()):
    for key in ((area, district, period[:4], code), (area, district, period, "H_VERWIJZINGEN"),
                (area, district, period[:4], "H_VERWIJZINGEN")):
        figures[key] = figures.get(key, 0.0) + value
cells, totals = [], {}
for (area, district, period, code), value in figures.items():
    cells.append(("gemeente", area, district, period, code, value, False))
    for level, total in (("district", district), ("eenheid", "RE07")):
        totals[level, total, period, code] = totals.get((level, total, period, code), 0.0) + value
for (level, area, period, code), value in totals.items():
    cells.append((level, area, area if level == "district" else None, period, code, value, False))
import pipeline.build.disclosure.audit as audit
solved = audit._solve_all
def counted(problems, pool):
    assert (pool is None) == (os.environ["GVB_THREADS"] == "1") or len(problems) < 2
    return solved(problems, pool)
audit._solve_all = counted
result, verdict, audited = compute(_table(cells), *_definitions())
rows = sorted(map(tuple, result.astype(str).values.tolist()))
print(audited, hashlib.sha256(repr(rows).encode()).hexdigest())
"""


def test_the_same_figures_give_the_same_suppressions_in_every_process() -> None:
    """Python orders a set of texts differently in every process (hash randomisation); the choice of
    complements must not follow that order, or two builds of one delivery publish different cells.
    Nor may it follow how many threads solve the groups side by side (one, or several)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    outcomes = set()
    for seed, threads in (("1", "1"), ("2", "3"), ("3", "2")):
        environment = {**os.environ, "PYTHONHASHSEED": seed, "GVB_THREADS": threads}
        result = subprocess.run([sys.executable, "-c", _SAME_IN_EVERY_PROCESS], cwd=root, capture_output=True,
                                text=True, timeout=300, env=environment)  # fmt: skip
        assert result.returncode == 0, result.stderr
        outcomes.add(result.stdout.strip())
    assert len(outcomes) == 1, outcomes
    assert int(next(iter(outcomes)).split()[0]) > 10  # complements were chosen, not only primaries


_MANY_SOLVERS = """
import threading
from pipeline.build.disclosure.audit import _silent_solver
threads = [threading.Thread(target=lambda: [_silent_solver() for _ in range(30)]) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("standard output still works")
"""


def test_solvers_made_side_by_side_leave_standard_output_working() -> None:
    """The licence banner of HiGHS is kept off standard output; threads that each took standard
    output away and gave back what they found left it pointing at nothing (a build's last words lost)."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", _MANY_SOLVERS], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "standard output still works\n"  # and no banner
