"""DuckDB reads the canonical police tables (the contract's CSV, the OData CSV, Parquet) exactly as
the pandas route does, or leaves them to that route.

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


def _fast(path: Path, hint: str | None = None):
    """What the DuckDB route makes of a file: (rows, demo flag, format), or None (the pandas route's)."""
    return read_canonical(path, settings(), reference(), TODAY, hint, None)


def _both(path: Path, hint: str | None = None, region: str | None = None):
    config = settings()
    if region:
        config = type(config)(**{**config.__dict__, "region": region})
    fast = read_canonical(path, config, reference(), TODAY, hint, None)
    parsed = read_delivery(path, hint)
    slow = normalise(parsed, path.name, reference(), config.region, TODAY)
    return fast, slow, parsed


def _assert_same(path: Path, hint: str | None = None, region: str | None = None) -> None:
    fast, slow, parsed = _both(path, hint, region)
    assert fast is not None, "the DuckDB route should take this plain file"
    normalised, demo, fmt = fast
    assert (normalised.source.name, demo, fmt) == (slow.source.name, parsed.demo, parsed.format)
    assert _rows(normalised.frame) == _rows(slow.frame)
    assert normalised.notes == slow.notes
    assert normalised.skipped == slow.skipped


@pytest.mark.parametrize("pattern", ["politie_misdrijven/*wijk*.csv", "politie_incidenten/*wijk*.csv"])
def test_the_demo_police_files_read_the_same_by_both_routes(pattern: str, demo_dir: Path, gvb_home: Path) -> None:
    path = next(demo_dir.glob(pattern))
    _assert_same(path, path.parent.name)
    assert _fast(path, path.parent.name)[1] is True  # DEMO comment


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
    fast, _slow, _parsed = _both(path, "politie_misdrijven")
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
    assert _fast(path, "politie_misdrijven") is None


def test_a_bom_or_another_encoding_is_left_to_the_pandas_route(gvb_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "politie.csv"
    path.write_bytes(b"\xef\xbb\xbf" + f"{HEADER}\n2024-01,GM0599,1.1.1,3\n".encode())
    assert _fast(path, "politie_misdrijven") is None
    path.write_bytes(f"# Gemeente Súdwest\n{HEADER}\n2024-01,GM0599,1.1.1,3\n".encode("cp1252"))
    assert _fast(path, "politie_misdrijven") is None


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


ODATA_HEADER = "ID;SoortMisdrijf;RegioS;Perioden;GeregistreerdeMisdrijven_1"


def test_the_real_odata_buurt_table_reads_the_same_by_both_routes(gvb_home: Path, open_data: Path) -> None:
    """47018NED as the police publish it: space-padded keys, ``2023JJ00``, extra name columns."""
    path = open_data / "crime" / "politie_47018NED_totaal_misdrijven_buurt_2023_eenheid_rotterdam.csv"
    _assert_same(path)
    normalised = _fast(path)[0]
    assert normalised.frame.num_rows == 1223 and sum(normalised.frame["aantal"].to_pylist()) == 96347


def test_an_odata_table_with_totals_empty_cells_and_months_reads_the_same(gvb_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "47022NED.csv"
    path.write_text(
        ODATA_HEADER + "\n"
        "1;0.0.0   ;NL01      ;2024MM01;70000\n"  # the country and an eenheid: skipped and named
        "2;0.0.0   ;RE07      ;2024MM01;9000\n"
        "3;0.0.0   ;GM0599    ;2024MM01;4500\n"
        "4;1.1.1   ;GM0599    ;2024MM01;.\n"  # not published
        "5;1.1.1   ;GM0599    ;2024MM02;\n"
        "6;1.1.1   ;GM0505    ;2024MM02;12\n"
        "7;0.0.0   ;GM0363    ;2024MM01;8000\n"  # Amsterdam: outside RE07
        "8;0.0.0   ;GM0599    ;2023JJ00;51000\n",
        encoding="utf-8",
    )
    _assert_same(path, "politie_misdrijven")
    normalised = _fast(path, "politie_misdrijven")[0]
    assert normalised.skipped == 5 and normalised.notes[0].startswith(
        "2 rijen met regiototalen overgeslagen (NL01, RE07)"
    )
    assert sorted(normalised.frame["periode"].to_pylist()) == ["2023", "2024-01", "2024-02"]
    _assert_same(path, "politie_misdrijven", region="NL")


def test_an_odata_nuisance_table_reads_the_same(gvb_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "47021NED.csv"
    path.write_text(
        "ID,Overlast,WijkenEnBuurten,Perioden,Overlastmeldingen_1\n"
        + "".join(f"{i},E33   ,WK0599{i:02d}  ,2024MM{m:02d},{i * m}\n" for i in range(1, 9) for m in range(1, 4)),
        encoding="utf-8",
    )
    _assert_same(path)
    assert _fast(path)[0].source.name == "politie_incidenten"


@pytest.mark.parametrize(
    ("name", "row"),
    [
        ("a tab in a key", "9;1.1.1\t;GM0599;2024MM03;4"),
        ("a quarter", "9;1.1.1;GM0599;2024KW01;4"),
        ("a non-ASCII space", "9;1.1.1;GM0599\u00a0;2024MM03;4"),
        ("a count with a point", "9;1.1.1;GM0599;2024MM03;1.234"),
    ],
)
def test_an_odata_table_that_is_not_plain_is_left_to_the_pandas_route(
    name: str, row: str, gvb_home: Path, tmp_path: Path
) -> None:
    path = tmp_path / "odata.csv"
    path.write_text(f"{ODATA_HEADER}\n1;0.0.0;GM0505;2024MM01;8\n{row}\n", encoding="utf-8")
    assert _fast(path) is None
    path.write_text(f"{ODATA_HEADER}\n1;0.0.0;GM0505;2024MM01;8\n", encoding="utf-8")
    assert _fast(path, "politie_incidenten") is None  # wrong folder


def test_an_odata_key_the_pandas_route_reads_as_a_region_total_is_one_for_duckdb_too(
    gvb_home: Path, tmp_path: Path
) -> None:
    """The OData reader keeps keys that start with GM, WK or BU; anything else is a total it skips."""
    path = tmp_path / "odata.csv"
    path.write_text(f"{ODATA_HEADER}\n1;0.0.0;GM0505;2024MM01;8\n2;1.1.1;gm0599;2024MM03;4\n", encoding="utf-8")
    _assert_same(path)


def _parquet(path: Path, columns: dict, demo: bool = False) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(columns)
    if demo:
        table = table.replace_schema_metadata({b"gvb": b"DEMO fictief"})
    pq.write_table(table, path)
    return path


def test_a_parquet_extract_reads_the_same_by_both_routes(gvb_home: Path, tmp_path: Path) -> None:
    rows = [
        (f"2024-{m:02d}", f"WK0599{w:02d}", code, m * w)
        for m in range(1, 4)
        for w in range(1, 5)
        for code in ("1.1.1", "1.2.1")
    ]
    rows += [("2024-01", "RE07", "1.1.1", 500), ("2024-01", "GM0363", "1.1.1", 7)]
    columns = {
        "periode": [r[0] for r in rows],
        "gebied_code": [r[1] for r in rows],
        "soort_code": [r[2] for r in rows],
        "aantal": [r[3] for r in rows],
    }
    path = _parquet(tmp_path / "wijken.parquet", columns, demo=True)
    _assert_same(path, "politie_misdrijven")
    assert _fast(path, "politie_misdrijven")[1] is True


@pytest.mark.parametrize(
    ("name", "aantal"),
    [("counts as decimals", [3.0, 4.0]), ("a missing count", [3, None]), ("a negative count", [3, -4])],
)
def test_a_parquet_extract_that_is_not_plain_is_left_to_the_pandas_route(
    name: str, aantal: list, gvb_home: Path, tmp_path: Path
) -> None:
    columns = {"periode": ["2024-01", "2024-02"], "gebied_code": ["GM0599"] * 2, "soort_code": ["1.1.1"] * 2}
    path = _parquet(tmp_path / "x.parquet", {**columns, "aantal": aantal})
    assert _fast(path, "politie_misdrijven") is None
