"""Reference data shipped with gvb: gemeenten over time, mergers, region membership, districts,
population and the indicator catalogue.

The files in ``data/`` are facts, editable by the analyst (see ``data/README.md``). This module
reads them once and answers the questions the pipeline asks: does this gemeente code exist in
that year, which gemeente has this name in that year, which gemeenten belong to the region.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

#: labels in StatLine exports that are totals or unassignable, never a gemeente
_TOTAL_LABELS = {
    "nederland",
    "buitenland",
    "gemeenten; niet in te delen",
    "niet in te delen",
    "onbekend",
    "totaal",
}
#: suffixes StatLine puts after names of regions that are not gemeenten
_TOTAL_SUFFIX = re.compile(r"\((re|pv|ld|vr|cr|po|rpe|ggd|bt|di)\)$", re.IGNORECASE)


@dataclass(frozen=True)
class Gemeente:
    code: str
    naam: str
    eerste_jaar: int
    laatste_jaar: int | None  # None: still exists

    def exists_in(self, year: int) -> bool:
        return self.eerste_jaar <= year and (self.laatste_jaar is None or year <= self.laatste_jaar)


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    thema: str
    bron: str
    definitie: str
    eenheid: str
    polariteit: str
    noemer: str
    gevoeligheid: str
    aggregatie: str
    min_waarde: float | None
    max_waarde: float | None
    toelichting: str

    @property
    def sensitive(self) -> bool:
        return self.gevoeligheid == "gevoelig"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def normalise_name(name: str) -> str:
    """Compare gemeente names the way a person would: case, accents, spacing, quotes ignored."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = text.replace("\u2019", "'").strip().lower()
    text = re.sub(r"\s+\(gemeente\)$", "", text)
    return re.sub(r"\s+", " ", text)


def is_total_label(name: str) -> bool:
    """True for region-total or unassignable rows in StatLine exports ("Rotterdam (RE)", "Nederland")."""
    text = name.strip()
    return normalise_name(text) in _TOTAL_LABELS or bool(_TOTAL_SUFFIX.search(text))


class Reference:
    """All reference facts, loaded from ``data/``."""

    def __init__(self) -> None:
        self.gemeenten: dict[str, Gemeente] = {}
        for row in _rows("gemeenten_nl.csv"):
            self.gemeenten[row["gemeente_code"]] = Gemeente(
                code=row["gemeente_code"],
                naam=row["gemeente_naam"],
                eerste_jaar=int(row["eerste_jaar"]),
                laatste_jaar=int(row["laatste_jaar"]) if row["laatste_jaar"] else None,
            )
        self.successor: dict[str, str] = {}
        self.merger_year: dict[str, int] = {}
        for row in _rows("herindelingen.csv"):
            self.successor[row["oud_code"]] = row["nieuw_code"]
            self.merger_year[row["oud_code"]] = int(row["jaar"])
        self._by_name: dict[str, list[Gemeente]] = {}
        for gemeente in self.gemeenten.values():
            self._by_name.setdefault(normalise_name(gemeente.naam), []).append(gemeente)
        self.eenheden = {row["eenheid_code"]: row["eenheid_naam"] for row in _rows("eenheden.csv")}
        self._eenheid_2023 = {row["gemeente_code"]: row["eenheid_code"] for row in _rows("gemeente_eenheid_2023.csv")}
        self._rotterdam = [
            (row["gemeente_code"], int(row["van_jaar"]), int(row["tot_jaar"]) if row["tot_jaar"] else None)
            for row in _rows("eenheid_rotterdam_lidmaatschap.csv")
        ]
        self.population: dict[tuple[str, int], tuple[int, int]] = {
            (row["gemeente_code"], int(row["jaar"])): (int(row["inwoners"]), int(row["inwoners_12_17"]))
            for row in _rows("bevolking.csv")
        }
        self.crime_codes = {row["soort_code"]: row["soort_naam"] for row in _rows("soort_misdrijf.csv")}
        self.nuisance_codes = {row["soort_code"]: row["soort_naam"] for row in _rows("soort_overlast.csv")}
        self.crime_labels = {normalise_name(name): code for code, name in self.crime_codes.items()}
        self.crime_labels.update({normalise_name(f"{code} {name}"): code for code, name in self.crime_codes.items()})
        self.nuisance_labels = {normalise_name(name): code for code, name in self.nuisance_codes.items()}
        self.districten = {row["district_code"]: row for row in _rows("districten.csv")}
        self.district_indeling = _rows("district_indeling.csv")
        self.wijken = {row["wijk_code"]: row for row in _rows("wijken_2024.csv")}
        self.indicators = [_indicator(row) for row in _rows("indicatoren.csv")]

    # -- gemeenten -----------------------------------------------------------------------------
    def gemeente(self, code: str) -> Gemeente | None:
        return self.gemeenten.get(code)

    def code_for_name(self, name: str, year: int) -> str | None:
        """The gemeente that carried this name in ``year`` (names are reused after mergers)."""
        candidates = self._by_name.get(normalise_name(name), [])
        for gemeente in candidates:
            if gemeente.exists_in(year):
                return gemeente.code
        return None

    def knows_name(self, name: str) -> bool:
        return normalise_name(name) in self._by_name

    def current_code(self, code: str) -> str:
        """Follow mergers to the gemeente that holds this area today."""
        seen = set()
        while code in self.successor and code not in seen:
            seen.add(code)
            code = self.successor[code]
        return code

    # -- region --------------------------------------------------------------------------------
    def region_name(self, region: str) -> str:
        if region == "NL":
            return "Nederland"
        return f"politie-eenheid {self.eenheden.get(region, region)}"

    def validate_region(self, region: str) -> None:
        from pipeline.errors import GvbError

        if region != "NL" and region not in self.eenheden:
            known = ", ".join(sorted(self.eenheden))
            raise GvbError(f"Onbekende regio '{region}' in GVB_REGIO; kies NL of een eenheid: {known}.")

    def region_members(self, region: str, year: int) -> set[str]:
        """GM codes that belong to ``region`` in ``year`` (the indeling of that year)."""
        if region == "NL":
            return {g.code for g in self.gemeenten.values() if g.exists_in(year)}
        if region == "RE07":
            return {code for code, start, end in self._rotterdam if start <= year and (end is None or year <= end)}
        members = set()
        for gemeente in self.gemeenten.values():
            if gemeente.exists_in(year) and self._eenheid_2023.get(self.current_code(gemeente.code)) == region:
                members.add(gemeente.code)
        return members

    @property
    def rotterdam_districts(self) -> set[str]:
        """Districts holding part of Rotterdam (its wijken); their totals include a Rotterdam share."""
        return {row["district_code"] for row in self.district_indeling if row["gebied_code"].startswith("WK0599")}

    # -- periods and population -----------------------------------------------------------------
    def inhabitants(self, code: str, year: int) -> int | None:
        value = self.population.get((code, year))
        return value[0] if value else None


def _indicator(row: dict[str, str]) -> Indicator:
    return Indicator(
        code=row["indicator_code"],
        label=row["label"],
        thema=row["thema"],
        bron=row["bron"],
        definitie=row["definitie"],
        eenheid=row["eenheid"],
        polariteit=row["polariteit"],
        noemer=row["noemer"],
        gevoeligheid=row["gevoeligheid"],
        aggregatie=row["aggregatie"],
        min_waarde=float(row["min_waarde"]) if row["min_waarde"] else None,
        max_waarde=float(row["max_waarde"]) if row["max_waarde"] else None,
        toelichting=row["toelichting"],
    )


@cache
def reference() -> Reference:
    return Reference()
