"""The reference facts the whole pipeline leans on."""

from __future__ import annotations

import csv
import re

import pytest

from pipeline.reference import DATA_DIR, is_total_label, reference

CURRENT_23 = {
    "GM0482", "GM0489", "GM0502", "GM0505", "GM0512", "GM0523", "GM0531", "GM0542", "GM0556", "GM0590", "GM0597",
    "GM0599", "GM0606", "GM0610", "GM0613", "GM0622", "GM0642", "GM1621", "GM1924", "GM1930", "GM1963", "GM1978",
    "GM1992",
}  # fmt: skip


@pytest.mark.parametrize(
    ("year", "count"), [(2014, 33), (2017, 32), (2018, 32), (2019, 25), (2022, 25), (2023, 23), (2026, 23)]
)
def test_region_membership_follows_mergers(year: int, count: int) -> None:
    assert len(reference().region_members("RE07", year)) == count


def test_current_members_match_the_real_2023_list(open_data) -> None:
    with (open_data / "codes" / "eenheid_rotterdam_gemeenten_2023.csv").open(encoding="utf-8") as fh:
        real = {row["gemeentecode"] for row in csv.DictReader(fh)}
    assert reference().region_members("RE07", 2024) == real == CURRENT_23


def test_mergers_lead_to_current_gemeenten() -> None:
    ref = reference()
    assert ref.current_code("GM0501") == "GM1992"  # Brielle -> Voorne aan Zee (2023)
    assert ref.current_code("GM0585") == "GM1963"  # Binnenmaas -> Hoeksche Waard (2019)
    assert ref.current_code("GM0693") == "GM1978"  # Graafstroom -> Molenwaard -> Molenlanden
    assert ref.current_code("GM0545") == "GM1961"  # Leerdam left the region for Vijfheerenlanden
    for old in ref.successor:
        if ref.merger_year[old] == 2012:  # ended in 2011, before the first year gvb knows
            assert ref.gemeente(old) is None
            continue
        assert ref.gemeente(old).laatste_jaar == ref.merger_year[old] - 1, old
    assert len(ref.successors) == 103  # every code that ceased 2012-2026 (CBS), splits included


def test_names_resolve_per_year() -> None:
    ref = reference()
    assert ref.code_for_name("Brielle", 2022) == "GM0501"
    assert ref.code_for_name("Brielle", 2023) is None and ref.knows_name("Brielle")
    assert ref.code_for_name("Voorne aan Zee", 2023) == "GM1992"
    assert ref.code_for_name("'s-Gravenhage", 2024) == "GM0518"
    assert ref.code_for_name("Atlantis", 2024) is None and not ref.knows_name("Atlantis")
    assert is_total_label("Rotterdam (RE)") and is_total_label("Nederland") and not is_total_label("Rotterdam")


def test_population_exists_for_every_member_and_year() -> None:
    ref = reference()
    for year in range(2012, 2027):
        for code in ref.region_members("RE07", year):
            total, youth = ref.population[(code, year)]
            assert total > 1000 and 0.04 < youth / total < 0.10, (code, year)


def test_every_member_and_rotterdam_wijk_has_a_district() -> None:
    ref = reference()
    mapped = {(row["gebied_code"]) for row in ref.district_indeling}
    for year in range(2012, 2027):
        members = ref.region_members("RE07", year) - {"GM0599"}
        assert members <= mapped, (year, members - mapped)
    rotterdam_wijken = {code for code, row in ref.wijken.items() if row["gemeente_code"] == "GM0599"}
    assert rotterdam_wijken and rotterdam_wijken <= mapped
    assert {row["district_code"] for row in ref.district_indeling} == set(ref.districten)


def test_indicator_catalogue_covers_the_design() -> None:
    ref = reference()
    by_code = {i.code: i for i in ref.indicators}
    definitions = " ".join(i.definitie for i in ref.indicators if i.bron == "politie_misdrijven")
    for code in ["0.0.0", "1.1.1", "1.4.6", "1.4.7", "1.4.5", "1.2.1", "1.2.3", "1.2.4", "2.5.1", "2.5.2", "2.2.1",
                 "3.1.1", "3.7.4", "3.9.1", "1.6.3", "3.5.2"]:  # fmt: skip
        assert code in definitions
    for code in re.findall(r"[\d.]+\.\d", definitions):
        assert code in ref.crime_codes
    assert {"I_VERWARD", "I_JEUGD", "I_ALCOHOL_DRUGS", "I_GELUID", "H_VERWIJZINGEN", "V_PERSONEN", "R_SIGNALEN",
            "B_DEKKING", "VM_ONVEILIG"} <= set(by_code)  # fmt: skip
    assert by_code["H_VERWIJZINGEN"].noemer == "jongeren_12_17"
    for indicator in ref.indicators:
        assert indicator.label and indicator.toelichting and indicator.thema
        if indicator.bron in ("halt", "riec", "veiligheidshuis") or indicator.code in ("M_ZEDEN", "M_MENSENHANDEL"):
            assert indicator.sensitive, indicator.code
        assert indicator.polariteit in {"hoger_is_slechter", "hoger_is_beter", "neutraal"}


def test_reference_files_document_themselves() -> None:
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for path in DATA_DIR.glob("*.csv"):
        assert path.name in readme, f"{path.name} is not described in data/README.md"


def test_category_aliases_point_to_contract_values_and_never_to_two() -> None:
    from pipeline.kernel.sources import SOURCES
    from pipeline.reference import category_key, reference

    ref = reference()
    assert ref.category_aliases, "categorie_aliassen.csv is empty or not read"
    for (bron, kolom), spellings in ref.category_aliases.items():
        column = SOURCES[bron].column(kolom)
        own = {category_key(v): v for v in column.values}
        for key, value in spellings.items():
            assert value in column.values, (bron, kolom, value)
            # a spelling that is another value's own spelling would make a category ambiguous
            assert own.get(key, value) == value, (bron, kolom, key)
