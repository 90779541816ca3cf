"""`gvb fetch cbs-bevolking` and `gvb referentie bevolking` (issue 17): CBS population from its feed
into the reference data, with year and source on every figure, and the marts saying which
population year each rate used."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

import pipeline.reference
from pipeline.reference import reference

PACKAGED = pipeline.reference.DATA_DIR / "bevolking.csv"


@pytest.fixture
def own_reference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the reference data for gvb to read and write (the packaged files stay as they are)."""
    folder = tmp_path / "referentie"
    shutil.copytree(pipeline.reference.DATA_DIR, folder)
    monkeypatch.setattr(pipeline.reference, "DATA_DIR", folder)
    reference.cache_clear()
    yield folder
    reference.cache_clear()


def _rows(folder: Path) -> dict[tuple[str, str], dict[str, str]]:
    with (folder / "bevolking.csv").open(encoding="utf-8") as fh:
        return {(row["gemeente_code"], row["jaar"]): row for row in csv.DictReader(fh)}


def _population_feed(feed) -> None:
    from tests.fetch.conftest import population_rows

    feed.table, feed.title, feed.rows = "37230ned", "Bevolkingsontwikkeling; regio per maand", population_rows()


def test_fetched_population_becomes_the_reference_with_year_and_source(gvb, feed_settings, own_reference,
                                                                       tmp_path: Path) -> None:  # fmt: skip
    _population_feed(feed_settings)
    packaged = hashlib.sha256(PACKAGED.read_bytes()).hexdigest()
    before = _rows(own_reference)
    data = tmp_path / "data_raw"
    result = gvb("fetch", "cbs-bevolking", "--jaar", "2026", "--data", data)
    assert result.exit_code == 0, result.output
    folder = data / "cbs_bevolking" / "37230ned_2026_RE07"
    assert (folder / "manifest.json").is_file() and "gvb referentie bevolking" in result.output
    assert "0363" not in " ".join(feed_settings.log)  # only the region's gemeenten were asked
    # ingest leaves it alone and says what to do with it
    result = gvb("ingest", data)
    assert "overgeslagen" in result.output and "gvb referentie bevolking" in result.output

    result = gvb("referentie", "bevolking", folder)
    assert result.exit_code == 0, result.output
    assert "3 gemeenten hebben nu de CBS-telling van 1 januari 2026" in result.output
    assert "Zonder cijfer in de feed (blijven geschat): GM0482" in result.output  # Alblasserdam was not served
    rows = _rows(own_reference)
    rotterdam = rows[("GM0599", "2026")]
    assert (rotterdam["inwoners"], rotterdam["geschat"], rotterdam["peiljaar"]) == ("675460", "0", "2026")
    assert rotterdam["bron"] == "CBS 37230ned (2025-11-15), eind 2025"
    share = int(before[("GM0599", "2026")]["inwoners_12_17"]) / int(before[("GM0599", "2026")]["inwoners"])
    assert rotterdam["inwoners_12_17"] == str(round(675460 * share))
    later = rows[("GM0599", "2027")]  # an estimate: now the new count carried forward
    assert (later["inwoners"], later["geschat"], later["peiljaar"]) == ("675460", "1", "2026")
    assert later["bron"] == "geschat: CBS 37230ned (2025-11-15) van 1 januari 2026 doorgetrokken"
    assert rows[("GM0505", "2026")]["bron"] == "CBS 37230ned (2025-11-15), begin januari 2026, voorlopig"
    # nothing else changed: other gemeenten, earlier years, Amsterdam
    changed = {key for key in rows if rows[key] != before.get(key)}
    assert changed == {(code, year) for code in ("GM0599", "GM0505", "GM0606") for year in ("2026", "2027")}
    assert reference().population[("GM0599", 2026)][0] == 675460
    assert hashlib.sha256(PACKAGED.read_bytes()).hexdigest() == packaged

    # the whole country: a code bevolking.csv does not have is named and left out, not guessed
    feed_settings.rows.append({"ID": 999, "RegioS": "GM9999    ", "Perioden": "2025JJ00",
                               "BevolkingAanHetBeginVanDePeriode_1": 1000, "BevolkingAanHetEindeVanDePeriode_15": 1010})  # fmt: skip
    assert gvb("fetch", "cbs-bevolking", "--jaar", "2026", "--regio", "NL", "--data", data).exit_code == 0
    result = gvb("referentie", "bevolking", data / "cbs_bevolking" / "37230ned_2026_NL")
    assert result.exit_code == 0 and "Niet in bevolking.csv, overgeslagen" in result.output, result.output
    assert "GM9999" in result.output and ("GM9999", "2026") not in _rows(own_reference)
    assert _rows(own_reference)[("GM0363", "2026")]["bron"] == "CBS 37230ned (2025-11-15), eind 2025"
    rows = _rows(own_reference)

    # a folder that is not fetched population is refused with a reason, the reference unchanged
    result = gvb("referentie", "bevolking", tmp_path)
    assert result.exit_code == 1 and "manifest.json" in result.output
    assert _rows(own_reference) == rows


def test_the_marts_state_the_population_year_of_each_rate(gvb, home: Path, feed_settings, own_reference,
                                                          tmp_path: Path) -> None:  # fmt: skip
    """Before CBS's count of 1 January 2025, 2025 carries 2024's forward (Rotterdam and Barendrecht);
    after `gvb fetch cbs-bevolking` and `gvb referentie bevolking`, Rotterdam divides by the new count
    and says so, Barendrecht (not in the feed) still says 2024, and so does the eenheid."""
    rows = _rows(own_reference)
    for code in ("GM0599", "GM0489"):
        row, earlier = rows[(code, "2025")], rows[(code, "2024")]
        row.update(inwoners=earlier["inwoners"], inwoners_12_17=earlier["inwoners_12_17"], geschat="1",
                   peiljaar="2024", bron="geschat: CBS 37230ned van 1 januari 2024 doorgetrokken")  # fmt: skip
    with (own_reference / "bevolking.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(next(iter(rows.values()))), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows.values())
    reference.cache_clear()
    _population_feed(feed_settings)
    data = tmp_path / "data_raw"
    assert gvb("fetch", "cbs-bevolking", "--jaar", "2025", "--data", data).exit_code == 0
    result = gvb("referentie", "bevolking", data / "cbs_bevolking" / "37230ned_2025_RE07")
    assert result.exit_code == 0, result.output
    result = gvb("publish", "--edition", "2025H1")
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(home / "edities" / "2025H1" / "gvb_2025H1.duckdb"), read_only=True)
    try:
        found = dict(
            con.execute(
                "select area_code, rate_population_year from indicator_values where period = '2025H1' "
                "and indicator_code = 'M_TOTAAL' and area_code in ('GM0599', 'GM0489', 'GM0606', 'RE07')"
            ).fetchall()
        )
        value, rate = con.execute(
            "select value, rate_per_1000 from indicator_values where period = '2025H1' "
            "and indicator_code = 'M_TOTAAL' and area_code = 'GM0599'"
        ).fetchall()[0]
        years = con.execute("select distinct rate_population_year from indicator_values where rate_per_1000 is null")
        assert years.fetchall() == [(None,)]  # no rate, no population year
    finally:
        con.close()
    assert found == {"GM0599": 2025, "GM0489": 2024, "GM0606": 2025, "RE07": 2024}
    assert rate == pytest.approx(1000 * value / 671960, abs=1e-3)  # the fetched count: end of 2024

    # the advisor reads it in the report of Barendrecht, not in Rotterdam's
    import openpyxl

    result = gvb("report", "--edition", "2025H1", "--gemeente", "GM0489", "--gemeente", "GM0599", "--format", "xlsx")
    assert result.exit_code == 0, result.output
    sentence = "Cijfers per 1.000 van 2025 delen door de inwoners (en jongeren van 12–17 jaar) op 1 januari 2024:"
    for code, expected in (("GM0489", True), ("GM0599", False)):  # Halt's rates divide by youths
        workbook = openpyxl.load_workbook(home / "edities" / "2025H1" / "rapporten" / f"gvb_2025H1_{code}.xlsx")
        cells = [str(c.value) for row in workbook["Overzicht"].iter_rows() for c in row if c.value]
        assert any(text.startswith(sentence) for text in cells) is expected, code
