"""The `gvb` command: a thin layer over the pipeline library. Every word it prints is Dutch."""

from __future__ import annotations

import contextlib
import csv
import functools
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from pipeline import __version__
from pipeline.kernel.config import settings
from pipeline.kernel.errors import GvbError, os_error, printable
from pipeline.presentation.wording import DEMO_MARK

app = typer.Typer(
    name="gvb",
    help=(
        "gvb — het Gezamenlijk Veiligheidsbeeld: extracten inlezen, controleren, publiceren.\n\n"
        "Uitvoer staat in $GVB_HOME (standaard ./var); de regio komt uit $GVB_REGIO (standaard RE07).\n\n"
        "Voorbeeld: gvb demo-data --out data_raw && gvb ingest data_raw && gvb status"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
# markup is off: file content (a header like "Signalen [/100.000 inw]") is printed as it is; the few
# styled lines pass markup=True and escape every text that comes from a file or the store (_m)
out = Console(soft_wrap=True, markup=False)
err = Console(stderr=True, soft_wrap=True, markup=False)
if not out.is_terminal:  # CI and pipes: no 80-column truncation of tables
    out = Console(soft_wrap=True, width=200, markup=False)


def _m(value: object) -> str:
    """Text from a file or the store, safe inside a styled (markup) line."""
    return escape(str(value))


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Show a GvbError as a Dutch message with a non-zero exit code, never as a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except GvbError as exc:
            err.print(f"[bold red]Fout:[/] {_m(exc.render())}", highlight=False, markup=True, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print("Afgebroken.")
            raise typer.Exit(130) from None
        except typer.Exit:
            raise
        except OSError as exc:
            named = os_error(exc)
            if named is None:
                raise
            err.print(f"[bold red]Fout:[/] {_m(named.render())}", highlight=False, markup=True, soft_wrap=True)
            raise typer.Exit(named.exit_code) from None
        except Exception as exc:  # a bug: say so plainly, keep the traceback for GVB_DEBUG=1
            if settings().debug:
                raise
            err.print(
                f"[bold red]Interne fout[/] ({type(exc).__name__}: {_m(exc)}). Dit is een fout in gvb, niet in uw "
                "bestanden; meld hem met de uitvoer van dezelfde opdracht met GVB_DEBUG=1.",
                highlight=False,
                soft_wrap=True,
            )
            raise typer.Exit(70) from None

    return wrapper


@contextlib.contextmanager
def _steps(label: str, total: int | None) -> Iterator[Callable[[str], None]]:
    """A progress bar on a terminal (nothing in CI or pipes); ``step(name)`` advances it."""
    columns = (TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task(label, total=total)

        def step(name: str) -> None:
            progress.update(task, description=f"{label}: {name}")
            progress.advance(task)

        yield step


def _version(value: bool) -> None:
    if value:
        out.print(f"gvb {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Toon de versie.")
    ] = False,
) -> None:
    """gvb — Gezamenlijk Veiligheidsbeeld."""


#: --edition, declared once: an edition is a first half-year or a whole year
EDITION_HELP = "Editie: een eerste halfjaar (bv. 2026H1) of een heel jaar (bv. 2025)"
NewestEdition = Annotated[str | None, typer.Option("--edition", help=f"{EDITION_HELP}; standaard de nieuwste.")]
PublishedEdition = Annotated[str, typer.Option("--edition", help=f"{EDITION_HELP}, die gepubliceerd is.")]


# -- demo-data -------------------------------------------------------------------------------------
@app.command("demo-data")
@handle_errors
def demo_data(
    out_dir: Annotated[
        Path, typer.Option("--out", help="Map waarin de demo-extracten komen (per bron een submap).")
    ] = Path("data_raw"),
    seed: Annotated[
        int, typer.Option("--seed", help="Startwaarde van de toevalsgenerator; zelfde seed = zelfde bestanden.")
    ] = 2026,
    start: Annotated[str, typer.Option("--from", help="Eerste maand (JJJJ-MM).")] = "2017-01",
    end: Annotated[
        str | None, typer.Option("--to", help="Laatste maand (JJJJ-MM); standaard de laatste maand met politiecijfers.")
    ] = None,
) -> None:
    """Schrijf fictieve maar realistische extracten van alle zeven bronnen (DEMO — fictieve cijfers).

    Voorbeeld: gvb demo-data --out data_raw --seed 7 --from 2017-01 --to 2025-06
    """
    from pipeline.demo import generate

    cfg = settings()
    written = generate(out_dir, seed=seed, start=start, end=end, region=cfg.region)
    for path, rows in written:
        out.print(f"  {path}  ({rows:n} rijen)", highlight=False)
    out.print(
        f"[bold]{len(written)} demobestanden geschreven in {_m(out_dir)}[/] — {DEMO_MARK}.",
        highlight=False,
        markup=True,
    )


# -- ingest ----------------------------------------------------------------------------------------
@app.command()
@handle_errors
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Bestanden of mappen (mappen worden doorzocht).")],
    bron: Annotated[str | None, typer.Option("--bron", help="Forceer de bron in plaats van herkennen.")] = None,
    indeling: Annotated[
        int | None,
        typer.Option(
            "--indeling",
            help="Jaar van de gemeentelijke indeling waarin een politietabel al zijn jaren geeft "
            "(zoals 'gemeente 2026' in de titel); zonder: uit de titel, anders de indeling van elke periode.",
        ),
    ] = None,
) -> None:
    """Lees extracten in de opslag: herkent bron en formaat, controleert en laadt per bestand in één transactie.

    Een bestand dat al geladen is, verandert niets; een gecorrigeerde levering vervangt de eerdere
    voor dezelfde bron en periode. Een afgekeurd bestand laat de opslag ongemoeid.

    Voorbeeld: gvb ingest data_raw/   of   gvb ingest --indeling 2026 misdrijven_2012_2025.csv
    """
    from pipeline.ingest.load import collect_files
    from pipeline.ingest.load import ingest as run_ingest
    from pipeline.kernel.sources import SOURCES

    if bron is not None and bron not in SOURCES:
        raise GvbError(f"onbekende bron '{bron}'; kies uit: {', '.join(SOURCES)}")
    from pipeline.kernel.locking import exclusive

    cfg = settings()
    files, _ = collect_files(paths, cfg.home)
    # one lock for ingest, build, publish, report and refresh: never in the middle of another
    with exclusive(cfg, "inlezen"), _steps("Inlezen", len(files)) as step:
        results = run_ingest(paths, cfg, hint=bron, progress=lambda path: step(path.name), indeling=indeling)
    refused = 0
    for result in results:
        if result.status == "geweigerd":
            refused += 1
            err.print(f"[red]✗ geweigerd[/] {_m(result.error.render())}", highlight=False, soft_wrap=True, markup=True)
            continue
        if result.status == "overgeslagen":
            out.print(
                f"- {printable(result.path.name)}: overgeslagen, {'; '.join(result.notes)}",
                highlight=False,
                soft_wrap=True,
            )
            continue
        mark = "[green]✓[/]" if result.status == "geladen" else "[dim]=[/]"
        demo = " [yellow](DEMO)[/]" if result.demo else ""
        out.print(
            f"{mark} {_m(printable(result.path.name))}: {result.status}, bron {result.source}, {result.rows:n} rijen{demo}",
            highlight=False,
            soft_wrap=True,
            markup=True,
        )
        for note in result.notes:
            out.print(f"    {printable(note, 1000)}", highlight=False, soft_wrap=True)
    loaded = sum(r.status == "geladen" for r in results)
    same = sum(r.status == "ongewijzigd" for r in results)
    out.print(f"[bold]{loaded} geladen, {same} ongewijzigd, {refused} geweigerd[/]", highlight=False, markup=True)
    if all(r.status == "overgeslagen" for r in results):
        raise GvbError("geen bestanden gevonden om in te lezen (.csv, .xlsx, .ods, .xls, .json, .parquet)")
    if refused:
        raise typer.Exit(1)


# -- status ----------------------------------------------------------------------------------------
@app.command()
@handle_errors
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Uitvoer als JSON (voor scripts).")] = False,
) -> None:
    """Toon per bron: bestanden, perioden, aantal rijen en laatste levering.

    Voorbeeld: gvb status   of   gvb status --json
    """
    from pipeline.inspect import status as get_status

    info = get_status(settings())
    if as_json:
        sys.stdout.write(json.dumps(info, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=f"Opslag {info['opslag']} — regio {info['regio']}")
    for header in ("bron", "bestanden", "rijen", "perioden", "van", "tot", "laatst geladen", ""):
        table.add_column(header, justify="right" if header in ("bestanden", "rijen", "perioden") else "left")
    for row in info["bronnen"]:
        table.add_row(
            row["bron"],
            f"{row['bestanden']:n}",
            f"{row['rijen']:,}".replace(",", "."),
            f"{row['perioden']:n}",
            row["periode_van"] or "-",
            row["periode_tot"] or "-",
            row["laatst_geladen"] or "-",
            DEMO_MARK if row["demo"] else "",
        )
    out.print(table)
    if info.get("duiding"):
        notes = info["duiding"]
        out.print(
            f"Duiding: {notes['notities']} notitie(s), waarvan {notes['ingetrokken']} ingetrokken "
            f"({notes['bestand']}, geladen {notes['laatst_geladen']})",
            highlight=False,
        )
    for edition in info["edities"]:
        demo = f" — {DEMO_MARK}" if edition["demo"] else ""
        out.print(f"Gepubliceerde editie {edition['editie']} ({edition['gepubliceerd_op']}){demo}", highlight=False)
    if info["afgewezen"]:
        out.print(
            f"[bold red]{len(info['afgewezen'])} afgewezen bestand(en)[/] (niet geladen; lever gecorrigeerd opnieuw aan):",
            markup=True,
        )
        for entry in info["afgewezen"]:
            out.print(
                f"  ✗ {entry['bestand']} ({entry['bron'] or 'bron onbekend'}, {entry['afgewezen_op']}): {entry['melding']}",
                highlight=False,
            )
            for problem in entry["problemen"][:3]:
                where = ", ".join(
                    x
                    for x in (
                        f"werkblad '{problem['werkblad']}'" if problem.get("werkblad") else "",
                        f"rij {problem['rij']}" if problem["rij"] else "",
                        f"kolom '{problem['kolom']}'" if problem["kolom"] else "",
                    )
                    if x
                )
                value = f" (waarde: {problem['waarde']!r})" if problem.get("waarde") is not None else ""
                out.print(
                    f"      - {where}: {problem['melding']}{value}"
                    if where
                    else f"      - {problem['melding']}{value}",
                    highlight=False,
                )


# -- validate --------------------------------------------------------------------------------------
@app.command()
@handle_errors
def validate(
    edition: NewestEdition = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Waarschuwingen tellen als blokkerend (exitcode 2).")
    ] = False,
    allow_missing: Annotated[
        bool,
        typer.Option(
            "--ook-onvolledig",
            help="Een niet aangeleverde gemeente-periode is een waarschuwing in plaats van blokkerend.",
        ),
    ] = False,
) -> None:
    """Controleer alle bronnen met de Great Expectations-suites uit expectations/.

    Schrijft de volledige uitslag als JSON (validatie/<editie>/validatie.json, naast de opslag) en de
    GX Data Docs (validatie/<editie>/data_docs/index.html). Een gepubliceerde editie krijgt de uitslag
    alleen als die precies haar gegevens beschrijft (dezelfde stand van de opslag); zo beschrijft
    Datakwaliteit nooit gegevens die de editie niet bevat. Exitcode 0 = schoon, 1 = alleen
    waarschuwingen, 2 = blokkerende fouten (of waarschuwingen met --strict).

    Voorbeeld: gvb validate --edition 2026H1
    """
    from pipeline.validate.run import validate as run_validate

    with err.status("Valideren met Great Expectations ...") if err.is_terminal else contextlib.nullcontext():
        report = run_validate(settings(), edition, strict, allow_missing=allow_missing)
    out.print(f"[bold]Validatie editie {_m(report.editie)}[/]", highlight=False, markup=True)
    for verdict in report.verdicts:
        mark = "[red]✗[/]" if verdict.blokkerend else "[yellow]![/]" if verdict.waarschuwingen else "[green]✓[/]"
        out.print(
            f"{mark} {verdict.bron}: {verdict.geslaagd}/{verdict.controles} controles geslaagd, "
            f"{verdict.waarschuwingen} waarschuwing(en), {verdict.blokkerend} blokkerend",
            highlight=False,
            markup=True,
        )
        if verdict.overgenomen:
            shown = ", ".join(verdict.overgenomen[:4]) + (" …" if len(verdict.overgenomen) > 4 else "")
            parts = (
                "1 ongewijzigd deel"
                if len(verdict.overgenomen) == 1
                else f"{len(verdict.overgenomen)} ongewijzigde delen"
            )
            out.print(
                f"    uitslag overgenomen voor {parts} ({shown}): dezelfde leveringen, code en referentie "
                "als bij een eerdere validatie",
                highlight=False,
            )
        for finding in verdict.bevindingen:
            label = "BLOKKEREND" if finding["ernst"] == "blokkerend" else "waarschuwing"
            count = f" ({finding['aantal_onverwacht']}×)" if finding["aantal_onverwacht"] else ""
            count += f" [{finding['batch']}]" if finding.get("batch") else ""
            out.print(f"    {label} — niet voldaan: {finding['omschrijving']}{count}", highlight=False)
            for example in finding["voorbeelden"][:3]:
                parts = [example.get("bestand") or "", f"rij {example['rij']}" if example.get("rij") else "",
                         f"kolom '{example['kolom']}'" if example.get("kolom") else "",
                         f"waarde {_shown(example['waarde'])}" if example.get("waarde") is not None else ""]  # fmt: skip
                extra = f" — {example['melding']}" if example.get("melding") else ""
                out.print("      " + ", ".join(p for p in parts if p) + extra, highlight=False)
    blocking, warnings = report.blocking, report.warnings
    out.print(
        f"[bold]{blocking} blokkerende fout(en), {warnings} waarschuwing(en).[/] Uitslag: {_m(report.json_path)}",
        highlight=False,
        markup=True,
    )
    if report.docs_path:
        out.print(f"Data Docs: {report.docs_path}", highlight=False)
    if report.exit_code:
        raise typer.Exit(report.exit_code)


def _shown(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return repr(value)


# -- build / export ------------------------------------------------------------------------------
@app.command()
@handle_errors
def build(
    edition: NewestEdition = None,
) -> None:
    """Bouw de marts (SQL-modellen in data_marts/) voor een editie, zonder te publiceren.

    Het resultaat komt in $GVB_HOME/bouw/gvb_<editie>.duckdb (om te bekijken met DuckDB);
    publiceren doet 'gvb publish'.

    Voorbeeld: gvb build --edition 2026H1
    """
    from pipeline.build.run import build as run_build
    from pipeline.kernel.edition import default_edition

    cfg = settings()
    edition = edition or default_edition(cfg)
    from pipeline.build.run import build_order
    from pipeline.kernel.locking import exclusive

    with exclusive(cfg, f"bouwen editie {edition}"), _steps("Bouwen", len(build_order())) as step:
        path = run_build(cfg, edition, progress=step)
    out.print(f"[bold]Editie {_m(edition)} gebouwd (niet gepubliceerd):[/] {_m(path)}", highlight=False, markup=True)


@app.command()
@handle_errors
def publish(
    edition: NewestEdition = None,
) -> None:
    """Bouw een editie, controleer de marts en publiceer haar pas dan (atomair); de vorige blijft tot dan staan.

    Het manifest (invoerbestanden met sha256, codeversie, tijd, checksums van de marts) staat in
    $GVB_HOME/edities/<editie>/manifest.json.

    Voorbeeld: gvb publish --edition 2026H1
    """
    from pipeline.build.run import build_order
    from pipeline.kernel.edition import default_edition
    from pipeline.publish.run import publish as run_publish

    cfg = settings()
    edition = edition or default_edition(cfg)
    with _steps("Publiceren", len(build_order()) + 1) as step:
        result = run_publish(cfg, edition, progress=step)
    manifest = result.manifest
    demo = f" ({DEMO_MARK})" if manifest["demo"] else ""
    out.print(f"[bold]Editie {_m(edition)} gepubliceerd{demo}:[/] {_m(result.path)}", highlight=False, markup=True)
    since = f"sinds editie {manifest['vorige_editie']}" if manifest["vorige_editie"] else "(geen eerdere editie)"
    out.print(
        f"{manifest['opvallende_ontwikkelingen']} opvallende ontwikkelingen, {manifest['revisies']} herziene cijfers {since}.",
        highlight=False,
    )


@app.command()
@handle_errors
def refresh(
    edition: NewestEdition = None,
    raw: Annotated[Path, typer.Option("--data", help="Map met de extracten.")] = Path("data_raw"),
    allow_missing: Annotated[
        bool,
        typer.Option(
            "--ook-onvolledig",
            help="Publiceer ook als een bron een gemeente voor een periode niet aanleverde; "
            "die cijfers worden 'geen cijfer' (zonder verandering, rang of totaal).",
        ),
    ] = False,
) -> None:
    """De halfjaarlijkse klus in één opdracht: inlezen, valideren, bouwen en publiceren.

    Stopt vóór het publiceren bij blokkerende fouten (exitcode 2); de vorige editie blijft dan staan.

    Voorbeeld: gvb refresh --edition 2026H1
    """
    from pipeline.refresh import RefreshBlocked
    from pipeline.refresh import refresh as run_refresh

    columns = (TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, disable=not err.is_terminal) as progress:

        class Bars:
            task: Any = None

            def start(self, description: str, total: int) -> None:
                if self.task is not None:
                    progress.update(self.task, completed=progress.tasks[-1].total)
                self.task = progress.add_task(description, total=total)

            def advance(self) -> None:
                progress.advance(self.task)

        try:
            done = run_refresh(settings(), raw, edition, allow_missing, steps=Bars())
        except RefreshBlocked as exc:
            progress.stop()
            for result in exc.done.refused:
                err.print(f"[red]✗ geweigerd[/] {_m(result.error.render())}", highlight=False, markup=True)
            raise
    edition, warnings, result = done.edition, done.warnings, done.publication
    manifest = result.manifest
    demo = f" ({DEMO_MARK})" if manifest["demo"] else ""
    out.print(f"[bold]Editie {_m(edition)} gepubliceerd{demo}.[/]", highlight=False, markup=True)
    out.print(
        f"{manifest['opvallende_ontwikkelingen']} opvallende ontwikkelingen, 0 blokkerende fouten, "
        f"{warnings} waarschuwing(en), {manifest['revisies']} herziene cijfers.",
        highlight=False,
    )


@app.command()
@handle_errors
def export(
    edition: PublishedEdition,
    fmt: Annotated[str, typer.Option("--format", help="csv of parquet.")] = "csv",
    out_path: Annotated[str | None, typer.Option("--out", help="Doelbestand; '-' voor standaarduitvoer.")] = None,
    table: Annotated[
        str, typer.Option("--tabel", help="indicator_values (de cijfers) of notes (de duiding bij de cijfers).")
    ] = "indicator_values",
) -> None:
    """Schrijf een open-data-mart van een editie als CSV of Parquet: indicator_values of notes.

    Voorbeeld: gvb export --edition 2026H1 --format csv --out indicator_values_2026H1.csv
    """
    from pipeline.publish.export import export_table

    if fmt not in ("csv", "parquet"):
        raise GvbError(f"onbekend formaat '{fmt}'; kies csv of parquet")
    target = out_path or f"{table}_{edition}.{fmt}"
    rows = export_table(settings(), edition, fmt, target, table)
    if target != "-":
        out.print(f"{rows:n} rijen geschreven naar {target}", highlight=False)


# -- sql -------------------------------------------------------------------------------------------
@app.command()
@handle_errors
def sql(
    query: Annotated[str, typer.Argument(help="Eén SELECT-opdracht.")],
    fmt: Annotated[str, typer.Option("--format", help="table, csv of json.")] = "table",
) -> None:
    """Voer een alleen-lezen SQL-query uit op de opslag (schrijven wordt geweigerd).

    Voorbeeld: gvb sql "select periode, sum(aantal) from raw_politie_misdrijven where soort_code = '0.0.0' group by 1" --format csv
    """
    from pipeline.inspect import run_sql

    if fmt not in ("table", "csv", "json"):
        raise GvbError(f"onbekend formaat '{fmt}'; kies table, csv of json")
    cfg = settings()
    columns, rows, cut = run_sql(cfg, query)
    if cut:
        err.print(
            f"Let op: alleen de eerste {cfg.sql_rows} rijen worden getoond (GVB_SQL_MAX_ROWS); gebruik 'gvb export' "
            "of beperk de query",
            highlight=False,
        )
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt == "json":
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, default=str, indent=2) + "\n")
    else:
        table = Table()
        for column in columns:
            table.add_column(column)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        out.print(table)


# -- demo ------------------------------------------------------------------------------------------
@app.command()
@handle_errors
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Map voor de demo-extracten.")] = Path("data_raw"),
    seed: Annotated[int, typer.Option("--seed", help="Startwaarde van de toevalsgenerator.")] = 2026,
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Daarna het dashboard starten op http://127.0.0.1:8050.")
    ] = False,
) -> None:
    """Alles in één stap voor nieuwkomers: demo-extracten maken, een demo-editie publiceren, rapporten maken.

    Voorbeeld: gvb demo --serve
    """
    from pipeline.kernel.edition import default_edition

    demo_data(out_dir=out_dir, seed=seed, start="2017-01", end=None)
    refresh(edition=None, raw=out_dir)
    edition = default_edition(settings())
    try:  # the reports can be made later: without them the dashboard still works
        _reports(edition, None, True, "all", list_files=False)
    except GvbError as exc:
        err.print(f"[bold yellow]Rapporten niet gemaakt:[/] {_m(exc.render())}", highlight=False, markup=True,
                  soft_wrap=True)  # fmt: skip
        out.print(f"Het dashboard werkt ook zonder; maak ze later met 'gvb report --edition {edition} --all'.")
    status(as_json=False)
    if serve_after:
        serve(host="127.0.0.1", port=8050, workers=1)


# -- reports ---------------------------------------------------------------------------------------
Gemeenten = Annotated[list[str] | None, typer.Option("--gemeente", help="Gemeentecode (GMxxxx); mag vaker.")]
AllGemeenten = Annotated[bool, typer.Option("--all", help="Alle gemeenten van de editie.")]


@app.command()
@handle_errors
def report(
    edition: PublishedEdition,
    gemeente: Gemeenten = None,
    all_gemeenten: AllGemeenten = False,
    fmt: Annotated[str, typer.Option("--format", help="pdf, xlsx, csv of all.")] = "all",
) -> None:
    """Maak per gemeente het PDF-rapport, de Excelmap en de CSV van een gepubliceerde editie.

    De bestanden komen in $GVB_HOME/edities/<editie>/rapporten/ en het dashboard biedt ze aan.

    Voorbeeld: gvb report --edition 2026H1 --gemeente GM0505 --format pdf
    """
    _reports(edition, gemeente, all_gemeenten, fmt, list_files=True)


@app.command()
@handle_errors
def digest(
    edition: PublishedEdition,
    gemeente: Gemeenten = None,
    all_gemeenten: AllGemeenten = False,
    fmt: Annotated[str, typer.Option("--format", help="md of html (geschikt als e-mail).")] = "md",
    out_dir: Annotated[Path | None, typer.Option("--out", help="Map voor de bestanden (één per gemeente).")] = None,
    send: Annotated[bool, typer.Option("--send", help="Mail elke adviseur uit --ontvangers zijn gemeenten.")] = False,
    recipients: Annotated[
        Path | None, typer.Option("--ontvangers", help="Lijst 'naam;email;gemeenten' (gemeenten met komma's).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Met --send: toon wat verstuurd zou worden.")] = False,
) -> None:
    """Wat er voor een gemeente nieuw is sinds de vorige gepubliceerde editie: opvallende
    ontwikkelingen, herziene cijfers, wat nu wel of niet meer significant is en nieuwe duiding.

    Eén gemeente zonder --out gaat naar het scherm; anders één bestand per gemeente. Met --send
    krijgt elke adviseur uit --ontvangers één e-mail met zijn gemeenten (mailserver: GVB_SMTP_*).

    Voorbeeld: gvb digest --edition 2026H1 --gemeente GM0599 --format html --out nieuw/
    """
    from pipeline.kernel.edition import edition_db
    from pipeline.report.content import EditionReader
    from pipeline.report.digest import make_digest, render_html, render_markdown, write_digests

    if fmt not in ("md", "html"):
        raise GvbError(f"onbekend formaat '{fmt}'; kies md of html")
    if send or dry_run:
        _send_digests(edition, recipients, dry_run)
        return
    if bool(gemeente) == all_gemeenten:
        raise GvbError("kies --gemeente GMxxxx (mag vaker) of --all")
    config = settings()
    codes = list(gemeente or [])
    if all_gemeenten:
        with EditionReader(edition_db(config, edition)) as reader:
            codes = [code for code, _ in reader.gemeenten()]
    if len(codes) == 1 and out_dir is None:
        made = make_digest(config, edition, codes[0])
        out.print(render_html(made) if fmt == "html" else render_markdown(made), highlight=False)
        return
    written = write_digests(config, edition, codes, fmt, out_dir or Path(f"nieuw_{edition}"))
    out.print(f"{len(written)} overzicht(en) geschreven naar {written[0].parent}", highlight=False)


@app.command()
@handle_errors
def persbericht(
    edition: PublishedEdition,
    fmt: Annotated[str, typer.Option("--format", help="docx (Word) of md.")] = "docx",
    out_path: Annotated[Path | None, typer.Option("--out", help="Doelbestand.")] = None,
) -> None:
    """Schrijf een concept-persbericht voor de eenheid: het hoofdcijfer met verandering, de
    opvallendste ontwikkelingen, één regel per thema en een noot voor de redactie.

    Voorbeeld: gvb persbericht --edition 2026H1 --format docx --out persbericht_2026H1.docx
    """
    from pipeline.report.press import write_press_release

    if fmt not in ("docx", "md"):
        raise GvbError(f"onbekend formaat '{fmt}'; kies docx of md")
    target = write_press_release(settings(), edition, fmt, out_path or Path(f"persbericht_{edition}.{fmt}"))
    out.print(f"Concept-persbericht geschreven naar {target}", highlight=False)


def _send_digests(edition: str, recipients: Path | None, dry_run: bool) -> None:
    from pipeline.kernel.edition import edition_db
    from pipeline.report.content import EditionReader
    from pipeline.report.mail import message, read_recipients, send

    if recipients is None:
        raise GvbError("--send heeft een ontvangerslijst nodig: --ontvangers adviseurs.csv")
    config = settings()
    with EditionReader(edition_db(config, edition)) as reader:
        names = dict(reader.gemeenten())
    advisors = read_recipients(recipients, names)
    messages = [message(config, edition, advisor, names) for advisor in advisors]
    for advisor, mail in zip(advisors, messages, strict=True):
        prefix = "zou versturen" if dry_run else "verstuurt"
        out.print(f"{prefix}: {mail['To']} — {mail['Subject']} ({', '.join(advisor.gemeenten)})", highlight=False)
    if dry_run:
        out.print(f"Proefdraai: {len(messages)} bericht(en), niets verstuurd.", highlight=False)
        return
    send(config, messages)
    out.print(f"{len(messages)} bericht(en) verstuurd.", highlight=False)


def _reports(edition: str, gemeente: list[str] | None, all_gemeenten: bool, fmt: str, list_files: bool) -> None:
    from pipeline.kernel.edition import edition_dir, edition_period
    from pipeline.kernel.publication import reports_folder
    from pipeline.report.batch import FORMATS, generate

    edition_period(edition)
    if not gemeente and not all_gemeenten:
        raise GvbError("noem een gemeente met --gemeente GMxxxx, of kies --all")
    formats = FORMATS if fmt == "all" else (fmt,)
    from pipeline.kernel.locking import exclusive

    cfg = settings()
    with exclusive(cfg, f"rapporten editie {edition}"), _steps("rapporten", None) as step:
        written = generate(cfg, edition, None if all_gemeenten else list(gemeente or []), formats, progress=step)
    if list_files:
        for path in written:
            out.print(f"  {path}", highlight=False)
    # where a reader finds them: edities/<E>/rapporten (the current publication), not its internal name
    folder = reports_folder(edition_dir(cfg, edition)) if written else None
    counts = ", ".join(f"{sum(p.suffix == '.' + f for p in written)} {f.upper()}" for f in formats)
    out.print(
        f"[bold]{len(written)} rapportbestanden geschreven[/] voor editie {_m(edition)} ({counts})"
        + (f" in {_m(folder)}" if folder and not list_files else "")
        + ".",
        highlight=False,
        markup=True,
    )


# -- dashboard -------------------------------------------------------------------------------------
@app.command()
@handle_errors
def serve(
    host: Annotated[str, typer.Option("--host", help="Adres om op te luisteren.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Poort.", min=1, max=65535)] = 8050,
    workers: Annotated[
        int, typer.Option("--workers", help="Meer dan 1: gunicorn met zoveel processen (productie).", min=1, max=64)
    ] = 1,
) -> None:
    """Start het dashboard; het leest de gepubliceerde edities en ziet een nieuwe editie zonder herstart.

    Voorbeeld: gvb serve --port 8050 --workers 2
    """
    from dashboard.serve import serve as run_server

    run_server(settings(), host, port, workers)


geo = typer.Typer(
    help="Gemeentegrenzen voor de geografische kaart van het dashboard.\n\nVoorbeeld: gvb geo download",
    no_args_is_help=True,
)
app.add_typer(geo, name="geo")


@geo.command("download")
@handle_errors
def geo_download(
    year: Annotated[int, typer.Option("--jaar", help="Jaar van de gemeentelijke indeling.")] = 2023,
) -> None:
    """Haal de officiële gemeentegrenzen op (cartomap, CBS/PDOK; internet nodig) en bewaar die van de regio.

    Voorbeeld: gvb geo download --jaar 2023
    """
    from pipeline.reference.geo import download

    path = download(settings(), year)
    out.print(f"Gemeentegrenzen bewaard in {path}. Het dashboard gebruikt ze vanzelf (of zet GVB_GEO={path}).")


DataFolder = Annotated[Path, typer.Option("--data", help="Map met de extracten.")]


Region = Annotated[str | None, typer.Option("--regio", help="Eenheid (RE01-RE10) of NL; standaard GVB_REGIO.")]


fetch = typer.Typer(
    help=(
        "Haal open data op uit de OData-feeds van politie en CBS, naar data_raw/ (internet nodig).\n\n"
        "Voorbeeld: gvb fetch politie --tabel 47022NED --vanaf 2024-01   en dan   gvb refresh data_raw"
    ),
    no_args_is_help=True,
)
app.add_typer(fetch, name="fetch")


def _pages(step: Callable[[str], None]) -> Callable[[int, int], None]:
    """A fetch's progress (pages and rows so far) as a step of the progress bar."""
    return lambda page, rows: step(f"pagina {page}, {rows:n} rijen")


def _fetched(result: object) -> None:
    from pipeline.fetch.run import Fetched

    assert isinstance(result, Fetched)
    if result.status == "ongewijzigd":
        out.print(
            f"= {result.table} ({printable(result.title)}) is niet gewijzigd sinds {result.modified}: niets opgehaald; "
            f"{result.folder} blijft zoals het was ({result.rows:n} rijen).",
            highlight=False, soft_wrap=True,
        )  # fmt: skip
        return
    resumed = f", waarvan {result.resumed} bewaard van een onderbroken keer" if result.resumed else ""
    replaced = "; vervangt de eerder opgehaalde versie" if result.replaced else ""
    out.print(
        f"✓ {result.table} ({printable(result.title)}, gewijzigd {result.modified}): {result.rows:n} rijen in "
        f"{result.pages} pagina's{resumed}{replaced}.\n  Bewaard in {result.folder} (met manifest.json).",
        highlight=False, soft_wrap=True,
    )  # fmt: skip


@fetch.command("politie")
@handle_errors
def fetch_politie(
    tabel: Annotated[
        str, typer.Option("--tabel", help="Politietabel: 47013NED, 47018NED, 47022NED, 47021NED of 47024NED.")
    ],
    vanaf: Annotated[str, typer.Option("--vanaf", help="Eerste maand, bv. 2012-01.")] = "2012-01",
    regio: Region = None,
    data: DataFolder = Path("data_raw"),
) -> None:
    """Haal een politietabel op: alleen de gemeenten (en wijken) van de regio, vanaf een maand.

    Volgt de pagina's van de feed tot het eind, probeert opnieuw bij storingen en gaat na een
    onderbreking verder waar het stopte. Een ongewijzigde tabel wordt niet opnieuw opgehaald.
    Lees het resultaat in met gvb ingest of gvb refresh.

    Voorbeeld: gvb fetch politie --tabel 47022NED --vanaf 2012-01 --regio RE07
    """
    from pipeline.fetch.police import fetch_police

    with _steps("Ophalen", None) as step:
        result = fetch_police(settings(), tabel, data, vanaf, regio, progress=_pages(step))
    _fetched(result)


@fetch.command("cbs-bevolking")
@handle_errors
def fetch_cbs_bevolking(
    jaar: Annotated[
        int | None, typer.Option("--jaar", help="Inwoners op 1 januari van dit jaar; standaard dit jaar.")
    ] = None,
    regio: Region = None,
    data: DataFolder = Path("data_raw"),
) -> None:
    """Haal de inwonertallen op 1 januari op uit CBS 37230ned, voor de gemeenten van de regio.

    Zet ze daarna in de referentiegegevens met gvb referentie bevolking (zie README).

    Voorbeeld: gvb fetch cbs-bevolking --jaar 2026
    """
    from pipeline.fetch.population import fetch_population

    with _steps("Ophalen", None) as step:
        result = fetch_population(settings(), data, jaar, regio, progress=_pages(step))
    _fetched(result)
    out.print(
        f"  Zet de cijfers in de referentiegegevens met: gvb referentie bevolking {result.folder}", highlight=False
    )


referentie = typer.Typer(
    help="Referentiegegevens bijwerken (pipeline/reference/data), zodat een review de wijziging in git ziet.\n\n"
    "Voorbeeld: gvb referentie bevolking data_raw/cbs_bevolking/37230ned_2026_RE07",
    no_args_is_help=True,
)
app.add_typer(referentie, name="referentie")


@referentie.command("bevolking")
@handle_errors
def referentie_bevolking(
    map_: Annotated[Path, typer.Argument(metavar="MAP", help="Een map die gvb fetch cbs-bevolking schreef.")],
) -> None:
    """Zet opgehaalde CBS-inwonertallen in bevolking.csv, met peiljaar en bron bij elk cijfer.

    Een geschat cijfer (het laatste jaar doorgetrokken) wordt de telling; latere geschatte jaren
    trekken de nieuwe telling door. Daarna: gvb refresh (de marts noemen het peiljaar van elke noemer).

    Voorbeeld: gvb referentie bevolking data_raw/cbs_bevolking/37230ned_2026_RE07
    """
    from pipeline.fetch.population import update_reference

    result = update_reference(map_)
    out.print(
        f"✓ {len(result.updated)} gemeenten hebben nu de CBS-telling van 1 januari {result.year}; "
        f"{result.carried} latere geschatte rijen trekken die door. Bijgewerkt: {result.path}",
        highlight=False, soft_wrap=True,
    )  # fmt: skip
    if result.unknown:
        out.print(
            f"  Niet in bevolking.csv, overgeslagen (een nieuwe gemeente: werk eerst de referentiegegevens bij met "
            f"python -m pipeline.reference.derive): {', '.join(result.unknown)}",
            highlight=False, soft_wrap=True,
        )  # fmt: skip
    if result.missing:
        out.print(f"  Zonder cijfer in de feed (blijven geschat): {', '.join(result.missing)}", highlight=False)


duiding = typer.Typer(
    help=(
        "Duiding: de toelichting van analisten bij cijfers, in data_raw/duiding/duiding.yaml.\n\n"
        "Voorbeeld: gvb duiding add --indicator M_CYBERCRIME --gebied alle --perioden '2024-01 t/m 2025-12' "
        "--tekst 'Stijging door een registratiewijziging per 2024.' --auteur 'A. Analist' --editie 2026H1"
    ),
    no_args_is_help=True,
)
app.add_typer(duiding, name="duiding")
NotesFile = Annotated[
    Path | None, typer.Option("--bestand", help="Het duidingsbestand (standaard <data>/duiding/duiding.yaml).")
]


def _notes_file(path: Path | None, data: Path) -> Path:
    from pipeline.ingest.duiding import notes_path

    return path or notes_path(data)


@duiding.command("add")
@handle_errors
def duiding_add(
    indicator: Annotated[str, typer.Option("--indicator", help="Code van de indicator, bv. M_CYBERCRIME.")],
    gebied: Annotated[str, typer.Option("--gebied", help="GMxxxx, een districtcode, de eenheid of 'alle'.")],
    perioden: Annotated[str, typer.Option("--perioden", help="Bv. 2024, 2024H1 of '2024-01 t/m 2025-12'.")],
    tekst: Annotated[str, typer.Option("--tekst", help="De duiding, gewone tekst (ten hoogste 1000 tekens).")],
    auteur: Annotated[str, typer.Option("--auteur", help="Wie de duiding schreef.")],
    editie: Annotated[str, typer.Option("--editie", help="De editie waarvoor de duiding geschreven is.")],
    bestand: NotesFile = None,
    data: DataFolder = Path("data_raw"),
) -> None:
    """Voeg een notitie toe; het bestand wordt eerst gecontroleerd en alleen heel geschreven."""
    from pipeline.ingest.duiding import add_note
    from pipeline.kernel.periods import today
    from pipeline.reference import reference

    path = _notes_file(bestand, data)
    note = add_note(
        path, reference(), today(), indicator=indicator.strip(), gebied=gebied.strip(), perioden=perioden,
        tekst=tekst, auteur=auteur, editie=editie.strip(),
    )  # fmt: skip
    out.print(f"Notitie {note.id} toegevoegd aan {path}. Lees haar in met 'gvb ingest {path.parent}'.")


@duiding.command("list")
@handle_errors
def duiding_list(bestand: NotesFile = None, data: DataFolder = Path("data_raw")) -> None:
    """Toon de notities: id, indicator, gebied, perioden, editie, ingetrokken en tekst."""
    from pipeline.ingest.duiding import read_notes
    from pipeline.kernel.periods import today
    from pipeline.reference import reference

    path = _notes_file(bestand, data)
    notes = read_notes(path, reference(), today()) if path.exists() else []
    if not notes:
        out.print(f"Geen notities in {path}.")
        return
    table = Table("id", "indicator", "gebied", "perioden", "editie", "ingetrokken", "tekst", box=None)
    for note in notes:
        table.add_row(
            note.id, note.indicator, note.gebied, note.perioden, note.editie, note.ingetrokken or "", note.tekst
        )
    out.print(table)


@duiding.command("retire")
@handle_errors
def duiding_retire(
    note_id: Annotated[str, typer.Argument(help="Id van de notitie, bv. D0003.")],
    editie: Annotated[str, typer.Option("--editie", help="Vanaf deze editie niet meer getoond.")],
    bestand: NotesFile = None,
    data: DataFolder = Path("data_raw"),
) -> None:
    """Trek een notitie in vanaf een editie; eerder gepubliceerde edities houden haar."""
    from pipeline.ingest.duiding import retire_note
    from pipeline.kernel.periods import today
    from pipeline.reference import reference

    path = _notes_file(bestand, data)
    note = retire_note(path, reference(), today(), note_id.strip(), editie.strip())
    out.print(f"Notitie {note.id} ingetrokken vanaf editie {note.ingetrokken}.")


def run() -> None:
    app()


if __name__ == "__main__":
    run()
