"""Writing a file so that a reader sees the old one or the whole new one, never half of it.

The content goes to a temporary name beside the target and is renamed over it (``os.replace``
is atomic on one file system); on any failure, a full disk included, the temporary file is
removed and the target is untouched. A kernel module: it imports nothing of ours.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path


def _staged(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


@contextlib.contextmanager
def staged_file(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` for a writer of its own (DuckDB's ``copy``): renamed over
    ``path`` when the block ends without an error, removed when it does not."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = _staged(path)
    try:
        yield staged
        os.replace(staged, path)
    finally:
        staged.unlink(missing_ok=True)


def write_atomically(path: Path, content: bytes | str) -> Path:
    """Write ``content`` (text as UTF-8) to ``path`` atomically; returns ``path``."""
    with staged_file(path) as staged:
        if isinstance(content, str):
            staged.write_text(content, encoding="utf-8")
        else:
            staged.write_bytes(content)
    return path
