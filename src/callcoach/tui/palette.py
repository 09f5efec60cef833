"""Textual's command palette with its own words ("Search for commands…", "No matches found")
in the collector's language."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from callcoach.playbook import Labels


class LocalPalette(CommandPalette):
    def __init__(self, labels: Labels) -> None:
        super().__init__(id="--command-palette", placeholder=labels["palette_placeholder"])
        self.no_match = labels["palette_no_match"]

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """As Textual's, with the "no match" line in the collector's language."""
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                option = Option(Align.center(Text(self.no_match, style="not bold")), disabled=True, id=self._NO_MATCHES)
                self.query_one(CommandList).add_option(option)
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
