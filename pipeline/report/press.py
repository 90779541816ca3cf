"""`gvb persbericht`: a Dutch draft press release for the eenheid with each edition.

From the edition's marts only: the eenheid's headline figure with its change and whether that
change is significant, the most notable developments in plain sentences (the eenheid's own first,
then its gemeenten's, at most ``MOST_NOTABLE``), one line per theme, and a
"Noot voor de redactie" with definitions, sources and the edition's checksum. A demo edition says
in the text itself that its figures are fictional. Written as Markdown or as a Word file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.kernel.config import Settings
from pipeline.kernel.edition import edition_db
from pipeline.kernel.rules import SIGNIFICANCE_LEVEL
from pipeline.presentation.dutch import edition_label, period_label, value_text
from pipeline.presentation.figures import change_text, in_catalogue_order, judgement
from pipeline.presentation.notable import NOTABLE_ORDER, NOTABLE_SQL, sentences
from pipeline.presentation.wording import THEMES
from pipeline.reference import reference
from pipeline.report.content import EditionReader

HEADLINE = "M_TOTAAL"
MOST_NOTABLE = 5
DEMO_TEXT = "Let op: dit is een demo-editie. Alle cijfers in dit bericht zijn fictief."


@dataclass
class PressRelease:
    edition: str
    region_name: str
    title: str
    lead: str
    notable: list[str]
    themes: list[str]
    definitions: list[tuple[str, str]]
    checksum: str
    published: str
    demo: bool
    sources: str = (
        "Politie (geregistreerde misdrijven en incidenten), Halt, RIEC, Veiligheidshuis, Burgernet en de CBS "
        "Veiligheidsmonitor."
    )
    extra: list[str] = field(default_factory=list)


def make_press_release(settings: Settings, edition: str) -> PressRelease:
    with EditionReader(edition_db(settings, edition)) as reader:
        region, region_name = reader.con.execute("select region, region_name from build_params").fetchall()[0]
        columns = reader.columns
        eenheid = in_catalogue_order(
            reader.frame(f"select {columns} from indicator_values where area_code = ? and period = ?", region, edition)
        )
        # the eenheid's own developments first, then the most notable of its gemeenten
        notable = reader.frame(
            f"select {columns} from indicator_values where period = ? and {NOTABLE_SQL} "
            f"and (area_code = ? or level = 'gemeente') order by area_code <> ?, {NOTABLE_ORDER} limit {MOST_NOTABLE}",
            edition,
            region,
            region,
        )
        manifest = reader.manifest
    when = period_label(edition)
    in_when = f"het {when}" if "halfjaar" in when else when
    rows = {row.indicator_code: row for row in eenheid.itertuples(index=False)}
    headline = rows.get(HEADLINE)
    if headline is not None and not headline.suppressed:
        amount = value_text(headline.display_value, headline.unit)
        change = change_text(headline)
        verdict = judgement(headline)
        title = f"{amount} geregistreerde misdrijven in {region_name}, {when}"
        lead = f"In {in_when} registreerde de politie in {region_name} {amount} misdrijven"
        lead += f", {change} ten opzichte van een jaar eerder" if change else ""
        lead += f" ({verdict})." if verdict else "."
    else:
        title = f"Gezamenlijk Veiligheidsbeeld {region_name}, {when}"
        lead = f"Het Gezamenlijk Veiligheidsbeeld van {region_name} over {in_when} is verschenen."
    themes = []
    used: list[str] = []
    for theme, name in THEMES.items():
        first = next((r for r in rows.values() if r.thema == theme and not r.suppressed and r.display_value), None)
        if first is None:
            continue
        used.append(first.indicator_code)
        change = change_text(first)
        line = f"{name}: {first.indicator_label} {value_text(first.display_value, first.unit)}"
        themes.append(line + (f" ({change} ten opzichte van een jaar eerder)." if change else "."))
    catalogue = {i.code: i for i in reference().indicators}
    definitions = [
        (catalogue[c].label, catalogue[c].toelichting) for c in dict.fromkeys([HEADLINE, *used]) if c in catalogue
    ]
    return PressRelease(
        edition=edition,
        region_name=str(region_name),
        title=title,
        lead=lead,
        notable=sentences(notable),
        themes=themes,
        definitions=definitions,
        checksum=str(manifest["data_checksums"]["indicator_values"])[:16],
        published=str(manifest.get("gepubliceerd_op", ""))[:10],
        demo=bool(manifest.get("demo")),
    )


def _note_for_editors(release: PressRelease) -> list[str]:
    return [
        f"Bronnen: {release.sources}",
        f"Editie {release.edition} van het Gezamenlijk Veiligheidsbeeld ({edition_label(release.edition)}), "
        f"gepubliceerd {release.published}; controlegetal van de cijfers {release.checksum}.",
        f"Een verandering heet significant als een toets (p < {str(SIGNIFICANCE_LEVEL).replace('.', ',')}) haar niet "
        "aan toeval toeschrijft; kleine aantallen van gevoelige cijfers zijn afgeschermd.",
    ]


def render_markdown(release: PressRelease) -> str:
    lines = [f"# {release.title}", ""]
    if release.demo:
        lines += [f"**{DEMO_TEXT}**", ""]
    lines += [release.lead, ""]
    if release.notable:
        lines += ["## Opvallende ontwikkelingen", "", *[f"- {s}" for s in release.notable], ""]
    lines += ["## Per thema", "", *[f"- {t}" for t in release.themes], ""]
    lines += ["## Noot voor de redactie (niet voor publicatie)", ""]
    lines += [f"- {line}" for line in _note_for_editors(release)]
    lines += [f"- {label}: {text}" for label, text in release.definitions]
    return "\n".join(lines) + "\n"


def render_docx(release: PressRelease) -> bytes:
    from docx import Document

    document = Document()
    document.core_properties.title = release.title
    document.core_properties.author = f"Gezamenlijk Veiligheidsbeeld {release.region_name}"
    document.add_heading(release.title, level=1)
    if release.demo:
        document.add_paragraph().add_run(DEMO_TEXT).bold = True
    document.add_paragraph(release.lead)
    if release.notable:
        document.add_heading("Opvallende ontwikkelingen", level=2)
        for sentence in release.notable:
            document.add_paragraph(sentence, style="List Bullet")
    document.add_heading("Per thema", level=2)
    for line in release.themes:
        document.add_paragraph(line, style="List Bullet")
    document.add_heading("Noot voor de redactie (niet voor publicatie)", level=2)
    for line in _note_for_editors(release):
        document.add_paragraph(line)
    for label, text in release.definitions:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_press_release(settings: Settings, edition: str, fmt: str, target: Path) -> Path:
    from pipeline.kernel.files import write_atomically

    release = make_press_release(settings, edition)
    content: bytes | str = render_docx(release) if fmt == "docx" else render_markdown(release)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, content)
    return target
