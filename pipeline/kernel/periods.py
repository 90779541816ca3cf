"""Period codes: every delivery format's spelling to one canonical text.

Canonical: ``YYYY-MM`` (month), ``YYYYH1``/``YYYYH2`` (half-year), ``YYYY`` (year).
Accepted spellings: ``2024-03``, ``2024MM03``, ``202403``, ``maart 2024``, ``mrt 2024``, ``jan-24``,
``2024H1``, ``2024-H1``, ``H1 2024``, ``1e halfjaar 2024``, ``jan-jun 2024``, ``2024HJ01``,
``2024JJ00``, ``2024``, and a period's first day as a date (``1-7-2024``, what Excel makes of it).

Some spellings have two readings: ``2024-1`` is January or the first half-year, ``1-7-2024`` is
July or the second half-year. :func:`period_readings` gives every reading; the caller decides by
what the source delivers (or asks), never by guessing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS_NL = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6,
    "juli": 7, "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}  # fmt: skip
MONTHS_SHORT = {
    "jan": 1, "feb": 2, "mrt": 3, "maa": 3, "mar": 3, "apr": 4, "mei": 5, "may": 5, "jun": 6, "jul": 7,
    "aug": 8, "sep": 9, "sept": 9, "okt": 10, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip


def month_number(word: str) -> int | None:
    """``maart``, ``mrt``, ``Mar.`` → 3."""
    word = word.strip().lower().rstrip(".")
    if word in MONTHS_NL:
        return MONTHS_NL[word]
    return MONTHS_SHORT.get(word) or MONTHS_SHORT.get(word[:3]) if len(word) >= 3 else None


_HALF_WORDS = r"(?P<half>1e|2e|1ste|2de|eerste|tweede|1|2)\s*(?:halfjaar|hj|half jaar|helft)"
_HALF_SPELLINGS = [
    re.compile(rf"^{_HALF_WORDS}\s*(?P<year>\d{{4}})$"),  # 1e halfjaar 2024
    re.compile(rf"^(?P<year>\d{{4}})\s*-?\s*{_HALF_WORDS}$"),  # 2024 1e halfjaar
    re.compile(r"^(?:halfjaar|hj|h)\s*(?P<half>[12])\s*-?\s*(?P<year>\d{4})$"),  # H1 2024, halfjaar 1 2024
    re.compile(r"^(?P<year>\d{4})\s*-?\s*(?:halfjaar|hj)\s*0?(?P<half>[12])$"),  # 2024 halfjaar 1, 2024HJ1
]
_RANGE = re.compile(r"^(?P<a>[a-z]+)\.?\s*-\s*(?P<b>[a-z]+)\.?\s*(?P<year>\d{4})$")  # jan-jun 2024
_RANGE_AFTER = re.compile(r"^(?P<year>\d{4})\s*(?P<a>[a-z]+)\.?\s*-\s*(?P<b>[a-z]+)\.?$")  # 2024 jan-jun
_MONTH_WORD = re.compile(r"^(?P<m>[a-z]+)\.?\s*[- ]?\s*(?P<year>\d{4}|\d{2})$")  # jan 2024, jan-24
_MONTH_WORD_AFTER = re.compile(r"^(?P<year>\d{4})\s*[- ]?\s*(?P<m>[a-z]+)\.?$")  # 2024 januari
_AMBIGUOUS = re.compile(r"^(?P<year>\d{4})\s*[-/]\s*(?P<n>[12])$")  # 2024-1: January or first half?
_MONTH_YEAR = re.compile(r"^(?P<m>\d{1,2})\s*[-/]\s*(?P<year>\d{4})$")  # 1-2024, 01-2024
_DATE = re.compile(r"^(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<year>\d{4})(?:\s+0?0:00(?::00)?)?$")
_ISO_DATE = re.compile(r"^(?P<year>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[ T]00:00(?::00)?)?$")

_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})MM(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})\s*-?\s*H([12])$"), "half"),
    (re.compile(r"^(\d{4})HJ0([12])$"), "half"),
    (re.compile(r"^(\d{4})JJ00$"), "year"),
    (re.compile(r"^(\d{4})$"), "year"),
]


#: the one vocabulary of period kinds: the code's word and the word the marts and readers use
KIND_WORDS = {"month": "maand", "half": "halfjaar", "year": "jaar"}
#: the canonical text of each kind as a regular expression, the same in Python and DuckDB
#: (``regexp_full_match``); ingest writes every accepted spelling in one of these forms
CANONICAL = {"month": r"\d{4}-(0[1-9]|1[0-2])", "half": r"\d{4}H[12]", "year": r"\d{4}"}


def canonical_pattern(*kinds: str) -> str:
    """One full-match regular expression for the canonical periods of ``kinds`` (all kinds if none)."""
    return "(" + "|".join(CANONICAL[kind] for kind in kinds or CANONICAL) + ")"


def sort_key(period: str) -> tuple[int, int, int]:
    """Oldest first, by the end of the period; a longer period after a shorter one ending the same
    day: 2024-06 < 2024H1 < 2024-12 < 2024H2 < 2024. Editions sort by the same rule."""
    year = int(period[:4])
    if len(period) == 7:  # 2024-01
        return year, int(period[5:7]), 0
    if len(period) == 6:  # 2024H1
        return year, 6 if period[5] == "1" else 12, 1
    return year, 12, 2


#: the same rule in SQL, for the staging models (registered as a macro by the build): a canonical
#: period's length tells its kind ("2024-01" month, "2024H1" half-year, "2024" year)
KIND_MACRO = (
    "create or replace macro period_type_of(period) as case length(period) "
    + " ".join(
        f"when {len(example)} then '{KIND_WORDS[kind]}'" for kind, example in (("month", "2024-01"), ("half", "2024H1"))
    )
    + f" else '{KIND_WORDS['year']}' end"
)

#: the first and the last day of a canonical period (or of an edition, which is one), in SQL
_YEAR, _MONTH = "cast(substr(period, 1, 4) as integer)", "cast(substr(period, 6, 2) as integer)"
BOUNDS_MACROS = (
    "create or replace macro period_start_of(period) as case length(period) "
    f"when 7 then make_date({_YEAR}, {_MONTH}, 1) "
    f"when 6 then make_date({_YEAR}, case substr(period, 6, 1) when '1' then 1 else 7 end, 1) "
    f"else make_date({_YEAR}, 1, 1) end",
    "create or replace macro period_end_of(period) as case length(period) "
    f"when 7 then last_day(make_date({_YEAR}, {_MONTH}, 1)) "
    f"when 6 then case substr(period, 6, 1) when '1' then make_date({_YEAR}, 6, 30) else make_date({_YEAR}, 12, 31) end "
    f"else make_date({_YEAR}, 12, 31) end",
)


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


def make_period(year: int, kind: str, number: int = 0) -> Period | None:
    if not 1990 <= year <= 2100:
        return None
    if kind == "month":
        if not 1 <= number <= 12:
            return None
        start = dt.date(year, number, 1)
        end = (dt.date(year + number // 12, number % 12 + 1, 1)) - dt.timedelta(days=1)
        return Period(f"{year}-{number:02d}", "month", year, start, end)
    if kind == "half":
        if number not in (1, 2):
            return None
        start = dt.date(year, 1 if number == 1 else 7, 1)
        end = dt.date(year, 6, 30) if number == 1 else dt.date(year, 12, 31)
        return Period(f"{year}H{number}", "half", year, start, end)
    return Period(str(year), "year", year, dt.date(year, 1, 1), dt.date(year, 12, 31))


def period_readings(raw: str) -> list[Period]:
    """Every period ``raw`` can mean: none, one, or two (``2024-1``: January or the first half)."""
    text = re.sub(r"\s+", " ", raw.strip().lower().replace("\u2013", "-").replace("t/m", "-"))
    text = re.sub(r"\s*-\s*", "-", text).replace(" tot en met ", "-")
    text = re.sub(r"^(\d{4})\s*/\s*(h|hj)", r"\1-\2", text)  # 2024/H1
    if match := _AMBIGUOUS.match(text):
        year, n = int(match["year"]), int(match["n"])
        return [p for p in (make_period(year, "month", n), make_period(year, "half", n)) if p]
    if match := _MONTH_YEAR.match(text):
        year, n = int(match["year"]), int(match["m"])
        readings = [make_period(year, "month", n)]
        if match["m"] in ("1", "2"):
            readings.append(make_period(year, "half", n))
        return [p for p in readings if p]
    if match := (_DATE.match(text) or _ISO_DATE.match(text)):
        year, month, day = int(match["year"]), int(match["m"]), int(match["d"])
        if day != 1:
            return []
        readings = [make_period(year, "month", month)]
        if month in (1, 7):
            readings.append(make_period(year, "half", 1 if month == 1 else 2))
        if month == 1:
            readings.append(make_period(year, "year"))
        return [p for p in readings if p]
    for pattern in _HALF_SPELLINGS:
        if match := pattern.match(text):
            half = 1 if match["half"] in ("1e", "1ste", "eerste", "1") else 2
            period = make_period(int(match["year"]), "half", half)
            return [period] if period else []
    if match := (_RANGE.match(text) or _RANGE_AFTER.match(text)):
        first, last = month_number(match["a"]), month_number(match["b"])
        year = int(match["year"])
        if (first, last) == (1, 6):
            return [make_period(year, "half", 1)]
        if (first, last) == (7, 12):
            return [make_period(year, "half", 2)]
        if (first, last) == (1, 12):
            return [make_period(year, "year")]
        return []
    if match := (_MONTH_WORD.match(text) or _MONTH_WORD_AFTER.match(text)):
        month = month_number(match["m"])
        year = int(match["year"]) if len(match["year"]) == 4 else 2000 + int(match["year"])
        period = make_period(year, "month", month) if month else None
        return [period] if period else []
    period = parse_period(text) or parse_period(raw)
    return [period] if period else []


def parse_period(raw: str) -> Period | None:
    """The canonical period for ``raw`` in the codes deliveries use, or None when it is not one."""
    text = raw.strip().upper()
    words = raw.strip().lower().split()
    if len(words) == 2 and words[0] in MONTHS_NL and words[1].isdigit():
        text = f"{words[1]}-{MONTHS_NL[words[0]]:02d}"
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        number = int(match.group(2)) if kind != "year" else 0
        return make_period(int(match.group(1)), kind, number)
    return None


def today() -> dt.date:
    """Today's date; ``GVB_TODAY`` (YYYY-MM-DD) pins it for reproducible tests."""
    from pipeline.kernel.config import settings

    return settings().today_pinned or dt.date.today()


def read_period_column(
    values: list[str], allowed: set[str], declared: str | None = None
) -> tuple[dict[str, list[Period]], str | None]:
    """Every value of one period column (or one header row) with the readings that fit the source.

    ``allowed`` are the kinds the source delivers, ``declared`` the kind a header names (Halfjaar,
    Maand). A value with two fitting readings takes the kind of the column's unambiguous values
    (1-1-2024 among 1-2-2024 … 1-6-2024 is January); a column without any stays ambiguous, and the
    caller asks. Also returns the kind the column's other values decided, if that was needed."""
    fitting = {}
    for value in values:
        fitting[value] = [
            p for p in period_readings(value) if p.kind in allowed and (declared is None or p.kind == declared)
        ]
    clear = {readings[0].kind for readings in fitting.values() if len(readings) == 1}
    decided = None
    if len(clear) == 1 and any(len(r) > 1 for r in fitting.values()):
        decided = clear.pop()
        fitting = {v: [p for p in r if p.kind == decided] if len(r) > 1 else r for v, r in fitting.items()}
    return fitting, decided
