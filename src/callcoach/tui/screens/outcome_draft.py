"""The end-of-call form's raw text, kept with the call, and how it becomes an entry.

Every field is the text as typed (or the choice as made), so a cancelled form, a crash or a
restart loses nothing; ``parse`` turns it into an OutcomeEntry with a Problem per field that
does not read, leaving the completeness rules to ``domain.outcomes``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from datetime import date

from callcoach.domain.dates import DateError, parse_user_date
from callcoach.domain.kinds import NextStep, Outcome, PaymentMethod
from callcoach.domain.money import AmountError, parse_amount
from callcoach.domain.outcomes import NEEDS, OutcomeEntry, parse_time
from callcoach.domain.worded import Problem, problem
from callcoach.tui.screens.outcome_branches import WITH_DIRECT_LINE, with_cheque


@dataclass
class OutcomeDraft:
    """The form's raw text, kept with the call until it is saved."""

    outcome: str = Outcome.PROMISE
    contact: str = ""
    amount: str = ""
    count: str = ""
    date: str = ""
    time: str = ""
    method: str = PaymentMethod.TRANSFER
    invoice: str = ""
    reason: str = ""
    rest_amount: str = ""
    rest_date: str = ""
    why: str = ""
    next_step: str = ""
    consequence: str = ""
    consequence_date: str = ""
    commitment: str = ""
    commitment_date: str = ""
    commitment_time: str = ""
    in_difficulty: bool = False
    faults: list[str] = field(default_factory=list)
    touched: bool = False
    currency: str = "EUR"
    first: str = ""  # a plan's own first payment
    auto_amount: str = ""  # the amount the form proposed: replaced when the outcome or invoice changes
    answered_by: str = ""
    direct_line: str = ""
    cheque_number: str = ""
    sent_on: str = ""
    auto_date: str = ""  # the date the form proposed from the cheque's sending: follows it
    excuses_seen: int = 0  # the excuses whose captured lines the form has taken in

    def parse(self, today: date) -> tuple[OutcomeEntry, list[Problem]]:
        errors: list[Problem] = []
        entry = OutcomeEntry(
            outcome=Outcome(self.outcome),
            currency=self.currency,
            method=self.method or None,
            reason=self.reason,
            why=self.why,
            next_step=self.next_step if "next" in NEEDS[Outcome(self.outcome)] else "",
            answered_by=self.answered_by.strip() if self.outcome == Outcome.GATEKEEPER else "",
            direct_line=self.direct_line.strip() if Outcome(self.outcome) in WITH_DIRECT_LINE else "",
        )
        errors += self._parse_cheque(entry, today)
        needs = set(NEEDS[entry.outcome])
        if "next" in needs:  # the next step is dated, and a callback timed
            needs |= {"date", "time"} if self.next_step == NextStep.CALLBACK else {"date"}
        entry.contact_id = int(self.contact) if self.contact.isdigit() else None
        entry.invoice_id = int(self.invoice) if self.invoice.isdigit() else None
        if self.amount.strip() and "amount" in needs:
            try:
                entry.amount_cents = parse_amount(self.amount)
            except AmountError as exc:
                errors.append(Problem("amount", exc))
        if entry.outcome == Outcome.DISPUTE:
            errors += self._parse_rest(entry, today)
        if self.first.strip() and entry.outcome == Outcome.PLAN:
            try:
                entry.first_cents = parse_amount(self.first)
            except AmountError as exc:
                errors.append(Problem("first payment", exc))
        if self.count.strip() and "count" in needs:
            if self.count.strip().isdigit():
                entry.count = int(self.count)
            else:
                errors.append(problem("instalments", "not a number: {text!r}", code="not_a_number", text=self.count))
        if self.date.strip() and "date" in needs:
            try:
                entry.on = parse_user_date(self.date, today)
            except DateError as exc:
                errors.append(Problem("date", exc))
        if self.time.strip() and "time" in needs:
            try:
                entry.at = parse_time(self.time)
            except ValueError as exc:
                errors.append(Problem("time", exc))
        entry.consequence = self.consequence or None
        if self.consequence and self.consequence_date.strip():
            try:
                entry.consequence_on = parse_user_date(self.consequence_date, today)
            except DateError as exc:
                errors.append(Problem("announced step", exc))
        entry.commitment = self.commitment.strip()
        if entry.commitment and self.commitment_date.strip():
            try:
                entry.commitment_on = parse_user_date(self.commitment_date, today)
            except DateError as exc:
                errors.append(Problem("my commitment", exc))
        if entry.commitment and self.commitment_time.strip():
            try:
                entry.commitment_at = parse_time(self.commitment_time)
            except ValueError as exc:
                errors.append(Problem("my commitment", exc))
        entry.in_difficulty = self.in_difficulty
        entry.faults = list(self.faults)
        return entry, errors

    def _parse_cheque(self, entry: OutcomeEntry, today: date) -> list[Problem]:
        """A cheque in the post: its number and the day it was sent, kept with the promise."""
        if not with_cheque(self):
            return []
        entry.cheque_number = self.cheque_number.strip()
        if not self.sent_on.strip():
            return []
        try:
            entry.sent_on = parse_user_date(self.sent_on, today)
        except DateError as exc:
            return [Problem("cheque sent on", exc)]
        return []

    def _parse_rest(self, entry: OutcomeEntry, today: date) -> list[Problem]:
        """A promise for the undisputed rest, typed with the dispute (both optional together)."""
        errors: list[Problem] = []
        if self.rest_amount.strip():
            try:
                entry.rest_cents = parse_amount(self.rest_amount)
            except AmountError as exc:
                errors.append(Problem("rest", exc))
        if self.rest_amount.strip() and self.rest_date.strip():
            try:
                entry.rest_on = parse_user_date(self.rest_date, today)
            except DateError as exc:
                errors.append(Problem("rest", exc))
        return errors

    def lenient_entry(self, today: date) -> OutcomeEntry:
        return self.parse(today)[0]

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> OutcomeDraft:
        """What the form held when the app stopped; anything unreadable starts afresh."""
        try:
            data = json.loads(text) if text else {}
            known = {f.name for f in fields(cls)}
            return cls(**{k: v for k, v in data.items() if k in known})
        except (ValueError, TypeError):
            return cls()
