"""The contract of every source: which columns a delivery has (and the names partners use for
them), what each column holds, which columns identify a row, and the raw table it loads into.

The ingest, the status overview, the README and (later) the Great Expectations suites all read
these contracts, so a source is described once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    name: str  # canonical name in the raw table
    kind: str  # period | area | gemeente | text | count | decimal
    aliases: tuple[str, ...] = ()
    required: bool = True  # the column must be in the delivery
    sql_type: str = "VARCHAR"
    description: str = ""
    nullable: bool = False  # an empty cell is allowed (e.g. a survey value withheld for too few respondents)
    #: the values a category column may hold (other spellings: reference file categorie_aliassen.csv)
    values: tuple[str, ...] = ()

    def accepts(self, header: str) -> bool:
        names = {_norm(self.name), *(_norm(a) for a in self.aliases)}
        if _norm(header) in names:
            return True
        # a unit that says "a count" after a count column's name: "Signalen (aantal)", "Casussen [n]";
        # never another unit ("Signalen [/100.000 inw]" is a rate, not a count)
        unit = re.fullmatch(r"(.+?)\s*[(\[]\s*(aantal|n|abs|absoluut|#)\s*[)\]]", header.strip(), re.IGNORECASE)
        return self.kind == "count" and unit is not None and _norm(unit.group(1)) in names


def _norm(text: str) -> str:
    return "".join(ch for ch in text.strip().lower() if ch.isalnum())


@dataclass(frozen=True)
class Source:
    name: str  # bron: folder name in data_raw/, raw view raw_<name>
    label: str  # Dutch label for users
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # one row per key
    replace_key: tuple[str, ...]  # a newer delivery replaces older rows with the same values here
    area_column: str = "gemeente_code"
    description: str = ""
    measures: tuple[str, ...] = field(default=())
    #: what a gemeente absent from a delivered period means: "not_delivered" (police tables list every
    #: gemeente, so it is a blocking finding and "geen cijfer"), "zero" (Halt lists only gemeenten with
    #: referrals) or "no_rule" (a survey wave need not cover every gemeente)
    absent_gemeente: str = "not_delivered"

    @property
    def view(self) -> str:
        return f"raw_{self.name}"

    @property
    def table(self) -> str:
        return f"load_{self.name}"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]


_PERIODE = Column(
    "periode", "period", ("periode", "perioden", "period", "maand", "halfjaar", "jaar"),
    description="`YYYY-MM` (maand), `YYYYH1`/`YYYYH2` (halfjaar) of `YYYY` (jaar)",
)  # fmt: skip
_GEMEENTE = Column(
    "gemeente_code", "gemeente",
    ("gemeentecode", "gemeente code", "code gemeente", "cbs-code", "cbs code", "gm-code", "gm code", "regiocode"),
    description="CBS-gemeentecode `GMxxxx` zoals die in die periode gold",
)  # fmt: skip
_GEMEENTE_NAAM = Column(
    "gemeente_naam", "text", ("gemeente", "gemeentenaam", "naam gemeente"), required=False,
    description="naam van de gemeente zoals aangeleverd (informatief)",
)  # fmt: skip


def _police(name: str, label: str, code_desc: str) -> Source:
    return Source(
        name=name,
        label=label,
        columns=(
            _PERIODE,
            Column(
                "gebied_code", "area", ("gebiedcode", "gebied", "regiocode", "wijkenenbuurten", "regios"),
                description="`GMxxxx`, `WKxxxxxx` of `BUxxxxxxxx`",
            ),
            Column("soort_code", "text", ("soortcode", "soort", "code"), description=code_desc),
            Column("soort_naam", "text", ("soortnaam", "omschrijving"), required=False,
                   description="omschrijving van de soort zoals aangeleverd"),
            Column("aantal", "count", ("aantal", "geregistreerd", "count"), sql_type="BIGINT",
                   description="aantal registraties (geheel getal ≥ 0)"),
            Column("indeling", "indeling", ("indeling", "gemeentelijke indeling"), required=False, sql_type="INTEGER",
                   description="jaar van de gemeentelijke indeling waarin de gebiedscodes staan (StatLine-titel "
                               "\"… gemeente 2026\" of `gvb ingest --indeling`); leeg = de indeling van de periode zelf"),
        ),
        key=("periode", "gebied_code", "soort_code"),
        replace_key=("periode", "gemeente_code", "soort_code"),
        area_column="gebied_code",
        measures=("aantal",),
    )  # fmt: skip


POLITIE_MISDRIJVEN = _police(
    "politie_misdrijven", "Politie — misdrijven", "politiecode soort misdrijf, bv. `1.1.1` (zonder spaties)"
)
POLITIE_INCIDENTEN = _police(
    "politie_incidenten", "Politie — incidenten (overlast)", "politiecode overlast, bv. `E33`, `M22` (zonder spaties)"
)

HALT = Source(
    name="halt",
    label="Halt — verwijzingen",
    columns=(
        _PERIODE, _GEMEENTE, _GEMEENTE_NAAM,
        Column("delictgroep", "text", ("delictgroep", "delict", "delictcategorie", "soort delict", "delicttype",
                                       "delictsoort", "categorie"),
               description="delictgroep, bv. `Vernieling en openbare orde`, `Vermogen`",
               values=("Vernieling en openbare orde", "Vermogen", "Geweld", "Vuurwerk", "Leerplicht", "Overig")),
        Column("leeftijdsklasse", "text", ("leeftijd", "leeftijdsklasse", "leeftijdsgroep", "leeftijdscategorie", "leeftijd klasse",
                                           "leeftijdscategorieen"), required=False,
               description="`12-14` of `15-17`", values=("12-14", "15-17")),
        Column("geslacht", "text", ("geslacht", "sekse"), required=False, description="`Jongen` of `Meisje`",
               values=("Jongen", "Meisje")),
        Column("aantal", "count", ("aantal verwijzingen", "verwijzingen", "aantal", "halt-verwijzingen",
                                   "aantal jongeren"), sql_type="BIGINT",
               description="aantal verwijzingen"),
    ),
    key=("periode", "gemeente_code", "delictgroep", "leeftijdsklasse", "geslacht"),
    replace_key=("periode", "gemeente_code"),
    measures=("aantal",),
    absent_gemeente="zero",
)  # fmt: skip

RIEC = Source(
    name="riec",
    label="RIEC — ondermijning",
    columns=(
        _PERIODE, _GEMEENTE, _GEMEENTE_NAAM,
        Column("thema", "text", ("thema", "riec-thema", "riec thema"),
               description="thema, bv. `Drugs`, `Mensenhandel`, `Vastgoedfraude`, `Witwassen`",
               values=("Drugs", "Mensenhandel", "Vastgoedfraude", "Witwassen", "Overig")),
        Column("signalen", "count", ("signalen", "aantal signalen", "binnengekomen signalen"), sql_type="BIGINT",
               description="binnengekomen signalen"),
        Column("casussen", "count", ("casussen", "integrale casussen", "aantal casussen", "aantal integrale casussen"),
               sql_type="BIGINT",
               description="integrale casussen"),
    ),
    key=("periode", "gemeente_code", "thema"),
    replace_key=("periode", "gemeente_code"),
    measures=("signalen", "casussen"),
    absent_gemeente="zero",
)  # fmt: skip

VEILIGHEIDSHUIS = Source(
    name="veiligheidshuis",
    label="Zorg- en Veiligheidshuis — persoonsgerichte aanpak",
    columns=(
        _PERIODE, _GEMEENTE, _GEMEENTE_NAAM,
        Column("doelgroep", "text", ("doelgroep", "aanpak", "type aanpak"),
               description="doelgroep, bv. `Top-X / HIC-daders`, `Veelplegers`, `ZSM-zaken`",
               values=("Top-X / HIC-daders", "Veelplegers", "Nazorg ex-gedetineerden", "Complexe casuïstiek",
                       "ZSM-zaken")),
        Column("aantal", "count", ("aantal personen", "personen in aanpak", "aantal", "personen", "aantal in aanpak"),
               sql_type="BIGINT",
               description="aantal personen (bij ZSM: zaken)"),
    ),
    key=("periode", "gemeente_code", "doelgroep"),
    replace_key=("periode", "gemeente_code"),
    measures=("aantal",),
    absent_gemeente="zero",
)  # fmt: skip

BURGERNET = Source(
    name="burgernet",
    label="Burgernet",
    columns=(
        _PERIODE, _GEMEENTE, _GEMEENTE_NAAM,
        Column("deelnemers_klassiek", "count", ("deelnemers klassiek", "deelnemers (klassiek)", "klassiek",
                                                "deelnemers telefoon", "deelnemers sms"), sql_type="BIGINT",
               description="deelnemers via telefoon/sms aan het eind van de periode"),
        Column("deelnemers_app", "count", ("deelnemers app", "deelnemers (app)", "app", "app-deelnemers"),
               sql_type="BIGINT",
               description="deelnemers via de app aan het eind van de periode"),
        Column("acties", "count", ("acties", "burgernetacties", "aantal acties"), sql_type="BIGINT",
               description="Burgernetacties"),
        Column("acties_succesvol", "count", ("acties succesvol", "succesvolle acties", "acties met resultaat",
                                             "succesvol"), sql_type="BIGINT",
               description="acties met direct resultaat"),
        Column("burgernet_mails", "count", ("burgernet-mails", "burgernet mails", "mails"), sql_type="BIGINT",
               description="Burgernet-mails en digitale buurtonderzoeken"),
        Column("dekking_pct", "decimal", ("dekking (%)", "dekking", "dekking %", "dekkingsgraad", "dekking in %",
                                          "percentage deelnemers"), required=False, sql_type="DOUBLE",
               description="deelnemers als % van de inwoners, zoals aangeleverd (informatief)"),
    ),
    key=("periode", "gemeente_code"),
    replace_key=("periode", "gemeente_code"),
    measures=("deelnemers_klassiek", "deelnemers_app", "acties", "acties_succesvol", "burgernet_mails"),
)  # fmt: skip

VEILIGHEIDSMONITOR = Source(
    name="veiligheidsmonitor",
    label="Veiligheidsmonitor",
    columns=(
        _PERIODE,
        Column("gebied_code", "area", ("gebiedcode", "regiocode", "gebied code"),
               description="`GMxxxx`, districtcode (bv. `RE07-RS`) of eenheid (`RE07`)"),
        Column("gebied_naam", "text", ("gebied", "gebiedsnaam", "regio"), required=False,
               description="naam van het gebied (informatief)"),
        Column("indicator_code", "text", ("indicator", "indicatorcode"),
               description="indicatorcode uit de catalogus, bv. `VM_ONVEILIG`"),
        Column("eenheid", "text", ("eenheid", "maat"), required=False,
               description="`percentage`, `rapportcijfer` of `score`"),
        Column("waarde", "decimal", ("waarde", "schatting"), sql_type="DOUBLE",
               description="schatting; leeg bij onvoldoende respons", nullable=True),
        Column("marge", "decimal", ("marge", "betrouwbaarheidsmarge"), sql_type="DOUBLE",
               description="halve breedte van het 95%-betrouwbaarheidsinterval", nullable=True),
        Column("respons", "count", ("respons", "aantal respondenten", "n"), required=False, sql_type="BIGINT",
               description="aantal respondenten"),
    ),
    key=("periode", "gebied_code", "indicator_code"),
    replace_key=("periode", "gebied_code"),
    area_column="gebied_code",
    measures=("waarde", "marge", "respons"),
    absent_gemeente="no_rule",
)  # fmt: skip

SOURCES: dict[str, Source] = {
    s.name: s
    for s in (POLITIE_MISDRIJVEN, POLITIE_INCIDENTEN, HALT, RIEC, VEILIGHEIDSHUIS, BURGERNET, VEILIGHEIDSMONITOR)
}

#: which period kinds a source may deliver
PERIOD_KINDS = {
    "politie_misdrijven": {"month", "year"},
    "politie_incidenten": {"month", "year"},
    "halt": {"month", "half"},
    "riec": {"half"},
    "veiligheidshuis": {"half"},
    "burgernet": {"month", "half"},
    "veiligheidsmonitor": {"year"},
}

#: lineage columns on every raw row
LINEAGE = (
    ("load_id", "INTEGER", "nummer van de levering (zie `ingest_loads`)"),
    ("bron_bestand", "VARCHAR", "bestandsnaam zoals aangeleverd"),
    ("bron_sha256", "VARCHAR", "sha256 van het bestand"),
    ("bron_rij", "INTEGER", "rij- of regelnummer in het bestand (1 = eerste regel)"),
    ("geladen_op", "TIMESTAMP", "moment van laden (UTC)"),
)
