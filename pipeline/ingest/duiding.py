"""Duiding: the analysts' notes that explain a figure ("stijging cybercrime door een
registratiewijziging per 2024"), kept as an input like any delivery.

The notes live in one YAML file under ``data_raw/duiding/`` that the analyst edits by hand or with
``gvb duiding add|list|retire`` and reviews in git. Each note is a mapping::

    - id: D0001
      indicator: M_CYBERCRIME          # a code of the indicator catalogue
      gebied: alle                     # a gemeente (GM…), a district, the eenheid (RE07/NL) or alle
      perioden: 2024-01 t/m 2025-12    # one period, or the first and the last with "t/m"
      tekst: Stijging door een registratiewijziging per 2024.
      auteur: A. Analist
      datum: 2026-06-01                # when it was written
      editie: 2026H1                   # the edition it was written for
      ingetrokken: 2027H1              # optional: from this edition on it is no longer shown

Every note is checked before anything is stored or written, with the note's number and line, the
field and the rule: a known indicator, area and periods, a text of at most ``MAX_TEXT`` characters,
no HTML and nothing a spreadsheet would read as a formula. One bad note refuses the file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline.kernel.edition import EDITION_PATTERN, edition_period
from pipeline.kernel.errors import GvbError, InputError, Problem
from pipeline.kernel.files import write_atomically
from pipeline.kernel.periods import Period, parse_period
from pipeline.reference import Reference

FOLDER = "duiding"
FILE_NAME = "duiding.yaml"
MAX_TEXT = 1000
MAX_AUTHOR = 100
ALL_AREAS = "alle"
FIELDS = ("id", "indicator", "gebied", "perioden", "tekst", "auteur", "datum", "editie", "ingetrokken")
REQUIRED = FIELDS[:-1]
ID_PATTERN = re.compile(r"^D\d{4,}$")
#: text a browser would read as markup
_MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|&[a-zA-Z#][a-zA-Z0-9]*;")
#: the first characters with which a spreadsheet starts a formula
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Note:
    id: str
    indicator: str
    gebied: str
    eerste_periode: str
    laatste_periode: str
    tekst: str
    auteur: str
    datum: dt.date
    editie: str
    ingetrokken: str | None = None

    @property
    def perioden(self) -> str:
        if self.eerste_periode == self.laatste_periode:
            return self.eerste_periode
        return f"{self.eerste_periode} t/m {self.laatste_periode}"

    def as_yaml(self) -> dict[str, object]:
        """The note as the file writes it (fields in the documented order)."""
        values = asdict(self)
        values["perioden"] = self.perioden
        return {name: values[name] for name in FIELDS if name != "ingetrokken" or self.ingetrokken}


def notes_path(data: Path) -> Path:
    """Where the notes of a data folder are: ``<data>/duiding/duiding.yaml``."""
    return data / FOLDER / FILE_NAME


def is_notes_file(path: Path) -> bool:
    return path.parent.name.lower() == FOLDER and path.suffix.lower() in {".yaml", ".yml"}


def read_notes(path: Path, ref: Reference, today: dt.date) -> list[Note]:
    """Every note of the file, checked; an :class:`InputError` naming each broken rule otherwise."""
    import yaml

    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("het duidingsbestand is geen UTF-8-tekst", file=name) from None
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" op regel {mark.line + 1}" if mark is not None else ""
        raise InputError(f"het duidingsbestand is geen geldige YAML{where}", file=name) from None
    if document is None:
        return []
    if not isinstance(document, list):
        raise InputError("het duidingsbestand is een lijst van notities (elk begint met '- id: …')", file=name)
    lines = _note_lines(text)
    notes: list[Note] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(document, start=1):
        row = lines[number - 1] if number <= len(lines) else number
        note, found = check_note(raw, ref, today)
        problems += [
            Problem(p.rule, f"notitie {number}: {p.message}", row=row, column=p.column, value=p.value) for p in found
        ]
        if note is None:
            continue
        if note.id in seen:
            problems.append(
                Problem(
                    "dubbele rijen",
                    f"notitie {number}: id {note.id} staat ook bij notitie {seen[note.id]}",
                    row=row,
                    column="id",
                )
            )
        seen.setdefault(note.id, number)
        notes.append(note)
    if problems:
        raise InputError(
            f"duidingsbestand geweigerd, niets geladen ({len(problems)} fout(en))", file=name, problems=problems
        )
    return notes


def _note_lines(text: str) -> list[int]:
    """The line on which each note of the list starts (for messages)."""
    return [number for number, line in enumerate(text.splitlines(), start=1) if re.match(r"^-(\s|$)", line)]


def check_note(raw: object, ref: Reference, today: dt.date) -> tuple[Note | None, list[Problem]]:
    """One note read and checked: (the note, []) or (None, what is wrong with it)."""
    if not isinstance(raw, dict):
        return None, [Problem("schema", "een notitie is een reeks velden (id, indicator, gebied, …)")]
    problems: list[Problem] = []
    unknown = sorted(str(k) for k in raw if k not in FIELDS)
    if unknown:
        problems.append(
            Problem("schema", f"onbekend veld {', '.join(unknown)} (bekend: {', '.join(FIELDS)})", column=unknown[0])
        )
    values = {k: ("" if raw.get(k) is None else str(raw.get(k)).strip()) for k in FIELDS}
    if isinstance(raw.get("datum"), dt.date):
        values["datum"] = raw["datum"].isoformat()
    for field_name in REQUIRED:
        if not values[field_name]:
            problems.append(Problem("schema", "verplicht veld is leeg", column=field_name))
    if problems:
        return None, problems

    def wrong(rule: str, message: str, field_name: str) -> None:
        problems.append(Problem(rule, message, column=field_name, value=values[field_name][:80]))

    if not ID_PATTERN.match(values["id"]):
        wrong("codes", "een id is D gevolgd door cijfers (bv. D0001)", "id")
    if values["indicator"] not in {i.code for i in ref.indicators}:
        wrong("codes", "onbekende indicator (zie de indicatorenlijst in de Toelichting)", "indicator")
    area = values["gebied"]
    if area != ALL_AREAS and not (ref.gemeente(area) or area in ref.districten or area in ref.eenheden or area == "NL"):
        wrong(
            "codes",
            "onbekend gebied (verwacht een gemeentecode GMxxxx, een districtcode, de eenheid of 'alle')",
            "gebied",
        )
    first, last = _periods(values["perioden"], today)
    if first is None or last is None:
        wrong(
            "perioden", "onbekende perioden (verwacht bv. 2024, 2024H1, 2024-03 of '2024-01 t/m 2025-12')", "perioden"
        )
    elif last.end < first.start:
        wrong("perioden", "de laatste periode ligt vóór de eerste", "perioden")
    elif first.start > today:
        wrong("perioden", f"de perioden liggen in de toekomst (vandaag is {today.isoformat()})", "perioden")
    for field_name, limit in (("tekst", MAX_TEXT), ("auteur", MAX_AUTHOR)):
        reason = unsafe_text(values[field_name], limit)
        if reason:
            wrong("tekst", reason, field_name)
    try:
        written = dt.date.fromisoformat(values["datum"])
        if written > today:
            wrong("schema", f"de datum ligt in de toekomst (vandaag is {today.isoformat()})", "datum")
    except ValueError:
        written = None
        wrong("schema", "een datum schrijf je als JJJJ-MM-DD", "datum")
    for field_name in ("editie", "ingetrokken"):
        if values[field_name] and not _is_edition(values[field_name]):
            wrong("schema", "een editie is een eerste halfjaar (bv. 2026H1) of een heel jaar (bv. 2025)", field_name)
    if problems or first is None or last is None or written is None:
        return None, problems
    retired = values["ingetrokken"] or None
    if retired and edition_period(retired).start < edition_period(values["editie"]).start:
        wrong(
            "schema",
            f"ingetrokken vóór de editie waarvoor de notitie geschreven is ({values['editie']})",
            "ingetrokken",
        )
        return None, problems
    note = Note(
        values["id"], values["indicator"], area, first.text, last.text,
        values["tekst"], values["auteur"], written, values["editie"], retired,
    )  # fmt: skip
    return note, []


def unsafe_text(text: str, limit: int) -> str | None:
    """Why a text may not be shown or exported as it is; None when it may."""
    if len(text) > limit:
        return f"de tekst is {len(text)} tekens; het maximum is {limit}"
    if _CONTROL.search(text):
        return "de tekst bevat een stuurteken"
    if _MARKUP.search(text):
        return "de tekst bevat HTML of een entiteit ('<…>', '&…;'); schrijf gewone tekst"
    if text.startswith(_FORMULA_START):
        return f"de tekst begint met '{text[0]}': een spreadsheet leest dat als formule; begin met een woord"
    return None


def _periods(text: str, today: dt.date) -> tuple[Period | None, Period | None]:
    parts = [part.strip() for part in re.split(r"\s+t/m\s+", text, flags=re.IGNORECASE)]
    if len(parts) == 1:
        parts = parts * 2
    if len(parts) != 2:
        return None, None
    return parse_period(parts[0]), parse_period(parts[1])


def _is_edition(text: str) -> bool:
    if not EDITION_PATTERN.match(text):
        return False
    try:
        edition_period(text)
    except GvbError:
        return False
    return True


def write_notes(path: Path, notes: list[Note]) -> None:
    """The notes as the file, written at once (never half a file)."""
    import yaml

    header = (
        "# Duiding bij de cijfers van het GVB: één notitie per '- id:'. Bewerk met de hand of met\n"
        "# 'gvb duiding add|list|retire'; 'gvb ingest' controleert en laadt het bestand.\n"
    )
    body = yaml.safe_dump([note.as_yaml() for note in notes], allow_unicode=True, sort_keys=False, width=100)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, header + (body if notes else ""))


def next_id(notes: list[Note]) -> str:
    numbers = [int(note.id[1:]) for note in notes]
    return f"D{max(numbers, default=0) + 1:04d}"


def _existing(path: Path, ref: Reference, today: dt.date) -> list[Note]:
    return read_notes(path, ref, today) if path.exists() else []


def add_note(
    path: Path, ref: Reference, today: dt.date, *, indicator: str, gebied: str, perioden: str, tekst: str,
    auteur: str, editie: str,
) -> Note:  # fmt: skip
    """A new note at the end of the file; nothing is written when the note or the file is wrong."""
    notes = _existing(path, ref, today)
    raw = {
        "id": next_id(notes), "indicator": indicator, "gebied": gebied, "perioden": perioden, "tekst": tekst,
        "auteur": auteur, "datum": today, "editie": editie,
    }  # fmt: skip
    note, problems = check_note(raw, ref, today)
    if note is None:
        raise InputError("notitie niet toegevoegd", file=path.name, problems=problems)
    write_notes(path, [*notes, note])
    return note


def retire_note(path: Path, ref: Reference, today: dt.date, note_id: str, edition: str) -> Note:
    """Mark a note as no longer shown from ``edition`` on; editions published before keep it."""
    notes = _existing(path, ref, today)
    found = next((note for note in notes if note.id == note_id), None)
    if found is None:
        known = ", ".join(note.id for note in notes[:10]) or "geen"
        raise GvbError(f"notitie {note_id} staat niet in {path} (wel: {known})")
    if found.ingetrokken:
        raise GvbError(f"notitie {note_id} is al ingetrokken vanaf editie {found.ingetrokken}")
    raw = {**found.as_yaml(), "ingetrokken": edition}
    note, problems = check_note(raw, ref, today)
    if note is None:
        raise InputError(f"notitie {note_id} niet ingetrokken", file=path.name, problems=problems)
    write_notes(path, [note if n.id == note_id else n for n in notes])
    return note
