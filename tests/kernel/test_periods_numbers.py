"""Period codes and numbers as deliveries spell them."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.ingest.numbers import parse_counts, parse_decimals
from pipeline.kernel.periods import parse_period


@pytest.mark.parametrize(
    ("raw", "text", "kind"),
    [("2024MM03", "2024-03", "month"), ("2024JJ00", "2024", "year"), ("2024-3", "2024-03", "month"),
     ("202403", "2024-03", "month"), ("maart 2024", "2024-03", "month"), ("2024-H1", "2024H1", "half"),
     ("2024HJ02", "2024H2", "half"), (" 2024 ", "2024", "year")],
)  # fmt: skip
def test_period_spellings(raw: str, text: str, kind: str) -> None:
    period = parse_period(raw)
    assert period is not None and (period.text, period.kind) == (text, kind)


@pytest.mark.parametrize("raw", ["2024-13", "202413", "24-03", "Q1 2024", "", "2024MM3x"])
def test_not_periods(raw: str) -> None:
    assert parse_period(raw) is None


def test_counts_dutch_and_plain() -> None:
    counts, reason = parse_counts(pd.Series(["1.234", "12", "12,0", "-", "-3", "2,5", "abc"]), dutch=True)
    assert counts.tolist()[:4] == [1234, 12, 12, 0]
    assert reason.tolist()[4:] == ["negatief aantal", "geen geheel getal", "geen getal"]
    counts, reason = parse_counts(pd.Series(["1.234"]), dutch=False)
    assert reason.tolist() == ["geen geheel getal"]


def test_decimals_with_missing_markers() -> None:
    values, reason = parse_decimals(pd.Series(["32,9", ".", "1.234,5", "x", "7"]), dutch=True)
    assert values.tolist()[0] == pytest.approx(32.9) and values.tolist()[2] == pytest.approx(1234.5)
    assert values.isna().tolist() == [False, True, False, True, False]
    assert reason.isna().all()


def test_one_period_order_and_one_canonical_form_per_kind() -> None:
    """The order every list of periods and editions follows, and the forms ingest writes: a
    parsed period always matches its kind's canonical pattern, and nothing else does."""
    import re

    from pipeline.kernel.periods import CANONICAL, canonical_pattern, period_readings, sort_key

    shuffled = ["2025", "2024H2", "2024-12", "2024", "2024H1", "2024-06", "2024-01", "2025H1"]
    assert sorted(shuffled, key=sort_key) == ["2024-01", "2024-06", "2024H1", "2024-12", "2024H2", "2024", "2025H1",
                                              "2025"]  # fmt: skip
    for raw in ("2024MM03", "2024HJ02", "2024JJ00", "1e halfjaar 2024", "mrt 2024"):
        [period] = period_readings(raw)
        assert [kind for kind, pattern in CANONICAL.items() if re.fullmatch(pattern, period.text)] == [period.kind]
    assert re.fullmatch(canonical_pattern("half", "year"), "2024-03") is None
    assert re.fullmatch(canonical_pattern(), "2024-13") is None
