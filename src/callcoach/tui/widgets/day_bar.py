"""The desk's top line: the day, what is overdue, the calls made, the promises due and late."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.content import Content
from textual.widgets import Static

from callcoach.presenting import Presenter
from callcoach.services.calllist import DayFigures


@dataclass(frozen=True)
class _Shown:
    figures: DayFigures
    p: Presenter
    today: date
    who: str
    demo: bool
    looking: bool = False  # a look at another day (--as-of): what it settles is not recorded


class DayBar(Static):
    """One line, styled in the desk's .tcss under ``#day-bar``; names are shown literally.

    When the line does not fit, it keeps the figures (what is overdue, the calls made, the
    promises due and late) and drops the app's name, the year and the company."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(markup=False, id=id)
        self._shown: _Shown | None = None

    def show(
        self, figures: DayFigures, p: Presenter, *, today: date, who: str, demo: bool = False, looking: bool = False
    ) -> None:
        self._shown = _Shown(figures, p, today, who, demo, looking)
        self._render_line()

    def on_resize(self) -> None:
        self._render_line()

    def _render_line(self) -> None:
        if self._shown is None:
            return
        full = _line(self._shown, compact=False)
        width = self.size.width or self.app.size.width
        self.update(full if full.cell_length <= width else _line(self._shown, compact=True))


def _line(shown: _Shown, *, compact: bool) -> Content:
    p, figures = shown.p, shown.figures
    L = p.labels
    overdue = " + ".join(p.money(c, cur) for cur, c in sorted(figures.overdue_by_currency.items())) or p.money(0)
    parts: list[str | tuple[str, str]] = [] if compact else [(" callcoach ", "bold reverse")]
    if shown.demo:
        parts.append((" DEMO ", "bold reverse $warning"))
    if shown.looking:  # the day shown is not today: say so before the figures of that day
        parts.append((f" {L['header_looking']} ", "bold reverse $accent"))
    day = shown.today.strftime("%d/%m") if compact else p.day(shown.today)
    parts += [
        f" {day} · {L['header_overdue']} ",
        (overdue, "bold"),
        f" · {L['header_calls_today']} ",
        (str(figures.calls_today), "bold"),
        f" · {L['header_due']} ",
        (str(figures.due_today), "bold"),
        f" · {L['header_late']} ",
        (str(figures.late), "bold $error" if figures.late else "bold"),
    ]
    if shown.who and not compact:  # nothing rather than a stand-in: the setup screen asks for it
        parts += [" · ", (shown.who, "italic")]
    return Content.assemble(*parts)
