"""Plain Flask routes: downloads, Data Docs, and the Dutch 400/404/500 pages.

No path from a URL reaches the file system unchecked: an edition must be a published edition, a
gemeente a gemeente of that edition, a format one of a fixed list; files are looked up by a name
built from those checked values, never by the text of the URL.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, send_file
from werkzeug.exceptions import HTTPException
from werkzeug.security import safe_join

from dashboard import data, state, urls
from pipeline.kernel.edition import EDITION_PATTERN
from pipeline.kernel.publication import report_path

NOT_PAGES = ("/_dash", "/assets/", "/_reload", "/_favicon", urls.DOWNLOAD, urls.DATA_DOCS, "/favicon")
PAGE_PATHS = {"/", "/vergelijken", "/themas", "/downloads", "/toelichting", "/datakwaliteit"}
GEMEENTE_PATH = re.compile(r"^/gemeente/([^/]*)/?$")
#: report formats a gemeente can be downloaded in, with their content type
FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
log = logging.getLogger(__name__)


def error_page(status: int, message: str) -> Response:
    title = state.ERROR_TITLES.get(status, "Fout")
    body = f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — GVB</title><link rel="stylesheet" href="/assets/gvb.css"></head>
<body><a class="skip-link" href="#inhoud">Direct naar de inhoud</a>
<header class="site-header"><a class="brand" href="{urls.OVERZICHT}"><span class="brand-mark">GVB</span> Gezamenlijk Veiligheidsbeeld</a></header>
<main id="inhoud"><div class="page error-page"><h1 id="page-title">{title}</h1><p class="lead">{html.escape(message)}</p>
<p>Ga naar het <a href="{urls.OVERZICHT}">Overzicht</a>, of kies op de pagina een andere editie, gemeente of indicator.</p>
<p class="muted">(foutcode {status})</p></div></main></body></html>"""
    return Response(body, status=status, mimetype="text/html")


def check_page(path: str, args: Mapping[str, Any]) -> Response | None:
    """``None`` when the page URL is fine; else the error page to answer with."""
    gemeente = None
    match = GEMEENTE_PATH.match(path)
    if match:
        gemeente = match.group(1)
    elif path.rstrip("/") not in PAGE_PATHS and path != "/":
        return error_page(404, "Deze pagina bestaat niet.")
    try:
        parameters = {k: args.getlist(k) if hasattr(args, "getlist") else args[k] for k in args}
        state.resolve(parameters, gemeente=gemeente)
    except (state.BadRequest, state.NotFound) as exc:
        return error_page(exc.status, exc.explain())
    return None


def report_file(ed: data.Edition, gemeente: str, extension: str) -> Path | None:
    """A generated report of a gemeente, when ``gvb report`` made one for this edition."""
    candidate = report_path(ed.folder, ed.code, gemeente, extension)
    return candidate if candidate.is_file() else None


def gemeente_csv(ed: data.Edition, gemeente: str) -> bytes:
    """A gemeente's figures of every period as the report's CSV (Dutch headers, ``;``, decimal comma)."""
    from pipeline.report import csvfile
    from pipeline.report.content import EditionReader

    with EditionReader(ed.path) as reader:
        return csvfile.render(reader.report(gemeente))


def register(server: Flask) -> None:
    @server.route("/download/<edition>/<name>")
    def download(edition: str, name: str) -> Response:
        ed = data.edition(edition) if EDITION_PATTERN.fullmatch(edition) else None
        if ed is None:
            abort(404, "deze editie is niet gepubliceerd")
        if name == "indicator_values.csv":
            return _attachment(data.open_data_csv(ed), f"gvb_{ed.code}_indicator_values.csv", FORMATS["csv"])
        match = re.fullmatch(r"(GM\d{4})\.(pdf|xlsx|csv)", name)
        if not match or match.group(1) not in set(data.gemeenten(ed)["area_code"]):
            abort(404, "onbekende gemeente of onbekend formaat")
        gemeente, extension = match.groups()
        path = report_file(ed, gemeente, extension)
        if path is not None:
            return send_file(
                path, mimetype=FORMATS[extension].split(";")[0], as_attachment=True, download_name=path.name
            )
        if extension == "csv":  # the same file 'gvb report' writes, made now from the edition
            response = Response(gemeente_csv(ed, gemeente), content_type=FORMATS["csv"])
            response.headers["Content-Disposition"] = f'attachment; filename="gvb_{ed.code}_{gemeente}.csv"'
            return response
        abort(404, "dit rapport is voor deze editie nog niet gemaakt; vraag de analist om de rapporten te maken")

    @server.route("/download/<path:rest>")
    def download_unknown(rest: str) -> Response:
        abort(404, "dit bestand bestaat niet")

    @server.route("/data-docs/<edition>/")
    @server.route("/data-docs/<edition>/<path:name>")
    def data_docs(edition: str, name: str = "index.html") -> Response:
        ed = data.edition(edition) if EDITION_PATTERN.fullmatch(edition) else None
        if ed is None:
            abort(404, "deze editie is niet gepubliceerd")
        root = ed.folder / "data_docs"
        joined = safe_join(str(root), name)
        if joined is None or not Path(joined).is_file():
            abort(404, "dit deel van de Data Docs bestaat niet")
        return send_file(joined)

    @server.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        if status not in (400, 404, 405):
            status = 400 if status < 500 else 500
        message = exc.description if status != 405 else "Deze bewerking kan hier niet."
        if status == 404 and "requested URL was not found" in str(message):
            message = "Deze pagina bestaat niet."
        return error_page(status, str(message))

    @server.errorhandler(Exception)
    def internal_error(exc: Exception) -> Response:
        log.exception("interne fout")
        return error_page(500, "Er ging iets mis bij het maken van deze pagina. Probeer het later opnieuw.")


def _attachment(text: str, filename: str, mimetype: str) -> Response:
    # UTF-8 with BOM, so Dutch Excel opens it with the right characters
    response = Response("\ufeff" + text, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
