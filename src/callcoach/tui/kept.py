"""Dialogs built once per desk and refilled at each use.

A form with dozens of widgets takes a few hundred milliseconds to compose, mount and style
on this kind of machine, far more than a key may take (issue 17: every key under 100 ms).
So the desk builds its forms once, just after its first frame, and each key only refills
and shows one. A kept screen is installed, so Textual does not destroy it when it closes.
"""

from __future__ import annotations

import contextlib
from itertools import count
from typing import TypeVar

from textual import events
from textual.app import App
from textual.screen import ModalScreen, Screen

S = TypeVar("S", bound=Screen)
R = TypeVar("R")


class KeptDialog(ModalScreen[R]):
    """A dialog shown again and again: its widgets are restyled only when the styles changed.

    Textual restyles every widget of a screen each time it is pushed (half a millisecond a
    widget here), in case the stylesheet changed while it was away. A kept dialog's widgets
    were styled when it was built and keep their styles while it waits; only a new theme
    or new CSS (a new rule list) calls for styling them again. Likewise it is laid out once
    built, and drawn as soon as it is shown."""

    _styled_with: object = None

    def styled_now(self) -> None:
        """Called once the widgets are mounted (and so styled): the first showing need not restyle,
        nor lay its widgets out (done once they are mounted, while no key waits)."""
        self._styled_with = self.app.stylesheet.rules
        self.call_later(self._lay_out_ahead)

    def _lay_out_ahead(self) -> None:
        """Textual lays a screen out when it is first shown, at the size of the app (tens of
        milliseconds for a form): a kept dialog does it now, at the size it will have then."""
        if self.is_attached and not self.is_current:
            self._refresh_layout(self.app.size)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        rules = self.app.stylesheet.rules
        if self._styled_with is rules:
            event.refresh_styles = False
        laid_out = self._size == self.app.size  # else Textual lays it out and draws it itself
        super()._on_screen_resume(event)
        self._styled_with = rules
        if laid_out and self.is_current and not self.app._batch_count:
            # Drawn now, rather than at the next tick of the screen's update timer.
            self._layout_required = False
            self._refresh_layout(self.app.size)


_names = count(1)


class KeptScreens:
    """The screens one desk keeps: built ahead of their key, dropped with the desk."""

    def __init__(self, app: App[object]) -> None:
        self.app = app
        self._screens: dict[type, Screen] = {}

    def keep(self, screen: S) -> S:
        """Install ``screen`` and build its widgets now, while no key waits on them."""
        self._screens[type(screen)] = screen
        self.app.install_screen(screen, f"kept-{type(screen).__name__}-{next(_names)}")
        # Textual composes a screen when it is first pushed; its own `_get_screen` does that
        # composing without pushing (a missing method only moves the cost to the first use).
        build = getattr(self.app, "_get_screen", None)
        if build is not None:
            build(screen)
        return screen

    def get(self, kind: type[S]) -> S | None:
        screen = self._screens.get(kind)
        return screen if isinstance(screen, kind) else None

    def drop(self) -> None:
        """The desk goes away (quit, a change of language): its screens go with it."""
        for screen in self._screens.values():
            with contextlib.suppress(Exception):  # already gone with the app
                self.app.uninstall_screen(screen)
                if screen not in self.app.screen_stack and screen.is_attached:
                    screen.remove()
        self._screens.clear()
