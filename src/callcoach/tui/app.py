"""The callcoach App: global styles, the command palette, and the desk screen."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
import sys
from collections.abc import Iterable
from typing import Literal

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.driver import Driver
from textual.events import Resize
from textual.keys import format_key
from textual.message import Message
from textual.screen import Screen

from callcoach.crashlog import write_crash_report
from callcoach.playbook import Labels
from callcoach.services.desk import Desk
from callcoach.tui.commands import DeskCommands
from callcoach.tui.keys import localise, localise_builtin
from callcoach.tui.screens.crash import CrashScreen
from callcoach.tui.screens.desk import DeskScreen, desk_bindings
from callcoach.tui.screens.setup import SetupResult, SetupScreen

WIDE = 110
WINDOWS = sys.platform == "win32"


def crash_screen(labels: Labels, body: str) -> CrashScreen:
    """The crash notice with its key in the collector's language."""
    screen = CrashScreen(labels["crash_title"], body)
    localise(screen, labels)
    return screen


class CallCoachApp(App[None]):
    # The modal styles are loaded up front: a screen that brings new CSS right after an
    # exception leaves the notes' TextArea without its component styles. So are the desk's
    # dialogs' own: a screen's first CSS makes Textual restyle every widget of the app, a
    # pause of a few hundred milliseconds on the key that first opens it.
    CSS_PATH = ["app.tcss", "screens/modal.tcss", "screens/outcome.tcss", "screens/excuses.tcss"]
    TITLE = "callcoach"
    COMMANDS = App.COMMANDS | {DeskCommands}

    def __init__(self, desk: Desk, *, demo: bool = False, recover: bool = True) -> None:
        super().__init__()
        self.desk = desk
        self.demo = demo
        # Real sessions survive a failing widget; tests turn this off so a bug fails them.
        self.recover = recover
        self._crashes = 0
        self._leaving = False
        self._watchdog_armed = False
        # Key labels in the collector's language: one screen class per language.
        self.desk_screen_class = type(f"DeskScreen_{desk.lang}", (DeskScreen,), {"BINDINGS": desk_bindings(desk.lang)})

    def on_mount(self) -> None:
        desk = self.desk_screen_class(self.desk, demo=self.demo)
        # Laid out wide or narrow from the first frame: switching after it lays the desk out twice.
        desk.set_class(self.size.width >= WIDE, "-wide")
        self.push_screen(desk)
        if self.desk.needs_setup():
            self.action_settings()
        # Textual installs no handler for these: without one the process dies mid-sentence.
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self._leave, "signal")
        self.call_after_refresh(self._settle_memory)

    def action_command_palette(self) -> None:
        """The palette with its search prompt in the collector's language."""
        from textual.command import CommandPalette

        from callcoach.tui.palette import LocalPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(LocalPalette(self.desk.presenter.labels))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The focused widget's own keys (Textual's "Cursor up", "Copy selected text") in the
        collector's language, for the keys panel, before the panel reads them."""
        localise_builtin([self, *event.widget.ancestors_with_self], self.desk.presenter.labels)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's own palette entries, in the collector's language; its "Keys" and "Quit"
        are left out, as the desk lists its own with their keys."""
        L = self.desk.presenter.labels
        for command in super().get_system_commands(screen):
            key = f"command_{command.title.lower()}"
            if command.title in ("Keys", "Quit"):
                continue
            if key in L:
                yield SystemCommand(L[key], L[f"{key}_help"], command.callback, command.discover)
            else:
                yield command

    def get_key_display(self, binding: Binding) -> str:
        """Keys as printed on the keyboard, in the collector's language: "F2", "Ctrl+S", "Échap"."""
        if binding.key_display:
            return binding.key_display
        L = self.desk.presenter.labels
        modifiers, key = binding.parse_key()
        name = f"keyname_{key}"
        shown = L[name] if name in L else key.upper() if key[:1] == "f" and key[1:].isdigit() else format_key(key)
        return "+".join(
            [m.capitalize() for m in modifiers] + [shown.upper() if modifiers and len(shown) == 1 else shown]
        )

    def action_settings(self) -> None:
        """The collector's details: asked on the first start, reachable from the palette."""
        if not isinstance(self.screen, SetupScreen):
            self.push_screen(SetupScreen(self.desk), self._settings_saved)

    def _settings_saved(self, result: SetupResult | None) -> None:
        if result is None:
            return
        desk = next((s for s in self.screen_stack if isinstance(s, DeskScreen)), None)
        L = self.desk.presenter.labels
        if result.language != self.desk.lang:
            if desk is None or desk.current is None:
                self._reopen_desk(result.language)
                self.notify(self.desk.presenter.labels["setup_saved"])
                return
            self.notify(L["setup_language_next_start"], severity="warning")
        if desk is not None:
            desk.refresh_list(settle=False)
            desk.refresh_day_bar()
        self.notify(L["setup_saved"])

    def _reopen_desk(self, lang: str) -> None:
        """The desk again in the language just chosen: its labels, keys and script are built once."""
        self.desk = self.desk.in_language(lang)
        self.desk_screen_class = type(f"DeskScreen_{lang}", (DeskScreen,), {"BINDINGS": desk_bindings(lang)})
        desk = self.desk_screen_class(self.desk, demo=self.demo)
        desk.set_class(self.size.width >= WIDE, "-wide")
        self.switch_screen(desk)

    def _settle_memory(self) -> None:
        """Everything built to start (modules, styles, widgets) lives as long as the app: moved
        out of the cycle collector's sight, it is not rescanned on every full collection, which
        otherwise lands as a tenth-of-a-second stall in the middle of a keystroke."""
        gc.collect()
        gc.freeze()

    def get_driver_class(self) -> type[Driver]:
        """On a Unix terminal, Textual's driver taught to notice the terminal closing
        (tests run headless; Windows and a TEXTUAL_DRIVER choice keep their own)."""
        driver = super().get_driver_class()
        if WINDOWS or driver.__name__ != "LinuxDriver":
            return driver
        from callcoach.tui.hangup import HangUpDriver

        return HangUpDriver

    def _leave(self, why: Literal["quit", "signal", "hangup"]) -> None:
        """The one way out, whatever asked: Ctrl+Q, SIGTERM or SIGHUP, the terminal closing.

        The notes and the outcome draft reach the ledger first, the call stays open for the
        next start. Then, unless the user quit at the keyboard, the exit is bounded: Textual's
        shutdown writes to the terminal and waits on its output thread, and neither may
        keep a process (and its call) alive once its terminal or its session is gone."""
        if not self._leaving:
            self._leaving = True
            self._save_drafts()
            self.exit(return_code=0)
        if why != "quit" and not self._watchdog_armed and not self.is_headless and not WINDOWS:
            from callcoach.tui.hangup import arm_watchdog

            self._watchdog_armed = True
            arm_watchdog()

    def on_terminal_gone(self, _message: Message) -> None:
        """Posted by the driver when the terminal's input ends or its output fails."""
        self._leave("hangup")

    def _save_drafts(self) -> str:
        """Where the notes of an open call are now; never raises."""
        for screen in self.screen_stack:
            if isinstance(screen, DeskScreen):
                return screen.rescue_draft()
        return ""

    def _handle_exception(self, error: Exception) -> None:
        self._crashes += 1
        where = ""
        log = ""
        with contextlib.suppress(Exception):
            where = self._save_drafts()
        with contextlib.suppress(Exception):
            log = str(write_crash_report(error))
        if not self.recover or self._crashes > 3 or isinstance(self.screen, CrashScreen):
            super()._handle_exception(error)
            return
        L = self.desk.presenter.labels
        body = L.get("crash_body", where=where or L["crash_no_call"], log=log or "-")
        with contextlib.suppress(Exception):
            self.push_screen(crash_screen(L, body))
            return
        super()._handle_exception(error)

    def on_resize(self, event: Resize) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, DeskScreen) and screen.has_class("-wide") != (event.size.width >= WIDE):
                screen.set_class(event.size.width >= WIDE, "-wide")
                screen.fit_footer()

    async def action_quit(self) -> None:
        """Notes typed in the last second reach the database before the app closes."""
        self._leave("quit")
