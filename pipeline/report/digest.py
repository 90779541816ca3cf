"""`gvb digest`: what is new for one gemeente since the previous published edition, for its advisor.

Four kinds of news, each with a deep link into the dashboard:
- the edition's *opvallende ontwikkelingen* for the gemeente (its period is new);
- figures revised since the previous edition (the ``revisions`` mart);
- changes that became, or stopped being, significant in a period both editions hold;
- duiding that the previous edition did not have.
Rendered as Markdown or as e-mail-ready HTML (inline styles, no scripts, no remote images).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.kernel.config import Settings
from pipeline.kernel.edition import edition_db, previous_edition
from pipeline.presentation.digest import FIGURE_COLUMNS, KINDS, REVISION_COLUMNS, link, news
from pipeline.presentation.dutch import edition_label
from pipeline.report.content import EditionReader


@dataclass(frozen=True)
class Entry:
    kind: str  # a key of KINDS
    text: str
    link: str


@dataclass
class Digest:
    edition: str
    previous: str | None
    gemeente: str
    name: str
    demo: bool
    items: list[Entry] = field(default_factory=list)

    def of(self, kind: str) -> list[Entry]:
        return [item for item in self.items if item.kind == kind]


def make_digest(settings: Settings, edition: str, gemeente: str) -> Digest:
    """The digest of ``gemeente`` in the published ``edition`` (worded by ``presentation.digest``)."""
    figures = f"select {', '.join(FIGURE_COLUMNS)} from indicator_values where area_code = ?"
    with EditionReader(edition_db(settings, edition)) as reader:
        report = reader.report(gemeente)
        digest = Digest(edition, None, gemeente, report.name, report.demo)
        revised = reader.frame(f"select {', '.join(REVISION_COLUMNS)} from revisions where area_code = ?", gemeente)
        notes = reader.notes(gemeente)
        now, then, known_notes = reader.frame(figures, gemeente), None, set()
        previous = previous_edition(settings, edition)
        if previous is not None:
            digest.previous = previous[0]
            with EditionReader(previous[1]) as before:
                then = before.frame(figures, gemeente)
                if before.has_table("notes"):
                    known_notes = {row[0] for row in before.con.execute("select note_id from notes").fetchall()}
    items = news(edition, report.notable, revised, now, then, notes, known_notes, report.area_names)
    digest.items = [Entry(i.kind, i.text, link(i, gemeente, settings.dashboard_url)) for i in items]
    return digest


def _intro(digest: Digest) -> str:
    if digest.previous:
        return f"Nieuw voor {digest.name} in {edition_label(digest.edition)}, sinds editie {digest.previous}."
    return f"Nieuw voor {digest.name} in {edition_label(digest.edition)}; er is geen eerdere gepubliceerde editie."


DEMO_LINE = "DEMO — fictieve cijfers: geen enkel cijfer in dit overzicht is echt."


def render_markdown(digest: Digest) -> str:
    lines = [f"# {edition_label(digest.edition)}: nieuw voor {digest.name}", ""]
    if digest.demo:
        lines += [f"**{DEMO_LINE}**", ""]
    lines += [_intro(digest), ""]
    for kind, heading in KINDS.items():
        lines.append(f"## {heading}")
        items = digest.of(kind)
        lines += [f"- {item.text} ([bekijk]({item.link}))" for item in items] or ["Niets nieuws."]
        lines.append("")
    return "\n".join(lines)


def render_html(digest: Digest) -> str:
    """E-mail-ready HTML: inline styles only, no scripts, no images; the text reads without styling."""
    e = html.escape
    parts = [
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">',
        f"<title>{e(edition_label(digest.edition))}: nieuw voor {e(digest.name)}</title></head>",
        '<body style="font-family: Arial, sans-serif; color: #1a1a1a; max-width: 640px;">',
        f'<h1 style="font-size: 20px;">{e(edition_label(digest.edition))}: nieuw voor {e(digest.name)}</h1>',
    ]
    if digest.demo:
        parts.append(f'<p style="font-weight: bold; color: #8a1c1c;">{e(DEMO_LINE)}</p>')
    parts.append(f"<p>{e(_intro(digest))}</p>")
    for kind, heading in KINDS.items():
        parts.append(f'<h2 style="font-size: 16px; margin-top: 20px;">{e(heading)}</h2>')
        items = digest.of(kind)
        if not items:
            parts.append("<p>Niets nieuws.</p>")
            continue
        parts.append("<ul>")
        parts += [
            f'<li>{e(item.text)} <a href="{e(item.link)}" style="color: #1d4f91;">bekijk</a></li>' for item in items
        ]
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_digests(settings: Settings, edition: str, gemeenten: list[str], fmt: str, folder: Path) -> list[Path]:
    """One file per gemeente in ``folder``: ``nieuw_<editie>_<gemeente>.<md|html>``."""
    from pipeline.kernel.files import write_atomically

    written = []
    for gemeente in gemeenten:
        digest = make_digest(settings, edition, gemeente)
        text = render_html(digest) if fmt == "html" else render_markdown(digest)
        path = folder / f"nieuw_{edition}_{gemeente}.{fmt}"
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text)
        written.append(path)
    return written
