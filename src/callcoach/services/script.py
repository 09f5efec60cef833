"""The guided script (domain 3, 4, 7): stage texts with the debtor's facts filled in.

What the collector reads aloud is written to be said: the contact addressed by civility
(« Monsieur Chevalier »), dates in words (« le 25 mai »), times as « 16 h », counts in words
and plurals that agree (« sur cinq factures »).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from string import Template

from callcoach.domain.addressing import addressed
from callcoach.domain.kinds import NextStep, Outcome, PaymentMethod
from callcoach.domain.outcomes import NEEDS_NEXT_STEP, OutcomeEntry, payments_agreed
from callcoach.playbook import load
from callcoach.presenting import Presenter
from callcoach.services.debtors import DebtorFile
from callcoach.services.records import SettingsRecord


@dataclass(frozen=True)
class Excuse:
    key: str
    label: str
    answer: str
    capture: list[str]


@dataclass
class StageText:
    key: str
    title: str
    say: list[str] = field(default_factory=list)
    coach: list[str] = field(default_factory=list)


def _fill(text: str, facts: dict[str, str]) -> str:
    return Template(text).safe_substitute(facts)


# The values a closing sentence cannot be said without: missing, the sentence says what to type.
RECAP_NEEDED = {"amount", "method", "count", "time", "invoice", "reason"}

# Facts the collector gives once on the setup screen, not facts of the debtor's file.
OWN_FACTS = {"collector", "company"}


def _fill_lines(lines: list[str], facts: dict[str, str], missing: set[str]) -> tuple[list[str], set[str]]:
    """Each line filled, the lines naming a missing fact dropped; and which facts were missed."""
    kept, left_out = [], set()
    for line in lines:
        needed = {m.group("named") or m.group("braced") for m in Template.pattern.finditer(line)} - {None}
        gaps = needed & missing
        if gaps:
            left_out |= gaps
            continue
        kept.append(_fill(line, facts))
    return kept, left_out


class Script:
    """One language's script, filled for one debtor."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.data = load("script", lang)
        self.stages: list[str] = list(self.data["stage_order"])
        self.excuses = [
            Excuse(e["key"], e["label"], e["answer"], list(e.get("capture", []))) for e in self.data["excuses"]
        ]

    def title(self, stage: str) -> str:
        return str(self.data["stages"][stage]["title"])

    def excuse(self, key: str, facts: dict[str, str] | None = None) -> Excuse | None:
        """The prepared answer to what was just heard, with the file's facts in it."""
        found = next((e for e in self.excuses if e.key == key), None)
        if found is None or facts is None:
            return found
        shown = {name: value or "…" for name, value in facts.items()}
        return Excuse(found.key, found.label, _fill(found.answer, shown), found.capture)

    @property
    def questions(self) -> tuple[str, list[str]]:
        q = self.data["questions"]
        return str(q["title"]), [str(i) for i in q["items"]]

    def stage(self, stage: str, facts: dict[str, str]) -> StageText:
        """The stage's lines with the facts filled in. A line that needs a fact the file does
        not hold is left out rather than read aloud with a gap; when that fact is the
        collector's own (name, company), a tip says where to give it."""
        raw = self.data["stages"][stage]
        missing = {name for name, value in facts.items() if not value}
        say, left_out = _fill_lines(raw["say"], facts, missing)
        coach, _ = _fill_lines(raw["coach"], facts, missing)
        if left_out & OWN_FACTS:
            coach.insert(0, str(self.data["missing"]["own"]))
        return StageText(stage, str(raw["title"]), say, coach)

    def recap(self, entry: OutcomeEntry | None, p: Presenter, invoice_number: str = "", contact: str = "") -> str:
        """The sentence being agreed, as the collector restates it before hanging up (domain 4.6)."""
        r = self.data["recap"]
        if entry is None:
            return str(r["none"])
        outcome = Outcome(entry.outcome)
        template = r.get(str(outcome))
        if template is None:
            return str(r["none"])
        method = self.data["methods"].get(entry.method or "", entry.method or "")
        values = {
            "amount": p.money(entry.amount_cents, entry.currency) if entry.amount_cents else "",
            "when": self.when(entry.on, p, past=outcome == Outcome.ALREADY_PAID),
            "method": method,
            "count": str(entry.count or ""),
            "time": p.spoken_time(entry.at) if entry.at else "",
            "invoice": invoice_number,
            "reason": entry.reason.strip(),
            "contact": contact or str(r.get("the_person", "")),
            "next": self.next_step(entry, p) if outcome in NEEDS_NEXT_STEP else "",
            "rest": self._rest(entry, p, method) if outcome == Outcome.DISPUTE else "",
        }
        if outcome == Outcome.PLAN and (payments := payments_agreed(entry)):
            from callcoach.services.recap import schedule_words

            values["amount"] = schedule_words(payments, p, entry.currency, own_first=entry.first_cents is not None)
            values["count"] = str(len(payments))
        if outcome == Outcome.PROMISE and entry.method == PaymentMethod.CHEQUE and entry.sent_on is not None:
            template = str(r["cheque_sent"])
            values["sent"] = self.when(entry.sent_on, p, past=True)
            values["number"] = _fill(str(r["cheque_number"]), {"number": entry.cheque_number})
            values["number"] = values["number"] if entry.cheque_number else ""
        return self._complete(str(template), values)

    def _complete(self, template: str, values: dict[str, str]) -> str:
        """The sentence, or what is still to type: never a sentence read aloud with a gap."""
        needed = [m.group("named") or m.group("braced") for m in Template.pattern.finditer(template)]
        gaps = [name for name in needed if name in RECAP_NEEDED and not values.get(name)]
        if gaps:
            names = self.data["recap_fields"]
            return _fill(str(self.data["recap"]["missing"]), {"fields": ", ".join(str(names[g]) for g in gaps)})
        return _fill(template, values)

    def _rest(self, entry: OutcomeEntry, p: Presenter, method: str) -> str:
        """The undisputed rest promised in the same call, or that it remains due."""
        r = self.data["recap"]
        if not entry.rest_cents:
            return str(r["dispute_rest_due"])
        return _fill(
            str(r["dispute_rest"]),
            {
                "amount": p.money(entry.rest_cents, entry.currency),
                "method": method,
                "when": self.when(entry.rest_on, p, past=False),
            },
        )

    def next_step(self, entry: OutcomeEntry, p: Presenter) -> str:
        """The dated step announced when there is no agreement, said calmly as a fact (domain 7.6)."""
        steps = self.data["next_steps"]
        if entry.next_step not in set(NextStep):
            return str(steps["none"])
        when = self.when(entry.on, p, past=False)
        time = p.spoken_time(entry.at) if entry.at else ""
        return self._complete(str(steps[entry.next_step]), {"when": when, "time": time})

    def when(self, day: date | None, p: Presenter, *, past: bool) -> str:
        """« aujourd'hui », « demain 2 décembre », « le 5 décembre »: a date as it is said."""
        r = self.data["recap"]
        if day is None:
            return str(r["default_when"])
        spoken = p.spoken_day(day)
        if past:
            return _fill(str(r["on_day"]), {"date": spoken})
        today = p.clock.today()
        if day == today:
            return _fill(str(r["today"]), {"date": spoken})
        if day == today + timedelta(days=1):
            return _fill(str(r["tomorrow"]), {"date": spoken})
        return _fill(str(r["on_day"]), {"date": spoken})


def script_facts(file: DebtorFile, settings: SettingsRecord, p: Presenter, *, me: str = "") -> dict[str, str]:
    """The $words of the script for this debtor; empty where the file does not hold it, so
    the script leaves that line out instead of showing a placeholder. ``me``: the team
    member at this desk, who introduces themself (the settings' name on a one-person ledger)."""
    today = p.clock.today()
    overdue = file.overdue_invoices(today)
    contact = file.whom_to_ask()
    totals = file.claimable_by_currency(today)
    products = [i.product for i in overdue if i.product]
    words = load("script", p.lang)["words"]
    amount = ", ".join(p.money(c, cur) for cur, c in totals.items()) or p.money(0)
    oldest = p.spoken_day(overdue[0].due_date) if overdue else ""
    facts = {
        "collector": (me or settings.collector_name).strip(),
        "company": settings.company.strip(),
        "collector_phone": settings.phone.strip(),
        "contact": addressed(contact.name, contact.civility, p.lang) if contact else str(words["the_person"]),
        "contact_name": contact.name if contact else str(words["the_person"]),
        "debtor": file.debtor.name,
        "product": _product(products[0], p.lang) if products else "",
        "invoices": ", ".join(i.number for i in overdue),
        "count": str(len(overdue)),
        "amount": amount,
        "oldest_due": oldest,
        "lever_day": _coming_friday(today, p),
        "indemnity": _indemnity(file, settings, p),
    }
    template = words["debt_one"] if len(overdue) == 1 else words["debt_many"]
    counted = {**facts, "count_words": _count_words(len(overdue), p.lang)}
    facts["debt"] = _fill(str(template), counted) if overdue else ""
    return facts


def _indemnity(file: DebtorFile, settings: SettingsRecord, p: Presenter) -> str:
    """The fixed recovery indemnity per invoice, in euros as the law sets it and in the money
    format of every other amount; empty (the line about it left out) when this debtor owes
    none: a private individual, or a ledger without late-payment costs."""
    from callcoach.domain.latecosts import INDEMNITY_CURRENCY
    from callcoach.services.errors import UserError
    from callcoach.services.latecosts import terms_for

    try:
        cents = terms_for(file.debtor, settings).indemnity_cents
    except UserError:  # a broken rates file: the checklist names it; the script says nothing wrong
        return ""
    return p.money(cents, INDEMNITY_CURRENCY) if cents else ""


def _coming_friday(today: date, p: Presenter) -> str:
    """The deadline offered for leaving late costs aside: the coming Friday, in words."""
    from babel.dates import format_date

    friday = today + timedelta(days=(4 - today.weekday()) % 7 or 7)
    return format_date(friday, "EEEE d MMMM", locale=p.lang)


def _product(product: str, lang: str) -> str:
    """« Maintenance du site web (mensuelle) » -> « de maintenance du site web », to follow a noun.

    The parenthesised detail is dropped (it is written, not said) and the French « de » elides
    before a vowel (« d'impression »)."""
    core = product.split("(")[0].strip().rstrip(",;:") or product.strip()
    if lang != "fr":
        return core
    lowered = core[:1].lower() + core[1:] if not core[:2].isupper() else core
    elide = lowered[:1].lower() in "aeiouyéèêàâîôûh"
    return ("d'" if elide else "de ") + lowered


def _count_words(n: int, lang: str) -> str:
    """Counts as words up to a few dozen, so « sur cinq factures » reads aloud; digits beyond."""
    if n > 20:
        return str(n)
    from num2words import num2words

    return str(num2words(n, lang=lang))
