"""What is wrong with a form, in the collector's language.

The rules (domain and parsers) say it in English, as ``field: reason`` with the typed value
quoted, so the CLI and the logs read the same everywhere. The screens pass each message
through the ``[problems]`` table of the language's ``ui.toml``: a field name and a reason
pattern, where ``{x}`` and ``{y}`` stand for the parts that vary. A message the table does not know
is shown as it is, never lost.
"""

from __future__ import annotations

import re
from functools import cache

from callcoach.playbook import Labels, load

PLACES = ("x", "y")  # the varying parts a reason may have, in its English and its translation


@cache
def _table(lang: str) -> tuple[dict[str, str], list[tuple[re.Pattern[str], str]], str]:
    problems = load("ui", lang).get("problems", {})
    fields = {str(k): str(v) for k, v in problems.get("fields", {}).items()}
    reasons = [(_pattern(str(k)), str(v)) for k, v in problems.get("reasons", {}).items()]
    return fields, reasons, str(problems.get("separator", ": "))


def _pattern(reason: str) -> re.Pattern[str]:
    text = re.escape(reason)
    for name in PLACES:
        text = text.replace(re.escape("{" + name + "}"), f"(?P<{name}>.+?)")
    return re.compile(text + "$")


def in_language(text: str, labels: Labels) -> str:
    fields, reasons, separator = _table(labels.lang)
    if not fields and not reasons:
        return text
    field, sep, reason = text.partition(": ")
    if not sep or field not in fields:
        field, reason = "", text
    for pattern, template in reasons:
        match = pattern.match(reason)
        if match:
            reason = template
            for name, value in match.groupdict().items():
                reason = reason.replace("{" + name + "}", value)
            break
    return f"{fields[field]}{separator}{reason}" if field else reason
