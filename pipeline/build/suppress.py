"""Suppression of sensitive small numbers, enforced in the marts (DESIGN §5).

Primary: a sensitive indicator's count of 1-4 is never published, at gemeente, district or eenheid
level, nor the part of a source's own eenheid total that is in no gemeente ('niet toe te delen').
Secondary: everything published is one table with all its linear relations (gemeente ⊂ district ⊂
eenheid, sub-indicators ⊂ their total indicator, H1 + H2 = year, wijk parts ⊂ a split gemeente;
see ``pipeline.build.disclosure.relations``). After the primary suppressions the audit
(``pipeline.build.disclosure.audit``) computes for every hidden cell the tightest interval an attacker
can derive; while one is too narrow, one more published cell in a relation with it is hidden (the
cheapest: a partner figure before a police figure, a gemeente before a district before the eenheid,
the smallest figure that is not small itself). This repeats until every hidden cell is protected.
Reads ``int_indicator_basis``, writes ``int_suppression``.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable

import duckdb
import pandas as pd

from pipeline.build.disclosure.audit import SPAN, audit, solver_pool
from pipeline.build.disclosure.relations import PART, Key, Relation, rows
from pipeline.build.disclosure.table import KEY_COLUMNS, VERDICT_TABLE, cells_in_scope, checksum, scope
from pipeline.kernel.config import settings
from pipeline.kernel.errors import GvbError

SMALL = (1, 4)
PRIMARY = "klein aantal (1-4)"
_LEVEL_COST = {"gemeente": 0, "niet toe te delen": 1, "district": 1, "eenheid": 2}
COLUMNS = ["level", "area_code", "period", "indicator_code", "suppressed", "reason"]


def _cost(key: Key, value: float, sensitive: set[str]) -> tuple:
    size = (0, value) if value >= SPAN else ((1, -value) if value > 0 else (2, 0))
    return (key[3] not in sensitive, _LEVEL_COST.get(key[0], 1), size, key)


def _room(relation: Relation, known: dict[Key, float]) -> float:
    """How far the hidden cells of a relation can move on their own: when they are all on one side
    (all parts, or the total alone) they add up to a published amount; otherwise unbounded here."""
    hidden_parts = [key for key in relation.parts if key not in known]
    total_hidden = relation.total not in known
    if hidden_parts and total_hidden:
        return float("inf")
    if total_hidden:
        return float("inf") if relation.remainder else sum(known[key] for key in relation.parts)
    return known[relation.total] - sum(known.get(key, 0.0) for key in relation.parts)


def _complement(
    cell: Key,
    touching: dict[Key, list[Relation]],
    known: dict[Key, float],
    sensitive: set[str],
    binding: tuple[Relation, ...] = (),
) -> tuple[Key, Relation] | None:
    """A published cell to hide beside ``cell``: in the relations that pin it down (``binding``, from
    the audit), the cheapest; else in its own relation with the least room; else further out."""

    def exposed(key: Key) -> int:
        """Relations in which ``key`` would be the only hidden cell: each asks for another complement."""
        return sum(
            1
            for relation in touching.get(key, [])
            if all(other in known or other[0] == PART for other in relation.members if other != key)
        )

    def options(relations: list[Relation]) -> list[tuple[tuple, Key, Relation]]:
        return [
            ((exposed(key), *_cost(key, known[key], sensitive)), key, relation)
            for relation in relations
            for key in relation.members
            if key in known and key[0] != PART
        ]

    if found := options(list(binding)):
        _, key, relation = min(found, key=lambda option: option[:2])
        return key, relation
    own = touching.get(cell, [])
    for relation in sorted(own, key=lambda r: _room(r, known)):
        if _room(relation, known) == float("inf"):
            break
        if found := options([relation]):
            _, key, relation = min(found, key=lambda option: option[:2])
            return key, relation
    seen_cells, frontier = {cell}, [cell]
    while frontier:
        found = options([relation for current in frontier for relation in touching.get(current, [])])
        if found:
            _, key, relation = min(found, key=lambda option: option[:2])
            return key, relation
        following = {
            key
            for current in frontier
            for relation in touching.get(current, [])
            for key in relation.members
            if key not in seen_cells
        }
        seen_cells |= following
        frontier = sorted(following)
    return None


def _exposed(key: Key, touching: dict[Key, list[Relation]], known: dict[Key, float]) -> int:
    """Relations in which ``key``, a published cell, would be the only unknown cell: each asks for
    another complement. (``key`` is known itself, so: the relations whose every cell is known.)"""
    assert key in known
    return sum(1 for relation in touching.get(key, []) if all(map(known.__contains__, relation.members)))


def _violated(relation: Relation, known: dict[Key, float], hidden: dict[Key, str]) -> bool:
    """The quick test of one relation with a hidden cell: its unknown cells, all on one side, can
    move less than SPAN, or one unknown cell alone equals a published amount."""
    if hidden.keys().isdisjoint(relation.members):  # a hidden cell is never a known one
        return False
    unknown = [key for key in relation.members if key not in known]
    room = _room(relation, known)
    if room == float("inf"):
        return False
    return room < SPAN or (len(unknown) == 1 and not relation.remainder)


def _settle_locally(
    reason: dict[Key, str],
    rels: list[Relation],
    known: dict[Key, float],
    touching: dict[Key, list[Relation]],
    sensitive: set[str],
) -> None:
    """Hide cells until no relation fails the quick test (fast; the audit then checks the whole)."""
    queue = deque(rels)
    while queue:
        relation = queue.popleft()
        if not _violated(relation, known, reason):
            continue
        room = max(_room(relation, known), 0.0)
        options = [key for key in relation.members if key in known and key[0] != PART]
        if not options:
            continue
        enough = [key for key in options if known[key] > 0 and room + known[key] >= SPAN]
        key = min(
            enough or options,
            key=lambda k: (
                _exposed(k, touching, known),
                k[3] not in sensitive,
                _LEVEL_COST.get(k[0], 1),
                known[k] if enough else -known[k],
                k,
            ),
        )
        reason[key] = f"aanvullend afgeschermd (anders af te leiden uit {relation.describe()})"
        del known[key]
        queue.extend(touching.get(key, []))
        queue.append(relation)


def choose(
    values: dict[Key, float], primary: Iterable[Key], rels: list[Relation], sensitive: set[str]
) -> dict[Key, str]:
    """Hidden cell → reason: the primary cells, plus complements until the audit passes."""
    reason = dict.fromkeys(primary, PRIMARY)
    touching: dict[Key, list[Relation]] = {}
    for relation in rels:
        for key in relation.members:
            touching.setdefault(key, []).append(relation)
    known = {key: value for key, value in values.items() if key not in reason}
    _settle_locally(reason, rels, known, touching, sensitive)
    check: list[Key] | None = None  # the first audit covers every hidden cell
    with solver_pool() as pool:
        while True:
            intervals, broken = audit(rels, known, reason, only=check, touching=touching, pool=pool)
            if broken:
                first = broken[0].relation
                raise GvbError(
                    f"onderdrukking: {len(broken)} betrekking(en) kloppen niet met de cijfers, bv. {first.total} = "
                    f"som van {len(first.parts)} delen (verschil {broken[0].difference:g}); controleer de marts"
                )
            failing = sorted(iv.cell for iv in intervals.values() if not iv.protected)
            if not failing:
                return reason
            binding = {iv.cell: iv.binding for iv in intervals.values() if not iv.protected}
            before = set(reason)
            used: set[int] = set()
            for cell in failing:
                if any(id(relation) in used for relation in (*touching.get(cell, []), *binding[cell])):
                    continue  # a complement was just added beside it; audit again first
                found = _complement(cell, touching, known, sensitive, binding[cell])
                if found is None:
                    continue
                key, relation = found
                reason[key] = f"aanvullend afgeschermd (anders af te leiden uit {relation.describe()})"
                del known[key]
                used |= {id(r) for r in touching.get(key, [])} | {id(r) for r in binding[cell]}
            if not used:
                raise GvbError(f"onderdrukking: {failing[0]} blijft af te leiden en er is niets meer om af te schermen")
            added = [key for key in reason if key not in before]
            _settle_locally(reason, [r for key in added for r in touching.get(key, [])], known, touching, sensitive)
            check = failing + [key for key in reason if key not in before]


def compute(basis: pd.DataFrame, filters: pd.DataFrame, indicators: pd.DataFrame) -> tuple[pd.DataFrame, str, int]:
    """The suppressions (``int_suppression`` rows), the checksum of the table they make (what
    publish compares with) and the number of hidden cells the audit passed."""
    cells, rels, sensitive = scope(basis, filters, indicators)
    keys = rows(cells, KEY_COLUMNS)
    values = {key: float(value) for key, value in zip(keys, cells["value"], strict=True) if value == value}
    primary = [key for key, value in values.items() if key[3] in sensitive and SMALL[0] <= value <= SMALL[1]]
    reason = choose(values, primary, rels, sensitive) if primary else {}
    hidden = pd.Series([key in reason for key in keys], index=cells.index)
    result = pd.DataFrame([(*key, True, text) for key, text in reason.items()], columns=COLUMNS)
    return result, checksum(cells, cells["value"], hidden), len(reason)


def _cached(basis: pd.DataFrame, filters: pd.DataFrame, indicators: pd.DataFrame) -> tuple[pd.DataFrame, str, int]:
    """``compute``, remembered in the cache folder (``$GVB_CACHE``, standard ``$GVB_HOME/bouw/cache``)
    by the checksum of its input: a rebuild of the same figures (publish after build, a refresh
    whose validation failed) does not search again."""
    cells = cells_in_scope(basis, filters, indicators)
    key = checksum(cells, cells["value"], pd.Series(False, index=cells.index))
    folder = settings().cache
    path = folder / f"afscherming-{key}.parquet"
    if path.exists():
        try:
            cached = pd.read_parquet(path)
            return cached[COLUMNS], str(cached.attrs.get("checksum", "")), int(cached.attrs.get("gecontroleerd", 0))
        except (OSError, ValueError, KeyError):
            path.unlink(missing_ok=True)
    result, verdict, audited = compute(basis, filters, indicators)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staged = path.with_suffix(f".{os.getpid()}.tmp")  # processes sharing a cache never share a half file
        stored = result.copy()
        stored.attrs = {"checksum": verdict, "gecontroleerd": audited}
        stored.to_parquet(staged, index=False)
        staged.replace(path)
    except OSError:
        pass  # a cache that cannot be written only costs time
    return result, verdict, audited


def apply(con: duckdb.DuckDBPyConnection) -> None:
    basis = con.execute(
        "select level, area_code, district_code, period, period_type, indicator_code, value from int_indicator_basis"
    ).df()
    filters = con.execute("select * from ref_indicator_filters").df()
    indicators = con.execute("select indicator_code, gevoeligheid, aggregatie from ref_indicatoren").df()
    result, verdict, audited = _cached(basis, filters, indicators)
    con.register("onderdrukking", result)
    con.execute(
        "create or replace table int_suppression as "
        "select level::varchar as level, area_code::varchar as area_code, period::varchar as period, "
        "indicator_code::varchar as indicator_code, suppressed::boolean as suppressed, reason::varchar as reason "
        "from onderdrukking"
    )
    con.unregister("onderdrukking")
    con.execute(
        f"create or replace table {VERDICT_TABLE} as select ?::varchar as checksum, ?::integer as gecontroleerd",
        [verdict, audited],
    )
