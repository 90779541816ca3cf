"""Generate the demo extracts (see CALIBRATION.md for where every rate comes from)."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.demo.writers import DEMO_LINE, dutch_decimal, write_csv, write_odata_json, write_statline, write_xlsx
from pipeline.kernel.errors import GvbError
from pipeline.kernel.periods import parse_period, today
from pipeline.reference import Reference, reference

DATA = Path(__file__).resolve().parent / "data"
VM_WAVES = (2017, 2019, 2021, 2023, 2025)

# monthly seasonal factors (Jan..Dec) by crime/nuisance code; others are flat
SEASON = {
    "1.1.1": [1.30, 1.10, 0.95, 0.85, 0.80, 0.75, 0.80, 0.85, 0.90, 1.05, 1.25, 1.40],
    "1.2.3": [0.75, 0.70, 0.85, 0.95, 1.05, 1.05, 1.10, 1.10, 1.20, 1.20, 1.10, 0.95],
    "1.2.4": [0.95, 0.90, 0.95, 1.00, 1.05, 1.05, 1.10, 1.10, 0.95, 0.95, 1.00, 1.10],
    "1.4.5": [1.15, 0.90, 0.95, 1.00, 1.05, 1.05, 1.05, 1.05, 0.95, 0.95, 0.90, 1.00],
    "1.4.3": [1.40, 0.85, 0.90, 0.95, 1.05, 1.05, 1.05, 1.00, 0.95, 0.90, 0.90, 1.00],
    "2.2.1": [1.60, 0.90, 0.90, 0.90, 0.95, 0.95, 0.95, 0.95, 0.90, 0.95, 0.95, 1.10],
    "2.5.2": [0.95, 0.90, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 1.00, 1.05, 1.10, 1.30],
    "E35": [0.75, 0.75, 0.90, 1.05, 1.15, 1.20, 1.15, 1.05, 1.00, 1.05, 1.05, 0.90],
    "M22": [0.85, 0.80, 0.90, 1.00, 1.10, 1.15, 1.20, 1.15, 1.00, 0.95, 0.90, 1.00],
    "E38": [0.90, 0.90, 0.95, 1.00, 1.05, 1.10, 1.10, 1.10, 1.00, 0.95, 0.95, 1.00],
}
# the COVID-19 lockdowns: fewer burglaries and pickpockets, more youth nuisance and online fraud
LOCKDOWN_MONTHS = {"2020-03", "2020-04", "2020-05", "2020-12", "2021-01", "2021-02", "2021-03", "2021-04"}
LOCKDOWN = {
    "1.1.1": 0.70,
    "1.2.4": 0.30,
    "2.5.2": 0.75,
    "1.4.6": 0.75,
    "1.4.3": 0.80,
    "3.9.1": 1.35,
    "E35": 1.60,
    "M22": 1.25,
}


@dataclass
class Area:
    code: str  # GM/WK code used in the extract
    gemeente: str  # GM code of that period
    weight: float  # share of the gemeente's figures
    centre: bool


def _read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _months(start: str, end: str) -> list[str]:
    first, last = parse_period(start), parse_period(end)
    if first is None or first.kind != "month" or last is None or last.kind != "month":
        raise GvbError("--from en --to zijn maanden in de vorm JJJJ-MM, bijvoorbeeld 2017-01")
    if last.start < first.start:
        raise GvbError(f"--to ({end}) ligt vóór --from ({start})")
    if last.start > today():
        raise GvbError(f"--to ({end}) ligt in de toekomst")
    months, year, month = [], first.year, first.start.month
    while (year, month) <= (last.year, last.start.month):
        months.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def default_end() -> str:
    """The newest month police figures exist for: police data lag about six weeks."""
    latest = today() - dt.timedelta(days=45)
    return f"{latest.year}-{latest.month:02d}"


class Generator:
    def __init__(self, seed: int, months: list[str], region: str, ref: Reference) -> None:
        self.seed = seed
        self.months = months
        self.region = region
        self.ref = ref
        self.years = sorted({int(m[:4]) for m in months})
        self.rate_2024 = {r["gemeente_code"]: float(r["per_1000"]) for r in _read("misdrijven_per_1000_2024.csv")}
        self.crime_nl: dict[tuple[str, int], float] = {
            (r["soort_code"], int(r["jaar"])): float(r["per_1000"]) for r in _read("misdrijven_nl_per_1000.csv")
        }
        self.nuisance_nl: dict[tuple[str, int], float] = {
            (r["soort_code"], int(r["jaar"])): float(r["per_1000"]) for r in _read("overlast_nl_per_1000.csv")
        }
        pop_2024 = {g: ref.inhabitants(g, 2024) or 0 for g in self.rate_2024}
        self.nl_rate_2024 = sum(self.rate_2024[g] * pop_2024[g] for g in pop_2024) / sum(pop_2024.values())
        self.crime_types = sorted({c for c, _ in self.crime_nl if c != "0.0.0"})
        self.nuisance_types = sorted({c for c, _ in self.nuisance_nl if c != "0.0.0"})

    def rng(self, *salt: int | str) -> np.random.Generator:
        words = [self.seed] + [sum(ord(ch) * (i + 1) for i, ch in enumerate(str(s))) for s in salt]
        return np.random.default_rng(np.random.SeedSequence(words))

    # -- calibration ---------------------------------------------------------------------------------
    def gemeente_rate(self, gm: str) -> float:
        """Registered crimes per 1,000 inhabitants in 2024 for the area of ``gm``."""
        current = self.ref.current_code(gm)
        return self.rate_2024.get(current, self.nl_rate_2024)

    def trend(self, year: int) -> float:
        """Level of crime in ``year`` relative to 2024, from the national series."""
        if (t := self.crime_nl.get(("0.0.0", year))) is not None:
            return t / self.nl_rate_2024
        if year < 2012:
            return self.crime_nl[("0.0.0", 2012)] / self.nl_rate_2024
        return 1.0 + 0.015 * (year - 2024)

    def crime_share(self, code: str, year: int) -> float:
        year = min(max(year, 2012), 2023)
        return self.crime_nl.get((code, year), 0.0) / self.crime_nl[("0.0.0", year)]

    def members(self, year: int) -> list[str]:
        return sorted(self.ref.region_members(self.region, year))

    def areas(self, gm: str, year: int) -> list[Area]:
        """Wijken of a gemeente in its current form (weights from 2024 inhabitants), else the gemeente."""
        gemeente = self.ref.gemeente(gm)
        wijken = [w for w in self.ref.wijken.values() if w["gemeente_code"] == gm]
        if not wijken or gemeente is None or gemeente.laatste_jaar is not None:
            return [Area(gm, gm, 1.0, False)]
        rng = self.rng("wijk", gm)
        raw = []
        for wijk in wijken:
            inhabitants = max(int(wijk["inwoners_2024"]), 1500)  # business and port areas still see crime
            centre = "centrum" in wijk["wijk_naam"].lower()
            raw.append(inhabitants * float(rng.lognormal(0, 0.25)) * (1.8 if centre else 1.0))
        total = sum(raw)
        return [
            Area(w["wijk_code"], gm, r / total, "centrum" in w["wijk_naam"].lower())
            for w, r in zip(wijken, raw, strict=True)
        ]

    def shock(self, code: str, month: str, gm: str) -> float:
        factor = LOCKDOWN.get(code, 1.0) if month in LOCKDOWN_MONTHS else 1.0
        # the wave of explosions at homes and businesses in Rotterdam since 2023
        if code == "1.6.1" and gm == "GM0599" and month >= "2023-01":
            factor *= 2.2
        # fireworks at New Year: vandalism and open violence on 1 January
        if code in ("2.2.1", "1.4.3") and month.endswith("-01"):
            factor *= 1.15
        return factor

    # -- police ------------------------------------------------------------------------------------
    def police_counts(self, kind: str) -> list[tuple[str, str, str, int]]:
        """(month, area, code, count) for every non-zero cell, plus the 0.0.0 total per area."""
        rows: list[tuple[str, str, str, int]] = []
        types = self.crime_types if kind == "misdrijven" else self.nuisance_types
        for month in self.months:
            year, mon = int(month[:4]), int(month[5:7])
            rng = self.rng(kind, month)
            for gm in self.members(year):
                population = self.ref.inhabitants(gm, year) or 0
                rate = self.gemeente_rate(gm)
                if kind == "misdrijven":
                    base = population / 1000 * rate * self.trend(year) / 12
                    shares = np.array([self.crime_share(t, year) for t in types])
                else:
                    urban = (rate / self.nl_rate_2024) ** 0.7
                    year_c = min(max(year, 2012), 2023)
                    base = population / 1000 * urban / 12
                    shares = np.array([self.nuisance_nl.get((t, year_c), 0.0) for t in types])
                season = np.array([SEASON.get(t, [1.0] * 12)[mon - 1] for t in types])
                shocks = np.array([self.shock(t, month, gm) for t in types])
                expected = base * shares * season * shocks
                for area in self.areas(gm, year):
                    counts = rng.poisson(expected * area.weight)
                    total = int(counts.sum())
                    for code, count in zip(types, counts, strict=True):
                        if count:
                            rows.append((month, area.code, code, int(count)))
                    rows.append((month, area.code, "0.0.0", total))
        return rows

    def annual_totals_nl(self, years: list[int]) -> dict[tuple[str, int], int]:
        """Total registered crimes per Dutch gemeente for years before the monthly extracts."""
        out = {}
        for year in years:
            rng = self.rng("statline", year)
            for gemeente in sorted(self.ref.gemeenten.values(), key=lambda g: g.code):
                if not gemeente.exists_in(year):
                    continue
                population = self.ref.inhabitants(gemeente.code, year)
                if population is None:
                    continue
                lam = population / 1000 * self.gemeente_rate(gemeente.code) * self.trend(year)
                out[(gemeente.code, year)] = int(rng.poisson(lam))
        return out


def _write_police(gen: Generator, out: Path, kind: str) -> list[tuple[Path, int]]:
    source = "politie_misdrijven" if kind == "misdrijven" else "politie_incidenten"
    rows = gen.police_counts(kind)
    last_year = gen.years[-1]
    split = len(gen.years) > 1
    canonical = [r for r in rows if not split or int(r[0][:4]) < last_year]
    recent = [r for r in rows if split and int(r[0][:4]) == last_year]
    written = []
    first, last = canonical[0][0], canonical[-1][0]
    path = out / source / f"demo_{source}_wijk_{first}_{last}.csv"
    written.append((path, write_csv(path, ["periode", "gebied_code", "soort_code", "aantal"], canonical)))
    if recent:
        if kind == "misdrijven":
            # the police open-data "TypedDataSet" of table 47022NED, keys padded with spaces
            records = [
                {
                    "ID": i,
                    "SoortMisdrijf": f"{code:<6}",
                    "WijkenEnBuurten": f"{area:<10}",
                    "Perioden": f"{month[:4]}MM{month[5:7]}",
                    "GeregistreerdeMisdrijven_1": count,
                }
                for i, (month, area, code, count) in enumerate(recent)
            ]
            path = out / source / f"demo_47022NED_TypedDataSet_{last_year}.json"
            written.append((path, write_odata_json(path, "47022NED", records)))
        else:
            path = out / source / f"demo_47024NED_TypedDataSet_{last_year}.csv"
            table = [
                (i, f"{code:<6}", f"{area:<10}", f"{month[:4]}MM{month[5:7]}", count)
                for i, (month, area, code, count) in enumerate(recent)
            ]
            header = ["ID", "Overlast", "WijkenEnBuurten", "Perioden", "GeregistreerdeOverlast_1"]
            written.append((path, write_csv(path, header, table, delimiter=";")))
    return written


def _write_statline_history(gen: Generator, out: Path) -> list[tuple[Path, int]]:
    """Annual totals for the four years before the monthly extracts, as a StatLine export."""
    first_year = gen.years[0]
    years = [y for y in range(first_year - 4, first_year) if y >= 2012]
    if not years:
        return []
    totals = gen.annual_totals_nl(years)
    ref = gen.ref
    codes = sorted({code for code, _ in totals}, key=lambda c: ref.gemeente(c).naam.lower())
    rows: list[tuple[str, list[str]]] = [
        ("Nederland", [str(sum(v for (c, y), v in totals.items() if y == yr)) for yr in years])
    ]
    for code in codes:
        rows.append((ref.gemeente(code).naam, [str(totals[(code, y)]) if (code, y) in totals else "." for y in years]))
    rows.append(("Buitenland", ["."] * len(years)))
    if gen.region != "NL":
        region_total = [
            str(sum(v for (c, y), v in totals.items() if y == yr and c in ref.region_members(gen.region, yr)))
            for yr in years
        ]
        rows.append((f"{ref.eenheden.get(gen.region, gen.region)} (RE)", region_total))
    path = out / "politie_misdrijven" / f"demo_statline_47013NED_totaal_misdrijven_{years[0]}_{years[-1]}.csv"
    title = "Geregistreerde misdrijven en aangiften; soort misdrijf, gemeente"
    return [(path, write_statline(path, title, "Soort misdrijf: Totaal misdrijven", [str(y) for y in years], rows))]


def _halves(gen: Generator) -> list[tuple[int, int]]:
    months = set(gen.months)
    return [
        (y, h) for y in gen.years for h in (1, 2) if f"{y}-{6 * h:02d}" in months and f"{y}-{6 * h - 5:02d}" in months
    ]


def _partner_file(
    out: Path, source: str, stem: str, year: int, sheet: str, title: str, header: list[str], rows: list[list[object]]
) -> tuple[Path, int]:
    """Even years arrive as Excel, odd years as Dutch ``;``-CSV: partners change tools too."""
    if year % 2 == 0:
        path = out / source / f"demo_{stem}_{year}.xlsx"
        return path, write_xlsx(path, sheet, title, header, rows)
    path = out / source / f"demo_{stem}_{year}.csv"
    return path, write_csv(path, header, rows, delimiter=";")


HALT_GROUPS = [("Vernieling en openbare orde", 0.30), ("Vermogen", 0.28), ("Geweld", 0.12), ("Vuurwerk", 0.10), ("Leerplicht", 0.12), ("Overig", 0.08)]  # fmt: skip
RIEC_THEMES = [("Drugs", 0.40), ("Mensenhandel", 0.12), ("Vastgoedfraude", 0.18), ("Witwassen", 0.20), ("Overig", 0.10)]
VHH_GROUPS = [("Top-X / HIC-daders", 0.15), ("Veelplegers", 0.40), ("Nazorg ex-gedetineerden", 0.30), ("Complexe casuïstiek", 0.20), ("ZSM-zaken", 4.0)]  # fmt: skip


def _write_partners(gen: Generator, out: Path) -> list[tuple[Path, int]]:
    ref = gen.ref
    written = []
    by_year: dict[int, list[tuple[int, int]]] = {}
    for year, half in _halves(gen):
        by_year.setdefault(year, []).append((year, half))
    for year, halves in by_year.items():
        halt, riec, vhh = [], [], []
        for _, half in halves:
            period = f"{year}-H{half}"
            rng = gen.rng("partners", year, half)
            for gm in gen.members(year):
                name = ref.gemeente(gm).naam
                population = ref.inhabitants(gm, year) or 0
                youth = ref.population.get((gm, year), (0, 0))[1]
                urban = (gen.gemeente_rate(gm) / gen.nl_rate_2024) ** 0.5
                covid = 0.8 if year == 2020 else 1.0
                for group, share in HALT_GROUPS:
                    for age, age_share in (("12-14", 0.4), ("15-17", 0.6)):
                        for sex, sex_share in (("Jongen", 0.78), ("Meisje", 0.22)):
                            lam = youth / 1000 * 13.0 / 2 * share * age_share * sex_share * urban * covid
                            count = int(rng.poisson(lam))
                            if count:
                                halt.append([period, gm, name, group, age, sex, count])
                for theme, share in RIEC_THEMES:
                    signals = int(rng.poisson(population / 25000 * share * 2.0 * urban))
                    cases = int(rng.binomial(signals, 0.2))
                    riec.append([period, gm, name, theme, signals, cases])
                for group, rate in VHH_GROUPS:
                    vhh.append([period, gm, name, group, int(rng.poisson(population / 1000 * rate * urban))])
        written.append(_partner_file(out, "halt", "halt_verwijzingen", year, "Verwijzingen", "Halt-verwijzingen per gemeente",
                                     ["Periode", "Gemeentecode", "Gemeente", "Delictgroep", "Leeftijd", "Geslacht", "Aantal verwijzingen"], halt))  # fmt: skip
        written.append(_partner_file(out, "riec", "riec_ondermijning", year, "RIEC", "RIEC Rotterdam — signalen en casussen",
                                     ["Periode", "Gemeentecode", "Gemeente", "Thema", "Signalen", "Casussen"], riec))  # fmt: skip
        written.append(_partner_file(out, "veiligheidshuis", "zvh_persoonsgerichte_aanpak", year, "Personen", "Zorg- en Veiligheidshuis — personen in aanpak",
                                     ["Periode", "Gemeentecode", "Gemeente", "Doelgroep", "Aantal personen"], vhh))  # fmt: skip
    # Burgernet: monthly figures, one file per year
    for year in gen.years:
        rows = []
        for month in [m for m in gen.months if int(m[:4]) == year]:
            rng = gen.rng("burgernet", month)
            step = (int(month[:4]) - 2017) * 12 + int(month[5:7])
            for gm in gen.members(year):
                population = ref.inhabitants(gm, year) or 0
                local = gen.rng("burgernet-local", gm)
                coverage = max(0.02, 0.055 + 0.0004 * step) * float(local.uniform(0.7, 1.5))  # Burgernet grew from 2011
                participants = int(population * min(coverage, 0.2))
                app_share = min(max(0.05, 0.2 + 0.006 * step), 0.75)
                app = int(participants * app_share)
                actions = int(rng.poisson(population / 30000))
                success = int(rng.binomial(actions, 0.11))
                mails = int(rng.poisson(population / 25000))
                pct = 100 * participants / population if population else 0.0
                rows.append(
                    [
                        month,
                        gm,
                        ref.gemeente(gm).naam,
                        participants - app,
                        app,
                        actions,
                        success,
                        mails,
                        dutch_decimal(pct),
                    ]
                )
        header = ["Periode", "Gemeentecode", "Gemeente", "Deelnemers klassiek", "Deelnemers app", "Acties", "Acties succesvol", "Burgernet-mails", "Dekking (%)"]  # fmt: skip
        if year % 2 == 0:
            rows = [[*r[:-1], float(r[-1].replace(",", "."))] for r in rows]
        written.append(
            _partner_file(
                out, "burgernet", "burgernet", year, "Burgernet", "Burgernet — deelnemers en acties", header, rows
            )
        )
    return written


VM_BASE = {
    "VM_ONVEILIG": ("percentage", 33.0, 8.0), "VM_ONVEILIG_BUURT": ("percentage", 16.0, 6.0),
    "VM_CIJFER_VEILIGHEID": ("rapportcijfer", 7.3, -0.4), "VM_CIJFER_LEEFBAARHEID": ("rapportcijfer", 7.5, -0.4),
    "VM_FYSIEKE_VERLOEDERING": ("percentage", 22.0, 7.0), "VM_SOCIALE_OVERLAST": ("percentage", 9.0, 5.0),
    "VM_VERKEERSOVERLAST": ("percentage", 27.0, 3.0), "VM_SLACHTOFFER_TRADITIONEEL": ("percentage", 14.0, 3.0),
    "VM_SLACHTOFFER_ONLINE": ("percentage", 15.0, 1.0), "VM_SOCIALE_COHESIE": ("score", 6.2, -0.5),
    "VM_TEVREDEN_POLITIE": ("percentage", 55.0, -4.0), "VM_PREVENTIE_ROOKMELDER": ("percentage", 88.0, -3.0),
}  # fmt: skip


def _vm_estimate(rng: np.random.Generator, code: str, urban: float, year: int, n: int) -> tuple[float, float]:
    unit, base, urban_effect = VM_BASE[code]
    drift = {"VM_SLACHTOFFER_ONLINE": 0.6, "VM_PREVENTIE_ROOKMELDER": 0.8, "VM_ONVEILIG": -0.3}.get(code, 0.0)
    value = (
        base
        + urban_effect * (urban - 1.0)
        + drift * (year - 2017)
        + float(rng.normal(0, 0.15 * abs(urban_effect) + 0.05))
    )
    if unit == "percentage":
        value = min(max(value, 0.5), 99.5)
        margin = 1.96 * np.sqrt(value * (100 - value) / n) * 1.2
        return round(value, 1), round(float(margin), 1)
    value = min(max(value, 1.0), 10.0)
    margin = 1.96 * (1.3 if unit == "rapportcijfer" else 1.5) / np.sqrt(n)
    return round(value, 1), round(float(margin), 2)


def _write_survey(gen: Generator, out: Path) -> list[tuple[Path, int]]:
    ref = gen.ref
    written = []
    for wave in [w for w in VM_WAVES if w in gen.years]:
        rng = gen.rng("vm", wave)
        rows = []
        units = []
        for gm in gen.members(wave):
            population = ref.inhabitants(gm, wave) or 0
            # the regional extra sample: about 1 in 120 inhabitants, small gemeenten thinly in 2017
            n = int(min(2500, population / 120) * (0.5 if wave == 2017 and population < 25000 else 1.0))
            units.append((gm, ref.gemeente(gm).naam, n, gen.gemeente_rate(gm) / gen.nl_rate_2024))
        if gen.region in ref.eenheden:
            for code, row in ref.districten.items():
                if row["eenheid_code"] == gen.region:
                    units.append((code, row["district_naam"], 1200, 1.1))
            units.append((gen.region, ref.region_name(gen.region), 9000, 1.15))
        for code, name, n, urban in units:
            for indicator in VM_BASE:
                unit = VM_BASE[indicator][0]
                if n < 100:
                    rows.append([wave, code, name, indicator, unit, ".", ".", n])
                    continue
                value, margin = _vm_estimate(rng, indicator, urban, wave, n)
                rows.append(
                    [
                        wave,
                        code,
                        name,
                        indicator,
                        unit,
                        dutch_decimal(value),
                        dutch_decimal(margin, 2 if unit != "percentage" else 1),
                        n,
                    ]
                )
        path = out / "veiligheidsmonitor" / f"demo_veiligheidsmonitor_{wave}.csv"
        header = ["Jaar", "Gebiedcode", "Gebied", "Indicator", "Eenheid", "Waarde", "Marge", "Respons"]
        written.append((path, write_csv(path, header, rows, delimiter=";")))
    return written


def generate(
    out: Path, seed: int = 2026, start: str = "2017-01", end: str | None = None, region: str = "RE07"
) -> list[tuple[Path, int]]:
    """Write demo extracts of all sources under ``out/<bron>/``; returns (path, rows) per file."""
    ref = reference()
    ref.validate_region(region)
    months = _months(start, end or default_end())
    gen = Generator(seed, months, region, ref)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    written += _write_police(gen, out, "misdrijven")
    written += _write_statline_history(gen, out)
    written += _write_police(gen, out, "incidenten")
    written += _write_partners(gen, out)
    written += _write_survey(gen, out)
    readme = out / "LEESMIJ_DEMO.md"
    readme.write_text(
        f"# {DEMO_LINE}\n\nDeze map is gevuld door `gvb demo-data --seed {seed} --from {months[0]} --to {months[-1]}` "
        f"voor regio {region}.\nAlle cijfers zijn verzonnen; ze lijken op echte cijfers maar zijn het niet.\n",
        encoding="utf-8",
    )
    return written
