"""What a gemeente's report says, read from the edition's marts only (nothing is recomputed).

PDF, Excel and CSV are three renderings of this one :class:`Report`, so their numbers are the
same as each other's and the dashboard's: the mart's own ``display_value`` and columns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.kernel.errors import GvbError
from pipeline.kernel.mart_columns import COLUMNS_SQL, NOTE_COLUMNS, select_list
from pipeline.kernel.store import connect, flags_set
from pipeline.presentation.figures import in_catalogue_order
from pipeline.presentation.notable import NOTABLE_ORDER, NOTABLE_SQL, sentences
from pipeline.presentation.notes import applying
from pipeline.presentation.wording import THEMES
from pipeline.reference import reference

PARTNER_THEMES = ("jeugd", "persoonsgerichte aanpak", "ondermijning", "burgernet")
#: the indicators drawn as trend charts, when the gemeente has them
TREND_INDICATORS = ("M_TOTAAL", "M_HIC", "M_WONINGINBRAAK", "M_GEWELD", "I_TOTAAL", "H_VERWIJZINGEN")


@dataclass
class Report:
    edition: str
    gemeente: str
    name: str
    district: str | None
    demo: bool
    checksum: str
    published: str
    figures: pd.DataFrame  # indicator_values of the gemeente for the edition's period
    series: pd.DataFrame  # indicator_values of the gemeente for every period of the edition
    trends: pd.DataFrame  # half-year series of TREND_INDICATORS since 2017
    survey: pd.DataFrame  # latest wave of veiligheidsmonitor_values
    notable: list[str] = field(default_factory=list)
    definitions: list[dict[str, str]] = field(default_factory=list)
    region_name: str = "politie-eenheid Rotterdam"  # the edition's region (build_params)
    #: the analysts' duiding on this gemeente or on every area (the edition's ``notes``), as dicts
    notes: list[dict[str, Any]] = field(default_factory=list)
    #: area code → name, to say what a note is about
    area_names: dict[str, str] = field(default_factory=dict)

    def theme(self, theme: str) -> pd.DataFrame:
        return in_catalogue_order(self.figures[self.figures["thema"] == theme]).reset_index(drop=True)


class EditionReader:
    """One read-only connection to an edition's DuckDB file, for the reports of many gemeenten."""

    def __init__(self, database: Path) -> None:
        if not database.is_file():
            raise GvbError(f"editie niet gevonden: {database} bestaat niet; publiceer eerst met 'gvb publish'")
        self.con = connect(database, read_only=True, config={"enable_external_access": False})
        manifest = json.loads(self.con.execute("select manifest_json from manifest").fetchall()[0][0])
        self.manifest: dict[str, Any] = manifest
        self.edition = str(manifest["editie"])
        present = self.con.execute(COLUMNS_SQL, ["indicator_values"]).fetchall()
        self.columns = select_list(row[0] for row in present)  # an older edition lacks newer columns

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> EditionReader:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def frame(self, sql: str, *params: Any) -> pd.DataFrame:
        return flags_set(self.con.execute(sql, list(params)).df())

    def has_table(self, table: str) -> bool:
        """Whether the edition has ``table`` (one published before it existed does not)."""
        sql = "select count(*) from information_schema.tables where table_name = ?"
        return bool(self.con.execute(sql, [table]).fetchall()[0][0])

    def notes(self, gemeente: str) -> pd.DataFrame:
        """The edition's duiding on ``gemeente`` or on every area (none in an edition from before notes)."""
        if not self.has_table("notes"):
            return pd.DataFrame(columns=NOTE_COLUMNS)
        return applying(self.frame(f"select {', '.join(NOTE_COLUMNS)} from notes order by note_id"), gemeente)

    def gemeenten(self) -> list[tuple[str, str]]:
        rows = self.con.execute(
            "select distinct area_code, area_name from indicator_values where level = 'gemeente' order by area_name"
        ).fetchall()
        return [(code, name) for code, name in rows]

    def report(self, gemeente: str) -> Report:
        known = dict(self.gemeenten())
        if gemeente not in known:
            raise GvbError(f"gemeente {gemeente} hoort niet bij editie {self.edition}")
        figures = self.frame(
            f"select {self.columns} from indicator_values where area_code = ? and period = ? order by thema, indicator_code",
            gemeente,
            self.edition,
        )
        series = self.frame(
            f"select {self.columns} from indicator_values where area_code = ? "
            "order by thema, indicator_code, period_type, period",
            gemeente,
        )
        trends = self.frame(
            f"select {self.columns} from indicator_values where area_code = ? and period_type = 'halfjaar' "
            f"and period >= '2017' and indicator_code in ({', '.join('?' for _ in TREND_INDICATORS)}) "
            "order by indicator_code, period",
            gemeente,
            *TREND_INDICATORS,
        )
        survey = self.frame(
            "select * from veiligheidsmonitor_values where area_code = ? and period = "
            "(select max(period) from veiligheidsmonitor_values where area_code = ?) order by indicator_code",
            gemeente,
            gemeente,
        )
        notable = self.frame(
            f"select {self.columns} from indicator_values where area_code = ? and period = ? and {NOTABLE_SQL} "
            f"order by {NOTABLE_ORDER}",
            gemeente,
            self.edition,
        )
        notes = self.notes(gemeente)
        district = figures["district_code"].dropna()
        region = self.con.execute("select region_name from build_params").fetchall()
        catalogue = reference().indicators
        return Report(
            edition=self.edition,
            gemeente=gemeente,
            name=known[gemeente],
            district=str(district.iloc[0]) if not district.empty else None,
            demo=bool(self.manifest.get("demo")),
            checksum=str(self.manifest["data_checksums"]["indicator_values"])[:16],
            published=str(self.manifest.get("gepubliceerd_op", ""))[:10],
            figures=figures,
            series=in_catalogue_order(series).reset_index(drop=True),
            trends=trends,
            survey=survey,
            notable=sentences(notable),
            region_name=str(region[0][0]) if region else "politie-eenheid Rotterdam",
            notes=notes.to_dict("records"),
            area_names={gemeente: known[gemeente]},
            definitions=[
                {"code": i.code, "label": i.label, "thema": i.thema, "eenheid": i.eenheid, "toelichting": i.toelichting}
                for i in catalogue
                if i.thema in THEMES
            ],
        )
