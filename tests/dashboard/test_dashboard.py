"""The dashboard in-process (Flask test client): routes, page layouts, hostile URLs, downloads."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import urls

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["/", "/gemeente/GM0505", "/vergelijken", "/themas", "/downloads", "/toelichting", "/datakwaliteit"]


@pytest.fixture
def client(dash_app, dashboard_home: Path):
    client = dash_app.server.test_client()
    client.get("/")  # the first request registers the page router
    return client


def render(client, path: str, search: str = "") -> tuple[int, str]:
    """What the page router answers for a URL (the browser asks this after loading the shell)."""
    from dashboard.app import page_request

    response = client.post("/_dash-update-component", json=page_request(path, search))
    return response.status_code, response.get_data(as_text=True)


def texts(payload: str) -> str:
    """All strings in a rendered layout, joined (to look for what a reader would see)."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(payload))
    return "\n".join(found)


def mart(home: Path, sql: str) -> pd.DataFrame:
    path = home / "edities" / "2025H1" / "gvb_2025H1.duckdb"
    con = duckdb.connect(str(path), read_only=True, config={"enable_external_access": False})  # as the app
    try:
        return con.execute(sql).df()
    finally:
        con.close()


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_served_in_dutch_without_cdn(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert not re.search(r'(src|href)="(https?:)?//', html)  # every script and style is served locally
    assert "/assets/gvb.css" in html


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_with_the_demo_banner(client, path: str) -> None:
    status, payload = render(client, path)
    assert status == 200, payload[:500]
    shown = texts(payload)
    assert "DEMO — fictieve cijfers" in shown
    assert "foutcode" not in shown


def test_overzicht_tells_what_changed_in_sentences(client, dashboard_home: Path) -> None:
    notable = mart(
        dashboard_home,
        "select * from indicator_values where period = '2025H1' and level = 'gemeente' and significant "
        "and not suppressed and change_label in ('stijging', 'daling', 'sterke stijging', 'sterke daling') "
        "order by abs(change_pct) desc limit 1",
    ).iloc[0]
    status, payload = render(client, "/")
    assert status == 200
    shown = texts(payload)
    assert "Opvallende ontwikkelingen" in shown
    direction = "meer" if notable.change_pct > 0 else "minder"
    expected = (
        f"{notable.indicator_label} in {notable.area_name}: {notable.display_value} in het eerste halfjaar 2025, "
        f"{round(abs(notable.change_pct))} % {direction} dan een jaar eerder"
    )
    assert expected in shown


def test_suppressed_values_show_a_neutral_marker_with_an_explanation(client, dashboard_home: Path) -> None:
    row = mart(
        dashboard_home,
        "select area_code, indicator_code from indicator_values where level = 'gemeente' and period = '2025H1' "
        "and suppressed order by area_code, indicator_code limit 1",
    ).iloc[0]
    status, payload = render(client, f"/gemeente/{row.area_code}", "?periode=2025H1")
    assert status == 200
    assert "afgeschermd" in texts(payload) and "< 5" not in texts(payload)
    # the explanation on hover and focus
    assert "Afgeschermd: een klein aantal, of een cijfer waaruit een klein aantal is af te leiden" in texts(payload)


def _words_of_python(text: str) -> list[str]:
    return re.findall(r"\b(None|nan|NaN|null|undefined)\b", text)


def test_no_period_the_picker_offers_shows_python_words(client, dashboard_home: Path) -> None:
    """Every period on offer, on the pages with a period picker: no None/nan/null reaches the reader,
    and the Overzicht offers only periods in which the chosen indicator has figures."""
    from dashboard import data

    ed = data.edition("2025H1")
    offered = data.periods(ed, "M_WONINGINBRAAK")
    assert offered and set(offered) < set(data.periods(ed))  # 2013 has only a yearly total: not offered
    for period in offered:
        for path, search in (("/", f"?periode={period}&indicator=M_WONINGINBRAAK"),
                             ("/gemeente/GM0505", f"?periode={period}")):  # fmt: skip
            status, payload = render(client, path, search)
            assert status == 200 and _words_of_python(texts(payload)) == [], (path, period)
    # a period the URL asks for that has no figures for the indicator says so (and nothing else)
    missing = next(p for p in data.periods(ed) if p not in offered)
    status, payload = render(client, "/", f"?periode={missing}&indicator=M_WONINGINBRAAK")
    shown = texts(payload)
    assert status == 200 and "geen cijfers per gemeente" in shown and _words_of_python(shown) == []


def test_veiligheidsbeleving_has_pickers_context_and_units(client) -> None:
    status, payload = render(client, "/themas", "?thema=veiligheidsbeleving&indicator=VM_ONVEILIG")
    shown = texts(payload)
    assert status == 200 and "Voelt zich wel eens onveilig: eenheid en districten" in shown
    assert "Rijnmond-Noord" in shown and "politie-eenheid Rotterdam" in shown  # the context of the gemeenten
    assert "Percentage" in shown and "procentpunt" in shown and re.search(r"Vorige meting \(20\d\d\)", shown)
    # the survey's indicator in the URL does not break a page of the mart's figures
    for path in ("/", "/gemeente/GM0505", "/vergelijken"):
        status, payload = render(client, path, "?indicator=VM_ONVEILIG")
        assert status == 200 and "Er ging iets mis" not in texts(payload), path


def test_labels_and_denominators_say_what_they_mean(client, dashboard_home: Path) -> None:
    status, payload = render(client, "/gemeente/GM0505", "?periode=2025H1")
    shown = texts(payload)
    assert status == 200 and "beperkt" not in shown and "stabiel" not in shown
    assert "niet significant" in shown or "stijging" in shown or "daling" in shown
    assert "Per 1.000 inwoners" in shown and "Per 1.000 jongeren van 12–17 jaar" in shown
    # Burgernetdekking is a percentage: its change is in percentage points, with its target beside it
    dekking = mart(dashboard_home, "select * from indicator_values where indicator_code = 'B_DEKKING' "
                   "and area_code = 'GM0505' and period = '2025H1'").iloc[0]  # fmt: skip
    assert pd.isna(dekking.change_pct) and dekking.target_value == 10
    assert f"{dekking.display_value} %" in shown and "streefwaarde 10 %" in shown  # the value as in every output
    points = f"{'+' if dekking.change_abs > 0 else '−' if dekking.change_abs < 0 else ''}{abs(dekking.change_abs):.1f}"
    assert f"{points.replace('.', ',')} procentpunt" in shown


def test_deep_link_state_reaches_the_page(client) -> None:
    status, payload = render(client, "/gemeente/GM0599", "?editie=2025H1&periode=2024&indicator=M_FIETSDIEFSTAL")
    assert status == 200
    shown = texts(payload)
    assert "Rotterdam" in shown and "Kerncijfers 2024" in shown
    # the trend: Rotterdam beside the eenheid (it has no one district), per 1.000 inwoners
    assert "Fietsdiefstal in Rotterdam en de eenheid, per halfjaar (per 1.000 inwoners)" in shown


HOSTILE = [
    ("/gemeente/GM9999", 404),
    ("/gemeente/../../etc/passwd", 404),
    ("/gemeente/GM0505%27%3B%20drop%20table%20indicator_values%3B--", 400),
    ("/?indicator=M_TOTAAL%27%20or%201%3D1--", 400),
    ("/?indicator=ONBEKEND", 404),
    ("/?editie=2099H1", 404),
    ("/?editie=2025H1%3Bselect", 400),
    ("/?periode=1999", 404),
    ("/?periode=" + "9" * 5000, 400),
    ("/?kaart=satelliet", 400),
    ("/?thema=bestaat-niet", 404),
    ("/?onbekend=1", 400),
    ("/vergelijken?gemeenten=GM0505,GM9999", 404),
    ("/vergelijken?gemeenten=" + ",".join(["GM0505"] * 100), 400),
    ("/bestaat-niet", 404),
    ("/download/2025H1/GM9999.csv", 404),
    ("/download/2025H1/GM0505.exe", 404),
    ("/download/2099H1/GM0505.csv", 404),
    ("/download/2025H1/..%2f..%2fgvb.duckdb", 404),
    ("/download/..%2f..%2fetc/passwd", 404),
    ("/data-docs/2025H1/..%2f..%2f..%2fgvb.duckdb", 404),
    ("/data-docs/2025H1/../../gvb.duckdb", 404),
]


@pytest.mark.parametrize(("url", "status"), HOSTILE)
def test_hostile_urls_get_a_clean_dutch_error_page(client, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    body = response.get_data(as_text=True)
    assert '<html lang="nl">' in body and f"foutcode {status}" in body
    assert "Traceback" not in body and "duckdb" not in body.lower()


@pytest.mark.parametrize(
    "search", ["?indicator=x%27%3Bdrop", "?periode=" + "1" * 300, "?editie=2099H1", "?gemeenten=GM0505,x"]
)
def test_hostile_urls_in_the_page_router_render_an_error_panel(client, search: str) -> None:
    status, payload = render(client, "/vergelijken", search)
    assert status == 200
    assert "foutcode 40" in texts(payload)


def test_gemeente_csv_download_is_an_attachment_with_the_mart_numbers(client, dashboard_home: Path) -> None:
    response = client.get("/download/2025H1/GM0505.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"] == 'attachment; filename="gvb_2025H1_GM0505.csv"'
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeffGVB 2025H1 — Dordrecht (GM0505)")  # the report's CSV, with Dutch headers
    lines = text.lstrip("\ufeff").splitlines()
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[1:])), delimiter=";"))
    expected = mart(dashboard_home, "select count(*) as n, count(distinct period) as periods from indicator_values "
                    "where area_code = 'GM0505'")  # fmt: skip
    assert len(rows) == expected.n[0] and len({r["Periode"] for r in rows}) == expected.periods[0] > 10
    suppressed = [r for r in rows if r["Afgeschermd"] == "ja"]
    assert suppressed and all(r["Waarde"] == "afgeschermd" and r["Een jaar eerder"] == "" for r in suppressed)


def test_reports_not_yet_made_are_404_not_500(client) -> None:
    assert client.get("/download/2025H1/GM0505.pdf").status_code == 404


def test_a_newly_published_edition_is_picked_up_without_restart(dash_app, published_home: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    home = tmp_path / "home"
    shutil.copytree(published_home, home)
    monkeypatch.setenv("GVB_HOME", str(home))
    client = dash_app.server.test_client()
    assert client.get("/?editie=2024").status_code == 404
    from typer.testing import CliRunner

    from pipeline.cli import app

    assert CliRunner().invoke(app, ["publish", "--edition", "2024"]).exit_code == 0
    assert client.get("/?editie=2024").status_code == 200
    status, payload = render(client, "/", "?editie=2024")
    assert status == 200
    assert "Politie-eenheid Rotterdam, 2024" in texts(payload)


def test_dashboard_never_imports_great_expectations_nor_writes(published_home: Path) -> None:
    edition = published_home / "edities" / "2025H1" / "gvb_2025H1.duckdb"
    before = (edition.stat().st_mtime_ns, (published_home / "gvb.duckdb").stat().st_mtime_ns)
    code = (
        "import sys; from dashboard import create_app; app = create_app(); c = app.server.test_client(); "
        "[c.get(p) for p in ('/', '/gemeente/GM0505', '/datakwaliteit', '/download/2025H1/GM0505.csv')]; "
        "assert 'great_expectations' not in sys.modules, 'GX imported'"
    )
    env = {**os.environ, "GVB_HOME": str(published_home)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr
    assert before == (edition.stat().st_mtime_ns, (published_home / "gvb.duckdb").stat().st_mtime_ns)


def test_dutch_number_formats() -> None:
    from pipeline.presentation.dutch import edition_label, number, percent, rate, signed_percent

    assert number(1234567) == "1.234.567"
    assert number(-12.5, 1) == "−12,5"
    assert rate(0.3891) == "0,39" and rate(12.34) == "12,3"
    assert percent(12.5) == "12,5 %"
    assert signed_percent(-18.4) == "−18 %" and signed_percent(7.6) == "+8 %"
    assert edition_label("2025H1") == "GVB eerste halfjaar 2025" and edition_label("2024") == "GVB 2024"


def test_tile_map_has_every_gemeente_of_the_region_once() -> None:
    from dashboard.components.maps import tile_layout
    from pipeline.reference import reference

    layout = tile_layout()
    assert set(layout) == reference().region_members("RE07", 2026)
    positions = [(r, c) for r, c, _ in layout.values()]
    assert len(set(positions)) == len(positions)


def test_geo_download_without_internet_is_a_clear_error(gvb, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.reference.geo

    monkeypatch.setattr(
        pipeline.reference.geo, "SOURCE", "http://127.0.0.1:9/gemeente_{year}.geojson"
    )  # nothing listens
    result = gvb("geo", "download", "--jaar", "2023")
    assert result.exit_code == 1
    assert "kan http://127.0.0.1:9/gemeente_2023.geojson niet ophalen" in result.output and "internet" in result.output
    assert not (gvb.home / "geo").exists()


def _parent(stat: Path) -> int | None:
    try:
        return int(stat.read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def test_serve_with_workers_runs_gunicorn(published_home: Path) -> None:
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "GVB_HOME": str(published_home)}
    process = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", "--port", str(port), "--workers", "2"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/gemeente/GM0505", timeout=5)
                break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None, "gvb serve --workers 2 kwam niet op"
                time.sleep(0.3)
        assert page.status == 200 and "Server-Timing" in page.headers
        children = [
            stat for stat in Path("/proc").glob("[0-9]*/stat")
            if _parent(stat) == process.pid
        ]  # fmt: skip
        assert len(children) == 2  # gunicorn's master with two worker processes
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_edition_from_one_real_yearly_table_reads_well(dash_app, open_data: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """Only 'misdrijven totaal' per year (the real 47013NED export): the Overzicht opens on that
    indicator, the trend is per year, and no Python None reaches the page."""
    from typer.testing import CliRunner

    from pipeline.cli import app

    monkeypatch.setenv("GVB_HOME", str(tmp_path / "home"))
    export = open_data / "crime" / "politie_47013NED_totaal_misdrijven_gemeente_2024_raw.csv"
    assert CliRunner().invoke(app, ["refresh", "--data", str(export)]).exit_code == 0
    client = dash_app.server.test_client()
    assert client.get("/").status_code == 200
    status, payload = render(client, "/")
    assert status == 200 and "98.405" in texts(payload) and "None" not in texts(payload)
    status, payload = render(client, "/gemeente/GM0606")
    assert status == 200
    assert "Misdrijven totaal in Schiedam, district Rijnmond-Noord en de eenheid, per jaar" in texts(payload)


def _malformed_callbacks() -> list[object]:
    """A few hundred callback requests a client could send by mistake (or on purpose)."""
    import copy
    import random

    from dashboard.app import page_request

    picker = {
        "output": ".._pages_location.pathname@x..._pages_location.search@x..",
        "outputs": [{"id": "_pages_location", "property": "pathname"}, {"id": "_pages_location", "property": "search"}],
        "inputs": [[{"id": {"type": "state", "key": "editie"}, "property": "value", "value": "2025H1"}]],
        "state": [[], {"id": "_pages_location", "property": "pathname", "value": "/"},
                  {"id": "_pages_location", "property": "search", "value": ""}],
        "changedPropIds": ['{"key":"editie","type":"state"}.value'],
    }  # fmt: skip
    bad_values = [None, 1, -1, 10**30, 1.5, "", "x" * 5000, [], {}, [[]], {"a": {}}, True, "../../etc/passwd",
                  {"key": {"nested": 1}}, ["GM0505"], {"points": "GM0505"}, "GM0505"]  # fmt: skip
    requests: list[object] = [None, [], "tekst", 12, {"output": 12}, {"output": "bestaat.niet"}]
    rng = random.Random(12)
    templates = [page_request("/gemeente/GM0505"), picker]
    paths = [("output",), ("outputs",), ("inputs",), ("state",), ("changedPropIds",), ("inputs", 0),
             ("inputs", 0, "id"), ("inputs", 0, "value"), ("inputs", 0, "property"), ("outputs", 0, "id")]  # fmt: skip
    for _ in range(260):
        request = copy.deepcopy(rng.choice(templates))
        path = rng.choice(paths)
        target = request
        try:
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = rng.choice(bad_values)
        except (KeyError, IndexError, TypeError):
            continue
        requests.append(request)
    # the picker with a dict as id key, the map with a string as clickData, JSON nested deep
    wrong_key = copy.deepcopy(picker)
    wrong_key["inputs"][0][0]["id"]["key"] = {"a": 1}
    click = {
        "output": "_pages_location.pathname@" + "x",
        "outputs": {"id": "_pages_location", "property": "pathname"},
        "inputs": [[{"id": {"type": "map", "name": "kaart"}, "property": "clickData", "value": "GM0505"}]],
        "state": [],
        "changedPropIds": ['{"name":"kaart","type":"map"}.clickData'],
    }
    deep: object = "x"
    for _ in range(5000):
        deep = [deep]
    return [*requests, wrong_key, click, {"output": picker["output"], "inputs": deep}]


def test_malformed_callback_and_static_requests_are_never_5xx(client) -> None:
    import json as jsonlib

    statuses = {}
    for number, payload in enumerate(_malformed_callbacks()):
        try:
            body = jsonlib.dumps(payload)
        except (RecursionError, ValueError):
            body = "[" * 5000 + "]" * 5000
        response = client.post("/_dash-update-component", data=body, content_type="application/json")
        statuses[number] = response.status_code
    assert all(code < 500 for code in statuses.values()), {n: c for n, c in statuses.items() if c >= 500}
    assert list(statuses.values()).count(400) > 100
    for path in ["/_dash-component-suites/../../etc/passwd", "/_dash-component-suites/dash/../../../etc/passwd",
                 "/_dash-component-suites/%2e%2e/%2e%2e/etc/passwd", "/assets/../pipeline/kernel/config.py",
                 "/data-docs/2025H1/../../gvb.duckdb", "/rapporten/..%2f..%2fgvb.duckdb",
                 "/_dash-layout/../../etc/passwd", "/downloads/%2e%2e%2fetc%2fpasswd"]:  # fmt: skip
        response = client.get(path)
        assert response.status_code in (400, 404), (path, response.status_code)
        assert b"root:" not in response.get_data()
    # a real page and a real callback still work
    assert render(client, "/gemeente/GM0505")[0] == 200


#: per region: its name, a gemeente of it, and a name that must not appear on any of its pages
REGIONS = [("RE07", "Politie-eenheid Rotterdam", "GM0599", "eenheid den haag"),
           ("RE06", "Politie-eenheid Den Haag", "GM0518", "rotterdam"),
           ("NL", "Nederland", "GM0363", "eenheid rotterdam")]  # fmt: skip


@pytest.mark.parametrize(("region", "name", "code", "other"), REGIONS)
def test_any_region_reads_as_itself(dash_app, region: str, name: str, code: str, other: str, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """The eenheid the tool began with, another eenheid and the whole country, each on its own demo
    data: the region's name, headline figures and a tile for every gemeente, and on no page the
    name of another region."""
    from typer.testing import CliRunner

    from pipeline.cli import app

    monkeypatch.setenv("GVB_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("GVB_REGIO", region)
    runner = CliRunner()
    raw = tmp_path / "raw"
    assert runner.invoke(app, ["demo-data", "--out", str(raw), "--from", "2026-01"]).exit_code == 0
    result = runner.invoke(app, ["refresh", "--data", str(raw)])
    assert result.exit_code == 0, result.output
    client = dash_app.server.test_client()
    shell = client.get("/").get_data(as_text=True)
    status, payload = render(client, "/")
    shown = texts(payload) + shell
    assert status == 200 and f"{name}, eerste halfjaar 2026" in shown and "Misdrijven totaal" in shown
    assert other not in shown.lower()  # header, footer, headings, leads
    tiles = re.findall(r'"className":\s*"tile[ "]', payload)
    gemeenten = mart_of(
        tmp_path / "home", "select count(distinct area_code) from indicator_values where level = 'gemeente'"
    )
    assert len(tiles) == gemeenten > 10
    status, payload = render(client, urls.gemeente(code))
    page = texts(payload)
    assert status == 200 and name.lower() in page.lower() and "(gemeente)" not in page
    for path in urls.NAVIGATION[1:]:
        status, payload = render(client, path)
        page = texts(payload)
        assert status == 200 and page, path
        assert other not in page.lower() and not re.search(r"\b(None|nan|null)\b", page), path


def mart_of(home: Path, sql: str) -> int:
    path = home / "edities" / "2026H1" / "gvb_2026H1.duckdb"
    con = duckdb.connect(str(path), read_only=True, config={"enable_external_access": False})  # as the app
    try:
        return con.execute(sql).fetchall()[0][0]
    finally:
        con.close()


def test_a_note_is_shown_beside_its_indicator_and_reached_by_a_link(dash_app, news_home: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """Duiding (issue 16): the indicator links to the note, which says what, where, when, by whom and
    for which edition; a note on another gemeente or another period is not on the page (the notes
    are conftest's)."""
    monkeypatch.setenv("GVB_HOME", str(news_home))
    client = dash_app.server.test_client()
    client.get("/")
    status, payload = render(client, "/gemeente/GM0599", "?periode=2025H1")
    shown = texts(payload)
    assert status == 200
    assert "Daling na de inzet in Feijenoord." in shown and " — Analist RE07, geschreven voor editie 2025H1" in shown
    assert "Over Schiedam." not in shown
    # the note on 2020-2021 is not beside the figures of 2025H1; "Nieuw in deze editie" names it as new duiding
    assert "Coronajaren." in shown and '"href":"#duiding-D0010"' not in payload
    assert "periode=2021#duiding-D0010" in payload  # the news links to the page that shows it
    assert '"href": "#duiding-D0007"' in payload.replace('":"', '": "') and "duiding-D0007" in payload
    assert " bij Woninginbraak" in shown  # the link reads aloud with the indicator's name
    assert "Campagne in de hele eenheid." not in shown  # a note on the eenheid is not one on Rotterdam

    # the Overzicht and the theme page show the figures of the eenheid: its notes, beside the indicator
    for path, search in (("/", "?periode=2025H1"), ("/themas", "?thema=misdrijven&periode=2025H1")):
        status, payload = render(client, path, search)
        shown = texts(payload)
        assert status == 200, path
        assert "Campagne in de hele eenheid." in shown and "Daling na de inzet in Feijenoord." not in shown, path
        assert "#duiding-D0005" in payload and " bij Woninginbraak" in shown, path


def test_the_gemeente_page_shows_what_is_new_as_the_digest_does(news_home: Path, dash_app,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """The dashboard's "Nieuw in deze editie" says what the digest says (without the notable
    developments, which stand right above it on the page); conftest's re-delivery between 2024 and 2025H1."""
    monkeypatch.setenv("GVB_HOME", str(news_home))
    client = dash_app.server.test_client()
    client.get("/")
    status, payload = render(client, "/gemeente/GM0505", "?editie=2025H1")
    shown = texts(payload)
    assert status == 200
    assert "Nieuw in deze editie" in shown and "sinds editie 2024" in shown
    assert "Woninginbraak, eerste halfjaar 2024: was 92, nu 164" in shown
    assert "Woninginbraak, eerste halfjaar 2024: nu significant" in shown
    assert "/gemeente/GM0505?editie=2025H1&periode=2024H1&indicator=M_WONINGINBRAAK" in shown  # the link
