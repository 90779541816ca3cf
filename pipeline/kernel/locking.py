"""One refresh or publication at a time: an exclusive lock file in $GVB_HOME."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.kernel.config import Settings
from pipeline.kernel.errors import StoreBusyError


@contextmanager
def exclusive(settings: Settings, what: str) -> Iterator[None]:
    """Hold the lock for ``what``; a second process gets a clear refusal, not a wait.

    The kernel releases the lock when the process dies, also on SIGKILL.
    """
    settings.home.mkdir(parents=True, exist_ok=True)
    with exclusive_at(settings.lock_path, what, "er loopt al een verversing of publicatie"):
        yield


@contextmanager
def exclusive_at(path: Path, what: str, busy: str) -> Iterator[None]:
    """:func:`exclusive` on the lock file ``path``; ``busy`` starts the refusal a second process gets."""
    handle = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "een ander proces"
        handle.close()
        raise StoreBusyError(
            f"{busy} ({holder}); wacht tot die klaar is en probeer het opnieuw",
            exit_code=3,
        ) from None
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"{what}, pid {os.getpid()}, sinds {dt.datetime.now().isoformat(timespec='seconds')}")
        handle.flush()
        yield
    finally:
        handle.seek(0)
        handle.truncate()
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
