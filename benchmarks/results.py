"""What the benchmark scripts share: the machine line, verdicts, and appending to RESULTS.md."""

from __future__ import annotations

import datetime as dt
import os
import platform
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def heading(benchmark: str) -> str:
    return f"## {benchmark} — {dt.datetime.now().isoformat(timespec='minutes')}"


def machine() -> str:
    return f"Machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores."


def verdict(ok: bool) -> str:
    return "gehaald" if ok else "NIET gehaald"


def report(lines: list[str], record: bool) -> None:
    """Print the result, and append it to RESULTS.md unless ``record`` is off."""
    text = "\n".join(lines).strip("\n") + "\n"
    print(text)
    if not record:
        return
    if not RESULTS.exists():
        RESULTS.write_text("# Benchmarkresultaten\n\nMetingen van de scripts in `benchmarks/`, nieuwste onderaan.\n",
                           encoding="utf-8")  # fmt: skip
    with RESULTS.open("a", encoding="utf-8") as fh:
        fh.write("\n" + text)
