"""The Great Expectations suites, generated from the source contracts, the reference data and the
indicator catalogue so they stay in sync, and checked in as GX 1.x JSON in ``expectations/``.

Regenerate after changing a contract or the reference data::

    python -m pipeline.validate.suites          # writes expectations/*.json
    python -m pipeline.validate.suites --check  # exit 1 when the checked-in files are stale

Every expectation carries its severity twice: GX's own ``severity`` (``critical``/``warning``)
and ``meta.ernst`` (``blokkerend``/``waarschuwing``) with a Dutch ``meta.omschrijving`` that the
summary shows to the analyst.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pipeline.kernel.periods import canonical_pattern
from pipeline.kernel.sources import PERIOD_KINDS, SOURCES, Source
from pipeline.reference import Reference, reference
from pipeline.validate.frames import frame_columns

BLOCKING = "blokkerend"
WARNING = "waarschuwing"
JUMP_RANGE = (0.2, 5.0)
SHARE_RANGE = (0.25, 4.0)
#: a figure that an earlier edition already published should not double or halve when re-delivered
REVISION_RANGE = (0.5, 2.0)


def expectations_dir() -> Path:
    from pipeline.kernel.config import settings

    return settings().expectations_dir


def _exp(kind: str, ernst: str, regel: str, omschrijving: str, **kwargs: object) -> dict:
    return {
        "type": kind,
        "kwargs": kwargs,
        "meta": {"ernst": ernst, "regel": regel, "omschrijving": omschrijving},
        "severity": "critical" if ernst == BLOCKING else "warning",
    }


def source_suite(source: Source, ref: Reference) -> dict:
    e = []
    e.append(_exp("expect_table_columns_to_match_set", BLOCKING, "schema", "de kolommen zijn die van het contract van de bron",
                  column_set=frame_columns(source), exact_match=True))  # fmt: skip
    for column in (c for c in source.required if not c.nullable):
        e.append(
            _exp(
                "expect_column_values_to_not_be_null",
                BLOCKING,
                "schema",
                f"{column.name} is altijd ingevuld",
                column=column.name,
            )
        )
    kinds = sorted(PERIOD_KINDS[source.name])
    regex = "^" + canonical_pattern(*kinds) + "$"
    e.append(_exp("expect_column_values_to_match_regex", BLOCKING, "perioden", "periode heeft de vorm die bij deze bron hoort",
                  column="periode", regex=regex))  # fmt: skip
    e.append(_exp("expect_column_values_to_be_in_set", BLOCKING, "perioden",
                  "periode is een geldige periode die niet in de toekomst ligt", column="_periode_ok", value_set=[True]))  # fmt: skip
    e.append(_exp("expect_column_values_to_be_in_set", BLOCKING, "codes",
                  "gebiedscode is geldig en de gemeente bestond in het jaar van de periode, of in de indeling die het bestand noemt (voorgangers alleen vóór hun herindeling)",
                  column="_gebied_ok", value_set=[True]))  # fmt: skip
    for column in source.columns:
        if column.kind == "count":
            e.append(_exp("expect_column_values_to_be_between", BLOCKING, "aantallen", f"{column.name} is niet negatief",
                          column=column.name, min_value=0))  # fmt: skip
        if column.kind == "count" and column.required:
            e.append(_exp("expect_column_values_to_be_in_type_list", BLOCKING, "aantallen", f"{column.name} is een geheel getal",
                          column=column.name, type_list=["int64", "Int64", "int32", "Int32"]))  # fmt: skip
    for column in (c for c in source.columns if c.values):
        e.append(_exp("expect_column_values_to_be_in_set", BLOCKING, "categorieën",
                      f"{column.name} is een waarde uit het contract (andere schrijfwijzen zijn bij het inlezen vertaald)",
                      column=column.name, value_set=list(column.values)))  # fmt: skip
    e.append(_exp("expect_compound_columns_to_be_unique", BLOCKING, "dubbele rijen", "geen dubbele sleutels",
                  column_list=list(source.key), ignore_row_if="never"))  # fmt: skip
    if source.name in ("politie_misdrijven", "politie_incidenten"):
        codes = ref.crime_codes if source.name == "politie_misdrijven" else ref.nuisance_codes
        e.append(_exp("expect_column_values_to_be_in_set", BLOCKING, "codes", "soort_code staat in de codelijst van de politie",
                      column="soort_code", value_set=sorted(codes)))  # fmt: skip
        e.append(_exp("expect_column_values_to_be_in_set", BLOCKING, "totaal gemengd met delen",
                      "een gemeentetotaal komt niet samen met de wijken of buurten ervan voor",
                      column="_totaal_gemengd", value_set=[False]))  # fmt: skip
        e.append(_exp("expect_column_values_to_be_between", WARNING, "eigen totaal",
                      "het eigen totaal van de eenheid (of van Nederland) in een levering is de som van haar gemeenten; "
                      "het verschil staat in de editie als 'niet aan een gemeente toe te delen'",
                      column="_totaal_verschil", min_value=0, max_value=0))  # fmt: skip
    if source.name == "veiligheidsmonitor":
        indicators = sorted(i.code for i in ref.indicators if i.bron == "veiligheidsmonitor")
        e.append(_exp("expect_column_values_to_be_in_set", BLOCKING, "codes", "indicator staat in de indicatorcatalogus",
                      column="indicator_code", value_set=indicators))  # fmt: skip
        e.append(_exp("expect_column_values_to_be_in_set", BLOCKING, "bereik",
                      "waarde ligt binnen het bereik van de eenheid van de indicator (0–100 %, cijfer 1–10)",
                      column="_binnen_bereik", value_set=[True]))  # fmt: skip
        e.append(
            _exp(
                "expect_column_values_to_be_between",
                BLOCKING,
                "bereik",
                "marge is niet negatief",
                column="marge",
                min_value=0,
            )
        )
        e.append(_exp("expect_column_values_to_be_in_set", BLOCKING, "codes", "eenheid past bij de catalogus",
                      column="eenheid", value_set=sorted({i.eenheid for i in ref.indicators if i.bron == "veiligheidsmonitor"})))  # fmt: skip
    else:
        low, high = JUMP_RANGE
        e.append(_exp("expect_column_values_to_be_between", WARNING, "sprong",
                      f"een cijfer van een gemeente is niet meer dan {high:g}× zo groot of klein als een jaar eerder",
                      column="_sprongfactor", min_value=low, max_value=high))  # fmt: skip
        low, high = REVISION_RANGE
        e.append(_exp("expect_column_values_to_be_between", WARNING, "sprong t.o.v. vorige editie",
                      f"een cijfer van een gemeente voor een periode is niet meer dan {high:g}× zo groot of klein als in de vorige editie",
                      column="_editie_sprong", min_value=low, max_value=high))  # fmt: skip
        e.append(_exp("expect_column_max_to_be_between", WARNING, "bron ontbreekt",
                      "de bron heeft cijfers tot en met de periode van de editie",
                      column="_periode_index", min_value={"$PARAMETER": "editie_eind_index"}))  # fmt: skip
    if "month" in PERIOD_KINDS[source.name] and source.name != "veiligheidsmonitor":
        e.append(_exp("expect_column_values_to_be_between", WARNING, "maanden ontbreken",
                      "elke gemeente heeft cijfers voor elke maand van het jaar", column="_ontbrekende_maanden", max_value=0))  # fmt: skip
    if source.name in ("politie_misdrijven", "politie_incidenten"):
        low, high = SHARE_RANGE
        e.append(_exp("expect_column_values_to_be_between", WARNING, "aandeel",
                      "het aandeel van een soort in een gemeente verandert niet meer dan 4× ten opzichte van het jaar ervoor",
                      column="_aandeel_sprong", min_value=low, max_value=high))  # fmt: skip
    return {
        "name": source.name,
        "expectations": e,
        "meta": {"bron": source.name, "label": source.label, "gegenereerd_door": "python -m pipeline.validate.suites"},
    }


REFERENCE_COLUMNS = ["gemeente_code", "jaar", "inwoners", "inwoners_12_17", "in_regio", "district_code", "_district_ok"]


def reference_suite(ref: Reference) -> dict:
    e = [
        _exp("expect_table_columns_to_match_set", BLOCKING, "schema", "de referentietabel heeft de verwachte kolommen",
             column_set=REFERENCE_COLUMNS, exact_match=True),
        _exp("expect_column_values_to_match_regex", BLOCKING, "codes", "gemeentecodes hebben de vorm GMxxxx",
             column="gemeente_code", regex=r"^GM\d{4}$"),
        _exp("expect_compound_columns_to_be_unique", BLOCKING, "dubbele rijen", "één bevolkingscijfer per gemeente en jaar",
             column_list=["gemeente_code", "jaar"]),
        _exp("expect_column_values_to_be_between", BLOCKING, "bevolking", "inwoners tussen 1 en 2 miljoen",
             column="inwoners", min_value=1, max_value=2_000_000),
        _exp("expect_column_pair_values_a_to_be_greater_than_b", BLOCKING, "bevolking", "er zijn meer inwoners dan jongeren",
             column_A="inwoners", column_B="inwoners_12_17"),
        _exp("expect_column_values_to_be_in_set", BLOCKING, "districten", "elke gemeente van de regio heeft een district",
             column="_district_ok", value_set=[True]),
    ]  # fmt: skip
    return {
        "name": "referentie",
        "expectations": e,
        "meta": {"bron": "referentie", "gegenereerd_door": "python -m pipeline.validate.suites"},
    }


def coverage_suite() -> dict:
    from pipeline.validate.coverage import COLUMNS

    e = [
        _exp("expect_table_columns_to_match_set", BLOCKING, "schema", "de dekkingstabel heeft de verwachte kolommen",
             column_set=COLUMNS, exact_match=True),
        _exp("expect_column_values_to_be_null", BLOCKING, "niet aangeleverd",
             "elke gemeente van de regio heeft een cijfer voor elke periode die de bron levert "
             "(bij deze bron betekent een ontbrekende gemeente 'niet aangeleverd', niet 0)",
             column="ontbreekt"),
    ]  # fmt: skip
    return {
        "name": "dekking",
        "expectations": e,
        "meta": {"bron": "dekking", "gegenereerd_door": "python -m pipeline.validate.suites"},
    }


#: the columns the mart check adds to indicator_values before the suite runs (pipeline.validate.marts)
INDICATOR_VALUE_HELPERS = ("_rate_ok", "_som_ok", "_klein_gevoelig", "_af_te_leiden")


def indicator_values_suite() -> dict:
    from pipeline.kernel.mart_columns import EXPORT_COLUMNS

    labels = ["geen significante verandering", "daling", "stijging", "sterke daling", "sterke stijging"]
    e = [
        _exp("expect_table_columns_to_match_set", BLOCKING, "schema", "de mart heeft de gedocumenteerde kolommen",
             column_set=[*EXPORT_COLUMNS, *INDICATOR_VALUE_HELPERS], exact_match=False),
        _exp("expect_compound_columns_to_be_unique", BLOCKING, "dubbele rijen", "één cijfer per niveau, gebied, periode en indicator",
             column_list=["level", "area_code", "period", "indicator_code"]),
        _exp("expect_column_values_to_be_in_set", BLOCKING, "schema",
             "niveau is eenheid, district, gemeente of 'niet toe te delen' (wat het eigen totaal van de bron meer telt)",
             column="level", value_set=["eenheid", "district", "gemeente", "niet toe te delen"]),
        _exp("expect_column_values_to_be_in_set", BLOCKING, "schema", "periodesoort is halfjaar of jaar",
             column="period_type", value_set=["halfjaar", "jaar"]),
        _exp("expect_column_values_to_be_between", BLOCKING, "aantallen", "cijfers zijn niet negatief", column="value", min_value=0),
        _exp("expect_column_values_to_not_be_null", BLOCKING, "schema", "elk cijfer heeft een weergave", column="display_value"),
        _exp("expect_column_values_to_be_in_set", BLOCKING, "schema", "het label is een van de vijf labels",
             column="change_label", value_set=labels),
        _exp("expect_column_values_to_be_in_set", BLOCKING, "cijfers per 1.000",
             "het cijfer per 1.000 klopt met aantal en bevolking", column="_rate_ok", value_set=[True]),
        _exp("expect_column_values_to_be_in_set", BLOCKING, "optelling",
             "eenheid = som van de gemeenten (+ niet toe te delen) = som van de districten (optelbare aantallen zonder afscherming)",
             column="_som_ok", value_set=[True]),
        _exp("expect_column_values_to_be_in_set", BLOCKING, "afscherming",
             "geen gevoelig aantal van 1 tot en met 4 op gemeenteniveau", column="_klein_gevoelig", value_set=[False]),
        _exp("expect_column_values_to_be_in_set", BLOCKING, "afscherming",
             "geen afgeschermd cijfer is af te leiden uit een totaal of uit jaar min halfjaar",
             column="_af_te_leiden", value_set=[False]),
    ]  # fmt: skip
    return {
        "name": "indicator_values",
        "expectations": e,
        "meta": {"mart": "indicator_values", "gegenereerd_door": "python -m pipeline.validate.suites"},
    }


def survey_values_suite() -> dict:
    e = [
        _exp("expect_compound_columns_to_be_unique", BLOCKING, "dubbele rijen", "één schatting per niveau, gebied, golf en indicator",
             column_list=["level", "area_code", "period", "indicator_code"]),
        _exp("expect_column_values_to_be_in_set", BLOCKING, "bereik", "schatting binnen het bereik van de eenheid",
             column="_binnen_bereik", value_set=[True]),
        _exp("expect_column_values_to_be_between", BLOCKING, "bereik", "marge is niet negatief", column="margin", min_value=0),
        _exp("expect_column_values_to_be_in_set", BLOCKING, "bereik", "de schatting ligt tussen onder- en bovengrens",
             column="_interval_ok", value_set=[True]),
    ]  # fmt: skip
    return {
        "name": "veiligheidsmonitor_values",
        "expectations": e,
        "meta": {"mart": "veiligheidsmonitor_values", "gegenereerd_door": "python -m pipeline.validate.suites"},
    }


def build_suites(ref: Reference | None = None) -> dict[str, dict]:
    ref = ref or reference()
    suites = {name: source_suite(source, ref) for name, source in SOURCES.items()}
    suites["referentie"] = reference_suite(ref)
    suites["dekking"] = coverage_suite()
    suites["indicator_values"] = indicator_values_suite()
    suites["veiligheidsmonitor_values"] = survey_values_suite()
    return suites


def render(suite: dict) -> str:
    return json.dumps(suite, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def load_suite(name: str) -> dict:
    path = expectations_dir() / f"{name}.json"
    from pipeline.kernel.errors import GvbError

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GvbError(f"GX-suite {path} ontbreekt; maak hem met 'python -m pipeline.validate.suites'") from None
    except json.JSONDecodeError as exc:
        raise GvbError(f"GX-suite {path} is geen geldige JSON: {exc}") from None


def main(argv: list[str]) -> int:
    target = expectations_dir()
    stale = []
    for name, suite in build_suites().items():
        path = target / f"{name}.json"
        text = render(suite)
        if "--check" in argv:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"{path}: {len(suite['expectations'])} verwachtingen")
    if stale:
        print("Verouderde suites (draai python -m pipeline.validate.suites): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
