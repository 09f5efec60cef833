"""Personal data: what is held about a debtor (right of access), and erasing it (right to
erasure) while keeping what accounting law requires: invoice numbers, amounts, dates.

Erasure is physical: with ``secure_delete`` SQLite overwrites freed content, and a WAL
checkpoint (TRUNCATE) removes the old pages from the write-ahead log, so the erased name
is no longer in the bytes of the database or its WAL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, func, update
from sqlmodel import Session, col, select

from callcoach.db.engine import session_scope
from callcoach.db.tables import Call, Contact, Debtor, Dispute, EmailRecord, FollowUp, Invoice
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import InvoiceStatus
from callcoach.files import WriteFailed
from callcoach.services.balances import note_today
from callcoach.services.debtors import DebtorFile
from callcoach.services.errors import UserError


def export_debtor(file: DebtorFile) -> dict[str, Any]:
    """Everything held about a debtor and their contacts, as plain JSON-ready data: the file's
    one serialiser (``services.file_record``), e-mails and reminders included."""
    from callcoach.services.file_record import file_record

    return {"exported_at": datetime.now(UTC).isoformat(), **file_record(file).model_dump(mode="json")}


def set_legal_hold(session: Session, *, debtor_id: int, reason: str | None) -> None:
    debtor = session.get(Debtor, debtor_id)
    if debtor is None:
        raise UserError("no debtor with id {debtor_id}", code="no_debtor_id", debtor_id=debtor_id)
    if reason is not None and not reason.strip():
        raise UserError("say why the file is on legal hold", code="legal_hold_needs_reason")
    debtor.legal_hold = reason.strip() if reason else None
    session.add(debtor)


@dataclass(frozen=True)
class Erasure:
    debtor_id: int
    contacts: int
    calls: int
    files: int = 0  # e-mails, drafts and log lines removed outside the ledger


def erased_label(debtor_id: int) -> str:
    """What an erased debtor is called from then on (no personal data, still unique)."""
    return f"forgotten-{debtor_id}"


def forget_debtor(engine: Engine, *, debtor_id: int, clock: Clock) -> Erasure:
    """Erase a debtor's personal data, in the ledger and in the files beside it (outbox,
    drafts, logs); refuse while the file is on legal hold.

    A call left open on this debtor (in a desk, now or after a crash) is closed and released,
    so no window writes its notes back: the next write is refused as erased."""
    on_sqlite = engine.dialect.name == "sqlite"
    with session_scope(engine) as session:
        if on_sqlite:
            session.connection().exec_driver_sql("PRAGMA secure_delete=ON")
        debtor = session.get(Debtor, debtor_id)
        if debtor is None:
            raise UserError("no debtor with id {debtor_id}", code="no_debtor_id", debtor_id=debtor_id)
        if debtor.legal_hold:
            raise UserError(
                "on legal hold ({legal_hold}): not erased",
                code="legal_hold_not_erased",
                legal_hold=debtor.legal_hold,
            )
        note_today(session, clock.today())
        traces = _traces(session, debtor)
        contacts = session.exec(select(func.count()).select_from(Contact).where(Contact.debtor_id == debtor_id)).one()
        call_ids = [i for i in session.exec(select(col(Call.id)).where(Call.debtor_id == debtor_id)) if i is not None]
        emails = list(session.exec(select(EmailRecord).where(EmailRecord.debtor_id == debtor_id)))
        _erase_rows(session, debtor_id, clock)
        for record in emails:
            if record.sent_at is None:  # never to be sent now: the reminder levels reached stay
                session.delete(record)
            else:  # what was sent, when, about which invoices stays; the file goes
                record.path = ""
                session.add(record)
    _purge_old_versions(engine)
    removed = _erase_files(debtor_id, [Path(r.path) for r in emails if r.path], call_ids, traces)
    try:
        _log_erasure(debtor_id, clock)
    except WriteFailed as exc:  # erased all the same: say the record of it is missing
        raise UserError(
            "debtor #{debtor_id}: personal data erased, but not recorded in the log ({exc})",
            code="erasure_not_logged",
            debtor_id=debtor_id,
            exc=exc,
        ) from None
    return Erasure(debtor_id, int(contacts), len(call_ids), removed)


# The tables whose rows hold a debtor's personal text.
PERSONAL_TABLES = ("debtor", "contact", "call", "followup", "dispute", "promise", "emailrecord")


def _purge_old_versions(engine: Engine) -> None:
    """Erased text must leave the disk, not only the live rows. SQLite: the old pages leave
    the WAL when it is checkpointed (``secure_delete`` zeroed them in the file). PostgreSQL
    keeps old row versions until the table is rewritten: ``VACUUM FULL`` on the tables that
    hold personal text (a short lock; forget is rare)."""
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None  # an open pooled connection always has its driver's
        if engine.dialect.name == "sqlite":
            driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return
        driver.autocommit = True  # VACUUM runs outside a transaction
        for table in PERSONAL_TABLES:
            driver.execute(f'VACUUM FULL "{table}"')
    finally:
        raw.close()


def _traces(session: Session, debtor: Debtor) -> list[str]:
    """The words that name this debtor in a file: names, e-mail addresses, phone numbers."""
    words = [debtor.name, debtor.email or "", debtor.identifier or ""]
    for contact in session.exec(select(Contact).where(Contact.debtor_id == debtor.id)):
        words += [contact.name, contact.email or "", contact.phone or "", contact.phone_alt or ""]
    return sorted({w.strip().casefold() for w in words if w and len(w.strip()) >= 4})


def _erase_rows(session: Session, debtor_id: int, clock: Clock) -> None:
    label = erased_label(debtor_id)
    conn = session.connection()
    conn.execute(
        update(Call)
        .where(col(Call.debtor_id) == debtor_id, col(Call.ended_at).is_(None))
        .values(ended_at=clock.now(), lease_token=None, lease_pid=None, lease_host=None, lease_heartbeat=None)
    )
    conn.execute(
        update(Call)
        .where(col(Call.debtor_id) == debtor_id)
        .values(notes="", excuses="", contact_id=None, outcome_draft="")
    )
    conn.execute(delete(Contact).where(col(Contact.debtor_id) == debtor_id))
    conn.execute(update(FollowUp).where(col(FollowUp.debtor_id) == debtor_id).values(what="", reason=""))
    conn.execute(update(Dispute).where(col(Dispute.debtor_id) == debtor_id).values(reason=""))
    conn.execute(update(Invoice).where(col(Invoice.debtor_id) == debtor_id).values(copy_path=None, product=None))
    conn.execute(
        update(Debtor)
        .where(col(Debtor.id) == debtor_id)
        .values(name=label, name_key=label, identifier=None, address=None, email=None, notes="", in_difficulty=False)
    )


def _erase_files(debtor_id: int, emails: list[Path], call_ids: list[int], traces: list[str]) -> int:
    """The debtor's e-mails (outbox and sent), the notes' fallback files of their calls, and
    the log lines and other e-mails that name them. Returns how many were removed."""
    from callcoach.locations import data_dir, state_dir
    from callcoach.services.drafts import draft_path

    removed = 0
    doomed = {p for p in emails} | {draft_path(i) for i in call_ids}
    outbox = data_dir() / "outbox"
    if outbox.is_dir():
        addresses = [t for t in traces if "@" in t]
        doomed |= {p for p in outbox.rglob("*.eml") if _names_them(p, debtor_id, addresses)}
    for path in doomed:
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise UserError(
                "{path}: cannot erase ({strerror}); run forget again",
                code="erasure_failed",
                path=path,
                strerror=exc.strerror,
            ) from None
    for log in state_dir().glob("*.log"):
        removed += _drop_lines(log, traces)
    return removed


def _names_them(path: Path, debtor_id: int, addresses: list[str]) -> bool:
    """An e-mail file made for this debtor (recaps and reminders end their name with the
    debtor's id) or addressed to one of their e-mail addresses."""
    stem = path.stem
    if stem.endswith(f" {debtor_id}") or f" {debtor_id}-" in stem:
        return True
    if not addresses:
        return False
    from email import message_from_bytes
    from email.policy import default

    try:
        msg = message_from_bytes(path.read_bytes(), policy=default)
    except OSError:
        return False
    to = " ".join(str(msg.get(h, "")) for h in ("To", "Cc")).casefold()
    return any(a in to for a in addresses)


def _drop_lines(log: Path, traces: list[str]) -> int:
    from callcoach.files import write_whole

    try:
        lines = log.read_bytes().decode("utf-8", "replace").splitlines(keepends=True)
    except OSError:
        return 0
    kept = [line for line in lines if not any(t in line.casefold() for t in traces)]
    if len(kept) == len(lines):
        return 0
    write_whole(log, "".join(kept).encode())
    return len(lines) - len(kept)


def _log_erasure(debtor_id: int, clock: Clock) -> None:
    """The erasure is recorded, without anything that was erased."""
    from callcoach.locations import state_dir, write_private

    line = f"{clock.now().isoformat()} debtor #{debtor_id} personal data erased\n"
    write_private(state_dir() / "erasures.log", line.encode(), append=True)


@dataclass(frozen=True)
class RetentionCase:
    debtor_id: int
    name: str
    last_activity: date


def retention_review(session: Session, *, clock: Clock, years: int) -> list[RetentionCase]:
    """Closed files (nothing left open) whose last activity is older than the limit."""
    limit = clock.today() - timedelta(days=365 * years)
    open_ids = select(col(Invoice.debtor_id)).where(
        col(Invoice.status).in_([InvoiceStatus.OPEN, InvoiceStatus.DISPUTED]), Invoice.amount_cents > Invoice.paid_cents
    )
    last_invoice = (
        select(col(Invoice.debtor_id), func.max(col(Invoice.due_date)).label("d"))
        .group_by(col(Invoice.debtor_id))
        .subquery()
    )
    last_call = (
        select(col(Call.debtor_id), func.max(col(Call.started_at)).label("c")).group_by(col(Call.debtor_id)).subquery()
    )
    rows = session.exec(
        select(col(Debtor.id), col(Debtor.name), last_invoice.c.d, last_call.c.c)
        .outerjoin(last_invoice, last_invoice.c.debtor_id == col(Debtor.id))
        .outerjoin(last_call, last_call.c.debtor_id == col(Debtor.id))
        .where(
            col(Debtor.id).not_in(open_ids),
            col(Debtor.legal_hold).is_(None),
            ~col(Debtor.name).startswith("forgotten-"),
        )
    ).all()
    cases = []
    for debtor_id, name, last_due, last_called in rows:
        dates = [
            date.fromisoformat(str(last_due)[:10]) if last_due else None,
            date.fromisoformat(str(last_called)[:10]) if last_called else None,
        ]
        last = max((d for d in dates if d), default=None)
        assert debtor_id is not None  # a primary key
        if last is not None and last < limit:
            cases.append(RetentionCase(debtor_id, name, last))
    return sorted(cases, key=lambda c: c.last_activity)


def backup(engine_path: str, target: str) -> None:
    from callcoach.db.migrate import backup_sqlite

    target_path = Path(target).expanduser()
    if target_path.exists():
        raise UserError(
            "{target_path}: already exists; choose a new file name",
            code="target_exists",
            target_path=target_path,
        )
    backup_sqlite(Path(engine_path), target_path)


def integrity(session: Session) -> list[str]:
    """What is wrong with the file; empty when SQLite finds nothing."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":  # PostgreSQL enforces foreign keys and checks its pages itself
        return []
    problems = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall() if r[0] != "ok"]
    problems += [
        f"foreign key: {r[0]} row {r[1]} points to a missing {r[2]}"
        for r in conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    ]
    return problems
