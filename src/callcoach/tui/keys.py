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
    ("escape", "close_panel", "desk.close", True),
)


def desk_bindings(lang: str) -> list[Binding]:
    labels = Labels(lang)
    return [
        Binding(key, action, labels[f"key_{id_}"], id=id_, priority=priority, show=id_ != "desk.close")
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


# What the footer keeps: the keys of the moment (out of a call, in one) and, on a narrow
# terminal, only the essentials of that moment; F1 and the palette list every key.
OUT_OF_CALL = {
    "call.start",
    "list.filter",
    "debtor.history",
    "debtor.payment",
    "debtor.contact",
    "script.next",
    "desk.overview",
    "app.keys",
}
IN_CALL = {
    "call.end",
    "call.excuse",
    "script.back",
    "script.next",
    "script.plan",
    "debtor.history",
    "debtor.contact",
    "app.keys",
}
ESSENTIAL_OUT = {"call.start", "script.next", "list.filter", "debtor.history", "app.keys"}
ESSENTIAL_IN = {"call.end", "call.excuse", "script.next", "script.plan", "app.keys"}


DESK_IDS = {id_ for _, _, id_, _ in DESK_KEYS}


def fit_footer(node: DOMNode, *, in_call: bool, wide: bool) -> None:
    """Show in the footer only the desk keys that serve now; the keys themselves stay bound
    (Ctrl+Q, F9 in a call, Esc: in the keys panel and the palette)."""
    moment, essential = (IN_CALL, ESSENTIAL_IN) if in_call else (OUT_OF_CALL, ESSENTIAL_OUT)
    for key, bindings in node._bindings.key_to_bindings.items():
        node._bindings.key_to_bindings[key] = [
            replace(b, show=b.id in moment and (wide or b.id in essential)) if b.id in DESK_IDS else b for b in bindings
        ]
