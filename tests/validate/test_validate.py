"""`gvb validate`: GX suites on the store, a Dutch verdict, JSON for the dashboard, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pipeline.validate.suites import build_suites, expectations_dir

ROOT = Path(__file__).resolve().parents[2]


def test_demo_is_clean_and_writes_json_and_data_docs(gvb, home: Path) -> None:
    result = gvb("validate")
    assert result.exit_code == 0, result.output
    assert "Validatie editie 2025H1" in result.output
    assert "0 blokkerende fout(en), 0 waarschuwing(en)" in result.output
    document = json.loads((home / "validatie" / "2025H1" / "validatie.json").read_text(encoding="utf-8"))
    assert document["uitslag"] == "schoon" and document["exit_code"] == 0 and document["schema_versie"] == 1
    sources = {s["bron"]: s for s in document["bronnen"]}
    assert set(sources) >= {"politie_misdrijven", "halt", "veiligheidsmonitor", "referentie"}
    assert all(s["controles"] == s["geslaagd"] > 0 for s in sources.values())
    assert (home / "validatie" / "2025H1" / document["data_docs"]).is_file()


def test_planted_bad_row_is_reported_by_file_row_and_column(gvb, home: Path, demo_dir: Path, tmp_path: Path) -> None:
    original = next((demo_dir / "riec").glob("*.csv"))
    planted = tmp_path / "riec" / original.name
    planted.parent.mkdir()
    lines = original.read_text(encoding="utf-8").splitlines()
    cells = lines[5].split(";")
    cells[4] = "-7"  # signalen
    lines[5] = ";".join(cells)
    planted.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert gvb("ingest", planted).exit_code == 1
    result = gvb("validate")
    assert result.exit_code == 2, result.output
    assert f"{planted.name}, rij 6, kolom 'E (Signalen)'" in result.output
    assert "BLOKKEREND" in result.output
    document = json.loads((home / "validatie" / "2025H1" / "validatie.json").read_text(encoding="utf-8"))
    assert document["uitslag"] == "blokkerend"
    riec = next(s for s in document["bronnen"] if s["bron"] == "riec")
    assert riec["blokkerend"] == 1 and riec["bevindingen"][0]["voorbeelden"][0]["rij"] == 6


def burgernet_with_rotterdam_may_2023_times(factor: int, demo_dir: Path, tmp_path: Path) -> tuple[Path, int]:
    """A re-delivery of Burgernet 2023 with Rotterdam's May actions multiplied; the file and its row index."""
    original = next(p for p in (demo_dir / "burgernet").glob("*.csv") if "2023" in p.name)
    planted = tmp_path / "burgernet" / original.name
    planted.parent.mkdir()
    lines = original.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("2023-05;GM0599;"))
    cells = lines[row].split(";")
    cells[5] = str(int(cells[5]) * factor)  # acties
    lines[row] = ";".join(cells)
    planted.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return planted, row


def test_tenfold_jump_warns(gvb, home: Path, demo_dir: Path, tmp_path: Path) -> None:
    planted, row = burgernet_with_rotterdam_may_2023_times(10, demo_dir, tmp_path)
    assert gvb("ingest", planted).exit_code == 0
    result = gvb("validate")
    assert result.exit_code == 1, result.output
    assert "waarschuwing" in result.output and f"{planted.name}, rij {row + 1}" in result.output
    assert gvb("validate", "--strict").exit_code == 2


def test_figure_rewritten_since_the_previous_edition_warns(gvb, home: Path, demo_dir: Path, tmp_path: Path) -> None:
    assert gvb("publish", "--edition", "2024").exit_code == 0
    assert (home / "bouw" / "bron_totalen_2024.parquet").is_file()
    assert not list((home / "edities" / "2024").glob("*.parquet"))  # unsuppressed totals stay out of editions
    # Burgernet re-delivers 2023 with May in Rotterdam tripled: within the yearly jump, not as a revision
    planted, row = burgernet_with_rotterdam_may_2023_times(3, demo_dir, tmp_path)
    assert gvb("ingest", planted).exit_code == 0
    result = gvb("validate", "--edition", "2025H1")
    assert result.exit_code == 1, result.output
    document = json.loads((home / "validatie" / "2025H1" / "validatie.json").read_text(encoding="utf-8"))
    findings = [f for s in document["bronnen"] for f in s["bevindingen"]]
    assert [f["regel"] for f in findings] == ["sprong t.o.v. vorige editie"]
    assert "vorige editie: 2024" in findings[0]["omschrijving"]
    assert findings[0]["voorbeelden"][0]["rij"] == row + 1


def test_unknown_edition_is_a_clear_error(gvb, home: Path) -> None:
    result = gvb("validate", "--edition", "2025Q3")
    assert result.exit_code == 1 and "onbekende editie" in result.output


def test_suites_are_in_sync_with_contracts_and_catalogue() -> None:
    check = subprocess.run(
        [sys.executable, "-m", "pipeline.validate.suites", "--check"], capture_output=True, text=True, cwd=ROOT
    )
    assert check.returncode == 0, check.stdout + check.stderr
    for name, suite in build_suites().items():
        on_disk = json.loads((expectations_dir() / f"{name}.json").read_text(encoding="utf-8"))
        assert on_disk == suite
        for expectation in suite["expectations"]:
            assert expectation["meta"]["ernst"] in {"blokkerend", "waarschuwing"}
            assert expectation["severity"] == (
                "critical" if expectation["meta"]["ernst"] == "blokkerend" else "warning"
            )
            assert expectation["meta"]["omschrijving"]


def test_suites_are_valid_gx_suites() -> None:
    from pipeline.validate.gx_runtime import _import_gx

    gx = _import_gx()
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    for suite in build_suites().values():
        objects = [
            ExpectationConfiguration(**{k: v for k, v in e.items()}).to_domain_obj() for e in suite["expectations"]
        ]
        assert gx.ExpectationSuite(name=suite["name"], expectations=objects).expectations


def test_validation_json_contract_is_documented() -> None:
    readme = (ROOT / "expectations" / "README.md").read_text(encoding="utf-8")
    for key in ["schema_versie", "editie", "opslag_versie", "gevalideerd_op", "uitslag", "exit_code", "totalen", "bronnen", "bevindingen",
                "voorbeelden", "aantal_onverwacht", "data_docs", "ernst", "overgenomen"]:  # fmt: skip
        assert f"`{key}`" in readme, key


def test_status_and_sql_do_not_import_great_expectations(home: Path) -> None:
    code = (
        "import sys; from typer.testing import CliRunner; from pipeline.cli import app; "
        "r = CliRunner().invoke(app, ['status']); assert r.exit_code == 0, r.output; "
        "r = CliRunner().invoke(app, ['sql', 'select 1']); assert r.exit_code == 0, r.output; "
        "assert 'great_expectations' not in sys.modules"
    )
    env = {**os.environ, "GVB_HOME": str(home)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_helper_columns_flag_what_the_suites_check() -> None:
    import datetime as dt

    import pandas as pd

    from pipeline.kernel.sources import SOURCES
    from pipeline.reference import reference
    from pipeline.validate.frames import validation_frame

    rows = pd.DataFrame(
        {
            "periode": ["2024-01", "2024-01", "2023-01", "2024-01", "2024-02", "2099-01"],
            "gebied_code": ["GM0599", "WK059901", "GM0505", "GM0505", "GM0501", "GM0505"],
            "soort_code": ["0.0.0", "0.0.0", "0.0.0", "0.0.0", "0.0.0", "0.0.0"],
            "soort_naam": [None] * 6,
            "aantal": [100, 40, 30, 300, 5, 1],
            "gemeente_code": ["GM0599", "GM0599", "GM0505", "GM0505", "GM0501", "GM0505"],
            "bron_rij": range(2, 8),
        }
    )
    source = SOURCES["politie_misdrijven"]
    frame = validation_frame(source, rows, reference(), dt.date(2026, 11, 24), with_trends=False)
    assert frame["_totaal_gemengd"].tolist() == [True, False, False, False, False, False]
    assert frame["_gebied_ok"].tolist() == [True, True, True, True, False, True]  # Brielle is gone in 2024
    assert frame["_periode_ok"].tolist() == [True] * 5 + [False]
    assert frame["_periode_index"].tolist() == [2024 * 12 + 1] * 2 + [
        2023 * 12 + 1,
        2024 * 12 + 1,
        2024 * 12 + 2,
        2099 * 12 + 1,
    ]
    trends = validation_frame(source, rows, reference(), dt.date(2026, 11, 24)).set_index("bron_rij")
    assert trends.loc[5, "_sprongfactor"] == 10.0  # Dordrecht January 2024 against January 2023
    assert pd.isna(trends.loc[4, "_sprongfactor"])  # nothing to compare with
    # 2024 is delivered for January and February: a gemeente with one of them misses one month
    assert trends.loc[5, "_ontbrekende_maanden"] == 1
    assert trends.loc[4, "_ontbrekende_maanden"] == 0  # 2023: only January delivered, by anyone


def _tiny_store(gvb, tmp_path: Path) -> Path:
    """Police figures of every gemeente for January-June 2025: validation and publishing in seconds."""
    from pipeline.reference import reference

    members = sorted(reference().region_members("RE07", 2025))
    police = tmp_path / "politie_misdrijven" / "p.csv"
    police.parent.mkdir()
    police.write_text(
        "periode,gebied_code,soort_code,aantal\n"
        + "".join(f"2025-{m:02d},{c},1.1.1,7\n" for c in members for m in range(1, 7)),
        encoding="utf-8",
    )
    assert gvb("ingest", police).exit_code == 0
    return gvb.home


def test_validation_reaches_the_edition_only_for_the_data_it_was_built_from(gvb, tmp_path: Path) -> None:
    home = _tiny_store(gvb, tmp_path)
    edition = home / "edities" / "2025H1"
    assert gvb("publish", "--edition", "2025H1").exit_code == 0
    assert gvb("validate", "--edition", "2025H1").exit_code in (0, 1)
    manifest = json.loads((edition / "manifest.json").read_text(encoding="utf-8"))
    shown = json.loads((edition / "validatie.json").read_text(encoding="utf-8"))
    assert shown["opslag_versie"] == manifest["opslag_versie"] and (edition / "data_docs" / "index.html").is_file()
    # a refresh that does not publish (here: new data, validated, not published) leaves the edition's page
    extra = tmp_path / "riec" / "riec_extra.csv"
    extra.parent.mkdir()
    extra.write_text("Periode;Gemeentecode;Thema;Signalen;Casussen\n2025H1;GM0599;Drugs;9999;1\n", encoding="utf-8")
    before = (edition / "validatie.json").read_bytes()
    assert gvb("ingest", extra).exit_code == 0
    gvb("validate", "--edition", "2025H1")
    assert (edition / "validatie.json").read_bytes() == before
    staged = json.loads((home / "validatie" / "2025H1" / "validatie.json").read_text(encoding="utf-8"))
    assert staged["opslag_versie"] > manifest["opslag_versie"]
    # publishing that data takes the validation of exactly that data along
    assert gvb("publish", "--edition", "2025H1").exit_code == 0
    shown = json.loads((edition / "validatie.json").read_text(encoding="utf-8"))
    assert shown["opslag_versie"] == staged["opslag_versie"]
    # publishing data nobody validated removes the page that describes other data
    extra.write_text("Periode;Gemeentecode;Thema;Signalen;Casussen\n2025H1;GM0599;Drugs;12;1\n", encoding="utf-8")
    assert gvb("ingest", extra).exit_code == 0
    assert gvb("publish", "--edition", "2025H1").exit_code == 0
    assert not (edition / "validatie.json").exists() and not (edition / "data_docs").exists()


def test_a_full_disk_during_validation_is_named_without_tracebacks(gvb, tmp_path: Path, monkeypatch, capfd) -> None:
    """GX writing Data Docs, and gvb writing validatie.json: each on a full disk is exit 74 with the
    path, no library traceback, and nothing half-written beside the store."""
    import errno

    from great_expectations.data_context.store.tuple_store_backend import TupleFilesystemStoreBackend

    home = _tiny_store(gvb, tmp_path)

    def full(self, key, value, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(self.full_base_directory))

    monkeypatch.setattr(TupleFilesystemStoreBackend, "_set", full)
    result = gvb("validate", "--edition", "2025H1")
    captured = capfd.readouterr()
    assert result.exit_code == 74 and "de schijf is vol" in result.output and "data_docs" in result.output
    assert "Traceback" not in result.output + captured.out + captured.err
    assert not (home / "validatie" / "2025H1" / "validatie.json").exists()
    monkeypatch.undo()

    real_write = Path.write_text

    def write_text(self, *args, **kwargs):
        if "validatie" in self.name:  # validatie.json, or the temporary file it is written through
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", write_text)
    result = gvb("validate", "--edition", "2025H1")
    assert result.exit_code == 74 and "validatie" in result.output and "Traceback" not in result.output
    assert not list((home / "validatie" / "2025H1").glob("*validatie*"))  # nothing half-written, no temporary file


def test_batches_keep_every_row_and_cut_a_big_year_between_its_periods() -> None:
    from pipeline.validate.frames import _cut

    counts = [("2012", "2012", 30), ("2013", "2013", 30), ("2014", "2014", 30)]
    counts += [("2024", f"2024-{m:02d}", 40) for m in range(1, 13)]  # 480 rows: more than one batch holds
    counts += [("2025", "2025-01", 10)]
    batches = _cut(counts, 100)
    assert [label for label, _ in batches] == [
        "2012-2014", "2024-01 t/m 2024-02", "2024-03 t/m 2024-04", "2024-05 t/m 2024-06",
        "2024-07 t/m 2024-08", "2024-09 t/m 2024-10", "2024-11 t/m 2024-12", "2025",
    ]  # fmt: skip

    def rows(bounds: tuple[str, str, str, str]) -> int:
        first, last, low, high = bounds
        return sum(n for year, period, n in counts if first <= year <= last and low <= period <= high)

    assert sum(rows(bounds) for _, bounds in batches) == sum(n for *_, n in counts)
    assert all(rows(bounds) <= 100 for _, bounds in batches)


def test_unchanged_data_carries_its_results_forward_and_a_new_delivery_is_validated_again(
    gvb, home: Path, demo_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    import json

    planted, row = burgernet_with_rotterdam_may_2023_times(10, demo_dir, tmp_path)
    assert gvb("ingest", planted).exit_code == 0

    def run() -> tuple[str, dict[str, dict]]:
        result = gvb("validate")
        assert result.exit_code == 1, result.output  # the planted jump is a warning
        path = next((home / "validatie").glob("*/validatie.json"))
        return result.output, {v["bron"]: v for v in json.loads(path.read_text(encoding="utf-8"))["bronnen"]}

    _, first = run()
    assert all(verdict["overgenomen"] == [] for verdict in first.values())
    second_output, second = run()
    sources = ("politie_misdrijven", "politie_incidenten", "halt", "riec", "veiligheidshuis", "burgernet")
    assert all(second[name]["overgenomen"] for name in sources)
    assert "uitslag overgenomen" in second_output
    for name in sources:  # the same verdict, the planted warning included
        assert second[name]["bevindingen"] == first[name]["bevindingen"], name
        assert (second[name]["controles"], second[name]["geslaagd"]) == (
            first[name]["controles"],
            first[name]["geslaagd"],
        )
    assert f"{planted.name}, rij {row + 1}" in second_output

    # RIEC delivers again (one figure changed): RIEC is validated again, the police are not
    delivery = next(demo_dir.glob("riec/*2023.csv"))
    lines = delivery.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Periode"))
    cells = lines[header + 1].split(";")
    cells[-1] = str(int(cells[-1]) + 1)
    lines[header + 1] = ";".join(cells)
    again = tmp_path / "riec" / "riec_2023_gecorrigeerd.csv"
    again.parent.mkdir()
    again.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert gvb("ingest", again).exit_code == 0
    _, third = run()
    assert third["riec"]["overgenomen"] == [] and third["politie_misdrijven"]["overgenomen"]

    # another day (a period may now lie in the past that did not): nothing is carried
    monkeypatch.setenv("GVB_TODAY", "2026-11-25")
    _, fourth = run()
    assert all(verdict["overgenomen"] == [] for verdict in fourth.values())
