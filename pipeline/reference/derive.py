"""Derive the small reference tables of facts from the real open data in ``../shared``.

Maintainer tool, not part of the ``gvb`` command: run it when CBS publishes a new year::

    python -m pipeline.reference.derive ../shared/data/open

It rewrites the *derived* files in ``pipeline/reference/data`` and
``pipeline/demo/data`` (codes, names, mergers and splits, populations, calibration rates). The
hand-written facts (region membership, districts, indicator catalogue) are not touched.
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

from pipeline.reference import FIRST_YEAR, POPULATION_COLUMNS, POPULATION_SOURCE, carried_forward

HERE = Path(__file__).resolve().parent
REFERENCE_DIR = HERE / "data"
DEMO_DIR = HERE.parent / "demo" / "data"


def _write(path: Path, header: list[str], rows: list[list[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"{path.relative_to(HERE.parent.parent)}: {len(rows)} rijen")


def derive_gemeenten(open_dir: Path) -> dict[str, tuple[str, int, int]]:
    src = open_dir / "codes" / "cbs_gemeentecodes_2002_2024_met_bestaansjaren.csv"
    gemeenten: dict[str, tuple[str, int, int]] = {}
    with src.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            first, last = int(row["eerste_jaar_37230ned"]), int(row["laatste_jaar_37230ned"])
            if last < FIRST_YEAR:
                continue
            gemeenten[row["gemeentecode"]] = (row["gemeentenaam"], first, last)
    latest = max(last for _, _, last in gemeenten.values())
    rows = [
        [code, name, first, "" if last == latest else last] for code, (name, first, last) in sorted(gemeenten.items())
    ]
    _write(
        REFERENCE_DIR / "gemeenten_nl.csv",
        ["gemeente_code", "gemeente_naam", "eerste_jaar", "laatste_jaar"],
        rows,
    )
    return gemeenten


def _youth_share(open_dir: Path) -> dict[str, float]:
    """Share of inhabitants aged 12-17, estimated from the 2024 age bands of CBS 85984NED.

    Ages 12-14 are 3 of the 15 one-year ages in the 0-15 band, ages 15-17 are 3 of the 10
    in the 15-25 band; assuming ages spread evenly within a band gives
    0.2 * pct_0_15 + 0.3 * pct_15_25.
    """
    src = open_dir / "population" / "cbs_85984NED_kwb2024_gemeente_nl.csv"
    shares = {}
    with src.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            pct_0_15 = float(row["percentage_personen_0_tot_15_jaar"])
            pct_15_25 = float(row["percentage_personen_15_tot_25_jaar"])
            shares[row["gemeentecode"]] = (0.2 * pct_0_15 + 0.3 * pct_15_25) / 100
    return shares


def derive_population(open_dir: Path, gemeenten: dict[str, tuple[str, int, int]]) -> None:
    src = open_dir / "population" / "cbs_37230ned_bevolking_gemeente_jaar_2002_2024_nl.csv"
    start: dict[tuple[str, int], int] = {}
    end: dict[tuple[str, int], int] = {}
    with src.open(encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            code, year = row["RegioS"].strip(), int(row["Perioden"][:4])
            if row["BevolkingAanHetBeginVanDePeriode_1"].strip():
                start[(code, year)] = int(row["BevolkingAanHetBeginVanDePeriode_1"])
            if row["BevolkingAanHetEindeVanDePeriode_15"].strip():
                end[(code, year)] = int(row["BevolkingAanHetEindeVanDePeriode_15"])
    last_data_year = max(year for _, year in start)
    shares = _youth_share(open_dir)
    successors = _hand_written_successors()
    national_share = sum(shares.values()) / len(shares)
    rows = []
    for code, (_, first, last) in sorted(gemeenten.items()):
        share = shares.get(code) or shares.get(successors.get(code, ""), national_share)
        for year in range(max(first, FIRST_YEAR), last + 2):
            # population on 1 January of `year`; 1 January after the last year comes from
            # the end-of-period figure of the year before.
            value = start.get((code, year)) or end.get((code, year - 1))
            if value is None:
                continue
            if year > last_data_year + 1 or (year == last + 1 and last < last_data_year):
                continue
            rows.append([code, year, value, round(value * share), 0, year, POPULATION_SOURCE])
        # carry the newest figure forward (estimate) so current periods have a denominator
        if last == last_data_year:
            newest = end.get((code, last_data_year))
            if newest is not None:
                for year in range(last_data_year + 2, last_data_year + 4):
                    rows.append([code, year, newest, round(newest * share), 1, last_data_year + 1,
                                 carried_forward(last_data_year + 1)])  # fmt: skip
    _write(
        REFERENCE_DIR / "bevolking.csv",
        POPULATION_COLUMNS,
        rows,
    )


def _hand_written_successors() -> dict[str, str]:
    """Each ceased code's main successor (the largest share), from ``herindelingen.csv``."""
    best: dict[str, tuple[float, str]] = {}
    with (REFERENCE_DIR / "herindelingen.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            share = float(row["aandeel"])
            if share > best.get(row["oud_code"], (-1.0, ""))[0]:
                best[row["oud_code"]] = (share, row["nieuw_code"])
    return {old: new for old, (_, new) in best.items()}


def derive_herindelingen(open_dir: Path) -> None:
    """Every merger, split and code change in the Netherlands since 2012 (boundary corrections of a
    gemeente that goes on are left out: they move under 0.2 % of its inhabitants).

    ``jaar`` is the first year whose 1 January lies on or after the date: Weesp joined Amsterdam on
    2022-03-24, so 2022 is still a Weesp year in CBS's annual tables and 2023 the first without it.
    """
    src = open_dir / "codes" / "herindelingen_nl_2012_2026.csv"
    rows = []
    with src.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["oude_code_vervalt"] != "ja":
                continue
            year, month, day = (int(part) for part in row["datum"].split("-"))
            first_year = year if (month, day) == (1, 1) else year + 1
            rows.append(
                [first_year, row["datum"], row["oude_code"], row["oude_naam"], row["nieuwe_code"],
                 row["nieuwe_naam"], row["soort"], row["aandeel"]]
            )  # fmt: skip
    rows.sort(key=lambda r: (r[1], r[2], r[4]))
    _write(
        REFERENCE_DIR / "herindelingen.csv",
        ["jaar", "datum", "oud_code", "oud_naam", "nieuw_code", "nieuw_naam", "soort", "aandeel"],
        rows,
    )


def derive_eenheden(open_dir: Path) -> None:
    src = open_dir / "codes" / "gemeente_regionale_eenheid_2023.csv"
    rows, names = [], {}
    with src.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows.append([row["gemeentecode"], row["regionale_eenheid_code"]])
            names[row["regionale_eenheid_code"]] = row["regionale_eenheid_naam"]
    _write(REFERENCE_DIR / "gemeente_eenheid_2023.csv", ["gemeente_code", "eenheid_code"], sorted(rows))
    _write(
        REFERENCE_DIR / "eenheden.csv",
        ["eenheid_code", "eenheid_naam"],
        [[code, name] for code, name in sorted(names.items())],
    )


def derive_wijken(open_dir: Path) -> None:
    names = {}
    with (open_dir / "codes" / "politie_47018NED_wijkenenbuurten_2024_eenheid_rotterdam.csv").open(
        encoding="utf-8"
    ) as fh:
        for row in csv.DictReader(fh):
            if row["Key"].startswith("WK"):
                names[row["Key"]] = (row["Title"], row["Municipality"])
    inhabitants: dict[str, int] = defaultdict(int)
    with (open_dir / "population" / "cbs_85984NED_inwoners_buurt_2024_eenheid_rotterdam.csv").open(
        encoding="utf-8"
    ) as fh:
        for row in csv.DictReader(fh):
            wijk = "WK" + row["buurtcode"][2:8]
            inhabitants[wijk] += int(float(row["aantal_inwoners"] or 0))
    rows = [[code, name, gm, inhabitants.get(code, 0)] for code, (name, gm) in sorted(names.items())]
    _write(REFERENCE_DIR / "wijken_2024.csv", ["wijk_code", "wijk_naam", "gemeente_code", "inwoners_2024"], rows)


def derive_postcodes(open_dir: Path) -> None:
    """PC4 -> gemeente (indeling 2023) for incident files that carry only a postcode (RE07)."""
    src = open_dir / "codes" / "pc4_gemeente_eenheid_rotterdam_certegis2021.csv"
    with src.open(encoding="utf-8") as fh:
        rows = sorted({(row["pc4"], row["gemeentecode_2023"]) for row in csv.DictReader(fh)})
    _write(REFERENCE_DIR / "postcode_gemeente.csv", ["pc4", "gemeente_code"], [list(r) for r in rows])


def derive_crime_codes(open_dir: Path) -> None:
    rows = []
    with (open_dir / "codes" / "politie_47018NED_soortmisdrijf.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["Key"].strip()
            title = row["Title"].strip()
            name = title[len(code) :].strip() if title.startswith(code) else title
            rows.append([code, name, 1 if code == "0.0.0" or "totaal" in name.lower() else 0])
    _write(REFERENCE_DIR / "soort_misdrijf.csv", ["soort_code", "soort_naam", "roll_up"], rows)
    rows = []
    with (open_dir / "codes" / "politie_47021NED_overlast_soorten.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["Key"].strip()
            rows.append([code, row["Title"].strip(), 1 if code == "0.0.0" else 0])
    _write(REFERENCE_DIR / "soort_overlast.csv", ["soort_code", "soort_naam", "roll_up"], rows)
    # CBS 83648NED has its own crime groups: "1 Vermogensmisdrijven" is key CRI1000
    rows = []
    with (open_dir / "codes" / "cbs_83648NED_soortmisdrijf_meta.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            number, _, name = row["Title"].strip().partition(" ")
            if not number[0].isdigit():
                number, name = "", row["Title"].strip()
            rows.append([row["Key"].strip(), number, name, 1 if row["Key"].strip() == "T001161" else 0])
    _write(REFERENCE_DIR / "soort_misdrijf_cbs.csv", ["soort_code", "nummer", "soort_naam", "roll_up"], rows)


def derive_demo_calibration(open_dir: Path, gemeenten: dict[str, tuple[str, int, int]]) -> None:
    """Rates and mixes the demo generator draws from (see pipeline/demo/CALIBRATION.md)."""
    population: dict[str, int] = {}
    with (REFERENCE_DIR / "bevolking.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["jaar"] == "2024":
                population[row["gemeente_code"]] = int(row["inwoners"])
    name_to_code = {name: code for code, (name, _, last) in gemeenten.items() if last >= 2024}
    rates = []
    lines = (open_dir / "crime" / "politie_47013NED_totaal_misdrijven_gemeente_2024_raw.csv").read_text(
        encoding="utf-8"
    )
    for line in csv.reader(lines.splitlines(), delimiter=";"):
        if len(line) == 2 and line[0] in name_to_code and line[1].isdigit():
            code = name_to_code[line[0]]
            rates.append([code, round(1000 * int(line[1]) / population[code], 2)])
    _write(DEMO_DIR / "misdrijven_per_1000_2024.csv", ["gemeente_code", "per_1000"], sorted(rates))

    nl_population: dict[int, int] = defaultdict(int)
    with (REFERENCE_DIR / "bevolking.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["geschat"] == "0":
                nl_population[int(row["jaar"])] += int(row["inwoners"])
    crime_codes = {}
    with (REFERENCE_DIR / "soort_misdrijf.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            crime_codes[row["soort_naam"]] = row["soort_code"]
    rows = []
    with (open_dir / "crime" / "politie_47025NED_nl_misdrijven_per_soort_2012_2023.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            label = row["incident_type_code"]
            code = "0.0.0" if label == "Totaal misdrijven" else label.split(" ", 1)[0]
            year = int(row["year"])
            rows.append([code, year, round(1000 * int(row["incident_count"]) / nl_population[year], 4)])
    _write(DEMO_DIR / "misdrijven_nl_per_1000.csv", ["soort_code", "jaar", "per_1000"], rows)
    nuisance_codes = {}
    with (REFERENCE_DIR / "soort_overlast.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            nuisance_codes[row["soort_naam"]] = row["soort_code"]
    rows = []
    with (open_dir / "crime" / "politie_47021NED_nl_overlastregistraties_per_soort_2012_2023.csv").open(
        encoding="utf-8"
    ) as fh:
        for row in csv.DictReader(fh):
            code = nuisance_codes[row["incident_type_code"].strip()]
            year = int(row["year"])
            rows.append([code, year, round(1000 * int(row["incident_count"]) / nl_population[year], 4)])
    _write(DEMO_DIR / "overlast_nl_per_1000.csv", ["soort_code", "jaar", "per_1000"], rows)


def main(argv: list[str]) -> int:
    open_dir = Path(argv[1] if len(argv) > 1 else "../shared/data/open")
    gemeenten = derive_gemeenten(open_dir)
    derive_herindelingen(open_dir)
    derive_population(open_dir, gemeenten)
    derive_eenheden(open_dir)
    derive_wijken(open_dir)
    derive_crime_codes(open_dir)
    derive_postcodes(open_dir)
    derive_demo_calibration(open_dir, gemeenten)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
