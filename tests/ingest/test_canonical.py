"""DuckDB reads the canonical police CSV exactly as the pandas route does, or leaves it to that route.

The DuckDB route (``pipeline.ingest.canonical``) only accepts: for every file it takes, the rows,
notes and skipped rows must be those of the pandas route (``normalise``); every file it does not
take plainly (odd spelling, a broken rule) must come back ``None`` so that the pandas route names
the problems as before.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from pipeline.ingest.canonical import read_canonical
from pipeline.ingest.normalise import normalise
from pipeline.ingest.readers import read_delivery
from pipeline.kernel.config import settings
from pipeline.reference import reference

TODAY = dt.date(2026, 11, 24)
HEADER = "periode,gebied_code,soort_code,aantal"


def _rows(frame) -> list[tuple]:
    if not isinstance(frame, pd.DataFrame):
        frame = frame.to_pandas()
    columns = sorted(frame.columns)
    return [
        tuple(
            None if pd.isna(v) else (int(v) if isinstance(v, int | float) and not isinstance(v, bool) else v)
            for v in row
        )
        for row in frame[columns].itertuples(index=False)
    ]


def _both(path: Path, hint: str | None = None, region: str | None = None):
    config = settings()
    if region:
        config = type(config)(**{**config.__dict__, "region": region})
    fast = read_canonical(path, config, reference(), TODAY, hint, None)
    slow = normalise(read_delivery(path, hint), path.name, reference(), config.region, TODAY)
    return fast, slow


def _assert_same(path: Path, hint: str | None = None, region: str | None = None) -> None:
    fast, slow = _both(path, hint, region)
    assert fast is not None, "the DuckDB route should take this plain file"
    normalised, _demo = fast
    assert normalised.source.name == slow.source.name
    assert _rows(normalised.frame) == _rows(slow.frame)
    assert normalised.notes == slow.notes
    assert normalised.skipped == slow.skipped


@pytest.mark.parametrize("pattern", ["politie_misdrijven/*wijk*.csv", "politie_incidenten/*wijk*.csv"])
def test_the_demo_police_files_read_the_same_by_both_routes(pattern: str, demo_dir: Path, gvb_home: Path) -> None:
    path = next(demo_dir.glob(pattern))
    _assert_same(path, path.parent.name)
    assert read_canonical(path, settings(), reference(), TODAY, path.parent.name, None)[1] is True  # DEMO comment


def test_region_totals_other_regions_and_optional_columns_read_the_same(gvb_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "landelijk.csv"
    path.write_text(
        "# politie, landelijke tabel\n"
        "periode;gebied_code;soort_code;soort_naam;aantal;indeling\n"
        "2015-01;RE07;0.0.0;Totaal;900;\n"  # RE07 held other gemeenten in 2015: not used
        "2015-01;GM0505;0.0.0;Totaal;400;\n"
        "2024-01;RE07;0.0.0;Totaal;1000;\n"
        "2024-01;RE01;0.0.0;;50;\n"  # another eenheid's total: skipped
        "2024-01;NL;0.0.0;;99999;\n"
        "2024-01;GM0505;0.0.0;Totaal;600;\n"
        "2024-01;GM0599;0.0.0;;300;\n"
        "2024-01;GM0363;0.0.0;;7000;\n"  # Amsterdam: outside RE07
        "2024-01;BU05990101;1.1.1;;3;\n"
        "2024-01;GM0599;1.2.1;;9;2024\n"
        "2022-01;GM0501;0.0.0;;20;2022\n",  # Brielle before its merger
        encoding="utf-8",
    )
    _assert_same(path, "politie_misdrijven")
    fast, _slow = _both(path, "politie_misdrijven")
    assert fast[0].skipped == 4 and any("niet gebruikt" in note for note in fast[0].notes)
    assert any("Amsterdam" in note for note in fast[0].notes)
    # the same file for the whole country keeps every gemeente and the national total
    _assert_same(path, "politie_misdrijven", region="NL")


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("lower case area", "2024-01,gm0599,1.1.1,3\n"),
        ("spaces in a code", "2024-01,GM0599, 1.1.1,3\n"),
        ("count with a point", "2024-01,GM0599,1.1.1,1.234\n"),
        ("negative count", "2024-01,GM0599,1.1.1,-3\n"),
        ("empty count", "2024-01,GM0599,1.1.1,\n"),
        ("future period", "2099-01,GM0599,1.1.1,3\n"),
        ("unknown code", "2024-01,GM0599,9.9.9,3\n"),
        ("gone gemeente", "2024-01,GM0614,1.1.1,3\n"),
        ("duplicate key", "2024-01,GM0599,1.1.1,3\n2024-01,GM0599,1.1.1,4\n"),
        ("total beside its wijk", "2024-01,GM0599,1.1.1,3\n2024-01,WK059901,1.1.1,2\n"),
        ("blank line", "2024-01,GM0599,1.1.1,3\n\n2024-02,GM0599,1.1.1,3\n"),
        ("other period spelling", "januari 2024,GM0599,1.1.1,3\n"),
        ("quoted line break", '2024-01,GM0599,1.1.1,3\n2024-02,GM0599,"1.1.\n1",3\n'),
    ],
)
def test_a_file_that_is_not_plain_or_breaks_a_rule_is_left_to_the_pandas_route(
    name: str, body: str, gvb_home: Path, tmp_path: Path
) -> None:
    path = tmp_path / "politie.csv"
    path.write_text(f"{HEADER}\n2024-03,GM0505,1.1.1,5\n{body}", encoding="utf-8")
    assert read_canonical(path, settings(), reference(), TODAY, "politie_misdrijven", None) is None


def test_a_bom_or_another_encoding_is_left_to_the_pandas_route(gvb_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "politie.csv"
    path.write_bytes(b"\xef\xbb\xbf" + f"{HEADER}\n2024-01,GM0599,1.1.1,3\n".encode())
    assert read_canonical(path, settings(), reference(), TODAY, "politie_misdrijven", None) is None
    path.write_bytes(f"# Gemeente Súdwest\n{HEADER}\n2024-01,GM0599,1.1.1,3\n".encode("cp1252"))
    assert read_canonical(path, settings(), reference(), TODAY, "politie_misdrijven", None) is None


def test_ingest_stores_the_same_rows_and_notes_by_either_route(
    gvb, gvb_home: Path, tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "politie_misdrijven" / "wijken.csv"
    path.parent.mkdir()
    path.write_text(
        f"# DEMO test\n{HEADER}\n"
        + "".join(f"2024-{m:02d},WK0599{w:02d},1.1.1,{m * w}\n" for m in range(1, 13) for w in range(1, 4))
        + "2024-01,RE07,1.1.1,999\n2024-01,GM0363,1.1.1,5\n",
        encoding="utf-8",
    )
    query = (
        "select periode, gebied_code, soort_code, soort_naam, aantal, indeling, gemeente_code, bron_rij, bron_bestand "
        "from raw_politie_misdrijven order by bron_rij"
    )
    loads = "select rijen, overgeslagen, demo, opmerkingen, formaat from ingest_loads"
    assert gvb("ingest", path).exit_code == 0
    fast_rows, fast_load = gvb.query(query), gvb.query(loads)
    assert len(fast_rows) == 37 and fast_load[0][1] == 1

    monkeypatch.setattr("pipeline.ingest.load.read_canonical", lambda *args: None)
    (gvb_home / "gvb.duckdb").unlink()
    assert gvb("ingest", path).exit_code == 0
    assert gvb.query(query) == fast_rows
    assert gvb.query(loads) == fast_load


def test_a_long_file_with_accents_is_read_by_duckdb_all_the_same(gvb_home: Path, tmp_path: Path) -> None:
    """The first 64 kB decide the layout; a character cut at their end must not send it elsewhere."""
    path = tmp_path / "politie.csv"
    rows = [
        f"2024-{m:02d},WK0599{w:02d},{code},Diefstal – één {w}é,{m + w}"
        for m in range(1, 13)
        for w in range(1, 80)
        for code in ("1.1.1", "1.2.1")
    ]
    body = "periode,gebied_code,soort_code,soort_naam,aantal\n" + "\n".join(rows) + "\n"
    # a comment line of the length that makes the 64 kB sample end inside a character
    padding = next(n for n in range(1, 200) if _cut_inside(("#" * n + "\n" + body).encode()))
    path.write_text("#" * padding + "\n" + body, encoding="utf-8")
    _assert_same(path, "politie_misdrijven")


def _cut_inside(content: bytes) -> bool:
    try:
        content[: 64 * 1024].decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False
