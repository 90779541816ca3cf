"""Writes the analyst notebooks (kept as code so they stay reviewable): python notebooks/make_notebooks.py"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

SETUP = """import os
from pathlib import Path

import pandas as pd

from pipeline.kernel.config import settings

# Waar de extracten staan en welke editie: pas aan of zet GVB_DATA / GVB_EDITIE.
DATA = Path(os.environ.get("GVB_DATA", "../data_raw"))
EDITIE = os.environ.get("GVB_EDITIE") or None
cfg = settings()
print(f"Opslag: {cfg.store_path} — regio {cfg.region} — extracten uit {DATA}")"""

verversing = new_notebook(
    cells=[
        new_markdown_cell(
            "# Verversen van het GVB, stap voor stap\n\n"
            "Dit notebook doet wat `gvb refresh` doet en laat daarna elke stap zien: inlezen, valideren met "
            "Great Expectations, bouwen, de marts controleren en publiceren. Het werkt op de map met "
            "extracten (`GVB_DATA`, standaard `../data_raw`) en de opslag in `$GVB_HOME`."
        ),
        new_code_cell(SETUP),
        new_markdown_cell(
            "## Verversen\n\nDezelfde functie als `gvb refresh` (`pipeline.refresh`), onder hetzelfde slot: een "
            "tweede verversing tegelijk wordt geweigerd. Bij blokkerende fouten stopt hij vóór het publiceren; de "
            "vorige editie blijft staan. De cellen daarna tonen wat elke stap deed."
        ),
        new_code_cell(
            """from pipeline.refresh import RefreshBlocked, refresh

try:
    gedaan = refresh(cfg, DATA, EDITIE)
except RefreshBlocked as fout:
    gedaan = fout.done
    print(fout.render())
editie, rapport = gedaan.edition, gedaan.validation"""
        ),
        new_markdown_cell("## 1. Inlezen\n\nElk bestand wordt herkend, gecontroleerd en in één transactie geladen."),
        new_code_cell(
            """pd.DataFrame(
    [
        {"bestand": r.path.name, "status": r.status, "bron": r.source, "rijen": r.rows,
         "melding": r.error.message if r.error else "; ".join(r.notes)}
        for r in gedaan.ingested
    ]
)"""
        ),
        new_markdown_cell(
            "## 2. Valideren\n\nAlle suites uit `expectations/`; blokkerende fouten houden publicatie tegen."
        ),
        new_code_cell(
            """overzicht = pd.DataFrame(
    [{"bron": v.bron, "controles": v.controles, "geslaagd": v.geslaagd,
      "waarschuwingen": v.waarschuwingen, "blokkerend": v.blokkerend} for v in rapport.verdicts]
)
print(f"Editie {editie}: exitcode {rapport.exit_code}; Data Docs: {rapport.docs_path}")
overzicht"""
        ),
        new_code_cell(
            """bevindingen = [b for v in rapport.verdicts for b in v.bevindingen]
pd.DataFrame(bevindingen)[["bron", "ernst", "omschrijving", "aantal_onverwacht"]] if bevindingen else "Geen bevindingen." """
        ),
        new_markdown_cell("## 3. Bouwen, controleren en publiceren"),
        new_code_cell(
            """publicatie = gedaan.publication
if publicatie is None:
    print("Niet gepubliceerd: los eerst de blokkerende fouten op.")
else:
    manifest = publicatie.manifest
    print(f"Gepubliceerd: {publicatie.path}")
    print(f"{manifest['opvallende_ontwikkelingen']} opvallende ontwikkelingen, {manifest['revisies']} herzieningen")
    display(pd.DataFrame(manifest["invoer"])[["bron", "bestand", "sha256", "rijen"]].head(10))"""
        ),
    ]
)

verkenning = new_notebook(
    cells=[
        new_markdown_cell(
            "# Verkennen van `indicator_values`\n\n"
            "De gepubliceerde mart met DuckDB en plotly. Alleen-lezen: het notebook verandert niets."
        ),
        new_code_cell(
            SETUP
            + """

import duckdb
import plotly.express as px

from pipeline.kernel.edition import edition_db
from pipeline.kernel.edition import default_edition

editie = EDITIE or default_edition(cfg)
con = duckdb.connect(str(edition_db(cfg, editie)), read_only=True)
demo = con.execute("select any_value(is_demo) from indicator_values").fetchone()[0]
print(f"Editie {editie}" + (" — DEMO, fictieve cijfers" if demo else ""))"""
        ),
        new_markdown_cell("## Kerncijfers van de eenheid"),
        new_code_cell(
            """con.execute(
    '''
    select indicator_label, display_value, prev_value, change_pct, change_label
    from indicator_values
    where level = 'eenheid' and period = ? and thema = 'misdrijven'
    order by indicator_code
    ''',
    [editie],
).df()"""
        ),
        new_markdown_cell("## Woninginbraak per halfjaar per district"),
        new_code_cell(
            """reeks = con.execute(
    '''
    select period, area_name, rate_per_1000
    from indicator_values
    where indicator_code = 'M_WONINGINBRAAK' and level = 'district' and period_type = 'halfjaar'
    order by period
    '''
).df()
fig = px.line(reeks, x="period", y="rate_per_1000", color="area_name",
              labels={"period": "halfjaar", "rate_per_1000": "per 1.000 inwoners", "area_name": "district"},
              title="Woninginbraak per 1.000 inwoners" + (" (DEMO — fictieve cijfers)" if demo else ""))
fig"""
        ),
        new_markdown_cell("## Opvallende ontwikkelingen: significante veranderingen per gemeente"),
        new_code_cell(
            """con.execute(
    '''
    select area_name, indicator_label, display_value, prev_value, round(change_pct, 1) as change_pct, change_label
    from indicator_values
    where level = 'gemeente' and period = ? and significant
      and change_label in ('stijging', 'daling', 'sterke stijging', 'sterke daling')
    order by abs(change_pct) desc
    limit 15
    ''',
    [editie],
).df()"""
        ),
    ]
)

for name, notebook in {"01_verversing.ipynb": verversing, "02_verkenning.ipynb": verkenning}.items():
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, HERE / name)
    print(HERE / name)
