"""Benchmark: all gemeente reports of one edition, PDF and Excel (DESIGN §9: ≤ 30 s on 2 cores).

Runs `gvb report --all --format pdf` and `--format xlsx` for the newest published edition in
$GVB_HOME (default ./var, as `make demo` leaves it), each timed in its own process, and appends
the result to benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/reports.py
    .venv/bin/python benchmarks/reports.py --no-record
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.results import heading, machine, report, verdict  # noqa: E402


def timed(edition: str, fmt: str) -> tuple[float, float]:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "report", "--edition", edition, "--all", "--format", fmt],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("GVB_HOME", str(ROOT / "var"))
    import dashboard.data as data

    edition = data.edition(None)
    if edition is None:
        sys.exit(f"geen gepubliceerde editie in {os.environ['GVB_HOME']}; draai eerst 'make demo' of 'gvb demo'")
    count = len(data.gemeenten(edition))
    pdf_seconds, pdf_mb = timed(edition.code, "pdf")
    xlsx_seconds, xlsx_mb = timed(edition.code, "xlsx")
    from pypdf import PdfReader

    from pipeline.kernel.publication import reports_folder

    folder = reports_folder(edition.folder)
    pages = 0
    for path in folder.glob(f"gvb_{edition.code}_GM*.pdf"):
        pages += len(PdfReader(path).pages)
    total = pdf_seconds + xlsx_seconds
    lines = [
        heading("reports"),
        "",
        f"{machine()} "
        f"Editie {edition.code} ({'demo' if edition.demo else 'echt'}), {count} gemeenten, elk formaat in één proces "
        "(één kaleido/Chromium-sessie voor alle grafieken).",
        "",
        "| stap | seconden | piekgeheugen (MB) |",
        "|---|---:|---:|",
        f"| {count} PDF's ({pages} pagina's, SVG-grafieken) | {pdf_seconds:.1f} | {pdf_mb:.0f} |",
        f"| {count} Excelmappen | {xlsx_seconds:.1f} | {xlsx_mb:.0f} |",
        f"| **samen** | **{total:.1f}** | |",
        "",
        f"- ≤ 30 s: {verdict(total <= 30)} ({total:.1f} s, inclusief het opstarten van Python en Chromium)",
        "",
    ]
    report(lines, record=not args.no_record)


if __name__ == "__main__":
    main()
