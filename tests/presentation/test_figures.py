"""How a series says how far back it goes: from its own periods, never a fixed year."""

from __future__ import annotations

from pipeline.presentation.figures import since_phrase


def test_a_heading_promises_only_the_years_the_series_has() -> None:
    assert since_phrase(["2017H1", "2017H2", "2024H2"]) == "sinds 2017"
    assert since_phrase(["2024"]) == "alleen 2024"  # one real StatLine year: not "sinds 2017"
    assert since_phrase(["2020H1", "2020H2"]) == "alleen 2020"
    assert since_phrase([]) == ""
