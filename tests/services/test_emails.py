"""E-mail messages parse back as built, and data can add neither a header nor a path."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest

from callcoach.services.emails import Attachment, attachment_name, build_message, mailbox, save_to_outbox
from callcoach.services.errors import UserError

SENT = datetime(2026, 11, 26, 10, 5, tzinfo=UTC)


def parse(data: bytes):  # type: ignore[no-untyped-def]
    return message_from_bytes(data, policy=default)


def test_crlf_in_a_name_or_subject_adds_no_header(tmp_path: Path) -> None:
    evil = "Dupont\r\nBcc: everyone@example.org\r\nX-Injected: yes"
    msg = build_message(
        sender=mailbox("Camille Martin", "camille@atelier-lumen.example"),
        to=mailbox(evil, "compta@dupont.example"),
        subject=f"Relance {evil}\nContent-Type: text/html",
        body="Bonjour,\nVoici le récapitulatif.\n",
        sent_at=SENT,
    )
    parsed = parse(msg.as_bytes())
    assert parsed["Bcc"] is None and parsed["X-Injected"] is None
    assert len(parsed.get_all("Content-Type")) == 1 and parsed.get_content_type() == "text/plain"
    assert parsed["To"].addresses[0].addr_spec == "compta@dupont.example"
    assert "Dupont Bcc: everyone@example.org" in str(parsed["To"])
    assert parsed["Subject"].startswith("Relance Dupont Bcc: everyone@example.org")
    assert parsed.get_content().replace("\r\n", "\n") == "Bonjour,\nVoici le récapitulatif.\n"


def test_attachment_names_are_plain_file_names(tmp_path: Path) -> None:
    msg = build_message(
        sender=mailbox("Camille", "camille@lumen.example"),
        to=mailbox("Client", "client@example.org"),
        subject="Facture",
        body="Ci-joint la facture.",
        sent_at=SENT,
        attachments=[
            Attachment("../../etc/passwd\r\nX: y", b"%PDF-1.4 fake"),
            Attachment("C:\\Windows\\facture F-12.pdf", b"%PDF-1.4 other"),
        ],
    )
    parsed = parse(msg.as_bytes())
    names = [part.get_filename() for part in parsed.iter_attachments()]
    assert names == ["passwd X_ y", "facture F-12.pdf"]
    assert [part.get_content() for part in parsed.iter_attachments()] == [b"%PDF-1.4 fake", b"%PDF-1.4 other"]
    path = save_to_outbox(msg, tmp_path / "outbox", "../../recap Dupont")
    assert path.parent == tmp_path / "outbox" and path.name == "recap Dupont.eml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "outbox").stat().st_mode) == 0o700
    assert parse(path.read_bytes())["Subject"] == "Facture"


@pytest.mark.parametrize("value", ["", "..", "/", "\x00\x01"])
def test_empty_or_hostile_names_fall_back(value: str) -> None:
    assert attachment_name(value) == "attachment"


def test_a_bad_address_is_refused() -> None:
    with pytest.raises(UserError, match="not an e-mail address"):
        mailbox("X", "no-at-sign")
