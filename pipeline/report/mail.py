"""`gvb digest --send`: each advisor gets one e-mail with the digests of their gemeenten.

The recipients are a ``;``-separated file the analyst keeps (``naam;email;gemeenten``, the gemeenten
as codes separated by commas); the mail server and its credentials come from the settings
(``GVB_SMTP_*``), never from a file. ``--dry-run`` says what would be sent and sends nothing.
"""

from __future__ import annotations

import csv
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from pipeline.kernel.config import Settings
from pipeline.kernel.errors import GvbError, InputError, Problem
from pipeline.presentation.dutch import edition_label
from pipeline.report.digest import make_digest, render_html, render_markdown

_ADDRESS = re.compile(r"^[^@\s;,<>\"']+@[^@\s;,<>\"']+\.[a-zA-Z]{2,}$")


@dataclass(frozen=True)
class Recipient:
    name: str
    address: str
    gemeenten: tuple[str, ...]


def read_recipients(path: Path, known: dict[str, str]) -> list[Recipient]:
    """The advisors of the file; every wrong row named (row, column, value) before anything is sent."""
    if not path.is_file():
        raise GvbError(f"ontvangerslijst {path} bestaat niet")
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh, delimiter=";"))
    except UnicodeDecodeError:
        raise InputError("de ontvangerslijst is geen UTF-8-tekst", file=path.name) from None
    if not rows or [h.strip().lower() for h in rows[0]] != ["naam", "email", "gemeenten"]:
        raise InputError("de eerste regel moet 'naam;email;gemeenten' zijn", file=path.name)
    recipients, problems = [], []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 3:
            problems.append(Problem("schema", f"{len(row)} velden in plaats van 3", row=number))
            continue
        name, address, codes = (cell.strip() for cell in row)
        if not _ADDRESS.match(address):
            problems.append(Problem("schema", "geen geldig e-mailadres", row=number, column="email", value=address))
        gemeenten = tuple(code.strip().upper() for code in codes.split(",") if code.strip())
        unknown = [code for code in gemeenten if code not in known]
        if not gemeenten or unknown:
            problems.append(Problem("codes", "gemeente hoort niet bij de editie", row=number, column="gemeenten",
                                    value=", ".join(unknown) or codes))  # fmt: skip
        recipients.append(Recipient(name or address, address, gemeenten))
    if problems:
        raise InputError("ontvangerslijst geweigerd, niets verstuurd", file=path.name, problems=problems)
    return recipients


def message(settings: Settings, edition: str, recipient: Recipient, names: dict[str, str]) -> EmailMessage:
    """One advisor's e-mail: plain text (Markdown) with the same content as HTML beside it."""
    digests = [make_digest(settings, edition, code) for code in recipient.gemeenten]
    mail = EmailMessage()
    mail["Subject"] = f"{edition_label(edition)}: nieuw voor {', '.join(names[c] for c in recipient.gemeenten)}"
    mail["From"] = settings.smtp.sender if settings.smtp else "gvb@localhost"
    mail["To"] = f"{recipient.name} <{recipient.address}>"
    mail.set_content("\n\n".join(render_markdown(d) for d in digests))
    mail.add_alternative("\n".join(render_html(d) for d in digests), subtype="html")
    return mail


def send(settings: Settings, messages: list[EmailMessage]) -> None:
    """Deliver the messages over one connection to the configured server."""
    config = settings.smtp
    if config is None:
        raise GvbError("geen mailserver ingesteld: zet GVB_SMTP_HOST en GVB_SMTP_FROM (zie README)")
    sent = 0
    try:
        if config.tls == "ssl":
            server: smtplib.SMTP = smtplib.SMTP_SSL(config.host, config.port, timeout=30,
                                                    context=ssl.create_default_context())  # fmt: skip
        else:
            server = smtplib.SMTP(config.host, config.port, timeout=30)
        with server:
            if config.tls == "starttls":
                server.starttls(context=ssl.create_default_context())
            if config.user:
                server.login(config.user, config.password or "")
            for mail in messages:
                server.send_message(mail)
                sent += 1
    except (OSError, smtplib.SMTPException) as exc:
        raise GvbError(
            f"de mailserver {config.host}:{config.port} is niet bereikbaar of weigert ({exc}); "
            f"{sent} van {len(messages)} berichten verstuurd"
        ) from None
