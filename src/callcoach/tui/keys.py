"""Key labels in the collector's language: every binding's description comes from the UI
texts by its id (``key_<id>``), so footers, the keys panel and the palette all match."""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from callcoach.playbook import Labels


def localise(node: DOMNode, labels: Labels) -> None:
    for key, bindings in node._bindings.key_to_bindings.items():
        node._bindings.key_to_bindings[key] = [
            replace(b, description=labels[f"key_{b.id}"]) if b.id and f"key_{b.id}" in labels else b for b in bindings
        ]
