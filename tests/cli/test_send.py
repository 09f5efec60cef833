"""The outbox goes through a real SMTP server (a local one started by the test), once."""

from __future__ import annotations

import socket
from datetime import date
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from typer.testing import CliRunner

from callcoach.cli.main import app
from tests.factories import write_export

runner = CliRunner()


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(envelope.content)
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("CALLCOACH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CALLCOACH_SMTP_PORT", str(port))
    monkeypatch.setenv("CALLCOACH_SMTP_STARTTLS", "false")
    yield inbox
    controller.stop()


def cc(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), "--lang", "en", *args], env={"COLUMNS": "300"})
    return result.exit_code, result.stdout, result.stderr


def test_reminders_go_out_once(tmp_path: Path, smtp: Inbox) -> None:
    db = tmp_path / "l.sqlite"
    export = write_export(
        tmp_path / "e.csv",
        [
            "Invoice;Customer;Date;Due date;Amount;Contact;E-mail;Language",
            f"R-2;Rossi SA;01/09/2026;{date(2026, 11, 1):%d/%m/%Y};200,00;Anna Rossi;anna@rossi.example;fr",
        ],
    )
    assert cc(db, "import", str(export))[0] == 0
    cc(db, "settings", "set", "email", "camille@lumen.example")
    cc(db, "settings", "set", "collector_name", "Camille Martin")
    assert cc(db, "remind", "--as-of", "2026-11-26")[0] == 0
    code, out, err = cc(db, "send")
    assert code == 0, err
    assert "1 e-mail(s) sent" in out
    [raw] = smtp.messages
    msg = message_from_bytes(raw, policy=default)
    assert (msg["To"].addresses[0].addr_spec, msg["Subject"]) == (
        "anna@rossi.example",
        "Deuxième relance : facture(s) échue(s) R-2",
    )
    code, out, _ = cc(db, "send")
    assert "0 e-mail(s) sent" in out and len(smtp.messages) == 1


def test_no_server_configured_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CALLCOACH_SMTP_HOST", raising=False)
    code, _, err = cc(tmp_path / "l.sqlite", "send")
    assert code == 1 and "no SMTP server" in err
