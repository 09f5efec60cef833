"""Reminders that run themselves (domain 1.3): a first reminder a few days after the due date,
a second one, then a formal notice; one e-mail per debtor listing its invoices with their
late costs, each level recorded so that none is ever sent twice."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path
from string import Template

from sqlalchemy import select
from sqlmodel import Session, col

from callcoach.db.tables import CollectorSettings, Contact, Debtor, EmailRecord, Invoice, Reminder
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import InvoiceStatus
from callcoach.playbook import load
from callcoach.presenting import Presenter
from callcoach.services.debtors import debtor_file
from callcoach.services.emails import build_message, mailbox, save_to_outbox
from callcoach.services.latecosts import costs


@dataclass
class PlannedReminder:
    debtor_id: int
    debtor_name: str
    level: int
    invoices: list[Invoice] = field(default_factory=list)
    to: str | None = None
    path: str | None = None


def _fill(texts: dict[str, str], key: str, **values: object) -> str:
    return Template(texts[key]).safe_substitute(values)


def due_level(invoice: Invoice, settings: CollectorSettings, today) -> int:  # type: ignore[no-untyped-def]
    late = (today - invoice.due_date).days
    thresholds = (settings.first_reminder_days, settings.second_reminder_days, settings.formal_notice_days)
    return sum(1 for days in thresholds if late >= days)


def plan_reminders(session: Session, *, clock: Clock, settings: CollectorSettings) -> list[PlannedReminder]:
    today = clock.today()
    sent = {(r.invoice_id, r.level) for r in session.exec(select(Reminder)).scalars()}  # type: ignore[call-overload]
    invoices = (
        session.exec(  # type: ignore[call-overload]
            select(Invoice)
            .where(
                Invoice.status == InvoiceStatus.OPEN,
                Invoice.amount_cents > Invoice.paid_cents,
                Invoice.due_date <= today - timedelta(days=settings.first_reminder_days),
            )
            .order_by(Invoice.debtor_id, Invoice.due_date)
        )
        .scalars()
        .all()
    )
    plans: dict[tuple[int, int], PlannedReminder] = {}
    for invoice in invoices:
        level = due_level(invoice, settings, today)
        if level == 0 or (invoice.id, level) in sent:
            continue
        plan = plans.setdefault((invoice.debtor_id, level), PlannedReminder(invoice.debtor_id, "", level))
        plan.invoices.append(invoice)
    for plan in plans.values():
        debtor = session.get(Debtor, plan.debtor_id)
        assert debtor is not None
        plan.debtor_name = debtor.name
    return sorted(plans.values(), key=lambda p: (p.debtor_name, p.level))


def _addressing(contact: Contact | None, t: dict[str, str], lang: str) -> tuple[str, str]:
    """The opening line and the civility the closing formula repeats (« Madame, Monsieur » by default)."""
    from callcoach.domain.addressing import addressed, civility_of

    if contact is None:
        return str(t["greeting_plain"]), str(t["civility_none"])
    title, _ = civility_of(contact.name, contact.civility)
    greeting = Template(t["greeting"]).safe_substitute(contact=addressed(contact.name, contact.civility, lang))
    return greeting, str(t[f"civility_{title.value or 'none'}"])


def send_reminders(
    session: Session, *, clock: Clock, settings: CollectorSettings, outbox: Path, dry_run: bool = False
) -> list[PlannedReminder]:
    plans = plan_reminders(session, clock=clock, settings=settings)
    for plan in plans:
        file = debtor_file(session, plan.debtor_id)
        contact = file.decision_maker() or file.primary_contact()
        address = contact.email if contact and contact.email else file.debtor.email
        plan.to = address
        if dry_run or not address or not settings.email:
            continue
        lang = file.debtor.language if file.debtor.language in ("fr", "en") else (settings.language or "fr")
        t = load("email", lang)["reminders"]
        p = Presenter(lang, clock)
        fill = partial(_fill, t)
        greeting, civility = _addressing(contact, t, lang)
        lines = [greeting, "", fill(f"intro_{plan.level}"), ""]
        for entry in costs(file.debtor, plan.invoices, as_of=clock.today(), default_rule=settings.late_rule):
            inv = entry.invoice
            extra = ""
            if entry.cost is not None and entry.cost.total_cents:
                extra = fill(
                    "costs",
                    interest=p.money(entry.cost.interest_cents, inv.currency),
                    indemnity=p.money(entry.cost.indemnity_cents),
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
        lines += ["", fill(f"ending_{plan.level}"), "", fill(f"closing_{plan.level}", civility=civility), ""]
        lines += [settings.collector_name, settings.company, settings.phone]
        label = t["invoices_label_one" if len(plan.invoices) == 1 else "invoices_label_many"]
        subject = fill(
            f"subject_{plan.level}", invoices_label=label, invoices=", ".join(i.number for i in plan.invoices)
        )
        msg = build_message(
            sender=mailbox(settings.collector_name or settings.company, settings.email),
            to=mailbox(contact.name if contact else file.debtor.name, address),
            subject=subject,
            body="\n".join(line for line in lines if line is not None) + "\n",
            sent_at=clock.now(),
        )
        path = save_to_outbox(msg, outbox, f"{clock.now():%Y%m%d} reminder{plan.level} {plan.debtor_id}")
        record = EmailRecord(debtor_id=plan.debtor_id, subject=msg["Subject"], path=str(path), saved_at=clock.now())
        session.add(record)
        session.flush()
        for invoice in plan.invoices:
            for level in range(1, plan.level + 1):  # a formal notice also stands for the reminders before it
                exists = session.exec(
                    select(Reminder.id).where(  # type: ignore[call-overload]
                        col(Reminder.invoice_id) == invoice.id, col(Reminder.level) == level
                    )
                ).first()
                if exists is None:
                    session.add(
                        Reminder(
                            invoice_id=invoice.id,
                            level=level,
                            email_id=record.id,  # type: ignore[arg-type]
                            created_at=clock.now(),
                        )
                    )
        plan.path = str(path)
    return plans
