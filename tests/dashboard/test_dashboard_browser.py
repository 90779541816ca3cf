"""The dashboard in a real browser: Debian's Chromium driven by Playwright (no browser download).

`gvb serve` runs the published demo edition on a free loopback port. Every page must load without
console errors and without a request leaving the machine, pass an axe-core scan without serious
or critical violations, and be usable by keyboard; screenshots go to tests/output/screenshots.
"""

from __future__ import annotations

import itertools
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "tests" / "output" / "screenshots"
PAGES = {
    "overzicht": "/",
    "overzicht-geografisch": "/?kaart=geografisch",
    "gemeente": "/gemeente/GM0505",
    "vergelijken": "/vergelijken?gemeenten=GM0505,GM0599,GM0606",
    "themas": "/themas?thema=jeugd",
    "themas-veiligheidsbeleving": "/themas?thema=veiligheidsbeleving",
    "downloads": "/downloads",
    "toelichting": "/toelichting",
    "datakwaliteit": "/datakwaliteit",
    "niet-gevonden": "/gemeente/GM9999",
}


def _needed(path: Path, what: str) -> None:
    if not path.exists():
        message = f"{path} ontbreekt ({what}); 'make test' installeert het"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(published_home: Path) -> Iterator[str]:
    yield from _serve(published_home)


def _serve(home: Path) -> Iterator[str]:
    """`gvb serve` on the editions of ``home``, on a free port, until the caller is done."""
    port = _free_port()
    # the packaged boundaries: the browser tests need nothing from ../shared
    env = {k: v for k, v in os.environ.items() if k != "GVB_GEO"} | {"GVB_HOME": str(home)}
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=2).read()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("gvb serve kwam niet op: " + (process.stdout.read().decode() if process.stdout else ""))
            time.sleep(0.3)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _needed(CHROMIUM, "Debian-pakket chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        yield chromium
        chromium.close()


class Watched:
    """A page plus what it logged and asked for."""

    def __init__(self, browser, base: str) -> None:
        self.context = browser.new_context(
            viewport={"width": 1366, "height": 900}, locale="nl-NL", accept_downloads=True
        )
        self.page = self.context.new_page()
        self.base = base
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def layout_problems(self) -> dict[str, object]:
        """What does not fit: sideways page scroll, and elements whose content is cut off. A table
        region that scrolls sideways on purpose (``.table-wrap``) must not be needed on a phone
        (tables stack there), and at 1366 px nothing may be cut off at all."""
        return self.page.evaluate(
            """() => {
                const clipped = [];
                for (const e of document.querySelectorAll('main *')) {
                    if (e.closest('.visually-hidden, thead, .js-plotly-plot')) continue;
                    const style = getComputedStyle(e);
                    if (!['hidden', 'auto', 'scroll', 'clip'].includes(style.overflowX)) continue;
                    if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
                        clipped.push(`${e.tagName.toLowerCase()}.${e.className} ${e.scrollWidth}>${e.clientWidth}`);
                }
                const words = (document.body.innerText.match(/\b(None|nan|NaN|null|undefined)\b/g) || []);
                return {scroll: document.documentElement.scrollWidth - window.innerWidth, clipped, words};
            }"""
        )

    def open(self, path: str) -> None:
        self.page.goto(self.base + path, wait_until="networkidle")
        self.page.wait_for_selector("#page-title", timeout=20_000)
        self.page.wait_for_load_state("networkidle")

    def outside_requests(self) -> list[str]:
        # blob: and data: URLs are made inside the page (the map's web worker); both stay local
        return [u for u in self.requests if not u.startswith((self.base, "blob:", "data:"))]


@pytest.fixture
def watched(browser, server: str) -> Iterator[Watched]:
    page = Watched(browser, server)
    yield page
    page.context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_clean_offline_and_accessible(watched: Watched, name: str) -> None:
    _needed(AXE, "npm-pakket axe-core")
    path = PAGES[name]
    watched.open(path)
    expected_errors = ["404 (NOT FOUND)"] if name == "niet-gevonden" else []  # the page itself answers 404
    assert [e for e in watched.errors if not any(x in e for x in expected_errors)] == []
    assert watched.outside_requests() == []
    assert watched.page.locator("html").get_attribute("lang") == "nl"
    watched.page.add_script_tag(path=str(AXE))
    violations = watched.page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"""
    )
    assert violations == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1366, 900), (390, 844)):  # a laptop and a phone
        watched.page.set_viewport_size({"width": width, "height": height})
        watched.open(path)
        assert watched.layout_problems() == {"scroll": 0, "clipped": [], "words": []}, width
        watched.page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [1366, 390])
def test_time_charts_have_years_on_their_axis(watched: Watched, width: int) -> None:
    watched.page.set_viewport_size({"width": width, "height": 900})
    for path, graph in (("/gemeente/GM0606", "#trend-gemeente"), ("/vergelijken", "#kleine-veelvouden")):
        watched.open(path)
        watched.page.wait_for_selector(f"{graph} .xtick text")
        ticks = watched.page.eval_on_selector_all(f"{graph} .xtick text", "els => els.map(e => e.textContent)")
        assert len(ticks) >= 2 and all(re.fullmatch(r"20\d\d", t) for t in ticks), (path, ticks)
        boxes = watched.page.eval_on_selector_all(
            f"{graph} .xaxislayer-above .xtick text",
            "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.top]; })",
        )
        rows: dict[float, list[tuple[float, float]]] = {}
        for left, right, top in boxes:
            rows.setdefault(round(top), []).append((left, right))
        for row in rows.values():  # years on one axis never overlap each other
            row.sort()
            assert all(a[1] <= b[0] for a, b in itertools.pairwise(row)), (path, width, row)


def picker(page, key: str):
    """The <select> of a picker (Dash renders the pattern-matching id as JSON)."""
    return page.locator(f'select[id*=\'"key":"{key}"\']')


def test_deep_link_restores_edition_gemeente_and_indicator(watched: Watched) -> None:
    watched.open("/gemeente/GM0599?editie=2025H1&periode=2024&indicator=M_FIETSDIEFSTAL")
    page = watched.page
    assert page.inner_text("#page-title") == "Rotterdam"
    assert picker(page, "gemeente").input_value() == "GM0599"
    assert picker(page, "editie").input_value() == "2025H1"
    assert picker(page, "periode").input_value() == "2024"
    assert picker(page, "indicator").input_value() == "M_FIETSDIEFSTAL"
    assert page.get_by_text("Fietsdiefstal in Rotterdam en de eenheid, per halfjaar").count() >= 1


def test_picker_writes_the_view_into_the_url(watched: Watched) -> None:
    watched.open("/")
    picker(watched.page, "indicator").select_option("M_FIETSDIEFSTAL")
    watched.page.wait_for_url(re.compile(r"indicator=M_FIETSDIEFSTAL"))
    watched.page.get_by_role("heading", name=re.compile("^Fietsdiefstal, ")).first.wait_for()
    copied = watched.page.url
    watched.open(copied.removeprefix(watched.base))  # a copied link reopens the same view
    assert picker(watched.page, "indicator").input_value() == "M_FIETSDIEFSTAL"


def test_clicking_a_tile_opens_the_gemeente(watched: Watched) -> None:
    watched.open("/")
    watched.page.locator(".tile", has_text="DOR").click()
    watched.page.wait_for_url(re.compile(r"/gemeente/GM0505"))
    watched.page.wait_for_selector("#page-title:has-text('Dordrecht')")


def test_clicking_the_geographic_map_opens_the_gemeente(watched: Watched) -> None:
    watched.open("/?kaart=geografisch")
    graph = watched.page.locator(".geo-map")
    graph.wait_for()
    watched.page.wait_for_function(
        "() => document.querySelector('.geo-map .js-plotly-plot')?._fullLayout?.map?._subplot?.map?.loaded()"
    )
    graph.scroll_into_view_if_needed()
    # where Dordrecht (4.70 E, 51.80 N) is on the screen, as the map itself projects it
    point = watched.page.evaluate(
        """() => {
            const map = document.querySelector('.geo-map .js-plotly-plot')._fullLayout.map._subplot.map;
            const p = map.project([4.70, 51.80]);
            const box = map.getContainer().getBoundingClientRect();
            return {x: box.left + p.x, y: box.top + p.y};
        }"""
    )
    watched.page.mouse.click(point["x"], point["y"])  # a real click on the map
    watched.page.wait_for_url(re.compile(r"/gemeente/GM0505"), timeout=10_000)
    watched.page.wait_for_selector("#page-title:has-text('Dordrecht')")


def test_keyboard_alone_reaches_every_control(watched: Watched) -> None:
    watched.open("/gemeente/GM0505")
    page = watched.page
    count = page.evaluate(
        """() => {
            const all = [...document.querySelectorAll('a[href], button, select, input, summary, [tabindex]')]
              .filter(e => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length > 0)
              // what sits in a closed disclosure is reached after opening it (its summary is reached)
              .filter(e => e.matches('summary') || !e.closest('details:not([open])'));
            all.forEach((e, i) => e.setAttribute('data-kb', String(i)));
            return all.length;
        }"""
    )
    assert count > 20
    reached = set()
    page.locator("body").focus()
    for _ in range(count + 10):
        page.keyboard.press("Tab")
        marker = page.evaluate("() => document.activeElement && document.activeElement.getAttribute('data-kb')")
        if marker is not None:
            reached.add(marker)
    assert reached == {str(i) for i in range(count)}


def test_gemeente_page_downloads_its_figures(watched: Watched) -> None:
    watched.open("/gemeente/GM0505")
    with watched.page.expect_download() as download:
        watched.page.get_by_role("link", name="CSV (alle cijfers) van Dordrecht").click()
    path = download.value.path()
    text = Path(path).read_text(encoding="utf-8")
    assert text.startswith("\ufeffGVB 2025H1 — Dordrecht (GM0505)") and "Thema;Indicatorcode;Indicator;Periode" in text


def test_a_note_is_reached_from_its_indicator_by_keyboard_and_reads_accessibly(browser, news_home: Path) -> None:
    """Duiding (issue 16): the link at the indicator is a real link; Enter brings the reader to the
    note, and the page with notes passes axe-core as the others do (conftest's notes: D0007 is on
    woninginbraak in Rotterdam)."""
    _needed(AXE, "npm-pakket axe-core")
    for base in _serve(news_home):
        watched = Watched(browser, base)
        try:
            watched.open("/gemeente/GM0599?periode=2025H1")
            link = watched.page.locator("a.note-link[href='#duiding-D0007']")
            assert link.inner_text().split() == ["duiding", "bij", "Woninginbraak"]  # the last two hidden to the eye
            link.focus()
            watched.page.keyboard.press("Enter")
            watched.page.wait_for_function("location.hash === '#duiding-D0007'")
            assert "Daling na de inzet in Feijenoord." in watched.page.locator("#duiding-D0007").inner_text()
            watched.page.add_script_tag(path=str(AXE))
            violations = watched.page.evaluate(
                """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"""
            )
            assert violations == []
            assert watched.errors == []
        finally:
            watched.context.close()
