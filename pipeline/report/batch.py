"""`gvb report`: per-gemeente PDF, Excel and CSV of an edition, into ``edities/<E>/rapporten/``.

All formats are renderings of one :class:`~pipeline.report.content.Report` read from the
edition's marts. Charts are drawn by kaleido with one Chromium session for the whole batch
(starting Chromium per chart costs seconds). Files are written to a temporary name and renamed,
so a half-written report is never served.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from pipeline.kernel import publication
from pipeline.kernel.config import Settings
from pipeline.kernel.edition import edition_db
from pipeline.kernel.errors import GvbError
from pipeline.kernel.files import write_atomically
from pipeline.kernel.publication import report_path
from pipeline.report import csvfile, excel, pdf
from pipeline.report.content import EditionReader

FORMATS = ("pdf", "xlsx", "csv")


#: where Debian and other systems put Chromium/Chrome (kaleido looks for the same browsers)
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
INSTALL_HINT = "installeer de systeempakketten met 'make system-deps' (of 'sudo apt-get install {packages}')"


def check_pdf_tools() -> None:
    """Fail at once, in one sentence with the fix, when what a PDF needs is not on this machine:
    Chromium (kaleido draws the charts with it) and WeasyPrint's libraries (Pango)."""
    from pipeline.kernel.config import settings

    configured = settings().browser_path
    if not (configured and configured.is_file()) and not any(shutil.which(b) for b in BROWSERS):
        raise GvbError(
            "voor de grafieken in de PDF is Chromium nodig en dat staat niet op deze machine; "
            + INSTALL_HINT.format(packages="chromium")
            + ", of maak alleen Excel en CSV met --format xlsx en --format csv"
        )
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        raise GvbError(
            f"voor de PDF is WeasyPrint nodig en dat mist een systeembibliotheek ({exc}); "
            + INSTALL_HINT.format(packages="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0")
        ) from None


@contextlib.contextmanager
def chart_session() -> Iterator[None]:
    """One kaleido (Chromium) session for a batch of charts."""
    import kaleido

    try:
        kaleido.start_sync_server(silence_warnings=True)
    except Exception as exc:  # kaleido raises its own types when Chromium is missing
        raise GvbError(f"grafieken tekenen lukt niet (kaleido/Chromium): {exc}") from None
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            kaleido.stop_sync_server(silence_warnings=True)


def _svg(figure: object) -> bytes | None:
    if figure is None:
        return None
    import warnings

    import plotly.io as pio

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "kopts ignored when using a server": we use one on purpose
        return pio.to_image(figure, format="svg")


def die_with_parent() -> None:
    """A worker gets SIGKILL when the process that started it dies (also of kill -9): no orphaned
    WeasyPrint workers after an interrupted `gvb report --all` (Linux; elsewhere a no-op)."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the call: go too
        os._exit(1)


def generate(
    settings: Settings,
    edition: str,
    gemeenten: list[str] | None,
    formats: tuple[str, ...] = FORMATS,
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write the reports of ``gemeenten`` (all of the edition when ``None``); returns the files."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise GvbError(f"onbekend formaat {unknown[0]}; kies uit pdf, xlsx, csv of all")
    if "pdf" in formats:
        check_pdf_tools()
    written = []
    # the publication read now: its reports go into its own directory (a newer publication has
    # its own, without them), never into whatever edities/<E> points to by the time one is done
    folder = publication.current(settings, edition) or edition_db(settings, edition).parent
    with EditionReader(folder / f"gvb_{edition}.duckdb") as reader:
        codes = gemeenten or [code for code, _ in reader.gemeenten()]
        # WeasyPrint is the slow part: with several PDFs it runs in worker processes (spawned before
        # Chromium starts) while this process draws the charts and writes Excel and CSV
        workers = min(2, os.cpu_count() or 1) if "pdf" in formats and len(codes) > 1 else 0
        pool = (
            ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=die_with_parent)
            if workers
            else None
        )
        pending: list[tuple[str, Future[bytes]]] = []
        try:
            with chart_session() if "pdf" in formats else contextlib.nullcontext():
                for code in codes:
                    report = reader.report(code)
                    if progress:
                        progress(f"{report.name} ({code})")
                    if "pdf" in formats:
                        html = pdf.document(report, _svg(pdf.trend_figure(report)))
                        if pool:
                            pending.append((code, pool.submit(pdf.render_html, html)))
                        else:
                            written.append(_save(folder, edition, code, "pdf", pdf.render_html(html)))
                    if "xlsx" in formats:
                        written.append(_save(folder, edition, code, "xlsx", excel.render(report)))
                    if "csv" in formats:
                        written.append(_save(folder, edition, code, "csv", csvfile.render(report)))
            for code, future in pending:
                written.append(_save(folder, edition, code, "pdf", future.result()))
        finally:
            if pool:
                pool.shutdown(cancel_futures=True)
    return written


def _save(folder: Path, edition: str, gemeente: str, extension: str, content: bytes) -> Path:
    """Write a report under a temporary name and rename it: a half-written file is never served."""
    return write_atomically(report_path(folder, edition, gemeente, extension), content)
