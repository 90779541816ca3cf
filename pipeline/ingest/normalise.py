"""Turn a parsed delivery into typed canonical rows, enforcing the blocking rules of its contract.

Every broken rule becomes a :class:`Problem` naming the row, column and value; if there is any,
the whole file is refused (nothing of it is loaded).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.ingest.numbers import SUPPRESSION_MARKERS, parse_counts, parse_decimals
from pipeline.ingest.parsed import Parsed
from pipeline.ingest.rollups import rollup_mixed
from pipeline.kernel.errors import InputError, Problem
from pipeline.kernel.periods import MONTHS_NL, Period, period_readings, read_period_column
from pipeline.kernel.sources import PERIOD_KINDS, Column, Source
from pipeline.presentation.dutch import number
from pipeline.reference import Reference

MAX_PROBLEMS_PER_RULE = 20

_KIND_NL = {"month": "maand", "half": "halfjaar", "year": "jaar"}

AREA_PATTERN = r"^(GM\d{4}|WK\d{6}|BU\d{4}[0-9A-Z]{4}|RE\d{2}|NL)$"
#: a police table's own total of an eenheid (RE07) or of the country (NL): kept, not a gemeente
REGION_TOTAL = r"RE\d{2}|NL"


@dataclass
class Normalised:
    source: Source
    #: the canonical rows; an Arrow table when DuckDB read them (``pipeline.ingest.canonical``)
    frame: pd.DataFrame | pa.Table
    notes: list[str] = field(default_factory=list)
    skipped: int = 0
    #: the blocking rules of the source's suite were already run on these rows
    checked: bool = False

    @property
    def periods(self) -> list[str]:
        if not len(self.frame):
            return []
        if isinstance(self.frame, pa.Table):
            return sorted(pc.unique(self.frame["periode"]).to_pylist())
        return sorted(self.frame["periode"].unique().tolist())


class _Problems:
    def __init__(self, sheet: str | None = None, shown: dict[str, str] | None = None) -> None:
        self.by_rule: dict[str, list[Problem]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)
        self.sheet = sheet
        self.shown = shown or {}

    def add_rows(self, frame: pd.DataFrame, mask: pd.Series, rule: str, message: str | pd.Series, column: str) -> None:
        if not mask.any():
            return
        self.counts[rule] += int(mask.sum())
        rows = frame.loc[mask]
        messages = message[mask] if isinstance(message, pd.Series) else None
        for index, row in rows.head(MAX_PROBLEMS_PER_RULE - len(self.by_rule[rule])).iterrows():
            text = str(messages[index]) if messages is not None else message
            value = row.get(column)
            sheet = row.get("_werkblad", self.sheet)  # a workbook with one sheet per period
            self.by_rule[rule].append(
                Problem(
                    rule,
                    text,
                    row=int(row["bron_rij"]),
                    column=self.shown.get(column, column),
                    value=None if pd.isna(value) else str(value),
                    sheet=None if pd.isna(sheet) else str(sheet),
                )
            )

    def __bool__(self) -> bool:
        return bool(self.by_rule)

    def raise_if_any(self, file: str) -> None:
        if not self:
            return
        problems = [p for rule in self.by_rule.values() for p in rule]
        summary = ", ".join(f"{count}× {rule}" for rule, count in self.counts.items())
        raise InputError(f"bestand geweigerd, niets geladen ({summary})", file=file, problems=problems)


def _strip(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    return frame[column].astype("string").str.strip()


def normalise(parsed: Parsed, file: str, ref: Reference, region: str, today: dt.date) -> Normalised:
    source = parsed.source
    frame = parsed.frame.copy()
    problems = _Problems(parsed.sheet, parsed.shown_columns)
    notes = list(parsed.notes)
    skipped = parsed.skipped
    # a hand-made table's total rows and columns: checked against their parts, never loaded
    is_total = frame.pop("_totaal").astype(bool) if "_totaal" in frame else pd.Series(False, index=frame.index)
    data = ~is_total
    for column in source.columns:
        if column.name in frame:
            frame[column.name] = _strip(frame, column.name)
        else:
            frame[column.name] = pd.Series(pd.NA, index=frame.index, dtype="string")

    # periods -----------------------------------------------------------------------------------
    raw_periods = frame["periode"].fillna("")
    parsed_periods, reason_of = _read_periods(raw_periods.unique().tolist(), source, parsed.period_kind, today)
    reason = raw_periods.map(reason_of).astype("string")
    reason = reason.mask(is_total & (raw_periods == ""), pd.NA)  # a total over all periods
    problems.add_rows(frame, reason.notna(), "perioden", reason, "periode")
    frame["periode"] = raw_periods.map({v: p.text if p else None for v, p in parsed_periods.items()}).astype("string")
    years = raw_periods.map({v: p.year if p else 0 for v, p in parsed_periods.items()}).astype("int64")

    # indeling: a table that states its indeling ("… gemeente 2026") has every year in that indeling
    if "indeling" in frame:
        if parsed.indeling is not None:
            frame["indeling"] = pd.Series(str(parsed.indeling), index=frame.index, dtype="string")
        indeling, reason = _parse_indeling(frame["indeling"].fillna(""), today)
        problems.add_rows(frame, reason.notna(), "indeling", reason, "indeling")
        frame["indeling"] = indeling
        # the gemeente must exist in the indeling of the file, else in the year of the period
        years = indeling.fillna(years).astype("int64")

    # areas -------------------------------------------------------------------------------------
    area_col = source.area_column
    area = frame[area_col].str.upper().str.replace(" ", "", regex=False)
    if area_col == "gemeente_code":
        digits = area.str.fullmatch(r"\d{1,4}").fillna(False)
        area = area.where(~digits, "GM" + area.str.zfill(4))
        area = _check_names(frame, area, years, is_total, ref, problems)
    frame[area_col] = area
    empty_area = (area.isna() | (area == "")) & data
    problems.add_rows(frame, empty_area, "codes", "gebiedscode ontbreekt", area_col)
    if source.name == "veiligheidsmonitor":
        is_gm = area.str.fullmatch(r"GM\d{4}").fillna(False)
        is_district = area.isin(list(ref.districten))
        is_eenheid = area.str.fullmatch(r"RE\d{2}").fillna(False) | (area == "NL")
        bad_format = ~empty_area & ~(is_gm | is_district | is_eenheid)
        problems.add_rows(
            frame, bad_format, "codes", "onbekende gebiedscode (verwacht GMxxxx, een districtcode of REnn)", area_col
        )
        gemeente = area.where(is_gm)
        out_of_region = (
            is_district & ~area.map(lambda c: ref.districten.get(c, {}).get("eenheid_code") == region or region == "NL")
        ) | (is_eenheid & (area != region) & (region != "NL"))
    else:
        pattern = r"GM\d{4}" if area_col == "gemeente_code" else AREA_PATTERN[1:-1]
        given = (area.fillna("") != "").astype(bool)
        bad_format = given & ~area.str.fullmatch(pattern).fillna(False).astype(bool)
        expected = "GMxxxx" if area_col == "gemeente_code" else "GMxxxx, WKxxxxxx, BUxxxxxxxx, REnn of NL"
        problems.add_rows(frame, bad_format, "codes", f"ongeldige gebiedscode (verwacht {expected})", area_col)
        region_total = area.str.fullmatch(REGION_TOTAL).fillna(False).astype(bool) & (area_col != "gemeente_code")
        gemeente = ("GM" + area.str.slice(2, 6)).where(given & ~bad_format & ~region_total)
        # only the region's own total is kept (a national table also has the other eenheden), and only
        # when the region then covered what it covers now: RE07 of 2015 still held Leerdam and Zederik
        same = {y: ref.same_region_as_now(region, y, today.year) for y in years[region_total].unique().tolist()}
        other_area = region_total & ~years.map(lambda y: same.get(y, False)).astype(bool)
        if (other_area & (area == region)).any():
            notes.append(unused_total_note(region, [y for y, ok in same.items() if not ok]))
        out_of_region = region_total & ((area != region) | other_area)
    frame["gemeente_code"] = gemeente.astype("string")

    # gemeente exists in the period's year, and belongs to the region --------------------------------
    pairs = pd.DataFrame({"gm": gemeente, "year": years}).dropna().drop_duplicates()
    verdict: dict[tuple[str, int], str | None] = {}
    members_by_year: dict[int, set[str]] = {}
    for gm, year in pairs.itertuples(index=False):
        known = ref.gemeente(gm)
        if known is None:
            verdict[(gm, year)] = "onbekende gemeentecode"
        elif not known.exists_in(year):
            if known.laatste_jaar is not None and year > known.laatste_jaar:
                successor = ref.successor.get(gm)
                after = (
                    f": opgegaan in {successor} ({ref.gemeente(successor).naam})"
                    if successor and ref.gemeente(successor)
                    else ""
                )
                verdict[(gm, year)] = (
                    f"{gm} ({known.naam}) bestond in {year} niet meer{after}; gebruik de code van dat jaar"
                )
            else:
                verdict[(gm, year)] = f"{gm} ({known.naam}) bestond in {year} nog niet (vanaf {known.eerste_jaar})"
            if parsed.indeling and verdict[(gm, year)]:
                verdict[(gm, year)] = f"volgens de indeling van {year} (titel of --indeling): " + verdict[(gm, year)]
        else:
            if year not in members_by_year:
                members_by_year[year] = ref.region_members(region, year)
            verdict[(gm, year)] = None if gm in members_by_year[year] else "outside"
    verdicts = pd.DataFrame(
        [(gm, year, text) for (gm, year), text in verdict.items()], columns=["gm", "year", "status"]
    ).astype({"gm": "string", "year": "int64", "status": "object"})
    rows = pd.DataFrame({"gm": gemeente.astype("string").to_numpy(), "year": years.to_numpy()})
    looked_up = rows.merge(verdicts, on=["gm", "year"], how="left")["status"].to_numpy()
    status = pd.Series(looked_up, index=frame.index, dtype="object").where(gemeente.notna().to_numpy(), None)
    invalid = status.notna() & (status != "outside")
    problems.add_rows(frame, invalid, "codes", status.astype("string"), area_col)
    out_of_region = out_of_region | (status == "outside")

    # codes of the source -----------------------------------------------------------------------
    if source.name in ("politie_misdrijven", "politie_incidenten"):
        codes = frame["soort_code"].str.strip()
        if source.name == "politie_incidenten":
            codes = codes.str.upper()
        frame["soort_code"] = codes
        known_codes = ref.crime_codes if source.name == "politie_misdrijven" else ref.nuisance_codes
        unknown = ~codes.isin(list(known_codes))
        problems.add_rows(
            frame, unknown, "codes", f"onbekende code; niet in de codelijst van {source.label}", "soort_code"
        )
    if source.name == "veiligheidsmonitor":
        vm_codes = {i.code: i for i in ref.indicators if i.bron == "veiligheidsmonitor"}
        frame["indicator_code"] = frame["indicator_code"].str.upper()
        unknown = ~frame["indicator_code"].isin(list(vm_codes))
        problems.add_rows(
            frame, unknown, "codes", "onbekende indicator; niet in de indicatorcatalogus", "indicator_code"
        )
    for column in source.columns:
        if column.kind == "text" and column.required and column.name not in ("soort_code", "indicator_code"):
            empty = (frame[column.name].isna() | (frame[column.name] == "")) & data
            problems.add_rows(frame, empty, "schema", "verplicht veld is leeg", column.name)
        if column.values:
            frame[column.name] = _categories(frame, column, source, ref, is_total, problems)

    # measures ----------------------------------------------------------------------------------
    empty_counts: list[str] = []
    for column in source.columns:
        if column.kind == "count":
            raw = frame[column.name]
            values, reason = parse_counts(raw.fillna(""), parsed.dutch_numbers)
            if not column.required:
                reason = reason.mask(raw.fillna("").str.strip().isin(["", ".", "x"]), pd.NA)
            blank = raw.fillna("").str.strip() == ""
            reason = reason.mask(is_total & blank, pd.NA)  # a total that is not given checks nothing
            if source.area_column == "gemeente_code":
                marker = raw.fillna("").str.strip().str.fullmatch(SUPPRESSION_MARKERS.pattern, case=False).fillna(False)
                reason = reason.mask(
                    marker & ~blank, "afgeschermd aantal; lever onafgeschermde aantallen aan: gvb schermt zelf af"
                )
                if source.absent_gemeente == "zero":
                    # an empty cell where absent means zero (Halt lists only gemeenten with referrals)
                    zero = blank & data
                    if zero.any():
                        rows = ", ".join(str(r) for r in frame.loc[zero, "bron_rij"].head(10))
                        empty_counts.append(f"kolom {column.name} {int(zero.sum())}× (rij {rows})")
                    reason = reason.mask(zero, pd.NA)
                    values = values.mask(zero, 0)
            problems.add_rows(frame, reason.notna(), "aantallen", reason, column.name)
            frame[column.name] = values
        elif column.kind == "decimal":
            values, reason = parse_decimals(frame[column.name].fillna(""), parsed.dutch_numbers)
            problems.add_rows(frame, reason.notna(), "getallen", reason, column.name)
            frame[column.name] = values
    if source.name == "veiligheidsmonitor":
        _check_survey(frame, ref, problems)
    if source.name == "burgernet":
        _check_coverage_scale(frame[data], ref, problems)

    # keys --------------------------------------------------------------------------------------
    key = list(source.key)
    dupes = frame.duplicated(subset=key, keep=False) & frame["periode"].notna() & data
    if dupes.any():
        later = frame.duplicated(subset=key, keep="first") & dupes
        first = frame[dupes].groupby(key, dropna=False)["bron_rij"].transform("first").astype("string")
        if "_werkblad" in frame:  # the same rows on two sheets (a pivot sheet beside the data?)
            sheet = frame[dupes].groupby(key, dropna=False)["_werkblad"].transform("first").astype("string")
            first = "werkblad '" + sheet + "', rij " + first
        else:
            first = "rij " + first
        message = "dubbele sleutel (" + ", ".join(key) + "): zelfde als " + first
        problems.add_rows(frame, later.fillna(False), "dubbele rijen", message.reindex(frame.index), key[-1])
    if source.area_column == "gebied_code" and source.name != "veiligheidsmonitor":
        _check_rollups(frame, problems)

    if source.area_column == "gemeente_code":
        _check_typo_outside(frame[data], out_of_region[data], ref, region, problems)
    problems.raise_if_any(file)
    if is_total.any():
        notes += _check_totals(frame, is_total, source, problems)
        problems.raise_if_any(file)
        frame, out_of_region = frame[data], out_of_region[data]
    if empty_counts:
        notes.append(
            f"lege cellen in kolommen met aantallen gelezen als 0 (bij bron {source.name} betekent geen aantal: "
            f"geen verwijzingen, signalen of personen): {', '.join(empty_counts)}"
        )

    if out_of_region.any():
        places = out_of_region & frame["gemeente_code"].notna()
        outside = frame.loc[places, "gemeente_code"].unique().tolist()
        notes += outside_notes(ref, region, outside, int(places.sum()), int((out_of_region & ~places).sum()))
        skipped += int(out_of_region.sum())
        frame = frame[~out_of_region]
    columns = [c.name for c in source.columns]
    if "gemeente_code" not in columns:
        columns.append("gemeente_code")
    frame = frame[[*columns, "bron_rij"]].reset_index(drop=True)
    if source.area_column == "gebied_code" and source.name != "veiligheidsmonitor":
        notes += _own_total_notes(frame, region)
    if parsed.incident_counts:
        frame = _zero_filled(frame, ref, region, parsed.indeling)
    for column in source.columns:
        if column.kind in ("text", "period", "area", "gemeente"):
            frame[column.name] = frame[column.name].astype("string").replace("", pd.NA)
    return Normalised(source, frame, notes, skipped)


def _zero_filled(frame: pd.DataFrame, ref: Reference, region: str, indeling: int | None) -> pd.DataFrame:
    """Counts of incidents: every gemeente of the region gets every counted code in every month of
    the file, 0 where it had no incident (absent means zero for such a file, not 'not delivered')."""
    months = pd.period_range(frame["periode"].min(), frame["periode"].max(), freq="M").strftime("%Y-%m").tolist()
    grid = pd.DataFrame(
        [
            (month, code, soort)
            for month in months
            for code in sorted(ref.region_members(region, indeling or int(month[:4])))
            for soort in sorted(frame["soort_code"].dropna().unique())
        ],
        columns=["periode", "gebied_code", "soort_code"],
    ).astype("string")
    filled = grid.merge(frame, on=["periode", "gebied_code", "soort_code"], how="left")
    filled["gemeente_code"] = filled["gebied_code"]
    filled["aantal"] = filled["aantal"].fillna(0).astype("int64")
    filled["bron_rij"] = filled["bron_rij"].fillna(0).astype("int64")  # 0: no row in the file (no incident)
    filled["indeling"] = pd.array([indeling] * len(filled), dtype="Int64")
    return filled[frame.columns]


def _own_total_notes(frame: pd.DataFrame, region: str) -> list[str]:
    """A delivery's own eenheid/national total against the sum of its gemeenten, per period and code."""
    own = frame[frame["gebied_code"] == region]
    if own.empty:
        return []
    parts = frame[frame["gemeente_code"].notna()].groupby(["periode", "soort_code"])["aantal"].sum()
    totals = [
        (row.periode, row.soort_code, int(row.aantal), int(parts.get((row.periode, row.soort_code), 0)))
        for row in own.itertuples(index=False)
    ]
    return own_total_notes(totals, region)


def own_total_notes(totals: list[tuple[str, str, int, int]], region: str) -> list[str]:
    """Notes on a delivery's own totals of the region: (period, code, own total, Σ its gemeenten), in file order."""
    notes = []
    for periode, soort_code, aantal, summed in totals:
        gap = aantal - summed
        total = f"eigen totaal van {region} bewaard ({periode}, soort {soort_code}): {number(aantal)}"
        if gap > 0:
            notes.append(
                f"{total}, som van de gemeenten {number(summed)}; {number(gap)} niet aan een gemeente toe te delen "
                "(zo getoond in de editie)"
            )
        elif gap < 0:
            notes.append(
                f"LET OP: {total} is kleiner dan de som van de gemeenten ({number(summed)}); controleer de levering"
            )
        else:
            notes.append(f"{total}, gelijk aan de som van de gemeenten")
    return notes[:10]


def unused_total_note(region: str, years: list[int]) -> str:
    """The region's own totals of years in which it held other gemeenten than now are not used."""
    shown = ", ".join(str(y) for y in sorted(years))
    return (
        f"eigen totaal van {region} voor {shown} niet gebruikt: de eenheid had toen andere gemeenten dan nu "
        "(de eenheid is dan de som van haar huidige gemeenten)"
    )


def outside_notes(ref: Reference, region: str, outside: list[str], places: int, others: int) -> list[str]:
    """Notes on rows skipped because they lie outside the region: ``places`` rows of the gemeenten
    ``outside``, ``others`` rows of other regions' totals or areas."""
    region_label = ref.region_name(region)
    notes = []
    if outside:
        names = [f"{c} {ref.gemeente(c).naam}" for c in sorted(outside)[:5] if ref.gemeente(c)]
        more = f" en {len(outside) - 5} andere" if len(outside) > 5 else ""
        notes.append(f"{places} rijen van gemeenten buiten {region_label} overgeslagen ({', '.join(names)}{more})")
    if others:
        notes.append(f"{others} rijen met totalen of gebieden van andere regio's dan {region_label} overgeslagen")
    return notes


def _parse_indeling(raw: pd.Series, today: dt.date) -> tuple[pd.Series, pd.Series]:
    """An indeling is a year from 2012 up to this year; empty means the period's own indeling."""
    text = raw.astype("string").str.strip()
    number = pd.to_numeric(text.where(text.str.fullmatch(r"\d{4}").fillna(False)), errors="coerce").astype("Int64")
    bad = (text != "") & (number.isna() | (number < 2012) | (number > today.year))
    reason = pd.Series(pd.NA, index=raw.index, dtype="string").mask(
        bad, f"indeling is een jaar van 2012 tot en met {today.year}"
    )
    return number, reason


def _check_survey(frame: pd.DataFrame, ref: Reference, problems: _Problems) -> None:
    catalogue = {i.code: i for i in ref.indicators}
    low = frame["indicator_code"].map(lambda c: catalogue[c].min_waarde if c in catalogue else None)
    high = frame["indicator_code"].map(lambda c: catalogue[c].max_waarde if c in catalogue else None)
    value = frame["waarde"].astype("Float64")
    out_low = value.notna() & low.notna() & (value < low.astype("Float64"))
    out_high = value.notna() & high.notna() & (value > high.astype("Float64"))
    problems.add_rows(
        frame,
        (out_low | out_high).fillna(False),
        "bereik",
        "waarde buiten het bereik van de eenheid van deze indicator",
        "waarde",
    )
    margin = frame["marge"].astype("Float64")
    problems.add_rows(frame, (margin < 0).fillna(False), "bereik", "marge is negatief", "marge")
    no_margin = value.notna() & margin.isna()
    problems.add_rows(frame, no_margin.fillna(False), "schema", "waarde zonder marge", "marge")


def _check_rollups(frame: pd.DataFrame, problems: _Problems) -> None:
    """A gemeente's figure must not come both as a GM row and as its wijk/buurt parts."""
    mixed = rollup_mixed(frame)
    problems.add_rows(
        frame,
        mixed.fillna(False),
        "totaal gemengd met delen",
        "totaal en de delen ervan (wijken of buurten) voor dezelfde periode en soort in één levering; lever één niveau",
        "gebied_code",
    )


def _read_periods(
    values: list[str], source: Source, declared: str | None, today: dt.date
) -> tuple[dict[str, Period | None], dict[str, str | None]]:
    """Each distinct period text read as the source delivers it; a reason where it cannot be.

    A spelling with two readings ("2024-1": January or the first half-year) is read by what the
    source delivers (RIEC only half-years) or by the column header (Halfjaar, Maand); otherwise
    the file is refused with the question, never guessed."""
    allowed = PERIOD_KINDS[source.name]
    periods: dict[str, Period | None] = {}
    reasons: dict[str, str | None] = {}
    column, _ = read_period_column(values, allowed, declared)
    for value in values:
        readings = period_readings(value)
        fitting = column[value]
        periods[value] = fitting[0] if len(fitting) == 1 else None
        reasons[value] = None
        if not readings:
            reasons[value] = "onbekende periode (verwacht bv. 2025-03, maart 2025, 2025H1, 1e halfjaar 2025 of 2025)"
        elif len(fitting) > 1:
            options = " of ".join(f"{_reading_nl(p)} ({p.text})" for p in fitting)
            reasons[value] = (
                f"onduidelijke periode: {options}? Schrijf de code tussen haakjes, of noem de kolom "
                f"{' of '.join(repr(_COLUMN_OF_KIND[p.kind]) for p in fitting)}"
            )
        elif not fitting:
            kinds = " of ".join(_KIND_NL[k] for k in sorted(allowed))
            what = " of ".join(sorted({_KIND_NL[p.kind] for p in readings}))
            reasons[value] = f"periode is een {what}; bron {source.name} levert per {kinds}"
            if declared:
                reasons[value] += f" (de kolomkop zegt: per {_KIND_NL[declared]})"
        elif fitting[0].start > today:
            reasons[value] = f"periode ligt in de toekomst (vandaag is {today.isoformat()})"
    return periods, reasons


_COLUMN_OF_KIND = {"month": "Maand", "half": "Halfjaar", "year": "Jaar"}


def _reading_nl(period: Period) -> str:
    if period.kind == "half":
        return f"{'eerste' if period.text.endswith('1') else 'tweede'} halfjaar {period.year}"
    if period.kind == "month":
        return f"{next(n for n, m in MONTHS_NL.items() if m == period.start.month)} {period.year}"
    return f"het jaar {period.year}"


def _check_names(
    frame: pd.DataFrame, area: pd.Series, years: pd.Series, is_total: pd.Series, ref: Reference, problems: _Problems
) -> pd.Series:
    """Gemeente names: looked up where there is no code (per period, like StatLine names), and
    compared with the code where both are given — a code typo (GM0503 Delft on Dordrecht's rows)
    or names sorted apart from their codes is refused naming both."""
    if "gemeente_naam" not in frame or frame["gemeente_naam"].isna().all():
        return area
    names = frame["gemeente_naam"].fillna("").str.strip()
    years = years.where(years > 0, int(years.max()))  # a total over all periods: names of the newest
    pairs = pd.DataFrame({"naam": names, "jaar": years}).drop_duplicates()
    found = {(n, y): (ref.code_for_name(n, y) if n else None) for n, y in pairs.itertuples(index=False)}
    by_name = pd.Series([found[(n, y)] for n, y in zip(names, years, strict=True)], index=frame.index, dtype="string")
    no_code = (area.isna() | (area == "")) & (names != "")
    unknown = no_code & by_name.isna() & ~is_total
    if unknown.any():
        message = pd.Series(
            [_unknown_name_message(ref, n, y) for n, y in zip(names, years, strict=True)],
            index=frame.index,
            dtype="string",
        )
        problems.add_rows(frame, unknown, "codes", message, "gemeente_naam")
    area = area.where(~no_code, by_name)
    both = ~no_code & (names != "") & by_name.notna() & area.notna() & (area != by_name)
    if both.any():

        def clash(code: str, name: str, named: str) -> str:
            known = ref.gemeente(code)
            return (
                f"gemeentecode en naam spreken elkaar tegen: {code} is {known.naam if known else 'onbekend'}, "
                f"'{name}' is {named}; controleer de code"
            )

        message = pd.Series(
            [
                clash(c, n, b) if flag else None
                for c, n, b, flag in zip(area.fillna(""), names, by_name.fillna(""), both, strict=True)
            ],
            index=frame.index,
            dtype="string",
        )
        problems.add_rows(frame, both, "codes", message, "gemeente_code")
    return area


def _unknown_name_message(ref: Reference, name: str, year: int) -> str | None:
    if not name:
        return None
    if ref.knows_name(name):
        return f"gemeente '{name}' bestond niet in {year}"
    suggestion = ref.closest_name(name, year)
    hint = f"; bedoelt u '{suggestion}'?" if suggestion else ""
    return f"onbekende gemeente (naam komt niet voor in de CBS-lijst of de lijst met bekende schrijfwijzen){hint}"


def _categories(
    frame: pd.DataFrame, column: Column, source: Source, ref: Reference, is_total: pd.Series, problems: _Problems
) -> pd.Series:
    """A category column holds the contract's values; other spellings only from the reviewed alias list."""
    raw = frame[column.name]
    mapping = {v: ref.category_value(source.name, column, v) for v in raw.dropna().unique().tolist() if v != ""}
    values = raw.map(lambda v: mapping.get(v) if isinstance(v, str) and v else v).astype("string")
    unknown = raw.notna() & (raw != "") & values.isna() & ~is_total
    known = ", ".join(repr(v) for v in column.values)
    problems.add_rows(
        frame,
        unknown,
        "categorieën",
        f"onbekende waarde; bekend zijn {known} (andere schrijfwijzen: pipeline/reference/data/categorie_aliassen.csv)",
        column.name,
    )
    # a total row's label that is no value ("Subtotaal 12-17") totals over every value of the column
    return values.where(~unknown, raw).where(~(is_total & values.isna()), pd.NA)


def _check_typo_outside(
    frame: pd.DataFrame, outside: pd.Series, ref: Reference, region: str, problems: _Problems
) -> None:
    """A partner file of the region with one gemeente outside it while a gemeente of the region is
    missing is a code typo, not a national file: refused, naming both."""
    gemeenten = frame.loc[outside & frame["gemeente_code"].notna(), "gemeente_code"]
    if gemeenten.empty:
        return
    strangers = sorted(set(gemeenten))
    missing = []
    for period, rows in frame[~outside].groupby("periode"):
        year = int(str(period)[:4])
        absent = ref.region_members(region, year) - set(rows["gemeente_code"].dropna())
        missing += [f"{code} {ref.gemeente(code).naam} ({period})" for code in sorted(absent)]
    if not missing or len(strangers) > len(missing):
        return  # a file for a wider area: the gemeenten outside the region are skipped with a note
    names = ", ".join(f"{c} {ref.gemeente(c).naam}" for c in strangers[:5] if ref.gemeente(c))
    mask = outside & frame["gemeente_code"].isin(strangers)
    problems.add_rows(
        frame,
        mask,
        "codes",
        f"gemeente buiten {ref.region_name(region)} ({names}) terwijl gemeenten van de eenheid ontbreken "
        f"({', '.join(missing[:3])}{' …' if len(missing) > 3 else ''}); tikfout in de gemeentecode?",
        "gemeente_code",
    )


def _check_totals(frame: pd.DataFrame, is_total: pd.Series, source: Source, problems: _Problems) -> list[str]:
    """Each total row or column of a hand-made table against the sum of the rows it totals."""
    keys = [c for c in source.key if c in frame]
    measures = [c.name for c in source.columns if c.kind == "count"]
    data = frame[~is_total]
    period_of = {p: period_readings(p)[0] for p in data["periode"].dropna().unique().tolist()}
    checked = 0
    for index, total in frame[is_total].iterrows():
        parts = data
        for key in keys:
            value = total[key]
            if pd.isna(value) or value == "":
                continue
            if key == "periode":
                outer = period_readings(str(value))
                if not outer:
                    continue
                inside = [p for p, q in period_of.items() if outer[0].start <= q.start and q.end <= outer[0].end]
                parts = parts[parts["periode"].isin(inside)]
            else:
                parts = parts[parts[key] == value]
        for measure in measures:
            given = total[measure]
            if pd.isna(given):
                continue
            summed = int(parts[measure].sum())
            checked += 1
            if int(given) != summed:
                rows = parts["bron_rij"].tolist()
                span = f"rijen {min(rows)}–{max(rows)}" if rows else "geen rijen"
                problems.add_rows(
                    frame,
                    frame.index == index,
                    "totalen",
                    f"totaal klopt niet met de delen: {int(given)} in het totaal, {summed} opgeteld ({span}); "
                    "is een regel vergeten of dubbel?",
                    measure,
                )
    return (
        [f"{checked} totalen in het bestand gecontroleerd: gelijk aan de som van hun delen; niet geladen"]
        if checked
        else []
    )


def _check_coverage_scale(frame: pd.DataFrame, ref: Reference, problems: _Problems) -> None:
    """Burgernet's coverage is a percentage (11.9); a fraction (0.119, a percentage cell read
    without its format, or typed so) is a hundred times too small next to participants/inhabitants."""
    given = frame["dekking_pct"].astype("Float64")
    if given.isna().all():
        return
    people = pd.Series(
        [ref.inhabitants(g, int(str(p)[:4])) if isinstance(g, str) and isinstance(p, str) else None
         for g, p in zip(frame["gemeente_code"], frame["periode"], strict=True)],
        index=frame.index, dtype="Float64",
    )  # fmt: skip
    participants = frame["deelnemers_klassiek"].astype("Float64") + frame["deelnemers_app"].astype("Float64")
    computed = 100 * participants / people
    fraction = (given.notna() & computed.notna() & (computed >= 1) & (given * 20 < computed)).fillna(False)
    problems.add_rows(
        frame,
        fraction.astype(bool),
        "getallen",
        "dekking lijkt een fractie in plaats van een percentage (deelnemers/inwoners is ruim 20× zo groot); "
        "schrijf 11,9 voor 11,9 % of maak de cel een percentage",
        "dekking_pct",
    )
