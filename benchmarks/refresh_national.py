"""Benchmark: a refresh at national scale (DESIGN §9).

Generates national-scale demo extracts (every Dutch gemeente, wijk level, monthly from 2012 to the
latest month, all crime and nuisance types, plus all partner sources), then times each step in
its own process: a bare DuckDB scan of the input files, DuckDB loading the police files into typed
tables (the floor an ingest can approach), ingest, validate and build (including the mart checks
and publishing). Then one more month of police figures arrives and the refresh runs again (the
incremental refresh). Records peak memory per step and appends the results with machine info to
benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/refresh_national.py                 # full scale
    .venv/bin/python benchmarks/refresh_national.py --memory 1GB    # the same under GVB_MEMORY
    .venv/bin/python benchmarks/refresh_national.py --from 2024-01  # quicker, for a smoke run

Targets (issue 15): ingest + validate + build <= 30 s on 2 cores, <= 2 GB peak (and it completes
under GVB_MEMORY=1GB), ingest <= 3x the typed load, validation <= 25 % of ingest + build, one new
month <= 1/3 of a full refresh.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.results import heading, machine, report, verdict  # noqa: E402
from pipeline.demo.generate import SEASON, Generator, _months, _write_partners, _write_survey, default_end  # noqa: E402
from pipeline.demo.writers import DEMO_LINE  # noqa: E402
from pipeline.reference import reference  # noqa: E402

STEP = """
import json, os, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
step, arg = sys.argv[1], sys.argv[2]
start = time.perf_counter()
if step == "scan":
    import duckdb
    con = duckdb.connect()
    files = [str(p) for p in Path(arg).rglob("*.csv")]
    rows = 0
    for path in files:
        rows += con.execute("select count(*) from read_csv(?, all_varchar=true, null_padding=true, ignore_errors=true, skip=1)", [path]).fetchall()[0][0]
    detail = {{"rows": rows, "files": len(files)}}
elif step == "typed":
    import duckdb
    con = duckdb.connect(str(Path(os.environ["GVB_HOME"]) / "ondergrens.duckdb"))
    columns = {{"periode": "VARCHAR", "gebied_code": "VARCHAR", "soort_code": "VARCHAR", "aantal": "BIGINT"}}
    rows = 0
    for i, path in enumerate(sorted(Path(arg).glob("politie_*/*.csv"))):
        con.execute(f"create or replace table t{{i}} as select * from read_csv(?, header=true, skip=1, columns=?)",
                    [str(path), columns])
        rows += con.execute(f"select count(*) from t{{i}}").fetchall()[0][0]
    con.close()
    detail = {{"rows": rows}}
elif step == "ingest":
    from pipeline.kernel.config import settings
    from pipeline.ingest.load import ingest
    results = ingest([Path(arg)], settings())
    detail = {{"loaded": sum(r.status == "geladen" for r in results), "refused": [r.path.name for r in results if r.status == "geweigerd"],
              "rows": sum(r.rows for r in results)}}
elif step == "validate":
    from pipeline.kernel.config import settings
    from pipeline.validate.run import validate
    report = validate(settings(), arg)
    detail = {{"exit_code": report.exit_code}}
elif step == "build":
    from pipeline.kernel.config import settings
    from pipeline.publish.run import publish
    publication = publish(settings(), arg)
    detail = {{"notable": publication.manifest["opvallende_ontwikkelingen"]}}
elapsed = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": elapsed, "peak_mb": peak_mb, **detail}}))
"""


def write_police(gen: Generator, out: Path, kind: str, suffix: str = "") -> int:
    """Monthly counts per wijk for every gemeente, vectorised (known wijken, else synthetic ones)."""
    ref = gen.ref
    types = gen.crime_types if kind == "misdrijven" else gen.nuisance_types
    source = "politie_misdrijven" if kind == "misdrijven" else "politie_incidenten"
    path = out / source / f"landelijk_{source}_wijk{suffix}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    schema = pa.schema(
        [("periode", pa.string()), ("gebied_code", pa.string()), ("soort_code", pa.string()), ("aantal", pa.int64())]
    )
    total_rows = 0
    with path.open("wb") as raw:
        raw.write(f"# {DEMO_LINE}\n".encode())
        writer = pacsv.CSVWriter(raw, schema)
        for year in gen.years:
            members = gen.members(year)
            areas, area_gm, weights = [], [], []
            for gm in members:
                known = gen.areas(gm, year)
                if len(known) > 1:
                    for area in known:
                        areas.append(area.code)
                        area_gm.append(gm)
                        weights.append(area.weight)
                    continue
                population = ref.inhabitants(gm, year) or 0
                n = int(min(20, max(3, population // 8000)))
                share = gen.rng("synthetic", gm).dirichlet(np.full(n, 4.0))
                for i in range(n):
                    areas.append(f"WK{gm[2:]}{i + 1:02d}")
                    area_gm.append(gm)
                    weights.append(float(share[i]))
            base = {}
            for gm in members:
                population = ref.inhabitants(gm, year) or 0
                rate = gen.gemeente_rate(gm)
                if kind == "misdrijven":
                    base[gm] = population / 1000 * rate * gen.trend(year) / 12
                else:
                    base[gm] = population / 1000 * (rate / gen.nl_rate_2024) ** 0.7 / 12
            year_c = min(max(year, 2012), 2023)
            if kind == "misdrijven":
                shares = np.array([gen.crime_share(t, year) for t in types])
            else:
                shares = np.array([gen.nuisance_nl.get((t, year_c), 0.0) for t in types])
            area_base = np.array([base[g] for g in area_gm]) * np.array(weights)
            area_codes = np.array(areas, dtype=object)
            for month in [m for m in gen.months if int(m[:4]) == year]:
                season = np.array([SEASON.get(t, [1.0] * 12)[int(month[5:7]) - 1] for t in types])
                lam = np.outer(area_base, shares * season)
                counts = gen.rng(kind, "nl", month).poisson(lam)
                rows_idx, type_idx = np.nonzero(counts)
                totals = counts.sum(axis=1)
                codes = np.array(types, dtype=object)
                table = pa.table(
                    {
                        "periode": pa.array([month] * (len(rows_idx) + len(areas))),
                        "gebied_code": pa.array(np.concatenate([area_codes[rows_idx], area_codes])),
                        "soort_code": pa.array(
                            np.concatenate([codes[type_idx], np.array(["0.0.0"] * len(areas), dtype=object)])
                        ),
                        "aantal": pa.array(np.concatenate([counts[rows_idx, type_idx], totals]).astype("int64")),
                    },
                    schema=schema,
                )
                writer.write_table(table)
                total_rows += table.num_rows
        writer.close()
    return total_rows


def run_step(step: str, arg: str, env: dict[str, str]) -> dict:
    script = STEP.format(root=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", script, step, arg], env=env, capture_output=True, text=True, cwd=ROOT
    )
    if result.returncode != 0:
        raise SystemExit(f"stap {step} mislukt:\n{result.stdout}\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="start", default="2012-01")
    parser.add_argument("--to", dest="end", default=None)
    parser.add_argument("--keep", type=Path, default=None, help="keep extracts and store in this folder")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument("--memory", default=None, help="run every step under GVB_MEMORY (e.g. 1GB)")
    args = parser.parse_args()
    os.environ.setdefault("GVB_TODAY", dt.date.today().isoformat())
    work = args.keep or Path(tempfile.mkdtemp(prefix="gvb_bench_"))
    data = work / "data_raw"
    home = work / "home"
    end = args.end or default_end()
    env = {**os.environ, "GVB_HOME": str(home), "GVB_REGIO": "NL", "GVB_MAX_FILE_MB": "8192"}
    if args.memory:
        env["GVB_MEMORY"] = args.memory
    home.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    gen = Generator(2026, _months(args.start, end), "NL", reference())
    rows = write_police(gen, data, "misdrijven") + write_police(gen, data, "incidenten")
    partner_rows = sum(n for _, n in _write_partners(gen, data)) + sum(n for _, n in _write_survey(gen, data))
    generated = time.perf_counter() - started
    size_mb = sum(p.stat().st_size for p in data.rglob("*") if p.is_file()) / 1024 / 1024
    print(f"extracten: {rows:,} politierijen + {partner_rows:,} partnerrijen, {size_mb:.0f} MB, {generated:.0f} s")

    edition = (lambda y, m: f"{y}H1" if 6 <= m < 12 else str(y if m == 12 else y - 1))(int(end[:4]), int(end[5:7]))
    scan = run_step("scan", str(data), env)
    print(f"scan: {scan}")
    typed = run_step("typed", str(data), env)
    print(f"typed load: {typed}")
    ingest = run_step("ingest", str(data), env)
    print(f"ingest: {ingest}")
    validate = run_step("validate", edition, env)
    print(f"validate: {validate}")
    build = run_step("build", edition, env)
    print(f"build+publish: {build}")

    # one more month of police figures arrives: the refresh again
    following = (lambda y, m: f"{y + m // 12}-{m % 12 + 1:02d}")(int(end[:4]), int(end[5:7]))
    extra = Generator(2026, _months(following, following), "NL", reference())
    write_police(extra, data, "misdrijven", f"_{following}")
    again = [
        run_step(step, arg, env) for step, arg in (("ingest", str(data)), ("validate", edition), ("build", edition))
    ]
    print(f"incremental: {again}")

    total = ingest["seconds"] + validate["seconds"] + build["seconds"]
    peak = max(ingest["peak_mb"], validate["peak_mb"], build["peak_mb"])
    ratio = ingest["seconds"] / typed["seconds"] if typed["seconds"] else float("inf")
    overhead = validate["seconds"] / (ingest["seconds"] + build["seconds"])
    incremental = sum(step["seconds"] for step in again)
    lines = [
        heading("refresh_national"),
        "",
        f"{machine()} "
        f"Periode {args.start} t/m {end}, editie {edition}, regio NL ({len(gen.members(gen.years[-1]))} gemeenten)"
        + (f", GVB_MEMORY={args.memory}." if args.memory else "."),
        f"Invoer: {rows:,} politierijen (wijk × maand × soort) + {partner_rows:,} partnerrijen, {size_mb:.0f} MB CSV/xlsx.",
        "",
        "| stap | seconden | piekgeheugen (MB) |",
        "|---|---:|---:|",
        f"| kale DuckDB-scan van de invoer (alleen tellen) | {scan['seconds']:.1f} | {scan['peak_mb']:.0f} |",
        f"| DuckDB laadt de politiebestanden in getypeerde tabellen (ondergrens) | {typed['seconds']:.1f} | "
        f"{typed['peak_mb']:.0f} |",
        f"| ingest | {ingest['seconds']:.1f} | {ingest['peak_mb']:.0f} |",
        f"| validate | {validate['seconds']:.1f} | {validate['peak_mb']:.0f} |",
        f"| build + martcontroles + publish | {build['seconds']:.1f} | {build['peak_mb']:.0f} |",
        f"| **ingest + validate + build** | **{total:.1f}** | **{peak:.0f}** |",
        f"| één maand erbij: ingest + validate + build | {incremental:.1f} | "
        f"{max(step['peak_mb'] for step in again):.0f} |",
        "",
        f"- ≤ 30 s: {verdict(total <= 30)} ({total:.0f} s)",
        f"- ≤ 2 GB piek: {verdict(peak <= 2048)} ({peak:.0f} MB)",
        f"- ingest ≤ 3× de getypeerde load: {verdict(ratio <= 3)} ({ratio:.1f}×)",
        f"- validatie ≤ 25 % van ingest + build: {verdict(overhead <= 0.25)} ({100 * overhead:.0f} %)",
        f"- één maand erbij ≤ 1/3 van de volledige verversing: {verdict(incremental <= total / 3)} "
        f"({incremental / total:.2f})",
        f"- afgewezen bestanden: {ingest['refused'] or 'geen'}; validatie-exitcode {validate['exit_code']}",
    ]
    report(lines, record=not args.no_record)


if __name__ == "__main__":
    main()
