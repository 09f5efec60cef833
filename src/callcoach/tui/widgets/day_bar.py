"""The desk's top line: the day, what is overdue, the calls made, the promises due and late."""

from __future__ import annotations

from datetime import date

from textual.content import Content
from textual.widgets import Static

from callcoach.presenting import Presenter
from callcoach.services.calllist import DayFigures


class DayBar(Static):
    """One line, styled in the desk's .tcss under ``#day-bar``; names are shown literally."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(markup=False, id=id)

    def show(self, figures: DayFigures, p: Presenter, *, today: date, who: str, demo: bool = False) -> None:
        L = p.labels
        overdue = " + ".join(p.money(c, cur) for cur, c in sorted(figures.overdue_by_currency.items())) or p.money(0)
        parts: list[str | tuple[str, str]] = [(" callcoach ", "bold reverse")]
        if demo:
            parts.append((" DEMO ", "bold reverse $warning"))
        parts += [
            f" {p.day(today)} · {L['header_overdue']} ",
            (overdue, "bold"),
            f" · {L['header_calls_today']} ",
            (str(figures.calls_today), "bold"),
            f" · {L['header_due']} ",
            (str(figures.due_today), "bold"),
            f" · {L['header_late']} ",
            (str(figures.late), "bold $error" if figures.late else "bold"),
        ]
        if who:  # nothing rather than a stand-in: the setup screen asks for it
            parts += [" · ", (who, "italic")]
        self.update(Content.assemble(*parts))
