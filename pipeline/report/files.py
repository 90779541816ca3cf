"""Where a gemeente's report of an edition lives: ``edities/<E>/rapporten/gvb_<E>_<GM>.<ext>``.

Known in one place: `gvb report` writes there, the dashboard serves from there. ``edities/<E>``
is the edition's current publication (``pipeline.publication``): a new publication starts without
reports, and those of the old one leave with its directory.
"""

from __future__ import annotations

from pathlib import Path


def reports_folder(edition_folder: Path) -> Path:
    return edition_folder / "rapporten"


def report_path(edition_folder: Path, edition: str, gemeente: str, extension: str) -> Path:
    return reports_folder(edition_folder) / f"gvb_{edition}_{gemeente}.{extension}"
