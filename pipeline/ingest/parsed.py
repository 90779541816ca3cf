"""What a reader makes of a delivery: the source it is, its rows as text cells, and what it noticed."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pipeline.sources import Source


@dataclass
class Parsed:
    source: Source
    format: str
    frame: pd.DataFrame  # the source's canonical columns as text, plus ``bron_rij``
    dutch_numbers: bool
    demo: bool = False
    notes: list[str] = field(default_factory=list)
    skipped: int = 0
    #: the gemeente indeling (year) the file's area codes are in, when the file states it
    indeling: int | None = None
    #: counted from one row per incident: a gemeente without incidents in a month of the file is 0
    incident_counts: bool = False
