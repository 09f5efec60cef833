"""The recap e-mail after a call with an agreement (domain 4.6, 5.3, 5.4): the written trace
of both sides' commitments, in the debtor's language, saved for review in the outbox."""

from __future__ import annotations

from pathlib import Path
from string import Template

from sqlmodel import Session

from callcoach.db.tables import Call, CollectorSettings, EmailRecord
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import Outcome
from callcoach.domain.outcomes import OutcomeEntry, instalment_dates
from callcoach.domain.references import structured_communication
from callcoach.playbook import load
from callcoach.presenting import Presenter
from callcoach.services.debtors import DebtorFile
from callcoach.services.emails import Attachment, build_message, mailbox, save_to_outbox

AGREEMENTS = (Outcome.PROMISE, Outcome.PLAN, Outcome.CALLBACK, Outcome.DISPUTE)


def recap_address(file: DebtorFile, contact_id: int | None) -> tuple[str, str] | None:
    contact = (
        next((c for c in file.contacts if c.id == contact_id), None) or file.decision_maker() or file.primary_contact()
    )
    if contact is not None and contact.email:
        return contact.name, contact.email
    if file.debtor.email:
        return (contact.name if contact else file.debtor.name), file.debtor.email
    return None


def _greeting(file: DebtorFile, contact_id: int | None, t: dict[str, str], lang: str) -> str:
    """« Bonjour Monsieur Chevalier, »: the contact by civility, or a plain « Bonjour, » for a company."""
    from callcoach.domain.addressing import addressed

    contact = (
        next((c for c in file.contacts if c.id == contact_id), None) or file.decision_maker() or file.primary_contact()
    )
    if contact is None:
        return str(t["greeting_plain"])
    return Template(t["greeting"]).safe_substitute(contact=addressed(contact.name, contact.civility, lang))


def compose_recap(
    file: DebtorFile, entry: OutcomeEntry, settings: CollectorSettings, clock: Clock, excuses: list[str]
) -> tuple[str, str, list[Attachment]]:
    lang = file.debtor.language if file.debtor.language in ("fr", "en") else (settings.language or "fr")
    t = load("email", lang)
    p = Presenter(lang, clock)
    fill = lambda key, **values: Template(t[key]).safe_substitute(values)  # noqa: E731
    methods = load("script", lang)["methods"]
    today = clock.today()
    overdue = file.overdue_invoices(today) or file.open_invoices()
    lines = [_greeting(file, entry.contact_id, t, lang), "", fill("intro")]
    amount = p.money(entry.amount_cents or 0, entry.currency)
    method = methods.get(entry.method or "", entry.method or "")
    if entry.outcome == Outcome.PROMISE and entry.on:
        lines.append(fill("promise", amount=amount, on=p.day(entry.on), method=method))
    elif entry.outcome == Outcome.PLAN and entry.on and entry.count:
        lines.append(fill("plan", count=entry.count, amount=amount))
        lines += [
            fill("instalment", n=n, on=p.day(day), amount=amount)
            for n, day in enumerate(instalment_dates(entry.on, entry.count), 1)
        ]
    elif entry.outcome == Outcome.CALLBACK and entry.on and entry.at:
        lines.append(fill("callback", on=p.day(entry.on), time=entry.at.strftime("%H:%M")))
    elif entry.outcome == Outcome.DISPUTE:
        invoice = next((i for i in file.invoices if i.id == entry.invoice_id), None)
        rest = sum(i.amount_cents - i.paid_cents for i in overdue) - (entry.amount_cents or 0)
        lines.append(
            fill(
                "dispute",
                invoice=invoice.number if invoice else "?",
                amount=amount,
                reason=entry.reason.strip(),
                rest=p.money(max(rest, 0), entry.currency),
            )
        )
    lines += ["", fill("invoices_title")]
    lines += [
        fill(
            "invoice_line",
            number=i.number,
            issue=p.day(i.issue_date),
            amount=p.money(i.amount_cents, i.currency),
            remaining=p.money(i.amount_cents - i.paid_cents, i.currency),
        )
        for i in overdue
    ]
    reference = structured_communication(overdue[0].number) if overdue else ""
    lines += ["", fill("bank_title")]
    if settings.iban:
        lines.append(
            fill(
                "bank",
                company=settings.company or settings.collector_name,
                iban=settings.iban,
                bic=settings.bic or "-",
                reference=reference,
            )
        )
    else:
        lines.append(fill("no_bank"))
    attachments = []
    if entry.outcome in (Outcome.PROMISE, Outcome.PLAN) and entry.amount_cents and entry.currency == "EUR":
        from callcoach.domain.epc import EpcError, TransferRequest, epc_payload, qr_png
        from callcoach.domain.references import creditor_reference

        try:
            payload = epc_payload(
                TransferRequest(
                    settings.company or settings.collector_name,
                    settings.iban,
                    entry.amount_cents,
                    settings.bic,
                    creditor_reference(overdue[0].number) if overdue else "",
                )
            )
            attachments.append(Attachment("virement-sepa.png", qr_png(payload), "image/png"))
            lines += ["", fill("qr")]
        except EpcError:
            pass
    if "not_received" in excuses:
        for invoice in overdue:
            if invoice.copy_path and Path(invoice.copy_path).is_file():
                attachments.append(Attachment(Path(invoice.copy_path).name, Path(invoice.copy_path).read_bytes()))
        if attachments:
            lines += ["", fill("attached")]
    lines += ["", fill("confirm"), "", fill("closing"), settings.collector_name, settings.company, settings.phone]
    subject = fill("subject", date=p.day(today), invoices=", ".join(i.number for i in overdue[:5]))
    return subject, "\n".join(line for line in lines if line is not None).rstrip() + "\n", attachments


def prepare_recap(
    session: Session,
    *,
    file: DebtorFile,
    call: Call,
    entry: OutcomeEntry,
    settings: CollectorSettings,
    clock: Clock,
    outbox: Path,
) -> EmailRecord | None:
    """Saved as .eml for review and recorded in the history; None when there is nothing to send."""
    if entry.outcome not in AGREEMENTS:
        return None
    address = recap_address(file, entry.contact_id)
    if address is None or not settings.email:
        return None
    subject, body, attachments = compose_recap(file, entry, settings, clock, call.excuses.split(","))
    msg = build_message(
        sender=mailbox(settings.collector_name or settings.company, settings.email),
        to=mailbox(*address),
        subject=subject,
        body=body,
        sent_at=clock.now(),
        attachments=attachments,
    )
    path = save_to_outbox(msg, outbox, f"{clock.now():%Y%m%d-%H%M%S} recap {file.debtor.id}")
    record = EmailRecord(
        debtor_id=file.debtor.id,
        call_id=call.id,
        subject=msg["Subject"],
        path=str(path),  # type: ignore[arg-type]
        saved_at=clock.now(),
    )
    session.add(record)
    return record
