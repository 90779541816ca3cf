"""Incident-level police files: one row per incident (date, gemeente or postcode, what happened),
counted at ingest into the rows of the police contract, per month × gemeente × crime code.

Read only when the analyst says the file is police crime (``gvb ingest --bron politie_misdrijven``
or the folder ``data_raw/politie_misdrijven/``): a file of incidents looks like nothing else.
Labels ("Woninginbraak", "Poging tot woninginbraak") become police codes through
``reference/data/incident_soorten.csv`` and the police code list; an unknown label refuses the file.
Rows that are exactly alike are counted as delivered (two bicycles can be stolen on one day in one
street) and reported, so the analyst can check them with the partner.
"""

from __future__ import annotations

import pandas as pd

from pipeline.ingest.parsed import Parsed
from pipeline.kernel.errors import InputError, Problem
from pipeline.kernel.periods import today
from pipeline.kernel.sources import SOURCES, Column
from pipeline.reference import reference

MAX_PROBLEMS = 20

#: the columns of an incident file, by role; the first matching header wins per role
ROLES = {
    "datum": Column("datum", "date", ("pleegdatum", "incidentdatum", "datum incident", "datum", "begindatum",
                                      "pleegdatum begin", "registratiedatum", "meldingsdatum")),
    "omschrijving": Column("omschrijving", "text", ("omschrijving", "incident", "incidentsoort", "soort", "feit",
                                                    "delict", "maatschappelijke klasse", "mk omschrijving")),
    "gemeente_code": Column("gemeente_code", "gemeente", ("gemeentecode", "gemeente code", "cbs code", "gm code")),
    "gemeente": Column("gemeente", "text", ("gemeente", "gemeentenaam", "naam gemeente")),
    "postcode": Column("postcode", "text", ("postcode", "pc4", "pc")),
}  # fmt: skip


def incident_columns(header: list[str]) -> dict[str, int] | None:
    """Role -> column index when ``header`` is that of an incident file (a date, a label and a place)."""
    found: dict[str, int] = {}
    for role, column in ROLES.items():
        for alias in column.aliases:  # in order of preference
            index = next((i for i, h in enumerate(header) if isinstance(h, str) and Column(alias, "").accepts(h)), None)
            if index is not None:
                found[role] = index
                break
    places = {"gemeente_code", "gemeente", "postcode"} & set(found)
    return found if {"datum", "omschrijving"} <= set(found) and places else None


def _dates(values: pd.Series) -> pd.Series:
    """ISO dates (2024-03-02) or Dutch ones (2-3-2024, 02/03/2024), with or without a time."""
    text = values.str.strip().str.split(" ").str[0]
    parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    for form in ("%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d"):
        parsed = parsed.fillna(pd.to_datetime(text, format=form, errors="coerce"))
    return parsed


def count_incidents(frame: pd.DataFrame, columns: dict[str, int], name: str, demo: bool, fmt: str) -> Parsed:
    """Count a frame of incident rows (text cells, ``bron_rij``) per month, gemeente and police code."""
    ref = reference()
    header = list(frame.columns)
    cells = {role: frame.iloc[:, index].astype("string").fillna("").str.strip() for role, index in columns.items()}
    problems: list[Problem] = []

    def refuse(mask: pd.Series, role: str, message: str) -> None:
        shown = zip(frame.loc[mask, "bron_rij"].head(MAX_PROBLEMS), cells[role][mask].head(MAX_PROBLEMS), strict=True)
        for row, value in shown:
            problems.append(Problem("incidenten", message, row=int(row), column=header[columns[role]], value=value))

    dates = _dates(cells["datum"])
    refuse(dates.isna(), "datum", "geen datum (verwacht bv. 2024-03-02 of 2-3-2024)")
    refuse(dates > pd.Timestamp(today()), "datum", "datum ligt in de toekomst")
    codes = cells["omschrijving"].map(
        {label: ref.crime_code_for_incident(label) for label in cells["omschrijving"].unique()}
    )
    refuse(codes.isna(), "omschrijving",
           "onbekende omschrijving; voeg haar toe aan reference/data/incident_soorten.csv of lever politiecodes")  # fmt: skip
    years = dates.dt.year.fillna(0).astype("int64")
    indeling = None
    if "gemeente_code" in columns:
        raw = cells["gemeente_code"].str.upper().str.replace(" ", "", regex=False)
        gemeente = raw.where(~raw.str.fullmatch(r"\d{1,4}"), "GM" + raw.str.zfill(4))
        refuse(~gemeente.str.fullmatch(r"GM\d{4}"), "gemeente_code", "ongeldige gemeentecode (verwacht GMxxxx)")
    elif "gemeente" in columns:
        pairs = pd.DataFrame({"naam": cells["gemeente"], "jaar": years})
        lookup = {(n, y): ref.code_for_name(n, y) for n, y in pairs.drop_duplicates().itertuples(index=False)}
        gemeente = pd.Series(
            [lookup[(n, y)] for n, y in pairs.itertuples(index=False)], index=frame.index, dtype="string"
        )
        refuse(gemeente.isna() & dates.notna(), "gemeente", "onbekende gemeente in het jaar van de datum")
    else:
        # the postcode table is in the indeling of 2023 (Voorne aan Zee for Brielle's postcodes)
        gemeente = cells["postcode"].str.slice(0, 4).map(ref.postcodes).astype("string")
        refuse(gemeente.isna(), "postcode", "postcode niet gevonden in de tabel postcode → gemeente")
        indeling = 2023
    if problems:
        raise InputError("incidentbestand geweigerd, niets geladen", file=name, problems=problems)

    rows = pd.DataFrame(
        {
            "periode": dates.dt.strftime("%Y-%m"),
            "gebied_code": gemeente,
            "soort_code": codes,
            "bron_rij": frame["bron_rij"],
        }
    )
    notes = [
        f"{len(rows)} incidenten geteld per maand, gemeente en soort; een gemeente zonder incident in een maand telt 0"
    ]
    duplicated = frame.drop(columns="bron_rij").duplicated(keep=False)
    if duplicated.any():
        shown = ", ".join(str(r) for r in frame.loc[duplicated, "bron_rij"].head(10))
        notes.append(
            f"{int(duplicated.sum())} rijen zijn precies gelijk aan een andere rij (rijen {shown}); ze tellen elk mee "
            "als een eigen incident: controleer met de leverancier of dat klopt"
        )
    counted = (
        rows.groupby(["periode", "gebied_code", "soort_code"], as_index=False)
        .agg(aantal=("bron_rij", "size"), bron_rij=("bron_rij", "min"))
        .astype({"aantal": "string"})
    )
    return Parsed(SOURCES["politie_misdrijven"], f"{fmt}-incidenten", counted, dutch_numbers=False, demo=demo,
                  notes=notes, indeling=indeling, incident_counts=True)  # fmt: skip
