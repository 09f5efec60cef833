"""The recap e-mail after a call with an agreement (domain 4.6, 5.3, 5.4): the written trace
of both sides' commitments, saved for review in the outbox. It is written in the client's
language when their file states one, else in the language of the collector who made the
call, and signed with that collector's name (collectors.Signer)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from string import Template

from sqlmodel import Session

from callcoach.db.tables import Call, EmailRecord
from callcoach.domain.clock import Clock
from callcoach.domain.epc import TransferRequest
from callcoach.domain.kinds import Outcome, PaymentMethod
from callcoach.domain.outcomes import OutcomeEntry, payments_agreed
from callcoach.domain.plans import Instalment
from callcoach.domain.references import payment_reference
from callcoach.domain.text import french_spacing
from callcoach.playbook import load
from callcoach.presenting import Presenter
from callcoach.services import collectors
from callcoach.services.collectors import Signer
from callcoach.services.debtors import DebtorFile
from callcoach.services.emails import Attachment, SavedEmail, as_reviewed, build_message, mailbox, write_to_outbox
from callcoach.services.records import InvoiceRecord, SettingsRecord

AGREEMENTS = (Outcome.PROMISE, Outcome.PLAN, Outcome.CALLBACK, Outcome.DISPUTE)


def recap_address(file: DebtorFile, contact_id: int | None) -> tuple[str, str] | None:
    contact = next((c for c in file.contacts if c.id == contact_id), None) or file.whom_to_ask()
    if contact is not None and contact.email:
        return contact.name, contact.email
    if file.debtor.email:
        return (contact.name if contact else file.debtor.name), file.debtor.email
    return None


def _greeting(file: DebtorFile, contact_id: int | None, t: dict[str, str], lang: str) -> str:
    """« Bonjour Monsieur Chevalier, »: the contact by civility, or a plain « Bonjour, » for a company."""
    from callcoach.domain.addressing import addressed

    contact = next((c for c in file.contacts if c.id == contact_id), None) or file.whom_to_ask()
    if contact is None:
        return str(t["greeting_plain"])
    return Template(t["greeting"]).safe_substitute(contact=addressed(contact.name, contact.civility, lang))


def covered_invoices(file: DebtorFile, today: date) -> list[InvoiceRecord]:
    return file.overdue_invoices(today) or file.open_invoices()


def agreement_reference(file: DebtorFile, settings: SettingsRecord, today: date) -> str:
    """The one reference for this agreement, fitting the collector's IBAN: the e-mail's text,
    its QR code and the desk's QR code all show this one."""
    invoices = covered_invoices(file, today)
    if not invoices:
        return ""
    first = invoices[0]
    seed = first.payment_reference if len(invoices) == 1 and first.payment_reference else first.number
    return payment_reference(settings.iban, seed)


def transfer_request(
    file: DebtorFile, entry: OutcomeEntry, settings: SettingsRecord, today: date
) -> TransferRequest | None:
    """What the client's banking app is asked to pay now: the agreement's first payment."""
    payments = payments_agreed(entry)
    if not payments or entry.currency != "EUR" or not by_transfer(entry):
        return None
    return TransferRequest(
        settings.company or settings.collector_name,
        settings.iban,
        payments[0].amount_cents,
        settings.bic,
        agreement_reference(file, settings, today),
    )


def by_transfer(entry: OutcomeEntry) -> bool:
    """Bank details and a transfer QR code serve a transfer, or an agreement with no method
    yet; a cheque, a card or cash has its own way to pay."""
    return entry.method in (None, "", PaymentMethod.TRANSFER)


def _payment_lines(entry: OutcomeEntry, settings: SettingsRecord, reference: str, fill) -> list[str]:
    """How to pay, matching the method agreed: the bank account for a transfer, whom to make
    a cheque out to for a cheque, nothing to add for a card, cash or a direct debit."""
    payee = settings.company or settings.collector_name
    if entry.method == PaymentMethod.CHEQUE:
        return ["", fill("bank_title"), fill("cheque_payee", company=payee, reference=reference)]
    if not by_transfer(entry):
        return []
    if not settings.iban:
        return ["", fill("bank_title"), fill("no_bank")]
    bank = fill("bank", company=payee, iban=settings.iban, bic=settings.bic or "-", reference=reference)
    return ["", fill("bank_title"), bank]


def schedule_words(payments: list[Instalment], p: Presenter, currency: str, *, own_first: bool = False) -> str:
    """ "5,321.98 (the last 5,321.96)", "1,000.00 first, then 4,000.00": a plan said in one phrase."""
    t = load("email", p.lang)["schedule"]
    amounts = [i.amount_cents for i in payments]
    if not amounts:
        return ""
    first, rest = (amounts[0], amounts[1:]) if own_first and len(amounts) > 1 else (None, amounts)
    per, last = rest[0], rest[-1]
    key = ("first_" if first is not None else "") + ("equal_last" if last != per else "equal")
    return Template(t[key]).safe_substitute(
        first=p.money(first or 0, currency), per=p.money(per, currency), last=p.money(last, currency)
    )


def compose_recap(
    file: DebtorFile,
    entry: OutcomeEntry,
    settings: SettingsRecord,
    clock: Clock,
    excuses: list[str],
    signer: Signer,
) -> tuple[str, str, list[Attachment]]:
    lang = signer.language_for(file.debtor.language)
    t = load("email", lang)
    p = Presenter(lang, clock)
    fill = lambda key, **values: Template(t[key]).safe_substitute(values)  # noqa: E731
    today = clock.today()
    overdue = covered_invoices(file, today)
    lines = [_greeting(file, entry.contact_id, t, lang), "", fill("intro")]
    lines += _agreement_lines(file, entry, p, fill, today)
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
    lines += _owed_lines(file, entry, p, fill, today)
    lines += _payment_lines(entry, settings, agreement_reference(file, settings, today), fill)
    attachments, attached_lines = _attachments(file, entry, settings, fill, today, excuses, overdue)
    lines += attached_lines
    lines += ["", fill("confirm"), "", fill("closing"), signer.name, settings.company, settings.phone]
    subject = fill("subject", date=p.spoken_day(today), invoices=", ".join(i.number for i in overdue[:5]))
    body = "\n".join(line for line in lines if line is not None).rstrip() + "\n"
    return subject, french_spacing(body) if lang == "fr" else body, attachments


def _agreement_lines(file: DebtorFile, entry: OutcomeEntry, p: Presenter, fill, today: date) -> list[str]:
    methods = load("script", p.lang)["methods"]
    method = methods.get(entry.method or "", entry.method or "")
    payments = payments_agreed(entry)
    if entry.outcome == Outcome.PROMISE and payments and entry.sent_on is not None:
        number = fill("cheque_number", number=entry.cheque_number) if entry.cheque_number else ""
        return [
            fill(
                "cheque_sent",
                number=number,
                amount=p.money(payments[0].amount_cents, entry.currency),
                sent=p.letter_day(entry.sent_on),
                on=p.letter_day(entry.on) if entry.on else "",
            )
        ]
    if entry.outcome == Outcome.PROMISE and payments:
        return [
            fill(
                "promise",
                amount=p.money(payments[0].amount_cents, entry.currency),
                on=p.letter_day(entry.on) if entry.on else "",
                method=method,
            )
        ]
    if entry.outcome == Outcome.PLAN and payments:
        total = p.money(sum(i.amount_cents for i in payments), entry.currency)
        lines = [fill("plan", count=len(payments), total=total, method=method)]
        return lines + [
            fill("instalment", n=i.number, on=p.day(i.due), amount=p.money(i.amount_cents, entry.currency))
            for i in payments
        ]
    if entry.outcome == Outcome.CALLBACK and entry.on and entry.at:
        return [fill("callback", on=p.letter_day(entry.on), time=p.spoken_time(entry.at))]
    if entry.outcome == Outcome.DISPUTE:
        invoice = next((i for i in file.invoices if i.id == entry.invoice_id), None)
        # The file is read after the dispute is recorded: what is asked for already leaves it out.
        rest = file.claimable_by_currency(today).get(entry.currency, 0)
        return [
            fill(
                "dispute",
                invoice=invoice.number if invoice else "?",
                amount=p.money(entry.amount_cents or 0, entry.currency),
                reason=entry.reason.strip(),
                rest=p.money(rest, entry.currency),
            )
        ]
    return []


def _owed_lines(file: DebtorFile, entry: OutcomeEntry, p: Presenter, fill, today: date) -> list[str]:
    """The total owed, and how much of it this agreement covers (domain 5.3)."""
    owed = file.claimable_by_currency(today)
    if not owed:
        return []
    lines = ["", fill("owed", total=", ".join(p.money(c, cur) for cur, c in owed.items()))]
    payments = payments_agreed(entry)
    if payments:
        covered = sum(i.amount_cents for i in payments)
        rest = owed.get(entry.currency, 0) - covered
        if rest > 0:
            lines.append(fill("covers", covered=p.money(covered, entry.currency), rest=p.money(rest, entry.currency)))
        else:
            lines.append(fill("covers_all", covered=p.money(covered, entry.currency)))
    return lines


def _attachments(file, entry, settings, fill, today, excuses, overdue) -> tuple[list[Attachment], list[str]]:
    """What is attached, and a sentence for each thing that really is: never "attached" for nothing."""
    attachments: list[Attachment] = []
    lines: list[str] = []
    request = transfer_request(file, entry, settings, today)
    if request is not None:
        from callcoach.domain.epc import EpcError, epc_payload, qr_png

        try:
            attachments.append(Attachment("virement-sepa.png", qr_png(epc_payload(request)), "image/png"))
            lines += ["", fill("qr")]
        except EpcError:
            pass
    if "not_received" in excuses:
        copies = [i for i in overdue if i.copy_path and Path(i.copy_path).is_file()]
        for invoice in copies:
            path = Path(invoice.copy_path)
            attachments.append(Attachment(path.name, path.read_bytes()))
        if copies:
            key = "attached_one" if len(copies) == 1 else "attached_many"
            lines += ["", fill(key, invoices=", ".join(i.number for i in copies))]
    return attachments, lines


def read_ahead(clock: Clock) -> None:
    """Read what the first recap in each language reads (its texts, the locale data of its
    amounts and dates): tens of milliseconds the first time, which a desk pays while it waits
    for a first call rather than after Ctrl+S. The answers are thrown away."""
    from callcoach.config import LANGUAGES

    today = clock.today()
    for lang in LANGUAGES:
        load("email", lang)
        load("script", lang)
        p = Presenter(lang, clock)
        p.money(100, "EUR")
        p.day(today)
        p.spoken_day(today)
        p.letter_day(today)


def recap_missing(file: DebtorFile, entry: OutcomeEntry, settings: SettingsRecord) -> str:
    """Why an agreement gets no recap e-mail ("" when it gets one, or needs none): the
    collector's own address is not set, or the client has none on file."""
    if entry.outcome not in AGREEMENTS:
        return ""
    if not settings.email:
        return "no_own_email"
    if recap_address(file, entry.contact_id) is None:
        return "no_client_email"
    return ""


@dataclass(frozen=True)
class RecapDraft:
    """A recap e-mail built in memory, byte for byte as it will be saved and sent: the desk
    shows it for review at once and writes it to the outbox after (``save_recap``)."""

    data: bytes
    email: SavedEmail  # what the collector reads: ``data`` parsed back, no file yet
    stem: str  # the outbox file's name, fixed when the e-mail is built
    debtor_id: int
    call_id: int
    collector_id: int | None
    saved_at: datetime


def draft_recap(
    session: Session,
    *,
    file: DebtorFile,
    call: Call,
    entry: OutcomeEntry,
    settings: SettingsRecord,
    clock: Clock,
) -> RecapDraft | None:
    """The recap of ``call``, read and built without writing anything; None when there is
    nothing to send (``recap_missing`` says why)."""
    if entry.outcome not in AGREEMENTS:
        return None
    address = recap_address(file, entry.contact_id)
    if address is None or not settings.email:
        return None
    signer = collectors.signer(session, settings, call.collector_id)  # the collector of the call
    subject, body, attachments = compose_recap(file, entry, settings, clock, call.excuses.split(","), signer)
    now = clock.now()
    data = build_message(
        sender=mailbox(signer.name or settings.company, settings.email),
        to=mailbox(*address),
        subject=subject,
        body=body,
        sent_at=now,
        attachments=attachments,
    ).as_bytes()
    assert file.debtor.id is not None and call.id is not None
    return RecapDraft(
        data=data,
        email=as_reviewed(data),
        stem=f"{now:%Y%m%d-%H%M%S}-recap-{file.debtor.id}",
        debtor_id=file.debtor.id,
        call_id=call.id,
        collector_id=call.collector_id,
        saved_at=now,
    )


def draft_call_recap(
    session: Session, call_id: int, debtor_id: int, entry: OutcomeEntry, clock: Clock
) -> tuple[RecapDraft | None, str]:
    """The recap of a call already saved, as the ledger now stands; with no draft, why none
    ("" when its outcome needs none)."""
    from callcoach.services.debtors import debtor_file
    from callcoach.services.settings import get_settings

    call = session.get(Call, call_id)
    assert call is not None
    file = debtor_file(session, debtor_id)
    settings = get_settings(session)
    draft = draft_recap(session, file=file, call=call, entry=entry, settings=settings, clock=clock)
    return draft, "" if draft is not None else recap_missing(file, entry, settings)


def save_recap(session: Session, draft: RecapDraft, outbox: Path) -> EmailRecord:
    """The drafted recap written to the outbox, then recorded in the history: the record
    never names a file that is not there (a full disk raises before it is added)."""
    path = write_to_outbox(draft.data, outbox, draft.stem)
    record = EmailRecord(
        debtor_id=draft.debtor_id,
        call_id=draft.call_id,
        collector_id=draft.collector_id,
        subject=draft.email.subject,
        path=str(path),
        saved_at=draft.saved_at,
    )
    session.add(record)
    return record
