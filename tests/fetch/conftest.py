"""A local OData v3 feed in the shapes CBS serves: TableInfos with Modified, DataProperties,
TypedDataSet with space-padded keys, mixed JJ00/MM periods, ``$filter``/``$select`` honoured and
``odata.nextLink`` paging under a page-size cap. Faults can be planted per page."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

CODES = ("1.1.1 ", "1.4.5 ", "2.5.2 ")
#: (key as served, gemeente) — the country, two gemeenten of RE07 with wijken and a buurt, Amsterdam
AREAS = (
    ("NL01      ", None), ("GM0599    ", "GM0599"), ("GM0505    ", "GM0505"), ("WK050501  ", "GM0505"),
    ("WK050503  ", "GM0505"), ("BU05050301", "GM0505"), ("GM0363    ", "GM0363"),
)  # fmt: skip


def police_rows(measure: str = "GeregistreerdeMisdrijven_1") -> list[dict]:
    """47022NED-like: months of 2024 and 2025 plus year rows, each code and its total ("0.0.0 ")."""
    rows: list[dict] = []
    periods = [f"{y}MM{m:02d}" for y in (2024, 2025) for m in range(1, 13)] + ["2024JJ00"]
    for p_index, period in enumerate(periods):
        for a_index, (area, _) in enumerate(AREAS):
            values = [(c_index + 1) * (a_index + 2) + p_index % 5 for c_index in range(len(CODES))]
            if area.startswith("GM"):
                values = [v * 4 for v in values]  # a gemeente holds its wijken and more
            for code, value in [("0.0.0 ", sum(values)), *zip(CODES, values, strict=True)]:
                rows.append({"ID": len(rows), "SoortMisdrijf": code, "WijkenEnBuurten": area, "Perioden": period,
                             measure: value})  # fmt: skip
    return rows


def population_rows() -> list[dict]:
    """37230ned-like: year figures (begin and end) of 2024 and 2025, month figures of December 2025 and
    January 2026; Dordrecht lacks the year 2025 (only the provisional months), Amsterdam is outside RE07."""
    rows: list[dict] = []
    figures = {"GM0599    ": 672960, "GM0505    ": 121000, "GM0606    ": 80000, "GM0363    ": 940000}
    for area, base in figures.items():
        for period, begin, end in (
            ("2024JJ00", base - 3000, base - 1000),
            ("2025JJ00", base - 1000, base + 2500),
            ("2025MM12", base + 2300, base + 2400),
            ("2026MM01", base + 2450, base + 2600),
        ):
            if area == "GM0505    " and period == "2025JJ00":
                continue
            rows.append({"ID": len(rows), "RegioS": area, "Perioden": period,
                         "BevolkingAanHetBeginVanDePeriode_1": begin, "BevolkingAanHetEindeVanDePeriode_15": end})  # fmt: skip
    return rows


def _matches(expression: str):
    """The filter as a Python predicate (only the forms OData v3 has and gvb sends)."""
    python = re.sub(r"startswith\((\w+),'([^']*)'\)", r"r['\1'].startswith('\2')", expression)
    python = re.sub(r"substringof\('([^']*)',(\w+)\)", r"('\1' in r['\2'])", python)
    python = re.sub(r"(\w+) eq '([^']*)'", r"(r['\1'] == '\2')", python)
    return eval(f"lambda r: {python}")  # a test server evaluating gvb's own filter


@dataclass
class Feed:
    table: str = "47022NED"
    modified: str = "2025-11-15T02:00:00"
    title: str = "Geregistreerde misdrijven; soort misdrijf, wijk, buurt, maandcijfers"
    measure: str = "GeregistreerdeMisdrijven_1"
    page_size: int = 40
    rows: list[dict] = field(default_factory=police_rows)
    log: list[str] = field(default_factory=list)
    #: faults by page number (1 = first page of a request): how many times, and which
    fail: dict[int, int] = field(default_factory=dict)  # answer 500 this many times
    drop: set[int] = field(default_factory=set)  # close the connection without an answer
    truncate: set[int] = field(default_factory=set)  # send half of the JSON (once)
    repeat: set[int] = field(default_factory=set)  # serve the page before it again
    cut: int | None = None  # stop paging silently after this page (no next link), as a capped API does
    counts: bool = True  # offer OData's /$count
    base: str = ""
    info: dict | None = None  # the TableInfos record, when a test serves a real one

    def data_page(self, query: dict[str, list[str]]) -> tuple[int, bytes]:
        predicate = _matches(query["$filter"][0])
        select = query["$select"][0].split(",")
        skip = int(query.get("$skip", ["0"])[0])
        number = skip // self.page_size + 1
        if number in self.fail and self.fail[number] > 0:
            self.fail[number] -= 1
            return 500, b'{"odata.error": "intern"}'
        if number in self.drop:
            return -1, b""
        if number in self.repeat:
            skip -= self.page_size
        matching = [r for r in self.rows if predicate(r)]
        chunk = matching[skip : skip + self.page_size]
        page = {
            "odata.metadata": f"{self.base}/{self.table}/$metadata#Cbs.OData.WebAPI.TypedDataSet",
            "value": [{k: r.get(k) for k in select if k in r} for r in chunk],
        }
        if skip + self.page_size < len(matching) and number != self.cut:
            own = {k: v[0] for k, v in query.items() if k != "$skip"}
            from urllib.parse import urlencode

            page["odata.nextLink"] = (
                f"{self.base}/{self.table}/TypedDataSet?{urlencode(own)}&$skip={skip + self.page_size}"
            )
        body = json.dumps(page).encode()
        if number in self.truncate:
            self.truncate.discard(number)
            body = body[: len(body) // 2]
        return 200, body


@pytest.fixture
def feed() -> Iterator[Feed]:
    state = Feed()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            state.log.append(self.path)
            query = parse_qs(parts.query)
            table, _, what = parts.path.strip("/").partition("/")
            if table != state.table:
                return self._send(404, b'{"odata.error": "onbekende tabel"}')
            if what == "TableInfos":
                info = state.info or {"ID": 0, "Title": state.title, "Identifier": state.table,
                                      "Modified": state.modified}  # fmt: skip
                return self._send(200, json.dumps({"value": [info]}).encode())
            if what == "DataProperties":  # the columns of the table's records, as CBS lists them
                keys = [k for k in state.rows[0] if k != "ID"]
                props = [{"ID": i, "Key": k, "Type": "Topic" if k[-1].isdigit() else "Dimension"}
                         for i, k in enumerate(keys)]  # fmt: skip
                return self._send(200, json.dumps({"value": props}).encode())
            if what == "TypedDataSet/$count":
                if not state.counts:
                    return self._send(404, b'{"odata.error": "geen $count"}')
                found = [r for r in state.rows if _matches(query["$filter"][0])(r)]
                return self._send(200, str(len(found)).encode())
            if what == "TypedDataSet":
                status, body = state.data_page(query)
                if status == -1:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return None
                return self._send(status, body)
            return self._send(404, b"{}")

        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()  # no Content-Length: a truncated body ends with the connection, as in the wild
            self.wfile.write(body)
            self.close_connection = True

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def feed_settings(feed: Feed, monkeypatch: pytest.MonkeyPatch) -> Feed:
    """gvb pointed at the local feed, with short waits between tries."""
    monkeypatch.setenv("GVB_POLITIE_ODATA", feed.base)
    monkeypatch.setenv("GVB_CBS_ODATA", feed.base)
    monkeypatch.setenv("GVB_FETCH_WAIT", "0.01")
    monkeypatch.setenv("GVB_FETCH_RETRIES", "3")
    monkeypatch.setenv("GVB_FETCH_TIMEOUT", "5")
    return feed
