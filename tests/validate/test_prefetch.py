"""The prefetching thread that lets DuckDB prepare the next validation batch during GX's work."""

from __future__ import annotations

import threading

import pytest

from pipeline.validate.prefetch import prefetched


def test_items_arrive_in_order_and_errors_reach_the_consumer() -> None:
    def producer():
        yield from range(5)
        raise ValueError("kapot")

    seen = []
    with pytest.raises(ValueError, match="kapot"):
        for item in prefetched(producer()):
            seen.append(item)
    assert seen == [0, 1, 2, 3, 4]


def test_stopping_early_closes_the_producer_and_its_thread() -> None:
    closed = []

    def producer():
        try:
            yield from range(10_000)
        finally:
            closed.append(True)  # e.g. the store connection being closed

    stream = prefetched(producer())
    assert [next(stream), next(stream)] == [0, 1]
    stream.close()
    assert closed == [True]
    assert not [t for t in threading.enumerate() if t.name == "prefetch"]
