"""Partner spreadsheets made by hand (issue 11): every variant is either loaded with exactly the
numbers the file intends, cell by cell, or refused with the reason — never loaded wrong."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
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


def test_header_with_console_markup_is_printed_as_it_is_and_status_and_validate_keep_working(
    gvb, home: Path, tmp_path: Path
) -> None:
    path = tmp_path / "riec" / "riec.csv"
    path.parent.mkdir()
    path.write_text("Periode;Gemeentecode;Thema;Signalen [/100.000 inw];Casussen\n2024H1;GM0599;Drugs;3;1\n")
    result = gvb("ingest", path)
    assert result.exit_code == 1 and "'Signalen [/100.000 inw]'" in result.output
    status = gvb("status")
    assert status.exit_code == 0 and "Signalen [/100.000 inw]" in status.output
    validate = gvb("validate", "--edition", "2025H1")
    assert validate.exit_code in (1, 2) and "riec.csv is afgewezen" in validate.output


def test_ods_and_xls_in_a_folder_are_read_and_other_files_named(gvb, tmp_path: Path) -> None:
    from corpus.partner_variants import HALT_HEADER, halt_rows, halt_table, write_ods, write_xls

    folder = tmp_path / "halt"
    folder.mkdir()
    rows = halt_rows()
    write_ods(folder / "eerste.ods", HALT_HEADER, halt_table([r for r in rows if r["periode"].endswith("H1")]))
    write_xls(folder / "tweede.xls", HALT_HEADER, halt_table([r for r in rows if r["periode"].endswith("H2")]))
    (folder / "toelichting.docx").write_bytes(b"PK\x03\x04 not really")
    (folder / "halt.numbers").write_bytes(b"?")
    result = gvb("ingest", tmp_path)
    assert "eerste.ods: geladen" in result.output and "tweede.xls: geladen" in result.output
    assert "toelichting.docx: overgeslagen" in result.output
    assert "halt.numbers" in result.output and "onbekend bestandstype" in result.output
    assert result.exit_code == 1  # the unknown file type is refused, never skipped without a line
    assert gvb.query("select count(*) from raw_halt")[0][0] == len(rows)
