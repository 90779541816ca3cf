"""Partner spreadsheets made by hand (issue 11): every variant is either loaded with exactly the
numbers the file intends, cell by cell, or refused with the reason — never loaded wrong."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus.partner_variants import COLUMNS, Variant, variants

VARIANTS = variants()


def loaded(gvb, source: str) -> list[tuple]:
    return sorted(gvb.query(f"select {', '.join(COLUMNS[source])} from raw_{source}"))


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_variant_is_read_exactly_or_refused(gvb, tmp_path: Path, variant: Variant) -> None:
    folder = tmp_path / "levering" / variant.source
    folder.mkdir(parents=True)
    variant.write(folder)
    result = gvb("ingest", folder.parent)
    if variant.expect is None:
        assert result.exit_code == 1, result.output
        assert variant.refusal in result.output, result.output
        assert "geweigerd" in result.output
        # nothing of a refused file is in the store, and status and validate still work
        assert gvb("status").exit_code == 0
        return
    assert result.exit_code == 0, result.output
    got = loaded(gvb, variant.source)
    assert len(got) == len(variant.expect)
    differences = [(g, e) for g, e in zip(got, variant.expect, strict=True) if g != e]
    assert not differences, differences[:5]
    if variant.note:
        assert variant.note in result.output, result.output


def test_at_least_thirty_variants_each_case_of_the_issue() -> None:
    names = {v.name for v in VARIANTS}
    assert len(VARIANTS) >= 30
    for case in ("halt-pivot-subtotals", "vhh-doelgroep-totaal-rows", "halt-2024-1-ambiguous", "halt-dates-as-periods",
                 "halt-age-as-date", "burgernet-percent-cell", "halt-code-typo-with-names", "riec-names-resorted",
                 "halt-ods", "riec-bracket-header"):  # fmt: skip
        assert case in names
