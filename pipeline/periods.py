"""Period codes: every delivery format's spelling to one canonical text.

Canonical: ``YYYY-MM`` (month), ``YYYYH1``/``YYYYH2`` (half-year), ``YYYY`` (year).
Accepted spellings: ``2024-03``, ``2024MM03``, ``202403``, ``maart 2024``, ``2024H1``, ``2024-H1``,
``2024HJ01``, ``2024JJ00``, ``2024``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS_NL = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6,
    "juli": 7, "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}  # fmt: skip

_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})MM(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})\s*-?\s*H([12])$"), "half"),
    (re.compile(r"^(\d{4})HJ0([12])$"), "half"),
    (re.compile(r"^(\d{4})JJ00$"), "year"),
    (re.compile(r"^(\d{4})$"), "year"),
]


@dataclass(frozen=True)
class Period:
    text: str  # canonical
    kind: str  # month | half | year
    year: int
    start: dt.date
    end: dt.date  # last day

    @property
    def months(self) -> list[str]:
        first = self.start.month
        last = self.end.month
        return [f"{self.year}-{m:02d}" for m in range(first, last + 1)]


def parse_period(raw: str) -> Period | None:
    """The canonical period for ``raw``, or None when it is not a period code."""
    text = raw.strip().upper()
    words = raw.strip().lower().split()
    if len(words) == 2 and words[0] in MONTHS_NL and words[1].isdigit():
        text = f"{words[1]}-{MONTHS_NL[words[0]]:02d}"
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year = int(match.group(1))
        if not 1990 <= year <= 2100:
            return None
        if kind == "month":
            month = int(match.group(2))
            if not 1 <= month <= 12:
                return None
            start = dt.date(year, month, 1)
            end = (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)
            return Period(f"{year}-{month:02d}", "month", year, start, end)
        if kind == "half":
            half = int(match.group(2))
            start = dt.date(year, 1 if half == 1 else 7, 1)
            end = dt.date(year, 6, 30) if half == 1 else dt.date(year, 12, 31)
            return Period(f"{year}H{half}", "half", year, start, end)
        return Period(str(year), "year", year, dt.date(year, 1, 1), dt.date(year, 12, 31))
    return None


def today() -> dt.date:
    """Today's date; ``GVB_TODAY`` (YYYY-MM-DD) pins it for reproducible tests."""
    import os

    pinned = os.environ.get("GVB_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()
