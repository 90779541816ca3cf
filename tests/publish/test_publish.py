"""Editions: published atomically after the mart checks, reproducible, revised, locked, kill-safe."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipeline.kernel.config import settings
from pipeline.publish.run import table_checksum

ROOT = Path(__file__).resolve().parents[2]


def _published(home: Path, edition: str) -> Path:
    return home / "edities" / edition / f"gvb_{edition}.duckdb"


def _checksum(path: Path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return table_checksum(con, "indicator_values")
    finally:
        con.close()


def test_publish_writes_edition_and_manifest(gvb, home: Path) -> None:
    result = gvb("publish", "--edition", "2025H1")
    assert result.exit_code == 0, result.output
    assert "DEMO — fictieve cijfers" in result.output and "opvallende ontwikkelingen" in result.output
    manifest = json.loads((home / "edities" / "2025H1" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["editie"] == "2025H1" and manifest["demo"] is True and len(manifest["code_checksum"]) == 64
    assert {i["bron"] for i in manifest["invoer"]} >= {"politie_misdrijven", "halt", "veiligheidsmonitor"}
    assert all(len(i["sha256"]) == 64 for i in manifest["invoer"])
    assert manifest["data_checksums"]["indicator_values"] == _checksum(_published(home, "2025H1"))
    assert not list((home / "edities" / "2025H1").glob(".*bouw*"))
    assert "Gepubliceerde editie 2025H1" in gvb("status").output


def test_same_inputs_same_marts(gvb, home: Path, tmp_path: Path, monkeypatch) -> None:
    assert gvb("publish", "--edition", "2025H1").exit_code == 0
    first = json.loads((home / "edities" / "2025H1" / "manifest.json").read_text(encoding="utf-8"))
    other = tmp_path / "other_home"
    other.mkdir()
    (other / "gvb.duckdb").write_bytes((home / "gvb.duckdb").read_bytes())
    monkeypatch.setenv("GVB_HOME", str(other))
    assert gvb("publish", "--edition", "2025H1").exit_code == 0
    second = json.loads((other / "edities" / "2025H1" / "manifest.json").read_text(encoding="utf-8"))
    assert first["data_checksums"] == second["data_checksums"]


def test_revisions_list_changed_figures(gvb, home: Path, tmp_path: Path) -> None:
    assert gvb("publish", "--edition", "2024").exit_code == 0
    # a corrected police delivery for March 2024 in Dordrecht (one wijk)
    con = duckdb.connect(str(home / "gvb.duckdb"), read_only=True)
    rows = con.execute(
        "select periode, gebied_code, soort_code, aantal from raw_politie_misdrijven where periode = '2024-03' and gemeente_code = 'GM0505'"
    ).df()
    con.close()
    wijk = rows.loc[rows["soort_code"] == "1.1.1", "gebied_code"].iloc[0]
    changed = (rows["gebied_code"] == wijk) & rows["soort_code"].isin(["1.1.1", "0.0.0"])
    rows.loc[changed, "aantal"] += 40  # 40 more burglaries, so 40 more crimes in total
    correction = tmp_path / "politie_misdrijven" / "correctie_2024-03.csv"
    correction.parent.mkdir()
    rows.to_csv(correction, index=False)
    assert "vervangt" in gvb("ingest", correction).output
    result = gvb("publish", "--edition", "2025H1")
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(_published(home, "2025H1")), read_only=True)
    revisions = con.execute(
        "select previous_edition, area_code, period, revision from revisions where indicator_code = 'M_WONINGINBRAAK' and level = 'gemeente'"
    ).fetchall()
    con.close()
    assert ("2024", "GM0505", "2024H1", 40.0) in revisions and ("2024", "GM0505", "2024", 40.0) in revisions


def test_failed_mart_check_keeps_previous_edition(gvb, home: Path, monkeypatch) -> None:
    assert gvb("publish", "--edition", "2025H1").exit_code == 0
    before = _checksum(_published(home, "2025H1"))
    import pipeline.build.suppress

    monkeypatch.setattr(pipeline.build.suppress, "_cached", lambda *tables: (pd.DataFrame(
        columns=["level", "area_code", "period", "indicator_code", "suppressed", "reason"]), "", 0))  # fmt: skip
    result = gvb("publish", "--edition", "2025H1")
    assert result.exit_code == 2
    assert "niet gepubliceerd" in result.output and "geen gevoelig aantal van 1 tot en met 4" in result.output
    assert _checksum(_published(home, "2025H1")) == before


def test_second_refresh_is_refused_while_one_runs(gvb, home: Path) -> None:
    from pipeline.kernel.locking import exclusive

    with exclusive(settings(), "test"):
        result = gvb("refresh", "--edition", "2025H1")
    assert result.exit_code == 3 and "er loopt al een verversing of publicatie" in result.output


def test_killed_publish_leaves_previous_edition_intact(gvb, home: Path) -> None:
    assert gvb("publish", "--edition", "2025H1").exit_code == 0
    before = _checksum(_published(home, "2025H1"))
    env = {**os.environ, "GVB_HOME": str(home)}
    for delay in (0.5, 4.0):
        process = subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli", "publish", "--edition", "2025H1"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert _checksum(_published(home, "2025H1")) == before, f"edition changed after a kill at {delay}s"
    # the lock died with the process and the next publication cleans up after the killed ones
    assert gvb("publish", "--edition", "2025H1").exit_code == 0
    assert not list((home / "edities" / "2025H1").glob(".*bouw*"))
    assert _checksum(_published(home, "2025H1")) == before


def _small_store(gvb, tmp_path: Path) -> None:
    """Police figures of every gemeente for 2018-2019 and a Halt delivery: a build of seconds."""
    from pipeline.reference import reference

    members = sorted(reference().region_members("RE07", 2019))
    police = "periode,gebied_code,soort_code,aantal\n" + "".join(
        f"{year},{code},0.0.0,{100 + 10 * i + year % 2}\n"
        for year in (2018, 2019)
        for i, code in enumerate(sorted(reference().region_members("RE07", year)))
    )
    halt = "Periode;Gemeentecode;Gemeente;Delictgroep;Aantal verwijzingen\n" + "".join(
        f"2019-H{half};{code};;Vermogen;{3 + i}\n" for half in (1, 2) for i, code in enumerate(members)
    )
    for source, text in (("politie_misdrijven", police), ("halt", halt)):
        (tmp_path / "in" / source).mkdir(parents=True)
        (tmp_path / "in" / source / "levering.csv").write_text(text, encoding="utf-8")
    assert gvb("ingest", tmp_path / "in").exit_code == 0


def _consistent(home: Path, edition: str) -> dict:
    """What a reader sees is one whole publication: its database has the checksums of its manifest,
    and a validation or report beside it belongs to it. Returns the manifest."""
    folder = home / "edities" / edition
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["data_checksums"]["indicator_values"] == _checksum(folder / f"gvb_{edition}.duckdb")
    assert folder.resolve().name == manifest["publicatie"]
    if (folder / "validatie.json").exists():
        validation = json.loads((folder / "validatie.json").read_text(encoding="utf-8"))
        assert validation["opslag_versie"] == manifest["opslag_versie"]
    return manifest


def test_a_kill_at_every_step_of_publishing_leaves_one_whole_publication(gvb, tmp_path: Path) -> None:
    """Killed (SIGKILL) before and after every rename of publishing: readers see the old
    publication with its report, or the new one without it; never a mix; the next publish
    cleans up."""
    _small_store(gvb, tmp_path)
    assert gvb("publish", "--edition", "2019").exit_code == 0
    assert gvb("validate", "--edition", "2019").exit_code in (0, 1)
    report = gvb.home / "edities" / "2019" / "rapporten" / "gvb_2019_GM0505.csv"
    # after the database is renamed into the new directory, after the validation is copied beside
    # it (the directory's own rename is next), after that rename, and after the link is switched
    for point, switched in (("database", False), ("validatie", False), ("hernoemd", False), ("omgezet", True)):
        if not report.exists():
            assert gvb("report", "--edition", "2019", "--gemeente", "GM0505", "--format", "csv").exit_code == 0
        old = _consistent(gvb.home, "2019")
        env = {**os.environ, "GVB_HOME": str(gvb.home), "GVB_FOUT_BIJ": point}
        killed = subprocess.run(
            [sys.executable, "-m", "pipeline.cli", "publish", "--edition", "2019"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert killed.returncode == -signal.SIGKILL, (point, killed.stderr)
        seen = _consistent(gvb.home, "2019")
        if switched:  # the new publication, and the report of the old one is gone with it
            assert seen["publicatie"] != old["publicatie"] and not report.exists(), point
            assert (gvb.home / "edities" / "2019" / "validatie.json").exists()  # the same data, validated
        else:
            assert seen["publicatie"] == old["publicatie"] and report.exists(), point
    # the next publication cleans up after all the killed ones
    assert gvb("publish", "--edition", "2019").exit_code == 0
    _consistent(gvb.home, "2019")
    left = sorted(p.name for p in (gvb.home / "edities").rglob("*") if p.name.startswith("."))
    assert left == [".publicaties"], left
    assert len(list((gvb.home / "edities" / ".publicaties").iterdir())) == 1


@pytest.mark.parametrize("edition", ["2025H2", "2025Q1", "../x"])
def test_bad_edition_names(gvb, home: Path, edition: str) -> None:
    result = gvb("publish", "--edition", edition)
    assert result.exit_code == 1 and "onbekende editie" in result.output


def test_published_edition_holds_only_public_tables(published_home: Path, tmp_path: Path) -> None:
    import duckdb

    path = published_home / "edities" / "2025H1" / "gvb_2025H1.duckdb"
    copy = tmp_path / "kopie.duckdb"  # the dashboard tests may hold the file open in this process
    shutil.copyfile(path, copy)
    con = duckdb.connect(str(copy), read_only=True)
    try:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    finally:
        con.close()
    assert {"indicator_values", "veiligheidsmonitor_values", "revisions", "manifest"} <= tables
    assert not [t for t in tables if t.startswith(("stg_", "int_"))], tables
    # the unsuppressed counts are not even in the file's bytes (dropped tables would leave them there)
    assert b"int_indicator_basis" not in path.read_bytes()


def test_report_workers_die_with_their_parent(tmp_path: Path) -> None:
    """kill -9 of `gvb report --all` must not leave WeasyPrint workers behind."""
    script = tmp_path / "pool.py"
    script.write_text(
        "import multiprocessing, os, time\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "from pipeline.report.batch import die_with_parent\n"
        "if __name__ == '__main__':\n"
        "    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context('spawn'), initializer=die_with_parent)\n"
        "    futures = [pool.submit(time.sleep, 60) for _ in range(2)]\n"
        "    time.sleep(3)\n"
        "    print(' '.join(str(p) for p in pool._processes), flush=True)\n"
        "    time.sleep(60)\n",
        encoding="utf-8",
    )
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    workers = [int(p) for p in parent.stdout.readline().split()]
    assert len(workers) == 2
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.time() + 10
    alive = workers
    while alive and time.time() < deadline:
        time.sleep(0.2)
        alive = [
            p
            for p in workers
            if Path(f"/proc/{p}").exists() and "Z" not in Path(f"/proc/{p}/stat").read_text().split()[2]
        ]
    assert not alive, f"workers still running: {alive}"


def test_a_failed_build_leaves_no_database_or_log_behind(gvb, home: Path, monkeypatch) -> None:
    from pipeline.build import run as build

    def broken(*args, **kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr(build, "reference", broken)
    result = gvb("publish", "--edition", "2025H1")
    assert result.exit_code != 0
    folder = home / "edities" / "2025H1"
    leftovers = [p.name for p in folder.glob(".*")] if folder.exists() else []
    assert not leftovers, leftovers
    assert not list((home / "bouw").glob(".*.tmp")) if (home / "bouw").exists() else True


def test_no_sensitive_small_number_at_any_level_of_the_demo_edition(published_home: Path, tmp_path: Path) -> None:
    """The small-number rule holds for districts and the eenheid too, and a hidden district or
    eenheid is not given away as the benchmark rate of its gemeenten."""
    copy = tmp_path / "kopie.duckdb"
    shutil.copyfile(published_home / "edities" / "2025H1" / "gvb_2025H1.duckdb", copy)
    con = duckdb.connect(str(copy), read_only=True)
    try:
        shown = con.execute(
            """
            select v.level, count(*) from indicator_values v join ref_indicatoren i using (indicator_code)
            where i.gevoeligheid = 'gevoelig' and (v.value between 1 and 4 or v.prev_value between 1 and 4)
            group by 1
            """
        ).fetchall()
        hidden_levels = con.execute(
            """
            select distinct v.level from indicator_values v join ref_indicatoren i using (indicator_code)
            where i.gevoeligheid = 'gevoelig' and v.suppressed
            """
        ).fetchall()
        benchmark_leaks = con.execute(
            """
            select count(*) from indicator_values g
            join indicator_values d on d.level = 'district' and d.area_code = g.district_code
              and d.indicator_code = g.indicator_code and d.period = g.period
            where g.level = 'gemeente' and d.suppressed and g.benchmark_district_rate is not null
            """
        ).fetchall()
    finally:
        con.close()
    assert shown == []
    assert ("district",) in hidden_levels
    assert benchmark_leaks == [(0,)]


def test_no_hidden_cell_can_be_derived_from_the_public_export(published_home: Path, tmp_path: Path, run_gvb_in) -> None:
    """The leak test: the audit on the exported table alone (plus the public indicator definitions)
    finds every hidden cell with room; planting the true figures beside one hidden cell makes it fail."""
    from pipeline.build.disclosure.table import audit_values
    from pipeline.build.run import indicator_filters
    from pipeline.reference import reference

    ref = reference()
    filters = indicator_filters(ref)
    indicators = pd.DataFrame(
        [(i.code, i.gevoeligheid, i.aggregatie) for i in ref.indicators],
        columns=["indicator_code", "gevoeligheid", "aggregatie"],
    )
    home = tmp_path / "home"
    shutil.copytree(published_home, home)
    export = tmp_path / "indicator_values.parquet"
    run_gvb_in(home, "export", "--edition", "2025H1", "--format", "parquet", "--out", str(export))
    public = pd.read_parquet(export)
    verdict = audit_values(public, filters, indicators)
    assert verdict.failing == [] and verdict.audited > 1000
    assert verdict.audited == int(public["suppressed"].sum())

    # plant: publish every other hidden cell with its true figure; one Halt delictgroep stays hidden
    run_gvb_in(home, "build", "--edition", "2025H1")
    con = duckdb.connect(str(home / "bouw" / "gvb_2025H1.duckdb"), read_only=True)
    truth = con.execute("select level, area_code, period, indicator_code, value from int_indicator_basis").df()
    con.close()
    keys = ["level", "area_code", "period", "indicator_code"]
    planted = public.merge(truth.rename(columns={"value": "true_value"}), on=keys, how="left")
    target = planted[
        planted["suppressed"] & (planted["indicator_code"] == "H_VUURWERK") & (planted["level"] == "gemeente")
    ].iloc[0]
    others = planted["suppressed"] & ~(planted[keys] == target[keys]).all(axis=1)
    planted.loc[others, "value"] = planted.loc[others, "true_value"]
    planted.loc[others, "suppressed"] = False
    verdict = audit_values(planted.drop(columns="true_value"), filters, indicators)
    (found,) = verdict.failing
    assert found.cell == tuple(target[keys])
    assert found.low == found.high == target["true_value"]


def test_publish_refuses_a_table_in_which_a_hidden_cell_can_be_worked_out(gvb, tmp_path: Path, monkeypatch) -> None:
    """The audit at publish is a gate of its own: with only the primary suppressions, Halt's
    total minus the published delictgroep gives the hidden one away, and nothing is published."""
    import pipeline.build.suppress
    from pipeline.reference import reference

    # a build that hid only the primary cells and did not audit (its verdict matches nothing)
    monkeypatch.setattr(
        pipeline.build.suppress, "choose", lambda values, primary, *rest: dict.fromkeys(primary, "klein")
    )
    monkeypatch.setattr(
        pipeline.build.suppress, "_cached", lambda *tables: (pipeline.build.suppress.compute(*tables)[0], "", 0)
    )
    members = sorted(reference().region_members("RE07", 2019))
    police = "periode,gebied_code,soort_code,aantal\n" + "".join(f"2019,{code},0.0.0,100\n" for code in members)
    halt = "Periode;Gemeentecode;Gemeente;Delictgroep;Aantal verwijzingen\n2019-H1;GM0505;;Vermogen;3\n"
    halt += "".join(f"2019-H1;{code};;Geweld;{10 + i}\n" for i, code in enumerate(members))
    for source, text in (("politie_misdrijven", police), ("halt", halt)):
        (tmp_path / "in" / source).mkdir(parents=True)
        (tmp_path / "in" / source / "levering.csv").write_text(text, encoding="utf-8")
    assert gvb("ingest", tmp_path / "in").exit_code == 0
    result = gvb("publish", "--edition", "2019")
    assert result.exit_code == 2, result.output
    assert "H_VERMOGEN gemeente GM0505 2019H1 ligt volgens de gepubliceerde cijfers tussen 0 en 3" in result.output
    assert "-0" not in result.output
    assert not (gvb.home / "edities" / "2019").exists()
    monkeypatch.undo()
    monkeypatch.setenv("GVB_HOME", str(gvb.home))
    monkeypatch.setenv("GVB_TODAY", "2026-11-24")
    assert gvb("publish", "--edition", "2019").exit_code == 0  # with the complements it goes
