"""The demo extracts: deterministic, every source and format, calibrated, marked as demo."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest

from pipeline.demo import generate
from pipeline.reference import reference

SOURCES = {
    "politie_misdrijven",
    "politie_incidenten",
    "halt",
    "riec",
    "veiligheidshuis",
    "burgernet",
    "veiligheidsmonitor",
}


def test_every_source_in_its_delivery_formats(demo_dir: Path) -> None:
    folders = {p.name for p in demo_dir.iterdir() if p.is_dir()}
    assert folders == SOURCES
    names = [p.name for p in demo_dir.rglob("*") if p.is_file()]
    assert any(n.endswith("TypedDataSet_2025.json") for n in names)  # OData, crimes
    assert any(n.endswith("TypedDataSet_2025.csv") for n in names)  # OData, incidents
    assert any(n.startswith("demo_statline_47013NED") for n in names)  # StatLine export
    for source in ("halt", "riec", "veiligheidshuis", "burgernet"):
        suffixes = {p.suffix for p in (demo_dir / source).iterdir()}
        assert suffixes == {".xlsx", ".csv"}, source
    waves = sorted(p.stem[-4:] for p in (demo_dir / "veiligheidsmonitor").iterdir())
    assert waves == ["2019", "2021", "2023", "2025"]


def test_every_file_says_it_is_demo(demo_dir: Path) -> None:
    import openpyxl

    for path in demo_dir.rglob("*"):
        if path.suffix == ".xlsx":
            workbook = openpyxl.load_workbook(path, read_only=True)
            assert "DEMO" in str(next(workbook.worksheets[0].iter_rows(values_only=True))[0])
            workbook.close()
        elif path.suffix == ".json":
            assert json.loads(path.read_text(encoding="utf-8"))["gvb_demo"] is True
        elif path.is_file():
            assert "DEMO" in path.read_text(encoding="utf-8").splitlines()[0], path


def test_same_seed_same_files(tmp_path: Path) -> None:
    def digest(folder: Path) -> dict[str, str]:
        return {
            str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }

    generate(tmp_path / "a", seed=5, start="2022-07", end="2023-06")
    generate(tmp_path / "b", seed=5, start="2022-07", end="2023-06")
    generate(tmp_path / "c", seed=6, start="2022-07", end="2023-06")
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert digest(tmp_path / "a") != digest(tmp_path / "c")


def _canonical_rows(demo_dir: Path, source: str) -> list[dict[str, str]]:
    path = next((demo_dir / source).glob(f"demo_{source}_wijk_*.csv"))
    with path.open(encoding="utf-8") as fh:
        next(fh)
        return list(csv.DictReader(fh))


def test_predecessor_codes_before_mergers(demo_dir: Path) -> None:
    rows = _canonical_rows(demo_dir, "politie_misdrijven")
    areas_2018 = {r["gebied_code"][:6] for r in rows if r["periode"].startswith("2018")}
    areas_2022 = {r["gebied_code"][:6] for r in rows if r["periode"].startswith("2022")}
    areas_2024 = {r["gebied_code"][:6] for r in rows if r["periode"].startswith("2024")}
    assert {"GM0585", "GM0689", "GM0545"} <= areas_2018 and "GM1963" not in areas_2018  # Hoeksche Waard before 2019
    assert "GM0501" in areas_2022 and not any(a.startswith(("GM1992", "WK1992")) for a in areas_2022)
    assert "GM0501" not in areas_2024 and any(a.startswith("WK1992") for a in areas_2024)


def test_rates_are_calibrated_on_real_2024_figures(demo_dir: Path, open_data: Path) -> None:
    ref = reference()
    real = {}
    for line in csv.reader(
        (open_data / "crime" / "politie_47013NED_totaal_misdrijven_gemeente_2024_raw.csv")
        .read_text(encoding="utf-8")
        .splitlines(),
        delimiter=";",
    ):
        code = ref.code_for_name(line[0], 2024) if len(line) == 2 else None
        if code in ref.region_members("RE07", 2024):
            real[code] = int(line[1])
    demo: dict[str, int] = {}
    for row in _canonical_rows(demo_dir, "politie_misdrijven"):
        if row["periode"].startswith("2024") and row["soort_code"] == "0.0.0":
            gm = "GM" + row["gebied_code"][2:6]
            demo[gm] = demo.get(gm, 0) + int(row["aantal"])
    assert set(demo) == set(real)
    for code, value in real.items():
        assert demo[code] == pytest.approx(value, rel=0.10), ref.gemeente(code).naam


def test_small_numbers_exist_for_suppression(demo_dir: Path) -> None:
    with next((demo_dir / "riec").glob("*.csv")).open(encoding="utf-8") as fh:
        next(fh)
        counts = [int(r["Signalen"]) for r in csv.DictReader(fh, delimiter=";")]
    assert any(1 <= c <= 4 for c in counts) and any(c >= 5 for c in counts)


@pytest.mark.slow
def test_demo_loads_completely(gvb, demo_dir: Path) -> None:
    result = gvb("ingest", demo_dir)
    assert result.exit_code == 0, result.output
    assert "0 geweigerd" in result.output
    info = json.loads(gvb("status", "--json").output)
    for row in info["bronnen"]:
        assert row["rijen"] > 100 and row["demo"] is True, row
    # the crime total is the sum of its parts in every cell: the generator never mixes them up
    mismatch = gvb.query(
        """
        select count(*) from (
            select periode, gebied_code, sum(aantal) filter (soort_code <> '0.0.0') as parts,
                   sum(aantal) filter (soort_code = '0.0.0') as total
            from raw_politie_misdrijven where length(periode) = 7 group by all
        ) where parts <> total
        """
    )
    assert mismatch == [(0,)]
    again = gvb("ingest", demo_dir)
    assert "0 geladen" in again.output and again.exit_code == 0


def test_early_years_load_too(gvb, tmp_path: Path) -> None:
    """Demo extracts from before 2017 (the national benchmark starts in 2012) are valid deliveries."""
    generate(tmp_path / "early", seed=3, start="2013-01", end="2013-12")
    result = gvb("ingest", tmp_path / "early")
    assert result.exit_code == 0, result.output
    assert "0 geweigerd" in result.output
