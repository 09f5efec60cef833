"""Sending the outbox through the collector's SMTP server; each e-mail once."""

from __future__ import annotations

import base64
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email import message_from_bytes
from email.policy import SMTP as SMTP_POLICY
from pathlib import Path

from sqlmodel import Session, col, select

from callcoach.config import Settings
from callcoach.db.tables import EmailRecord
from callcoach.domain.clock import Clock
from callcoach.services.errors import UserError


@dataclass(frozen=True)
class Sent:
    subject: str
    to: str


KEYRING_SERVICE = "callcoach-smtp"


def _keyring_user(settings: Settings) -> str:
    return f"{settings.smtp_user}@{settings.smtp_host}"


def smtp_password(settings: Settings) -> str:
    """CALLCOACH_SMTP_PASSWORD when set, else the system keyring: never the ledger or a file."""
    if settings.smtp_password:
        return settings.smtp_password
    import keyring
    from keyring.errors import KeyringError

    try:
        password = keyring.get_password(KEYRING_SERVICE, _keyring_user(settings))
    except KeyringError as exc:
        raise UserError(
            "no SMTP password: set CALLCOACH_SMTP_PASSWORD (the system keyring is not available: {exc})",
            code="smtp_password_no_keyring",
            exc=exc,
        ) from None
    if password is None:
        raise UserError(
            "no SMTP password for {keyring_user}: run `callcoach settings smtp-password` or "
            "set CALLCOACH_SMTP_PASSWORD",
            code="smtp_password_missing",
            keyring_user=_keyring_user(settings),
        )
    return password


def store_smtp_password(settings: Settings, password: str | None) -> str:
    """Put the password in the system keyring (or take it out when ``password`` is None)."""
    if not settings.smtp_host or not settings.smtp_user:
        raise UserError(
            "set smtp_host and smtp_user first (CALLCOACH_SMTP_HOST/_USER or config.toml)",
            code="smtp_needs_host_and_user",
        )
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    who = _keyring_user(settings)
    try:
        if password is None:
            keyring.delete_password(KEYRING_SERVICE, who)
        else:
            keyring.set_password(KEYRING_SERVICE, who, password)
    except PasswordDeleteError:
        raise UserError("no SMTP password stored for {who}", code="smtp_password_not_stored", who=who) from None
    except KeyringError as exc:
        raise UserError(
            "the system keyring is not available ({exc}); set CALLCOACH_SMTP_PASSWORD instead",
            code="keyring_unavailable",
            exc=exc,
        ) from None
    return who


def _login(server: smtplib.SMTP, user: str, password: str) -> None:
    """smtplib encodes credentials as ASCII; AUTH PLAIN is UTF-8 (RFC 4616), so a password
    with an accent is sent that way instead of crashing."""
    try:
        server.login(user, password)
    except UnicodeEncodeError:
        server.ehlo_or_helo_if_needed()
        token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
        code, reply = server.docmd("AUTH", f"PLAIN {token}")
        if code != 235:
            raise smtplib.SMTPAuthenticationError(code, reply) from None


def pending_emails(session: Session, only: Path | None = None) -> list[tuple[int, Path]]:
    """The outbox e-mails not yet sent (id, file), oldest first; or just ``only``."""
    query = select(EmailRecord).where(col(EmailRecord.sent_at).is_(None)).order_by(col(EmailRecord.saved_at))
    if only is not None:
        query = query.where(EmailRecord.path == str(only))
    pending: list[tuple[int, Path]] = []
    for record in session.exec(query):
        assert record.id is not None  # loaded from the table
        pending.append((record.id, Path(record.path)))
    return pending


def mark_sent(session: Session, email_id: int, clock: Clock) -> None:
    record = session.get(EmailRecord, email_id)
    if record is not None:
        record.sent_at = clock.now()
        session.add(record)
        session.flush()


def deliver(settings: Settings, items: list[tuple[int, Path]], on_sent: Callable[[int], None]) -> list[Sent]:
    """Hand each file to the SMTP server; ``on_sent`` records it at once, so what went out is
    known even if a later one fails. No database transaction is held across the network."""
    if not settings.smtp_host:
        raise UserError(
            "no SMTP server: set CALLCOACH_SMTP_HOST (and _PORT, _USER, _PASSWORD) or smtp_host in config.toml",
            code="smtp_no_server",
        )
    if not items:
        return []
    sent: list[Sent] = []
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as server:
            if settings.smtp_starttls:
                server.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                _login(server, settings.smtp_user, smtp_password(settings))
            for email_id, path in items:
                if not path.is_file():
                    raise UserError(
                        "{path}: the saved e-mail is missing from the outbox",
                        code="saved_email_missing",
                        path=path,
                    )
                msg = message_from_bytes(path.read_bytes(), policy=SMTP_POLICY)
                server.send_message(msg)
                on_sent(email_id)
                sent.append(Sent(str(msg["Subject"]), str(msg["To"])))
    except (OSError, smtplib.SMTPException) as exc:
        raise UserError(
            "SMTP {smtp_host}:{smtp_port}: {exc}; {count} e-mail(s) sent before",
            code="smtp_failed",
            smtp_host=settings.smtp_host,
            smtp_port=settings.smtp_port,
            exc=exc,
            count=len(sent),
        ) from None
    return sent


def send_outbox(session: Session, *, settings: Settings, clock: Clock) -> list[Sent]:
    """Every e-mail not yet sent (the CLI's ``send``)."""
    return deliver(settings, pending_emails(session), lambda email_id: mark_sent(session, email_id, clock))
