"""Where a gemeente's report of an edition lives: ``edities/<E>/rapporten/gvb_<E>_<GM>.<ext>``.

Known in one place: `gvb report` writes there, the dashboard serves from there, and `gvb publish`
empties the folder when the edition is published anew.
"""

from __future__ import annotations

from pathlib import Path


def reports_folder(edition_folder: Path) -> Path:
    return edition_folder / "rapporten"


def report_path(edition_folder: Path, edition: str, gemeente: str, extension: str) -> Path:
    return reports_folder(edition_folder) / f"gvb_{edition}_{gemeente}.{extension}"
