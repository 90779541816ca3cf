"""Readers for every delivery format. Each turns a file into a table of text cells with the
source's canonical column names plus ``bron_rij`` (the row or line number in the file).

Formats: the canonical long CSV, partner CSV (``;`` and Dutch decimal commas), Excel workbooks,
the police/CBS OData "TypedDataSet" (JSON or CSV) and StatLine website exports.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pandas as pd

from pipeline.ingest.headers import MAX_HEADER_SCAN, find_header_row, header_score, map_header, match_header
from pipeline.ingest.incidents import count_incidents, incident_columns
from pipeline.ingest.limits import check_width, reading_with
from pipeline.ingest.parsed import Parsed
from pipeline.ingest.textfile import detect_encoding, first_lines, head_bytes, read_text, sniff_delimiter
from pipeline.kernel.config import Limits
from pipeline.kernel.errors import InputError, Problem
from pipeline.kernel.periods import MONTHS_NL, Period, parse_period
from pipeline.kernel.sources import SOURCES, Source
from pipeline.reference import FIRST_YEAR, Reference, is_total_label, normalise_name, reference

DEMO_MARKER = re.compile(r"\bDEMO\b")


# -- dispatch -----------------------------------------------------------------------------------
def read_delivery(
    path: Path, hint: str | None = None, indeling: int | None = None, limits: Limits | None = None
) -> Parsed:
    """Detect the format of ``path`` and read it; ``indeling`` overrides the indeling a file states."""
    try:
        with reading_with(limits or Limits()):
            parsed = _read_any(path, hint, indeling)
    except csv.Error as exc:  # a field beyond the limit, a NUL in a quoted field
        message = str(exc)
        if "field larger than field limit" in message:
            message = f"een veld is langer dan {(limits or Limits()).field_chars} tekens"
        raise InputError(f"het bestand is niet als tabel te lezen: {message}", file=path.name) from None
    if indeling is not None:
        if not any(c.name == "indeling" for c in parsed.source.columns):
            raise InputError(
                f"--indeling geldt voor politietabellen; bron {parsed.source.name} heeft gemeentecodes per periode",
                file=path.name,
            )
        parsed.indeling = indeling
    return parsed


def _read_any(path: Path, hint: str | None, indeling: int | None) -> Parsed:
    head = head_bytes(path)
    name = path.name
    if not head.strip():
        raise InputError("het bestand is leeg", file=name)
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        if suffix == ".ods" or b"opendocument.spreadsheet" in head[:256]:
            return read_workbook(path, hint, "ods")
        return read_workbook(path, hint, "xlsx")
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # Excel 97-2003, or an .xlsx with a password
        return read_workbook(path, hint, "xls")
    if suffix in {".xlsx", ".xlsm", ".xls", ".ods"}:
        kind = "LibreOffice-bestand (.ods)" if suffix == ".ods" else "Excel-bestand (.xlsx)"
        raise InputError(f"deze werkmap is beschadigd of geen {kind}", file=name)
    if suffix == ".parquet" or head.startswith(b"PAR1"):
        return read_parquet(path, hint)
    encoding = detect_encoding(path, head)
    text = read_text(path, encoding)
    stripped = text.lstrip("\ufeff \r\n\t")
    if stripped.startswith("{") or stripped.startswith("["):
        return read_odata_json(path, text, hint)
    lines = first_lines(text)
    long_header = _long_statline_header(lines)
    if long_header is not None:
        return read_statline_long(path, text, long_header, hint, indeling)
    if _looks_like_statline(lines):
        return read_statline(path, text, hint, indeling)
    return read_delimited(path, text, hint)


def _split(line: str, delimiter: str) -> list[str]:
    """One line's cells, or none when a cell is beyond the field limit (then it is no StatLine title)."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def _looks_like_statline(lines: list[str]) -> bool:
    cells = [_split(line, ";") for line in lines[:12]]
    firsts = [c[0].strip().lower() for c in cells if c]
    return bool(cells and len(cells[0]) == 1) and ("onderwerp" in firsts or "perioden" in firsts)


# -- delimited text ------------------------------------------------------------------------------
def read_delimited(path: Path, text: str, hint: str | None) -> Parsed:
    name = path.name
    lines = first_lines(text, MAX_HEADER_SCAN + 5)
    demo = any(line.lstrip().startswith("#") and DEMO_MARKER.search(line) for line in lines)
    delimiter = sniff_delimiter(lines)
    rows = [next(csv.reader([line], delimiter=delimiter), []) for line in lines]
    skip = 0
    while skip < len(rows) and (not lines[skip].strip() or lines[skip].lstrip().startswith("#")):
        skip += 1
    header_index = find_header_row(rows, hint)
    if header_index is not None:
        demo = demo or any(DEMO_MARKER.search(line) for line in lines[skip:header_index])
        skip = header_index
    header = rows[skip] if skip < len(rows) else []
    check_width(max((len(r) for r in rows), default=0), name)
    if _is_odata_header(header):
        return _read_odata_table(path, text, delimiter, skip, hint, demo)
    incidents = incident_columns(header) if hint == "politie_misdrijven" else None
    if incidents is None and _hand_made(header, hint):
        from pipeline.ingest.sheet import read_text_sheet
        from pipeline.ingest.spreadsheet import read_sheets

        fmt = "csv" if delimiter == "," else "csv-nl"
        parsed = read_sheets([read_text_sheet(text, delimiter, name)], name, hint, fmt, default_dutch=delimiter != ",")
        parsed.demo = parsed.demo or demo
        return parsed
    if incidents is None:
        source, mapping = match_header(header, name, hint, row=skip + 1)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            skiprows=skip,
            header=0,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
            quotechar='"',
        )
    except pd.errors.ParserError as exc:
        raise InputError(_parser_message(str(exc), skip), file=name) from None
    except (ValueError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"het bestand is niet als tabel te lezen ({exc})", file=name) from None
    if incidents is not None:
        frame["bron_rij"] = frame.index + skip + 2
        return count_incidents(frame, incidents, name, demo, "csv")
    frame.columns = [mapping.get(i, f"_extra_{i}") for i in range(len(frame.columns))]
    frame["bron_rij"] = frame.index + skip + 2
    empty = frame.drop(columns="bron_rij").apply(lambda col: col.str.strip() == "").all(axis=1)
    frame = frame[~empty]
    if frame.empty:
        raise InputError("het bestand bevat alleen een kopregel, geen gegevens", file=name)
    return Parsed(
        source=source,
        format="csv" if delimiter == "," else "csv-nl",
        frame=frame.reset_index(drop=True),
        dutch_numbers=delimiter == ";",
        demo=demo,
    )


def _hand_made(header: list[str], hint: str | None) -> bool:
    """Partner tables (Halt, RIEC, Veiligheidshuis, Burgernet) and every table that is not a
    complete police or survey header are read cell by cell (:mod:`pipeline.ingest.spreadsheet`);
    police tables, which can be millions of rows, go through pandas."""
    if hint is not None:
        return SOURCES[hint].area_column == "gemeente_code"
    headers = [h.strip() for h in header]
    for source in SOURCES.values():
        _, unknown, missing = map_header(headers, source)
        if not unknown and not missing:
            return source.area_column == "gemeente_code"
    best = max(SOURCES.values(), key=lambda s: header_score(headers, s))
    return best.area_column == "gemeente_code"


def _parser_message(message: str, skip: int) -> str:
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if match:
        expected, line, saw = match.groups()
        return (
            f"rij {int(line) + skip}: {saw} velden in plaats van {expected}; "
            "controleer het scheidingsteken en aanhalingstekens [regel: schema]"
        )
    return f"het bestand is niet als tabel te lezen: {message}"


# -- OData TypedDataSet ----------------------------------------------------------------------------
_ODATA_TYPE = {
    "soortmisdrijf": "politie_misdrijven",
    "overlast": "politie_incidenten",
    "soortoverlast": "politie_incidenten",
}
_ODATA_AREA = {"regios", "wijkenenbuurten"}


def _is_odata_header(header: list[str]) -> bool:
    keys = {h.strip().lower() for h in header}
    return "perioden" in keys and bool(keys & set(_ODATA_TYPE)) and bool(keys & _ODATA_AREA)


def _odata_frame(records: pd.DataFrame, name: str, hint: str | None, demo: bool, fmt: str, row_offset: int) -> Parsed:
    columns = {c.strip().lower(): c for c in records.columns}
    type_key = next(k for k in _ODATA_TYPE if k in columns)
    source = SOURCES[_ODATA_TYPE[type_key]]
    if hint and hint != source.name:
        raise InputError(f"dit bestand bevat {source.label}, maar staat in de map van bron {hint}", file=name)
    area_key = next(k for k in _ODATA_AREA if k in columns)
    measure = next(
        (c for c in records.columns if c.lower().startswith("geregistreerde") or c.endswith("_1")),
        None,
    )
    if measure is None:
        raise InputError(
            "OData-tabel zonder meetkolom (verwacht bijvoorbeeld 'GeregistreerdeMisdrijven_1')",
            file=name,
            problems=[Problem("schema", "kolom met aantallen ontbreekt", column="GeregistreerdeMisdrijven_1")],
        )
    frame = pd.DataFrame(
        {
            "soort_code": records[columns[type_key]].astype("string").str.strip(),
            "gebied_code": records[columns[area_key]].astype("string").str.strip(),
            "periode_raw": records[columns["perioden"]].astype("string").str.strip(),
            "aantal": records[measure].astype("string").str.strip(),
        }
    )
    frame["bron_rij"] = records.index + row_offset
    notes = []
    area = frame["gebied_code"].fillna("")
    totals = ~area.str.match(r"^(GM|WK|BU)")
    if totals.any():
        codes = ", ".join(sorted(set(area[totals]))[:5])
        notes.append(f"{int(totals.sum())} rijen met regiototalen overgeslagen ({codes})")
    unpublished = frame["aantal"].isna() | frame["aantal"].isin(["", "."])
    if (unpublished & ~totals).any():
        notes.append(f"{int((unpublished & ~totals).sum())} cellen zonder gepubliceerde waarde overgeslagen")
    skipped = int((totals | unpublished).sum())
    frame = frame[~(totals | unpublished)]
    if frame.empty:
        raise InputError("het bestand bevat geen gegevens voor gemeenten, wijken of buurten", file=name)
    frame["periode"] = frame.pop("periode_raw")
    frame["aantal"] = frame["aantal"].astype("string")
    return Parsed(
        source, fmt, frame.reset_index(drop=True), dutch_numbers=False, demo=demo, notes=notes, skipped=skipped
    )


def _read_odata_table(path: Path, text: str, delimiter: str, skip: int, hint: str | None, demo: bool) -> Parsed:
    try:
        records = pd.read_csv(
            io.StringIO(text), sep=delimiter, skiprows=skip, header=0, dtype=str, keep_default_na=False
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise InputError(_parser_message(str(exc), skip), file=path.name) from None
    return _odata_frame(records, path.name, hint, demo, "odata-csv", row_offset=skip + 2)


def read_odata_json(path: Path, text: str, hint: str | None) -> Parsed:
    name = path.name
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"ongeldige JSON op regel {exc.lineno}, kolom {exc.colno}: {exc.msg}", file=name) from None
    values = document.get("value") if isinstance(document, dict) else document
    if isinstance(document, dict) and "d" in document and isinstance(document["d"], dict):
        values = document["d"].get("results")
    if not isinstance(values, list) or not values or not all(isinstance(v, dict) for v in values):
        raise InputError("JSON zonder OData-records (verwacht een lijst 'value' met records)", file=name)
    demo = bool(
        isinstance(document, dict)
        and (document.get("gvb_demo") or DEMO_MARKER.search(str(document.get("odata.metadata", ""))))
    )
    records = pd.DataFrame.from_records(values)
    if not _is_odata_header(list(records.columns)):
        raise InputError(
            "onbekend formaat: JSON-records zonder de OData-kolommen Perioden, SoortMisdrijf/Overlast "
            "en RegioS/WijkenEnBuurten",
            file=name,
        )
    parsed = _odata_frame(records.astype("string"), name, hint, demo, "odata-json", row_offset=1)
    parsed.indeling = indeling_of_title(_odata_title(document))
    if parsed.indeling:
        parsed.notes.append(f"gebieden in de indeling van {parsed.indeling} (volgens de titel van de tabel)")
    return parsed


def _odata_title(document: object) -> str:
    """The table's title when a feed's page carries it ("Title", or "TableInfos" as the feed gives them)."""
    if not isinstance(document, dict):
        return ""
    infos = document.get("TableInfos")
    if isinstance(infos, dict):
        infos = infos.get("value")
    if isinstance(infos, list) and infos and isinstance(infos[0], dict):
        return str(infos[0].get("Title", ""))
    return str(document.get("Title", ""))


# -- StatLine website export ------------------------------------------------------------------------
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


def _long_statline_header(lines: list[str]) -> int | None:
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


# -- workbooks (.xlsx, .xls, .ods) ------------------------------------------------------------------
def read_workbook(path: Path, hint: str | None, fmt: str) -> Parsed:
    from pipeline.ingest import sheet as sheets
    from pipeline.ingest.spreadsheet import read_sheets

    read = {"xlsx": sheets.read_xlsx, "xls": sheets.read_xls, "ods": sheets.read_ods}[fmt]
    workbook = read(path)
    if hint == "politie_misdrijven":  # one row per incident: counted, not read as a table
        for sheet in workbook:
            rows = [[c.text for c in row] for row in sheet.rows]
            header_index = find_header_row(rows, hint)
            if header_index is not None and incident_columns(rows[header_index]) is not None:
                return _incident_sheet(rows, header_index, path.name, sheet.name, fmt)
    return read_sheets(workbook, path.name, hint, fmt, default_dutch=True)


def _incident_sheet(rows: list[list[str]], header_index: int, name: str, sheet_name: str, fmt: str) -> Parsed:
    header = rows[header_index]
    while header and not header[-1]:
        header = header[:-1]
    demo = any(DEMO_MARKER.search(" ".join(r)) for r in rows[:header_index]) or bool(DEMO_MARKER.search(sheet_name))
    body = [(offset, row) for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2)]
    kept = [(offset, row) for offset, row in body if any(c.strip() for c in row)]
    frame = pd.DataFrame([[*row[: len(header)], *[""] * (len(header) - len(row))] for _, row in kept], columns=header)
    frame["bron_rij"] = [offset for offset, _ in kept]
    return count_incidents(frame, incident_columns(header), name, demo, fmt)


# -- Parquet (canonical extract) ----------------------------------------------------------------------
def read_parquet(path: Path, hint: str | None) -> Parsed:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ...
        raise InputError(f"dit Parquet-bestand is niet te lezen ({type(exc).__name__})", file=path.name) from None
    source, mapping = match_header(table.column_names, path.name, hint)
    frame = table.to_pandas()
    frame.columns = [mapping[i] for i in range(len(frame.columns))]
    for column in frame.columns:
        frame[column] = frame[column].astype("string")
    frame["bron_rij"] = frame.index + 1
    demo = b"DEMO" in (table.schema.metadata or {}).get(b"gvb", b"")
    return Parsed(source, "parquet", frame, dutch_numbers=False, demo=demo)
