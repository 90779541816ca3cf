"""How the analysts' duiding reads, the same in the dashboard and every report."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.kernel.periods import parse_period
from pipeline.presentation.dutch import period_label

ALL_AREAS = "alle"


def applying(notes: pd.DataFrame, area: str, period: str | None = None) -> pd.DataFrame:
    """The notes on ``area`` or on every area; with ``period``, only those whose periods overlap it."""
    own = notes[notes["area_code"].isin([area, ALL_AREAS])]
    shown = parse_period(period) if period else None
    if period is not None and shown is None:
        return own.iloc[0:0]
    if shown is not None and not own.empty:
        overlaps = [
            parse_period(first).start <= shown.end and parse_period(last).end >= shown.start
            for first, last in zip(own["first_period"], own["last_period"], strict=True)
        ]
        own = own[overlaps]
    return own.reset_index(drop=True)


def note_periods(first: str, last: str) -> str:
    """``2024-01``, ``2025-12`` → "januari 2024 t/m december 2025"; one period when they are the same."""
    return period_label(first) if first == last else f"{period_label(first)} t/m {period_label(last)}"


def note_heading(note: dict[str, Any], area_names: dict[str, str]) -> str:
    """What a note is about: "Woninginbraak, Rotterdam, eerste halfjaar 2025"."""
    area = "alle gebieden" if note["area_code"] == ALL_AREAS else area_names.get(note["area_code"], note["area_code"])
    return f"{note['indicator_label']}, {area}, {note_periods(note['first_period'], note['last_period'])}"


def note_source(note: dict[str, Any]) -> str:
    """Who wrote a note and for which edition: "Analist RE07, geschreven voor editie 2025H1"."""
    return f"{note['author']}, geschreven voor editie {note['written_for_edition']}"
