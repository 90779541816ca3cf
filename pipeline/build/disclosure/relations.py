"""The linear relations among published cells that an attacker knows (everything here follows
from the README, the reference tables in the edition and the indicator definitions).

A cell is ``(level, area_code, period, indicator_code)``. Relations:

- **gebied**: the eenheid is the sum of its gemeenten plus the part in no gemeente (``<E>-NTD``);
  a district is the sum of its gemeenten; a gemeente split over districts by its wijken (Rotterdam)
  adds a part to each of those districts and is the sum of those parts plus what has no buurt.
  Parts that are not published are cells of their own (level ``deel``), unknown to everyone.
- **indicator**: a total indicator is the sum of its largest sub-indicators when they are disjoint
  (H_VERWIJZINGEN = its six delictgroepen; M_GEWELD = zeden + moord + …; M_HIC = M_GEWELD +
  woninginbraak + straatroof + overval). When the parts do not cover the total (RIEC's theme
  "Overig", the police total 0.0.0), the total is at least their sum.
- **periode**: a year is the sum of its two half-years, for counts that add up over time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from pipeline.kernel.sources import SOURCES
from pipeline.reference import Reference

Key = tuple[str, str, str, str]  # level, area_code, period, indicator_code

#: level of a share of a split gemeente in one district, or of what has no buurt: never published
PART = "deel"
NOT_ASSIGNED = "niet toe te delen"
#: police code of "all crimes": every other code of the source lies in it
TOTAL_CODES = {"0.0.0"}
#: which contract column a source's indicator filter ranges over, per position (categorie, subcategorie)
_FILTER_COLUMNS = {"halt": ("delictgroep", None), "veiligheidshuis": ("doelgroep", None), "riec": (None, "thema")}
_REST = "<rest>"


@dataclass(frozen=True)
class Relation:
    """``total = Σ parts`` (or ``total ≥ Σ parts`` with an unpublished remainder)."""

    total: Key
    parts: tuple[Key, ...]
    remainder: bool
    kind: str  # gebied | indicator | periode
    #: the total and its parts, in that order
    members: tuple[Key, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "members", (self.total, *self.parts))

    def describe(self) -> str:
        return {"gebied": "het totaal van het gebied", "indicator": "de totaalindicator", "periode": "het jaartotaal"}[
            self.kind
        ]


def _atoms(source: str, categorie: str, subcategorie: str, all_codes: set[str]) -> set[tuple[str, str]]:
    """The smallest pieces an indicator filter counts: '*' stands for the contract's values."""
    columns = _FILTER_COLUMNS.get(source, (None, None))
    contract = SOURCES.get(source)

    def expand(value: str, position: int) -> set[str]:
        if value in TOTAL_CODES:
            return all_codes | {_REST}
        if value != "*":
            return {value}
        name = columns[position]
        values = contract.column(name).values if contract and name else None
        return set(values) if values else {_REST}

    return {(c, s) for c in expand(categorie, 0) for s in expand(subcategorie, 1)}


def families(filters: pd.DataFrame) -> list[tuple[str, tuple[str, ...], bool]]:
    """(total indicator, its largest sub-indicators, whether a remainder is unpublished), from the
    indicator filters (``ref_indicator_filters``: indicator_code, bron, categorie, subcategorie)."""
    codes_per_source: dict[str, set[str]] = {}
    for row in filters.itertuples(index=False):
        if row.categorie not in TOTAL_CODES and row.categorie != "*":
            codes_per_source.setdefault(row.bron, set()).add(row.categorie)
    atoms: dict[str, frozenset] = {}
    source_of: dict[str, str] = {}
    for row in filters.itertuples(index=False):
        pieces = _atoms(row.bron, row.categorie, row.subcategorie, codes_per_source.get(row.bron, set()))
        atoms[row.indicator_code] = atoms.get(row.indicator_code, frozenset()) | frozenset(pieces)
        source_of[row.indicator_code] = row.bron
    result = []
    for total, whole in sorted(atoms.items()):
        subs = [c for c, a in atoms.items() if c != total and source_of[c] == source_of[total] and a < whole]
        largest = [c for c in subs if not any(atoms[c] < atoms[other] for other in subs if other != c)]
        if not largest:
            continue
        union: set = set()
        disjoint = True
        for code in largest:
            disjoint = disjoint and not (union & atoms[code])
            union |= atoms[code]
        if not disjoint:  # overlapping parts give no sum relation; none of the indicators has them now
            continue
        result.append((total, tuple(sorted(largest)), union != whole))
    return result


def family_closure(seed: Iterable[str], fams: list[tuple[str, tuple[str, ...], bool]]) -> set[str]:
    """The indicators linked to ``seed`` through family relations (transitively)."""
    linked = set(seed)
    changed = True
    while changed:
        changed = False
        for total, parts, _ in fams:
            members = {total, *parts}
            if members & linked and not members <= linked:
                linked |= members
                changed = True
    return linked


def split_parts(ref: Reference) -> dict[str, set[str]]:
    """Gemeente code → the districts its wijken belong to, for gemeenten split over districts."""
    result: dict[str, set[str]] = {}
    for row in ref.district_indeling:
        code = row["gebied_code"]
        if code.startswith("WK"):
            result.setdefault(f"GM{code[2:6]}", set()).add(row["district_code"])
    return result


def rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    """The rows of ``columns`` as tuples of Python values (``itertuples`` over Arrow-backed strings
    is ten times slower: 12 s for a national edition)."""
    return list(zip(*(frame[column].tolist() for column in columns), strict=True)) if len(frame) else []


def relations(cells: pd.DataFrame, ref: Reference, filters: pd.DataFrame, additive: set[str]) -> list[Relation]:
    """All relations among ``cells`` (columns level, area_code, district_code, period, period_type,
    indicator_code). ``additive``: indicators whose year is the sum of its half-years."""
    fams = families(filters)
    present: set[Key] = set(rows(cells, ["level", "area_code", "period", "indicator_code"]))
    splits = split_parts(ref)
    out: list[Relation] = []
    levels: dict[tuple[str, str], dict[str, list[str]]] = {}
    members: dict[tuple[str, str], list[tuple[str, str | None]]] = {}
    for level, area, district, period, indicator in rows(
        cells, ["level", "area_code", "district_code", "period", "indicator_code"]
    ):
        levels.setdefault((indicator, period), {}).setdefault(level, []).append(area)
        if level == "gemeente":
            members.setdefault((indicator, period), []).append((area, district if isinstance(district, str) else None))
    for (indicator, period), at_levels in levels.items():
        _area_relations(out, present, members.get((indicator, period), []), indicator, period, at_levels, splits)
    # families at every area (published rows and the unpublished parts of split gemeenten)
    areas = {(k[0], k[1], k[2]) for k in present} | {
        (r.parts[i][0], r.parts[i][1], r.parts[i][2]) for r in out for i in range(len(r.parts)) if r.parts[i][0] == PART
    }
    # an indicator whose eenheid figure is the source's own total (one police code) has a part in no
    # gemeente; one of several codes has not (its eenheid is the sum of its gemeenten): their eenheid
    # figures then do not add up as the indicators do, only their gemeenten do
    own_total = {(k[3], k[2]) for k in present if k[0] == NOT_ASSIGNED and k[1].endswith("-NTD")}
    for level, area, period in sorted(areas):
        for total, parts, remainder in fams:
            total_key = (level, area, period, total)
            part_keys = tuple((level, area, period, p) for p in parts)
            if level != PART and total_key not in present and not any(k in present for k in part_keys):
                continue
            if level == "eenheid" and len({(code, period) in own_total for code in (total, *parts)}) > 1:
                continue
            out.append(Relation(total_key, part_keys, remainder, "indicator"))
    # half-years add up to the year
    by_series: dict[tuple[str, str, str], set[str]] = {}
    for level, area, period, indicator in present | {k for r in out for k in r.members}:
        if indicator in additive:
            by_series.setdefault((level, area, indicator), set()).add(period)
    for (level, area, indicator), periods in sorted(by_series.items()):
        for period in sorted(periods):
            if len(period) == 4 and {f"{period}H1", f"{period}H2"} <= periods:
                out.append(
                    Relation(
                        (level, area, period, indicator),
                        ((level, area, f"{period}H1", indicator), (level, area, f"{period}H2", indicator)),
                        False,
                        "periode",
                    )
                )
    return out


def _area_relations(
    out: list[Relation],
    present: set[Key],
    members: list[tuple[str, str | None]],
    indicator: str,
    period: str,
    at_levels: dict[str, list[str]],
    splits: dict[str, set[str]],
) -> None:
    def key(level: str, area: str) -> Key:
        return (level, area, period, indicator)

    not_assigned = [a for a in at_levels.get(NOT_ASSIGNED, []) if a.endswith("-NTD")]
    for eenheid in at_levels.get("eenheid", []):
        parts = [key("gemeente", g) for g, _ in members] + [key(NOT_ASSIGNED, a) for a in not_assigned]
        out.append(Relation(key("eenheid", eenheid), tuple(parts), False, "gebied"))
    for district in at_levels.get("district", []):
        parts = [key("gemeente", g) for g, d in members if d == district]
        parts += [key(PART, f"{g}>{district}") for g, d in members if d is None and district in splits.get(g, ())]
        out.append(Relation(key("district", district), tuple(parts), False, "gebied"))
    districts = set(at_levels.get("district", []))
    for gemeente, district in members:
        if district is not None or gemeente not in splits:
            continue
        shares = [key(PART, f"{gemeente}>{d}") for d in sorted(splits[gemeente] & districts)]
        no_buurt = key(NOT_ASSIGNED, f"{gemeente}-ZB")
        if no_buurt not in present:
            no_buurt = key(PART, f"{gemeente}>zonder buurt")
        out.append(Relation(key("gemeente", gemeente), (*shares, no_buurt), False, "gebied"))
