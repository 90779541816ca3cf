"""How a series says how far back it goes: from its own periods, never a fixed year."""

from __future__ import annotations

from pipeline.presentation.figures import since_phrase


def test_a_heading_promises_only_the_years_the_series_has() -> None:
    assert since_phrase(["2017H1", "2017H2", "2024H2"]) == "sinds 2017"
    assert since_phrase(["2024"]) == "alleen 2024"  # one real StatLine year: not "sinds 2017"
    assert since_phrase(["2020H1", "2020H2"]) == "alleen 2020"
    assert since_phrase([]) == ""


def test_a_rate_on_an_earlier_years_population_says_so() -> None:
    """After CBS's newest count, a year's rate divides by that count carried forward (issue 17): the
    reader is told which 1 January it was, and nothing is said when the rate used its own year's."""
    import pandas as pd

    from pipeline.presentation.figures import population_note

    rows = pd.DataFrame(
        {"period": ["2026H1", "2026H1", "2025H1"], "rate_population_year": [2025, None, 2025],
         "rate_per_1000": [3.2, None, 2.9]}
    )  # fmt: skip
    assert population_note(rows) == (
        "Cijfers per 1.000 van 2026 delen door de inwoners op 1 januari 2025: het aantal van 1 januari 2026 heeft "
        "het CBS nog niet gepubliceerd."
    )
    assert population_note(rows[rows["period"] == "2025H1"]) == ""
    assert population_note(rows.drop(columns="rate_population_year")) == ""  # an edition from before
    halt = rows.assign(rate_denominator=["jongeren van 12–17 jaar", None, "inwoners"])
    assert population_note(halt).startswith(
        "Cijfers per 1.000 van 2026 delen door de inwoners (en jongeren van 12–17 jaar)"
    )
