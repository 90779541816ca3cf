"""Partner spreadsheets as their analysts make them by hand: each variant is a file (or files) and
what the file *intends* — the exact rows it means, or that it must be refused and why.

Used by tests/test_partner_spreadsheets.py (and runnable by hand: ``python tests/corpus/partner_variants.py
OUT`` writes every variant to OUT for a look in Excel or LibreOffice).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.reference import reference

REGION = "RE07"
YEAR = 2024
HALT_GROUPS = ["Vernieling en openbare orde", "Vermogen", "Geweld", "Vuurwerk", "Leerplicht", "Overig"]
VHH_GROUPS = ["Top-X / HIC-daders", "Veelplegers", "Nazorg ex-gedetineerden", "Complexe casuïstiek", "ZSM-zaken"]
RIEC_THEMES = ["Drugs", "Mensenhandel", "Vastgoedfraude", "Witwassen", "Overig"]

COLUMNS = {
    "halt": ["periode", "gemeente_code", "delictgroep", "leeftijdsklasse", "geslacht", "aantal"],
    "veiligheidshuis": ["periode", "gemeente_code", "doelgroep", "aantal"],
    "riec": ["periode", "gemeente_code", "thema", "signalen", "casussen"],
    "burgernet": ["periode", "gemeente_code", "deelnemers_klassiek", "deelnemers_app", "acties", "acties_succesvol",
                  "burgernet_mails", "dekking_pct"],
}  # fmt: skip


def gemeenten() -> list[tuple[str, str]]:
    ref = reference()
    return [(code, ref.gemeente(code).naam) for code in sorted(ref.region_members(REGION, YEAR))]


def halt_rows() -> list[dict]:
    """Intended Halt rows: 2024H1 and 2024H2, only combinations with referrals (as Halt delivers)."""
    rng = np.random.default_rng(7)
    rows = []
    for half in (1, 2):
        for code, name in gemeenten():
            for group in HALT_GROUPS:
                for age in ("12-14", "15-17"):
                    for sex in ("Jongen", "Meisje"):
                        count = int(rng.poisson(6 if code == "GM0599" else 1.2))
                        if count or (group, age, sex) == ("Vermogen", "15-17", "Jongen"):
                            rows.append({"periode": f"{YEAR}H{half}", "gemeente_code": code, "naam": name,
                                         "delictgroep": group, "leeftijdsklasse": age, "geslacht": sex,
                                         "aantal": count})  # fmt: skip
    return rows


def vhh_rows() -> list[dict]:
    rng = np.random.default_rng(8)
    return [
        {"periode": f"{YEAR}H{half}", "gemeente_code": code, "naam": name, "doelgroep": group,
         "aantal": int(rng.poisson(12))}
        for half in (1, 2) for code, name in gemeenten() for group in VHH_GROUPS
    ]  # fmt: skip


def riec_rows() -> list[dict]:
    rng = np.random.default_rng(9)
    rows = []
    for half in (1, 2):
        for code, name in gemeenten():
            for theme in RIEC_THEMES:
                signals = int(rng.poisson(8))
                rows.append({"periode": f"{YEAR}H{half}", "gemeente_code": code, "naam": name, "thema": theme,
                             "signalen": signals, "casussen": int(rng.binomial(signals, 0.2))})  # fmt: skip
    return rows


def burgernet_rows() -> list[dict]:
    rng = np.random.default_rng(10)
    ref = reference()
    rows = []
    for month in range(1, 7):
        for code, name in gemeenten():
            people = ref.inhabitants(code, YEAR) or 10000
            total = int(people * rng.uniform(0.06, 0.14))
            app = int(total * 0.6)
            actions = int(rng.poisson(people / 30000))
            rows.append({"periode": f"{YEAR}-{month:02d}", "gemeente_code": code, "naam": name,
                         "deelnemers_klassiek": total - app, "deelnemers_app": app, "acties": actions,
                         "acties_succesvol": int(rng.binomial(actions, 0.1)), "burgernet_mails": int(rng.poisson(3)),
                         "dekking_pct": round(100 * total / people, 1)})  # fmt: skip
    return rows


def intended(source: str, rows: list[dict]) -> list[tuple]:
    return sorted(tuple(r[c] for c in COLUMNS[source]) for r in rows)


# -- writers ---------------------------------------------------------------------------------------
def write_xlsx(
    path: Path,
    header: list,
    rows: list[list],
    title: bool = True,
    formats: dict[tuple[int, int], str] | None = None,
    merges: list[str] = (),
    header_rows: list[list] | None = None,
) -> Path:
    """A workbook like the partners': a title row and an empty row above the table; ``formats``
    gives number formats by (data row, column) (0-based), ``merges`` ranges such as "B4:B9"."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Gegevens"
    if title:
        sheet.append(["Levering aan het GVB — fictieve testgegevens"])
        sheet.append([])
    for extra in header_rows or [header]:
        sheet.append(extra)
    first = sheet.max_row + 1
    for row in rows:
        sheet.append(row)
    for (r, c), fmt in (formats or {}).items():
        sheet.cell(first + r, c + 1).number_format = fmt
    for cells in merges:
        sheet.merge_cells(cells)
    workbook.save(path)
    return path


def write_csv(path: Path, header: list, rows: list[list], delimiter: str = ";", quote_all: bool = False) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_ods(path: Path, header: list, rows: list[list]) -> Path:
    import pandas as pd

    pd.DataFrame(rows, columns=header).to_excel(path, engine="odf", index=False, sheet_name="Gegevens")
    return path


def write_xls(path: Path, header: list, rows: list[list], formats: dict[int, str] | None = None) -> Path:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Gegevens")
    styles = {c: xlwt.easyxf(num_format_str=f) for c, f in (formats or {}).items()}
    for c, value in enumerate(header):
        sheet.write(0, c, value)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if c in styles:
                sheet.write(r, c, value, styles[c])
            else:
                sheet.write(r, c, value)
    book.save(str(path))
    return path


HALT_HEADER = ["Periode", "Gemeentecode", "Gemeente", "Delictgroep", "Leeftijd", "Geslacht", "Aantal verwijzingen"]


def halt_table(rows: list[dict], period: Callable[[dict], object] = lambda r: r["periode"]) -> list[list]:
    return [[period(r), r["gemeente_code"], r["naam"], r["delictgroep"], r["leeftijdsklasse"], r["geslacht"], r["aantal"]]
            for r in rows]  # fmt: skip


@dataclass
class Variant:
    name: str
    source: str  # folder the file is put in (data_raw/<source>/), as partners deliver
    write: Callable[[Path], list[Path]]  # writes the file(s) into the folder, returns them
    expect: list[tuple] | None  # the rows the file intends; None = must be refused
    refusal: str = ""  # a phrase the refusal must contain
    note: str = ""  # a phrase the ingest output must contain (e.g. the warning for empty cells)


def _halt_with_subtotals(rows: list[dict], wrong: bool = False, label: str = "Totaal") -> list[list]:
    """A pivot table copied as values: per gemeente its rows, a subtotal row, and a grand total."""
    out = []
    grand = 0
    for half in (1, 2):
        period = f"{YEAR}H{half}"
        for code, name in gemeenten():
            mine = [r for r in rows if r["periode"] == period and r["gemeente_code"] == code]
            out += halt_table(mine)
            subtotal = sum(r["aantal"] for r in mine) + (1 if wrong and code == "GM0505" else 0)
            out.append([period, code, name, label, "", "", subtotal])
            grand += sum(r["aantal"] for r in mine)
    out.append(["", "", "Eindtotaal", "", "", "", grand])
    return out


def _excel_date(text: str) -> dt.datetime:
    """What Dutch Excel stores when "12-14" is typed in a General cell: 1 December 2014."""
    month, year = text.split("-")
    return dt.datetime(2000 + int(year), int(month), 1)


def variants() -> list[Variant]:
    halt = halt_rows()
    vhh = vhh_rows()
    riec = riec_rows()
    burgernet = burgernet_rows()
    H, V, R, B = (intended("halt", halt), intended("veiligheidshuis", vhh), intended("riec", riec),
                  intended("burgernet", burgernet))  # fmt: skip
    out: list[Variant] = []

    def add(name, source, write, expect, refusal="", note=""):
        out.append(Variant(name, source, write, expect, refusal, note))

    # -- the deliveries as the demo writes them
    add("halt-xlsx", "halt", lambda d: [write_xlsx(d / "halt.xlsx", HALT_HEADER, halt_table(halt))], H)
    add("halt-csv-nl", "halt", lambda d: [write_csv(d / "halt.csv", HALT_HEADER, halt_table(halt))], H)
    # -- totals: recognised, checked, never loaded
    add(
        "halt-pivot-subtotals",
        "halt",
        lambda d: [write_xlsx(d / "halt.xlsx", HALT_HEADER, _halt_with_subtotals(halt))],
        H,
        note="totalen",
    )
    add(
        "halt-pivot-gemeente-totaal-label",
        "halt",
        lambda d: [
            write_xlsx(
                d / "halt.xlsx",
                HALT_HEADER,
                [
                    r if r[3] != "Totaal" else [r[0], "", f"{r[2]} Totaal", "", "", "", r[6]]
                    for r in _halt_with_subtotals(halt)
                ],
            )
        ],
        H,
    )
    add(
        "halt-subtotal-wrong",
        "halt",
        lambda d: [write_xlsx(d / "halt.xlsx", HALT_HEADER, _halt_with_subtotals(halt, wrong=True))],
        None,
        refusal="totaal klopt niet",
    )
    add(
        "vhh-doelgroep-totaal-rows",
        "veiligheidshuis",
        lambda d: [
            write_csv(
                d / "vhh.csv",
                ["Periode", "Gemeentecode", "Gemeente", "Doelgroep", "Aantal personen"],
                [
                    row
                    for code, name in gemeenten()
                    for half in (1, 2)
                    for row in [
                        [r["periode"], code, name, r["doelgroep"], r["aantal"]]
                        for r in vhh
                        if r["gemeente_code"] == code and r["periode"].endswith(str(half))
                    ]
                    + [
                        [
                            f"{YEAR}H{half}",
                            code,
                            name,
                            "Totaal",
                            sum(
                                r["aantal"]
                                for r in vhh
                                if r["gemeente_code"] == code and r["periode"].endswith(str(half))
                            ),
                        ]
                    ]
                ],
            )
        ],
        V,
    )
    add("riec-formula-total-row", "riec", lambda d: [_riec_with_formula_totals(d / "riec.xlsx", riec)], R)
    add(
        "riec-formula-in-data",
        "riec",
        lambda d: [_riec_with_formula_totals(d / "riec.xlsx", riec, in_data=True)],
        None,
        refusal="formule",
    )
    # -- periods
    add(
        "halt-2024-1-ambiguous",
        "halt",
        lambda d: [write_csv(d / "halt.csv", HALT_HEADER, halt_table(halt, lambda r: r["periode"].replace("H", "-")))],
        None,
        refusal="onduidelijke periode",
    )
    add(
        "halt-2024-1-under-halfjaar",
        "halt",
        lambda d: [
            write_csv(
                d / "halt.csv",
                ["Halfjaar", *HALT_HEADER[1:]],
                halt_table(halt, lambda r: r["periode"].replace("H", "-")),
            )
        ],
        H,
    )
    add(
        "halt-dates-as-periods",
        "halt",
        lambda d: [
            write_xlsx(
                d / "halt.xlsx",
                HALT_HEADER,
                halt_table(halt, lambda r: dt.datetime(YEAR, 1 if r["periode"].endswith("1") else 7, 1)),
            )
        ],
        None,
        refusal="onduidelijke periode",
    )
    add(
        "riec-dates-as-periods",
        "riec",
        lambda d: [
            write_xlsx(
                d / "riec.xlsx",
                ["Periode", "Gemeentecode", "Gemeente", "Thema", "Signalen", "Casussen"],
                [
                    [
                        dt.datetime(YEAR, 1 if r["periode"].endswith("1") else 7, 1),
                        r["gemeente_code"],
                        r["naam"],
                        r["thema"],
                        r["signalen"],
                        r["casussen"],
                    ]
                    for r in riec
                ],
            )
        ],
        R,
    )
    add(
        "vhh-2024-1",
        "veiligheidshuis",
        lambda d: [
            write_csv(
                d / "vhh.csv",
                ["Periode", "Gemeentecode", "Doelgroep", "Aantal"],
                [[r["periode"].replace("H", "-"), r["gemeente_code"], r["doelgroep"], r["aantal"]] for r in vhh],
            )
        ],
        V,
    )
    for spelling, period in (
        ("1e halfjaar", lambda r: f"{r['periode'][-1]}e halfjaar {YEAR}"),
        ("H1-2024", lambda r: f"H{r['periode'][-1]} {YEAR}"),
        ("jan-jun", lambda r: f"{'jan-jun' if r['periode'].endswith('1') else 'jul-dec'} {YEAR}"),
    ):
        add(
            f"halt-period-{spelling}",
            "halt",
            lambda d, period=period: [write_csv(d / "halt.csv", HALT_HEADER, halt_table(halt, period))],
            H,
        )
    add(
        "halt-jaar-halfjaar-columns",
        "halt",
        lambda d: [
            write_xlsx(
                d / "halt.xlsx",
                ["Jaar", "Halfjaar", *HALT_HEADER[1:]],
                [[YEAR, int(r["periode"][-1]), *row[1:]] for r, row in zip(halt, halt_table(halt), strict=True)],
            )
        ],
        H,
    )
    add(
        "burgernet-jaar-maand-columns",
        "burgernet",
        lambda d: [
            write_csv(
                d / "bn.csv",
                ["Jaar", "Maand", *BURGERNET_HEADER[1:]],
                [
                    [YEAR, int(r["periode"][5:]), *row[1:]]
                    for r, row in zip(burgernet, burgernet_table(burgernet), strict=True)
                ],
            )
        ],
        B,
    )
    # -- cells Excel changed
    add(
        "halt-age-as-date",
        "halt",
        lambda d: [
            write_xlsx(
                d / "halt.xlsx",
                HALT_HEADER,
                [
                    [*row[:4], _excel_date(row[4]) if row[4] == "12-14" else row[4], *row[5:]]
                    for row in halt_table(halt)
                ],
            )
        ],
        H,
    )
    add(
        "burgernet-percent-cell",
        "burgernet",
        lambda d: [
            write_xlsx(
                d / "bn.xlsx",
                BURGERNET_HEADER,
                [[*row[:-1], round(row[-1] / 100, 3)] for row in burgernet_table(burgernet)],
                formats={(r, 8): "0.0%" for r in range(len(burgernet))},
            )
        ],
        B,
    )
    add(
        "burgernet-percent-text",
        "burgernet",
        lambda d: [
            write_csv(
                d / "bn.csv",
                BURGERNET_HEADER,
                [[*row[:-1], f"{row[-1]}%".replace(".", ",")] for row in burgernet_table(burgernet)],
            )
        ],
        B,
    )
    add(
        "burgernet-comma-csv-quoted-decimals",
        "burgernet",
        lambda d: [
            write_csv(
                d / "bn.csv",
                BURGERNET_HEADER,
                [[*row[:-1], str(row[-1]).replace(".", ",")] for row in burgernet_table(burgernet)],
                delimiter=",",
                quote_all=True,
            )
        ],
        B,
    )
    add(
        "burgernet-tab-decimal-comma",
        "burgernet",
        lambda d: [
            write_csv(
                d / "bn.tsv",
                BURGERNET_HEADER,
                [[*row[:-1], str(row[-1]).replace(".", ",")] for row in burgernet_table(burgernet)],
                delimiter="\t",
            )
        ],
        B,
    )
    # -- gemeenten
    add(
        "halt-code-typo-with-names",
        "halt",
        lambda d: [
            write_csv(
                d / "halt.csv",
                HALT_HEADER,
                [[r[0], "GM0503" if r[1] == "GM0505" else r[1], *r[2:]] for r in halt_table(halt)],
            )
        ],
        None,
        refusal="spreken elkaar tegen",
    )
    add(
        "vhh-code-typo-without-names",
        "veiligheidshuis",
        lambda d: [
            write_csv(
                d / "vhh.csv",
                ["Periode", "Gemeentecode", "Doelgroep", "Aantal personen"],
                [
                    [
                        r["periode"],
                        "GM0503" if r["gemeente_code"] == "GM0505" else r["gemeente_code"],
                        r["doelgroep"],
                        r["aantal"],
                    ]
                    for r in vhh
                ],
            )
        ],
        None,
        refusal="tikfout",
    )
    add(
        "riec-names-resorted",
        "riec",
        lambda d: [
            write_csv(
                d / "riec.csv",
                ["Periode", "Gemeentecode", "Gemeente", "Thema", "Signalen", "Casussen"],
                _resorted_names(riec),
            )
        ],
        None,
        refusal="spreken elkaar tegen",
    )
    add(
        "halt-names-only-variants",
        "halt",
        lambda d: [
            write_csv(
                d / "halt.csv",
                ["Periode", "Gemeente", *HALT_HEADER[3:]],
                [[r[0], _variant_name(r[2]), *r[3:]] for r in halt_table(halt)],
            )
        ],
        H,
    )
    # -- layout noise
    add(
        "halt-opmerking-column",
        "halt",
        lambda d: [
            write_xlsx(
                d / "halt.xlsx",
                [*HALT_HEADER, "Opmerking"],
                [[*row, "voorlopig" if i % 7 == 0 else None] for i, row in enumerate(halt_table(halt))],
            )
        ],
        H,
        note="Opmerking",
    )
    add(
        "halt-empty-margin-column",
        "halt",
        lambda d: [write_xlsx(d / "halt.xlsx", [None, *HALT_HEADER], [[None, *row] for row in halt_table(halt)])],
        H,
    )
    add("riec-trailing-semicolon", "riec", lambda d: [_trailing_semicolons(d / "riec.csv", riec)], R)
    add(
        "halt-header-two-rows",
        "halt",
        lambda d: [
            write_xlsx(
                d / "halt.xlsx",
                HALT_HEADER,
                halt_table(halt),
                header_rows=[
                    ["Periode", "Gemeente-", "Gemeente", "Delictgroep", "Leeftijd", "Geslacht", "Aantal"],
                    [None, "code", None, None, None, None, "verwijzingen"],
                ],
            )
        ],
        H,
    )
    add(
        "halt-merged-header",
        "halt",
        lambda d: [write_xlsx(d / "halt.xlsx", HALT_HEADER, halt_table(halt), title=False, merges=["F1:G1"])],
        None,
        refusal="samengevoegde cellen",
    )
    add("vhh-merged-gemeente-cells", "veiligheidshuis", lambda d: [_vhh_merged(d / "vhh.xlsx", vhh)], V)
    add(
        "halt-note-under-table",
        "halt",
        lambda d: [
            write_xlsx(d / "halt.xlsx", HALT_HEADER, [*halt_table(halt), [], ["Bron: Halt, fictieve testgegevens"]])
        ],
        H,
    )
    # -- wide layouts
    add("vhh-wide-doelgroep-with-total", "veiligheidshuis", lambda d: [_vhh_wide(d / "vhh.xlsx", vhh)], V)
    add("halt-wide-halfjaar", "halt", lambda d: [_halt_wide_periods(d / "halt.csv", halt)], wide_halt_intended(halt))
    # -- other file types
    add("halt-ods", "halt", lambda d: [write_ods(d / "halt.ods", HALT_HEADER, halt_table(halt))], H)
    add(
        "burgernet-xls-percent",
        "burgernet",
        lambda d: [
            write_xls(
                d / "bn.xls",
                BURGERNET_HEADER,
                [[*row[:-1], round(row[-1] / 100, 3)] for row in burgernet_table(burgernet)],
                formats={8: "0.0%"},
            )
        ],
        B,
    )
    # -- values
    add(
        "halt-empty-count-cell",
        "halt",
        lambda d: [
            write_xlsx(
                d / "halt.xlsx",
                HALT_HEADER,
                [[*row[:-1], None if row[-1] == 0 else row[-1]] for row in halt_table(halt)],
            )
        ],
        H,
        note="gelezen als 0",
    )
    add(
        "burgernet-empty-count-cell",
        "burgernet",
        lambda d: [
            write_csv(
                d / "bn.csv",
                BURGERNET_HEADER,
                [[*row[:5], "" if i == 3 else row[5], *row[6:]] for i, row in enumerate(burgernet_table(burgernet))],
            )
        ],
        None,
        refusal="leeg",
    )
    add(
        "riec-self-suppressed",
        "riec",
        lambda d: [
            write_csv(
                d / "riec.csv",
                ["Periode", "Gemeentecode", "Gemeente", "Thema", "Signalen", "Casussen"],
                [
                    [
                        r["periode"],
                        r["gemeente_code"],
                        r["naam"],
                        r["thema"],
                        "<5" if 0 < r["signalen"] < 5 else r["signalen"],
                        r["casussen"],
                    ]
                    for r in riec
                ],
            )
        ],
        None,
        refusal="lever onafgeschermde aantallen aan",
    )
    add(
        "halt-unknown-delictgroep",
        "halt",
        lambda d: [
            write_csv(
                d / "halt.csv",
                HALT_HEADER,
                [
                    [*row[:3], "Winkeldiefstal" if i == 5 else row[3], *row[4:]]
                    for i, row in enumerate(halt_table(halt))
                ],
            )
        ],
        None,
        refusal="Winkeldiefstal",
    )
    add(
        "halt-aliases",
        "halt",
        lambda d: [
            write_csv(
                d / "halt.csv",
                HALT_HEADER,
                [
                    [
                        *row[:3],
                        {"Vermogen": "Vermogensdelicten"}.get(row[3], row[3]),
                        row[4].replace("-", " t/m "),
                        {"Jongen": "jongens", "Meisje": "Meisjes"}[row[5]],
                        row[6],
                    ]
                    for row in halt_table(halt)
                ],
            )
        ],
        H,
    )
    add(
        "riec-bracket-header",
        "riec",
        lambda d: [
            write_csv(
                d / "riec.csv",
                ["Periode", "Gemeentecode", "Thema", "Signalen [/100.000 inw]", "Casussen"],
                [[r["periode"], r["gemeente_code"], r["thema"], r["signalen"], r["casussen"]] for r in riec],
            )
        ],
        None,
        refusal="Signalen [/100.000 inw]",
    )
    out += _more_variants(halt, vhh, riec, burgernet)
    return out


def _more_variants(halt: list[dict], vhh: list[dict], riec: list[dict], burgernet: list[dict]) -> list[Variant]:
    H, V, B = intended("halt", halt), intended("veiligheidshuis", vhh), intended("burgernet", burgernet)
    riec_header = ["Periode", "Gemeentecode", "Gemeente", "Thema", "Signalen", "Casussen"]

    def riec_table(marker=None):
        return [[r["periode"], r["gemeente_code"], r["naam"], r["thema"],
                 marker if marker and 0 < r["signalen"] < 5 else r["signalen"], r["casussen"]] for r in riec]  # fmt: skip

    def month_date(r):
        return dt.datetime(YEAR, int(r["periode"][5:]), 1)

    return [
        # Excel made every month a date: 1-1-2024 is January because 1-2-2024 … 1-6-2024 are months
        Variant(
            "burgernet-months-as-dates",
            "burgernet",
            lambda d: [
                write_xlsx(
                    d / "bn.xlsx",
                    BURGERNET_HEADER,
                    [[month_date(r), *row[1:]] for r, row in zip(burgernet, burgernet_table(burgernet), strict=True)],
                )
            ],
            B,
        ),
        Variant(
            "burgernet-total-participants-column",
            "burgernet",
            lambda d: [
                write_csv(
                    d / "bn.csv",
                    [*BURGERNET_HEADER[:5], "Totaal deelnemers", *BURGERNET_HEADER[5:]],
                    [[*row[:5], row[3] + row[4], *row[5:]] for row in burgernet_table(burgernet)],
                )
            ],
            B,
        ),
        Variant(
            "burgernet-total-participants-wrong",
            "burgernet",
            lambda d: [
                write_csv(
                    d / "bn.csv",
                    [*BURGERNET_HEADER[:5], "Totaal deelnemers", *BURGERNET_HEADER[5:]],
                    [
                        [*row[:5], row[3] + row[4] + (i == 4), *row[5:]]
                        for i, row in enumerate(burgernet_table(burgernet))
                    ],
                )
            ],
            None,
            "totaal klopt niet",
        ),
        Variant(
            "burgernet-coverage-as-fraction",
            "burgernet",
            lambda d: [
                write_xlsx(
                    d / "bn.xlsx",
                    BURGERNET_HEADER,
                    [[*row[:-1], round(row[-1] / 100, 3)] for row in burgernet_table(burgernet)],
                )
            ],
            None,
            "fractie",
        ),
        Variant(
            "halt-gemeente-prefix-and-capitals",
            "halt",
            lambda d: [
                write_csv(
                    d / "halt.csv",
                    ["Periode", "Gemeente", *HALT_HEADER[3:]],
                    [
                        [r[0], f"Gemeente {r[2]}" if i % 2 else r[2].upper(), *r[3:]]
                        for i, r in enumerate(halt_table(halt))
                    ],
                )
            ],
            H,
        ),
        Variant(
            "halt-age-as-date-in-csv",
            "halt",
            lambda d: [
                write_csv(
                    d / "halt.csv",
                    HALT_HEADER,
                    [[*row[:4], "dec-14" if row[4] == "12-14" else row[4], *row[5:]] for row in halt_table(halt)],
                )
            ],
            H,
        ),
        Variant(
            "halt-pivot-nested-subtotals",
            "halt",
            lambda d: [write_xlsx(d / "halt.xlsx", HALT_HEADER, _nested_pivot(halt))],
            H,
            note="totalen",
        ),
        Variant(
            "vhh-region-total-row",
            "veiligheidshuis",
            lambda d: [
                write_csv(
                    d / "vhh.csv",
                    ["Periode", "Gemeentecode", "Gemeente", "Doelgroep", "Aantal"],
                    [[r["periode"], r["gemeente_code"], r["naam"], r["doelgroep"], r["aantal"]] for r in vhh]
                    + [
                        [
                            f"{YEAR}H{h}",
                            "RE07",
                            "Eenheid Rotterdam",
                            g,
                            sum(r["aantal"] for r in vhh if r["periode"] == f"{YEAR}H{h}" and r["doelgroep"] == g),
                        ]
                        for h in (1, 2)
                        for g in VHH_GROUPS
                    ],
                )
            ],
            V,
        ),
        Variant(
            "halt-wide-halfjaar-pivot-blanks",
            "halt",
            lambda d: [_halt_wide_periods(d / "halt.csv", halt, blanks=True)],
            H,
            note="lege cellen in de brede tabel",
        ),
        Variant("halt-sheet-per-half-year", "halt", lambda d: [_halt_sheet_per_half(d / "halt.xlsx", halt)], H),
        Variant(
            "halt-period-in-title-only",
            "halt",
            lambda d: [_halt_sheet_per_half(d / "halt.xlsx", halt, title_only=True)],
            H,
            note="volgens de titel",
        ),
        Variant(
            "halt-header-over-two-rows-merged",
            "halt",
            lambda d: [
                write_xlsx(
                    d / "halt.xlsx",
                    HALT_HEADER,
                    halt_table(halt),
                    title=False,
                    merges=["B1:C1"],
                    header_rows=[
                        ["Periode", "Gemeente", None, "Delictgroep", "Leeftijd", "Geslacht", "Aantal"],
                        [None, "code", "naam", None, None, None, "verwijzingen"],
                    ],
                )
            ],
            H,
        ),
        Variant(
            "riec-x-marker",
            "riec",
            lambda d: [write_csv(d / "riec.csv", riec_header, riec_table("x"))],
            None,
            "lever onafgeschermde aantallen aan",
        ),
        Variant(
            "riec-geheim-marker",
            "riec",
            lambda d: [write_xlsx(d / "riec.xlsx", riec_header, riec_table("[geheim]"))],
            None,
            "lever onafgeschermde aantallen aan",
        ),
        Variant(
            "halt-wide-months-as-dates",
            "halt",
            lambda d: [_halt_wide_month_dates(d / "halt.xlsx", halt)],
            _halt_monthly_intended(halt),
        ),
        Variant(
            "riec-unnamed-column-with-values",
            "riec",
            lambda d: [write_csv(d / "riec.csv", [*riec_header, ""], [[*row, "ja"] for row in riec_table()])],
            None,
            "geen kop maar wel waarden",
        ),
        Variant(
            "vhh-xls-in-folder-with-readme",
            "veiligheidshuis",
            lambda d: [
                write_xls(
                    d / "vhh.xls",
                    ["Periode", "Gemeentecode", "Doelgroep", "Aantal personen"],
                    [[r["periode"], r["gemeente_code"], r["doelgroep"], r["aantal"]] for r in vhh],
                ),
                _readme(d / "LEESMIJ.pdf"),
            ],
            V,
            note="overgeslagen",
        ),
    ]


def _halt_sheet_per_half(path: Path, rows: list[dict], title_only: bool = False) -> Path:
    """One sheet per half-year and no period column: the period is in the sheet name, or only in
    the title row above the table."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for half in (1, 2):
        sheet = workbook.create_sheet(f"Blad{half}" if title_only else f"{half}e halfjaar {YEAR}")
        sheet.append([f"Halt-verwijzingen {'eerste' if half == 1 else 'tweede'} halfjaar {YEAR} (fictief)"])
        sheet.append(HALT_HEADER[1:])
        for row in halt_table([r for r in rows if r["periode"] == f"{YEAR}H{half}"]):
            sheet.append(row[1:])
    workbook.save(path)
    return path


def _readme(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.4 toelichting")
    return path


def _nested_pivot(rows: list[dict]) -> list[list]:
    """A pivot table with subtotals on every level: per age class (geslacht 'Totaal'), per delict
    group ('Vermogen Totaal' in the leeftijd column) and per gemeente."""
    out = []
    for half in (1, 2):
        period = f"{YEAR}H{half}"
        for code, name in gemeenten():
            mine = [r for r in rows if r["periode"] == period and r["gemeente_code"] == code]
            for group in HALT_GROUPS:
                in_group = [r for r in mine if r["delictgroep"] == group]
                for age in ("12-14", "15-17"):
                    in_age = [r for r in in_group if r["leeftijdsklasse"] == age]
                    out += halt_table(in_age)
                    if in_age:
                        out.append([period, code, name, group, age, "Totaal", sum(r["aantal"] for r in in_age)])
                if in_group:
                    out.append([period, code, name, f"{group} Totaal", None, None, sum(r["aantal"] for r in in_group)])
            out.append([period, code, f"{name} Totaal", None, None, None, sum(r["aantal"] for r in mine)])
    return out


def _halt_monthly(rows: list[dict]) -> dict:
    """The half-year counts spread over its six months, deterministically (a monthly Halt file)."""
    counts = {}
    for r in rows:
        if r["periode"] != f"{YEAR}H1":
            continue
        key = (r["gemeente_code"], r["naam"], r["delictgroep"], r["leeftijdsklasse"], r["geslacht"])
        for month in range(1, 7):
            counts[(*key, month)] = r["aantal"] // 6 + (1 if month <= r["aantal"] % 6 else 0)
    return counts


def _halt_wide_month_dates(path: Path, rows: list[dict]) -> Path:
    counts = _halt_monthly(rows)
    keys = sorted({k[:5] for k in counts})
    header = ["Gemeentecode", "Gemeente", "Delictgroep", "Leeftijd", "Geslacht",
              *[dt.datetime(YEAR, m, 1) for m in range(1, 7)]]  # fmt: skip
    return write_xlsx(path, header, [[*k, *[counts[(*k, m)] for m in range(1, 7)]] for k in keys])


def _halt_monthly_intended(rows: list[dict]) -> list[tuple]:
    return sorted((f"{YEAR}-{k[5]:02d}", k[0], k[2], k[3], k[4], v) for k, v in _halt_monthly(rows).items())


BURGERNET_HEADER = ["Periode", "Gemeentecode", "Gemeente", "Deelnemers klassiek", "Deelnemers app", "Acties",
                    "Acties succesvol", "Burgernet-mails", "Dekking (%)"]  # fmt: skip


def burgernet_table(rows: list[dict]) -> list[list]:
    return [[r["periode"], r["gemeente_code"], r["naam"], r["deelnemers_klassiek"], r["deelnemers_app"], r["acties"],
             r["acties_succesvol"], r["burgernet_mails"], r["dekking_pct"]] for r in rows]  # fmt: skip


def _variant_name(name: str) -> str:
    """How analysts write names: abbreviations, spaces for hyphens, a trailing space."""
    return {"Capelle aan den IJssel": "Capelle a/d IJssel", "Krimpen aan den IJssel": "Krimpen a/d IJssel",
            "Hoeksche Waard": "Hoeksche Waard ", "Alblasserdam": " alblasserdam"}.get(name, name.replace("-", " "))  # fmt: skip


def _resorted_names(rows: list[dict]) -> list[list]:
    """The name column sorted on its own: names no longer beside their codes."""
    names = sorted(r["naam"] for r in rows)
    return [
        [r["periode"], r["gemeente_code"], n, r["thema"], r["signalen"], r["casussen"]]
        for r, n in zip(rows, names, strict=True)
    ]


def _riec_with_formula_totals(path: Path, rows: list[dict], in_data: bool = False) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Periode", "Gemeentecode", "Gemeente", "Thema", "Signalen", "Casussen"])
    for half in (1, 2):
        first = sheet.max_row + 1
        for r in [r for r in rows if r["periode"].endswith(str(half))]:
            sheet.append([r["periode"], r["gemeente_code"], r["naam"], r["thema"], r["signalen"], r["casussen"]])
        last = sheet.max_row
        sheet.append([f"{YEAR}H{half}", "", "Totaal", "", f"=SUM(E{first}:E{last})", f"=SUM(F{first}:F{last})"])
    if in_data:
        sheet["E3"] = f"=2+{sheet['E3'].value - 2}"
    workbook.save(path)
    return path


def _trailing_semicolons(path: Path, rows: list[dict]) -> Path:
    lines = ["Periode;Gemeentecode;Gemeente;Thema;Signalen;Casussen;"]
    lines += [
        f"{r['periode']};{r['gemeente_code']};{r['naam']};{r['thema']};{r['signalen']};{r['casussen']};" for r in rows
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _vhh_merged(path: Path, rows: list[dict]) -> Path:
    """The gemeente code and name merged over the gemeente's doelgroep rows."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Periode", "Gemeentecode", "Gemeente", "Doelgroep", "Aantal personen"])
    for half in (1, 2):
        for code, name in gemeenten():
            mine = [r for r in rows if r["gemeente_code"] == code and r["periode"].endswith(str(half))]
            first = sheet.max_row + 1
            for i, r in enumerate(mine):
                sheet.append(
                    [r["periode"], code if i == 0 else None, name if i == 0 else None, r["doelgroep"], r["aantal"]]
                )
            sheet.merge_cells(f"B{first}:B{sheet.max_row}")
            sheet.merge_cells(f"C{first}:C{sheet.max_row}")
    workbook.save(path)
    return path


def _vhh_wide(path: Path, rows: list[dict]) -> Path:
    """One column per doelgroep, and a Totaal column."""
    header = ["Periode", "Gemeentecode", "Gemeente", *VHH_GROUPS, "Totaal"]
    table = []
    for half in (1, 2):
        for code, name in gemeenten():
            counts = {r["doelgroep"]: r["aantal"] for r in rows
                      if r["gemeente_code"] == code and r["periode"].endswith(str(half))}  # fmt: skip
            table.append([f"{YEAR}-H{half}", code, name, *[counts[g] for g in VHH_GROUPS], sum(counts.values())])
    return write_xlsx(path, header, table)


def _halt_wide_periods(path: Path, rows: list[dict], blanks: bool = False) -> Path:
    """One column per half-year ("1e halfjaar 2024", "2e halfjaar 2024"); combinations without
    referrals in a half-year are 0 there."""
    keys = sorted(
        {(r["gemeente_code"], r["naam"], r["delictgroep"], r["leeftijdsklasse"], r["geslacht"]) for r in rows}
    )
    counts = {(r["gemeente_code"], r["delictgroep"], r["leeftijdsklasse"], r["geslacht"], r["periode"]): r["aantal"]
              for r in rows}  # fmt: skip
    header = [
        "Gemeentecode",
        "Gemeente",
        "Delictgroep",
        "Leeftijd",
        "Geslacht",
        f"1e halfjaar {YEAR}",
        f"2e halfjaar {YEAR}",
    ]
    table = [[code, name, group, age, sex, *[counts.get((code, group, age, sex, f"{YEAR}H{h}"), None if blanks else 0) for h in (1, 2)]]
             for code, name, group, age, sex in keys]  # fmt: skip
    return write_csv(path, header, table)


def wide_halt_intended(rows: list[dict]) -> list[tuple]:
    """The wide Halt layout has a 0 where a combination had no referrals in one half-year."""
    keys = sorted({(r["gemeente_code"], r["delictgroep"], r["leeftijdsklasse"], r["geslacht"]) for r in rows})
    counts = {(r["gemeente_code"], r["delictgroep"], r["leeftijdsklasse"], r["geslacht"], r["periode"]): r["aantal"]
              for r in rows}  # fmt: skip
    return sorted((f"{YEAR}H{h}", code, group, age, sex, counts.get((code, group, age, sex, f"{YEAR}H{h}"), 0))
                  for code, group, age, sex in keys for h in (1, 2))  # fmt: skip


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1])
    for variant in variants():
        folder = target / variant.name / variant.source
        folder.mkdir(parents=True, exist_ok=True)
        variant.write(folder)
    print(f"{len(variants())} varianten geschreven in {target}")
