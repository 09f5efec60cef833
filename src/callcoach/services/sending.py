"""Sending the outbox through the collector's SMTP server; each e-mail once."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email import message_from_bytes
from email.policy import SMTP as SMTP_POLICY
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session, col

from callcoach.config import Settings
from callcoach.db.tables import EmailRecord
from callcoach.domain.clock import Clock
from callcoach.services.errors import UserError


@dataclass(frozen=True)
class Sent:
    subject: str
    to: str


def send_outbox(session: Session, *, settings: Settings, clock: Clock) -> list[Sent]:
    if not settings.smtp_host:
        raise UserError(
            "no SMTP server: set CALLCOACH_SMTP_HOST (and _PORT, _USER, _PASSWORD) or smtp_host in config.toml"
        )
    pending = (
        session.exec(  # type: ignore[call-overload]
            select(EmailRecord).where(col(EmailRecord.sent_at).is_(None)).order_by(EmailRecord.saved_at)
        )
        .scalars()
        .all()
    )
    if not pending:
        return []
    sent: list[Sent] = []
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as server:
            if settings.smtp_starttls:
                server.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                server.login(settings.smtp_user, settings.smtp_password or "")
            for record in pending:
                path = Path(record.path)
                if not path.is_file():
                    raise UserError(f"{path}: the saved e-mail is missing from the outbox")
                msg = message_from_bytes(path.read_bytes(), policy=SMTP_POLICY)
                server.send_message(msg)
                record.sent_at = clock.now()
                session.add(record)
                session.flush()  # what went out is recorded at once, even if a later one fails
                sent.append(Sent(str(msg["Subject"]), str(msg["To"])))
    except (OSError, smtplib.SMTPException) as exc:
        raise UserError(
            f"SMTP {settings.smtp_host}:{settings.smtp_port}: {exc}; {len(sent)} e-mail(s) sent before"
        ) from None
    return sent
