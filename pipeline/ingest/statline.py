"""StatLine website exports: a title, a header of several rows (or the long layout), names instead of codes."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from pipeline.ingest.headers import MAX_HEADER_SCAN
from pipeline.ingest.parsed import DEMO_MARKER, Parsed
from pipeline.kernel.errors import InputError, Problem
from pipeline.kernel.periods import MONTHS_NL, Period, parse_period
from pipeline.kernel.sources import SOURCES, Source
from pipeline.reference import FIRST_YEAR, Reference, is_total_label, normalise_name, reference


def _split(line: str, delimiter: str) -> list[str]:
    """One line's cells, or none when a cell is beyond the field limit (then it is no StatLine title)."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def looks_like_statline(lines: list[str]) -> bool:
    cells = [_split(line, ";") for line in lines[:12]]
    firsts = [c[0].strip().lower() for c in cells if c]
    return bool(cells and len(cells[0]) == 1) and ("onderwerp" in firsts or "perioden" in firsts)


_STATLINE_AREA_HEADERS = {"regio's", "regios", "gemeenten", "wijken en buurten", "regio"}
_STATLINE_TYPE = {
    "soort misdrijf": "politie_misdrijven",
    "soort overlast": "politie_incidenten",
    "overlast": "politie_incidenten",
}


def _statline_period(label: str):
    text = label.strip()
    parts = text.lower().split()
    if len(parts) == 2 and parts[0].isdigit() and parts[1] in MONTHS_NL:
        text = f"{parts[0]}-{MONTHS_NL[parts[1]]:02d}"
    text = text.rstrip("*").strip()  # "*" marks provisional figures in StatLine
    return parse_period(text)


#: "… soort misdrijf, gemeente 2026": every year of the table is in the indeling of 2026
_TITLE_INDELING = re.compile(r"\b(?:gemeenten?|regio'?s?|wijken? en buurten?)\s+(\d{4})\s*$", re.IGNORECASE)


def indeling_of_title(title: str) -> int | None:
    """The indeling a police/CBS table states in its title ("… gemeente 2026"), if any."""
    match = _TITLE_INDELING.search(title.strip().strip('"'))
    return int(match.group(1)) if match else None


def read_statline(path: Path, text: str, hint: str | None, indeling: int | None = None) -> Parsed:
    name = path.name
    lines = text.splitlines()
    rows = list(csv.reader(lines, delimiter=";"))
    title = rows[0][0] if rows and rows[0] else ""
    indeling = indeling or indeling_of_title(title)
    demo = bool(DEMO_MARKER.search(" ".join(" ".join(r) for r in rows[:6])))
    fixed: dict[str, str] = {}
    period_row = topic_row = header_index = None
    for index, row in enumerate(rows[:MAX_HEADER_SCAN]):
        first = row[0].strip() if row else ""
        if len(row) == 1 and ":" in first:
            key, _, value = first.partition(":")
            fixed[key.strip().lower()] = value.strip()
        elif first.lower() == "onderwerp":
            topic_row = row
        elif first.lower() == "perioden":
            period_row = row
        elif first.lower() in _STATLINE_AREA_HEADERS:
            header_index = index
            break
    if period_row is None or header_index is None:
        raise InputError(
            "StatLine-export zonder regel 'Perioden' of zonder kop 'Regio's'; exporteer met perioden als "
            "kolommen en regio's als rijen",
            file=name,
        )
    source_name = next((src for key, src in _STATLINE_TYPE.items() if key in fixed), None)
    if source_name is None:
        lowered = title.lower()
        source_name = (
            "politie_incidenten" if "overlast" in lowered else "politie_misdrijven" if "misdrijven" in lowered else None
        )
    if source_name is None:
        raise InputError("StatLine-export van een onbekende tabel (titel noemt geen misdrijven of overlast)", file=name)
    if hint and hint != source_name:
        raise InputError(
            f"dit bestand bevat {SOURCES[source_name].label}, maar staat in de map van bron {hint}", file=name
        )
    ref = reference()
    type_label = next((v for k, v in fixed.items() if k in _STATLINE_TYPE), None)
    if type_label is None:
        raise InputError(
            "StatLine-export zonder regel 'Soort misdrijf: ...'; exporteer één soort per bestand of gebruik "
            "het OData-formaat",
            file=name,
        )
    if source_name == "politie_misdrijven":
        code = ref.crime_code_for_label(type_label)
    else:
        code = ref.nuisance_labels.get(normalise_name(type_label))
        prefix = type_label.split(" ", 1)[0]
        code = code or (prefix if prefix in ref.nuisance_codes else None)
    if code is None:
        raise InputError(
            f"onbekende soort '{type_label}' in de titelregels",
            file=name,
            problems=[Problem("codes", "soort komt niet voor in de codelijst van de politie", value=type_label)],
        )
    periods = {}
    problems = []
    for column, label in enumerate(period_row[1:], start=1):
        if (
            topic_row is not None
            and column < len(topic_row)
            and not topic_row[column].lower().startswith("geregistreerde")
        ):
            continue
        period = _statline_period(label)
        if period is None:
            problems.append(Problem("perioden", "onbekende periode in de regel 'Perioden'", row=None, value=label))
            continue
        periods[column] = period
    if problems:
        raise InputError("de perioden van de export zijn niet te lezen", file=name, problems=problems)
    cells = _StatlineCells(ref, indeling)
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        if len(row) < 2:  # blank lines, "Bron: Politie"
            continue
        for column, period in periods.items():
            cells.add(row[0], period, code, row[column] if column < len(row) else "", index + 1)
    return cells.parsed(SOURCES[source_name], "statline-export", name, demo)


def long_statline_header(lines: list[str]) -> int | None:
    """The header line of a long StatLine export ("Soort misdrijf";"Perioden";"Regio's";measures...)."""
    for index, line in enumerate(lines[:MAX_HEADER_SCAN]):
        cells = [c.strip().lower() for c in _split(line, ";")]
        if "perioden" in cells and set(cells) & _STATLINE_AREA_HEADERS and set(cells) & set(_STATLINE_TYPE):
            return index
    return None


def read_statline_long(path: Path, text: str, header_index: int, hint: str | None, indeling: int | None) -> Parsed:
    """A StatLine export in the long layout, one row per type, period and region, one column per
    measure (CBS 83648NED: "Geregistreerde misdrijven/Totaal geregistreerde misdrijven (aantal)",
    then relative figures with decimal commas, which are not read)."""
    name = path.name
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    title = rows[0][0] if rows and len(rows[0]) == 1 else ""
    indeling = indeling or indeling_of_title(title)
    demo = bool(DEMO_MARKER.search(" ".join(" ".join(r) for r in rows[: header_index + 1])))
    header = [c.strip() for c in rows[header_index]]
    lowered = [c.lower() for c in header]
    type_column = next(i for i, c in enumerate(lowered) if c in _STATLINE_TYPE)
    source_name = _STATLINE_TYPE[lowered[type_column]]
    if hint and hint != source_name:
        raise InputError(
            f"dit bestand bevat {SOURCES[source_name].label}, maar staat in de map van bron {hint}", file=name
        )
    period_column = lowered.index("perioden")
    area_column = next(i for i, c in enumerate(lowered) if c in _STATLINE_AREA_HEADERS)
    counts = [i for i, c in enumerate(lowered) if c.startswith("geregistreerde") and "(aantal)" in c]
    counts = counts or [i for i, c in enumerate(lowered) if c.startswith("geregistreerde") and "relatief" not in c]
    if not counts:
        raise InputError(
            "StatLine-export zonder kolom met aantallen (verwacht bijvoorbeeld "
            "'Geregistreerde misdrijven/Totaal geregistreerde misdrijven (aantal)')",
            file=name,
            problems=[Problem("schema", f"gevonden kolommen: {', '.join(header)}", row=header_index + 1)],
        )
    ref = reference()
    cells = _StatlineCells(ref, indeling)
    codes: dict[str, str | None] = {}
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        if len(row) <= max(type_column, period_column, area_column, counts[0]):
            continue  # blank lines, "Bron: CBS"
        label = row[type_column].strip()
        if label not in codes:
            codes[label] = (
                ref.crime_code_for_label(label)
                if source_name == "politie_misdrijven"
                else ref.nuisance_labels.get(normalise_name(label))
            )
        period = _statline_period(row[period_column])
        if codes[label] is None or period is None:
            column, value, rule = (
                (header[type_column], label, "onbekende soort; niet in de codelijst van de politie of CBS")
                if codes[label] is None
                else (header[period_column], row[period_column], "onbekende periode")
            )
            cells.problems.append(Problem("codes", rule, row=index + 1, column=column, value=value))
            continue
        cells.add(row[area_column], period, codes[label], row[counts[0]], index + 1)
    return cells.parsed(SOURCES[source_name], "statline-export-lang", name, demo)


class _StatlineCells:
    """Cells of a StatLine export (wide or long) collected as rows: region names looked up in the
    table's indeling (or each period's own), the region's own total kept, other aggregates and
    unpublished cells ('.') counted and skipped."""

    def __init__(self, ref: Reference, indeling: int | None) -> None:
        self.ref = ref
        self.indeling = indeling
        self.out: list[dict[str, object]] = []
        self.problems: list[Problem] = []
        self.totals: set[str] = set()
        self.other_totals = 0  # cells of aggregates that are not a region's own total
        self.unpublished = 0
        self.before: dict[int, int] = {}  # cells per year before the first indeling the reference data know

    def add(self, label: str, period: Period, code: str, value: str, row: int) -> None:
        label, value = label.strip(), value.strip()
        if value in {"", ".", "x"}:
            self.unpublished += 1
            return
        year = self.indeling or period.year
        if year < FIRST_YEAR:  # names of an indeling gvb does not know (CBS tables reach back to 2010)
            self.before[period.year] = self.before.get(period.year, 0) + 1
            return
        if is_total_label(label):
            self.totals.add(label)
            # the source's own eenheid or national total is kept: the edition's figure must equal it
            area = self.ref.region_total_code(label)
            if area is None:
                self.other_totals += 1
                return
        else:
            area = self.ref.code_for_name(label, year)
            if area is None:
                self.problems.append(_unknown_name(self.ref, label, year, self.indeling, row=row, column="Regio's"))
                return
        self.out.append(
            {"periode": period.text, "gebied_code": area, "soort_code": code, "aantal": value, "bron_rij": row}
        )

    def parsed(self, source: Source, fmt: str, name: str, demo: bool) -> Parsed:
        if self.problems:
            raise InputError(
                "niet elke soort, periode of gemeente in de export is te herkennen", file=name, problems=self.problems
            )
        if not self.out:
            raise InputError("de export bevat geen gegevens per gemeente", file=name)
        notes = []
        if self.totals:
            totals = sorted(self.totals)
            shown = ", ".join(totals[:20]) + (", ..." if len(totals) > 20 else "")
            notes.append(f"{len(totals)} regiototalen herkend ({shown}); geen gemeenten")
        if self.unpublished:
            notes.append(f"{self.unpublished} cellen zonder gepubliceerde waarde ('.') overgeslagen")
        if self.before:
            years = ", ".join(str(y) for y in sorted(self.before))
            notes.append(
                f"{years} overgeslagen: de gemeentelijke indeling van vóór {FIRST_YEAR} staat niet in de "
                "referentiegegevens (een tabel in een latere indeling, zoals 'gemeente 2026', kan wel)"
            )
        if self.indeling:
            notes.append(
                f"gebieden in de indeling van {self.indeling} (volgens de titel of --indeling); niet opnieuw geharmoniseerd"
            )
        frame = pd.DataFrame(self.out, dtype="string")
        frame["bron_rij"] = frame["bron_rij"].astype("int64")
        # a region's own total goes on as a row (normalise keeps or skips it by region)
        return Parsed(source, fmt, frame, dutch_numbers=True, demo=demo, notes=notes,
                      skipped=self.other_totals + self.unpublished + sum(self.before.values()),
                      indeling=self.indeling)  # fmt: skip


def _unknown_name(ref: Reference, label: str, year: int, indeling: int | None, row: int, column: str) -> Problem:
    """A gemeente name that cannot be placed in ``year``: why, and the closest gemeente of that year."""
    if ref.knows_name(label):
        where = f"in de indeling van {indeling}" if indeling else f"in {year}"
        return Problem("codes", f"gemeente '{label}' bestond niet {where}", row=row, column=column, value=label)
    suggestion = ref.closest_name(label, year)
    hint = f"; bedoelt u '{suggestion}'?" if suggestion else ""
    return Problem(
        "codes",
        f"onbekende gemeente (naam komt in geen jaar voor in de CBS-lijst of de lijst met bekende schrijfwijzen){hint}",
        row=row,
        column=column,
        value=label,
    )
