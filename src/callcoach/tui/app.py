"""The callcoach App: global styles, the command palette, and the desk screen."""

from __future__ import annotations

from textual.app import App
from textual.events import Resize

from callcoach.services.desk import Desk
from callcoach.tui.commands import DeskCommands
from callcoach.tui.screens.desk import DeskScreen, desk_bindings

WIDE = 110


class CallCoachApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "callcoach"
    COMMANDS = App.COMMANDS | {DeskCommands}

    def __init__(self, desk: Desk, *, demo: bool = False) -> None:
        super().__init__()
        self.desk = desk
        self.demo = demo
        # Key labels in the collector's language: one screen class per language.
        self.desk_screen_class = type(f"DeskScreen_{desk.lang}", (DeskScreen,), {"BINDINGS": desk_bindings(desk.lang)})

    def on_mount(self) -> None:
        self.push_screen(self.desk_screen_class(self.desk, demo=self.demo))

    def on_resize(self, event: Resize) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, DeskScreen):
                screen.set_class(event.size.width >= WIDE, "-wide")

    async def action_quit(self) -> None:
        """Notes typed in the last second reach the database before the app closes."""
        for screen in self.screen_stack:
            if isinstance(screen, DeskScreen):
                screen.save_draft_now()
        self.exit()
