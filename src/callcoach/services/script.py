"""The guided script (domain 3, 4): stage texts with the debtor's facts filled in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from string import Template

from callcoach.db.tables import CollectorSettings
from callcoach.domain.kinds import Outcome
from callcoach.domain.outcomes import OutcomeEntry
from callcoach.playbook import load
from callcoach.presenting import Presenter
from callcoach.services.debtors import DebtorFile


# Facts the collector gives once on the setup screen, not facts of the debtor's file.
OWN_FACTS = {"collector", "company"}


def _fill(lines: list[str], facts: dict[str, str], missing: set[str]) -> tuple[list[str], set[str]]:
    """Each line filled, the lines naming a missing fact dropped; and which facts were missed."""
    kept, left_out = [], set()
    for line in lines:
        needed = {m.group("named") or m.group("braced") for m in Template.pattern.finditer(line)} - {None}
        gaps = needed & missing
        if gaps:
            left_out |= gaps
            continue
        kept.append(Template(line).safe_substitute(facts))
    return kept, left_out


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


class Script:
    """One language's script, filled for one debtor."""

    def __init__(self, lang: str) -> None:
        self.data = load("script", lang)
        self.stages: list[str] = list(self.data["stage_order"])
        self.excuses = [
            Excuse(e["key"], e["label"], e["answer"], list(e.get("capture", []))) for e in self.data["excuses"]
        ]

    def title(self, stage: str) -> str:
        return str(self.data["stages"][stage]["title"])

    def excuse(self, key: str) -> Excuse | None:
        return next((e for e in self.excuses if e.key == key), None)

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
        say, left_out = _fill(raw["say"], facts, missing)
        coach, _ = _fill(raw["coach"], facts, missing)
        own = sorted(left_out & OWN_FACTS)
        if own:
            coach.insert(0, str(self.data["missing"]["own"]))
        return StageText(stage, str(raw["title"]), say, coach)

    def recap(self, entry: OutcomeEntry | None, p: Presenter, invoice_number: str = "") -> str:
        r = self.data["recap"]
        if entry is None:
            return str(r["none"])
        outcome = Outcome(entry.outcome)
        template = r.get(str(outcome))
        if template is None:
            return str(r["none"])
        method = self.data["methods"].get(entry.method or "", entry.method or "…")
        values = {
            "amount": p.money(entry.amount_cents, entry.currency) if entry.amount_cents else "…",
            "when": self._when(entry.on, p, r, past=outcome == Outcome.ALREADY_PAID),
            "method": method,
            "count": str(entry.count or "…"),
            "time": entry.at.strftime("%H:%M") if entry.at else "…",
            "invoice": invoice_number or "…",
            "reason": entry.reason.strip() or "…",
        }
        return Template(str(template)).safe_substitute(values)

    @staticmethod
    def _when(day: date | None, p: Presenter, r: dict[str, str], *, past: bool) -> str:
        if day is None:
            return str(r["default_when"])
        short = day.strftime("%d/%m")
        if past:
            return day.strftime("%d/%m/%Y")
        today = p.clock.today()
        if day == today:
            return Template(r["today"]).safe_substitute(date=short)
        if day == today + timedelta(days=1):
            return Template(r["tomorrow"]).safe_substitute(date=short)
        return Template(r["on_day"]).safe_substitute(date=short)


def script_facts(file: DebtorFile, settings: CollectorSettings, p: Presenter) -> dict[str, str]:
    """The $words of the script for this debtor; empty where the file does not hold it, so
    the script leaves that line out instead of showing a placeholder."""
    today = p.clock.today()
    overdue = file.overdue_invoices(today)
    contact = file.decision_maker() or file.primary_contact()
    totals = file.claimable_by_currency(today)
    products = [i.product for i in overdue if i.product]
    return {
        "collector": settings.collector_name.strip(),
        "company": settings.company.strip(),
        "contact": contact.name if contact else file.debtor.name,
        "debtor": file.debtor.name,
        "product": products[0] if products else "",
        "invoices": ", ".join(i.number for i in overdue),
        "count": str(len(overdue)),
        "amount": ", ".join(p.money(c, cur) for cur, c in totals.items()) or p.money(0),
        "oldest_due": p.day(overdue[0].due_date) if overdue else "",
    }
