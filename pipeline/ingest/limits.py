"""The limits of the file being read, for readers deep in the call chain (set once per file)."""

from __future__ import annotations

import contextlib
import contextvars
import csv
import zipfile
from collections.abc import Iterator
from pathlib import Path

from pipeline.kernel.config import Limits
from pipeline.kernel.errors import InputError

_CURRENT: contextvars.ContextVar[Limits | None] = contextvars.ContextVar("limits", default=None)


@contextlib.contextmanager
def reading_with(limits: Limits) -> Iterator[None]:
    token = _CURRENT.set(limits)
    previous = csv.field_size_limit()
    csv.field_size_limit(limits.field_chars)
    try:
        yield
    finally:
        csv.field_size_limit(previous)
        _CURRENT.reset(token)


def limits() -> Limits:
    return _CURRENT.get() or Limits()


def check_package(path: Path) -> None:
    """A workbook is a zip: its members' uncompressed size and count are checked before any is
    parsed (a 3 MB file can unpack to a 1 GiB sheet)."""
    limit = limits()
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # the reader itself says the workbook is damaged
    if len(members) > limit.zip_entries:
        raise InputError(
            f"deze werkmap bestaat uit {len(members)} onderdelen (grens {limit.zip_entries}); niet ingelezen",
            file=path.name,
        )
    unpacked = sum(m.file_size for m in members)
    if unpacked > limit.unpacked_bytes:
        raise InputError(
            f"deze werkmap is uitgepakt {unpacked / 1024 / 1024:.0f} MB (grens {limit.unpacked_bytes // 1024 // 1024} MB, "
            "GVB_MAX_UNPACKED_MB); lever de gegevens als CSV of in kleinere delen",
            file=path.name,
        )


def check_width(columns: int, file: str, row: int | None = None) -> None:
    limit = limits()
    if columns > limit.columns:
        where = f" in rij {row}" if row else ""
        raise InputError(f"meer dan {limit.columns} kolommen{where}; dit is geen tabel die gvb kan lezen", file=file)


def check_rows(rows: int, file: str) -> None:
    limit = limits()
    if rows > limit.rows:
        raise InputError(f"meer dan {limit.rows} rijen (GVB_MAX_ROWS); splits de levering", file=file)
