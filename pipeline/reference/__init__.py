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
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
#: the first year whose gemeentelijke indeling the reference data know (every code in use since)
FIRST_YEAR = 2012
#: bevolking.csv: inhabitants on 1 January of ``jaar``; ``geschat`` = 1 when the figure is the count of an
#: earlier year (``peiljaar``) carried forward, ``bron`` says where the figure comes from
POPULATION_COLUMNS = ["gemeente_code", "jaar", "inwoners", "inwoners_12_17", "geschat", "peiljaar", "bron"]
POPULATION_SOURCE = "CBS 37230ned"


def carried_forward(year: int, source: str = POPULATION_SOURCE) -> str:
    """The ``bron`` of an estimate: the newest count, of 1 January ``year``, carried forward."""
    return f"geschat: {source} van 1 januari {year} doorgetrokken"


#: labels in StatLine exports that are totals or unassignable, never a gemeente
_TOTAL_LABELS = {
    "nederland",
    "buitenland",
    "gemeenten; niet in te delen",
    "gemeenten niet in te delen",
    "niet in te delen",
    "niet-gemeentelijk ingedeeld",
    "onbekend",
    "totaal",
}
#: prefixes of region names that are not gemeenten ("Politie-eenheid Rotterdam", "Provincie Utrecht");
#: compared after normalise_name, so "Politie eenheid" and "politie-eenheid" are the same
_EENHEID_PREFIXES = ("politie-eenheid", "regionale eenheid")
_TOTAL_PREFIXES = (*_EENHEID_PREFIXES, "landsdeel", "provincie")
#: suffixes StatLine puts after names of regions that are not gemeenten: "Rotterdam (RE)", "Utrecht (PV)",
#: also with the code ("Rotterdam (RE07)", "Zuid-Holland (PV28)")
_TOTAL_SUFFIX = re.compile(r"\((re|pv|ld|vr|cr|po|rpe|ggd|bt|di)\s*\d*\)$", re.IGNORECASE)


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
    #: a target the field itself sets (Burgernet: 10 % of inhabitants take part), in the indicator's unit
    streefwaarde: float | None = None
    streefwaarde_bron: str = ""

    @property
    def sensitive(self) -> bool:
        return self.gevoeligheid == "gevoelig"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def normalise_name(name: str) -> str:
    """Compare gemeente names the way a person would: case, accents, spacing, hyphens, quotes and
    the dots of abbreviations ignored; "a/d" read as "aan den"."""
    # typographic apostrophes first: the ASCII fold below would drop them ('’s-Gravenhage')
    text = re.sub(r"[\u2018\u2019\u201b\u00b4\u0060]", "'", name)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.strip().lower()
    text = re.sub(r"\s+\(gemeente\)$", "", text)
    text = re.sub(r"^gem(eente|\.)\s*", "", text)  # "Gemeente Dordrecht", "Gem. Dordrecht"
    text = re.sub(r"\ba/d\b", "aan den", text)
    text = text.replace(".", "").replace("-", " ")
    return re.sub(r"\s+", " ", text).strip()


def category_key(value: str) -> str:
    """Compare category spellings the way a person would: case, accents, spaces, dashes, "jaar" and
    "t/m" ignored ("12 t/m 14 jaar" is "12-14")."""
    text = re.sub(r"\s*(t/m|tot en met|[\u2013\u2014-])\s*", "-", value.lower())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"\bjaar\b", "", text)
    return re.sub(r"[\s.]+", "", text)


def is_total_label(name: str) -> bool:
    """True for region-total or unassignable rows in StatLine exports ("Rotterdam (RE)", "Nederland",
    "Niet-gemeentelijk ingedeeld", "Politie-eenheid Rotterdam")."""
    text = name.strip()
    normalised = normalise_name(text)
    return normalised in _TOTAL_KEYS or normalised.startswith(_TOTAL_PREFIX_KEYS) or bool(_TOTAL_SUFFIX.search(text))


_TOTAL_KEYS = frozenset(normalise_name(label) for label in _TOTAL_LABELS)
_TOTAL_PREFIX_KEYS = tuple(normalise_name(prefix) + " " for prefix in _TOTAL_PREFIXES)
_EENHEID_PREFIX_KEYS = tuple(normalise_name(prefix) + " " for prefix in _EENHEID_PREFIXES)


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
        #: ceased code -> [(successor, share)]: one successor with share 1, or a split
        self.successors: dict[str, list[tuple[str, float]]] = {}
        self.merger_year: dict[str, int] = {}
        for row in _rows("herindelingen.csv"):
            self.successors.setdefault(row["oud_code"], []).append((row["nieuw_code"], float(row["aandeel"])))
            self.merger_year[row["oud_code"]] = int(row["jaar"])
        #: ceased code -> its main successor (the largest share), for messages
        self.successor: dict[str, str] = {
            old: max(parts, key=lambda part: part[1])[0] for old, parts in self.successors.items()
        }
        #: the name a reader knows: CBS's name without "(gemeente)", and without the province
        #: ("Rijswijk (ZH.)" → "Rijswijk") unless another gemeente has the same name (Bergen (NH.), Bergen (L.))
        bare = {code: re.sub(r"\s*\((gemeente|[A-Z]{1,2}\.)\)$", "", g.naam) for code, g in self.gemeenten.items()}
        counts: dict[str, int] = {}
        for name in bare.values():
            counts[name] = counts.get(name, 0) + 1
        self.display_names: dict[str, str] = {
            code: bare[code] if counts[bare[code]] == 1 or g.naam.endswith("(gemeente)") else g.naam
            for code, g in self.gemeenten.items()
        }
        self._by_name: dict[str, list[Gemeente]] = {}
        for gemeente in self.gemeenten.values():
            self._by_name.setdefault(normalise_name(gemeente.naam), []).append(gemeente)
        #: other spellings people use ("Den Haag", "Bergen (NH)"), each naming exactly one gemeente code
        self.aliases: dict[str, str] = {}
        for row in _rows("gemeente_aliassen.csv"):
            self.aliases[normalise_name(row["alias"])] = row["gemeente_code"]
        #: (bron, kolom) → spelling key → the contract's value (categorie_aliassen.csv, reviewed by hand)
        self.category_aliases: dict[tuple[str, str], dict[str, str]] = {}
        for row in _rows("categorie_aliassen.csv"):
            spellings = self.category_aliases.setdefault((row["bron"], row["kolom"]), {})
            spellings[category_key(row["schrijfwijze"])] = row["waarde"]
        self.eenheden = {row["eenheid_code"]: row["eenheid_naam"] for row in _rows("eenheden.csv")}
        self._eenheid_2023 = {row["gemeente_code"]: row["eenheid_code"] for row in _rows("gemeente_eenheid_2023.csv")}
        self._rotterdam = [
            (row["gemeente_code"], int(row["van_jaar"]), int(row["tot_jaar"]) if row["tot_jaar"] else None)
            for row in _rows("eenheid_rotterdam_lidmaatschap.csv")
        ]
        population = _rows("bevolking.csv")
        self.population: dict[tuple[str, int], tuple[int, int]] = {
            (row["gemeente_code"], int(row["jaar"])): (int(row["inwoners"]), int(row["inwoners_12_17"]))
            for row in population
        }
        #: for each figure: the year of the 1 January count it is, and where it comes from
        self.population_basis: dict[tuple[str, int], tuple[int, str]] = {
            (row["gemeente_code"], int(row["jaar"])): (int(row["peiljaar"]), row["bron"]) for row in population
        }
        self.crime_codes = {row["soort_code"]: row["soort_naam"] for row in _rows("soort_misdrijf.csv")}
        self.nuisance_codes = {row["soort_code"]: row["soort_naam"] for row in _rows("soort_overlast.csv")}
        self.crime_labels = {normalise_name(name): code for code, name in self.crime_codes.items()}
        self.crime_labels.update({normalise_name(f"{code} {name}"): code for code, name in self.crime_codes.items()})
        # CBS 83648NED's crime groups (key CRI1000 = "1 Vermogensmisdrijven"), delivered as police figures
        self.cbs_crime_numbers: dict[str, str] = {}
        for row in _rows("soort_misdrijf_cbs.csv"):
            self.crime_codes[row["soort_code"]] = row["soort_naam"]
            title = f"{row['nummer']} {row['soort_naam']}".strip()
            self.crime_labels[normalise_name(title)] = row["soort_code"]
            if row["nummer"]:
                self.cbs_crime_numbers[row["nummer"]] = row["soort_code"]
        self.nuisance_labels = {normalise_name(name): code for code, name in self.nuisance_codes.items()}
        #: labels in incident-level files ("Woninginbraak", "Fietsdiefstal") -> police code
        self.incident_labels = {
            normalise_name(r["omschrijving"]): r["soort_code"] for r in _rows("incident_soorten.csv")
        }
        #: PC4 -> gemeente (indeling 2023), for incident files with only a postcode
        self.postcodes = {r["pc4"]: r["gemeente_code"] for r in _rows("postcode_gemeente.csv")}
        self.districten = {row["district_code"]: row for row in _rows("districten.csv")}
        self.district_indeling = _rows("district_indeling.csv")
        self.wijken = {row["wijk_code"]: row for row in _rows("wijken_2024.csv")}
        self.indicators = [_indicator(row) for row in _rows("indicatoren.csv")]

    # -- gemeenten -----------------------------------------------------------------------------
    def gemeente(self, code: str) -> Gemeente | None:
        return self.gemeenten.get(code)

    def code_for_name(self, name: str, year: int) -> str | None:
        """The gemeente that carried this name in ``year`` (names are reused after mergers)."""
        key = normalise_name(name)
        candidates = list(self._by_name.get(key, []))
        if key in self.aliases:
            candidates.append(self.gemeenten[self.aliases[key]])
        for gemeente in candidates:
            if gemeente.exists_in(year):
                return gemeente.code
        return None

    def category_value(self, source: str, column: Any, text: str) -> str | None:
        """The contract value (``column.values``) a spelling stands for, also via the reviewed
        alias list; None when it is no known value."""
        key = category_key(text)
        for value in column.values:
            if category_key(value) == key:
                return value
        return self.category_aliases.get((source, column.name), {}).get(key)

    def knows_name(self, name: str) -> bool:
        key = normalise_name(name)
        return key in self._by_name or key in self.aliases

    def closest_name(self, name: str, year: int) -> str | None:
        """The name of the gemeente of ``year`` that looks most like ``name`` (for a suggestion)."""
        import difflib

        names = {normalise_name(g.naam): g.naam for g in self.gemeenten.values() if g.exists_in(year)}
        match = difflib.get_close_matches(normalise_name(name), list(names), n=1, cutoff=0.6)
        return names[match[0]] if match else None

    def current_code(self, code: str) -> str:
        """Follow mergers to the gemeente that holds (most of) this area today."""
        seen = set()
        while code in self.successor and code not in seen:
            seen.add(code)
            code = self.successor[code]
        return code

    def current_shares(self, code: str, until_year: int | None = None) -> dict[str, float]:
        """The gemeenten that hold this area now (or on 1 January of ``until_year``), with the
        share of it each holds: one code with share 1, or several after a split."""
        shares: dict[str, float] = {}

        def follow(current: str, share: float, depth: int) -> None:
            parts = self.successors.get(current)
            if not parts or depth > 10 or (until_year is not None and self.merger_year[current] > until_year):
                shares[current] = shares.get(current, 0.0) + share
                return
            for successor, part in parts:
                follow(successor, share * part, depth + 1)

        follow(code, 1.0, 0)
        return shares

    def crime_code_for_label(self, label: str) -> str | None:
        """The code of a crime type as a table labels it: a police label ("1.1.1 Diefstal/inbraak
        woning", "Totaal misdrijven") or a CBS group ("Misdrijven, totaal", "1 Vermogensmisdrijven";
        CBS spells some groups differently per table, "7 (Vuur)wapenmisdrijven", so its number decides)."""
        code = self.crime_labels.get(normalise_name(label))
        if code is not None:
            return code
        first = label.strip().split(" ", 1)[0]
        return first if first in self.crime_codes else self.cbs_crime_numbers.get(first)

    def crime_code_for_incident(self, label: str) -> str | None:
        """The police code of an incident's label: "Woninginbraak" and "Poging tot woninginbraak"
        are 1.1.1 (police codes include attempts), "Fietsdiefstal" 1.2.3, or any police label."""
        key = normalise_name(label)
        key = key.removeprefix("poging tot ").removeprefix("poging ")
        return self.incident_labels.get(key) or self.crime_code_for_label(key)

    def region_total_code(self, label: str) -> str | None:
        """The region a total row stands for: "Nederland" -> NL, "Rotterdam (RE)", "Rotterdam (RE07)"
        or "Politie-eenheid Rotterdam" -> RE07; None for other aggregates."""
        key = normalise_name(label)
        if key == "nederland":
            return "NL"
        by_name = {normalise_name(name): code for code, name in self.eenheden.items()}
        match = re.fullmatch(r"(.+?)\s*\(re\s*(\d{2})?\)", key)
        if match:
            code = f"RE{match.group(2)}" if match.group(2) else by_name.get(match.group(1))
            return code if code in self.eenheden else None
        prefix = next((p for p in _EENHEID_PREFIX_KEYS if key.startswith(p)), None)
        return by_name.get(key[len(prefix) :]) if prefix else None

    # -- region --------------------------------------------------------------------------------
    def region_name(self, region: str) -> str:
        if region == "NL":
            return "Nederland"
        return f"politie-eenheid {self.eenheden.get(region, region)}"

    def validate_region(self, region: str) -> None:
        from pipeline.kernel.errors import GvbError

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
            if gemeente.exists_in(year) and any(
                self._eenheid_2023.get(current) == region for current in self.current_shares(gemeente.code)
            ):
                members.add(gemeente.code)
        return members

    def same_region_as_now(self, region: str, year: int, now: int) -> bool:
        """True when the region of ``year`` covers exactly the area it covers in ``now`` (so a
        table's own eenheid total of that year is the eenheid of today's indeling too)."""
        then = {current for code in self.region_members(region, year) for current in self.current_shares(code, now)}
        return then == self.region_members(region, now)

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
        streefwaarde=float(row["streefwaarde"]) if row.get("streefwaarde") else None,
        streefwaarde_bron=row.get("streefwaarde_bron") or "",
    )


@cache
def reference() -> Reference:
    return Reference()
