"""Run a producer one step ahead in a thread, so its I/O overlaps with the consumer's work.

``gvb validate`` uses it to let DuckDB compute and fetch the next batch while Great Expectations
checks the current one (DuckDB releases the GIL while it works; on 2 cores both keep busy).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def prefetched(items: Iterator[T], depth: int = 1) -> Iterator[T]:
    """Yield what ``items`` yields, with up to ``depth`` items made in advance by a thread.

    An exception in the producer is raised in the consumer; when the consumer stops early
    (``close()``), the producer is told to stop and is waited for, so nothing it holds stays open.
    """
    channel: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                channel.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
        except BaseException as error:  # handed to the consumer
            put(_Failed(error))
        finally:
            close = getattr(items, "close", None)
            if close:
                close()
            put(_DONE)

    worker = threading.Thread(target=produce, name="prefetch", daemon=True)
    worker.start()
    try:
        while True:
            item = channel.get()
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        worker.join()
