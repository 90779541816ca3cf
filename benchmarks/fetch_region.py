"""Benchmark: `gvb fetch politie` and `gvb ingest` of a wijk table of the whole region since 2012.

A local feed serves a 47022NED-shaped table (every wijk of the region's gemeenten, 40 crime codes,
every month from 2012-01 to 2025-06; keys space-padded, pages of at most 10,000 records with
``odata.nextLink``, TableInfos, DataProperties and ``/$count`` as CBS serves them). The script times the fetch
and the ingest of what it wrote, each in its own process, with their peak memory, and appends the
result to benchmarks/RESULTS.md. No internet is used.

    .venv/bin/python benchmarks/fetch_region.py
    .venv/bin/python benchmarks/fetch_region.py --no-record
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.results import heading, machine, report  # noqa: E402

PAGE = 10_000
MEASURE = "GeregistreerdeMisdrijven_1"
INFO = {
    "ID": 0, "Title": "Geregistreerde misdrijven; soort misdrijf, wijk, buurt, maandcijfers", "Identifier": "47022NED",
    "Modified": "2025-11-15T02:00:00", "ExplanatoryText": "Cijfers worden gepresenteerd volgens de buurtindeling van 2024",
}  # fmt: skip


def table(region_gemeenten: set[str]) -> list[dict]:
    data = ROOT / "pipeline" / "reference" / "data"
    with (data / "wijken_2024.csv").open(encoding="utf-8") as fh:
        wijken = [r["wijk_code"] for r in csv.DictReader(fh) if r["gemeente_code"] in region_gemeenten]
    with (data / "soort_misdrijf.csv").open(encoding="utf-8") as fh:
        codes = [r["soort_code"] for r in csv.DictReader(fh) if r["roll_up"] == "0"][:40]
    months = [f"{y}MM{m:02d}" for y in range(2012, 2026) for m in range(1, 13) if (y, m) <= (2025, 6)]
    rows = []
    for period in months:
        for wijk in wijken:
            for code in codes:
                n = len(rows)
                rows.append({"ID": n, "SoortMisdrijf": f"{code} ", "WijkenEnBuurten": f"{wijk}  ", "Perioden": period,
                             MEASURE: (n * 7) % 13})  # fmt: skip
    return rows


def serve(rows: list[dict]) -> str:
    @cache
    def matching(expression: str) -> list[dict]:
        import re

        python = re.sub(r"startswith\((\w+),'([^']*)'\)", r"r['\1'].startswith('\2')", expression)
        python = re.sub(r"substringof\('([^']*)',(\w+)\)", r"('\1' in r['\2'])", python)
        python = re.sub(r"(\w+) eq '([^']*)'", r"(r['\1'] == '\2')", python)
        predicate = eval(f"lambda r: {python}")  # the benchmark's own feed, evaluating gvb's filter
        return [r for r in rows if predicate(r)]

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            what = parts.path.rstrip("/").rsplit("/", 1)[-1]
            if what == "$count":
                data = str(len(matching(query["$filter"]))).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            if what == "TableInfos":
                body = {"value": [INFO]}
            elif what == "DataProperties":
                body = {"value": [{"Key": k} for k in ("SoortMisdrijf", "WijkenEnBuurten", "Perioden", MEASURE)]}
            else:
                found = matching(query["$filter"])
                skip = int(query.get("$skip", 0))
                select = query["$select"].split(",")
                body = {"value": [{k: r[k] for k in select} for r in found[skip : skip + PAGE]]}
                if skip + PAGE < len(found):
                    rest = {k: v for k, v in query.items() if k != "$skip"}
                    body["odata.nextLink"] = f"{base}{parts.path}?{urlencode(rest)}&$skip={skip + PAGE}"
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}/ODataFeed/odata"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return base


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", *args], cwd=ROOT, env=env, capture_output=True,
                            text=True)  # fmt: skip
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"gvb {' '.join(args)} mislukte:\n{result.stdout}{result.stderr}")
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return seconds, peak, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    from pipeline.reference import reference

    region = "RE07"
    gemeenten = {c for year in range(2012, 2027) for c in reference().region_members(region, year)}
    rows = table(gemeenten)
    base = serve(rows)
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "GVB_HOME": f"{folder}/home", "GVB_POLITIE_ODATA": base, "GVB_REGIO": region,
               "GVB_TODAY": "2025-07-15"}  # fmt: skip
        data = Path(folder) / "data_raw"
        fetch_s, fetch_mb, _ = timed(["fetch", "politie", "--tabel", "47022NED", "--data", str(data)], env)
        fetched = data / "politie_misdrijven" / f"47022NED_{region}"
        manifest = json.loads((fetched / "manifest.json").read_text(encoding="utf-8"))
        size = sum(p.stat().st_size for p in fetched.iterdir()) / 1024 / 1024
        ingest_s, ingest_mb, _ = timed(["ingest", str(data)], env)
        again_s, _, again = timed(["fetch", "politie", "--tabel", "47022NED", "--data", str(data)], env)
    lines = [
        heading("fetch_region"),
        "",
        f"{machine()} Regio {region}, 47022NED-vorm, 2012-01 t/m 2025-06, lokale feed (pagina's van {PAGE:,}).",
        f"Tabel: {len(rows):,} rijen; opgehaald: {manifest['rijen']:,} rijen in {len(manifest['paginas'])} pagina's "
        f"({len(manifest['verzoeken'])} verzoeken), {size:.0f} MB op schijf.",
        "",
        "| stap | seconden | piekgeheugen (MB) |",
        "|---|---:|---:|",
        f"| gvb fetch politie | {fetch_s:.1f} | {fetch_mb:.0f} |",
        f"| gvb ingest van de opgehaalde map | {ingest_s:.1f} | {ingest_mb:.0f} |",
        f"| gvb fetch politie opnieuw (tabel ongewijzigd) | {again_s:.1f} | |",
        "",
        f"- opnieuw ophalen zegt: {again.strip().splitlines()[0][:120]}",
    ]
    report(lines, record=not args.no_record)


if __name__ == "__main__":
    main()
