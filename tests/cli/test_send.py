"""The outbox goes through a real SMTP server (a local one started by the test), once."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends.fail import Keyring as NoKeyring
from keyring.errors import PasswordDeleteError
from typer.testing import CliRunner

from callcoach.cli.main import app
from tests.conftest import Inbox
from tests.factories import write_export

runner = CliRunner()


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
        "Relance : facture échue R-2",  # 25 days late, nothing sent before: the first reminder
    )
    code, out, _ = cc(db, "send")
    assert "0 e-mail(s) sent" in out and len(smtp.messages) == 1


def test_no_server_configured_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CALLCOACH_SMTP_HOST", raising=False)
    code, _, err = cc(tmp_path / "l.sqlite", "send")
    assert code == 1 and "no SMTP server" in err


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in the test, standing in for the desktop's secret service."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def memory_keyring():  # type: ignore[no-untyped-def]
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


def _one_recap_due(tmp_path: Path) -> Path:
    db = tmp_path / "l.sqlite"
    export = write_export(
        tmp_path / "e.csv",
        [
            "Invoice;Customer;Date;Due date;Amount;Contact;E-mail;Language",
            "R-2;Rossi SA;01/09/2026;01/11/2026;200,00;Anna Rossi;anna@rossi.example;fr",
        ],
    )
    assert cc(db, "import", str(export))[0] == 0
    cc(db, "settings", "set", "email", "camille@lumen.example")
    assert cc(db, "remind", "--as-of", "2026-11-26")[0] == 0
    return db


def test_password_from_the_keyring_logs_in(
    tmp_path: Path, smtp: Inbox, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CALLCOACH_SMTP_USER", "camille")
    monkeypatch.delenv("CALLCOACH_SMTP_PASSWORD", raising=False)
    smtp.password = "s3cret-é"
    db = _one_recap_due(tmp_path)
    result = runner.invoke(app, ["--db", str(db), "settings", "smtp-password"], input="s3cret-é\ns3cret-é\n")
    assert result.exit_code == 0, result.stderr
    assert "stored in the system keyring" in result.stdout and "s3cret" not in result.stdout
    code, out, err = cc(db, "send")
    assert code == 0, err
    assert "1 e-mail(s) sent" in out and len(smtp.messages) == 1
    # The secret is in the keyring and nowhere in the ledger.
    assert list(memory_keyring.secrets.values()) == ["s3cret-é"]
    assert b"s3cret" not in b"".join(p.read_bytes() for p in tmp_path.glob("l.sqlite*"))


def test_wrong_password_is_refused_and_nothing_marked_sent(
    tmp_path: Path, smtp: Inbox, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CALLCOACH_SMTP_USER", "camille")
    monkeypatch.setenv("CALLCOACH_SMTP_PASSWORD", "wrong")
    smtp.password = "right"
    db = _one_recap_due(tmp_path)
    code, _, err = cc(db, "send")
    assert code == 1 and "SMTP 127.0.0.1" in err and "0 e-mail(s) sent before" in err
    monkeypatch.setenv("CALLCOACH_SMTP_PASSWORD", "right")
    code, out, _ = cc(db, "send")
    assert code == 0 and "1 e-mail(s) sent" in out


def test_no_keyring_and_no_password_says_what_to_do(
    tmp_path: Path, smtp: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    try:
        monkeypatch.setenv("CALLCOACH_SMTP_USER", "camille")
        monkeypatch.delenv("CALLCOACH_SMTP_PASSWORD", raising=False)
        db = _one_recap_due(tmp_path)
        code, _, err = cc(db, "send")
        assert code == 1 and "CALLCOACH_SMTP_PASSWORD" in err and "keyring" in err
        result = runner.invoke(app, ["--db", str(db), "settings", "smtp-password"], input="x\nx\n")
        assert result.exit_code == 1 and "keyring is not available" in result.stderr
    finally:
        keyring.set_keyring(before)
