"""Every error message the code can raise reads as French on a French desk (issue 18).

The messages are found in the source itself (each ``…Error("…")`` or ``…Error(f"…")`` whose
text is written there), their varying parts filled with a number, and passed through what
the command line and the screens use: split at "; ", each part through the playbook's
``[problems]`` table. A new message without its French, or a reworded one whose French no
longer matches, fails here, naming the file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

from callcoach.importers.reading import _SIGNATURES
from callcoach.playbook import Labels
from callcoach.playbook.problems import in_language
from tests.cli.test_french_cli import names_typed
from tests.english import english_words

SRC = Path(__file__).resolve().parents[2] / "src" / "callcoach"
ERRORS = {
    "UserError",
    "StoreError",
    "ImportRefused",
    "AmountError",
    "DateError",
    "ImportFileError",
    "CallTaken",
    "EInvoiceError",
    "FecError",
    "RowError",
}
VALUE = "42"
# Typed values and setting names a message quotes for the collector to type: not prose.
TYPED = frozenset({"late", "rule", "be", "none", "paid", "withdrawn", "reason", "of"})


def raised_messages() -> list[tuple[str, str]]:
    """(where, message) for every error raised with a message written in the source."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ERRORS):
                continue
            if not node.args:
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                text = first.value
            elif isinstance(first, ast.JoinedStr):
                text = "".join(v.value if isinstance(v, ast.Constant) else VALUE for v in first.values)
            else:
                continue
            found.append((f"{path.relative_to(SRC)}:{node.lineno}", text))
    return found


def with_real_values(text: str) -> list[str]:
    """A message whose varying part is itself words (the kind of file met) with each of them."""
    if text.endswith(f"this is {VALUE}, not a text export"):
        return [text.replace(f"this is {VALUE}", f"this is {kind}") for _, kind in _SIGNATURES if "text" not in kind]
    if text.endswith(f"is a folder, not {VALUE}"):
        return [text.replace(f"not {VALUE}", "not an export")]
    return [text]


def test_every_error_message_in_the_code_reads_as_french() -> None:
    labels = Labels("fr")
    allowed = names_typed() | TYPED
    messages = raised_messages()
    assert len(messages) > 150  # the scan really reads the code
    leaks = []
    for where, template in messages:
        for text in with_real_values(template):
            said = "; ".join(in_language(part, labels) for part in text.split("; "))
            words = english_words(said, allowed)
            if words:
                leaks.append(f"{where}: {text!r} -> {said!r} {words}")
    assert leaks == [], "\n".join(leaks)
