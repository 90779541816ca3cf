"""`gvb digest --send` (issue 16): one e-mail per advisor with their gemeenten, through a real local
SMTP server (aiosmtpd) whose received messages are read back."""

from __future__ import annotations

import email
import socket
from email import policy
from pathlib import Path

import pytest


class _Inbox:
    def __init__(self) -> None:
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received.append(
            (list(envelope.rcpt_tos), email.message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch):
    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = _Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    for name, value in {"GVB_SMTP_HOST": "127.0.0.1", "GVB_SMTP_PORT": str(port), "GVB_SMTP_TLS": "geen",
                        "GVB_SMTP_FROM": "gvb@politie.example"}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    yield handler
    controller.stop()


def test_each_advisor_gets_one_message_with_their_gemeenten(gvb, published: Path, tmp_path: Path, inbox) -> None:
    advisors = tmp_path / "adviseurs.csv"
    advisors.write_text(
        "naam;email;gemeenten\nAdviseur Dordrecht;oov@dordrecht.example;GM0505\n"
        "Adviseur Rijnmond;oov@rijnmond.example;GM0599, GM0606\n",
        encoding="utf-8",
    )
    result = gvb("digest", "--edition", "2025H1", "--send", "--ontvangers", advisors, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "zou versturen: Adviseur Rijnmond <oov@rijnmond.example>" in result.output and inbox.received == []

    result = gvb("digest", "--edition", "2025H1", "--send", "--ontvangers", advisors)
    assert result.exit_code == 0, result.output
    assert [to for to, _ in inbox.received] == [["oov@dordrecht.example"], ["oov@rijnmond.example"]]
    first, second = (mail for _, mail in inbox.received)
    assert first["Subject"] == "GVB eerste halfjaar 2025: nieuw voor Dordrecht"
    assert second["Subject"] == "GVB eerste halfjaar 2025: nieuw voor Rotterdam, Schiedam"
    assert first["From"] == "gvb@politie.example"
    plain = second.get_body(("plain",)).get_content()
    rich = second.get_body(("html",)).get_content()
    assert "nieuw voor Rotterdam" in plain and "nieuw voor Schiedam" in plain and "Dordrecht" not in plain
    assert "<script" not in rich and "nieuw voor Schiedam" in rich and "DEMO" in plain


def test_a_wrong_recipients_list_or_no_server_is_a_clear_refusal(gvb, published: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    advisors = tmp_path / "adviseurs.csv"
    advisors.write_text("naam;email;gemeenten\nA;geen-adres;GM0505\nB;b@x.example;GM0363\n", encoding="utf-8")
    result = gvb("digest", "--edition", "2025H1", "--send", "--ontvangers", advisors)
    assert result.exit_code == 1
    assert "rij 2" in result.output and "geen geldig e-mailadres" in result.output
    assert "rij 3" in result.output and "GM0363" in result.output

    advisors.write_text("naam;email;gemeenten\nA;a@x.example;GM0505\n", encoding="utf-8")
    result = gvb("digest", "--edition", "2025H1", "--send", "--ontvangers", advisors)
    assert result.exit_code != 0 and "geen mailserver ingesteld" in result.output
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("GVB_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("GVB_SMTP_PORT", str(port))
    monkeypatch.setenv("GVB_SMTP_FROM", "gvb@politie.example")
    result = gvb("digest", "--edition", "2025H1", "--send", "--ontvangers", advisors)
    assert (
        result.exit_code != 0 and "niet bereikbaar" in result.output and "0 van 1 berichten verstuurd" in result.output
    )
