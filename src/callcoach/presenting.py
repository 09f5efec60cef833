"""Words and numbers as the collector reads them, shared by the CLI and the TUI."""

from __future__ import annotations

from datetime import date, datetime

from callcoach.domain.clock import Clock
from callcoach.domain.kinds import FollowUpKind
from callcoach.domain.money import format_money
from callcoach.playbook import Labels
from callcoach.services.calllist import CallListRow, DueItem


class Presenter:
    def __init__(self, lang: str, clock: Clock) -> None:
        self.lang = lang
        self.clock = clock
        self.labels = Labels(lang)

    def money(self, cents: int, currency: str = "EUR") -> str:
        return format_money(cents, currency, self.lang)

    def amount_input(self, cents: int) -> str:
        """An amount as a collector types it in a form: ``1234,56`` in French, ``1234.56`` in English."""
        sep = "," if self.lang == "fr" else "."
        return f"{cents // 100}{sep}{cents % 100:02d}"

    def day(self, value: date | None) -> str:
        return value.strftime("%d/%m/%Y") if value else "—"

    def age(self, days: int) -> str:
        return self.labels.get("days", n=days)

    def since(self, moment: datetime | None) -> str:
        """ "today 10:42", "yesterday 16:05", "3 d ago"."""
        if moment is None:
            return self.labels["never"]
        local = self.clock.local(moment)
        days = (self.clock.today() - local.date()).days
        clock_time = local.strftime("%H:%M")
        if days <= 0:
            return self.labels.get("today_at", time=clock_time)
        if days == 1:
            return self.labels.get("yesterday_at", time=clock_time)
        return self.labels.get("days_ago", n=days)

    def badges(self, row: CallListRow) -> list[str]:
        words = [self.due_item(item) for item in row.due]
        if row.promises_broken:
            words.append(self.labels["badge_broken"])
        if row.promises_pending:
            words.append(self.labels["badge_promise"])
        if row.open_disputes:
            words.append(self.labels["badge_dispute"])
        if row.in_difficulty:
            words.append(self.labels["badge_difficulty"])
        return words

    def due_item(self, item: DueItem) -> str:
        local = self.clock.local(item.due_at)
        when = local.strftime("%H:%M") if local.date() == self.clock.today() else local.strftime("%d/%m %H:%M")
        if item.kind == FollowUpKind.CONSEQUENCE:
            return self.labels.get("badge_carry_out", what=self.consequence(item.what), date=local.strftime("%d/%m"))
        if item.kind == FollowUpKind.CALLBACK:
            return self.labels.get("badge_callback", time=when)
        if item.kind == FollowUpKind.CHECK_PAYMENT:
            return self.labels.get("badge_check", time=when)
        return self.labels.get("badge_commitment", what=item.what, time=when)

    def consequence(self, code: str) -> str:
        return self.labels[f"consequence_{code}"]

    def kind(self, kind: str) -> str:
        return self.labels[f"kind_{kind}"]

    def status(self, status: str) -> str:
        return self.labels[f"status_{status}"]

    def authority(self, value: str) -> str:
        return self.labels[value] if value in ("yes", "no", "unknown") else value
