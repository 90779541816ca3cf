"""One publication of an edition is one directory; readers see it whole or not at all.

``$GVB_HOME/edities/<E>`` is a symbolic link to ``edities/.publicaties/<E>-<id>/``, which holds
everything of that publication: the database, ``manifest.json``, the validation of exactly that
data (``validatie.json``, ``data_docs/``) and the reports ``gvb report`` makes of it
(``rapporten/``). Publishing fills a new directory (``<E>-<id>.nieuw``), renames it to its final
name and then replaces the link in one atomic ``rename``: every reader that opens
``edities/<E>/…`` gets the old publication or the new one, never a mix. Reports and validation of
an older publication leave with its directory.

Anything a killed process leaves behind (a ``.nieuw`` directory, a publication no link points to)
is removed by the next publish, under the lock.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
from pathlib import Path

from pipeline.kernel.config import Settings

ROOT_NAME = ".publicaties"
STAGING_SUFFIX = ".nieuw"


def root(settings: Settings) -> Path:
    return settings.home / "edities" / ROOT_NAME


def link(settings: Settings, edition: str) -> Path:
    """The path readers use: ``edities/<E>``."""
    return settings.home / "edities" / edition


def fault_point(settings: Settings, name: str) -> None:
    """For the fault-injection tests: with ``GVB_FOUT_BIJ=<name>`` the process is killed here with
    SIGKILL, as a power cut would (nothing runs after it: no cleanup, no exception handlers)."""
    if settings.fault_point == name:
        os.kill(os.getpid(), signal.SIGKILL)


def new(settings: Settings, edition: str) -> Path:
    """An empty directory for a publication being made."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    staged = root(settings) / f"{edition}-{stamp}-{os.getpid()}{STAGING_SUFFIX}"
    staged.mkdir(parents=True)
    return staged


def current(settings: Settings, edition: str) -> Path | None:
    """The directory of the edition's publication that readers see now (None: not published)."""
    path = link(settings, edition)
    return path.resolve() if path.is_dir() else None


def switch(settings: Settings, edition: str, staged: Path) -> Path:
    """Make ``staged`` the edition's publication: the commit point is one ``rename`` of the link."""
    final = staged.with_name(staged.name.removesuffix(STAGING_SUFFIX))
    os.rename(staged, final)
    fault_point(settings, "hernoemd")
    path = link(settings, edition)
    previous = current(settings, edition)
    if path.is_dir() and not path.is_symlink():  # an edition published before publications had directories
        legacy = root(settings) / f"{edition}-eerder"
        shutil.rmtree(legacy, ignore_errors=True)
        os.rename(path, legacy)
        previous = legacy
    pending = path.with_name(f".{edition}.{os.getpid()}.link")
    pending.unlink(missing_ok=True)
    os.symlink(os.path.join(ROOT_NAME, final.name), pending)
    os.replace(pending, path)  # the commit point
    fault_point(settings, "omgezet")
    if previous is not None and previous != final:
        shutil.rmtree(previous, ignore_errors=True)
    return final


def remove_leftovers(settings: Settings) -> None:
    """Directories of publications being made by a killed process, and of publications no link
    points to any more (a kill between the switch and the removal). Call under the lock."""
    folder = root(settings)
    if not folder.is_dir():
        return
    in_use = set()
    for entry in (settings.home / "edities").iterdir():
        if entry.is_symlink():
            in_use.add(entry.resolve().name)
        elif entry.name.startswith(".") and entry.name.endswith(".link"):
            entry.unlink(missing_ok=True)
    for directory in folder.iterdir():
        if directory.name not in in_use:
            shutil.rmtree(directory, ignore_errors=True)


def reports_folder(edition_folder: Path) -> Path:
    """Where a publication keeps its reports: ``gvb report`` writes there, the dashboard serves from there."""
    return edition_folder / "rapporten"


def report_path(edition_folder: Path, edition: str, gemeente: str, extension: str) -> Path:
    """A gemeente's report of an edition: ``edities/<E>/rapporten/gvb_<E>_<GM>.<ext>``. A new
    publication starts without reports; those of the old one leave with its directory."""
    return reports_folder(edition_folder) / f"gvb_{edition}_{gemeente}.{extension}"
