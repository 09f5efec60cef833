"""Key labels in the collector's language: every binding's description comes from the UI
texts by its id (``key_<id>``), so footers, the keys panel and the palette all match."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from callcoach.playbook import Labels


def localise(node: DOMNode, labels: Labels) -> None:
    for key, bindings in node._bindings.key_to_bindings.items():
        node._bindings.key_to_bindings[key] = [
            replace(b, description=labels[f"key_{b.id}"]) if b.id and f"key_{b.id}" in labels else b for b in bindings
        ]


# (key, action, binding id, priority): the descriptions come from the playbook's ui.toml (key_<id>).
DESK_KEYS = (
    ("f2", "start_call", "call.start", True),
    ("f3", "end_call", "call.end", True),
    ("f4", "pick_excuse", "call.excuse", True),
    ("f5", "stage(-1)", "script.back", True),
    ("f6", "stage(1)", "script.next", True),
    ("f7", "history", "debtor.history", True),
    ("f8", "plan", "script.plan", True),
    ("f9", "payment", "debtor.payment", True),
    ("f10", "add_contact", "debtor.contact", True),
    ("ctrl+o", "overview", "desk.overview", True),
    ("slash", "filter", "list.filter", False),
    ("f1,question_mark", "toggle_keys", "app.keys", False),
    ("ctrl+q", "app.quit", "app.quit", True),
)


def desk_bindings(lang: str) -> list[Binding]:
    labels = Labels(lang)
    return [
        Binding(key, action, labels[f"key_{id_}"], id=id_, priority=priority)
        for key, action, id_, priority in DESK_KEYS
    ]


def localise_builtin(nodes: Iterable[DOMNode], labels: Labels) -> None:
    """Textual's own key descriptions ("Cursor up", "Copy selected text") in the collector's
    language, from the ``[builtin_keys]`` table of ui.toml; a description it lacks stays."""
    table = labels.table("builtin_keys")
    if not table:
        return
    for node in nodes:
        for key, bindings in node._bindings.key_to_bindings.items():
            node._bindings.key_to_bindings[key] = [
                replace(b, description=table.get(b.description, b.description), tooltip=table.get(b.tooltip, b.tooltip))
                for b in bindings
            ]
