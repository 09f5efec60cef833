"""The command palette lists every action of the screen once, with its key, in the
collector's language, so nothing hides behind a key.

Textual's own entries that duplicate ours ("Keys", "Quit") are left out in the App's
``get_system_commands``; the rest of them are named in the collector's language there.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode


class DeskCommands(Provider):
    def _nodes(self) -> list[DOMNode]:
        """The screen, then its own widgets that carry bindings (the checklist's tick, the
        list's filter), so their actions are reachable whatever has the focus."""
        screen = self.screen
        widgets = [w for w in screen.query("*") if type(w).__module__.startswith("callcoach.") and w._bindings]
        return [screen, *widgets]

    def _actions(self) -> list[tuple[str, Callable[[], object], str]]:
        labels = self.app.desk.presenter.labels  # type: ignore[attr-defined]
        found: list[tuple[str, Callable[[], object], str]] = []
        seen: set[str] = set()
        for node in self._nodes():
            for bindings in node._bindings.key_to_bindings.values():
                for binding in bindings:
                    if not binding.description or not binding.id or binding.id in seen:
                        continue
                    seen.add(binding.id)
                    key = self.app.get_key_display(binding)
                    run = partial(node.run_action, binding.action)
                    said = labels.get(f"keyhelp_{binding.id}") if f"keyhelp_{binding.id}" in labels else ""
                    found.append((f"{binding.description} ({key})", run, said or binding.tooltip or ""))
        found.append((labels["command_settings"], self.app.action_settings, labels["command_settings_help"]))  # type: ignore[attr-defined]
        return found

    async def discover(self) -> Hits:
        for label, run, help_text in self._actions():
            yield DiscoveryHit(label, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, run, help_text in self._actions():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), run, help=help_text)
