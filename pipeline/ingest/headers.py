"""Which source a header belongs to: every delivery format's reader, and the spreadsheet layouts,
match a row of column names against the sources' contracts here."""

from __future__ import annotations

from pipeline.ingest.incidents import incident_columns
from pipeline.kernel.errors import InputError, Problem
from pipeline.kernel.sources import SOURCES, Source

#: title lines above a header: at most this many are looked through
MAX_HEADER_SCAN = 30


def map_header(headers: list[str], source: Source) -> tuple[dict[int, str], list[str], list[str]]:
    """Column index → canonical name, plus unknown headers and missing required columns."""
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    for index, header in enumerate(headers):
        name = next((c.name for c in source.columns if c.accepts(header)), None)
        if name is None or name in mapping.values():
            unknown.append(header)
        else:
            mapping[index] = name
    have = set(mapping.values()) | ({"gemeente_code"} if "gemeente_naam" in mapping.values() else set())
    missing = [c.name for c in source.required if c.name not in have]
    return mapping, unknown, missing


def header_score(headers: list[str], source: Source) -> int:
    mapping, unknown, missing = map_header(headers, source)
    return len(mapping) - len(missing) - len(unknown)


def match_header(
    headers: list[str], file: str, hint: str | None, row: int | None = None
) -> tuple[Source, dict[int, str]]:
    """The source whose contract these headers fulfil, or a clear error naming what is wrong."""
    headers = [h.strip() if isinstance(h, str) else "" for h in headers]
    candidates = [SOURCES[hint]] if hint else list(SOURCES.values())
    complete = []
    for source in candidates:
        mapping, unknown, missing = map_header(headers, source)
        if not unknown and not missing:
            complete.append((source, mapping))
    if complete:
        return complete[0]
    found = ", ".join(repr(h) for h in headers[:12]) or "geen"
    ranked = sorted(candidates, key=lambda s: -header_score(headers, s))
    best = ranked[0]
    mapping, unknown, missing = map_header(headers, best)
    # another contract (not a twin with the same columns, like misdrijven and incidenten)
    others = [s for s in ranked[1:] if {c.name for c in s.columns} != {c.name for c in best.columns}]
    clear = (
        len(missing) + len(unknown) <= 2
        and sum(best.column(n).required for n in mapping.values()) >= 2
        and (not others or header_score(headers, others[0]) < header_score(headers, best))
    )
    if not hint and not clear:
        # no folder says which source this is: show what was seen and what the nearest contracts miss,
        # never one source as if it were the answer
        nearest = [best, *others[:1]]
        lines = []
        for source in nearest:
            _, unknown, missing = map_header(headers, source)
            parts = []
            if missing:
                parts.append("mist " + ", ".join(missing))
            if unknown:
                parts.append("kent niet " + ", ".join(repr(h or "(lege kop)") for h in unknown[:6]))
            lines.append(Problem("schema", f"bron {source.name} ({source.label}): " + "; ".join(parts), row=row))
        advice = "zet het bestand in de map van zijn bron of geef --bron"
        if incident_columns(headers):
            advice = "dit lijkt een bestand met één rij per incident: geef --bron politie_misdrijven om het te tellen"
        raise InputError(
            f"onbekend formaat: de kolomkoppen passen bij geen enkele bron (gevonden: {found}); "
            f"{advice}; zie README, 'Aanleverformaten'",
            file=file,
            problems=lines,
        )
    if not any(best.column(name).required for name in mapping.values()):
        raise InputError(
            f"de kolomkoppen passen niet bij bron {best.name} (gevonden: {found}); zie README, 'Aanleverformaten'",
            file=file,
        )
    problems = []
    for header in unknown:
        shown = header if header else "(lege kolomnaam)"
        problems.append(Problem("schema", f"onbekende of dubbele kolom '{shown}' voor bron {best.name}", row=row))
    for name in missing:
        column = best.column(name)
        names = ", ".join(repr(a) for a in dict.fromkeys((column.name, *column.aliases[:3])))
        problems.append(Problem("schema", f"verplichte kolom ontbreekt: {name} (bijvoorbeeld {names})", row=row))
    raise InputError(f"de kolommen kloppen niet met het formaat van bron {best.name}", file=file, problems=problems)


def find_header_row(rows: list[list[str]], hint: str | None) -> int | None:
    """Index of the first row that looks like a header of some source (title lines may precede it)."""
    candidates = [SOURCES[hint]] if hint else list(SOURCES.values())
    for index, row in enumerate(rows[:MAX_HEADER_SCAN]):
        cells = [c for c in row if isinstance(c, str) and c.strip()]
        if len(cells) < 2:
            continue
        if hint == "politie_misdrijven" and incident_columns(row):
            return index
        for source in candidates:
            mapping, _, _ = map_header([c if isinstance(c, str) else "" for c in row], source)
            if len(mapping) >= 2:
                return index
    return None
