"""The footer of every screen: Textual's, redrawn only when the keys it shows change.

Textual's Footer rebuilds all its keys (a widget each, mounted and styled) whenever the
screen's bindings may have changed, which is at every change of focus and every screen
shown: a dozen widgets on the desk, several milliseconds on each key that moves the focus.
The keys shown rarely change then, so this one compares them first, and waits while its
screen is under another one.
"""

from __future__ import annotations

from textual.dom import NoScreen
from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """A Footer that recomposes only when the keys, their labels or their state changed."""

    _shown: tuple[object, ...] | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    def _keys_shown(self) -> tuple[object, ...]:
        """What ``Footer.compose`` draws: each shown key with its label, state and group."""
        app = self.app
        keys = tuple(
            (
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                enabled,
                tooltip,
                id(binding.group),
            )
            for (_node, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show or binding.key == app.COMMAND_PALETTE_BINDING
        )
        return (self.show_command_palette, keys)

    async def _recompose_if_changed(self) -> None:
        if not self.is_attached:  # its screen closed before this ran
            return
        if self.screen is not self.app.screen:
            # Under another screen (a dialog with its own footer just opened): redrawn when its
            # screen is back on top, which refreshes the bindings (Screen.stack_updates).
            return
        try:
            shown = self._keys_shown()
        except NoScreen:
            return
        if shown == self._shown and self.children:
            return
        self._shown = shown
        await self.recompose()
