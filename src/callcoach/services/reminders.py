"""Reminders that run themselves (domain 1.3, 7.8): one e-mail per debtor and run, carrying the
highest level due, listing the invoices with their late costs; each invoice's level recorded so
that none is ever sent twice or skipped (``domain.reminders`` decides which level is due)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.message import EmailMessage
from functools import partial
from pathlib import Path
from string import Template

from sqlmodel import Session, col, select

from callcoach.db.tables import Debtor, Dispute, EmailRecord, Invoice, Promise, Reminder
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import DisputeStatus, InvoiceStatus, PromiseStatus
from callcoach.domain.latecosts import INDEMNITY_CURRENCY
from callcoach.domain.reminders import Scenario, next_level
from callcoach.domain.text import french_spacing
from callcoach.playbook import load
from callcoach.presenting import Presenter
from callcoach.services import collectors
from callcoach.services.converters import as_record
from callcoach.services.debtors import DebtorFile, debtor_file
from callcoach.services.emails import build_message, mailbox, save_to_outbox
from callcoach.services.errors import UserError
from callcoach.services.latecosts import costs
from callcoach.services.records import ContactRecord, InvoiceRecord, SettingsRecord


@dataclass
class PlannedReminder:
    """One debtor's e-mail of this run: ``level`` is the highest of its invoices' levels."""

    debtor_id: int
    debtor_name: str
    level: int
    invoices: list[InvoiceRecord] = field(default_factory=list)
    levels: dict[int, int] = field(default_factory=dict)  # invoice id -> the level it reaches
    to: str | None = None
    path: str | None = None
    skipped: str | None = None  # why nothing was written: no_address, bad_address, no_sender, not_written
    detail: str = ""


def scenario(settings: SettingsRecord) -> Scenario:
    return Scenario(settings.first_reminder_days, settings.second_reminder_days, settings.formal_notice_days)


def _fill(texts: dict[str, str], key: str, **values: object) -> str:
    return Template(texts[key]).safe_substitute(values)


def plan_reminders(session: Session, *, clock: Clock, settings: SettingsRecord) -> list[PlannedReminder]:
    today = clock.today()
    steps = scenario(settings)
    reached: dict[int, tuple[int, date]] = {}
    for reminder in session.exec(select(Reminder)):
        highest = reached.get(reminder.invoice_id, (0, date.min))[0]
        if reminder.level > highest:
            reached[reminder.invoice_id] = (reminder.level, reminder.created_at.date())
    disputed = set(
        session.exec(
            select(col(Dispute.invoice_id)).where(
                Dispute.status == DisputeStatus.OPEN, col(Dispute.invoice_id).is_not(None)
            )
        )
    )
    keeping = _keeping_an_agreement(session, today - timedelta(days=settings.promise_grace_days))
    invoices = session.exec(
        select(Invoice)
        .where(
            Invoice.status == InvoiceStatus.OPEN,
            Invoice.amount_cents > Invoice.paid_cents,
            Invoice.due_date <= today - timedelta(days=steps.first_days),
        )
        .order_by(col(Invoice.debtor_id), col(Invoice.due_date), col(Invoice.number))
    )
    plans: dict[int, PlannedReminder] = {}
    for invoice in invoices:
        assert invoice.id is not None  # loaded from the table
        level_sent, sent_on = reached.get(invoice.id, (0, None))
        level = next_level(
            due=invoice.due_date,
            today=today,
            reached=level_sent,
            reached_on=sent_on,
            scenario=steps,
            disputed=invoice.id in disputed,
            agreement_pending=invoice.debtor_id in keeping,
        )
        if level is None:
            continue
        plan = plans.setdefault(invoice.debtor_id, PlannedReminder(invoice.debtor_id, "", level))
        plan.level = max(plan.level, level)
        plan.invoices.append(as_record(InvoiceRecord, invoice))
        plan.levels[invoice.id] = level
    names = dict(session.exec(select(col(Debtor.id), col(Debtor.name)).where(col(Debtor.id).in_(list(plans)))).all())
    for plan in plans.values():
        plan.debtor_name = names[plan.debtor_id]
    return sorted(plans.values(), key=lambda p: (p.debtor_name.lower(), p.debtor_id))


def _addressing(contact: ContactRecord | None, t: dict[str, str], lang: str) -> tuple[str, str]:
    """The opening line and the civility the closing formula repeats (« Madame, Monsieur » by default)."""
    from callcoach.domain.addressing import addressed, civility_of

    if contact is None:
        return str(t["greeting_plain"]), str(t["civility_none"])
    title, _ = civility_of(contact.name, contact.civility)
    greeting = Template(t["greeting"]).safe_substitute(contact=addressed(contact.name, contact.civility, lang))
    return greeting, str(t[f"civility_{title.value or 'none'}"])


def _keeping_an_agreement(session: Session, late_before: date) -> set[int]:
    """Debtors with a promise or plan still on track: a payment due and not yet late, and no
    instalment of that same agreement missed (a plan broken once lets the letters resume)."""
    agreements: dict[tuple[int, int | None], list[bool]] = {}
    rows = session.exec(
        select(col(Promise.debtor_id), col(Promise.call_id), col(Promise.status), col(Promise.due_date)).where(
            col(Promise.status).in_([PromiseStatus.PENDING, PromiseStatus.BROKEN])
        )
    ).all()
    for debtor_id, call_id, status, due in rows:
        on_track = status == PromiseStatus.PENDING and due >= late_before
        agreements.setdefault((debtor_id, call_id), []).append(on_track)
    return {debtor for (debtor, _), states in agreements.items() if all(states)}


def send_reminders(
    session: Session,
    *,
    clock: Clock,
    settings: SettingsRecord,
    outbox: Path,
    dry_run: bool = False,
    collector_id: int | None = None,
) -> list[PlannedReminder]:
    """Each debtor apart: a bad address is skipped with its reason and never stops the others,
    and an e-mail whose record fails leaves no file in the outbox. ``collector_id``: the team
    member sending them, who signs them, in their language (collectors.Signer)."""
    signer = collectors.signer(session, settings, collector_id)
    plans = plan_reminders(session, clock=clock, settings=settings)
    for plan in plans:
        file = debtor_file(session, plan.debtor_id)
        contact = file.whom_to_ask()
        address = contact.email if contact and contact.email else file.debtor.email
        plan.to = address
        if not address:
            plan.skipped = "no_address"
            continue
        if not settings.email:
            plan.skipped = "no_sender"
            continue
        try:
            to = mailbox(contact.name if contact else file.debtor.name, address)
            sender = mailbox(signer.name or settings.company, settings.email)
        except UserError as exc:
            plan.skipped, plan.detail = "bad_address", str(exc)
            continue
        if dry_run:
            continue
        subject, body = compose_reminder(plan, file, settings, clock, signer)
        msg = build_message(sender=sender, to=to, subject=subject, body=body, sent_at=clock.now())
        _write(session, plan, msg, clock, outbox, collector_id)
    return plans


def _write(
    session: Session, plan: PlannedReminder, msg: EmailMessage, clock: Clock, outbox: Path, collector_id: int | None
) -> None:
    path: Path | None = None
    savepoint = session.begin_nested()
    try:
        path = save_to_outbox(msg, outbox, f"{clock.now():%Y%m%d}-reminder{plan.level}-{plan.debtor_id}")
        record = EmailRecord(
            debtor_id=plan.debtor_id,
            collector_id=collector_id,
            subject=msg["Subject"],
            path=str(path),
            saved_at=clock.now(),
        )
        session.add(record)
        session.flush()
        for invoice in plan.invoices:
            session.add(
                Reminder(
                    invoice_id=invoice.id,
                    level=plan.levels[invoice.id],
                    email_id=record.id,
                    created_at=clock.now(),
                )
            )
        session.flush()
        savepoint.commit()
    except Exception as exc:
        savepoint.rollback()
        if path is not None:
            path.unlink(missing_ok=True)
        plan.skipped, plan.detail = "not_written", str(exc)
        return
    plan.path = str(path)


def compose_reminder(
    plan: PlannedReminder, file: DebtorFile, settings: SettingsRecord, clock: Clock, signer: collectors.Signer
) -> tuple[str, str]:
    lang = signer.language_for(file.debtor.language)
    t = load("email", lang)["reminders"]
    p = Presenter(lang, clock)
    fill = partial(_fill, t)
    contact = file.whom_to_ask()
    greeting, civility = _addressing(contact, t, lang)
    if f"greeting_{plan.level}" in t:  # a formal notice opens as a letter does: « Madame, »
        greeting = fill(f"greeting_{plan.level}", civility=civility)
    unpaid = t["unpaid_one" if len(plan.invoices) == 1 else "unpaid_many"]
    lines = [greeting, "", fill(f"intro_{plan.level}", unpaid=unpaid), ""]
    owed: dict[str, int] = {}
    for entry in costs(file, as_of=clock.today(), settings=settings, invoices=plan.invoices):
        inv = entry.invoice
        extra = ""
        if entry.cost is not None and entry.cost.owed:
            extra = fill(
                "costs",
                interest=p.money(entry.cost.interest_cents, inv.currency),
                indemnity=p.money(entry.cost.indemnity_cents, INDEMNITY_CURRENCY),  # euros, whatever the invoice's
            )
        lines.append(
            fill(
                "line",
                number=inv.number,
                issue=p.day(inv.issue_date),
                due=p.day(inv.due_date),
                remaining=p.money(inv.amount_cents - inv.paid_cents, inv.currency),
                costs=extra,
            )
        )
        owed[inv.currency] = owed.get(inv.currency, 0) + inv.amount_cents - inv.paid_cents
    lines += ["", fill("total", total=t["and"].join(p.money(cents, cur) for cur, cents in owed.items()))]
    lines += _how_to_pay(plan, settings, fill)
    lines += ["", fill(f"ending_{plan.level}"), "", fill(f"closing_{plan.level}", civility=civility), ""]
    lines += [signer.name, settings.company, settings.phone]
    label = t["invoices_label_one" if len(plan.invoices) == 1 else "invoices_label_many"]
    subject = fill(f"subject_{plan.level}", invoices_label=label, invoices=", ".join(i.number for i in plan.invoices))
    body = "\n".join(line for line in lines if line is not None) + "\n"
    return subject, french_spacing(body) if lang == "fr" else body


def _how_to_pay(plan: PlannedReminder, settings: SettingsRecord, fill: Callable[..., str]) -> list[str]:
    """Where to pay, so the client can act on the letter at once; nothing when no IBAN is set."""
    if not settings.iban:
        return []
    numbers = ", ".join(i.number for i in plan.invoices)
    return [fill("bank", company=settings.company or settings.collector_name, iban=settings.iban, reference=numbers)]
