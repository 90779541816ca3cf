"""What a reader makes of a delivery: the source it is, its rows as text cells, and what it noticed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from pipeline.kernel.sources import Source

#: a delivery that says it is fictional (in a comment, title or sheet name)
DEMO_MARKER = re.compile(r"\bDEMO\b")


@dataclass
class Parsed:
    source: Source
    format: str
    #: the source's canonical columns as text, plus ``bron_rij`` and, for hand-made tables, ``_totaal``
    #: (a total row or column: not loaded, compared with the sum of its parts)
    frame: pd.DataFrame
    dutch_numbers: bool
    demo: bool = False
    notes: list[str] = field(default_factory=list)
    skipped: int = 0
    #: the gemeente indeling (year) the file's area codes are in, when the file states it
    indeling: int | None = None
    #: counted from one row per incident: a gemeente without incidents in a month of the file is 0
    incident_counts: bool = False
    #: "half" or "month" when the file says how to read an ambiguous period ("2024-1" under "Halfjaar")
    period_kind: str | None = None
    #: the worksheet the rows come from, and each canonical column as the partner sees it ("D (Leeftijd)")
    sheet: str | None = None
    shown_columns: dict[str, str] = field(default_factory=dict)
