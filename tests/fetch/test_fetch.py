"""`gvb fetch politie` (issue 17) against a local feed in CBS's shapes: every page, faults and
resumption, what ingest then loads, and refusals that leave nothing where ingest looks."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

from pipeline.kernel.sources import SOURCES

TABLE = SOURCES["politie_misdrijven"].table
REGION_AREAS = {"WK050501", "WK050503"}  # the wijken: not the country, gemeenten, buurten or Amsterdam


def _expected(feed, since: str = "2024MM01") -> dict[str, int]:
    sums: dict[str, int] = {}
    for row in feed.rows:
        area = row["WijkenEnBuurten"].strip()
        if area in REGION_AREAS and "MM" in row["Perioden"] and row["Perioden"] >= since:
            sums[area] = sums.get(area, 0) + row[feed.measure]
    return sums


def _stored(gvb) -> dict[str, int]:
    return dict(gvb.query(f"select gebied_code, sum(aantal) from {TABLE} group by 1"))


def _page_requests(feed, skip: int) -> int:
    """How often a data page was asked (the first page has no $skip)."""
    pages = [p for p in feed.log if "/TypedDataSet?" in p and "startswith(WijkenEnBuurten,'WK0505')" in _plain(p)]
    return sum(1 for p in pages if (f"$skip={skip}" in _plain(p)) or (skip == 0 and "$skip" not in _plain(p)))


def _plain(path: str) -> str:
    from urllib.parse import unquote

    return unquote(path)


def _fetch(gvb, data: Path, *extra: str):
    return gvb("fetch", "politie", "--tabel", "47022NED", "--vanaf", "2024-01", "--data", data, *extra)


def test_a_fetch_of_several_pages_is_complete_and_loads_with_the_expected_sums(gvb, feed_settings, tmp_path) -> None:
    feed, data = feed_settings, tmp_path / "data_raw"
    result = _fetch(gvb, data)
    assert result.exit_code == 0, result.output
    folder = data / "politie_misdrijven" / "47022NED_RE07"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    expected_rows = len(REGION_AREAS) * 4 * 24  # four codes (total included), 24 months, no year rows
    assert manifest["tabel"] == "47022NED" and manifest["gewijzigd"] == "2025-11-15T02:00:00"
    assert manifest["rijen"] == expected_rows and len(manifest["paginas"]) >= expected_rows // feed.page_size
    assert sum(manifest["tellingen"]) == expected_rows  # the feed's own count agrees
    assert all(page["url"].startswith(feed.base) and len(page["sha256"]) == 64 for page in manifest["paginas"])
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json"] + [p["bestand"] for p in manifest["paginas"]]
    assert [p.name for p in (data / "politie_misdrijven").iterdir()] == ["47022NED_RE07"]  # nothing half-written
    # only the region was asked: the wijken of every gemeente of RE07, never Amsterdam, and short addresses
    asked = " ".join(_plain(p) for p in feed.log)
    assert "'WK0599'" in asked and "'WK0505'" in asked and "0363" not in asked and "'BU" not in asked
    assert "'GM" not in asked  # a wijk table gives wijken; the gemeente totals come from 47013NED
    assert max(len(p) for p in feed.log) < 2000
    assert "opgehaald" in result.output or "✓ 47022NED" in result.output

    result = gvb("ingest", data)
    assert result.exit_code == 0, result.output
    assert "1 geladen" in result.output and "47022NED (tabel gewijzigd 2025-11-15T02:00:00" in result.output
    assert _stored(gvb) == _expected(feed)

    # the same table again: nothing fetched but TableInfos and DataProperties, nothing changes
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    asked_before = len(feed.log)
    result = _fetch(gvb, data)
    assert result.exit_code == 0 and "niet gewijzigd sinds 2025-11-15T02:00:00" in result.output
    assert [p for p in feed.log[asked_before:] if "TypedDataSet" in p] == []
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert "0 geladen, 1 ongewijzigd" in gvb("ingest", data).output

    # the police revise the table: a new delivery that replaces the rows it covers
    feed.modified = "2026-01-20T02:00:00"
    changed = next(r for r in feed.rows if r["WijkenEnBuurten"] == "WK050503  " and r["Perioden"] == "2024MM03"
                   and r["SoortMisdrijf"] == "1.1.1 ")  # fmt: skip
    changed[feed.measure] += 72
    total = next(r for r in feed.rows if r["WijkenEnBuurten"] == "WK050503  " and r["Perioden"] == "2024MM03"
                 and r["SoortMisdrijf"] == "0.0.0 ")  # fmt: skip
    total[feed.measure] += 72
    result = _fetch(gvb, data)
    assert result.exit_code == 0 and "vervangt de eerder opgehaalde versie" in result.output, result.output
    result = gvb("ingest", data)
    assert result.exit_code == 0 and "1 geladen" in result.output and "vervangt" in result.output, result.output
    assert _stored(gvb) == _expected(feed)


def test_a_server_error_twice_then_success(gvb, feed_settings, tmp_path) -> None:
    feed_settings.fail = {2: 2}
    result = _fetch(gvb, tmp_path / "data_raw")
    assert result.exit_code == 0, result.output
    assert _page_requests(feed_settings, feed_settings.page_size) == 3  # two 500s, then the page


def test_truncated_json_is_asked_again(gvb, feed_settings, tmp_path) -> None:
    feed_settings.truncate = {2}
    result = _fetch(gvb, tmp_path / "data_raw")
    assert result.exit_code == 0, result.output
    assert _page_requests(feed_settings, feed_settings.page_size) == 2
    assert gvb("ingest", tmp_path / "data_raw").exit_code == 0
    assert _stored(gvb) == _expected(feed_settings)


def test_a_dropped_connection_stops_and_the_next_fetch_resumes(gvb, feed_settings, tmp_path, monkeypatch) -> None:
    feed, data = feed_settings, tmp_path / "data_raw"
    monkeypatch.setenv("GVB_FETCH_RETRIES", "1")
    feed.drop = {3}
    result = _fetch(gvb, data)
    assert result.exit_code == 1 and "verbrak de verbinding" in result.output, result.output
    assert "2 pagina's zijn bewaard" in result.output and "gaat verder waar het stopte" in result.output
    assert [p.name for p in (data / "politie_misdrijven").iterdir()] == [".47022NED_RE07.deel"]  # hidden from ingest
    assert "0 geladen" in gvb("ingest", data).output or gvb("ingest", data).exit_code != 0

    feed.drop = set()
    result = _fetch(gvb, data)
    assert result.exit_code == 0 and "waarvan 2 bewaard van een onderbroken keer" in result.output, result.output
    assert _page_requests(feed, 0) == 1 and _page_requests(feed, feed.page_size) == 1  # not asked again
    assert [p.name for p in (data / "politie_misdrijven").iterdir()] == ["47022NED_RE07"]
    assert gvb("ingest", data).exit_code == 0
    assert _stored(gvb) == _expected(feed)


def test_a_page_served_twice_is_refused_and_nothing_is_kept(gvb, feed_settings, tmp_path) -> None:
    feed_settings.repeat = {3}
    data = tmp_path / "data_raw"
    result = _fetch(gvb, data)
    assert result.exit_code == 1 and "pagina 3 van 47022NED herhaalt 40 rijen" in result.output, result.output
    assert not (data / "politie_misdrijven").exists() or list((data / "politie_misdrijven").iterdir()) == []


def test_a_renamed_measure_is_refused_before_anything_is_fetched(gvb, feed_settings, tmp_path) -> None:
    from tests.fetch.conftest import police_rows

    feed_settings.measure = "GeregistreerdeMisdrijven_2"
    feed_settings.rows = police_rows("GeregistreerdeMisdrijven_2")
    data = tmp_path / "data_raw"
    result = _fetch(gvb, data)
    assert result.exit_code == 1, result.output
    assert "heeft de kolom GeregistreerdeMisdrijven_1 niet (meer)" in result.output
    assert "GeregistreerdeMisdrijven_2" in result.output and "niets" in result.output
    assert not data.exists() and [p for p in feed_settings.log if "TypedDataSet" in p] == []
    assert gvb.snapshot() == {}


def test_no_network_fails_at_once_and_writes_nothing(gvb, tmp_path, monkeypatch) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("GVB_POLITIE_ODATA", f"http://127.0.0.1:{port}/ODataFeed/odata")
    monkeypatch.setenv("GVB_FETCH_WAIT", "30")  # a retry would take half a minute
    data = tmp_path / "data_raw"
    started = time.monotonic()
    result = _fetch(gvb, data)
    assert time.monotonic() - started < 10
    assert result.exit_code == 1 and "geen verbinding met 127.0.0.1" in result.output, result.output
    assert "is er netwerk?" in result.output and "Traceback" not in result.output
    assert not data.exists()


def test_a_page_changed_after_fetching_refuses_the_folder(gvb, feed_settings, tmp_path) -> None:
    data = tmp_path / "data_raw"
    assert _fetch(gvb, data).exit_code == 0
    page = data / "politie_misdrijven" / "47022NED_RE07" / "pagina_0002.json"
    result = gvb("ingest", page)  # one page on its own would load part of the table
    assert result.exit_code == 1 and "een pagina van een opgehaalde tabel is geen levering op zich" in result.output
    page.write_bytes(page.read_bytes().replace(b'"GeregistreerdeMisdrijven_1": 1', b'"GeregistreerdeMisdrijven_1": 9'))
    result = gvb("ingest", data)
    assert result.exit_code == 1 and "pagina_0002.json is veranderd sinds het ophalen" in result.output
    assert gvb.snapshot().get(TABLE, []) == []


def test_each_table_is_asked_for_its_own_level_and_periods_only() -> None:
    """The requests gvb sends: a gemeente table by gemeente, a wijk table by wijk, months from --vanaf
    (a year table: its years), never a year row in a month table, and every address short enough."""
    import datetime as dt

    from pipeline.fetch.tables import parse_month, period_clauses, police_table, region_gemeenten, requests_for
    from pipeline.reference import reference

    today = dt.date(2026, 11, 24)
    start = parse_month("2024-11", today)
    gemeenten = region_gemeenten(reference(), "RE07", start[0], today)
    assert "GM0599" in gemeenten and "GM0363" not in gemeenten and len(gemeenten) == 23
    monthly = police_table("47013NED")
    requests = requests_for(monthly, gemeenten, period_clauses(monthly, start, today))
    text = " ".join(r.filter for r in requests)
    assert "startswith(RegioS,'GM0599')" in text and "WK" not in text
    assert "Perioden eq '2024MM11'" in text and "Perioden eq '2024MM10'" not in text
    assert "substringof('2025MM',Perioden)" in text and "JJ00" not in text
    assert all(len(r.url("https://dataderden.cbs.nl/ODataFeed/odata", "47013NED")) < 2000 for r in requests)
    yearly = police_table("47018ned")
    text = " ".join(r.filter for r in requests_for(yearly, gemeenten, period_clauses(yearly, (2023, 1), today)))
    assert "startswith(WijkenEnBuurten,'WK0599')" in text and "'GM" not in text and "Perioden eq '2023JJ00'" in text
    national = requests_for(monthly, region_gemeenten(reference(), "NL", 2024, today), ["Perioden eq '2024MM01'"])
    assert [r.filter for r in national] == ["(startswith(RegioS,'GM')) and (Perioden eq '2024MM01')"]


def test_wrong_options_are_refused_with_a_reason(gvb, tmp_path) -> None:
    for args, reason in (
        (("--tabel", "12345NED"), "onbekende politietabel '12345NED'"),
        (("--tabel", "47013NED", "--vanaf", "maart"), "--vanaf 'maart' is geen maand"),
        (("--tabel", "47013NED", "--vanaf", "2030-01"), "ligt in de toekomst"),
        (("--tabel", "47013NED", "--regio", "RE99"), "Onbekende regio 'RE99'"),
    ):
        result = gvb("fetch", "politie", *args, "--data", tmp_path / "data_raw")
        assert result.exit_code != 0 and reason in result.output, (args, result.output)
    assert not (tmp_path / "data_raw").exists()


def test_a_second_fetch_of_the_same_table_at_once_is_refused(gvb, feed_settings, tmp_path) -> None:
    from pipeline.kernel.locking import exclusive_at

    data = tmp_path / "data_raw"
    (data / "politie_misdrijven").mkdir(parents=True)
    with exclusive_at(data / "politie_misdrijven" / ".47022NED_RE07.lock", "gvb fetch 47022NED", "bezet"):
        result = _fetch(gvb, data)
    assert result.exit_code == 3 and "er loopt al een gvb fetch naar" in result.output, result.output
    assert [p for p in feed_settings.log if "TypedDataSet" in p] == []
    assert _fetch(gvb, data).exit_code == 0  # once the other one is done


def test_a_wijk_table_in_one_buurtindeling_for_all_years_loads_as_it_says(gvb, feed_settings, open_data,
                                                                          tmp_path) -> None:  # fmt: skip
    """The real TableInfos of 47018NED says "volgens de nieuwe buurtindeling van 2024": a wijk of
    Voorne aan Zee (2023) in 2019 is then that area in the 2024 indeling, not an unknown code."""
    import csv

    with (open_data / "codes" / "politie_47018NED_tableinfos.csv").open(encoding="utf-8") as fh:
        info = next(csv.DictReader(fh))
    feed = feed_settings
    feed.table, feed.info = "47018NED", {**info, "ID": 0}
    feed.rows = [
        {"ID": n, "SoortMisdrijf": code, "WijkenEnBuurten": area, "Perioden": "2019JJ00", "GeregistreerdeMisdrijven_1": v}
        for n, (code, area, v) in enumerate([("1.1.1 ", "WK199201  ", 12), ("1.4.5 ", "WK199201  ", 30),
                                             ("1.1.1 ", "WK050501  ", 41), ("1.1.1 ", "BU19920101", 5)])
    ]  # fmt: skip
    data = tmp_path / "data_raw"
    result = gvb("fetch", "politie", "--tabel", "47018NED", "--vanaf", "2019-01", "--data", data)
    assert result.exit_code == 0 and "gewijzigd 2024-08-15T02:00:00" in result.output, result.output
    manifest = json.loads((data / "politie_misdrijven" / "47018NED_RE07" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["indeling"] == 2024 and manifest["rijen"] == 3  # the buurt was not asked
    result = gvb("ingest", data)
    assert result.exit_code == 0 and "gebieden in de indeling van 2024" in result.output, result.output
    assert _stored(gvb) == {"WK199201": 42, "WK050501": 41}


def test_a_table_the_feed_does_not_have_is_refused_at_once(gvb, feed_settings, tmp_path) -> None:
    result = gvb("fetch", "politie", "--tabel", "47021NED", "--data", tmp_path / "data_raw")
    assert result.exit_code == 1, result.output
    assert "TableInfos van 47021NED: de feed weigert het verzoek: HTTP 404" in result.output
    assert len(feed_settings.log) == 1 and not (tmp_path / "data_raw").exists()  # a 404 is not asked again


def test_a_feed_that_stops_paging_early_is_caught_by_its_own_count(gvb, feed_settings, tmp_path) -> None:
    """A capped answer without a next link would lose rows without a word: the feed's /$count says
    how many there are, and a fetch that got fewer writes nothing."""
    data = tmp_path / "data_raw"
    feed_settings.cut = 2
    result = _fetch(gvb, data)
    assert result.exit_code == 1, result.output
    assert "de feed telt 192 rijen voor 47022NED, maar zijn pagina's gaven er 80" in result.output
    assert not (data / "politie_misdrijven").exists() or list((data / "politie_misdrijven").iterdir()) == []

    # a feed without /$count is taken at its pages, and the manifest says it was not counted
    feed_settings.cut, feed_settings.counts = None, False
    assert _fetch(gvb, data).exit_code == 0
    manifest = json.loads((data / "politie_misdrijven" / "47022NED_RE07" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["rijen"] == 192 and set(manifest["tellingen"]) == {None}
