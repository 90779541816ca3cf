"""Benchmark: the dashboard under load (DESIGN §9: p95 ≤ 100 ms per callback, first load ≤ 1.5 s).

Starts `gvb serve --workers 2` (gunicorn) on a published edition, then 20 simulated users run
typical callbacks for 60 s: rendering Overzicht, a Gemeente page, Vergelijken and a Thema page
with varying periods and indicators, as the browser asks them (POST /_dash-update-component).
Server time is read from each response's ``Server-Timing`` header, next to a baseline of a
callback that does nothing. Page load (navigation to network idle: until the last request of the
page ended, by the browser's Performance API) is measured in Debian's Chromium with Playwright,
each time in a fresh browser context (nothing cached). Results are appended to
benchmarks/RESULTS.md. The load runs on the same 2 cores as the server, so the client's own
work is included in the server times.

    .venv/bin/python benchmarks/dashboard_load.py                # uses $GVB_HOME (default ./var)
    .venv/bin/python benchmarks/dashboard_load.py --seconds 10 --no-record
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.results import heading, machine, report, verdict  # noqa: E402

GEMEENTEN = ["GM0599", "GM0505", "GM0606", "GM0622", "GM1930", "GM0502", "GM1963", "GM0642"]
INDICATORS = ["M_WONINGINBRAAK", "M_TOTAAL", "M_HIC", "M_FIETSDIEFSTAL", "I_TOTAAL", "H_VERWIJZINGEN", "B_DEELNEMERS"]
THEMES = ["misdrijven", "overlast", "jeugd", "ondermijning", "burgernet", "cybercrime"]


def router_body(path: str, search: str) -> bytes:
    from dashboard.app import page_request

    return json.dumps(page_request(path, search)).encode()


def noop_body() -> bytes:
    return json.dumps(
        {
            "output": "gezond-antwoord.data",
            "outputs": {"id": "gezond-antwoord", "property": "data"},
            "inputs": [{"id": "gezond", "property": "data", "value": 1}],
            "changedPropIds": ["gezond.data"],
            "state": [],
        }
    ).encode()


def typical(rng: random.Random, periods: list[str]) -> tuple[str, bytes]:
    period, indicator = rng.choice(periods), rng.choice(INDICATORS)
    kind = rng.random()
    if kind < 0.35:
        return "overzicht", router_body("/", f"?periode={period}&indicator={indicator}")
    if kind < 0.7:
        return "gemeente", router_body(f"/gemeente/{rng.choice(GEMEENTEN)}", f"?periode={period}&indicator={indicator}")
    if kind < 0.85:
        chosen = ",".join(rng.sample(GEMEENTEN, 3))
        return "vergelijken", router_body("/vergelijken", f"?gemeenten={chosen}&indicator={indicator}")
    return "themas", router_body("/themas", f"?thema={rng.choice(THEMES)}&periode={period}")


def user(port: int, until: float, seed: int, periods: list[str], noop: bool, out: list, errors: list) -> None:
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < until:
        kind, body = ("noop", noop_body()) if noop else typical(rng, periods)
        try:
            connection.request("POST", "/_dash-update-component", body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            timing = response.getheader("Server-Timing", "")
            if response.status != 200 or "dur=" not in timing:
                errors.append(f"{kind}: HTTP {response.status}")
                continue
            out.append((kind, float(timing.split("dur=")[1])))
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{kind}: {exc}")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)


def run_load(port: int, users: int, seconds: float, periods: list[str], noop: bool) -> tuple[list, list]:
    out: list = []
    errors: list = []
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=user, args=(port, until, i, periods, noop, out, errors)) for i in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out, errors


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] if ordered else float("nan")


def page_loads(base: str, runs: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    result: dict[str, list[float]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        for path in ("/", "/gemeente/GM0505"):
            for _ in range(runs):
                context = browser.new_context()  # a first visit each time: nothing cached
                page = context.new_page()
                page.goto(base + path, wait_until="networkidle")
                page.wait_for_selector("#page-title")
                # Playwright reports network idle 500 ms after the last request ended; the load time is
                # when that last request (scripts, layout, callbacks, chart code) ended, from navigation
                ended = page.evaluate(
                    """() => Math.max(performance.getEntriesByType('navigation')[0].loadEventEnd,
                                     ...performance.getEntriesByType('resource').map(e => e.responseEnd))"""
                )
                result.setdefault(path, []).append(ended / 1000)
                context.close()
        browser.close()
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    home = Path(os.environ.get("GVB_HOME", ROOT / "var"))
    os.environ["GVB_HOME"] = str(home)
    import dashboard.data as data

    edition = data.edition(None)
    if edition is None:
        sys.exit(f"geen gepubliceerde editie in {home}; draai eerst 'make demo' of 'gvb demo'")
    periods = [p for p in data.periods(edition) if p >= "2019"]
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "serve", "--port", str(port), "--workers", str(args.workers)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/")
                break
            except OSError:
                time.sleep(0.2)
        run_load(port, 4, 3, periods, noop=False)  # warm both workers' caches a little, as a live server is
        baseline, baseline_errors = run_load(port, args.users, min(args.seconds, 20), periods, noop=True)
        typical_runs, errors = run_load(port, args.users, args.seconds, periods, noop=False)
        loads = page_loads(base, 5)
    finally:
        server.terminate()
        server.wait(timeout=20)
    times = [t for _, t in typical_runs]
    noop_times = [t for _, t in baseline]
    lines = [
        heading("dashboard_load"),
        "",
        f"{machine()} "
        f"Editie {edition.code} ({'demo' if edition.demo else 'echt'}), `gvb serve --workers {args.workers}` (gunicorn), "
        f"{args.users} gelijktijdige gebruikers, {args.seconds:g} s.",
        "",
        "| callbacks | aantal | p50 (ms) | p95 (ms) | p99 (ms) | fouten |",
        "|---|---:|---:|---:|---:|---:|",
        f"| no-op (basislijn) | {len(noop_times)} | {percentile(noop_times, 50):.1f} | {percentile(noop_times, 95):.1f} | "
        f"{percentile(noop_times, 99):.1f} | {len(baseline_errors)} |",
        f"| typisch (alle) | {len(times)} | {percentile(times, 50):.1f} | {percentile(times, 95):.1f} | "
        f"{percentile(times, 99):.1f} | {len(errors)} |",
    ]
    for kind in ("overzicht", "gemeente", "vergelijken", "themas"):
        part = [t for k, t in typical_runs if k == kind]
        lines.append(f"| — {kind} | {len(part)} | {percentile(part, 50):.1f} | {percentile(part, 95):.1f} | "
                     f"{percentile(part, 99):.1f} | {sum(e.startswith(kind) for e in errors)} |")  # fmt: skip
    lines += [
        "",
        "| eerste paginalading (Chromium: navigatie tot het eind van het laatste verzoek) | mediaan (s) | max (s) |",
        "|---|---:|---:|",
    ]
    for path, values in loads.items():
        lines.append(f"| `{path}` | {statistics.median(values):.2f} | {max(values):.2f} |")
    p95 = percentile(times, 95)
    first = max(max(v) for v in loads.values())
    lines += [
        "",
        f"- p95 ≤ 100 ms: {verdict(p95 <= 100)} ({p95:.0f} ms)",
        f"- eerste lading ≤ 1,5 s: {verdict(first <= 1.5)} ({first:.2f} s)",
        f"- nul fouten: {verdict(not errors and not baseline_errors)} ({len(errors) + len(baseline_errors)})",
        "",
    ]
    report(lines, record=not args.no_record)


if __name__ == "__main__":
    main()
