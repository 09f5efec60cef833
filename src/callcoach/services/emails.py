"""E-mails as real RFC 5322 / MIME messages, safe against the data they carry.

Names, subjects and file names come from other people's files. A CR or LF in a header
value would start a new header (header injection), and a file name with a path would
point outside the outbox, so header values are folded to one line and attachment names
are reduced to a plain file name before anything is built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from pathlib import Path

from callcoach.services.errors import UserError

_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x85\u2028\u2029]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_UNSAFE_NAME = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def header_text(value: str) -> str:
    """One line, no control characters: what a header value may hold."""
    return _CONTROL.sub("", _LINE_BREAKS.sub(" ", value)).strip()


def attachment_name(value: str, default: str = "attachment") -> str:
    """The last path component, with nothing a file system or mail client would read as a path."""
    name = header_text(value).replace("\\", "/").split("/")[-1]
    name = _UNSAFE_NAME.sub("_", name).strip(" .")
    return (name or default)[:120]


def mailbox(name: str, address: str) -> Address:
    address = header_text(address)
    if address.count("@") != 1:
        raise UserError("not an e-mail address: {address!r}", code="email_unreadable", address=address)
    local, domain = address.split("@")
    return Address(display_name=header_text(name), username=local, domain=domain)


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes
    mime: str = "application/pdf"


def build_message(
    *,
    sender: Address,
    to: Address,
    subject: str,
    body: str,
    sent_at: datetime,
    attachments: list[Attachment] | None = None,
) -> EmailMessage:
    msg = EmailMessage(policy=SMTP)
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = header_text(subject)
    msg["Date"] = format_datetime(sent_at)
    msg["Message-ID"] = make_msgid(domain=sender.domain or "callcoach.invalid")
    msg.set_content(body, charset="utf-8")
    for attachment in attachments or []:
        maintype, _, subtype = attachment.mime.partition("/")
        msg.add_attachment(
            attachment.content,
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=attachment_name(attachment.name),
        )
    return msg


def save_to_outbox(msg: EmailMessage, outbox: Path, stem: str) -> Path:
    return write_to_outbox(msg.as_bytes(), outbox, stem)


def write_to_outbox(data: bytes, outbox: Path, stem: str) -> Path:
    """An .eml file readable by the user only, in a folder readable by the user only; written
    whole or not at all (a full disk leaves no 0-byte e-mail to be sent later). ``data`` is a
    whole message as built (``build_message(...).as_bytes()``)."""
    from callcoach.files import private_folder, write_whole

    private_folder(outbox)
    n = 1
    while True:
        suffix = "" if n == 1 else f"-{n}"
        path = outbox / f"{attachment_name(stem, 'message')}{suffix}.eml"
        if not path.exists():
            try:
                return write_whole(path, data, exclusive=True)
            except FileExistsError:
                pass
        n += 1


@dataclass(frozen=True)
class SavedEmail:
    """An outbox e-mail as the collector reviews it before it leaves. ``path`` is None while
    the e-mail exists in memory only (a recap shown before its file is written)."""

    path: Path | None
    to: str
    subject: str
    body: str
    attachments: list[str]


def read_saved(path: Path) -> SavedEmail:
    """Parsed back from the file itself, so what is reviewed is exactly what will be sent."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(
            "{path}: cannot read the saved e-mail ({value})",
            code="saved_email_unreadable",
            path=path,
            value=exc.strerror or exc,
        ) from None
    return as_reviewed(raw, path)


def as_reviewed(raw: bytes, path: Path | None = None) -> SavedEmail:
    """A message's bytes as the collector reads them: the very bytes saved and sent, parsed back."""
    from email import message_from_bytes

    msg = message_from_bytes(raw, policy=SMTP)
    assert isinstance(msg, EmailMessage)
    part = msg.get_body(preferencelist=("plain",))
    body = part.get_content().replace("\r\n", "\n") if part is not None else ""
    names = [a.get_filename() or "attachment" for a in msg.iter_attachments()]
    return SavedEmail(path, str(msg["To"] or ""), str(msg["Subject"] or ""), body, names)
