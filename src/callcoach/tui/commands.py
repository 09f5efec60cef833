"""The command palette lists every desk action with its key, so nothing hides behind a key."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class DeskCommands(Provider):
    def _actions(self) -> list[tuple[str, str, str]]:
        screen = self.screen
        found = []
        for _key, binding in screen._bindings:
            if binding.description and binding.show:
                label = f"{binding.description} ({self.app.get_key_display(binding)})"
                found.append((label, binding.action, binding.tooltip or binding.description))
        seen: set[str] = set()
        unique = []
        for item in found:
            if item[1] not in seen:
                seen.add(item[1])
                unique.append(item)
        return unique

    async def discover(self) -> Hits:
        for label, action, help_text in self._actions():
            yield DiscoveryHit(label, partial(self.screen.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, action, help_text in self._actions():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self.screen.run_action, action), help=help_text)
