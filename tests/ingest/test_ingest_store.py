"""Loading is idempotent, re-deliveries replace, and a failing file changes nothing."""

from __future__ import annotations

from pathlib import Path

HEADER = "periode,gebied_code,soort_code,aantal\n"


def write(path: Path, body: str) -> Path:
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_loading_the_same_file_twice_changes_nothing(gvb, tmp_path: Path) -> None:
    path = write(tmp_path / "m.csv", "2024-01,GM0505,1.1.1,5\n2024-01,GM0505,0.0.0,90\n")
    assert gvb("ingest", path).exit_code == 0
    before = gvb.snapshot()
    result = gvb("ingest", path)
    assert result.exit_code == 0 and "ongewijzigd" in result.output
    assert gvb.snapshot() == before


def test_corrected_redelivery_replaces_and_says_so(gvb, tmp_path: Path) -> None:
    first = write(tmp_path / "m_v1.csv", "2024-01,GM0505,1.1.1,5\n2024-02,GM0505,1.1.1,6\n2024-01,GM0599,1.1.1,50\n")
    assert gvb("ingest", first).exit_code == 0
    corrected = write(tmp_path / "m_v2.csv", "2024-02,GM0505,1.1.1,9\n")
    result = gvb("ingest", corrected)
    assert result.exit_code == 0
    assert "vervangt 1 rijen van levering 1 (m_v1.csv" in result.output
    rows = gvb.query("select periode, gemeente_code, aantal, bron_bestand from raw_politie_misdrijven order by 1, 2")
    assert rows == [
        ("2024-01", "GM0505", 5, "m_v1.csv"),
        ("2024-01", "GM0599", 50, "m_v1.csv"),
        ("2024-02", "GM0505", 9, "m_v2.csv"),
    ]
    # another crime type for the same period is a separate delivery, not a correction
    other = write(tmp_path / "m_other.csv", "2024-02,GM0505,1.2.3,4\n")
    assert "vervangt" not in gvb("ingest", other).output
    assert gvb.query("select count(*) from raw_politie_misdrijven") == [(4,)]


def test_failing_file_leaves_store_exactly_as_before(gvb, tmp_path: Path) -> None:
    good = write(tmp_path / "good.csv", "2024-01,GM0505,1.1.1,5\n")
    assert gvb("ingest", good).exit_code == 0
    before = gvb.snapshot()
    # valid rows first, the broken one last: nothing of the file may be loaded
    bad = write(tmp_path / "bad.csv", "2024-01,GM0505,1.1.1,7\n2024-03,GM0599,1.1.1,8\n2024-03,GM0599,1.2.1,-2\n")
    result = gvb("ingest", bad)
    assert result.exit_code == 1
    assert "bad.csv, rij 4, kolom 'aantal': negatief aantal" in result.output
    assert gvb.snapshot() == before


def test_folder_ingest_continues_after_a_bad_file_and_exits_nonzero(gvb, tmp_path: Path) -> None:
    folder = tmp_path / "data_raw" / "politie_misdrijven"
    folder.mkdir(parents=True)
    write(folder / "a.csv", "2024-01,GM0505,1.1.1,5\n")
    write(folder / "b.csv", "2024-01,GM9999,1.1.1,5\n")
    (folder / "notities.md").write_text("geen levering", encoding="utf-8")
    result = gvb("ingest", tmp_path / "data_raw")
    assert result.exit_code == 1
    assert "1 geladen, 0 ongewijzigd, 1 geweigerd" in result.output
    assert "b.csv, rij 2, kolom 'gebied_code': onbekende gemeentecode" in result.output


def test_symlink_in_folder_is_refused(gvb, tmp_path: Path) -> None:
    outside = write(tmp_path / "outside.csv", "2024-01,GM0505,1.1.1,5\n")
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "link.csv").symlink_to(outside)
    result = gvb("ingest", folder)
    assert result.exit_code == 1 and "symbolische koppeling" in result.output
    assert gvb.snapshot() == {}


def test_status_lists_every_source(gvb, tmp_path: Path) -> None:
    write(tmp_path / "m.csv", "2024-01,GM0505,1.1.1,5\n2024-02,GM0505,1.1.1,6\n")
    gvb("ingest", tmp_path / "m.csv")
    import json

    info = json.loads(gvb("status", "--json").output)
    by_source = {row["bron"]: row for row in info["bronnen"]}
    assert info["edities"] == [] and info["afgewezen"] == []
    assert set(by_source) == {
        "politie_misdrijven",
        "politie_incidenten",
        "halt",
        "riec",
        "veiligheidshuis",
        "burgernet",
        "veiligheidsmonitor",
    }
    assert by_source["politie_misdrijven"] | {"laatst_geladen": None} == {
        "bron": "politie_misdrijven", "label": "Politie — misdrijven", "bestanden": 1, "rijen": 2, "perioden": 2,
        "periode_van": "2024-01", "periode_tot": "2024-02", "laatst_geladen": None, "demo": False,
    }  # fmt: skip


def test_sql_is_read_only(gvb, tmp_path: Path) -> None:
    gvb("ingest", write(tmp_path / "m.csv", "2024-01,GM0505,1.1.1,5\n"))
    result = gvb("sql", "select gemeente_code, aantal from raw_politie_misdrijven", "--format", "csv")
    assert result.exit_code == 0 and result.output == "gemeente_code,aantal\nGM0505,5\n"
    assert '"aantal": 5' in gvb("sql", "select aantal from raw_politie_misdrijven", "--format", "json").output
    before = gvb.snapshot()
    for query in [
        "delete from load_politie_misdrijven",
        "drop view raw_politie_misdrijven",
        f"copy (select 1) to '{tmp_path / 'x.csv'}'",
        "select 1; delete from load_halt",
        f"select * from read_csv('{tmp_path / 'm.csv'}')",
    ]:
        result = gvb("sql", query)
        assert result.exit_code != 0, query
        assert "Fout:" in result.output
    assert gvb.snapshot() == before
    assert not (tmp_path / "x.csv").exists()


def test_sql_has_a_time_limit_a_row_cap_and_names_what_it_refuses(gvb, tmp_path: Path, monkeypatch) -> None:
    gvb("ingest", write(tmp_path / "m.csv", "2024-01,GM0505,1.1.1,5\n2024-02,GM0505,1.1.1,7\n"))
    monkeypatch.setenv("GVB_SQL_SECONDS", "1")
    forever = "with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r"
    result = gvb("sql", forever)
    assert result.exit_code == 1 and "langer dan 1 s" in result.output
    monkeypatch.setenv("GVB_SQL_MAX_ROWS", "1")
    result = gvb("sql", "select periode from raw_politie_misdrijven order by 1", "--format", "csv")
    assert result.exit_code == 0 and "2024-01" in result.output and "2024-02" not in result.output
    assert "alleen de eerste 1 rijen" in result.output
    monkeypatch.delenv("GVB_SQL_MAX_ROWS")
    pivot = gvb("sql", "pivot raw_politie_misdrijven on periode using sum(aantal) group by gemeente_code")
    assert pivot.exit_code == 0 and "GM0505" in pivot.output
    install = gvb("sql", "install httpfs")
    assert install.exit_code == 1 and "een INSTALL-opdracht wordt geweigerd" in install.output
