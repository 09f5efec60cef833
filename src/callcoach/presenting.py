"""Words and numbers as the collector reads them, shared by the CLI and the TUI.

It sits below the services, which word their results with it: what it reads of a call-list
row is described here (``ListedDebtor``), not imported from the service that makes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Protocol

from callcoach.domain.clock import Clock
from callcoach.domain.kinds import FollowUpKind
from callcoach.domain.money import format_money
from callcoach.playbook import Labels, load


class DueWork(Protocol):
    """Something owed to the client or to ourselves whose time has come."""

    @property
    def kind(self) -> str: ...
    @property
    def what(self) -> str: ...
    @property
    def due_at(self) -> datetime: ...


class ListedDebtor(Protocol):
    """What the badges of a call-list row are made of."""

    @property
    def due(self) -> Sequence[DueWork]: ...
    @property
    def promises_broken(self) -> int: ...
    @property
    def promises_pending(self) -> int: ...
    @property
    def open_disputes(self) -> int: ...
    @property
    def in_difficulty(self) -> bool: ...
    @property
    def plans_pending(self) -> int: ...
    @property
    def callbacks_later(self) -> int: ...


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

    def percent(self, rate: Decimal | None) -> str:
        """``12,15 %`` in French, ``12.15%`` in English."""
        if rate is None:
            return "—"
        text = f"{rate.normalize():f}"
        return f"{text.replace('.', ',')}\u00a0%" if self.lang == "fr" else f"{text}%"

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

    def badges(self, row: ListedDebtor) -> list[str]:
        """Every state of the row in words, the most pressing first."""
        words = [self.due_item(item) for item in row.due]
        return words + [self.labels[f"badge_{state}"] for state in _states(row)]

    def badge_mark(self, row: ListedDebtor) -> tuple[str, str]:
        """The row's most pressing state as one cell and its style, for a list with no room
        for words (the checklist and ``show`` give them in full)."""
        if row.due:
            kind = row.due[0].kind
            return self.labels["mark_callback" if kind == FollowUpKind.CALLBACK else "mark_due"], "bold yellow"
        states = _states(row)
        if not states:
            return " ", ""
        style = {"broken": "bold red", "dispute": "yellow"}.get(states[0], "cyan")
        return self.labels[f"mark_{states[0]}"], style

    def due_item(self, item: DueWork) -> str:
        local = self.clock.local(item.due_at)
        when = local.strftime("%H:%M") if local.date() == self.clock.today() else local.strftime("%d/%m %H:%M")
        if item.kind == FollowUpKind.CONSEQUENCE:
            return self.labels.get("badge_carry_out", what=self.consequence(item.what), date=local.strftime("%d/%m"))
        if item.kind == FollowUpKind.CALLBACK:
            return self.labels.get("badge_callback", time=when)
        if item.kind == FollowUpKind.CHECK_PAYMENT:
            return self.labels.get("badge_check", time=when)
        if item.kind == FollowUpKind.WRITTEN_REMINDER:
            return self.labels.get("badge_written_reminder", date=self.spoken_day(local.date()))
        return self.labels.get("badge_commitment", what=item.what, time=when)

    def follow_up_what(self, kind: str, what: str) -> str:
        """A follow-up's subject in the collector's words; what the app stored as data is worded here.

        Older ledgers hold English sentences written by earlier versions: they are recognised and
        worded again, so no English reaches a French screen."""
        if kind == FollowUpKind.CONSEQUENCE:
            return self.consequence(what)
        if kind == FollowUpKind.CHECK_PAYMENT:
            paid_on, _, method = what.partition(" ")
            try:
                day = date.fromisoformat(paid_on)
            except ValueError:
                return self._older_what(what)
            methods = load("script", self.lang)["methods"]
            return self.labels.get("fu_check_payment", date=self.spoken_day(day), method=methods.get(method, method))
        if kind == FollowUpKind.CALLBACK:
            return self._older_what(what)
        return what

    def _older_what(self, what: str) -> str:
        if what == "broken_promise" or what.startswith("promise broken"):
            return self.labels["fu_broken_promise"]
        if what.startswith(("callback agreed", "client says paid")) or not what:
            return self.labels["fu_callback"] if what.startswith("callback") or not what else self.labels["fu_check"]
        return what

    def spoken_day(self, value: date) -> str:
        """A date as said aloud: « 2 décembre », "2 December" (with the year when not this year)."""
        from babel.dates import format_date

        pattern = "MMMM" if value.year == self.clock.today().year else "MMMM y"
        day = "1er" if value.day == 1 and self.lang == "fr" else str(value.day)
        return f"{day} {format_date(value, pattern, locale=self.lang)}"

    def letter_day(self, value: date) -> str:
        """A date as a letter writes it: « vendredi 27 novembre 2026 », "Friday 27 November 2026"."""
        from babel.dates import format_date

        day = "1er" if value.day == 1 and self.lang == "fr" else str(value.day)
        weekday = format_date(value, "EEEE", locale=self.lang)
        return f"{weekday} {day} {format_date(value, 'MMMM y', locale=self.lang)}"

    def spoken_time(self, value: time) -> str:
        """« 16 h », « 9 h 30 » in French; "4 pm", "9:30 am" in English."""
        if self.lang == "fr":
            return f"{value.hour} h" + (f" {value.minute:02d}" if value.minute else "")
        hour = value.hour % 12 or 12
        suffix = "am" if value.hour < 12 else "pm"
        return f"{hour}{f':{value.minute:02d}' if value.minute else ''} {suffix}"

    def consequence(self, code: str) -> str:
        return self.labels[f"consequence_{code}"]

    def kind(self, kind: str) -> str:
        return self.labels[f"kind_{kind}"]

    def status(self, status: str) -> str:
        return self.labels[f"status_{status}"]

    def authority(self, value: str) -> str:
        return self.labels[value] if value in ("yes", "no", "unknown") else value


def _states(row: ListedDebtor) -> list[str]:
    """The row's lasting states, most pressing first: a broken promise, a dispute, a plan or a
    promise running, a callback planned, a client in difficulty."""
    states = []
    if row.promises_broken:
        states.append("broken")
    if row.open_disputes:
        states.append("dispute")
    if row.plans_pending:
        states.append("plan")
    if row.promises_pending > row.plans_pending:
        states.append("promise")
    if row.callbacks_later and not any(d.kind == FollowUpKind.CALLBACK for d in row.due):
        states.append("callback_planned")
    if row.in_difficulty:
        states.append("difficulty")
    return states
