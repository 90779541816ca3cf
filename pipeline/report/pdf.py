"""The gemeente's report as an A4 PDF: HTML and CSS rendered by WeasyPrint, charts as vector SVG.

Sober and readable for a mayor and council: a cover, a one-page summary in plain Dutch, key
figures per theme, trend charts, partner figures, the Veiligheidsmonitor with margins and the
Toelichting. Every page's footer carries the edition and the data checksum; a demo edition gets
a "DEMO — fictieve cijfers" watermark on every page. Tagged PDF (PDF/UA-1), language ``nl``.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable
from typing import Any

import pandas as pd

from pipeline.presentation.dutch import edition_label, number, period_label, rate, value_text
from pipeline.presentation.figures import (
    cell_reason,
    change_with_judgement,
    has_rates,
    in_catalogue_order,
    period_position,
    population_note,
    previous_text,
    rate_heading,
    since_phrase,
    survey_change_text,
    survey_value_text,
    target_text,
    year_axis,
)
from pipeline.presentation.notes import note_heading, note_source
from pipeline.presentation.wording import DEMO_MARK, RULES, SUPPRESSED_MARKER, THEMES
from pipeline.report.content import PARTNER_THEMES, TREND_INDICATORS, Report

CSS = """
@page {
  size: A4; margin: 20mm 18mm 22mm 18mm;
  @bottom-left { content: "__FOOTER__"; font-size: 8pt; color: #595959; }
  @bottom-right { content: "pagina " counter(page) " van " counter(pages); font-size: 8pt; color: #595959; }
}
html { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 9.5pt; color: #1a1a1a; line-height: 1.4; }
h1 { font-size: 22pt; margin: 0 0 4mm; color: #0b4f8a; }
h2 { font-size: 14pt; color: #0b4f8a; border-bottom: 1px solid #b0b0b0; padding-bottom: 1mm; margin: 8mm 0 3mm;
     break-after: avoid; }
h3 { font-size: 11pt; margin: 5mm 0 2mm; break-after: avoid; }
h1 { break-after: avoid; }
dt { break-after: avoid; }
.cover { height: 230mm; display: flex; flex-direction: column; justify-content: center; break-after: page; }
.cover .kicker { font-size: 12pt; color: #595959; letter-spacing: .05em; text-transform: uppercase; }
.cover .gemeente { font-size: 30pt; font-weight: bold; margin: 6mm 0 2mm; }
.cover .edition { font-size: 16pt; }
.cover .meta { margin-top: 12mm; color: #595959; }
.summary { break-after: page; }
.summary li { margin: 1.5mm 0; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0 4mm; break-inside: auto; table-layout: fixed;
        font-size: 8.5pt; }
table th:first-child { width: 24%; }
.keep { break-inside: avoid; }
caption { text-align: left; font-weight: bold; padding-bottom: 1mm; }
th, td { border-bottom: 0.5pt solid #c8c8c8; padding: 1.2mm 1.5mm; text-align: left; vertical-align: top; }
thead th { background: #eef2f6; font-size: 8pt; vertical-align: bottom; }
tr { break-inside: avoid; }
.num { text-align: right; }
td.num { overflow-wrap: normal; }
td.reason { color: #595959; font-style: italic; font-size: 7.5pt; hyphens: auto; }
.muted { color: #595959; }
.chart { width: 100%; margin: 2mm 0; }
.watermark { position: fixed; top: 115mm; left: -15mm; width: 200mm; text-align: center; transform: rotate(-30deg);
             white-space: nowrap; font-size: 40pt; font-weight: bold; color: rgba(200, 0, 0, 0.13); z-index: -1; }
.demo-note { border: 1pt solid #8a6d00; background: #fff3cd; padding: 2mm 3mm; margin: 4mm 0; }
dt { font-weight: bold; margin-top: 2mm; }
dd { margin: 0 0 1mm 0; }
"""


def figure_headers(frame: pd.DataFrame) -> list[str]:
    """The key-figure headers; the rate headers name their denominator (inwoners, jongeren)."""
    denominators = frame["rate_denominator"]
    headers = ["Indicator", "Waarde", "Een jaar eerder", "Verandering", "Gem. 3 jaar ervoor"]
    if has_rates(frame):  # figures without a denominator (RIEC, Burgernet) have no rate columns
        headers += [rate_heading(denominators), rate_heading(denominators, "district"),
                    rate_heading(denominators, "eenheid")]  # fmt: skip
    return headers


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _table(caption: str, headers: list[str], rows: Iterable[list[str]], numeric_from: int = 1) -> str:
    head = "".join(
        f'<th scope="col"{" class=num" if i >= numeric_from else ""}>{_e(h)}</th>' for i, h in enumerate(headers)
    )
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            if i == 0:
                cells.append(f'<th scope="row">{_e(cell)}</th>')
            else:
                text = _e(cell).replace(" %", "&nbsp;%")  # "+18 %" never breaks before its sign
                classes = " ".join(c for c in ("num" if i >= numeric_from else "", "reason" if isinstance(cell, Reason)
                                               else "") if c)  # fmt: skip
                cells.append(f'<td class="{classes}">{text}</td>' if classes else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f"<table><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


class Reason(str):
    """Why a cell is empty, printed where the figure would be (smaller, in grey)."""


def _or_reason(text: str, r: dict[str, Any], column: str) -> str:
    """A figure, or in its place why it is empty (a hidden row's comparisons stay empty beside the marker)."""
    if text or r["suppressed"]:
        return text
    return Reason(cell_reason(r, column))


def figure_rows(frame: pd.DataFrame) -> list[list[str]]:
    rows = []
    rates = has_rates(frame)
    for r in frame.to_dict("records"):
        shown = SUPPRESSED_MARKER if r["suppressed"] else value_text(r["display_value"], r["unit"])
        if target_text(r) and not r["suppressed"]:
            shown = f"{shown} ({target_text(r)})"
        if r["suppressed"]:  # the marker and nothing beside it to reason from (as in Excel and CSV)
            change = prev = avg = own = ""
        else:
            prev = _or_reason(previous_text(r), r, "prev_value")
            change = change_with_judgement(r) or Reason(cell_reason(r, "change_label"))
            avg = _or_reason("" if _missing(r["avg_3y"]) else number(r["avg_3y"], 1), r, "avg_3y")
            own = _or_reason(rate(r["rate_per_1000"]), r, "rate_per_1000")
        district = _or_reason(rate(r["benchmark_district_rate"]), r, "benchmark_district_rate")
        eenheid = _or_reason(rate(r["benchmark_eenheid_rate"]), r, "benchmark_eenheid_rate")
        rows.append([r["indicator_label"], shown, prev, change, avg, own, district, eenheid][: 8 if rates else 5])
    return rows


def trend_figure(report: Report) -> Any:
    """Small multiples of the key indicators per half-year since 2017 (suppressed points are gaps)."""
    from plotly.subplots import make_subplots

    present = [c for c in TREND_INDICATORS if c in set(report.trends["indicator_code"])]
    if not present:
        return None
    labels = report.trends.drop_duplicates("indicator_code").set_index("indicator_code")["indicator_label"]
    fig = make_subplots(rows=2, cols=3, subplot_titles=[str(labels[c]) for c in present], vertical_spacing=0.18)
    for index, code in enumerate(present):
        series = report.trends[report.trends["indicator_code"] == code]
        fig.add_scatter(
            x=[period_position(p) for p in series["period"]],
            y=series["value"].astype("float64"),
            mode="lines+markers",
            line={"color": "#0072B2", "width": 2},
            marker={"size": 4},
            showlegend=False,
            row=index // 3 + 1,
            col=index % 3 + 1,
        )
    fig.update_layout(
        width=700, height=430, margin={"l": 40, "r": 10, "t": 40, "b": 30}, separators=",.",
        font={"family": "DejaVu Sans, sans-serif", "size": 9, "color": "#1a1a1a"},
        paper_bgcolor="white", plot_bgcolor="white",
    )  # fmt: skip
    fig.update_annotations(font_size=10)
    fig.update_xaxes(tickangle=0, **year_axis(list(report.trends["period"]), max_ticks=4))
    fig.update_yaxes(rangemode="tozero", gridcolor="#e5e5e5", tickformat=",~r")
    return fig


def _theme_tables(report: Report, themes: Iterable[str], title: str) -> list[str]:
    """A heading and its table per theme, kept together on one page (a heading never ends a page);
    the part's ``title`` goes with the first theme. Nothing when no theme has figures."""
    parts = []
    for theme in themes:
        frame = report.theme(theme)
        if not frame.empty:
            caption = f"{THEMES[theme]}, {period_label(report.edition)}"
            opening = "" if parts else f"<h1>{_e(title)}</h1>"
            parts.append(f'<section class="keep">{opening}<h2>{_e(THEMES[theme])}</h2>'
                         f"{_table(caption, figure_headers(frame), figure_rows(frame))}</section>")  # fmt: skip
    return parts


def document(report: Report, chart_svg: bytes | None) -> str:
    edition = edition_label(report.edition)
    footer = f"{edition} · {report.name} · editie {report.edition} · controlegetal {report.checksum}"
    parts: list[str] = []
    if report.demo:
        parts.append(f'<div class="watermark" aria-hidden="true">{DEMO_MARK}</div>')
    parts.append(
        f"""<section class="cover">
        <div class="kicker">Gezamenlijk Veiligheidsbeeld · {_e(report.region_name)}</div>
        <div class="gemeente">{_e(report.name)}</div>
        <div class="edition">{_e(edition)}</div>
        <div class="meta">Editie {_e(report.edition)} · gepubliceerd {_e(report.published)} · controlegetal {_e(report.checksum)}</div>
        {f'<p class="demo-note"><strong>{DEMO_MARK}.</strong> Dit rapport is gemaakt uit demogegevens; geen enkel cijfer is echt.</p>' if report.demo else ''}
        </section>"""
    )  # fmt: skip
    headline = report.figures[report.figures["indicator_code"].isin(list(TREND_INDICATORS))]
    period = period_label(report.edition)
    when = f"het {period}" if "halfjaar" in period else period
    notable = "".join(f"<li>{_e(s)}</li>" for s in report.notable[:15])
    parts.append(
        f"""<section class="summary"><h1>Samenvatting</h1>
        <p>{_e(report.name)} in {_e(when)}, vergeleken met dezelfde periode een jaar eerder.
        Alleen veranderingen die significant zijn (zie Toelichting) staan hieronder.</p>
        <h2>Opvallende ontwikkelingen</h2>
        {f"<ul>{notable}</ul>" if notable else "<p>Geen significante veranderingen ten opzichte van een jaar eerder.</p>"}
        {_table("Kerncijfers in één oogopslag", figure_headers(headline), figure_rows(headline))}
        {f'<p class="muted">{_e(note)}</p>' if (note := population_note(report.figures)) else ""}
        </section>"""
    )
    if report.notes:
        items = "".join(
            f"<li><strong>{_e(note_heading(n, report.area_names))}:</strong> {_e(n['note_text'])} "
            f'<span class="muted">— {_e(note_source(n))}</span></li>'
            for n in report.notes
        )
        parts.append(f'<section class="keep"><h2>Duiding</h2><p>Toelichting van de analisten bij deze cijfers.</p>'
                     f"<ul>{items}</ul></section>")  # fmt: skip
    parts.extend(_theme_tables(report, ("misdrijven", "overlast", "cybercrime"), "Kerncijfers per thema"))
    if chart_svg:
        encoded = base64.b64encode(chart_svg).decode("ascii")
        since = since_phrase(report.trends["period"])
        parts.append(
            f'<section class="keep"><h2>{_e(" ".join(["Ontwikkeling", since]).strip())}</h2>'
            f'<img class="chart" src="data:image/svg+xml;base64,{encoded}" '
            f'alt="Kerncijfers van {_e(report.name)} per halfjaar {_e(since)}; de cijfers staan in de tabellen.">'
            '<p class="muted">Per halfjaar: elk jaar heeft twee punten (eerste en tweede halfjaar). Afgeschermde '
            "halfjaren zijn weggelaten.</p></section>"
        )
    parts.extend(_theme_tables(report, PARTNER_THEMES, "Partners"))  # no heading over nothing
    if not report.survey.empty:
        wave = str(report.survey["period"].iloc[0])
        survey = in_catalogue_order(report.survey)
        rows = [
            [
                s["indicator_label"],
                survey_value_text(s),
                "" if s["withheld"] or _missing(s["margin"]) else f"± {number(s['margin'], 1)}",
                "geen" if _missing(s["prev_value"]) else number(s["prev_value"], 1),
                survey_change_text(s),
            ]
            for s in survey.to_dict("records")
        ]
        previous = next(iter(survey["prev_period"].dropna()), None)
        headers = ["Indicator", f"Meting {wave}", "Marge (95 %)",
                   f"Vorige meting ({previous})" if previous else "Vorige meting", "Verschil"]  # fmt: skip
        parts.append(f'<section class="keep"><h2>Veiligheidsmonitor {_e(wave)}</h2>'
                     + _table(f"Veiligheidsmonitor {wave}", headers, rows)
                     + '<p class="muted">Enquêtecijfers met hun marge (95 %-betrouwbaarheid).</p></section>')  # fmt: skip
    parts.append("<h1>Toelichting</h1>")
    parts.append("<dl>" + "".join(f"<dt>{_e(n)}</dt><dd>{_e(t)}</dd>" for n, t in RULES) + "</dl>")
    parts.append(
        "<h2>Bronnen</h2><p>Politie (geregistreerde misdrijven en incidenten), Halt, RIEC, Veiligheidshuis, Burgernet "
        f"en de CBS Veiligheidsmonitor. Elk cijfer is terug te voeren op de bronbestanden van editie {_e(report.edition)}"
        " (zie de Toelichting in het dashboard).</p>"
    )
    parts.append("<h2>Definities</h2><dl>"
                 + "".join(f"<dt>{_e(d['label'])}</dt><dd>{_e(d['toelichting'])}</dd>" for d in report.definitions)
                 + "</dl>")  # fmt: skip
    title = f"GVB {report.edition} — {report.name}"
    return (
        f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>{_e(title)}</title>'
        f'<meta name="author" content="Gezamenlijk Veiligheidsbeeld {_e(report.region_name)}">'
        f"<style>{CSS.replace('__FOOTER__', _css_string(footer))}</style></head><body>{''.join(parts)}</body></html>"
    )


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")


def render_html(document_html: str) -> bytes:
    """A report's HTML as a tagged PDF (PDF/UA-1); a plain function, so worker processes can run it."""
    import weasyprint

    return weasyprint.HTML(string=document_html).write_pdf(pdf_variant="pdf/ua-1")


def render(report: Report, chart_svg: bytes | None) -> bytes:
    return render_html(document(report, chart_svg))
