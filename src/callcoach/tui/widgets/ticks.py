"""A checkbox and a list of checkboxes whose mark says ticked or not without colour.

Textual draws the same "X" in a box whether it is ticked or not and tells the two apart by
colour alone: on a monochrome terminal, a screen reader's text, or to a collector who does
not see that pair of colours, "Client in difficulty" reads ticked either way. Here an
unticked box is empty.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist

EMPTY = " "


class Tick(Checkbox):
    """A checkbox: "X" when ticked, an empty box when not."""

    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:
        return ToggleButton.BUTTON_INNER if self.value else EMPTY


class TickList(SelectionList[str]):
    """A list of checkboxes: "X" beside a chosen line, an empty box beside the others."""

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        try:
            option = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return line
        if option.value in self.selected:
            return line
        segments = list(line)
        # The box is the line's first three cells (left edge, mark, right edge).
        if len(segments) > 1 and segments[1].text == ToggleButton.BUTTON_INNER:
            segments[1] = Segment(EMPTY, segments[1].style)
            return Strip(segments, line.cell_length)
        return line
