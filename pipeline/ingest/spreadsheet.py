"""A partner's hand-made table, read as the partner meant it or refused with the reason.

Halt, RIEC, the Veiligheidshuis and Burgernet make their deliveries by hand in Excel. This module
turns a :class:`~pipeline.ingest.sheet.Sheet` into the source's canonical columns, and knows what
such tables hold besides data:

- **totals** — a "Totaal" row (also "Dordrecht Totaal" from a pivot table) or column is never
  loaded; it is kept as a checksum that :mod:`pipeline.ingest.normalise` compares with its parts;
- **wide layouts** — one column per half-year, month or category value, read like StatLine's;
- **period parts** — separate Jaar + Halfjaar or Jaar + Maand columns;
- **cells Excel changed** — a percentage cell (0.119 shown as 11,9 %), an age class turned into
  a date ("12-14" → 1-12-2014), numbers with decimal commas as text;
- **layout noise** — title rows, an empty margin column, a comment column, a header over two
  rows, vertically merged labels, a note under the table.

Anything it cannot read exactly is a :class:`~pipeline.kernel.errors.Problem` naming sheet, row, column
and value. It never guesses: an ambiguous period or a date in a category column that matches no
known value is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pandas as pd

from pipeline.ingest.headers import match_header
from pipeline.ingest.parsed import Parsed
from pipeline.ingest.sheet import Cell, Sheet, column_letter
from pipeline.kernel.errors import InputError, Problem
from pipeline.kernel.periods import month_number, period_readings, read_period_column
from pipeline.kernel.sources import PERIOD_KINDS, SOURCES, Column, Source
from pipeline.reference import category_key, is_total_label, reference

MAX_HEADER_SCAN = 30
TYPED = "\x00"  # marks the text of a number cell (already in plain notation) among typed-in text

COMMENT_HEADERS = frozenset(
    {"opmerking", "opmerkingen", "toelichting", "notitie", "notities", "commentaar", "bijzonderheden",
     "nb", "memo", "let op", "aantekening", "aantekeningen", "bron", "bronvermelding", "status"}
)  # fmt: skip
_TOTAL_WORDS = frozenset(
    {"totaal", "eindtotaal", "eind totaal", "subtotaal", "generaal totaal", "totaal generaal", "total",
     "grand total", "totalen", "som", "alle", "alles", "totaal aantal", "totaal regio", "totaal eenheid"}
)  # fmt: skip
_TOTAL_AFFIX = re.compile(
    r"^(?:(?P<before>.+?)\s+(?:totaal|subtotaal|total)|(?:totaal|subtotaal|total)\s+(?P<after>.+))$"
)
_MONTH_WORDS = r"(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec)\.?"
_TITLE_PERIOD = re.compile(
    r"(?:1e|2e|1ste|2de|eerste|tweede)\s+(?:halfjaar|half jaar)\s+\d{4}"
    r"|\b\d{4}\s*-?\s*h[12]\b|\bh[12]\s*-?\s*\d{4}\b"
    rf"|\b{_MONTH_WORDS}\s*(?:-|t/m|tot en met)\s*{_MONTH_WORDS}\s+\d{{4}}"
    rf"|\b{_MONTH_WORDS}\s+\d{{4}}"
)
_PERIOD_PART = {"jaar": "year", "halfjaar": "half", "maand": "month", "half jaar": "half", "kwartaal": "quarter"}


def total_label(text: str) -> tuple[bool, str | None]:
    """Whether a label marks a total, and the part it totals for ("Dordrecht Totaal" → Dordrecht)."""
    plain = re.sub(r"\s+", " ", text.strip().lower())
    if plain in _TOTAL_WORDS:
        return True, None
    match = _TOTAL_AFFIX.match(plain)
    if match:
        part = match["before"] or match["after"]
        start = text.lower().find(part)
        return True, text[start : start + len(part)].strip()
    return False, None


@dataclass
class _Layout:
    source: Source
    mapping: dict[int, str]  # sheet column → canonical column
    ignored: dict[int, str] = field(default_factory=dict)  # comment columns
    totals: list[int] = field(default_factory=list)  # "Totaal" columns
    wide: dict[int, str] = field(default_factory=dict)  # sheet column → period text or category value
    wide_column: str | None = None  # "periode" or the category column the wide headers are values of
    parts: dict[str, int] = field(default_factory=dict)  # jaar / halfjaar / maand columns
    problems: list[Problem] = field(default_factory=list)
    declared_kind: str | None = None  # "half" / "month" when the header says Halfjaar / Maand
    fixed_period: str | None = None  # no period column: the one period the title or sheet name states

    @property
    def score(self) -> int:
        return len(self.mapping) + len(self.wide) + len(self.parts) - 2 * len(self.problems) - 2 * len(self.missing)

    @property
    def missing(self) -> list[str]:
        have = set(self.mapping.values())
        if self.parts or self.fixed_period:
            have.add("periode")
        if self.wide_column:
            have.add(self.wide_column)
            if len(self.source.measures) == 1:
                have.add(self.source.measures[0])
        if "gemeente_naam" in have:
            have.add("gemeente_code")
        return [c.name for c in self.source.required if c.name not in have]


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def _layout(headers: list[str], source: Source, row: int) -> _Layout:
    layout = _Layout(source, {})
    categories = [c for c in source.columns if c.values]
    # headers that are periods (a wide layout), read together: 1-1-2024 among 1-2-2024 … is January
    period_headers, _ = read_period_column([h for h in headers if h], PERIOD_KINDS[source.name])
    for index, header in enumerate(headers):
        letter = column_letter(index)
        if not header:
            continue
        plain = _plain(header)
        name = next((c.name for c in source.columns if c.accepts(header)), None)
        if plain in _PERIOD_PART and source.name not in ("politie_misdrijven", "politie_incidenten"):
            layout.parts[plain.replace(" ", "")] = index
            continue
        if name is not None and name not in layout.mapping.values():
            layout.mapping[index] = name
            continue
        if plain in COMMENT_HEADERS:
            layout.ignored[index] = header
            continue
        if total_label(header)[0]:
            layout.totals.append(index)
            continue
        readings = period_headers.get(header, [])
        if len(readings) == 1 and "periode" not in layout.mapping.values():
            layout.wide[index] = readings[0].text
            layout.wide_column = "periode" if layout.wide_column in (None, "periode") else "?"
            continue
        value = next(
            ((c.name, v) for c in categories if (v := reference().category_value(source.name, c, header))), None
        )
        if value is not None:
            layout.wide[index] = value[1]
            layout.wide_column = value[0] if layout.wide_column in (None, value[0]) else "?"
            continue
        shown = "dubbele" if name is not None else "onbekende"
        layout.problems.append(
            Problem("schema", f"{shown} kolom voor bron {source.name}", row=row, column=letter, value=header)
        )
    # one period column named Halfjaar or Maand says how to read "2024-1"; two or more are parts
    if len(layout.parts) == 1:
        word, index = next(iter(layout.parts.items()))
        layout.parts = {}
        if "periode" not in layout.mapping.values():
            layout.mapping[index] = "periode"
            layout.declared_kind = _PERIOD_PART[word] if word != "jaar" else "year"
    elif layout.parts and "jaar" not in layout.parts:
        layout.problems.append(
            Problem("perioden", "kolommen Halfjaar en Maand zonder kolom Jaar", row=row, value=", ".join(layout.parts))
        )
    if layout.wide_column not in (None, "?"):
        clash = [n for n in (layout.wide_column, *source.measures) if n in layout.mapping.values()]
        if clash:  # "Aantal" beside columns per doelgroep: which number is meant?
            layout.problems.append(
                Problem("schema", f"kolommen per {layout.wide_column} én een kolom {clash[0]}; lever één van beide",
                        row=row, value=", ".join(headers[i] for i in list(layout.wide)[:3]))
            )  # fmt: skip
    if layout.wide_column == "?":
        layout.problems.append(
            Problem("schema", "kolommen per periode én per categorie; lever één van beide als kolommen", row=row)
        )
    return layout


def _header_texts(row: list[Cell]) -> list[str]:
    """A header row as text (a period header Excel made a date reads as its date text)."""
    return [cell.text.strip() for cell in row]


def _recognised(headers: list[str], source: Source) -> int:
    layout = _layout(headers, source, 0)
    return len(layout.mapping) + len(layout.wide) + len(layout.parts) + len(layout.totals)


def find_header(rows: list[list[Cell]], hint: str | None) -> tuple[int, Source] | None:
    """The first row that reads as the header of a source (title rows may precede it)."""
    candidates = [SOURCES[hint]] if hint else list(SOURCES.values())
    for index, row in enumerate(rows[:MAX_HEADER_SCAN]):
        headers = _header_texts(row)
        if sum(1 for h in headers if h) < 2 or any(c.number is not None and not c.date for c in row[:1]):
            continue
        best = max(candidates, key=lambda s: (_recognised(headers, s), -list(SOURCES).index(s.name)))
        layout = _layout(headers, best, index + 1)
        if len(layout.mapping) >= 2 or (layout.mapping and len(layout.wide) >= 2):
            return index, best
    return None


def read_sheets(sheets: list[Sheet], name: str, hint: str | None, fmt: str, default_dutch: bool) -> Parsed:
    """The one sheet with data of a workbook (or the rows of a text file), read as its source."""
    found = []
    for sheet in sheets:
        header = find_header(sheet.rows, hint)
        if header is not None:
            found.append((sheet, header))
    if not found:
        texts = [[c.text for c in row] for sheet in sheets for row in sheet.rows if any(c.text for c in row)]
        if fmt.startswith("csv") and texts:  # a text file: say what its first line has and misses
            match_header(texts[0], name, hint, row=1)
        raise InputError("geen werkblad met herkenbare kolomkoppen gevonden; zie README, 'Aanleverformaten'", file=name)
    if len({source.name for _, (_, source) in found}) > 1:
        names = ", ".join(f"'{s.name}' ({source.name})" for s, (_, source) in found)
        raise InputError(
            f"werkbladen met gegevens van verschillende bronnen ({names}); lever één bron per bestand", file=name
        )
    parts = [_Reader(sheet, name, fmt, default_dutch, hint).read(index, source) for sheet, (index, source) in found]
    if len(parts) == 1:
        return parts[0]
    # one sheet per half-year or per gemeente: read alike and put together; the sheet stays on each row
    frame = pd.concat([p.frame.assign(_werkblad=p.sheet) for p in parts], ignore_index=True)
    notes = [f"{len(parts)} werkbladen met gegevens samengevoegd ({', '.join(repr(p.sheet) for p in parts)})"]
    notes += [f"werkblad '{p.sheet}': {note}" for p in parts for note in p.notes]
    kinds = {p.period_kind for p in parts}
    return Parsed(
        parts[0].source, fmt, frame, dutch_numbers=False, demo=any(p.demo for p in parts), notes=notes,
        period_kind=kinds.pop() if len(kinds) == 1 else None, shown_columns=parts[0].shown_columns,
    )  # fmt: skip


class _Reader:
    def __init__(self, sheet: Sheet, name: str, fmt: str, default_dutch: bool, hint: str | None) -> None:
        self.sheet = sheet
        self.name = name
        self.fmt = fmt
        self.default_dutch = default_dutch
        self.hint = hint
        self.notes: list[str] = []
        self.problems: list[Problem] = []
        width = max((len(r) for r in sheet.rows), default=0)
        self.rows = [r + [Cell()] * (width - len(r)) for r in sheet.rows]
        self.width = width
        self.sheet_label = sheet.name if fmt in ("xlsx", "xls", "ods") else None

    def problem(self, rule: str, message: str, row: int | None = None, column: str | None = None, value=None) -> None:
        self.problems.append(
            Problem(rule, message, row=row, column=column, value=None if value is None else str(value),
                    sheet=self.sheet_label)
        )  # fmt: skip

    # -- header ---------------------------------------------------------------------------------
    def read(self, header_index: int, source: Source) -> Parsed:
        demo = _demo(self.rows[:header_index], self.sheet.name)
        headers = _header_texts(self.rows[header_index])
        body_start = header_index + 1
        merged_header = [m for m in self.sheet.merged if m[0] <= header_index <= m[2] and m[3] > m[1]]
        layout = _layout(headers, source, header_index + 1)
        second = self._second_header_row(header_index, headers, source, layout)
        if second is not None:
            headers, layout = second
            body_start += 1
            self.notes.append(f"kop over twee rijen (rij {header_index + 1} en {header_index + 2}) samengevoegd")
        elif merged_header:
            ranges = ", ".join(_range_text(m) for m in merged_header[:3])
            raise InputError(
                f"samengevoegde cellen in de kop ({ranges}); zet elke kolom een eigen kop in één rij",
                file=self.name,
                problems=[Problem("schema", "samengevoegde cellen in de kop", row=header_index + 1,
                                  column=_range_text(merged_header[0]), sheet=self.sheet_label)],
            )  # fmt: skip
        if body_start < len(self.rows) and self._units_row(self.rows[body_start], layout, body_start):
            body_start += 1
        if "periode" in layout.missing:
            layout.fixed_period = self._title_period(header_index, source)
        if self.hint is None and (layout.missing or layout.problems):
            # no folder says which source this is: the existing matcher explains what is wrong
            match_header(headers, self.name, None, row=header_index + 1)
        self._check_empty_headers(headers, header_index, body_start, layout)
        if layout.problems or layout.missing:
            problems = [Problem(p.rule, p.message, p.row, p.column, p.value, self.sheet_label) for p in layout.problems]
            for missing in layout.missing:
                column = source.column(missing)
                names = ", ".join(repr(a) for a in dict.fromkeys((column.name, *column.aliases[:3])))
                problems.append(
                    Problem("schema", f"verplichte kolom ontbreekt: {missing} (bijvoorbeeld {names})",
                            row=header_index + 1, sheet=self.sheet_label)
                )  # fmt: skip
            raise InputError(
                f"de kolommen kloppen niet met het formaat van bron {source.name}", file=self.name, problems=problems
            )
        if layout.wide and len(source.measures) != 1:
            raise InputError(
                f"een kolom per {'periode' if layout.wide_column == 'periode' else layout.wide_column} kan alleen bij "
                f"een bron met één aantal; bron {source.name} heeft {', '.join(source.measures)}: lever één rij per "
                "periode en gemeente",
                file=self.name,
                problems=[Problem("schema", "brede tabel", row=header_index + 1, sheet=self.sheet_label)],
            )
        for index, header in layout.ignored.items():
            self.notes.append(f"kolom {column_letter(index)} ('{header}') genegeerd: geen gegevens voor gvb")
        return self._records(layout, headers, body_start, demo)

    def _units_row(self, row: list[Cell], layout: _Layout, index: int) -> bool:
        """A row of units under the header ("(aantal)", "%"): skipped when it says what the contract
        means, refused when it says something else (a rate "per 100.000" is not a count)."""
        filled = {i: _plain(c.text).strip("()[] ") for i, c in enumerate(row) if not c.empty}
        if not filled or any(c.number is not None or c.date is not None for c in row):
            return False
        units = {"aantal", "n", "abs", "absoluut", "#", "%", "procent", "percentage", "in %"}
        looks = all(v in units or v.startswith(("per ", "/")) for v in filled.values())
        if not looks:
            return False
        for i, unit in filled.items():
            name = layout.mapping.get(i)
            kind = layout.source.column(name).kind if name else ("count" if i in layout.wide else None)
            fits = (kind == "count" and unit in {"aantal", "n", "abs", "absoluut", "#"}) or (
                kind == "decimal" and unit in {"%", "procent", "percentage", "in %"}
            )
            if not fits:
                raise InputError(
                    f"rij {index + 1} geeft als eenheid '{row[i].text}' voor kolom {column_letter(i)}; "
                    "gvb verwacht daar " + ("aantallen" if kind == "count" else "iets anders"),
                    file=self.name,
                    problems=[Problem("schema", "eenheid past niet bij het contract", row=index + 1,
                                      column=column_letter(i), value=row[i].text, sheet=self.sheet_label)],
                )  # fmt: skip
        self.notes.append(f"rij {index + 1} met eenheden overgeslagen")
        return True

    def _title_period(self, header_index: int, source: Source) -> str | None:
        """A table without a period column, titled "Halt-verwijzingen 1e halfjaar 2024" (or on a
        sheet named "2024H1"): the one period the title names, if it names exactly one."""
        texts = [(f"werkbladnaam '{self.sheet.name}'", self.sheet.name)] if self.sheet_label else []
        texts += [(f"titel in rij {r + 1}", c.text) for r in range(header_index) for c in self.rows[r] if c.text]
        found: dict[str, str] = {}
        for where, text in texts:
            for match in _TITLE_PERIOD.finditer(text.lower()):
                readings, _ = read_period_column([match.group(0)], PERIOD_KINDS[source.name])
                for reading in readings[match.group(0)]:
                    found.setdefault(reading.text, f"{where}: '{match.group(0)}'")
        if len(found) != 1:
            return None
        period, where = next(iter(found.items()))
        self.notes.append(f"geen kolom Periode: periode {period} volgens de {where}")
        return period

    def _second_header_row(
        self, index: int, headers: list[str], source: Source, layout: _Layout
    ) -> tuple[list[str], _Layout] | None:
        """A header written over two rows ("Aantal" above "verwijzingen"): combined when that reads."""
        if index + 1 >= len(self.rows):
            return None
        below = self.rows[index + 1]
        texts = [c.text for c in below]
        if any(_looks_like_data(c) for c in below) or not any(texts):
            return None
        combined = [" ".join(t for t in (headers[i], texts[i]) if t) for i in range(self.width)]
        # a label merged over several columns above their own labels ("Leeftijd" over "12-14", "15-17")
        for first_row, first_col, _last_row, last_col in self.sheet.merged:
            if first_row == index and last_col > first_col:
                for column in range(first_col + 1, last_col + 1):
                    combined[column] = " ".join(t for t in (headers[first_col], texts[column]) if t)
        # "Aantal verwijzingen" over "2024-H1", "2024-H2": the lower label alone is the column
        for column, text in enumerate(texts):
            if text and not _recognised([combined[column]], source) and _recognised([text], source):
                combined[column] = text
        joined = _layout(combined, source, index + 1)
        below_only = _layout(texts, source, index + 2)
        if below_only.score >= joined.score or joined.score <= layout.score:
            if layout.missing and sum(1 for t in texts if t) >= 2 and below_only.score < layout.score:
                raise InputError(
                    f"kop over twee rijen (rij {index + 1} en {index + 2}) is niet als één kop te lezen; "
                    "zet de kop in één rij, één kolomnaam per kolom",
                    file=self.name,
                    problems=[Problem("schema", "kop over twee rijen", row=index + 2, sheet=self.sheet_label)],
                )
            return None
        return combined, joined

    def _check_empty_headers(self, headers: list[str], header_index: int, body_start: int, layout: _Layout) -> None:
        used = set(layout.mapping) | set(layout.ignored) | set(layout.totals) | set(layout.wide)
        used |= set(layout.parts.values())
        for index in range(self.width):
            if headers[index] or index in used:
                continue
            filled = [
                (r, self.rows[r][index]) for r in range(body_start, len(self.rows)) if not self.rows[r][index].empty
            ]
            letter = column_letter(index)
            if filled:
                row, cell = filled[0]
                raise InputError(
                    f"kolom {letter} heeft geen kop maar wel waarden; geef hem een kop of maak hem leeg",
                    file=self.name,
                    problems=[Problem("schema", "waarden onder een lege kop", row=row + 1, column=letter,
                                      value=cell.text, sheet=self.sheet_label)],
                )  # fmt: skip
            if index < max(used, default=0):
                self.notes.append(f"lege kolom {letter} genegeerd")

    # -- rows -----------------------------------------------------------------------------------
    def _records(self, layout: _Layout, headers: list[str], body_start: int, demo: bool) -> Parsed:
        source = layout.source
        fill = self._vertical_merges(body_start, layout)
        keys = [i for i, c in layout.mapping.items() if source.column(c).kind in ("period", "gemeente", "text")]
        measures = [i for i, c in layout.mapping.items() if source.column(c).kind in ("count", "decimal")]
        records: list[dict[str, object]] = []
        last_data = max(
            (
                r
                for r in range(body_start, len(self.rows))
                if any(not self.rows[r][i].empty for i in measures + list(layout.wide))
            ),
            default=body_start - 1,
        )
        formulas = 0
        empty_wide = 0
        skipped_notes = []
        for r in range(body_start, len(self.rows)):
            row = [fill.get((r, i), cell) for i, cell in enumerate(self.rows[r])]
            if all(c.empty for c in row):
                continue
            filled = [(i, c) for i, c in enumerate(row) if not c.empty]
            used = set(layout.mapping) | set(layout.wide) | set(layout.totals) | set(layout.parts.values())
            if len(filled) == 1 and r > last_data and filled[0][1].number is None:
                skipped_notes.append(filled[0][1].text)
                continue
            for i, cell in filled:
                if i not in used and i not in layout.ignored and not headers[i]:
                    self.problem("schema", "waarde in een kolom zonder kop", r + 1, column_letter(i), cell.text)
            record: dict[str, object] = {"bron_rij": r + 1, "_totaal": False}
            total = False
            for i in keys:
                canonical = layout.mapping[i]
                text = self._key_text(row[i], source.column(canonical), source, r, i)
                is_total, part = (
                    total_label(text) if canonical != "periode" or not period_readings(text) else (False, None)
                )
                if canonical == "gemeente_naam" and not is_total and _region_label(text):
                    is_total, part = True, None
                if canonical == "gemeente_code" and re.fullmatch(r"(?i)RE\d{2}|NL(01)?", text.strip()):
                    is_total, part = True, None  # the region's or country's own total
                if is_total:
                    total = True
                    text = part or ""
                record[canonical] = text
            for i, cell in filled:
                if not cell.no_result:
                    formulas += cell.formula and i not in layout.totals and not total
                    continue
                value = _sum_formula(cell.text, self.rows)
                if value is not None:  # =SUM(E2:E116) computed here: the range is what the partner summed
                    row[i] = Cell(_number(value), value, formula=True)
                elif not total and i not in layout.totals:
                    self.problem(
                        "schema",
                        "formule zonder opgeslagen uitkomst; open en bewaar het bestand in Excel of lever vaste waarden",
                        r + 1, column_letter(i), cell.text,
                    )  # fmt: skip
            if total and not re.fullmatch(r"(?i)(GM)?\s*\d{1,4}", str(record.get("gemeente_code") or "0")):
                record["gemeente_code"] = ""  # "RE07" or "Regio" on a total row: the total over gemeenten
            if layout.fixed_period:
                record["periode"] = layout.fixed_period
            if layout.parts:
                record["periode"], part_total = self._period_from_parts(row, layout, r)
                total = total or part_total
            if total:
                record["_totaal"] = True
            if layout.wide:
                for i, value in layout.wide.items():
                    if row[i].empty and source.absent_gemeente == "zero" and not total:
                        empty_wide += 1  # a pivot's blank cell: nothing there, as in the long layout
                        continue
                    melted = dict(record)
                    melted[layout.wide_column] = value
                    melted[source.measures[0]] = self._measure_cell(row[i], source.column(source.measures[0]), r, i)
                    records.append(melted)
                for i in layout.totals:  # the row's total over the wide columns
                    if row[i].no_result:
                        continue
                    melted = dict(record, _totaal=True)
                    melted[layout.wide_column] = ""
                    melted[source.measures[0]] = self._measure_cell(row[i], source.column(source.measures[0]), r, i)
                    records.append(melted)
                continue
            for i in measures:
                canonical = layout.mapping[i]
                if row[i].no_result and total:
                    record[canonical] = ""
                    continue
                record[canonical] = self._measure_cell(row[i], source.column(canonical), r, i)
            for i in layout.totals:  # "Totaal deelnemers" beside klassiek and app: checked here, per row
                self._check_row_total(row, headers[i], i, layout, r)
            records.append(record)
        if self.problems:
            raise InputError(
                "het werkblad is niet exact te lezen; niets geladen", file=self.name, problems=self.problems
            )
        if layout.totals and not layout.wide:
            self.notes.append(
                f"kolom {', '.join(column_letter(i) for i in layout.totals)} (totaal) niet geladen: een totaal is geen gegeven"
            )
        if skipped_notes:
            shown = "; ".join(repr(t[:60]) for t in skipped_notes[:3])
            self.notes.append(f"{len(skipped_notes)} tekstregel(s) onder de tabel overgeslagen ({shown})")
        if empty_wide:
            self.notes.append(
                f"{empty_wide} lege cellen in de brede tabel: geen rij (bij bron {source.name} betekent dat 0)"
            )
        if formulas:
            self.notes.append(f"{formulas} cellen met een formule: hun opgeslagen uitkomst is gelezen")
        if fill:
            self.notes.append(f"{len(fill)} samengevoegde cellen gelezen als herhaling van hun waarde")
        if not records:
            raise InputError(f"werkblad '{self.sheet.name}' bevat alleen een kopregel, geen gegevens", file=self.name)
        frame = pd.DataFrame.from_records(records)
        dutch = self._number_style(frame, source)
        for column in source.columns:
            if column.kind in ("count", "decimal") and column.name in frame:
                frame[column.name] = _canonical_numbers(frame[column.name].astype("string"), dutch, column.kind)
        for column in frame.columns:
            if column not in ("bron_rij", "_totaal"):
                frame[column] = frame[column].astype("string")
        frame["bron_rij"] = frame["bron_rij"].astype("int64")
        frame["_totaal"] = frame["_totaal"].astype(bool)
        shown = {canonical: f"{column_letter(i)} ({headers[i]})" for i, canonical in layout.mapping.items()}
        if layout.wide:
            shown[layout.wide_column] = shown.get(layout.wide_column, "kolomkoppen")
        return Parsed(
            source, self.fmt, frame.reset_index(drop=True), dutch_numbers=False, demo=demo, notes=self.notes,
            period_kind=layout.declared_kind, sheet=self.sheet_label, shown_columns=shown,
        )  # fmt: skip

    def _merged_refusal(self, message: str, merged: tuple[int, int, int, int]) -> InputError:
        problem = Problem("schema", "samengevoegde cellen", row=merged[0] + 1, column=_range_text(merged),
                          sheet=self.sheet_label)  # fmt: skip
        return InputError(message, file=self.name, problems=[problem])

    def _vertical_merges(self, body_start: int, layout: _Layout) -> dict[tuple[int, int], Cell]:
        """Labels merged over several rows (a gemeente over its delict groups) count for every row."""
        fill = {}
        for first_row, first_col, last_row, last_col in self.sheet.merged:
            if last_row < body_start:
                continue
            merged = (first_row, first_col, last_row, last_col)
            if last_col > first_col:
                raise self._merged_refusal("samengevoegde cellen in de gegevens; maak de samenvoeging ongedaan", merged)
            if first_col not in layout.mapping or first_row >= len(self.rows):
                continue
            if layout.source.column(layout.mapping[first_col]).kind in ("count", "decimal"):
                raise self._merged_refusal(  # a number merged over rows: whose number is it?
                    "samengevoegde cellen in een kolom met getallen; geef elke rij zijn eigen getal", merged
                )
            value = self.rows[first_row][first_col]
            for r in range(first_row + 1, min(last_row, len(self.rows) - 1) + 1):
                fill[(r, first_col)] = value
        return fill

    def _key_text(self, cell: Cell, column: Column, source: Source, r: int, i: int) -> str:
        if cell.date is not None and column.kind == "text":
            return self._restore_date(cell, column, source, r, i)
        if column.values and cell.date is None and (moment := _text_date(cell.text)) is not None:
            # a CSV saved by Excel after it made "12-14" a date: "1-12-2014" or "dec-14"
            return self._restore_date(Cell(cell.text, date=moment), column, source, r, i)
        if cell.number is not None and cell.percent:
            self.problem("schema", "percentage in een kolom met codes of namen", r + 1, column_letter(i), cell.text)
        return cell.text

    def _check_row_total(self, row: list[Cell], header: str, i: int, layout: _Layout, r: int) -> None:
        part = total_label(header)[1]
        given = _whole_number(row[i])
        if not part or given is None:
            return
        key = category_key(part)
        summed = [c for c, name in layout.mapping.items()
                  if layout.source.column(name).kind == "count" and key in category_key(name)]  # fmt: skip
        values = [_whole_number(row[c]) for c in summed]
        if not summed or None in values:
            return
        if sum(values) != given:
            names = " + ".join(layout.mapping[c] for c in summed)
            self.problem(
                "totalen",
                f"totaal klopt niet met de delen: {given} in het totaal, {names} = {sum(values)}",
                r + 1, column_letter(i), row[i].text,
            )  # fmt: skip

    def _restore_date(self, cell: Cell, column: Column, source: Source, r: int, i: int) -> str:
        """Excel turns "12-14" into 1 December 2014: the category value it was, or a refusal."""
        moment = cell.date
        spellings = {
            f"{moment.month}-{moment.year % 100}", f"{moment.day}-{moment.month}", f"{moment.month}-{moment.day}",
            f"{moment.day}-{moment.year % 100}", f"{moment.year % 100}-{moment.month}",
        }  # fmt: skip
        found = {v for s in spellings if (v := reference().category_value(source.name, column, s))}
        if len(found) == 1:
            value = found.pop()
            self.notes.append(
                f"rij {r + 1}, kolom {column_letter(i)}: door Excel als datum opgeslagen ({cell.text}), gelezen als '{value}'"
            )
            return value
        self.problem(
            "schema",
            "Excel heeft deze cel in een datum veranderd en de bedoelde waarde is niet zeker terug te halen; "
            "maak de kolom tekst en typ de waarde opnieuw",
            r + 1, column_letter(i), cell.text,
        )  # fmt: skip
        return cell.text

    def _period_from_parts(self, row: list[Cell], layout: _Layout, r: int) -> tuple[str, bool]:
        """Jaar + Halfjaar or Jaar + Maand as one period; a "Totaal" in either marks a total row."""
        year_text = row[layout.parts["jaar"]].text
        if total_label(year_text)[0]:
            return "", True
        if not re.fullmatch(r"\d{4}", year_text):
            self.problem("perioden", "jaar is geen jaartal", r + 1, column_letter(layout.parts["jaar"]), year_text)
            return "", False
        for word in ("halfjaar", "maand"):
            if word not in layout.parts:
                continue
            index = layout.parts[word]
            text = row[index].text.strip().lower()
            if total_label(text)[0]:
                return year_text, True
            if word == "halfjaar":
                match = re.fullmatch(
                    r"(?:h|hj)?\s*0?([12])(?:e|ste|de)?(?:\s*halfjaar)?|(eerste|tweede)(?:\s*halfjaar)?", text
                )
                if match:
                    return f"{year_text}H{int(match[1]) if match[1] else (1 if match[2] == 'eerste' else 2)}", False
            else:
                number = int(text) if re.fullmatch(r"\d{1,2}", text) else month_number(text)
                if number and 1 <= number <= 12:
                    return f"{year_text}-{number:02d}", False
            self.problem("perioden", f"onbekend {word}", r + 1, column_letter(index), row[index].text)
            return "", False
        return year_text, False

    def _measure_cell(self, cell: Cell, column: Column, r: int, i: int) -> str:
        if cell.date is not None:
            self.problem("aantallen", "datum in een kolom met getallen", r + 1, column_letter(i), cell.text)
            return cell.text
        if cell.number is None:
            return cell.text
        value = cell.number
        if cell.percent:
            if column.kind == "count":
                self.problem("aantallen", "percentage in een kolom met aantallen", r + 1, column_letter(i), cell.text)
                return cell.text
            value = round(value * 100, 10)  # 0.119 shown as 11,9 % is 11.9
        return TYPED + _number(value)

    def _number_style(self, frame: pd.DataFrame, source: Source) -> bool:
        """Whether text numbers use the Dutch decimal comma: decided once for the whole file."""
        measures = [c.name for c in source.columns if c.kind in ("count", "decimal") and c.name in frame]
        texts = pd.Series([v for m in measures for v in frame[m].dropna()], dtype="string")
        texts = texts.str.replace(r"[\s\u00a0%]", "", regex=True)
        dutch = texts.str.fullmatch(r"-?(\d+,\d{1,2}|\d+,\d{4,}|\d{1,3}(\.\d{3}){2,}|\d{1,3}(\.\d{3})+,\d+)").fillna(
            False
        )
        english = texts.str.fullmatch(r"-?(\d+\.\d{1,2}|\d+\.\d{4,}|\d{1,3}(,\d{3}){2,}|\d{1,3}(,\d{3})+\.\d+)").fillna(
            False
        )
        if self.fmt in ("xlsx", "xls", "ods"):
            # a workbook's number cells are already plain ("11.9"): only Dutch text cells can tell
            english = pd.Series(False, index=texts.index)
        if dutch.any() and english.any():
            raise InputError(
                "getallen in twee notaties: met decimaalkomma én met decimaalpunt; kies één notatie",
                file=self.name,
                problems=[Problem("getallen", "voorbeelden", value=f"{texts[dutch].iloc[0]} en {texts[english].iloc[0]}",
                                  sheet=self.sheet_label)],
            )  # fmt: skip
        if dutch.any():
            return True
        if english.any():
            return False
        return self.default_dutch


def _region_label(text: str) -> bool:
    """A total over gemeenten named as the area: "Eenheid Rotterdam", "Regio", "Nederland"."""
    plain = _plain(text)
    return is_total_label(text) or bool(re.match(r"(eenheid|regio|politie-eenheid|totaal)\b", plain))


def _whole_number(cell: Cell) -> int | None:
    """A count cell's value: a whole number cell, or text like 1234 or 1.234."""
    if cell.number is not None:
        return int(cell.number) if float(cell.number).is_integer() else None
    text = cell.text.replace(" ", "").replace("\u00a0", "")
    return int(text.replace(".", "")) if re.fullmatch(r"\d{1,3}(\.\d{3})+|\d+", text) else None


def _text_date(text: str) -> dt.datetime | None:
    """A date as Excel writes it to CSV (1-12-2014, 2014-12-01, dec-14), else None."""
    text = text.strip().lower()
    try:
        if match := re.fullmatch(r"(\d{1,2})[-/](\d{1,2})[-/](\d{4})(?: 0?0:00(?::00)?)?", text):
            return dt.datetime(int(match[3]), int(match[2]), int(match[1]))
        if match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[ t]00:00:00)?", text):
            return dt.datetime(int(match[1]), int(match[2]), int(match[3]))
        if (match := re.fullmatch(r"([a-z]{3,4})\.?-(\d{2})", text)) and (month := month_number(match[1])):
            return dt.datetime(2000 + int(match[2]), month, 1)
    except ValueError:
        return None
    return None


def _looks_like_data(cell: Cell) -> bool:
    """A number, date, period or gemeente code: a cell of a data row, not of a header."""
    if cell.number is not None or cell.date is not None:
        return True
    text = cell.text.strip()
    return bool(re.fullmatch(r"-?[\d.,]+%?|GM\d{4}|<\s*\d+", text, re.IGNORECASE) or (text and period_readings(text)))


def _number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _canonical_numbers(values: pd.Series, dutch: bool, kind: str) -> pd.Series:
    """Number text in ``1234.5`` notation; anything else (markers, words) stays as it was."""
    typed = values.str.startswith(TYPED).fillna(False)  # a number cell: already plain
    text = values.str.strip().str.replace(r"[\s\u00a0]", "", regex=True)
    if kind == "decimal":
        text = text.str.replace(r"%$", "", regex=True)
    numeric = text.str.fullmatch(r"-?[\d.,]*\d").fillna(False)
    if dutch:
        converted = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        converted = text.str.replace(",", "", regex=False)
    result = values.where(~numeric, converted).where(values.notna(), pd.NA)
    return result.where(~typed, values.str.slice(1))


_SUM = re.compile(r"^=\s*(?:SUM|SOM)\((?P<args>[A-Z0-9:$;, ]+)\)$", re.IGNORECASE)


def _sum_formula(text: str, rows: list[list[Cell]]) -> float | None:
    """The value of a plain =SUM(…)/=SOM(…) over cells and ranges of this sheet, else None."""
    from openpyxl.utils.cell import range_boundaries

    match = _SUM.match(text.strip())
    if not match:
        return None
    total = 0.0
    for part in re.split(r"[;,]", match["args"].replace("$", "")):
        try:
            first_col, first_row, last_col, last_row = range_boundaries(part.strip().upper())
        except ValueError:
            return None
        for r in range(first_row - 1, last_row):
            for c in range(first_col - 1, last_col):
                cell = rows[r][c] if r < len(rows) and c < len(rows[r]) else None
                if cell is None or cell.empty:
                    continue
                if cell.number is None or cell.formula:
                    return None
                total += cell.number
    return total


def _range_text(merged: tuple[int, int, int, int]) -> str:
    first_row, first_col, last_row, last_col = merged
    return f"{column_letter(first_col)}{first_row + 1}:{column_letter(last_col)}{last_row + 1}"


def _demo(rows: list[list[Cell]], sheet_name: str) -> bool:
    marker = re.compile(r"\bDEMO\b")
    return any(marker.search(c.text) for r in rows for c in r) or bool(marker.search(sheet_name))
